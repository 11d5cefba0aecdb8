"""Running the `netmap` command and the server as separate processes, as a user would."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def netmap(data_dir, *args, check=True, timeout=300):
    env = {**os.environ, "NETMAP_DATA_DIR": str(data_dir)}
    env.pop("NETMAP_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "netmap.cli", *map(str, args)], env=env,
                            capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"netmap {' '.join(map(str, args))} failed:\n{result.stdout}\n"
                             f"{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`netmap serve` in its own process group, so it can be killed like a crash."""

    def __init__(self, data_dir, port=None, workers=2):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        env = {**os.environ, "NETMAP_DATA_DIR": str(data_dir)}
        env.pop("NETMAP_DATABASE_URL", None)
        # The log goes to a file: a pipe nobody reads fills up and blocks the service.
        self.log_path = self.data_dir.parent / f"serve-{self.port}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "netmap.cli", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True, stdin=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        self.wait_ready()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited: " + self.log_text())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return json.loads(r.read())
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise AssertionError("server did not become ready")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def kill_everything(self):
        """SIGKILL the service (every worker) and its embedded database: a power cut."""
        db_pid = int((self.data_dir / "falkordb.pid").read_text())
        os.killpg(self.proc.pid, signal.SIGKILL)
        os.kill(db_pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{db_pid}").exists():
            try:
                os.waitpid(db_pid, os.WNOHANG)
            except ChildProcessError:
                pass
            status = Path(f"/proc/{db_pid}/stat")
            if status.exists() and status.read_text().split(")")[-1].split()[0] == "Z":
                break
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
                raise AssertionError("the service did not stop within 30 s of SIGTERM:\n"
                                     + self.log_text()[-4000:]) from None


def token_from(output: str) -> str:
    return output.strip().split()[-1]
