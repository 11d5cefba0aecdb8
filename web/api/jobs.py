"""/api/v1/jobs/{id}: long jobs run outside the request (the subject access PDF, a large
directory import), and /api/v1/young-people/{id}/subject-access-jobs to start the PDF.

Starting a job answers 202 with the job and its `url` (poll it) and `page` (the progress page
for people); `state` is queued, running, done or failed. A done job's `download` gives the
file. Only those who may produce the file see the job (404 for anyone else).
"""

from __future__ import annotations

from flask import Response, url_for
from flask.views import MethodView
from marshmallow import fields

from netmap.schemas.access import OutSchema
from netmap.services import jobs

from ..auth import current_actor
from ..jobs import start_directory_import, start_subject_access_pdf
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("jobs_api", "Long jobs run in the background, with their progress")


class JobSchema(OutSchema):
    id = fields.String()
    kind = fields.String(metadata={"description": "subject_access_pdf or directory_import"})
    state = fields.String(metadata={"description": "queued, running, done or failed"})
    message = fields.String(allow_none=True, metadata={"description": "Why it failed, in "
                                                                       "plain words"})
    summary = fields.String(allow_none=True)
    done_steps = fields.Integer(allow_none=True)
    total_steps = fields.Integer(allow_none=True)
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
    url = fields.String()
    page = fields.String()
    download = fields.String(allow_none=True)


def job_out(job: dict) -> dict:
    out = {k: job.get(k) for k in ("id", "kind", "state", "message", "summary", "done_steps",
                                   "total_steps", "created_at", "finished_at")}
    out["url"] = url_for("jobs_api.Job", job_id=job["id"])
    out["page"] = url_for("jobs.show", job_id=job["id"])
    out["download"] = (url_for("jobs_api.JobFile", job_id=job["id"])
                       if job.get("state") == "done" and job.get("filename") else None)
    return out


def accepted(job: dict):
    body = job_out(job)
    return body, 202, {"Location": body["url"]}


@blp.route("/young-people/<young_person_id>/subject-access-jobs")
class SubjectAccessJobs(MethodView):
    @blp.response(202, JobSchema)
    def post(self, young_person_id):
        """Start making the subject access PDF in the background (it can take a while for a
        long record); poll the job's `url`, then fetch its `download`."""
        return accepted(start_subject_access_pdf(current_actor(), young_person_id))


@blp.route("/directory-import-jobs")
class DirectoryImportJobs(MethodView):
    @blp.response(202, JobSchema)
    def post(self):
        """Import organisations and contacts from CSV in the background (the body as for
        POST /organisations.csv): for a large file. The job's `summary` says what was added
        and changed; a file with problems fails with them in `message`, nothing imported."""
        from .directory import read_csv_upload

        return accepted(start_directory_import(current_actor(), read_csv_upload()))


@blp.route("/jobs/<job_id>")
class Job(MethodView):
    @blp.response(200, JobSchema)
    def get(self, job_id):
        """How the job is getting on."""
        return job_out(jobs.get(get_store(), current_actor(), job_id))


@blp.route("/jobs/<job_id>/file")
class JobFile(MethodView):
    @blp.response(200, description="The file the job made (404 until it is done).")
    def get(self, job_id):
        """The file a finished job made."""
        result = jobs.download(get_store(), current_actor(), job_id)
        return Response(result["data"], mimetype=result["mimetype"], headers={
            "Content-Disposition": f'attachment; filename="{result["filename"]}"'})
