"""Start and stop the tests' Neo4j (Neo4jServer.java, built by `make neo4j-server`).

    server = Neo4jLauncher().start()   # returns at once; the JVM starts in the background
    url = server.url()                 # waits for `BOLT_PORT=…`: bolt://127.0.0.1:PORT
    server.stop()                      # SIGTERM, then waits (the database is deleted)

The Java process also stops by itself when our end of its standard input closes, so a test
session that dies leaves no Neo4j behind.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
JAR = HERE / "target" / "neo4j-server.jar"
# The JVM's heap and Neo4j's page cache (the store's pages kept in memory, outside the heap).
HEAP = os.environ.get("NETMAP_TEST_NEO4J_HEAP", "1g")
PAGECACHE_MB = int(os.environ.get("NETMAP_TEST_NEO4J_PAGECACHE_MB", "128"))


class Neo4jNotStarted(RuntimeError):
    pass


def java_command() -> str:
    if os.environ.get("NETMAP_TEST_JAVA"):
        return os.environ["NETMAP_TEST_JAVA"]
    if os.environ.get("JAVA_HOME"):
        return str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    return shutil.which("java") or "java"


class Neo4jLauncher:
    def __init__(self, jar: Path = JAR, heap: str = HEAP, pagecache_mb: int = PAGECACHE_MB):
        self.jar = Path(jar)
        self.heap = heap
        self.pagecache_mb = pagecache_mb
        self.proc: subprocess.Popen | None = None
        self._port: int | None = None
        self.home: str | None = None  # the database's temporary folder, once started
        self.store_bytes: int | None = None  # its store files' size, once stopped
        self._ready = threading.Event()
        self._log = tempfile.TemporaryFile(mode="w+")

    def start(self) -> "Neo4jLauncher":
        if not self.jar.exists():
            raise Neo4jNotStarted(
                f"{self.jar} is not built: run `make neo4j-server` (Maven and a JDK 17; "
                "`make test` does it)")
        # The serial collector: on a small shared machine it loaded a cohort about twice as
        # fast as G1.
        self.proc = subprocess.Popen(
            [java_command(), f"-Xmx{self.heap}", "-XX:+UseSerialGC", "-jar", str(self.jar)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True,
            env={**os.environ, "NETMAP_NEO4J_PAGECACHE_MB": str(self.pagecache_mb)})
        self._reader = threading.Thread(target=self._read_port, daemon=True)
        self._reader.start()
        atexit.register(self.stop)
        return self

    def _read_port(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("NEO4J_HOME="):
                self.home = line.split("=", 1)[1].strip()
            if line.startswith("STORE_BYTES="):
                self.store_bytes = int(line.split("=", 1)[1])
            if line.startswith("BOLT_PORT="):
                self._port = int(line.split("=", 1)[1])
                self._ready.set()
        self._ready.set()  # the process ended

    def url(self, timeout: float = 300) -> str:
        """The Bolt URL once the database answers; waits for it to start."""
        if self.proc is None:
            raise Neo4jNotStarted("the Neo4j launcher was never started")
        if not self._ready.wait(timeout) or self._port is None:
            self.stop()
            raise Neo4jNotStarted(f"Neo4j did not start within {timeout:.0f}s:\n{self.log()}")
        return f"bolt://127.0.0.1:{self._port}"

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read()[-4000:]

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._reader.join(timeout=5)  # the last lines: STORE_BYTES
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
