"""The `netmap` command: set up the database, serve, load demo data, manage users, move data.

Settings: NETMAP_DATABASE_URL (default: embedded FalkorDB) and NETMAP_DATA_DIR (default ./data).
Every command that fails says why on stderr and exits non-zero, having changed nothing.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .codes import USER_ROLES
from .runtime import settle_memory

err = Console(stderr=True)
# Requests spend part of their time waiting for the database (and its fsync): four
# single-threaded workers a core keep the cores busy. At 10,000 young people this gave the same
# throughput as two workers a core of two threads each, with p95 near 110 ms instead of 170.
DEFAULT_WORKERS = 4 * (os.cpu_count() or 1)
out = Console()


def _open_store():
    # The command line is where the database layer is wired in; the domain never imports it.
    from graph import open_store

    return open_store()


@contextmanager
def store_or_exit():
    from graph import StoreError

    try:
        store = _open_store()
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    try:
        store.ensure_schema()
        yield store
    except StoreError as e:
        raise click.ClickException(f"The database refused: {e}") from None
    finally:
        store.close()


@contextmanager
def service_errors():
    from netmap.services.errors import ServiceError

    try:
        yield
    except ServiceError as e:
        lines = [e.message]
        for field, messages in list(e.errors.items())[:20]:
            lines += [f"  {field}: {m}" for m in messages]
        if len(e.errors) > 20:
            lines.append(f"  … and {len(e.errors) - 20} more")
        raise click.ClickException("\n".join(lines)) from None


def progress_bar(description: str, total: int | None):
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err)


@click.group()
@click.version_option(package_name="netmap")
def main():
    """netmap: the shared map of a young adult's support network."""
    # Everything netmap writes (the database's files, keys, logs, metrics, exports, backups)
    # holds or guards records: the owner's only, whatever umask it was started with.
    os.umask(0o077)
    settle_memory()


# --- db ------------------------------------------------------------------------------------
@main.group()
def db():
    """The database: create its schema, check it."""


@db.command("init")
def db_init():
    """Create the schema (ids, indexes, full-text index); safe to run again."""
    with store_or_exit() as store:
        version = store.ensure_schema()
        click.echo(f"Database ready ({store.backend}), schema version {version}.")


# --- serve ---------------------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=int,
              help="gunicorn worker processes sharing the database (default: 4 per core)")
@click.option("--threads", default=1, show_default=True, type=int,
              help="threads in each worker")
@click.option("--debug", is_flag=True, help="Flask's development server, with reloading")
def serve(host, port, workers, threads, debug):
    """Serve the web app and the API."""
    from graph import StoreError
    from web import create_app

    if not debug:
        _prepare_metrics_dir()
    try:
        app = create_app()
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"netmap on http://{host}:{port}  (database: "
               f"{app.extensions['netmap_store'].backend})")
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            # The app writes the access log itself (web/operations.py): one JSON line a
            # request with its route, status, time and request id, never the query string
            # (searched names) or the referrer. Gunicorn's own would carry both.
            self.cfg.set("accesslog", None)
            self.cfg.set("errorlog", "-")
            self.cfg.set("child_exit", _worker_exited)
            self.cfg.set("timeout", 120)
            # Workers finish in-flight requests on SIGTERM well inside a supervisor's 30 s.
            self.cfg.set("graceful_timeout", 20)
            # Gunicorn 27's control socket is a management interface at one shared path
            # (~/.gunicorn) for every service on the machine; netmap needs none.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return app

    Server().run()


def _prepare_metrics_dir() -> None:
    """Prometheus counts from every gunicorn worker, added up at /metrics: each worker writes
    its own files in the data dir's metrics folder (emptied at start). Set before
    prometheus_client is first imported."""
    import shutil

    from graph.embedded import make_private_dir

    folder = Path(os.environ.get("NETMAP_DATA_DIR", "./data")) / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    make_private_dir(folder)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder.resolve())


