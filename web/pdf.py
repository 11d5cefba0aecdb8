"""Documents as A4 PDFs (WeasyPrint): a template, the shared print stylesheet and the
document's own. Nothing is fetched from the network, only files under static/ and data: URLs,
so a PDF can be made on a closed network and cannot be made to call out."""

from __future__ import annotations

from pathlib import Path

from flask import render_template

STATIC = Path(__file__).resolve().parent.parent / "static"
BASE_CSS = "pdf-base.css"


def local_only_fetcher():
    """WeasyPrint may read files under static/ and data: URLs, and nothing else."""
    from weasyprint.urls import URLFetcher

    root = STATIC.resolve()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if root not in path.parents:
                    raise ValueError(f"not a static file: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


def render_pdf(template: str, stylesheet: str, **context) -> bytes:
    """`template` rendered with `context`, styled by pdf-base.css and static/css/`stylesheet`."""
    from weasyprint import CSS, HTML

    html = render_template(template, **context)
    fetcher = local_only_fetcher()
    sheets = [CSS(filename=str(STATIC / "css" / name), url_fetcher=fetcher)
              for name in (BASE_CSS, stylesheet)]
    return HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher).write_pdf(
        stylesheets=sheets)
