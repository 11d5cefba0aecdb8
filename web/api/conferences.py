"""/api/v1 conferences: plan them, invite people from the network, record the outcome and the
actions it agrees, and export the calendar event and the record."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from netmap.schemas.conferences import (
    ActionCreateSchema,
    ActionPatchSchema,
    ActionSchema,
    ConferenceCreateSchema,
    ConferencePatchSchema,
    ConferenceSchema,
    InvitationCreateSchema,
    InvitationPatchSchema,
    InvitationSchema,
)
from netmap.schemas.overrides import ApprovalSchema
from netmap.services import conferences

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

# Named apart from the `conferences` pages' blueprint (blueprint names are unique in Flask).
blp = api_blueprint("conferences_api",
                    "Conferences: Family Group Conferences, Lifelong Links conferences, "
                    "integrated planning and assessment meetings and reviews")


@blp.route("/young-people/<young_person_id>/conferences")
class Conferences(MethodView):
    @blp.response(200, ConferenceSchema(many=True))
    def get(self, young_person_id):
        """This young person's conferences, soonest first, with invitations and actions."""
        return conferences.list_conferences(get_store(), current_actor(), young_person_id)

    @blp.arguments(ConferenceCreateSchema)
    @blp.response(201, ConferenceSchema)
    def post(self, data, young_person_id):
        """Plan a conference. The agenda defaults to the type's template; the coordinator
        defaults to you. A prison venue starts with approval_status `pending`. An
        integrated assessment meeting invites the young adult at once."""
        return conferences.create_conference(get_store(), current_actor(), young_person_id,
                                             data)


@blp.route("/conferences/<conference_id>")
class Conference(MethodView):
    @blp.response(200, ConferenceSchema)
    def get(self, conference_id):
        return conferences.get_conference(get_store(), current_actor(), conference_id)

    @blp.arguments(ConferencePatchSchema(partial=True))
    @blp.response(200, ConferenceSchema)
    def patch(self, data, conference_id):
        """Change the plan, or record the outcome (`young_person_words`, `decisions`,
        `status` held). Setting `review_date` creates or moves the linked
        `resettlement_review` conference (`review_conference_id`); a held conference then
        becomes `review_due`. 422 for `held` before the conference date."""
        return conferences.update_conference(get_store(), current_actor(), conference_id,
                                             data)


@blp.route("/conferences/<conference_id>/invitations")
class Invitations(MethodView):
    @blp.arguments(InvitationCreateSchema)
    @blp.response(201, InvitationSchema)
    def post(self, data, conference_id):
        """Invite someone from the network. A person whose connection is deceased, ended or
        declined is never invited (409 saying why). A person with any safeguarding flag, or
        whose consent_to_contact is not `yes`, needs `override_reason` (at least 20
        characters; 422 naming it otherwise): without it 409 naming the reasons; with it the
        invitation records `override` {by, at, reason}. A victim, no_contact or
        mappa_restriction flag: only a coordinator may ask (403 otherwise), and the
        invitation is created `awaiting_approval` (no letter, not in the calendar file, not
        counted as invited) until another manager or coordinator approves it. Soft reasons
        (risk_to_young_person, unsafe_address, consent not yes): a coordinator or
        practitioner. 422 for someone not in the network (or not a professional, for a
        planning meeting); 409 if already invited."""
        return conferences.invite(get_store(), current_actor(), conference_id, data)


@blp.route("/invitations/<invitation_id>")
class Invitation(MethodView):
    @blp.arguments(InvitationPatchSchema)
    @blp.response(200, InvitationSchema)
    def patch(self, data, invitation_id):
        """Track the invitation: invited -> preparation_visit_done -> accepted / declined ->
        attended (on or after the conference date), the invitee's `response` and the young
        adult's `wishes`."""
        return conferences.update_invitation(get_store(), current_actor(), invitation_id,
                                             data)


@blp.route("/invitations/<invitation_id>/approval")
class InvitationApproval(MethodView):
    @blp.arguments(ApprovalSchema)
    @blp.response(200, InvitationSchema)
    def post(self, data, invitation_id):
        """Decide an invitation waiting for approval: `decision` `approved` (it becomes
        `invited`) or `refused` (it becomes `refused` and is never sent), with a `reason`.
        Another manager or coordinator of the team: the person who asked gets 403, and so
        does any other role. 409 if it is not waiting for approval, or the person can no
        longer be invited (deceased, ended, declined)."""
        return conferences.decide_invitation(get_store(), current_actor(), invitation_id,
                                             data)


@blp.route("/conferences/<conference_id>/actions")
class Actions(MethodView):
    @blp.arguments(ActionCreateSchema)
    @blp.response(201, ActionSchema)
    def post(self, data, conference_id):
        """Record an action the conference agreed: owned by someone in the network
        (`owner_person_id`, never a person flagged as unsafe) or in the team (`owner_user`).
        409 before the conference has happened, or if it was cancelled. The action shows in
        the integrated resettlement plan under its pathway."""
        return conferences.add_action(get_store(), current_actor(), conference_id, data)


@blp.route("/actions/<action_id>")
class Action(MethodView):
    @blp.arguments(ActionPatchSchema(partial=True))
    @blp.response(200, ActionSchema)
    def patch(self, data, action_id):
        """Update an agreed action: its status, due date, owner or wording."""
        return conferences.update_action(get_store(), current_actor(), action_id, data)


@blp.route("/conferences/<conference_id>/calendar.ics")
class Calendar(MethodView):
    @blp.response(200, content_type="text/calendar",
                  description="An iCalendar file with one event (Europe/London time).")
    def get(self, conference_id):
        """The conference as a calendar event; invitees with an email address who agreed to
        be contacted are its attendees."""
        body = conferences.calendar_ics(get_store(), current_actor(), conference_id)
        return Response(body, mimetype="text/calendar", headers={
            "Content-Disposition": f'attachment; filename="conference-{conference_id}.ics"'})


@blp.route("/conferences/<conference_id>/record.pdf")
class RecordPdf(MethodView):
    @blp.response(200, content_type="application/pdf",
                  description="The conference record on A4.")
    def get(self, conference_id):
        """The conference record as a PDF: who came, the young adult's words, the
        decisions and the actions by pathway."""
        from ..conference_record import record_pdf

        data = conferences.record(get_store(), current_actor(), conference_id,
                                  action="conference.record_pdf")
        return Response(record_pdf(data), mimetype="application/pdf", headers={
            "Content-Disposition":
                f'inline; filename="conference-record-{conference_id}.pdf"'})