def _worker_exited(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# --- demo ----------------------------------------------------------------------------------
@main.command()
@click.option("--young-people", "count", type=click.IntRange(min=1), default=None,
              help="Generate a cohort of this many young people instead of the small demo.")
@click.option("--if-empty", is_flag=True, help="Do nothing if there is already data.")
@click.option("--seed", type=int, default=1, show_default=True)
def demo(count, if_empty, seed):
    """Load synthetic demo data (nobody in it is real)."""
    from netmap.services import demo as demo_data

    with store_or_exit() as store, service_errors():
        empty = demo_data.is_empty(store)
        if if_empty and not empty:
            click.echo("There is already data; no demo data loaded.")
            return
        if empty or count is None:
            if not empty:
                raise click.ClickException("The small demo needs an empty database (its demo "
                                           "users would clash). Use --young-people N to add a "
                                           "generated cohort.")
            with progress_bar("Demo networks", None) as bar:
                task = bar.add_task("Demo networks", total=None)
                made = demo_data.seed_demo(store, progress=lambda k: bar.advance(task, k))
            click.echo(f"Loaded the demo: {len(made['young_people'])} young people.")
            click.echo(demo_data.demo_summary())
        if count:
            with progress_bar("Young people", count) as bar:
                task = bar.add_task("Young people", total=count)
                totals = demo_data.generate_cohort(store, count, seed=seed,
                                                   progress=lambda k: bar.advance(task, k))
            click.echo("Generated " + ", ".join(f"{v} {k.replace('_', ' ')}"
                                                for k, v in totals.items()
                                                if k != "load_seconds") + ".")


# --- users ---------------------------------------------------------------------------------
@main.group("users")
def users_group():
    """Users and API tokens."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True,
              type=click.Choice(list(USER_ROLES)))
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--young-person", "young_person_id", default=None,
              help="For --role young_person: the id of their own record.")
@click.option("--name", default=None, help='The name people read, like "Sam Okafor".')
@click.option("--job-title", "job_title", default=None,
              help='Shown after the name, like "Lifelong Links coordinator".')
def users_create(email, role, password, young_person_id, name, job_title):
    """Create a user."""
    from netmap.services import users

    with store_or_exit() as store, service_errors():
        user = users.create_user(store, {"email": email, "role": role, "password": password,
                                         "young_person_id": young_person_id, "name": name,
                                         "job_title": job_title})
    click.echo(f"Created {user['role']} {user['shown_as']} <{user['email']}> "
               f"(id {user['id']}).")


def _mail_settings(need_base_url: bool = True):
    """The secret key (links are signed with it), the mailer and the service's address, from
    the same settings the web app reads (NETMAP_SECRET_KEY or the data dir's, NETMAP_SMTP_URL
    or NETMAP_MAIL_BACKEND=notify, NETMAP_BASE_URL)."""
    from netmap.mail import mailer_from, settings_from
    from netmap.services.mail import MailError

    settings = settings_from()
    try:
        mailer = mailer_from(settings)
    except MailError as e:
        raise click.ClickException(str(e)) from None
    base_url = (settings.get("NETMAP_BASE_URL") or "").rstrip("/")
    if need_base_url and not getattr(mailer, "configured", True):
        raise click.ClickException("Email is not set up: set NETMAP_SMTP_URL and "
                                   "NETMAP_MAIL_FROM, or NETMAP_MAIL_BACKEND=notify with "
                                   "NETMAP_NOTIFY_API_KEY and the template ids.")
    if need_base_url and not base_url:
        raise click.ClickException("Set NETMAP_BASE_URL to the address people open netmap "
                                   "at (like https://netmap.example.org): the links in the "
                                   "emails start with it.")
    from web.config import _secret_key

    secret = _secret_key(os.environ.get("NETMAP_DATA_DIR", "./data"))
    return secret, mailer, base_url or "http://127.0.0.1:5000"


@users_group.command("invite")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(list(USER_ROLES)))
@click.option("--young-person", "young_person_id", default=None,
              help="For --role young_person: the id of their own record.")
@click.option("--agency", default=None, help="For team roles: the agency they belong to.")
@click.option("--name", default=None, help='The name people read, like "Sam Okafor".')
@click.option("--job-title", "job_title", default=None,
              help='Shown after the name, like "Lifelong Links coordinator".')
def users_invite(email, role, young_person_id, agency, name, job_title):
    """Create a user and email them a link to choose their password (works once, 7 days)."""
    from netmap.services import account_mail
    from netmap.services.actor import SYSTEM
    from netmap.services.mail import MailError

    secret, mailer, base_url = _mail_settings()
    with store_or_exit() as store, service_errors():
        try:
            user = account_mail.invite(store, SYSTEM, {
                "email": email, "role": role, "young_person_id": young_person_id,
                "agency": agency, "name": name, "job_title": job_title},
                secret=secret, base_url=base_url, mailer=mailer,
                local_passwords=os.environ.get("NETMAP_LOCAL_PASSWORDS", "1") != "0",
                provider=os.environ.get("NETMAP_OIDC_NAME") or "your organisation's account")
        except MailError as e:
            raise click.ClickException(f"The account was made, but the email could not be "
                                       f"sent: {e} Run this again to send a new link.") \
                from None
    click.echo(f"Invited {user['role']} {user['email']} (id {user['id']}): the email is sent.")


@users_group.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="What the token is for.")
def users_token(email, name):
    """Print a new API token for the user (its last word is the token)."""
    from netmap.services import users

    with store_or_exit() as store, service_errors():
        token = users.issue_token(store, email, name)
    click.echo(f"API token for {email.lower()}: {token}")


@users_group.command("revoke")
@click.argument("email")
def users_revoke(email):
    """Revoke every API token of the user."""
    from netmap.services import users

    with store_or_exit() as store, service_errors():
        users.revoke_tokens(store, email)
    click.echo(f"Revoked every API token of {email.lower()}.")


@users_group.command("deactivate")
@click.argument("email")
def users_deactivate(email):
    """Stop the user signing in, at once (their sessions and tokens end)."""
    from netmap.services import users

    with store_or_exit() as store, service_errors():
        users.set_active(store, email, False)
    click.echo(f"Deactivated {email.lower()}.")


@users_group.command("activate")
@click.argument("email")
def users_activate(email):
    from netmap.services import users

    with store_or_exit() as store, service_errors():
        users.set_active(store, email, True)
    click.echo(f"Activated {email.lower()}.")


@users_group.command("unlock")
@click.argument("email")
def users_unlock(email):
    """Release an account held after too many wrong passwords."""
    from netmap.services import sign_in

    with store_or_exit() as store, service_errors():
        with store.unit_of_work() as uow:
            user = uow.users.by_email(email.lower())
        if not user:
            raise click.ClickException(f"No user with the email {email}.")
        sign_in.unlock(store, user["id"])
    click.echo(f"Unlocked {email.lower()}.")


@users_group.command("two-factor-reset")
@click.argument("email")
def users_two_factor_reset(email):
    """Turn off a user's two-factor sign-in (a lost phone and no recovery codes): they set it
    up again at their next sign-in (admins must)."""
    from netmap.services import sign_in

    with store_or_exit() as store, service_errors():
        with store.unit_of_work() as uow:
            user = uow.users.by_email(email.lower())
        if not user:
            raise click.ClickException(f"No user with the email {email}.")
        sign_in.turn_off_two_factor(store, user["id"])
        sign_in.end_sessions(store, user["id"])
    click.echo(f"Two-factor sign-in is off for {email.lower()}; they set it up again.")


@users_group.command("list")
def users_list():
    from netmap.names import staff_name

    with store_or_exit() as store:
        with store.unit_of_work() as uow:
            rows = uow.users.list()
    for u in rows:
        state = "" if u.get("active", True) else "  (deactivated)"
        click.echo(f"{u['email']:32} {u['role']:13} {u['id']}  {staff_name(u)}{state}")


# --- notify --------------------------------------------------------------------------------
@main.group()
def notify():
    """Emails netmap sends by itself."""


@notify.command("send")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option("--date", "day", default=None, help="The day (YYYY-MM-DD); default today.")
def notify_send(dry_run, day):
    """Send today's daily email to each user who has something that needs them (counts,
    never names). Safe to run from cron every day, or twice: each user gets one a day."""
    from datetime import date

    from netmap.services import account_mail
    from netmap.services.mail import Outbox

    try:
        today = date.fromisoformat(day) if day else None
    except ValueError:
        raise click.ClickException(f"--date {day!r}: give a date like 2026-12-04.") from None
    secret, mailer, base_url = _mail_settings(need_base_url=not dry_run)
    with store_or_exit() as store, service_errors():
        result = account_mail.send_digests(store, base_url=base_url,
                                           mailer=Outbox() if dry_run else mailer,
                                           today=today, dry_run=dry_run)
    if dry_run:
        for m in result["messages"]:
            click.echo(f"To: {m.to}\nSubject: {m.subject}\n\n{m.body}\n---")
        click.echo(f"Would send {len(result['messages'])} daily emails "
                   f"({result['already']} already sent today, {result['skipped']} with "
                   f"nothing to say). Nothing was sent.")
        return
    click.echo(f"Sent {len(result['sent'])} daily emails ({result['already']} already sent "
               f"today, {result['skipped']} with nothing to say).")
    if result["failed"]:
        raise click.ClickException(f"{len(result['failed'])} could not be sent: "
                                   + ", ".join(result["failed"]) + ". Run it again later.")


# --- export / import -----------------------------------------------------------------------
@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--graphml", is_flag=True, help="One young person's network as GraphML.")
@click.option("--young-person", "young_person_id", default=None)
def export_command(file, graphml, young_person_id):
    """Export everything as JSON, without passwords, token hashes or other secrets (a backup
    keeps them), or one network as GraphML in Network Canvas's conventions."""
    from netmap.services import network, transfer
    from netmap.services.actor import SYSTEM

    with store_or_exit() as store, service_errors():
        if graphml or young_person_id:
            if not (graphml and young_person_id):
                raise click.UsageError("--graphml and --young-person go together.")
            net = network.get_network(store, SYSTEM, young_person_id)
            transfer.graphml(net, file)
            click.echo(f"Wrote {len(net['people'])} people and {len(net['ties'])} ties to "
                       f"{file}.")
            return
        with progress_bar("Exporting", None) as bar:
            task = bar.add_task("Exporting", total=None)
            counts = transfer.write_export(store, file, progress=lambda k: bar.advance(task, k))
    click.echo(f"Exported {counts['nodes']} nodes and {counts['relationships']} relationships "
               f"to {file}.")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace everything in the database.")
