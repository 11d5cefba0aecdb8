"""Long jobs run outside the web request (the subject access PDF, a large directory import):
their state is kept in the database (graph/queries/jobs.py), so any worker can answer the
progress page, and the file they make is stored with it.

- `start` makes a queued job for an actor who may do the work now (the same rule as doing it
  at once: netmap.policy through `actor.can`), audited.
- `run` (called by the web layer's runner, web/jobs.py, in a thread) marks it running, does the
  work and stores the file and "done" in one statement; anything that goes wrong marks it
  failed with a plain message, and never once the file is stored. A client is never told a
  job failed when it succeeded.
- A job and its file are kept for a day (KEEP_FOR), then deleted when the next one starts.
- `get` and `download`: only for those who may produce the file (for a subject access PDF,
  the young person's coordinator or an admin, checked again each time; for an import, who may
  edit the directory). Anyone else gets 404, as for the record itself.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime, timedelta, timezone

from ..model import new_id, now_iso
from . import audit
from .access import visible_young_person
from .actor import Actor
from .errors import Forbidden, InvalidInput, NotFound

log = logging.getLogger(__name__)

SUBJECT_ACCESS_PDF = "subject_access_pdf"
DIRECTORY_IMPORT = "directory_import"
KINDS = (SUBJECT_ACCESS_PDF, DIRECTORY_IMPORT)
# A job still queued or running after this long was lost with its worker (a restart).
STALE_AFTER = timedelta(minutes=15)
# A finished job's file is kept this long (the PDF holds personal data), then deleted.
KEEP_FOR = timedelta(days=1)
FAILED_PLAINLY = ("Something went wrong while making it, and nothing was kept. Try again; if "
                  "it happens again, tell whoever runs netmap.")
LOST = "It stopped before it finished (netmap was restarted). Nothing was kept: try again."


def _check(uow, actor: Actor, kind: str, about_id: str | None) -> None:
    """Raise NotFound/Forbidden unless `actor` may do this job's work now."""
    if actor.is_system:
        return
    if kind == SUBJECT_ACCESS_PDF:
        if actor.can.subject_access_any:
            if uow.young_people.get(about_id) is None:
                raise NotFound("No young person with that id.")
            return
        visible_young_person(uow, actor, about_id)
        if not actor.can.subject_access_in_team:
            raise Forbidden("Ask the young person's coordinator for a subject access export.")
        return
    if kind == DIRECTORY_IMPORT:
        if not actor.can.edit_directory:
            raise Forbidden("Only the people who keep the contacts directory can change it.")
        return
    raise NotFound("No such job.")


def start(store, actor: Actor, kind: str, about_id: str | None = None) -> dict:
    """A new queued job, for an actor allowed to do the work."""
    if kind not in KINDS:
        raise InvalidInput("Unknown kind of job.", {"kind": ["Unknown kind of job."]})
    job = {"id": new_id(), "kind": kind, "state": "queued", "about_id": about_id,
           "owner_id": actor.id, "created_at": now_iso()}
    with store.unit_of_work() as uow:
        _check(uow, actor, kind, about_id)
        uow.jobs.create(job)
        uow.jobs.forget_made_before((datetime.now(timezone.utc) - KEEP_FOR).strftime(
            "%Y-%m-%dT%H:%M:%S"))
        audit.record(uow, actor, "job.start", about_id if kind == SUBJECT_ACCESS_PDF else None,
                     kind)
    return job


def _stale(job: dict) -> bool:
    if job["state"] not in ("queued", "running"):
        return False
    try:
        made = datetime.fromisoformat(job["created_at"].replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return False
    return datetime.now(timezone.utc) - made > STALE_AFTER


def get(store, actor: Actor, job_id: str) -> dict:
    """The job's state for someone who may produce its file: {id, kind, state (queued,
    running, done, failed), message, done_steps, total_steps, summary, …}."""
    with store.unit_of_work() as uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFound("No such job.")
        try:
            _check(uow, actor, job["kind"], job.get("about_id"))
        except (Forbidden, NotFound):
            # The same answer as for a job that does not exist: nobody outside may learn
            # that one is being made about a young person.
            raise NotFound("No such job.") from None
        if _stale(job):
            uow.jobs.fail(job_id, LOST, now_iso())
            job = uow.jobs.get(job_id)
    return job


def download(store, actor: Actor, job_id: str) -> dict:
    """{data (bytes), filename, mimetype} of a finished job, audited; NotFound while it is not
    done."""
    job = get(store, actor, job_id)
    with store.unit_of_work() as uow:
        result = uow.jobs.result(job_id) if job["state"] == "done" else None
        if result is None:
            raise NotFound("The file is not ready.")
        audit.record(uow, actor, "job.download",
                     job.get("about_id") if job["kind"] == SUBJECT_ACCESS_PDF else None,
                     job["kind"])
    return {"data": base64.b64decode(result["result"] or ""), "filename": result["filename"],
            "mimetype": result["mimetype"]}


def run(store, job_id: str, work) -> None:
    """Do the work: `work(progress)` returns (data bytes, filename, mimetype, summary);
    `progress(done, total)` records how far it has got. The state is "done" only once the
    file is stored (one statement); a failure is recorded only when nothing was stored."""
    with store.unit_of_work() as uow:
        uow.jobs.start(job_id, now_iso())

    def progress(done: int, total: int) -> None:
        with store.unit_of_work() as u:
            u.jobs.progress(job_id, done, total)

    try:
        data, filename, mimetype, summary = work(progress)
    except InvalidInput as e:
        message = str(e) or FAILED_PLAINLY
        details = [m for ms in (e.errors or {}).values() for m in
                   (ms if isinstance(ms, list) else [ms])] if getattr(e, "errors", None) else []
        if details:
            message = f"{message} " + " ".join(str(d) for d in details[:10])
        _fail(store, job_id, message)
        return
    except Exception:  # noqa: BLE001 - any failure is the job's, in plain words
        log.exception("job %s failed", job_id)
        _fail(store, job_id, FAILED_PLAINLY)
        return
    encoded = base64.b64encode(data or b"").decode()
    with store.unit_of_work() as uow:
        uow.jobs.finish(job_id, encoded, filename, mimetype, summary, now_iso())


def _fail(store, job_id: str, message: str) -> None:
    with store.unit_of_work() as uow:
        uow.jobs.fail(job_id, message[:2000], now_iso())
