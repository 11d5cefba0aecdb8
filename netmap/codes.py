"""The contract's codes: every enumerated value the API, forms, CLI and database agree on.

These spellings are public (outside clients and other teams rely on them): add to them, never
rename. Each tuple keeps the order the UI lists them in; LABELS gives the plain-words label.
"""

import re

CATEGORIES = (
    "family",
    "partner",
    "friend",
    "carer",
    "education",
    "community",
    "peer_mentor",
    "professional",
)
INFORMAL_CATEGORIES = tuple(c for c in CATEGORIES if c != "professional")

ROLES = (
    "personal_advisor",
    "prison_offender_manager",
    "probation_practitioner",
    "social_worker",
    "youth_justice_worker",
    "mental_health_worker",
    "substance_misuse_worker",
    "housing_officer",
    "employment_worker",
    "care_leavers_champion",
    "chaplain",
    "family_finding_coordinator",
    "other",
)

# The seven HMPPS resettlement pathways, in the order plans list them.
PATHWAYS = (
    "accommodation",
    "education_training_employment",
    "health",
    "drugs_alcohol",
    "finance_benefit_debt",
    "children_families",
    "attitudes_thinking_behaviour",
)
OTHER_SUPPORT = ("emotional", "practical", "advice", "visits", "release_day")
SUPPORT = PATHWAYS + OTHER_SUPPORT

CONTACT_FREQUENCIES = (
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "quarterly",
    "yearly",
    "less_often",
    "none",
)
# Frequencies that count as "in contact at least monthly".
AT_LEAST_MONTHLY = ("daily", "weekly", "fortnightly", "monthly")

CONNECTION_STATUSES = (
    "current",
    "lost",
    "searching",
    "found",
    "contacted",
    "reconnected",
    "declined",
    "ended",
    "deceased",
    "not_found",
)
# Statuses under which a connection is part of the live network.
ACTIVE_STATUSES = ("current", "reconnected")
# The Lifelong Links search: lost -> searching -> found -> contacted -> reconnected (or declined).
SEARCH_STATUSES = ("lost", "searching", "found", "contacted")
# How a search closes: back in touch, they said no, or not found (with what was tried).
SEARCH_OUTCOMES = ("reconnected", "declined", "not_found")
# The steps a search may take (netmap.services.searches.check_step has the whole rule):
# lost -> searching -> found -> contacted -> reconnected or declined; searching -> not_found;
# searching, found or contacted -> lost again only with a reason.
SEARCH_STEPS = {"lost": ("searching",), "searching": ("found", "not_found"),
                "found": ("contacted",), "contacted": ("reconnected", "declined")}
SEARCH_SOURCES = ("young_person", "case_file", "relative", "public_records", "professional", "other")

SAFEGUARDING_FLAGS = (
    "no_contact",
    "victim",
    "risk_to_young_person",
    "mappa_restriction",
    "unsafe_address",
)
# A person with any of these is never offered as support, anywhere in the service.
NEVER_SUPPORT_FLAGS = ("no_contact", "victim", "risk_to_young_person", "mappa_restriction")

CONSENT = ("yes", "no", "not_asked")

# How two people in a network get on (a tie): who to seat apart at a conference.
TIE_GETS_ON = ("well", "mixed", "badly")
TIE_GETS_ON_WORDS = {"well": "they get on well", "mixed": "they get on sometimes, not always",
                     "badly": "they do not get on"}

USER_ROLES = ("admin", "coordinator", "practitioner", "manager", "young_person")

CARE_LEAVER_STATUSES = (
    "eligible",
    "relevant",
    "former_relevant",
    "qualifying",
    "not_known",
)