@click.option("--young-person", "young_person_id", default=None,
              help="Import FILE into this young person's network (a Network Canvas session "
                   "or netmap network JSON) instead of the whole database.")
@click.option("--format", "fmt", type=click.Choice(["graphml", "network_canvas_csv",
                                                    "netmap_json"]), default=None,
              help="With --young-person: what FILE is (network_canvas_csv: a zip).")
@click.option("--mapping", default=None, help="With --young-person: the mapping as JSON.")
@click.option("--dry-run", is_flag=True, help="With --young-person: show what would be "
              "imported and write nothing.")
def import_command(file, replace, young_person_id, fmt, mapping, dry_run):
    """Import an export file, all or nothing (or, with --young-person, one network)."""
    from netmap.services import transfer

    if young_person_id or fmt or mapping or dry_run:
        if not (young_person_id and fmt):
            raise click.UsageError("--young-person and --format go together.")
        if replace:
            raise click.UsageError("--replace is for the whole database, not one network.")
        _import_network(file, young_person_id, fmt, mapping, dry_run)
        return
    with store_or_exit() as store, service_errors():
        document = transfer.read_document(file)
        counts = transfer.import_document(store, document, replace=replace)
    click.echo(f"Imported {counts['nodes']} nodes and {counts['relationships']} relationships.")
    if counts.get("audit"):
        click.echo(counts["audit"])


