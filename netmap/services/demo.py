"""Synthetic demo data: nobody here is real, and no name comes from the reports.

`seed_demo` builds three young people through the ordinary use cases (so history and audit are
real): Riley and Morgan are siblings who share an aunt, a grandmother and a former foster carer;
Jordan's network is mostly professionals. Between them every connection status, every support
code and every safeguarding flag appears. Riley and Jordan are in custody; Morgan was released
seven months ago, so all four milestone snapshots have passed. When people came into and left
their lives, and each search step, is dated over the months and years before today (valid
time), so the network on a date and the measures over time change. The contacts directory
(`DIRECTORY`) has made-up organisations for the made-up prisons and places, and everyone in a
team around has a responsibility in plain words (`RESPONSIBILITIES`, `TEAM_WORDS`). `generate_cohort` makes a large cohort quickly, in
atomic batches, for load tests and the cohort view.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from .. import codes
from ..model import new_id, now_iso
from . import network, users, young_people
from .actor import SYSTEM
from .synthetic_names import full_name

DEMO_PASSWORD = "demo-password-1"
DEMO_USERS = (
    ("coordinator@example.org", "coordinator"),
    ("practitioner@example.org", "practitioner"),
    ("manager@example.org", "manager"),
    ("admin@example.org", "admin"),
)
# Made-up names and job titles for the demo's staff (people read these, never the email).
DEMO_STAFF = {
    "coordinator@example.org": ("Sam Okafor", "Lifelong Links coordinator"),
    "practitioner@example.org": ("Dana Whitlock", "Personal Advisor"),
    "manager@example.org": ("Morgan Achebe", "Leaving care team manager"),
    "admin@example.org": ("Lee Hartigan", "Service administrator"),
}
FIRST = ("Alex", "Sam", "Jamie", "Robin", "Casey", "Drew", "Eden", "Frankie", "Harley", "Indy",
         "Jules", "Kit", "Lee", "Marley", "Nico", "Oakley", "Parker", "Quinn", "Remy", "Sky",
         "Toni", "Umar", "Vic", "Wren", "Yusuf", "Zara", "Amara", "Bilal", "Cerys", "Dafydd",
         "Efe", "Fatima", "Gwen", "Hamza", "Ioana", "Jonah", "Keira", "Leon", "Maya", "Nia",
         "Omar", "Priya", "Rhys", "Sana", "Tomasz", "Uma", "Vera", "Wes", "Yara", "Zeke")
LAST = ("Ashdown", "Brightwell", "Calder", "Dunmore", "Ellery", "Fairweather", "Greenhalgh",
        "Hollins", "Ingleby", "Jessop", "Kershaw", "Linfield", "Marlow", "Northcott", "Oakes",
        "Pennington", "Quarry", "Rowntree", "Stanway", "Thorne", "Underhill", "Varley",
        "Westwood", "Yardley", "Amberley", "Birtles", "Coldwell", "Dewhurst", "Eastham",
        "Frodsham")
MORGAN_RELEASED_DAYS_AGO = 200
PRISONS = ("HMP Northgate", "HMP Riverside", "HMYOI Oakfield", "HMP Eastmoor")
AREAS = ("Northbridge", "Westford", "Southam", "Eastley", "Kingsmere")
AUTHORITIES = ("Northbridge City Council", "Westford County Council", "Southam Borough")
# The contacts directory: made-up organisations for the demo's made-up prisons and places,
# each with made-up named contacts (`checked`: how many days ago someone checked the details).
# The professionals in the demo's networks are listed at the organisation they work for: the
# same person as on the map, not a copy.
DIRECTORY = (
    {"name": "HMP Northgate", "kind": "prison", "area": "Northbridge", "checked": 12,
     "address": "1 Gatehouse Road, Northbridge NB1 4HP", "phone": "01632 960100",
     "contacts": [{"name": "Carol Pike", "role": "chaplain", "phone": "01632 960104"}]},
    {"name": "HMP Riverside", "kind": "prison", "area": "Westford", "checked": 40,
     "address": "Wharf Lane, Westford WF2 8RR", "phone": "01632 960200",
     "contacts": [{"name": "Dev Rhodes", "role": "care_leavers_champion", "phone":
                   "01632 960211", "email": "dev.rhodes@riverside.example.gov.uk"}]},
    {"name": "HMYOI Oakfield", "kind": "prison", "area": "Southam", "checked": 75,
     "address": "Oakfield Lane, Southam SO9 2OK", "phone": "01632 960300",
     "contacts": [{"name": "Fern Abbott", "role": "care_leavers_champion", "email":
                   "fern.abbott@oakfield.example.gov.uk"},
                  {"name": "Luca Brennan", "role": "prison_offender_manager"}]},
    {"name": "HMP Eastmoor", "kind": "prison", "area": "Eastley", "checked": 130,
     "address": "Moor Road, Eastley EA4 1EM", "phone": "01632 960400",
     "contacts": [{"name": "Grace Whitby", "role": "care_leavers_champion", "phone":
                   "01632 960412"},
                  {"name": "Owen Prior", "role": "prison_offender_manager"}]},
    {"name": "HMP Ashbrook", "kind": "prison", "area": "Kingsmere", "checked": 200,
     "address": "Ashbrook Road, Kingsmere KM3 5AB", "phone": "01632 960500",
     "contacts": [{"name": "Hana Sato", "role": "care_leavers_champion", "email":
                   "hana.sato@ashbrook.example.gov.uk"},
                  {"name": "Ivor Penhaligon", "role": "family_finding_coordinator"}]},
    {"name": "Northbridge Leaving Care Team", "kind": "leaving_care", "area": "Northbridge",
     "checked": 20, "address": "Civic Centre, Northbridge NB1 1CC", "phone": "01632 960600",
     "contacts": [{"name": "Beth Rudd", "role": "personal_advisor", "phone": "01632 960603"}]},
    {"name": "Westford Leaving Care Service", "kind": "leaving_care", "area": "Westford",
     "checked": 60, "address": "County Hall, Westford WF1 1CH", "phone": "01632 960700",
     "contacts": [{"name": "Colm Fraser", "role": "personal_advisor"}]},
    {"name": "Southam Leaving Care Team", "kind": "leaving_care", "area": "Southam",
     "checked": 95, "address": "Town Hall, Southam SO1 1TH", "phone": "01632 960800",
     "contacts": [{"name": "Dita Novak", "role": "personal_advisor", "email":
                   "dita.novak@southam.example.gov.uk"},
                  {"name": "Ellis Grant", "role": "personal_advisor"}]},
    {"name": "Northbridge Probation Delivery Unit", "kind": "probation", "area": "Northbridge",
     "checked": 30, "address": "2 Court Street, Northbridge NB2 3CS", "phone": "01632 960900"},
    {"name": "Westford Probation Delivery Unit", "kind": "probation", "area": "Westford",
     "checked": 110, "address": "9 Bridge Street, Westford WF3 2BS",
     "contacts": [{"name": "Faye Moran", "role": "probation_practitioner"}]},
    {"name": "Kingsmere Family Finding Service", "kind": "family_finding", "area": "Kingsmere",
     "checked": 45, "phone": "01632 961000",
     "contacts": [{"name": "Gil Ortega", "role": "family_finding_coordinator", "email":
                   "gil.ortega@kingsmere.example.gov.uk"}]},
    {"name": "Northbridge Housing Options", "kind": "housing", "area": "Northbridge",
     "checked": 15, "phone": "01632 961100"},
    {"name": "Westford Housing Options", "kind": "housing", "area": "Westford", "checked": 70},
    {"name": "Northbridge Recovery Service", "kind": "health", "area": "Northbridge",
     "checked": 25, "address": "The Old Library, Northbridge NB4 2OL"},
    {"name": "Westford Works", "kind": "other", "area": "Westford", "checked": 160},
    {"name": "Westford Youth Justice Service", "kind": "other", "area": "Westford",
     "checked": 90},
    {"name": "Westford Children's Services", "kind": "other", "area": "Westford",
     "checked": 140},
)
# What each practitioner does, in the words the young adult reads after "Sam Calder, your
# Personal Advisor, ..." (services/practitioners.py): by role, and by name where one
# person's part is their own.
RESPONSIBILITIES = {
    "personal_advisor": "will help you find somewhere to live and sort out money and "
                        "benefits before you leave",
    "prison_offender_manager": "plans your sentence with you and writes the report for your "
                               "release",
    "probation_practitioner": "will supervise your licence and help you keep to it",
    "care_leavers_champion": "makes sure the prison knows you are a care leaver and what "
                             "help you can ask for",
    "substance_misuse_worker": "will keep seeing you about drink and drugs, inside and after "
                               "release",
    "mental_health_worker": "sees you each week about how you are feeling",
    "chaplain": "is someone to talk to in the prison, whatever you believe",
    "employment_worker": "will help you find work or training for when you are out",
    "housing_officer": "is looking for a room or a flat for you",
    "youth_justice_worker": "knows your story from before and helps the team understand it",
    "social_worker": "keeps in touch with your children's services records and any court "
                     "papers",
    "family_finding_coordinator": "is looking for the people you have lost touch with",
}
TEAM_WORDS = {
    "Sam Calder": "will check Aunt Ro's spare room and the licence address, and meet you on "
                  "release day",
    "Omar Kershaw": "will supervise your licence after release and agree where you will live",
    "Toni Marsh": "sees you every week about your licence and is helping you keep your job",
    "Remy Greenhalgh": "helped you move into your flat and still helps with money and your "
                       "health appointments",
    "Jonah Birch": "found you your flat and will help if anything goes wrong with it",
}
# The people beyond the named ones: a category and the relationship that goes with it (a
# cousin is family, a friend is a friend).
RILEY_OTHERS = (("family", "cousin"), ("community", "neighbour"), ("friend", "friend"),
                ("community", "youth worker"))
MORGAN_OTHERS = (("family", "cousin"), ("friend", "friend"), ("education", "classmate"),
                 ("community", "neighbour"))
JORDAN_OTHERS = (
    ("professional", "youth justice worker", "youth_justice_worker",
     "Westford Youth Justice Service"),
    ("professional", "social worker", "social_worker", "Westford Children's Services"),
    ("friend", "friend from the gym", None, None),
    ("friend", "friend", None, None),
)


def seed_demo(store, progress=None) -> dict:
    """The three-person demo, and one user per role; returns the ids made."""
    rng = random.Random(7)
    made = {"users": {}, "young_people": {}}
    for email, role in DEMO_USERS:
        name, job_title = DEMO_STAFF[email]
        made["users"][role] = users.create_user(
            store, {"email": email, "role": role, "password": DEMO_PASSWORD, "name": name,
                    "job_title": job_title})
    coordinator = users.actor_for(made["users"]["coordinator"] | {"young_person_id": None})
    today = date.today()

    def yp(name, preferred, dob_years, prison, release_in_days, area, la, served_days=400):
        start = today - timedelta(days=served_days)
        return young_people.create(store, coordinator, {
            "name": name, "preferred_name": preferred,
            "date_of_birth": (today - timedelta(days=365 * dob_years + 40)).isoformat(),
            "care_leaver_status": "former_relevant", "local_authority": la, "prison": prison,
            "prison_number": f"A{rng.randint(1000, 9999)}BC", "sentence_start":
            start.isoformat(), "release_date": (today + timedelta(days=release_in_days)).isoformat(),
            "release_area": area})

    riley = yp("Riley Ashdown", "Riles", 21, PRISONS[0], 75, "Northbridge", AUTHORITIES[0])
    # Morgan was released about seven months ago: every milestone (sentence start, release,
    # three and six months after) has passed, so the measures over time have four points.
    morgan = yp("Morgan Ashdown", None, 19, PRISONS[2], -MORGAN_RELEASED_DAYS_AGO,
                "Northbridge", AUTHORITIES[0], served_days=MORGAN_RELEASED_DAYS_AGO + 420)
    jordan = yp("Jordan Pennington", "Jord", 23, PRISONS[1], 45, "Westford", AUTHORITIES[1])
    made["young_people"] = {"riley": riley["id"], "morgan": morgan["id"], "jordan": jordan["id"]}

    def add(young, person, **conn):
        conn.setdefault("closeness", 3)
        data = {"person": person, **conn} if isinstance(person, dict) else {
            "person_id": person, **conn}
        created = network.add_connection(store, coordinator, young["id"], data)
        if progress:
            progress(1)
        return created

    ago = lambda days: (today - timedelta(days=days)).isoformat()  # noqa: E731
    # When people came into (and went out of) their lives, spread over the years so that the
    # network on a date (valid time) changes; drawn apart from `rng`, whose draws name people.
    spread = random.Random(11)

    def ended(made, days, status="ended", last_day=True):
        """A connection that ended `days` ago: its status from then, and (`last_day`) the
        day they stopped being in the young adult's life."""
        network.update_connection(store, coordinator, made["id"], {
            "status": status, "effective_date": ago(days),
            **({"ended_on": ago(days)} if last_day else {})})

    # Shared by the siblings.
    aunt = add(riley, {"name": "Rosa Ashdown", "preferred_name": "Aunt Ro", "category": "family",
                       "phone": "07700 900101", "address": "4 Mill Lane, Northbridge",
                       "area": "Northbridge"},
               relationship="aunt", closeness=5, support=["accommodation", "emotional",
                                                          "visits", "release_day"],
               contact_frequency="weekly", last_contact=ago(6), known_since=ago(365 * 20),
               consent_to_contact="yes")
    nan = add(riley, {"name": "Pearl Ashdown", "category": "family", "area": "Northbridge",
                      "phone": "07700 900102"},
              relationship="grandmother", closeness=4, support=["emotional", "finance_benefit_debt"],
              contact_frequency="monthly", last_contact=ago(20), known_since=ago(365 * 21),
              consent_to_contact="yes")
    foster = add(riley, {"name": "Glenda Fairweather", "category": "carer", "area": "Westford",
                         "email": "glenda@example.net"},
                 relationship="former foster carer", closeness=4,
                 support=["practical", "advice", "education_training_employment"],
                 contact_frequency="quarterly", last_contact=ago(80), known_since=ago(365 * 9),
                 consent_to_contact="yes")
    mum = add(riley, {"name": "Dawn Ashdown", "category": "family", "area": "Northbridge"},
              relationship="mother", closeness=3, support=["accommodation", "children_families"],
              safeguarding=["victim"], safeguarding_note="Assaulted by Riley in 2023; police "
              "involved. Not a safe address.", consent_to_contact="not_asked",
              contact_frequency="none", known_since=ago(365 * 21))
    for conn, rel, close, known in ((aunt, "aunt", 5, 365 * 19), (nan, "grandmother", 5,
                                    365 * 19), (foster, "former foster carer", 3, 365 * 8)):
        add(morgan, conn["person_id"], relationship=rel, closeness=close,
            support=["emotional", "visits"], contact_frequency="monthly", last_contact=ago(30),
            consent_to_contact="yes", known_since=ago(known))
    network.add_tie(store, coordinator, riley["id"], {"person_a": aunt["person_id"],
                                                       "person_b": nan["person_id"]})
    network.add_tie(store, coordinator, morgan["id"], {"person_a": aunt["person_id"],
                                                        "person_b": nan["person_id"]})

    # Riley: a full network with a Lifelong Links search in progress.
    pros = [
        ({"name": "Sam Calder", "category": "professional", "role": "personal_advisor",
          "organisation": "Northbridge Leaving Care Team", "phone": "01632 960001",
          "email": "sam.calder@example.gov.uk", "area": "Northbridge"},
         dict(relationship="Personal Advisor", closeness=4, support=["accommodation", "finance_benefit_debt",
              "advice", "education_training_employment"], contact_frequency="monthly",
              consent_to_contact="yes", known_since=ago(365 * 3 + 40))),
        ({"name": "Priya Linfield", "category": "professional", "role": "prison_offender_manager",
          "organisation": PRISONS[0], "email": "priya.linfield@example.gov.uk"},
         dict(relationship="Prison Offender Manager", closeness=2,
              support=["attitudes_thinking_behaviour"], support_ends_at_release=True,
              contact_frequency="fortnightly", consent_to_contact="yes",
              known_since=ago(390))),
        ({"name": "Omar Kershaw", "category": "professional", "role": "probation_practitioner",
          "organisation": "Northbridge Probation Delivery Unit", "phone": "01632 960002",
          "area": "Northbridge"},
         dict(relationship="Probation Practitioner", closeness=2,
              support=["attitudes_thinking_behaviour", "accommodation"], contact_frequency="monthly",
              consent_to_contact="yes", known_since=ago(200))),
        ({"name": "Bilal Hollins", "category": "professional", "role": "care_leavers_champion",
          "organisation": PRISONS[0]},
         dict(relationship="Care Leavers Champion", closeness=2, support=["advice"],
              support_ends_at_release=True, consent_to_contact="yes", known_since=ago(300))),
        ({"name": "Gwen Stanway", "category": "professional", "role": "substance_misuse_worker",
          "organisation": "Northbridge Recovery Service", "area": "Northbridge"},
         dict(relationship="drug and alcohol worker", closeness=3, support=["drugs_alcohol", "health"],
              contact_frequency="weekly", consent_to_contact="yes", known_since=ago(150))),
    ]
    for person, conn in pros:
        add(riley, person, **conn)
    coach = add(riley, {"name": "Leon Marlow", "category": "community", "organisation":
                        "Northbridge Boxing Club", "area": "Northbridge"},
                relationship="boxing coach", closeness=4, support=["emotional", "attitudes_thinking_behaviour",
                                                                   "education_training_employment"],
                contact_frequency="monthly", last_contact=ago(25), known_since=ago(365 * 5),
                consent_to_contact="yes")
    network.add_tie(store, coordinator, riley["id"], {"person_a": coach["person_id"],
                                                       "person_b": aunt["person_id"]})
    add(riley, {"name": "Wes Dunmore", "category": "friend", "area": "Southam"},
        relationship="friend from college", closeness=3, support=["practical", "visits"],
        contact_frequency="fortnightly", consent_to_contact="not_asked",
        known_since=ago(365 * 6))
    add(riley, {"name": "Zeke Varley", "category": "friend", "area": "Northbridge"},
        relationship="old friend", closeness=2, support=["practical"],
        safeguarding=["risk_to_young_person"], safeguarding_note="Linked to county lines; "
        "police intelligence.", contact_frequency="weekly", known_since=ago(365 * 4 + 100))
    # Riley's Lifelong Links searches, each a run of real steps over the months (every
    # search status and outcome), with where the news came from.
    def searched(person, known_years, steps, **conn):
        made = add(riley, person, known_since=ago(365 * known_years), **conn)
        for status, days, source, detail, *extra in steps:
            network.update_connection(store, coordinator, made["id"], {
                "status": status, "effective_date": ago(days), "source": source,
                "source_detail": detail, **(extra[0] if extra else {})})
        return made

    searched({"name": "Cerys Ashdown", "category": "family"}, 12, [
        ("lost", 300, "case_file", "Last contact noted in the 2019 placement review"),
        ("searching", 210, "young_person", "Riley asked to find her at the first Lifelong "
                                           "Links session")],
        relationship="half-sister", closeness=3, support=["emotional"],
        consent_to_contact="not_asked")
    searched({"name": "Tomasz Ingleby", "category": "family"}, 21, [
        ("lost", 150, "case_file", "Not heard of since Riley was six; the case file has an "
                                   "old address only")],
        relationship="birth father", closeness=1, consent_to_contact="not_asked")
    searched({"name": "Uma Birtles", "category": "education", "organisation":
              "Northbridge College"}, 8, [
        ("lost", 260, "young_person", "Riley lost touch after leaving college"),
        ("searching", 230, "young_person", "Riley remembered her from Year 10"),
        ("found", 120, "public_records", "Listed as a teacher on Northbridge College's "
                                         "website")],
        relationship="former teacher", closeness=3, support=["education_training_employment"],
        consent_to_contact="not_asked")
    searched({"name": "Nia Coldwell", "category": "carer"}, 7, [
        ("lost", 330, "case_file", "She left the children's home in 2021"),
        ("searching", 280, "young_person", None),
        ("found", 190, "professional", "The children's home manager still had her work email"),
        ("contacted", 40, "professional", "Email from the coordinator; she wrote back the "
                                          "same week")],
        relationship="residential key worker", closeness=3, support=["emotional"],
        consent_to_contact="yes")
    searched({"name": "Vera Eastham", "category": "family"}, 15, [
        ("lost", 400, "case_file", None),
        ("searching", 350, "relative", "Aunt Ro thought she still lived in Southam"),
        ("found", 250, "relative", "Aunt Ro had her phone number"),
        ("contacted", 200, "relative", "Aunt Ro rang her first"),
        ("declined", 170, "other", "Said on the phone that she is not ready to be in touch")],
        relationship="great-aunt", closeness=2, consent_to_contact="no")
    searched({"name": "Shane Ingleby", "category": "family"}, 18, [
        ("lost", 390, "case_file", None),
        ("searching", 330, "young_person", "Riley's uncle on his father's side"),
        ("not_found", 100, "public_records", "No trace since 2016",
         {"tried": "The electoral roll, the family court file and two cousins on Facebook."})],
        relationship="uncle", closeness=1, consent_to_contact="not_asked")
    # Still on the map though ended: the no-contact licence condition still matters.
    ended(add(riley, {"name": "Jules Thorne", "category": "partner"}, relationship="ex-partner",
              closeness=1, safeguarding=["no_contact"], known_since=ago(365 * 5 + 60),
              safeguarding_note="Licence condition: no contact."), 365 * 2, last_day=False)
    ended(add(riley, {"name": "Harold Ashdown", "category": "family"}, relationship="grandfather",
              closeness=4, known_since=ago(365 * 21)), 365 * 3 + 120, "deceased")
    searched({"name": "Maya Oakes", "category": "peer_mentor", "organisation":
              "Second Chances Mentoring"}, 4, [
        ("lost", 380, "young_person", "They lost touch when Riley was moved to HMP Northgate"),
        ("searching", 300, "young_person", None),
        ("found", 240, "relative", "Facebook message from her cousin"),
        ("contacted", 150, "professional", "Letter through Second Chances Mentoring"),
        ("reconnected", 90, "young_person", "She visited Riley in prison")],
        relationship="peer mentor", closeness=3, support=["emotional", "release_day",
                                                           "practical"],
        contact_frequency="weekly", consent_to_contact="yes")
    # Riley's people beyond the named ones, so the map has some size.
    for i in range(6):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        category, relationship = rng.choice(RILEY_OTHERS)
        extra = add(riley, {"name": name, "category": category}, relationship=relationship,
                    closeness=rng.randint(1, 3), support=rng.sample(codes.OTHER_SUPPORT, 1),
                    contact_frequency=rng.choice(("monthly", "yearly", "less_often")),
                    known_since=ago(known := spread.randint(800, 365 * 14)))
        if i in (1, 4):  # two who drifted out of Riley's life, a year or two ago
            ended(extra, spread.randint(200, min(700, known - 1)))

    # Morgan: the younger sibling, out since the spring and building a life outside: the
    # prison's nurse stopped at the gate; probation, housing, a youth worker and a friend from
    # work came after, so each milestone's network is different.
    out = MORGAN_RELEASED_DAYS_AGO
    add(morgan, {"name": "Remy Greenhalgh", "category": "professional", "role": "personal_advisor",
                 "organisation": "Northbridge Leaving Care Team"},
        relationship="Personal Advisor", closeness=4, support=["accommodation", "health", "advice"],
        contact_frequency="monthly", consent_to_contact="yes", known_since=ago(out + 250))
    add(morgan, {"name": "Kit Jessop", "category": "friend", "area": "Eastley"},
        relationship="friend", closeness=5, support=["accommodation", "emotional"],
        contact_frequency="weekly", consent_to_contact="yes", known_since=ago(365 * 3))
    nurse = add(morgan, {"name": "Ioana Rowntree", "category": "professional", "role":
                         "mental_health_worker", "organisation": PRISONS[2]},
                relationship="mental health nurse", closeness=3, support=["health", "emotional"],
                support_ends_at_release=True, contact_frequency="weekly",
                consent_to_contact="yes", known_since=ago(out + 360))
    ended(nurse, out)  # her support ended at the gate
    for person, conn in (
        ({"name": "Toni Marsh", "category": "professional", "role": "probation_practitioner",
          "organisation": "Northbridge Probation Delivery Unit"},
         dict(relationship="Probation Practitioner", closeness=3,
              support=["attitudes_thinking_behaviour", "education_training_employment"],
              contact_frequency="weekly", known_since=ago(out + 20))),
        ({"name": "Jonah Birch", "category": "professional", "role": "housing_officer",
          "organisation": "Northbridge Housing Options"},
         dict(relationship="housing officer", closeness=2, support=["accommodation"],
              contact_frequency="monthly", known_since=ago(out - 45))),
        ({"name": "Sana Okoro", "category": "community", "organisation":
          "Northbridge Youth Hub", "area": "Northbridge"},
         dict(relationship="youth worker", closeness=4, support=["emotional", "advice"],
              contact_frequency="weekly", known_since=ago(60))),
        ({"name": "Rhys Tan", "category": "friend", "area": "Northbridge"},
         dict(relationship="friend from work", closeness=3, support=["practical"],
              contact_frequency="weekly", known_since=ago(35))),
    ):
        add(morgan, person, consent_to_contact="yes", **conn)
    add(morgan, {"name": "Drew Quarry", "category": "family"}, relationship="uncle",
        closeness=2, support=["accommodation"], safeguarding=["unsafe_address"],
        safeguarding_note="Address linked to drug supply.", known_since=ago(365 * 12))
    for i in range(9):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        category, relationship = rng.choice(MORGAN_OTHERS)
        extra = add(morgan, {"name": name, "category": category}, relationship=relationship,
                    closeness=rng.randint(1, 4), support=rng.sample(codes.OTHER_SUPPORT, 1),
                    contact_frequency=rng.choice(("weekly", "monthly", "quarterly")),
                    known_since=ago(known := spread.randint(30, 365 * 10)))
        if i == 2 and known > 100:
            ended(extra, spread.randint(100, min(500, known - 1)))

    # Jordan: professionals only inside; a MAPPA-restricted brother; support that ends at the gate.
    for person, conn in (
        ({"name": "Efe Yardley", "category": "professional", "role": "prison_offender_manager",
          "organisation": PRISONS[1]}, dict(relationship="Prison Offender Manager",
                                            support=["attitudes_thinking_behaviour", "accommodation"],
                                            support_ends_at_release=True, closeness=3)),
        ({"name": "Hamza Westwood", "category": "professional", "role": "chaplain",
          "organisation": PRISONS[1]}, dict(relationship="chaplain", support=["emotional"],
                                            support_ends_at_release=True, closeness=4)),
        ({"name": "Keira Dewhurst", "category": "professional", "role": "personal_advisor",
          "organisation": "Westford Leaving Care Service"},
         dict(relationship="Personal Advisor", support=["accommodation", "finance_benefit_debt"],
              closeness=3, contact_frequency="quarterly")),
        ({"name": "Yusuf Frodsham", "category": "professional", "role": "employment_worker",
          "organisation": "Westford Works"}, dict(relationship="employment adviser",
                                                   support=["education_training_employment"],
                                                   closeness=2)),
        ({"name": "Amara Underhill", "category": "professional", "role": "housing_officer",
          "organisation": "Westford Housing Options"},
         dict(relationship="housing officer", support=["accommodation"], closeness=2,
              status="current", consent_to_contact="yes")),
        ({"name": "Nico Pennington", "category": "family"},
         dict(relationship="brother", closeness=4, support=["accommodation", "emotional"],
              safeguarding=["mappa_restriction"],
              safeguarding_note="MAPPA level 2: co-defendant.")),
    ):
        conn.setdefault("consent_to_contact", "yes")
        conn.setdefault("contact_frequency", "fortnightly")
        conn.setdefault("known_since", ago(365 * 22) if person["category"] == "family"
                        else ago(spread.randint(60, 395)))
        add(jordan, person, **conn)
    for i in range(8):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        category, relationship, role, organisation = rng.choice(JORDAN_OTHERS)
        person = {"name": name, "category": category}
        if role:
            person.update(role=role, organisation=organisation)
        extra = add(jordan, person, relationship=relationship, closeness=rng.randint(1, 2),
                    support=["advice"], contact_frequency="yearly",
                    known_since=ago(known := spread.randint(30, 365 * 6)))
        if i in (0, 5) and known > 60:
            ended(extra, spread.randint(60, min(400, known - 1)))

    _riley_tell_it_once(store, coordinator, riley, aunt, today)
    _fill_directory(store, coordinator, (riley, morgan, jordan), today)
    for young in (riley, morgan, jordan):
        _fill_team(store, coordinator, young)
    # Riley's measures taken by hand over the months, beside the sentence-start milestone,
    # so the chart on the strength page has points (Morgan's four milestones have passed).
    from . import snapshots

    for label_, days in (("on_demand", 240), ("on_demand", 120), ("pre_release", 0)):
        snapshots.take_snapshot(store, coordinator, riley["id"],
                                {"label": label_, "date": ago(days)})

    made["users"]["young_person"] = users.create_user(
        store, {"email": "riley@example.org", "role": "young_person",
                "password": DEMO_PASSWORD, "young_person_id": riley["id"],
                "name": riley.get("preferred_name") or riley["name"]})
    # The practitioner works with Riley and Jordan; the manager sits in Riley's team.
    with store.unit_of_work() as uow:
        at = now_iso()
        for role, who in (("practitioner", riley), ("practitioner", jordan),
                          ("manager", riley)):
            uow.team.add(made["users"][role]["id"], who["id"], at, made["users"]["coordinator"]["id"])
    store.compact_log()
    return made


