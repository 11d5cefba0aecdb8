"""The JSON API under /api/v1, one blueprint per area, described at /api/v1/openapi.json."""


def register(api) -> None:
    import importlib
    import pkgutil

    # Every module here with a `blp` is an area of the API.
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "blp"):
            api.register_blueprint(module.blp)