def _import_network(file, young_person_id, fmt, mapping, dry_run):
    from netmap.services import network_import
    from netmap.services.actor import SYSTEM

    raw = Path(file).read_bytes()
    with store_or_exit() as store, service_errors():
        result = network_import.import_network(store, SYSTEM, young_person_id, fmt,
                                               [(Path(file).name, raw)], mapping,
                                               dry_run=dry_run)
    verb = "Would add" if dry_run else "Added"
    click.echo(f"{verb} {len(result['created_people'])} people, "
               f"{len(result['created_connections'])} connections and "
               f"{len(result['created_ties'])} ties; {len(result['matched_people'])} matched "
               f"someone already known, {len(result['updated_people'])} updated.")
    for match in result["matched_people"]:
        click.echo(f"  {match['name']} ({match['where']}) matches {match['matched_name']} in "
                   f"{match['matched']} (kept as they are).")
    for warning in result["warnings"]:
        click.echo(f"  Warning: {warning}")


# --- backup / restore ----------------------------------------------------------------------
@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Keep only the newest N backups in DIRECTORY (older ones are removed).")
def backup(directory, keep):
    """Write a consistent backup into a new folder in DIRECTORY, read it back and check it."""
    from netmap.services import transfer

    with store_or_exit() as store, service_errors():
        result = transfer.write_backup(store, directory, keep=keep)
    click.echo(f"Backed up {result['nodes']} nodes and {result['relationships']} relationships "
               f"to {result['path']} (checked).")
    for name in result["removed"]:
        click.echo(f"Removed the older backup {name}.")


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing everything.")
def restore(directory, yes):
    """Replace everything in the database with the backup in DIRECTORY (or its newest backup),
    all or nothing."""
    from netmap.services import transfer

    found = transfer.find_backup(directory)
    if found is None:
        raise click.ClickException(f"{directory} holds no netmap backup (no "
                                   f"{transfer.BACKUP_FILE}).")
    with service_errors():
        transfer.verify_backup(found)
    if not yes and not click.confirm(f"Replace everything in the database with the backup "
                                     f"{found}?", default=False):
        raise click.ClickException("Nothing was restored.")
    with store_or_exit() as store, service_errors():
        document = transfer.read_document(found / transfer.BACKUP_FILE)
        counts = transfer.import_document(store, document, replace=True)
    click.echo(f"Restored {counts['nodes']} nodes and {counts['relationships']} relationships "
               f"from {found}.")
    if counts.get("audit"):
        click.echo(counts["audit"])


