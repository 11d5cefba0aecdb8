"""The audit log: appending, sealing it into a keyed chain, checkpointing it, and proving it.

Entries are numbered by the database in commit order, inside the unit of work of the change they
record. They hold ids and codes, never names, so erasing a young person leaves the log intact.

**Sealing.** Each entry's `hash` is HMAC-SHA256, under a key kept outside the database, of the
previous entry's hash and the canonical JSON of every property the entry has (`seq` included),
except its own `hash`, `prev_hash` (the previous hash, which the seal covers anyway) and
`erased_at`. Without the key nobody can recompute a seal: an entry edited in the database, with
or without its hash recomputed as plain SHA-256, no longer matches; reordering or removing an
entry breaks the links. The key is `NETMAP_AUDIT_KEY` if set, else the data dir's `audit_key`
file (made once, mode 600). Sealing runs from the head the database remembers, so it costs one
read and one write for what is new.

**Erasure.** Erasing a young person marks their entries `erased_at` in the same unit of work
that writes the `young_person.erase` entry, with the same time as its `at`. The mark is covered
through that sealed entry: every entry about the record written before it must carry exactly
its time, and no other entry may carry a mark. So a legitimate erasure verifies, and a mark
added, removed or changed by hand does not.

**Checkpoints.** After each seal the head (sequence number and hash) is appended, with its own
HMAC, to the data dir's `audit_checkpoints` file and fsynced. Deleting the newest entries
(truncation) then leaves a checkpoint that the database no longer matches. A restore or import
appends a line saying so (the chain restarts from what was loaded). Entries sealed by another
service (an export from another machine, with another key) are taken on at import: their links
are checked and a keyed digest of them, every 1,000 entries, is written to the checkpoint file,
so a later edit of them is found (to within 1,000 entries).

**Refused reads.** A request refused because the record is not the caller's to see (a 404) is
audited as `read_refused` with the attempted id in `detail` and no `young_person_id`, so it
never appears in that record's own trail (web/api/base.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..model import now_iso
from .actor import Actor
from .errors import NotFound

KEY_FILE = "audit_key"
CHECKPOINT_FILE = "audit_checkpoints"
ERASE_ACTION = "young_person.erase"
REFUSED_ACTION = "read_refused"
# Not part of an entry's own seal (see the module's docstring for how each is covered).
UNSEALED = ("hash", "prev_hash", "erased_at")
# Entries taken on from another service are digested with a mark every this many entries.
MARK_EVERY = 1000
MIN_KEY_LENGTH = 32


def entry(actor: Actor, action: str, young_person_id: str | None,
          detail: str | None = None, at: str | None = None) -> dict:
    """An audit entry's fields, before the database numbers it."""
    return {
        "at": at or now_iso(),
        "user_id": actor.id,
        "user_email": actor.email,
        "role": actor.role,
        "action": action,
        "young_person_id": young_person_id,
        "address": actor.address,
        "detail": detail,
    }


def record(uow, actor: Actor, action: str, young_person_id: str | None,
           detail: str | None = None, at: str | None = None) -> None:
    uow.audit.append(entry(actor, action, young_person_id, detail, at))


def record_refused(store, actor: Actor, attempted: str) -> None:
    """A read refused because the record is not the actor's to see: who tried which id. The
    entry names no young person, so it joins nobody's trail."""
    if actor is None or actor.is_system:
        return
    with store.unit_of_work() as uow:
        record(uow, actor, REFUSED_ACTION, None, attempted[:300])


# --- the key and the checkpoint file -----------------------------------------------------------
def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode()


def sealed_fields(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in UNSEALED and v is not None}