def _riley_tell_it_once(store, coordinator, riley, aunt, today) -> None:
    """Riley's journey so far, part of one plan, the assessment and a conference being
    planned, so that every page of the demo has something real in it."""
    from . import assessment, conferences, journey, plans

    ago = lambda days: (today - timedelta(days=days)).isoformat()  # noqa: E731
    for stage, days, extra in (("identified", 120, {"how": "pa_discovered"}),
                               ("consent_to_contact_practitioners", 110, {}),
                               ("team_formed", 100, {}),
                               ("integrated_planning_meeting", 95, {})):
        journey.record_stage(store, coordinator, riley["id"],
                             {"stage": stage, "date": ago(days), **extra})
    plans.set_entry(store, coordinator, riley["id"], "accommodation", {
        "action": "Riley moves in with Aunt Ro; Sam checks the room and the licence address.",
        "owner_person_id": aunt["person_id"], "due": (today + timedelta(days=60)).isoformat(),
        "status": "in_progress",
        "contingency": "If Aunt Ro cannot, Sam books supported housing through Northbridge "
                       "Housing Options before release day."})
    assessment.update_assessment(store, coordinator, riley["id"], {
        "strengths": "Good at boxing and keeps going when it is hard. Looks after Morgan.",
        "hopes": "A job at the gym, and a flat near Aunt Ro within a year.",
        "needs": {"accommodation": "Somewhere safe on release day, not at Mum's.",
                  "education_training_employment": "Finish the Level 2 coaching course."}})
    conferences.create_conference(store, coordinator, riley["id"], {
        "type": "family_group_conference", "date": (today + timedelta(days=21)).isoformat(),
        "time": "10:00"})