# --- bench -------------------------------------------------------------------------------
@main.command()
@click.option("--young-people", "count", type=click.IntRange(min=10), default=1000,
              show_default=True)
@click.option("--sizes", default=None, metavar="N,N,...",
              help="Run at each size in turn (for example 1000,10000,100000) and print how "
                   "each figure grows; instead of --young-people.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Also write the figures as JSON, with the commit, the machine and the "
                   "cohort.")
@click.option("--api-seconds", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--api-users", type=click.IntRange(min=1), default=20, show_default=True,
              help="Open connections of the load generator.")
@click.option("--workers", type=click.IntRange(min=1), default=DEFAULT_WORKERS,
              show_default=True)
@click.option("--port", type=click.IntRange(min=1, max=65535), default=None,
              help="The port the service is started on (default: a free one).")
@click.option("--backend", type=click.Choice(["falkordb", "neo4j", "both"]), default="falkordb",
              show_default=True, help="Which engine; both: each in turn, side by side.")
@click.option("--neo4j-url", default=None,
              help="An empty Neo4j to measure (default: a fresh one from tests/neo4j_server).")
@click.option("--require-targets", is_flag=True,
              help="Exit with status 3 when a figure misses its target.")
def bench(count, sizes, json_path, api_seconds, api_users, workers, port, backend, neo4j_url,
          require_targets):
    """Measure the service on a generated cohort of N young people (a fresh database).

    Exits non-zero naming the stage when a stage cannot run (a missing load generator, a
    service that does not start, a load run with failed requests)."""
    from bench.runner import ENGINES, StageFailed, run_engines, run_sizes, table

    backends = list(ENGINES) if backend == "both" else [backend]
    try:
        size_list = [int(x) for x in sizes.split(",")] if sizes else None
    except ValueError:
        raise click.BadParameter("give whole numbers separated by commas, like 1000,10000",
                                 param_hint="--sizes") from None
    if size_list is not None and (not size_list or min(size_list) < 10):
        raise click.BadParameter("each size must be at least 10", param_hint="--sizes")
    total = sum(size_list) if size_list else count
    with progress_bar("Young people", total * len(backends)) as bar:
        def progress_for(engine):
            task = bar.add_task(f"Young people ({engine})", total=total)
            return lambda k: bar.advance(task, k)

        kw = dict(neo4j_url=neo4j_url, api_seconds=api_seconds, api_users=api_users,
                  workers=workers, port=port, echo=lambda m: bar.console.print(m),
                  progress_for=progress_for)
        try:
            results = (run_sizes(size_list, backends, json_path, **kw) if size_list else
                       run_engines(count, backends, json_path, **kw))
        except StageFailed as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(2)
        except RuntimeError as e:
            raise click.ClickException(str(e)) from None
    click.echo(table(results))
    if json_path:
        click.echo(f"Wrote {json_path}.")
    if require_targets and not all_targets_met(results):
        click.echo("Some figures missed their targets.", err=True)
        sys.exit(3)


