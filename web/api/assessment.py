"""/api/v1/young-people/{id}/assessment: the one combined assessment and its versions."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.assessment import (
    AssessmentQuerySchema,
    AssessmentSchema,
    AssessmentUpdateSchema,
    AssessmentVersionSchema,
    SectionCompareSchema,
    SectionVersionSchema,
)
from netmap.services import assessment

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("assessment_api",
                    "The one combined assessment, its versions and its views for each plan")


@blp.route("/young-people/<young_person_id>/assessment")
class Assessment(MethodView):
    @blp.arguments(AssessmentQuerySchema, location="query")
    @blp.response(200, AssessmentSchema)
    def get(self, query, young_person_id):
        """The assessment (the latest version, or `version`). Sections the reader may not
        see are left out: `risks` unless your role sees safeguarding; `risks` and
        `vulnerabilities` for the young person themself.

        `view=pathway_plan`: strengths, hopes, needs (accommodation, education/training/work,
        health, money, family), history. `view=sentence_plan`: strengths, hopes, needs
        (accommodation, education/training/work, money, drugs and alcohol, family, attitudes
        thinking and behaviour), vulnerabilities, risks, history."""
        return assessment.get_assessment(get_store(), current_actor(), young_person_id,
                                         view=query.get("view"), version=query.get("version"))

    @blp.arguments(AssessmentUpdateSchema)
    @blp.response(200, AssessmentSchema)
    def put(self, data, young_person_id):
        """Replace the sections given (the others stay); every change is a new version.
        `needs` is keyed by pathway code. Send `version` to be refused (409) if someone saved
        since. A role that may not see `risks` cannot send it (422)."""
        return assessment.update_assessment(get_store(), current_actor(), young_person_id,
                                            data)


@blp.route("/young-people/<young_person_id>/assessment/versions")
class AssessmentVersions(MethodView):
    @blp.response(200, AssessmentVersionSchema(many=True))
    def get(self, young_person_id):
        """Every version, newest first: who saved it, when, and which sections changed."""
        return assessment.list_versions(get_store(), current_actor(), young_person_id)


@blp.route("/young-people/<young_person_id>/assessment/sections/<section>/versions")
class SectionVersions(MethodView):
    @blp.response(200, SectionVersionSchema(many=True))
    def get(self, young_person_id, section):
        """Every version in which this section changed, newest first (`current`: the one in
        force now). A section your role may not see is a 404, like one that does not
        exist."""
        return assessment.section_versions(get_store(), current_actor(), young_person_id,
                                           section)


@blp.route("/young-people/<young_person_id>/assessment/sections/<section>/versions/<int:number>")
class SectionVersion(MethodView):
    @blp.response(200, SectionCompareSchema)
    def get(self, young_person_id, section, number):
        """The section as it was in version `number`, as it is now, and the difference word
        by word (`difference`: equal, delete, insert pieces in reading order)."""
        return assessment.section_version(get_store(), current_actor(), young_person_id,
                                          section, number)
