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


# Tagged PDF for assistive technology (PDF/UA-1): a structure tree, MarkInfo, the document's
# language (from <html lang>) and its title (from <title>) shown as the window title.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, stylesheet: str, **context) -> bytes:
    """`template` rendered with `context`, styled by pdf-base.css and static/css/`stylesheet`.
    The template must give <html lang="…"> and a <title>: the tagged PDF takes both."""
    return pdf_from_html(render_template(template, **context), stylesheets=(stylesheet,))


def pdf_from_html(html: str, stylesheets=(), css: str | None = None,
                  base_css: bool = True) -> bytes:
    """The one way a PDF is made: `html` styled by pdf-base.css (unless `base_css` is false),
    then static/css/<each of `stylesheets`>, then the CSS text `css`; tagged (PDF/UA-1);
    only static files and data: URLs may be read."""
    from weasyprint import CSS, HTML

    fetcher = local_only_fetcher()
    names = ((BASE_CSS,) if base_css else ()) + tuple(stylesheets)
    sheets = [CSS(filename=str(STATIC / "css" / name), url_fetcher=fetcher) for name in names]
    if css:
        sheets.append(CSS(string=css, url_fetcher=fetcher))
    return HTML(string=html, base_url=str(STATIC) + "/", url_fetcher=fetcher).write_pdf(
        stylesheets=sheets, pdf_variant=PDF_VARIANT)