def all_targets_met(results: dict) -> bool:
    if "sizes" in results:
        return all(all_targets_met(r) for r in results["sizes"].values())
    if "engines" in results:
        return all(all_targets_met(r) for r in results["engines"].values())
    return all(results["targets_met"].values())


# --- audit ---------------------------------------------------------------------------------
@main.group()
def audit():
    """The audit log."""


@audit.command("verify")
def audit_verify():
    """Check the audit log's keyed chain and its checkpoints; exits non-zero naming the first
    bad entry (edited, reordered, deleted, cut short, or a changed erased mark)."""
    from netmap.services import audit as audit_log

    with store_or_exit() as store:
        try:
            ok, checked, message = audit_log.verify(store)
        except ValueError as e:  # the audit key setting or file is unusable
            raise click.ClickException(str(e)) from None
    if not ok:
        click.echo(message, err=True)  # one line, unwrapped: it names the entry
        sys.exit(1)
    click.echo(message)



# --- data rights: retention and erasure ----------------------------------------------------
@main.group()
def retention():
    """Deleting records some years after the sentence ends."""


@retention.command("apply")
@click.option("--years", type=click.IntRange(min=1), default=None,
              help="Erase records this many years after the sentence ended (licence end, "
                   "else release date). Default: NETMAP_RETENTION_YEARS, else 6.")
@click.option("--dry-run", is_flag=True, help="List what would be erased; erase nothing.")
def retention_apply(years, dry_run):
    """Erase every record past the retention period (see `netmap erase`)."""
    from netmap.services import data_rights

    if years is None:
        raw = os.environ.get("NETMAP_RETENTION_YEARS", str(data_rights.RETENTION_YEARS_DEFAULT))
        try:
            years = int(raw)
        except ValueError:
            raise click.ClickException(f"NETMAP_RETENTION_YEARS must be a whole number of "
                                       f"years, not {raw!r}.") from None
        if years < 1:
            raise click.ClickException("NETMAP_RETENTION_YEARS must be at least 1.")
    with store_or_exit() as store, service_errors():
        result = data_rights.apply_retention(store, years, dry_run=dry_run)
    due = result["due"]
    verb = "Would erase" if dry_run else "Erased"
    for item in due:
        if dry_run or item["young_person_id"] in result["erased"]:
            click.echo(f"{verb} {item['young_person_id']}  (sentence ended {item['ends']})")
    count = len(due) if dry_run else len(result["erased"])
    click.echo(f"{verb} {count} record{'s' if count != 1 else ''} whose sentence ended on or "
               f"before {result['cutoff']} ({years} years).")
    kept = result["without_end"]
    if kept:
        click.echo(f"{kept} record{'s have' if kept != 1 else ' has'} no release date or "
                   f"licence end, and {'are' if kept != 1 else 'is'} kept.")


@main.command("erase")
@click.option("--young-person", "young_person_id", required=True,
              help="The id of the record to erase.")
@click.option("--yes", is_flag=True, help="Do not ask before erasing.")
def erase_command(young_person_id, yes):
    """Erase a young person and everything about them, for good. People also connected to
    other young people stay; the audit log keeps its entries (marked erased)."""
    from netmap.services import data_rights
    from netmap.services.actor import SYSTEM

    if not yes and not click.confirm(f"Erase the record {young_person_id} and everything "
                                     "about it? This cannot be undone.", default=False):
        raise click.ClickException("Nothing was erased.")
    with store_or_exit() as store, service_errors():
        result = data_rights.erase(store, SYSTEM, young_person_id)
    erased, kept = result["people_erased"], result["people_kept"]
    click.echo(f"Erased {young_person_id}: {erased} {'person' if erased == 1 else 'people'} "
               f"connected only to them; {kept} {'person' if kept == 1 else 'people'} also "
               f"connected to others kept; {result['audit_entries_marked']} audit entries "
               "marked erased.")


if __name__ == "__main__":
    main()