def _professionals(store, young_people) -> dict[str, dict]:
    """{person id: person} for every professional in these young people's networks."""
    found = {}
    with store.unit_of_work() as uow:
        for young in young_people:
            for person in (uow.network.network(young["id"]) or {}).get("people") or []:
                if person.get("category") == "professional":
                    found[person["id"]] = person
    return found


def _fill_directory(store, coordinator, young_people, today) -> None:
    """The directory's organisations (DIRECTORY), each with its made-up contacts and the
    professionals of the networks who work there."""
    from . import directory

    at_work: dict[str, list[dict]] = {}
    for person in _professionals(store, young_people).values():
        at_work.setdefault(person.get("organisation"), []).append(person)
    unlisted = set(at_work) - {o["name"] for o in DIRECTORY}
    if unlisted:
        raise ValueError(f"Organisations missing from demo.DIRECTORY: {sorted(unlisted)}")
    for org in DIRECTORY:
        fields = {k: v for k, v in org.items() if k not in ("checked", "contacts")}
        known = [{"person_id": p["id"], "name": p["name"], "role": p.get("role")}
                 for p in sorted(at_work.get(org["name"], []), key=lambda p: p["name"])]
        directory.create_organisation(store, coordinator, {
            **fields, "last_checked": (today - timedelta(days=org["checked"])).isoformat(),
            "contacts": known + list(org.get("contacts") or [])})