def _read_or_make_key(path: Path) -> str:
    """The data dir's audit key, made once (several processes may race to make it: the first
    link wins and everyone reads the same file)."""
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        text = ""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(path.parent)
        text = path.read_text().strip()
    if not text:
        raise ValueError(f"The audit key file {path} is empty. Put back the key from a backup "
                         "of the data dir, or set NETMAP_AUDIT_KEY.")
    return text


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Keeper:
    """The key that seals the log and the file its checkpoints go to (both outside the
    database). Build it with :meth:`from_settings`."""

    key: bytes = field(repr=False)
    checkpoints: Path = Path(CHECKPOINT_FILE)
    # (when, verdict) of the last full check, for the audit page, and who is checking now.
    last_verdict: tuple | None = field(default=None, repr=False, compare=False)
    checking: threading.Lock = field(default_factory=threading.Lock, repr=False,
                                     compare=False)

    @classmethod
    def from_settings(cls, data_dir: str | os.PathLike | None = None,
                      key: str | None = None) -> "Keeper":
        """`key` (the NETMAP_AUDIT_KEY setting), else the environment's NETMAP_AUDIT_KEY,
        else the data dir's audit_key file, made once."""
        data_dir = Path(data_dir or os.environ.get("NETMAP_DATA_DIR") or "./data")
        key = key or os.environ.get("NETMAP_AUDIT_KEY") or ""
        if key and len(key) < MIN_KEY_LENGTH:
            raise ValueError(f"NETMAP_AUDIT_KEY must be at least {MIN_KEY_LENGTH} characters "
                             "(for example 64 random hex digits).")
        if not key:
            key = _read_or_make_key(data_dir / KEY_FILE)
        return cls(key=key.encode(), checkpoints=data_dir / CHECKPOINT_FILE)

    def seal(self, prev_hash: str | None, entry: dict) -> str:
        message = _canonical({"prev": prev_hash or "", "entry": sealed_fields(entry)})
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def _line_mac(self, line: dict) -> str:
        body = {k: v for k, v in line.items() if k != "mac"}
        return hmac.new(self.key, b"checkpoint:" + _canonical(body), hashlib.sha256).hexdigest()

    # The checkpoint file: one JSON object a line, each with its own HMAC. `head` lines record
    # the chain's head; `restore` and `adopt` lines restart it from what an import loaded.
    def append(self, kind: str, seq: int, hash_: str | None, **extra) -> None:
        line = {"kind": kind, "seq": seq, "hash": hash_ or "", "at": now_iso(), **extra}
        line["mac"] = self._line_mac(line)
        data = (json.dumps(line, sort_keys=True) + "\n").encode()
        self.checkpoints.parent.mkdir(parents=True, exist_ok=True)
        created = not self.checkpoints.exists()
        fd = os.open(self.checkpoints, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_dir(self.checkpoints.parent)

    def _line(self, chunk: bytes) -> dict | None:
        """One checkpoint line, or None if it was altered (or made with another key)."""
        try:
            line = json.loads(chunk)
        except ValueError:
            return None
        if not isinstance(line, dict) or not hmac.compare_digest(
                str(line.get("mac", "")), self._line_mac(line)):
            return None
        return line

    def _parse(self, raw: bytes) -> list[dict]:
        # A last line without its newline was cut short by a crash while being written.
        lines = (self._line(chunk) for chunk in raw.split(b"\n")[:-1] if chunk.strip())
        return [line for line in lines if line is not None]

    def scan(self) -> "Checkpoints":
        """Read the whole file a line at a time (it only grows): the newest checkpoint since
        the chain last restarted, the last taking-on, and the first altered line."""
        found = Checkpoints()
        try:
            f = open(self.checkpoints, "rb")
        except FileNotFoundError:
            return found
        with f:
            for number, chunk in enumerate(f, start=1):
                if not chunk.endswith(b"\n") or not chunk.strip():
                    continue  # cut short by a crash while being written, or blank
                line = self._line(chunk)
                if line is None:
                    found.problem = found.problem or (
                        f"Line {number} of the checkpoint file {self.checkpoints} was "
                        "altered, or was written with another audit key.")
                    continue
                found.lines += 1
                if line["kind"] in ("restore", "adopt"):
                    found.newest = line
                    if line["kind"] == "adopt":
                        found.adopt = line
                elif found.newest is None or line["seq"] >= found.newest["seq"]:
                    found.newest = line
        return found

    def checkpointed_within(self, seconds: float) -> bool:
        """Whether any process wrote a checkpoint in the last `seconds`: the web workers seal
        in turn, about once a second between them, so the file grows a line a second at
        most."""
        try:
            return time.time() - self.checkpoints.stat().st_mtime < seconds
        except FileNotFoundError:
            return False

    def floor(self) -> int:
        """The highest entry the current checkpoints record: entries up to it were sealed
        already, so sealing never starts at or below it (an entry whose seal was removed in
        the database is not sealed again). Reads only the end of the file."""
        try:
            size = self.checkpoints.stat().st_size
        except FileNotFoundError:
            return 0
        span = 65536
        with open(self.checkpoints, "rb") as f:
            while True:
                start = max(size - span, 0)
                f.seek(start)
                raw = f.read(size - start)
                if start:
                    raw = raw[raw.find(b"\n") + 1:]  # the first line may be cut
                lines = self._parse(raw)
                if lines or not start:
                    return current_floor(lines)
                span *= 4


@dataclass
class Checkpoints:
    newest: dict | None = None   # the newest checkpoint since the chain last restarted
    adopt: dict | None = None    # the last log taken on from another service
    lines: int = 0
    problem: str | None = None


def current_floor(lines: list[dict]) -> int:
    base = 0
    for i, line in enumerate(lines):
        if line["kind"] in ("restore", "adopt"):
            base = i
    return max((line["seq"] for line in lines[base:]), default=0)


_KEEPERS: dict[tuple, Keeper] = {}


def keeper_for(store) -> Keeper:
    """The keeper for a store opened outside the web app (the command line, tests): the
    store's own data dir if it has one, else NETMAP_DATA_DIR."""
    keeper = getattr(store, "audit_keeper", None)  # set by the web app on its store
    if keeper is not None:
        return keeper
    data_dir = getattr(store, "data_dir", None) or os.environ.get("NETMAP_DATA_DIR") or "./data"
    cache_key = (str(Path(data_dir).resolve()), os.environ.get("NETMAP_AUDIT_KEY"))
    if cache_key not in _KEEPERS:
        _KEEPERS[cache_key] = Keeper.from_settings(data_dir)
    return _KEEPERS[cache_key]


# --- sealing ------------------------------------------------------------------------------------
def seal(store, keeper: Keeper | None = None) -> int:
    """Chain every entry not yet sealed and checkpoint the new head; returns how many were
    sealed."""
    keeper = keeper or keeper_for(store)
    with store.unit_of_work() as uow:
        prev, entries = uow.audit.unsealed()
        if not entries:
            return 0
        # The database's head is behind the checkpoints: its entries were sealed once already
        # (and lost their seals since), or another process sealed them a moment ago.
        if entries[0]["seq"] <= keeper.floor():
            return 0
        rows = []
        for e in entries:
            h = keeper.seal(prev, e)
            rows.append({"seq": e["seq"], "prev_hash": prev or "", "hash": h})
            prev = h
        head = uow.audit.seal(rows)
    if head.rows:  # this process moved the head: it writes the checkpoint
        keeper.append("head", rows[-1]["seq"], rows[-1]["hash"])
    return len(rows)


# --- verifying ------------------------------------------------------------------------------------
@dataclass
class Verdict:
    ok: bool
    checked: int
    message: str
    bad_seq: int | None = None
    fault: str | None = None  # missing, order, seal, erased, checkpoint, truncated, file

    def __iter__(self):  # ok, checked, message = verify(store)
        return iter((self.ok, self.checked, self.message))

    def __getitem__(self, i):
        return (self.ok, self.checked, self.message)[i]


def _describe(e: dict) -> str:
    return f"Audit entry {e['seq']} ({e.get('action') or 'no action'} at {e.get('at') or '?'})"


def check(store, keeper: Keeper | None = None, *, seal_first: bool = True,
          use_checkpoints: bool = True) -> Verdict:
    """Check the whole chain; the verdict names the first bad entry and what is wrong."""
    keeper = keeper or keeper_for(store)
    if seal_first:
        seal(store, keeper)
    found = keeper.scan()
    if found.problem and use_checkpoints:
        return Verdict(False, 0, found.problem, None, "file")
    adopt = found.adopt
    head = found.newest if use_checkpoints else None
    head_seq = head["seq"] if head else 0
    marks = {int(k): v for k, v in (adopt or {}).get("marks", {}).items()}
    with store.unit_of_work() as uow:
        erasures: dict[str, list[dict]] = {}
        for er in uow.audit.erasures():
            erasures.setdefault(er.get("young_person_id"), []).append(er)
        prev, expected, checked = None, 1, 0
        digest, last_mark = b"", 0
        for batch in uow.audit.batches():
            for e in batch:
                seq = e["seq"]
                if seq != expected:
                    what = (f"Audit entry {expected} is missing (the next is {seq}): it was "
                            "deleted." if isinstance(seq, int) and seq > expected else
                            f"{_describe(e)} is out of place: the log was renumbered.")
                    return Verdict(False, checked, what, expected, "missing")
                if not e.get("hash"):
                    why = (f"the checkpoints show entries up to {head_seq} were sealed, so it "
                           "was altered, or entries from here were deleted and replaced"
                           if head_seq >= seq else "it was altered after it was written")
                    return Verdict(False, checked, f"{_describe(e)} has lost its seal: {why}.",
                                   seq, "seal")
                if (e.get("prev_hash") or "") != (prev or ""):
                    return Verdict(False, checked, f"{_describe(e)} does not follow entry "
                                   f"{seq - 1}: the log was reordered, or an entry was removed "
                                   "or replaced.", seq, "order")
                if adopt and seq <= adopt["seq"]:
                    digest = hashlib.sha256(digest + _canonical(
                        {k: v for k, v in e.items() if k != "erased_at"})).digest()
                    if seq in marks:
                        mac = hmac.new(keeper.key, digest, hashlib.sha256).hexdigest()
                        if not hmac.compare_digest(mac, marks[seq]):
                            return Verdict(False, checked, (
                                f"One of audit entries {last_mark + 1} to {seq} was altered "
                                f"after it was taken on from another service's log (at "
                                f"{adopt['at']})."), last_mark + 1, "seal")
                        last_mark = seq
                elif not hmac.compare_digest(e["hash"], keeper.seal(prev, e)):
                    return Verdict(False, checked, f"{_describe(e)} was altered after it was "
                                   "written: its seal does not match.", seq, "seal")
                fault = _erasure_fault(e, erasures)
                if fault:
                    return Verdict(False, checked, fault, seq, "erased")
                if seq == head_seq and head["hash"] and head["hash"] != e["hash"]:
                    return Verdict(False, checked, f"{_describe(e)} is not the entry the "
                                   f"checkpoint of {head['at']} recorded: the log was replaced "
                                   "up to there.", seq, "checkpoint")
                prev = e["hash"]
                expected += 1
                checked += 1
    last = expected - 1
    newest = max(head_seq, adopt["seq"] if adopt else 0)
    if newest > last:
        line = head if head_seq == newest else adopt
        return Verdict(False, checked, (
            f"Audit entr{'y' if newest == last + 1 else 'ies'} {last + 1}"
            f"{'' if newest == last + 1 else f' to {newest}'} "
            f"{'is' if newest == last + 1 else 'are'} missing: the newest entries were deleted "
            f"(the checkpoint of {line['at']} records entry {newest})."), last + 1, "truncated")
    note = ""
    if adopt and checked:
        note = (f" Entries 1 to {adopt['seq']} were sealed by another service and taken on "
                f"at {adopt['at']}.")
    if use_checkpoints and checked and not found.lines:
        keeper.append("head", last, prev)  # the first check of a log kept before checkpoints
    return Verdict(True, checked, f"All {checked} audit entries are intact.{note}")


def _erasure_fault(e: dict, erasures: dict[str, list[dict]]) -> str | None:
    later = [er for er in erasures.get(e.get("young_person_id"), ()) if er["seq"] > e["seq"]]
    expected = later[-1]["at"] if later else None
    actual = e.get("erased_at")
    if actual == expected:
        return None
    if expected is None:
        return (f"{_describe(e)} is marked erased at {actual}, but no erasure of that record is "
                "recorded after it.")
    if actual is None:
        return (f"{_describe(e)} has lost its erased mark: the erasure in entry "
                f"{later[-1]['seq']} marked it.")
    return (f"{_describe(e)} is marked erased at {actual}, but the erasure in entry "
            f"{later[-1]['seq']} happened at {expected}.")


def verify(store, keeper: Keeper | None = None) -> Verdict:
    """Check the whole chain. Unpacks as (ok, entries checked, message naming the first
    fault); `.bad_seq` is the first bad entry."""
    return check(store, keeper)


# The audit page checks the log itself when it is this short (a second or two), and in the
# background when it is longer, showing the last verdict meanwhile. A verdict is kept this long.
CHECK_WHILE_YOU_WAIT = 50_000
VERDICT_KEPT_S = 300.0


def chain_state(store, keeper: Keeper, *, now: bool = False
                ) -> tuple[Verdict | None, float | None]:
    """The chain's verdict for the audit page and when it was reached: a full check (every
    entry is read), kept for five minutes per process. With `now`, checked again at once.
    (None, None) while the first check of a long log runs in the background."""
    cached = keeper.last_verdict
    if cached and not now and time.time() - cached[0] < VERDICT_KEPT_S:
        return cached[1], cached[0]
    if not now:
        with store.unit_of_work() as uow:
            long_log = uow.audit.top() > CHECK_WHILE_YOU_WAIT
        if long_log:
            _check_in_background(store, keeper)
            return (cached[1], cached[0]) if cached else (None, None)
    verdict = check(store, keeper)
    keeper.last_verdict = (time.time(), verdict)
    return verdict, keeper.last_verdict[0]


def _check_in_background(store, keeper: Keeper) -> None:
    import logging

    if not keeper.checking.acquire(blocking=False):
        return  # already under way

    def run():
        try:
            verdict = check(store, keeper)
            keeper.last_verdict = (time.time(), verdict)
        except Exception:
            logging.getLogger(__name__).exception("checking the audit log failed")
        finally:
            keeper.checking.release()

    threading.Thread(target=run, name="audit-check", daemon=True).start()


# --- after an import or restore -----------------------------------------------------------------
def after_import(store, keeper: Keeper | None = None, *, replace: bool = False,
                 had_entries: bool = True) -> str:
    """Record in the checkpoint file that the log was loaded from a file. A log sealed with
    this service's key restarts the checkpoints from its head; a log sealed elsewhere (another
    key) is taken on: its links are checked and a keyed digest of it is kept. Returns what was
    done, in words."""
    keeper = keeper or keeper_for(store)
    if not replace and had_entries:
        return "The audit log's checkpoints go on."
    with store.unit_of_work() as uow:
        head = uow.audit.last_sealed()
    if head is None:
        keeper.append("restore", 0, "")
        return "The audit log starts afresh."
    verdict = check(store, keeper, seal_first=False, use_checkpoints=False)
    if verdict.ok or not (verdict.bad_seq == 1 and verdict.fault == "seal"):
        keeper.append("restore", head["seq"], head["hash"])
        return "The audit log's checkpoints restart from the restored log."
    marks, digest, prev = {}, b"", None
    with store.unit_of_work() as uow:
        for batch in uow.audit.batches():
            for e in batch:
                if e["seq"] > head["seq"]:
                    break
                if (e.get("prev_hash") or "") != (prev or "") or not e.get("hash"):
                    keeper.append("restore", head["seq"], head["hash"])
                    return (f"The imported audit log is broken at entry {e['seq']}: "
                            "`netmap audit verify` will say so.")
                digest = hashlib.sha256(digest + _canonical(
                    {k: v for k, v in e.items() if k != "erased_at"})).digest()
                if e["seq"] % MARK_EVERY == 0 or e["seq"] == head["seq"]:
                    marks[str(e["seq"])] = hmac.new(keeper.key, digest,
                                                    hashlib.sha256).hexdigest()
                prev = e["hash"]
    keeper.append("adopt", head["seq"], head["hash"], marks=marks)
    return (f"The audit log's {head['seq']} entries were sealed by another service: they "
            "were taken on.")


# --- the audit page -------------------------------------------------------------------------------
PER_PAGE = 50


def browse(store, actor: Actor, filters: dict, page: int = 1,
           per_page: int = PER_PAGE) -> dict:
    """Audit entries, newest first, filtered by young person, user, action and dates, for a
    manager (entries about the young people in their teams) or an admin (every entry)."""
    can = actor.can
    if not can.read_audit:
        raise NotFound("No page here.")
    everyone = can.read_audit_any
    with store.unit_of_work() as uow:
        entries, total = uow.audit.search(
            team_of=None if everyone else actor.id,
            young_person_id=filters.get("young_person"), user=filters.get("user"),
            action=filters.get("action"), date_from=filters.get("date_from"),
            date_to=filters.get("date_to"), offset=(page - 1) * per_page, limit=per_page)
        record(uow, actor, "audit.browse", None, f"page={page}")
    from .withholding import audit_entry_for  # the detail of a safeguarding decision

    # A refused read's detail is the id tried, never a safeguarding reason (its action holds
    # "refused", which the policy's safeguarding-action words also match).
    entries = [e if e.get("action") == REFUSED_ACTION else audit_entry_for(actor, e)
               for e in entries]
    pages = max((total + per_page - 1) // per_page, 1)
    return {"entries": entries, "total": total, "page": page, "pages": pages,
            "everyone": everyone}