LABELS = {
    # categories
    "family": "Family",
    "partner": "Partner",
    "friend": "Friend",
    "carer": "Carer (foster or residential)",
    "education": "School, college or training",
    "community": "Community, faith or sport",
    "peer_mentor": "Peer mentor",
    "professional": "Professional",
    # roles
    "personal_advisor": "Personal Advisor",
    "prison_offender_manager": "Prison Offender Manager",
    "probation_practitioner": "Probation Practitioner",
    "social_worker": "Social worker",
    "youth_justice_worker": "Youth justice worker",
    "mental_health_worker": "Mental health worker",
    "substance_misuse_worker": "Drug and alcohol worker",
    "housing_officer": "Housing officer",
    "employment_worker": "Work and training adviser",
    "care_leavers_champion": "Care Leavers Champion",
    "chaplain": "Chaplain",
    "family_finding_coordinator": "Family finding coordinator",
    "other": "Other",
    # support
    "accommodation": "Somewhere to live",
    "education_training_employment": "Education, training and work",
    "health": "Health",
    "drugs_alcohol": "Drugs and alcohol",
    "finance_benefit_debt": "Money, benefits and debt",
    "children_families": "Children and family",
    "attitudes_thinking_behaviour": "Attitudes, thinking and behaviour",
    "emotional": "Someone to talk to",
    "practical": "Practical help",
    "advice": "Advice",
    "visits": "Visits",
    "release_day": "On release day",
    # contact
    "daily": "Every day",
    "weekly": "Every week",
    "fortnightly": "Every two weeks",
    "monthly": "Every month",
    "quarterly": "Every few months",
    "yearly": "About once a year",
    "less_often": "Less than once a year",
    "none": "Not in contact",
    # statuses
    "current": "In touch",
    "lost": "Lost touch",
    "searching": "Searching",
    "found": "Found",
    "contacted": "Contacted",
    "reconnected": "Back in touch",
    "declined": "Declined",
    "not_found": "Not found",
    "ended": "Ended",
    "deceased": "Died",
    # safeguarding
    "no_contact": "No contact allowed",
    "victim": "Victim",
    "risk_to_young_person": "Risk to the young person",
    "mappa_restriction": "MAPPA restriction",
    "unsafe_address": "Unsafe address",
    # consent
    "yes": "Yes",
    "no": "No",
    "not_asked": "Not asked yet",
    # search sources
    "young_person": "The young person",
    "case_file": "Case file",
    "relative": "A relative",
    "public_records": "Public records",
    "professional": "Professional",
    # care leaver status
    "eligible": "Eligible",
    "relevant": "Relevant",
    "former_relevant": "Former relevant",
    "qualifying": "Qualifying",
    "not_known": "Not known",
}


def label(code: str | None) -> str:
    """The plain-words label for a code; unknown codes are shown as written."""
    if code is None:
        return ""
    return LABELS.get(code, code.replace("_", " ").capitalize())


# --- Tell it once (issue 8): the journey, the combined assessment, the contact directory ---

# The Always Hope journey, in the order it usually happens.
JOURNEY_STAGES = (
    "identified",
    "consent_to_contact_practitioners",
    "team_formed",
    "integrated_planning_meeting",
    "integrated_assessment_meeting",
    "plan_agreed",
    "handover",
    "release",
    "review_3_months",
    "review_6_months",
)
# How care-leaver status came to light (recorded with the `identified` stage).
IDENTIFICATION_HOW = ("self_disclosure", "pa_discovered", "prison_screening", "other")
ORGANISATION_KINDS = (
    "prison",
    "probation",
    "leaving_care",
    "family_finding",
    "housing",
    "health",
    "other",
)
# The combined assessment's sections; `needs` is keyed by PATHWAYS.
ASSESSMENT_SECTIONS = ("strengths", "hopes", "needs", "vulnerabilities", "risks", "history")
# Views of the one assessment for each statutory plan.
ASSESSMENT_VIEWS = ("pathway_plan", "sentence_plan")
# "health" and "other" already have labels above; an organisation's kind reads better as these.
ORGANISATION_KIND_LABELS = {
    "prison": "Prison",
    "probation": "Probation delivery unit",
    "leaving_care": "Leaving care team",
    "family_finding": "Family finding service",
    "housing": "Housing service",
    "health": "Health service",
    "other": "Other organisation",
}

LABELS.update({
    # journey stages
    "identified": "Identified as a care leaver",
    "consent_to_contact_practitioners": "Agreed the workers can talk to each other",
    "team_formed": "Team formed",
    "integrated_planning_meeting": "Planning meeting",
    "integrated_assessment_meeting": "Assessment meeting",
    "plan_agreed": "Plan agreed",
    "handover": "Handover to community probation",
    "release": "Release",
    "review_3_months": "Review 3 months after release",
    "review_6_months": "Review 6 months after release",
    # how identified
    "self_disclosure": "Told us themselves",
    "pa_discovered": "Found by the Personal Advisor",
    "prison_screening": "Prison screening",
    # organisation kinds (health and other keep their labels above)
    "prison": "Prison",
    "probation": "Probation delivery unit",
    "leaving_care": "Leaving care team",
    "family_finding": "Family finding service",
    "housing": "Housing service",
    # assessment sections and views
    "strengths": "Strengths and what they enjoy",
    "hopes": "Hopes and goals",
    "needs": "Needs",
    "vulnerabilities": "Vulnerabilities",
    "risks": "Risks",
    "history": "Care and custody history",
    "pathway_plan": "Pathway Plan",
    "sentence_plan": "Sentence plan",
})


