"""PDFs are made on closed networks: WeasyPrint may read static files and data: URLs only."""

from __future__ import annotations

import pytest

from web.pdf import STATIC, local_only_fetcher


def test_static_files_and_data_urls_are_read():
    fetcher = local_only_fetcher()
    found = fetcher.fetch((STATIC / "css" / "pdf-base.css").as_uri())
    assert b"@page" in found.read()
    found.close()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.org/x.css",
                                 (STATIC.parent / "pyproject.toml").as_uri()])
def test_anything_else_is_refused(url):
    with pytest.raises(Exception):
        local_only_fetcher().fetch(url)
