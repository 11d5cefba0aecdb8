"""Start the tests' OpenID Connect provider (provider.mjs: panva's oidc-provider) on loopback.

    with OidcProvider(redirect_uris=[...], accounts={...}) as op:
        op.issuer, op.client_id, op.client_secret, op.private_jwk (to sign tokens in tests)
        op.tamper = lambda answer: ...   # change the token endpoint's answer on its way

The provider is reached through a small relay on loopback standing for the network between
netmap and the provider: it passes every request and answer on unchanged (the Host header
too, so the provider names the relay's address as its issuer and in its endpoints), except
that `op.tamper`, when set, may rewrite the token endpoint's JSON answer, as someone on the
way could (a changed ID token, one signed with another key).

Needs node and this folder's node_modules (`make test` runs `npm ci` here); without them the
tests that use it are skipped, saying why.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import shutil
import socket
import subprocess
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from joserfc.jwk import RSAKey

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "provider.mjs"
PACKAGE = HERE / "node_modules" / "oidc-provider"
CLIENT_ID = "netmap-tests"
CLIENT_SECRET = "netmap-tests-client-secret-0123456789"
KEY_ID = "netmap-tests-key"


def missing() -> str | None:
    """Why the provider cannot start here, or None."""
    if not shutil.which("node"):
        return "the OpenID Connect tests need node (apt-get install nodejs)"
    if not PACKAGE.exists():
        return f"the OpenID Connect tests need `npm ci` in {HERE} (make test runs it)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OidcProvider:
    def __init__(self, redirect_uris: list[str], accounts: dict[str, dict]):
        self.port = free_port()  # the provider's own
        self.relay = None
        self.tamper = None
        self.relay_port = free_port()
        self.issuer = f"http://127.0.0.1:{self.relay_port}"
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.redirect_uris = redirect_uris
        self.accounts = accounts
        self.private_jwk = RSAKey.generate_key(2048, {"kid": KEY_ID, "use": "sig",
                                                      "alg": "RS256"})
        self._process = None
        self._dir = None

    def __enter__(self) -> "OidcProvider":
        self._dir = tempfile.TemporaryDirectory(prefix="netmap-oidc-")
        config = Path(self._dir.name) / "config.json"
        config.write_text(json.dumps({
            "port": self.port,
            "issuer": self.issuer,
            "client": {"client_id": self.client_id, "client_secret": self.client_secret,
                       "redirect_uris": self.redirect_uris},
            "accounts": self.accounts,
            "jwks": {"keys": [self.private_jwk.as_dict(private=True)]},
        }))
        self._start_relay()
        log = open(Path(self._dir.name) / "provider.log", "w+")
        self._log = log
        self._process = subprocess.Popen(
            ["node", str(SCRIPT), str(config)], cwd=HERE, stdout=log,
            stderr=subprocess.STDOUT, env={**os.environ, "NODE_ENV": "development"})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            log.seek(0)
            if "listening" in log.read():
                return self
            time.sleep(0.05)
        log.seek(0)
        output = log.read()
        self.__exit__(None, None, None)
        raise RuntimeError(f"the OpenID Connect provider did not start:\n{output}")

    def _start_relay(self) -> None:
        provider = self

        class Relay(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _relay(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                upstream = http.client.HTTPConnection("127.0.0.1", provider.port, timeout=15)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "keep-alive")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                if provider.tamper and self.command == "POST" and \
                        self.path.split("?")[0] == "/token" and answer.status == 200:
                    data = json.dumps(provider.tamper(json.loads(data))).encode()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection",
                                         "keep-alive"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_HEAD = _relay

        self.relay = ThreadingHTTPServer(("127.0.0.1", self.relay_port), Relay)
        self.relay.daemon_threads = True
        threading.Thread(target=self.relay.serve_forever, name="oidc-relay",
                         daemon=True).start()

    def __exit__(self, *exc) -> None:
        if self.relay is not None:
            self.relay.shutdown()
            self.relay.server_close()
            self.relay = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._dir is not None:
            self._log.close()
            self._dir.cleanup()
            self._dir = None

    def settings(self, name: str = "Test Organisation") -> dict:
        """The app's settings to sign in through this provider."""
        return {"NETMAP_OIDC_ISSUER": self.issuer, "NETMAP_OIDC_CLIENT_ID": self.client_id,
                "NETMAP_OIDC_CLIENT_SECRET": self.client_secret, "NETMAP_OIDC_NAME": name}