# --- Outcomes after release (issue 9) ---
OUTCOME_CHECKPOINTS = ("release", "three_months", "six_months")
OUTCOME_ACCOMMODATION = ("settled", "temporary", "no_fixed_abode")
OUTCOME_ETE = ("employment", "education", "training", "none")
# Engagement with health and substance-misuse services.
OUTCOME_ENGAGEMENT = ("engaged", "not_engaged", "not_needed")

LABELS.update({
    "three_months": "3 months after release",
    "six_months": "6 months after release",
    "settled": "Settled home",
    "temporary": "Temporary home",
    "no_fixed_abode": "No fixed address",
    "employment": "In work",
    "training": "In training",
    "engaged": "Getting help",
    "not_engaged": "Not getting help",
    "not_needed": "Not needed",
})


# --- Conferences (issue 7): Family Group Conferences, Lifelong Links conferences, meetings ---
CONFERENCE_TYPES = (
    "family_group_conference",
    "lifelong_links_conference",
    "integrated_planning_meeting",   # professionals only
    "integrated_assessment_meeting",  # with the young adult
    "resettlement_review",
)
# Types whose invitees must all be professionals.
PROFESSIONALS_ONLY_TYPES = ("integrated_planning_meeting",)
CONFERENCE_STATUSES = ("planning", "invitations_sent", "held", "cancelled", "review_due")
# Statuses meaning the conference has happened.
CONFERENCE_HELD_STATUSES = ("held", "review_due")
VENUE_KINDS = ("prison", "community")
# A prison venue needs the visit approved by the prison.
VENUE_APPROVAL_STATUSES = ("pending", "approved", "refused")
# invited -> preparation_visit_done -> accepted / declined -> attended
INVITATION_TRACKING_STATUSES = ("invited", "preparation_visit_done", "accepted", "declined",
                                "attended")
# Before those (issue 16): inviting someone with a hard safeguarding flag waits for a second
# person (awaiting_approval); approved, it becomes invited; refused, it stays `refused`, kept
# for the record. Neither is sent: no letter, not in the calendar file, not counted as invited.
INVITATION_NOT_SENT_STATUSES = ("awaiting_approval", "refused")
INVITATION_STATUSES = INVITATION_TRACKING_STATUSES + INVITATION_NOT_SENT_STATUSES
# A second person's decision on a hard-flag override.
APPROVAL_DECISIONS = ("approved", "refused")
# What an override is about, and where it stands (soft reasons need no second person).
OVERRIDE_KINDS = ("invitation", "plan_owner", "release_support")
OVERRIDE_STATUSES = ("awaiting_approval", "approved", "refused", "no_approval_needed")
# "approved" and "refused" read "... by the prison" (a venue): decisions read better as these.
DECISION_LABELS = {"awaiting_approval": "Waiting for approval", "approved": "Approved",
                   "refused": "Refused", "no_approval_needed": "No second approval needed"}
INVITATION_STATUS_LABELS = {"awaiting_approval": "Waiting for approval",
                            "refused": "Not invited (approval refused)"}
OVERRIDE_KIND_LABELS = {"invitation": "Invited to a conference",
                        "plan_owner": "Responsible for part of the plan",
                        "release_support": "Offered as support on release"}
# The same statuses as an entry of the integrated resettlement plan.
ACTION_STATUSES = ("not_started", "in_progress", "done", "fallen_through")
# "community" already reads "Community, faith or sport" (a category): venues read better as these.
VENUE_KIND_LABELS = {"prison": "In a prison", "community": "In the community"}

LABELS.update({
    # conference types ("integrated_planning_meeting" and "integrated_assessment_meeting"
    # keep their journey labels above)
    "family_group_conference": "Family Group Conference",
    "lifelong_links_conference": "Lifelong Links conference",
    "resettlement_review": "Review meeting",
    # conference statuses
    "planning": "Being planned",
    "invitations_sent": "Invitations sent",
    "held": "Held",
    "cancelled": "Cancelled",
    "review_due": "Review due",
    # prison visit approval
    "pending": "Waiting for the prison to approve",
    "approved": "Approved by the prison",
    "refused": "Refused by the prison",
    # invitation statuses ("declined" keeps its label above)
    "invited": "Invited",
    "preparation_visit_done": "Preparation visit done",
    "accepted": "Coming",
    "attended": "Came",
    "awaiting_approval": "Waiting for approval",
    # action statuses
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "fallen_through": "Fallen through",
})


