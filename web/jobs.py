"""The job runner: long work (the subject access PDF, a large directory import) done in a
thread of the worker that was asked, outside the web request; its state and file are kept in
the database (netmap.services.jobs), so any worker answers the progress page.

NETMAP_JOBS_INLINE (tests of failure paths, the command line) runs the job before answering.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from netmap.services import data_rights, directory, jobs

from .store import get_store

# Two at a time a worker: the machine's cores are shared with the requests.
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="netmap-job")


def submit(job: dict, work) -> dict:
    """Run `work(progress)` for `job` (see netmap.services.jobs.run) in the background."""
    app = current_app._get_current_object()
    store = get_store()

    def run() -> None:
        # A request context of its own (templates' context processors ask who is signed in:
        # nobody, here); the work was given its actor when it was made.
        with app.test_request_context("/"):
            jobs.run(store, job["id"], work)

    if app.config.get("NETMAP_JOBS_INLINE"):
        run()
    else:
        _pool.submit(run)
    return job


def start_subject_access_pdf(actor, young_person_id: str) -> dict:
    """The young person's subject access PDF, made in the background."""
    store = get_store()
    job = jobs.start(store, actor, jobs.SUBJECT_ACCESS_PDF, young_person_id)

    def work(progress):
        from .subject_access import pdf

        progress(1, 3)
        document = data_rights.subject_access(store, actor, young_person_id, fmt="pdf")
        progress(2, 3)
        data = pdf(document)
        return (data, f"subject-access-{young_person_id}.pdf", "application/pdf",
                f"{len(document.get('audit') or [])} audit entries summarised")

    return submit(job, work)


def start_directory_import(actor, text: str) -> dict:
    """A directory CSV import (all or nothing), in the background; the job's summary says
    what was added and updated."""
    store = get_store()
    job = jobs.start(store, actor, jobs.DIRECTORY_IMPORT)

    def work(progress):
        progress(0, 1)
        counts = directory.import_csv(store, actor, text)
        return b"", None, None, (
            f"{counts['rows']} rows: {counts['organisations_created']} new and "
            f"{counts['organisations_updated']} changed organisations, "
            f"{counts['contacts_created']} new and {counts['contacts_updated']} changed "
            "contacts")

    return submit(job, work)
