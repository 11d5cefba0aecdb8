"""Background jobs (netmap.services.jobs): their state, kept in the database so that any worker
can answer the progress page, and their result (the file, as base64 text) on the same node.
The state becomes "done" in the same statement that stores the result, so a job is never shown
done without its file, nor failed once its file is stored."""

from __future__ import annotations

from .base import Repository, clean

PUBLIC = ("id", "kind", "state", "message", "about_id", "owner_id", "created_at",
          "started_at", "finished_at", "filename", "mimetype", "done_steps", "total_steps",
          "summary")


class JobsRepository(Repository):
    def create(self, job: dict) -> None:
        self.uow.write_now("CREATE (j:Job) SET j = $props", {"props": clean(job)})

    def get(self, job_id: str) -> dict | None:
        row = self.read_one(
            "MATCH (j:Job {id: $id}) RETURN "
            + ", ".join(f"j.{k} AS {k}" for k in PUBLIC), id=job_id)
        return row

    def result(self, job_id: str) -> dict | None:
        return self.read_one(
            "MATCH (j:Job {id: $id}) WHERE j.state = 'done' "
            "RETURN j.result AS result, j.filename AS filename, j.mimetype AS mimetype",
            id=job_id)

    def start(self, job_id: str, at: str) -> None:
        self.uow.write_now("MATCH (j:Job {id: $id}) WHERE j.state = 'queued' "
                           "SET j.state = 'running', j.started_at = $at", {"id": job_id, "at": at})

    def progress(self, job_id: str, done: int, total: int) -> None:
        self.uow.write_now("MATCH (j:Job {id: $id}) WHERE j.state = 'running' "
                           "SET j.done_steps = $done, j.total_steps = $total",
                           {"id": job_id, "done": done, "total": total})

    def finish(self, job_id: str, result: str, filename: str | None, mimetype: str | None,
               summary: str | None, at: str) -> bool:
        rows = self.uow.write_now(
            "MATCH (j:Job {id: $id}) WHERE j.state IN ['queued', 'running'] "
            "SET j.result = $result, j.filename = $filename, j.mimetype = $mimetype, "
            "j.summary = $summary, j.state = 'done', j.finished_at = $at RETURN j.id AS id",
            {"id": job_id, "result": result, "filename": filename, "mimetype": mimetype,
             "summary": summary, "at": at})
        return bool(rows)

    def fail(self, job_id: str, message: str, at: str) -> None:
        """Failed, unless it is already done (a stored result is never taken back)."""
        self.uow.write_now(
            "MATCH (j:Job {id: $id}) WHERE j.state <> 'done' "
            "SET j.state = 'failed', j.message = $message, j.finished_at = $at",
            {"id": job_id, "message": message, "at": at})

    def forget_about(self, about_id: str) -> None:
        """Every job about this young person, and its file (erasure)."""
        self.write("MATCH (j:Job {about_id: $id}) DELETE j", id=about_id)

    def forget_made_before(self, at: str) -> None:
        """Jobs made before `at` (ISO text), and their files: a file is kept for a day."""
        self.write("MATCH (j:Job) WHERE j.created_at < $at DELETE j", at=at)
