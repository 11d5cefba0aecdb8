"""Settings, from the environment (NETMAP_*) with safe defaults for one machine."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from netmap.policy import DEFAULT_SAFEGUARDING_ROLES


def _secret_key(data_dir: str) -> str:
    """One key shared by every worker on this data dir, made once and kept beside the data."""
    if os.environ.get("NETMAP_SECRET_KEY"):
        return os.environ["NETMAP_SECRET_KEY"]
    path = Path(data_dir) / "secret_key"
    from graph.embedded import make_private_dir

    make_private_dir(path.parent)  # 0700, whatever the umask
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(**overrides) -> dict:
    data_dir = overrides.get("NETMAP_DATA_DIR") or os.environ.get("NETMAP_DATA_DIR", "./data")
    config = {
        "NETMAP_DATABASE_URL": os.environ.get("NETMAP_DATABASE_URL", ""),
        "NETMAP_DATA_DIR": data_dir,
        "SECRET_KEY": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("NETMAP_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(os.environ.get("NETMAP_SESSION_MINUTES", "30"))),
        "WTF_CSRF_TIME_LIMIT": None,
        # Over https Flask-WTF also wants a Referer from this host, but pages are sent with
        # Referrer-Policy: no-referrer, so browsers send none: behind a trusted TLS proxy every
        # form was refused. The token (and SameSite=Lax cookies) protect the forms.
        "WTF_CSRF_SSL_STRICT": False,
        # Checked by hand for the API: a bearer token needs no CSRF token, a cookie does.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "API_TITLE": "netmap",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
        "NETMAP_SAFEGUARDING_ROLES": DEFAULT_SAFEGUARDING_ROLES,
        # Running behind a proxy, logs and metrics (web/operations.py); two-factor sign-in.
        "NETMAP_TRUSTED_PROXIES": os.environ.get("NETMAP_TRUSTED_PROXIES", ""),
        "NETMAP_METRICS_TOKEN": os.environ.get("NETMAP_METRICS_TOKEN", ""),
        "NETMAP_METRICS_ADDRESSES": os.environ.get("NETMAP_METRICS_ADDRESSES", ""),
        "NETMAP_ACCESS_LOG": {"1": True, "0": False}.get(os.environ.get("NETMAP_ACCESS_LOG", "")),
        "NETMAP_ADMIN_TWO_FACTOR": os.environ.get("NETMAP_ADMIN_TWO_FACTOR", "1") != "0",
        "NETMAP_SMALL_NUMBER_THRESHOLD": int(os.environ.get("NETMAP_SMALL_NUMBER_THRESHOLD",
                                                            "5")),
        "NETMAP_LOGIN_LIMIT": os.environ.get("NETMAP_LOGIN_LIMIT", "10 per minute"),
        # Sign-in with the organisation's OpenID Connect provider (web/oidc.py): on when the
        # issuer and client id are set. NETMAP_LOCAL_PASSWORDS=0 then turns staff passwords off.
        "NETMAP_OIDC_ISSUER": os.environ.get("NETMAP_OIDC_ISSUER", ""),
        "NETMAP_OIDC_CLIENT_ID": os.environ.get("NETMAP_OIDC_CLIENT_ID", ""),
        "NETMAP_OIDC_CLIENT_SECRET": os.environ.get("NETMAP_OIDC_CLIENT_SECRET", ""),
        "NETMAP_OIDC_NAME": os.environ.get("NETMAP_OIDC_NAME", "")
        or "your organisation's account",
        "NETMAP_OIDC_REDIRECT_URI": os.environ.get("NETMAP_OIDC_REDIRECT_URI", ""),
        "NETMAP_LOCAL_PASSWORDS": os.environ.get("NETMAP_LOCAL_PASSWORDS", "1") != "0",
    }
    config.update(overrides)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _secret_key(config["NETMAP_DATA_DIR"])
    return config