def _fill_team(store, coordinator, young) -> None:
    """Everyone in the team around the young adult has their part in words and the day they
    joined (and the release day as their last, when their support ends at the gate)."""
    from . import practitioners

    with store.unit_of_work() as uow:
        net = uow.network.network(young["id"]) or {}
    people = {p["id"]: p for p in net.get("people") or []}
    for connection in net.get("connections") or []:
        person = people.get(connection["person_id"]) or {}
        if person.get("category") != "professional" or \
                connection.get("status", "current") not in codes.ACTIVE_STATUSES:
            continue
        data = {"responsibility": TEAM_WORDS.get(person["name"])
                or RESPONSIBILITIES[person["role"]],
                "from": str(connection.get("known_since") or young["sentence_start"])[:10]}
        if connection.get("support_ends_at_release") and young.get("release_date"):
            data["until"] = young["release_date"]
        practitioners.update_practitioner(store, coordinator, young["id"], person["id"], data)


def is_empty(store) -> bool:
    with store.unit_of_work() as uow:
        return not uow.young_people.list_all() and not uow.users.list()


def generate_cohort(store, n: int, *, seed: int = 1, batch: int = 50, progress=None,
                    coordinator_email: str = "coordinator@example.org",
                    people_mean: int = 40, big_every: int = 100, big_size: int = 200) -> dict:
    """n young people with about `people_mean` people each (one in `big_every` has `big_size`),
    siblings sharing relatives, professionals shared across caseloads and ties among people,
    their names as spread as a real population's (synthetic_names). Made in documents of
    `batch` young people and written by the store's bulk load (`load_documents`);
    `load_seconds` is the time spent writing, not making them."""
    rng = random.Random(seed)
    today = date.today()
    with store.unit_of_work() as uow:
        owner = uow.users.by_email(coordinator_email)
    owner_id = owner["id"] if owner else None
    shared_pros = [_person(rng, "professional", role=rng.choice(codes.ROLES[:6]))
                   for _ in range(max(10, n // 20))]
    totals = {"young_people": 0, "people": 0, "connections": 0, "ties": 0,
              "load_seconds": 0.0}
    pending_pros: set[str] = set()
    making = [0.0]

    def documents():
        started = time.perf_counter()
        for document in _cohort_documents(rng, n, batch, today, owner_id, shared_pros,
                                          pending_pros, people_mean, big_every, big_size):
            totals["young_people"] += len(document["nodes"]["YoungPerson"])
            totals["people"] += len(document["nodes"]["Person"])
            totals["connections"] += len(document["relationships"]["CONNECTED"])
            totals["ties"] += len(document["relationships"]["KNOWS"])
            making[0] += time.perf_counter() - started
            yield document
            started = time.perf_counter()
        making[0] += time.perf_counter() - started

    started = time.perf_counter()
    store.load_documents(documents(), progress=progress)
    totals["load_seconds"] = time.perf_counter() - started - making[0]
    store.compact_log()
    return totals


def _cohort_documents(rng, n, batch, today, owner_id, shared_pros, pending_pros, people_mean,
                      big_every, big_size):
    for start in range(0, n, batch):
        doc_nodes = {"YoungPerson": [], "Person": []}
        rels = {"CONNECTED": [], "KNOWS": [], "IN_TEAM": []}
        siblings_relatives: list[dict] = []
        for i in range(start, min(n, start + batch)):
            yp_id = new_id()
            release = today + timedelta(days=rng.randint(-200, 400))
            doc_nodes["YoungPerson"].append({
                "id": yp_id, "name": full_name(rng),
                "care_leaver_status": rng.choice(codes.CARE_LEAVER_STATUSES[:4]),
                "local_authority": rng.choice(AUTHORITIES), "prison": rng.choice(PRISONS),
                "sentence_start": (release - timedelta(days=rng.randint(200, 900))).isoformat(),
                "release_date": release.isoformat(), "release_area": rng.choice(AREAS),
                "date_of_birth": (today - timedelta(days=rng.randint(18 * 365, 25 * 365))).isoformat(),
                "created_at": now_iso(), "updated_at": now_iso(), "version": 1})
            if owner_id:
                rels["IN_TEAM"].append({"a_label": "User", "a": owner_id, "b_label":
                                        "YoungPerson", "b": yp_id, "p": {"since": now_iso()}})
            size = big_size if big_every and i % big_every == big_every - 1 else \
                max(3, int(rng.gauss(people_mean, people_mean / 4)))
            people_ids = []
            # Every other young person shares a few relatives with the one before (siblings).
            if siblings_relatives and i % 2 == 1:
                for rel in siblings_relatives[:3]:
                    people_ids.append(rel["id"])
                    rels["CONNECTED"].append(_connection(rng, yp_id, rel, today))
            siblings_relatives = []
            for pro in rng.sample(shared_pros, 2):
                if pro["id"] not in pending_pros:
                    doc_nodes["Person"].append(pro)
                    pending_pros.add(pro["id"])
                people_ids.append(pro["id"])
                rels["CONNECTED"].append(_connection(rng, yp_id, pro, today))
            while len(people_ids) < size:
                person = _person(rng, rng.choice(codes.CATEGORIES))
                doc_nodes["Person"].append(person)
                people_ids.append(person["id"])
                rels["CONNECTED"].append(_connection(rng, yp_id, person, today))
                if person["category"] == "family":
                    siblings_relatives.append(person)
            for _ in range(len(people_ids) // 2):
                a, b = rng.sample(people_ids, 2)
                rels["KNOWS"].append({"a_label": "Person", "a": a, "b_label": "Person", "b": b,
                                      "p": {"id": new_id(), "young_person_id": yp_id,
                                            "created_at": now_iso()}})
        yield {"nodes": doc_nodes, "relationships": rels}


def _person(rng, category: str, role: str | None = None) -> dict:
    from .network import search_text

    person = {"id": new_id(), "name": full_name(rng),
              "category": category, "area": rng.choice(AREAS), "created_at": now_iso(),
              "updated_at": now_iso(), "version": 1}
    if category == "professional":
        person["role"] = role or rng.choice(codes.ROLES)
        person["organisation"] = rng.choice(PRISONS + AUTHORITIES)
    person["search_text"] = search_text(person)
    return person


def _connection(rng, yp_id: str, person: dict, today: date) -> dict:
    status = rng.choices(codes.CONNECTION_STATUSES[:9],  # not_found came later: same draws
                            weights=(60, 6, 4, 2, 2, 6, 2, 4, 2))[0]
    props = {"id": new_id(), "relationship": person["category"].replace("_", " "),
             "closeness": rng.randint(1, 5),
             "support": rng.sample(codes.SUPPORT, rng.randint(0, 3)),
             "support_ends_at_release": person["category"] == "professional" and rng.random() < .3,
             "contact_frequency": rng.choice(codes.CONTACT_FREQUENCIES),
             "last_contact": (today - timedelta(days=rng.randint(0, 400))).isoformat(),
             "known_since": (today - timedelta(days=rng.randint(100, 7000))).isoformat(),
             "status": status,
             "safeguarding": [rng.choice(codes.SAFEGUARDING_FLAGS)] if rng.random() < .04 else [],
             "consent_to_contact": rng.choice(codes.CONSENT),
             "created_at": now_iso(), "updated_at": now_iso(), "version": 1}
    return {"a_label": "YoungPerson", "a": yp_id, "b_label": "Person", "b": person["id"],
            "p": props}


def demo_summary() -> str:
    lines = ["Demo users (password: %s):" % DEMO_PASSWORD]
    lines += [f"  {email:28} {role}" for email, role in DEMO_USERS]
    lines.append(f"  {'riley@example.org':28} young_person (Riley's own view)")
    return "\n".join(lines)


__all__ = ["seed_demo", "generate_cohort", "is_empty", "demo_summary", "DEMO_PASSWORD",
           "SYSTEM"]
