"""The app's mailer (netmap.mail, from NETMAP_MAIL_* settings or app.config) and the address
links in emails start with."""

from __future__ import annotations

from flask import current_app, request

from netmap.mail import SETTINGS, mailer_from, settings_from


def mail_settings() -> dict:
    return settings_from(**{k: current_app.config.get(k) for k in SETTINGS})


def get_mailer():
    mailer = current_app.extensions.get("netmap_mailer")
    if mailer is None:
        mailer = mailer_from(mail_settings())
        current_app.extensions["netmap_mailer"] = mailer
    return mailer


def base_url() -> str:
    """NETMAP_BASE_URL when set (behind a proxy, the address users know), else the address
    this request came to."""
    return (mail_settings().get("NETMAP_BASE_URL") or request.url_root).rstrip("/")


def secret() -> str:
    return current_app.config["SECRET_KEY"]
