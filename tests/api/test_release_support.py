"""Who can support on release: GET /api/v1/young-people/{id}/release-support?pathway=CODE and
the page that shows every pathway in plain words. A person with a no_contact, victim,
risk_to_young_person or mappa_restriction flag is never offered as support."""

from __future__ import annotations

import re

import pytest

from netmap.model import now_iso
from tests.pages import sign_in

NEVER = ("no_contact", "victim", "risk_to_young_person", "mappa_restriction")


def join_team(store, user, young_person_id):
    with store.unit_of_work() as uow:
        uow.team.add(user.id, young_person_id, now_iso(), None)


def text(html: str) -> str:
    """What a reader sees: the page without tags, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")


def url(yp, pathway="accommodation"):
    return f"/api/v1/young-people/{yp}/release-support?pathway={pathway}"


@pytest.fixture
def housing(young_person, add_person):
    """Five people who offer somewhere to live; the young person goes to Northbridge."""
    yp = young_person["id"]
    people = {
        "aunt": add_person(yp, "Rosalind Vayne", relationship="aunt", closeness=4,
                           support=["accommodation"], consent_to_contact="yes",
                           phone="07700 900101", area="Northbridge",
                           contact_frequency="monthly"),
        "gran": add_person(yp, "Hester Vayne", relationship="grandmother", closeness=4,
                           support=["accommodation"], consent_to_contact="not_asked",
                           phone="07700 900102", contact_frequency="weekly"),
        "friend": add_person(yp, "Caspian Lowe", "friend", relationship="friend", closeness=5,
                             support=["accommodation"], consent_to_contact="yes",
                             email="caspian@example.org"),
        "mother": add_person(yp, "Delphine Vayne", relationship="mother", closeness=3,
                             support=["accommodation"], safeguarding=["victim"],
                             consent_to_contact="yes", phone="07700 900103"),
        "uncle": add_person(yp, "Garrick Vayne", relationship="uncle", closeness=2,
                            support=["accommodation"], area="Southam", status="lost",
                            consent_to_contact="no"),
        "pom": add_person(yp, "Imelda Stroud", "professional", role="prison_offender_manager",
                          relationship="Prison Offender Manager", closeness=3,
                          support=["accommodation"], support_ends_at_release=True),
    }
    return {k: v["person_id"] for k, v in people.items()}


def test_supporters_are_ordered_by_closeness_then_contact_with_details_only_by_consent(
        coordinator, young_person, housing):
    r = coordinator.get(url(young_person["id"]))

    assert r.status_code == 200, r.json
    body = r.json
    assert set(body) == {"pathway", "supporters", "excluded"}
    assert body["pathway"] == "accommodation"
    supporters = body["supporters"]
    assert [s["person_id"] for s in supporters] == [housing["friend"], housing["gran"],
                                                   housing["aunt"]]
    by_id = {s["person_id"]: s for s in supporters}
    assert by_id[housing["aunt"]]["phone"] == "07700 900101"
    assert by_id[housing["aunt"]]["name"] == "Rosalind Vayne"
    assert by_id[housing["aunt"]]["relationship"] == "aunt"
    assert by_id[housing["friend"]]["email"] == "caspian@example.org"
    # Consent not asked yet: no contact details.
    assert by_id[housing["gran"]]["phone"] is None


def test_everyone_else_who_offers_it_is_excluded_with_every_reason(
        coordinator, young_person, housing):
    excluded = {e["person_id"]: e["reasons"]
                for e in coordinator.get(url(young_person["id"])).json["excluded"]}

    assert excluded[housing["mother"]] == ["victim"]
    assert excluded[housing["uncle"]] == ["no_consent", "status_lost", "outside_release_area"]
    assert excluded[housing["pom"]] == ["ends_at_release"]
    assert set(excluded) == {housing["mother"], housing["uncle"], housing["pom"]}


@pytest.mark.parametrize("flag", NEVER)
def test_a_person_with_a_never_support_flag_is_never_offered(
        coordinator, young_person, add_person, flag):
    yp = young_person["id"]
    flagged = add_person(yp, "Ambrose Kell", relationship="stepfather", closeness=5,
                         support=["accommodation", "emotional"], safeguarding=[flag],
                         consent_to_contact="yes")["person_id"]

    body = coordinator.get(url(yp)).json
    assert flagged not in [s["person_id"] for s in body["supporters"]]
    assert [e["reasons"] for e in body["excluded"] if e["person_id"] == flagged] == [[flag]]
    measures = coordinator.get(f"/api/v1/young-people/{yp}/measures").json
    assert flagged not in sum(measures["coverage"].values(), [])
    assert measures["one_important_person"] is False


def test_roles_that_cannot_see_safeguarding_are_only_told_who_can_help(
        store, coordinator, young_person, housing, make_user):
    """Nothing to infer (issue 16): a manager (by default) and the young person get the
    supporters only. No `excluded` list, so no reason and no count of who is left out: the
    young adult cannot read that his mother is flagged as his victim."""
    yp = young_person["id"]
    manager = make_user("manager")
    join_team(store, manager, yp)
    themself = make_user("young_person", young_person_id=yp)
    staff = coordinator.get(url(yp)).json

    for who in (manager, themself):
        r = who.get(url(yp))
        assert r.status_code == 200
        body = r.json
        assert set(body) == {"pathway", "supporters"}
        assert body["supporters"] == staff["supporters"]
        text = r.get_data(as_text=True)
        assert housing["mother"] not in text and "Delphine" not in text
        for word in ("victim", "restricted", "excluded", "reasons"):
            assert word not in text


def test_an_unknown_or_missing_pathway_is_refused_naming_pathway(coordinator, young_person):
    yp = young_person["id"]
    for query in ("?pathway=somewhere", ""):
        r = coordinator.get(f"/api/v1/young-people/{yp}/release-support{query}")
        assert r.status_code == 422
        assert "pathway" in r.json["errors"]
        assert r.json["message"].startswith("pathway")


def test_release_support_is_not_found_outside_the_team_and_is_audited(
        store, coordinator, young_person, housing, make_user):
    yp = young_person["id"]
    assert make_user("practitioner").get(url(yp)).status_code == 404

    coordinator.get(url(yp, "health"))
    with store.unit_of_work() as uow:
        details = [e["detail"] for e in uow.audit.for_young_person(yp)
                   if e["action"] == "release_support.read"]
    assert details == ["health"]


def test_the_page_shows_every_pathway_in_plain_words(client, coordinator, young_person,
                                                     housing):
    sign_in(client, coordinator)
    r = client.get(f"/young-people/{young_person['id']}/release-support")

    assert r.status_code == 200
    html = r.get_data(as_text=True)
    words = text(html)
    assert ("Somewhere to live: Caspian Lowe (friend) - email caspian@example.org; "
            "Hester Vayne (grandmother); Rosalind Vayne (aunt) - phone 07700 900101") in words
    assert "Rosalind Vayne (aunt) - phone 07700 900101" in html
    assert "Health: Nobody yet" in words
    for pathway in ("Education, training and work", "Health", "Drugs and alcohol",
                    "Money, benefits and debt", "Children and family",
                    "Attitudes, thinking and behaviour"):
        assert pathway in html
    # Why others are not offered, in plain words.
    assert "Delphine Vayne (mother): Safety flag: victim" in words
    assert ("Garrick Vayne (uncle): They said no to being contacted; Not in touch now "
            "(lost touch); They live outside the release area (Northbridge)") in words
    assert "Imelda Stroud (Prison Offender Manager): Their help stops at release" in words
    assert 'style="' not in html
    # The flagged mother's phone number appears nowhere.
    assert "07700 900103" not in html


def test_the_page_hides_the_flag_from_the_young_person(client, young_person, housing,
                                                       make_user):
    themself = make_user("young_person", young_person_id=young_person["id"])
    sign_in(client, themself)
    html = client.get(f"/young-people/{young_person['id']}/release-support").get_data(
        as_text=True)
    words = text(html)
    # Who can help, and nothing about who cannot: not even that someone is left out.
    assert "Somewhere to live: Caspian Lowe (friend)" in words
    assert "Not offered" not in words and "Cannot be offered" not in words
    for name in ("Delphine", "Garrick", "Imelda"):
        assert name not in words
    assert "victim" not in html.lower() and "safety" not in html.lower()
