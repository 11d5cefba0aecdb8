"""The HTML pages, one blueprint per area; templates/ mirrors them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from .. import health
    from . import auth, nav

    nav.init_nav(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    for module in _area_modules():
        app.register_blueprint(module.bp)


def _area_modules():
    """The pages of each area (young people, maps, search…), added as they are built."""
    import importlib
    import pkgutil

    skip = {"auth", "forms", "helpers", "nav"}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name in skip or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp"):
            yield module