# --- Measures over time and the integrated plan (issue 5) ---
# When a snapshot of the network-strength measures was taken.
SNAPSHOT_LABELS = ("sentence_start", "pre_release", "release", "three_months", "six_months",
                   "on_demand")
# Warnings on a pathway of the integrated resettlement plan.
PLAN_FLAGS = ("gap_without_contingency", "single_point_of_failure_without_contingency",
              "no_owner", "overdue")
# Why someone who offers support is not offered on release (besides the safeguarding flags and
# `status_<status>`). Only staff who may see safeguarding are told any of them.
RELEASE_EXCLUSION_REASONS = ("no_consent", "ends_at_release", "outside_release_area")

LABELS.update({
    # snapshot labels ("release", "three_months" and "six_months" keep their labels above)
    "sentence_start": "Start of sentence",
    "pre_release": "Before release",
    "on_demand": "Taken on request",
    # plan flags
    "gap_without_contingency": "Nobody can help with this and there is no back-up plan",
    "single_point_of_failure_without_contingency":
        "Only one person can help with this and there is no back-up plan",
    "no_owner": "Nobody is named as responsible",
    "overdue": "Overdue",
    # release exclusion reasons
    "no_consent": "They said no to being contacted",
    "ends_at_release": "Their help stops at release",
    "outside_release_area": "They live outside the release area",
})


# --- Who may see what (issue 6): consent to share, suggestions from the young adult ---
# Agencies the young adult agrees (or not) to share their record with. A user may belong to
# one (User.agency); while the young adult's consent for that agency is withdrawn, that
# agency's users have no access to the record.
AGENCIES = ("prison", "probation", "local_authority", "family_finding")
# What the young adult can suggest about their own map (the team reviews each suggestion).
SUGGESTION_KINDS = ("add_person", "remove_person", "change", "other")
SUGGESTION_STATUSES = ("pending", "accepted", "declined")
# "pending", "accepted", "declined" and "other" keep their labels above; a suggestion's status
# reads better as these.
SUGGESTION_STATUS_LABELS = {"pending": "Waiting for your team to look at it",
                            "accepted": "Done", "declined": "Not done"}
AGENCY_LABELS = {
    "prison": "The prison",
    "probation": "Probation",
    "local_authority": "The local authority (leaving care team)",
    "family_finding": "The family finding service",
}

LABELS.update({
    # agencies ("prison", "probation" and "family_finding" keep their labels above)
    "local_authority": "Local authority (leaving care team)",
    # suggestion kinds
    "add_person": "Add someone",
    "remove_person": "Take someone off",
    "change": "Change something",
})

LABELS.update({
    # the cohort's outcome rates after release (issue 19 item 4: words, not codes)
    "settled_accommodation": "Settled home",
    "in_education_training_employment": "In education, training or work",
    "in_contact_with_network": "In touch with their network",
    "recalled": "Recalled to prison",
    "reconvicted": "Convicted again",
})


def labels(codes_: list | tuple | None, sep: str = ", ") -> str:
    """Several codes in words: ["victim", "no_contact"] -> "Victim, No contact allowed"."""
    return sep.join(label(c) for c in codes_ or [])


_CODE_IN_TEXT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def in_words(text: str | None) -> str:
    """Each known code in a line of text in words: "stage team_formed" -> "stage Team formed"
    (the audit page's details). Unknown words stay as written."""
    return _CODE_IN_TEXT.sub(lambda m: LABELS.get(m.group(0), m.group(0)), text or "")


# --- The guided mapping conversation (issue 18 item 1) ---
# Its support questions: one per pathway, then someone to call when things go wrong.
CONVERSATION_SUPPORT = PATHWAYS + ("emotional",)
# Its steps, in order, as its progress stores them ("done" once the review is confirmed).
CONVERSATION_STEPS = (("people", "lost") + tuple(f"support:{c}" for c in CONVERSATION_SUPPORT)
                      + ("rings", "ties", "review"))
CONVERSATION_DONE = "done"
