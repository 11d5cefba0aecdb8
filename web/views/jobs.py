"""The progress page of a background job (web/jobs.py), and starting the subject access PDF
from the data rights page.

``jobs.show`` says how the job is getting on; static/js/jobs.js polls the job's JSON and reloads
the page when it finishes, and a "Check again" link does the same without JavaScript. Only
those who may produce the file see it (404 for anyone else, netmap.services.jobs).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required

from netmap.services import jobs

from ..auth import current_actor
from ..jobs import start_subject_access_pdf
from ..store import get_store

bp = Blueprint("jobs", __name__)

TITLES = {jobs.SUBJECT_ACCESS_PDF: "Subject access export (PDF)",
          jobs.DIRECTORY_IMPORT: "Contacts directory import"}
STATES = {"queued": "Waiting to start", "running": "Being made", "done": "Ready",
          "failed": "Failed"}


@bp.get("/jobs/<job_id>")
@login_required
def show(job_id):
    job = jobs.get(get_store(), current_actor(), job_id)
    title = TITLES.get(job["kind"], "Job")
    return render_template("jobs/show.html", job=job, title=title,
                           state_text=STATES.get(job["state"], job["state"]),
                           finished=job["state"] in ("done", "failed"),
                           page_title=f"{title}: {STATES.get(job['state'], '')}")


@bp.post("/young-people/<young_person_id>/data-rights/subject-access")
@login_required
def start_subject_access(young_person_id):
    """The data rights page's button: make the PDF in the background, then show its
    progress."""
    job = start_subject_access_pdf(current_actor(), young_person_id)
    return redirect(url_for("jobs.show", job_id=job["id"]), 303)
