"""Long jobs outside the request (issue 19, item 6): the subject access PDF made in the
background, its progress page, its file; a failing job says so plainly; a job is never shown
failed once its file is stored; only those who may produce the file see the job."""

from __future__ import annotations

import time

import pytest

from netmap.services import jobs, users
from netmap.services.errors import NotFound

from tests.pages import TOKEN, sign_in


def wait_for(user, url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = user.get(url).json
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"the job did not finish: {job}")


def test_the_subject_access_pdf_is_made_in_the_background(app, coordinator, young_person):
    yp = young_person["id"]
    r = coordinator.post(f"/api/v1/young-people/{yp}/subject-access-jobs")
    assert r.status_code == 202, r.json
    assert r.headers["Location"] == r.json["url"] and r.json["state"] in ("queued", "running",
                                                                          "done")
    job = wait_for(coordinator, r.json["url"])
    assert job["state"] == "done" and job["download"]
    pdf = coordinator.get(job["download"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    # The progress page, as the coordinator sees it in a browser.
    web = sign_in(app, coordinator)
    page = web.get(job["page"]).get_data(as_text=True)
    assert "Ready" in page and "Download subject-access-" in page
    assert "Check again" not in page
    assert 'src="/static/js/jobs.js"' in page


def test_the_data_rights_button_starts_the_job_and_shows_its_progress(app, coordinator,
                                                                      young_person):
    web = sign_in(app, coordinator)
    page = web.get(f"/young-people/{young_person['id']}/data-rights").get_data(as_text=True)
    assert "Make the PDF in the background" in page
    r = web.post(f"/young-people/{young_person['id']}/data-rights/subject-access",
                 data={"csrf_token": TOKEN.search(page).group(1)})
    assert r.status_code == 303 and "/jobs/" in r.headers["Location"]
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    wait_for(coordinator, f"/api/v1/jobs/{job_id}")
    assert "Ready" in web.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_a_waiting_job_has_a_refresh_link(app, store, coordinator, young_person):
    actor = users.actor_for(coordinator.record)
    job = jobs.start(store, actor, jobs.SUBJECT_ACCESS_PDF, young_person["id"])
    page = sign_in(app, coordinator).get(f"/jobs/{job['id']}").get_data(as_text=True)
    assert "Waiting to start" in page and f'href="/jobs/{job["id"]}"' in page
    assert "Check again" in page


def test_a_failing_job_shows_failed_with_a_plain_message(app, store, coordinator,
                                                         young_person):
    from web.jobs import submit

    actor = users.actor_for(coordinator.record)

    def broken(progress):
        raise RuntimeError("weasyprint exploded: Traceback …")

    with app.app_context():
        job = jobs.start(store, actor, jobs.SUBJECT_ACCESS_PDF, young_person["id"])
        submit(job, broken)
    state = wait_for(coordinator, f"/api/v1/jobs/{job['id']}")
    assert state["state"] == "failed" and state["download"] is None
    assert "Try again" in state["message"] and "Traceback" not in state["message"]
    page = sign_in(app, coordinator).get(f"/jobs/{job['id']}").get_data(as_text=True)
    assert "Failed" in page and "It did not work" in page and "Traceback" not in page
    assert coordinator.get(f"/api/v1/jobs/{job['id']}/file").status_code == 404


def test_a_job_is_never_failed_once_its_file_is_stored(store, coordinator, young_person):
    actor = users.actor_for(coordinator.record)
    job = jobs.start(store, actor, jobs.SUBJECT_ACCESS_PDF, young_person["id"])
    jobs.run(store, job["id"], lambda progress: (b"%PDF-1.7 made", "x.pdf",
                                                 "application/pdf", None))
    with store.unit_of_work() as uow:
        uow.jobs.fail(job["id"], "a late failure", "2026-12-04T22:00:00Z")
    state = jobs.get(store, actor, job["id"])
    assert state["state"] == "done" and not state.get("message")
    assert jobs.download(store, actor, job["id"])["data"] == b"%PDF-1.7 made"


def test_only_those_who_may_produce_the_file_see_the_job(coordinator, young_person,
                                                         make_user):
    yp = young_person["id"]
    pa = make_user("practitioner")
    assert coordinator.post(f"/api/v1/young-people/{yp}/team",
                            json={"email": pa.email}).status_code in (200, 201)
    me = make_user("young_person", young_person_id=yp)
    stranger = make_user("coordinator")
    assert pa.post(f"/api/v1/young-people/{yp}/subject-access-jobs").status_code == 403
    assert stranger.post(f"/api/v1/young-people/{yp}/subject-access-jobs").status_code == 404
    job = wait_for(coordinator, coordinator.post(
        f"/api/v1/young-people/{yp}/subject-access-jobs").json["url"])
    for someone in (pa, me, stranger):
        assert someone.get(job["url"]).status_code == 404
        assert someone.get(job["download"]).status_code == 404
    admin = make_user("admin")
    assert admin.get(job["url"]).status_code == 200
    assert admin.get(job["download"]).status_code == 200


BIG_CSV = "organisation,kind,area,contact_name,contact_role\n" + "".join(
    f"Leaving Care Team {n},leaving_care,Area {n},Champion {n},Personal Advisor\n"
    for n in range(260))


def test_a_large_directory_import_runs_in_the_background(app, make_user, young_person):
    admin = make_user("admin")
    r = admin.client.post("/api/v1/directory-import-jobs", data=BIG_CSV,
                          content_type="text/csv", headers=admin.headers)
    assert r.status_code == 202, r.json
    job = wait_for(admin, r.json["url"], seconds=180)
    assert job["state"] == "done", job
    assert job["summary"].startswith("260 rows: 260 new")
    assert admin.get("/api/v1/directory?q=Leaving Care Team 259").status_code == 200
    bad = BIG_CSV + "Nowhere,not_a_kind,Area,,\n"
    r = admin.client.post("/api/v1/directory-import-jobs", data=bad, content_type="text/csv",
                          headers=admin.headers)
    job = wait_for(admin, r.json["url"], seconds=180)
    assert job["state"] == "failed" and "row 262" in job["message"]
    page = sign_in(app, admin).get(job["page"]).get_data(as_text=True)
    assert "Contacts directory import" in page and "row 262" in page
    # Someone who may not change the directory cannot start one, nor see one.
    me = make_user("young_person", young_person_id=young_person["id"])
    assert me.client.post("/api/v1/directory-import-jobs", data=BIG_CSV,
                          content_type="text/csv", headers=me.headers).status_code == 403
    assert me.get(r.json["url"]).status_code == 404


def test_the_import_page_sends_a_large_file_to_the_progress_page(app, make_user):
    import io

    admin = make_user("admin")
    web = sign_in(app, admin)
    page = web.get("/directory/import").get_data(as_text=True)
    r = web.post("/directory/import", data={
        "csrf_token": TOKEN.search(page).group(1),
        "file": (io.BytesIO(BIG_CSV.encode()), "directory.csv")},
        content_type="multipart/form-data")
    assert r.status_code == 303 and "/jobs/" in r.headers["Location"]
    job_id = r.headers["Location"].rsplit("/", 1)[1]
    job = wait_for(admin, f"/api/v1/jobs/{job_id}", seconds=180)
    assert job["state"] == "done"
    html = web.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Contacts directory import" in html and "260 rows: 260 new" in html


def test_a_job_and_its_file_are_kept_for_a_day(store, coordinator, young_person):
    actor = users.actor_for(coordinator.record)
    old = jobs.start(store, actor, jobs.SUBJECT_ACCESS_PDF, young_person["id"])
    jobs.run(store, old["id"], lambda progress: (b"%PDF old", "x.pdf", "application/pdf", None))
    store.write("MATCH (j:Job {id: $id}) SET j.created_at = '2020-01-01T00:00:00Z'",
                {"id": old["id"]})
    jobs.start(store, actor, jobs.SUBJECT_ACCESS_PDF, young_person["id"])
    with pytest.raises(NotFound):
        jobs.get(store, actor, old["id"])
