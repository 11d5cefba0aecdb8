"""The organisation's OpenID Connect provider, through Authlib's Flask client.

On when NETMAP_OIDC_ISSUER and NETMAP_OIDC_CLIENT_ID are set (NETMAP_OIDC_CLIENT_SECRET for a
confidential client, as Microsoft Entra ID and most organisation providers register a web app).
The provider is found by discovery, from <issuer>/.well-known/openid-configuration; the
document must name the configured issuer (no mix-up with another provider). Sign-in is the
authorization code flow with PKCE (S256), state and nonce, kept in the signed session until the
provider sends the browser back. Authlib checks the ID token's signature against the provider's
published keys (fetched again once when a key id is new: keys rotate), its issuer, audience,
expiry, issue time and nonce. The pages are web/views/organisation_sign_in.py; who a checked
identity is, netmap/services/organisation_sign_in.py.
"""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

CLIENT_NAME = "organisation"
SCOPE = "openid email profile"
HTTP_TIMEOUT_S = 10
# Clocks differ a little between the provider and this service.
LEEWAY_S = 60


class SettingsError(RuntimeError):
    pass


def enabled(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("NETMAP_OIDC_ISSUER") and config.get("NETMAP_OIDC_CLIENT_ID"))


def local_passwords(app: Flask | None = None) -> bool:
    """Whether staff may sign in with a netmap password (young people always may)."""
    return bool((app or current_app).config.get("NETMAP_LOCAL_PASSWORDS", True))


def init_app(app: Flask) -> None:
    if not enabled(app):
        if not local_passwords(app):
            raise SettingsError(
                "NETMAP_LOCAL_PASSWORDS=0 turns staff passwords off, so staff need the "
                "organisation's sign-in: set NETMAP_OIDC_ISSUER, NETMAP_OIDC_CLIENT_ID and "
                "NETMAP_OIDC_CLIENT_SECRET too.")
        app.extensions["netmap_oidc"] = None
        return
    issuer = app.config["NETMAP_OIDC_ISSUER"].rstrip("/")
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["NETMAP_OIDC_CLIENT_ID"],
        client_secret=app.config.get("NETMAP_OIDC_CLIENT_SECRET") or None,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256",
                       "timeout": HTTP_TIMEOUT_S},
    )
    app.extensions["netmap_oidc"] = oauth


def client():
    """Authlib's client for the provider (its discovery document loaded and checked)."""
    oauth = current_app.extensions.get("netmap_oidc")
    if oauth is None:
        return None
    provider = oauth.create_client(CLIENT_NAME)
    metadata = provider.load_server_metadata()
    expected = current_app.config["NETMAP_OIDC_ISSUER"].rstrip("/")
    if str(metadata.get("issuer", "")).rstrip("/") != expected:
        # Forget it, so a corrected document is read next time.
        provider.server_metadata = {}
        raise SettingsError(f"the provider's discovery document names the issuer "
                            f"{metadata.get('issuer')!r}, not {expected!r}")
    return provider


def claims_options(provider) -> dict:
    """What Authlib checks in the ID token beyond signature, expiry and nonce. Left to itself it
    checks the issuer but not that the token was issued to this client (the audience)."""
    return {"iss": {"essential": True, "values": [provider.server_metadata["issuer"]]},
            "aud": {"essential": True, "values": [current_app.config["NETMAP_OIDC_CLIENT_ID"]]}}


def check_audience(claims: dict) -> None:
    """The token is for this client alone (OpenID Connect Core 3.1.3.7: refuse a token with
    audiences this service does not trust)."""
    from joserfc.errors import InvalidClaimError

    audience = claims.get("aud")
    client_id = current_app.config["NETMAP_OIDC_CLIENT_ID"]
    if audience != client_id and audience != [client_id]:
        raise InvalidClaimError("aud")


def provider_name() -> str:
    return current_app.config.get("NETMAP_OIDC_NAME") or "your organisation's account"


def sign_in_options() -> dict:
    """What the sign-in page offers (auth/sign_in.html)."""
    return {"oidc_enabled": enabled(), "oidc_name": provider_name(),
            "local_passwords": local_passwords()}
