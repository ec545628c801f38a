"""Outputs. Every renderer takes the same loaded, checked Edition and returns files.

A renderer is a function `(edition, config) -> Files`, where Files maps a site URL
(see duben/output/urls.py) to the bytes written there and the origin that claimed
it (for collision errors): the search page's character map, the EPUB, the PDFs.
Each is made in every script from renderers/scripts.py's `in_scripts`, which converts
the edition once per build. The HTML site is the one output large enough to stream:
`build` renders its pages (renderers/html/specs.py) over a process pool and writes
them as they come, instead of calling a function that returns them all. `build`
picks which outputs run; adding one touches no other.
"""
from __future__ import annotations

from collections.abc import Callable

from duben.model.config import Config
from duben.model.edition import Edition

Files = dict[str, tuple[bytes, str]]
Renderer = Callable[[Edition, Config], Files]


def available() -> dict[str, Renderer]:
    """The renderers by name, imported only when asked for (each has its own dependencies)."""
    from duben.renderers.print.epub import render_epub
    from duben.renderers.print.pdf import render_pdfs
    from duben.renderers.search import render_search

    return {"search": render_search, "epub": render_epub,
            "pdf": render_pdfs}


def default_renderers(config: Config) -> tuple[str, ...]:
    """What a build makes: the site, its search index, the EPUB unless turned off
    (`epub: false`, --no-epub); the PDFs only when asked (they are slow)."""
    return (("html", "search") + (("epub",) if config.epub else ())
            + (("pdf",) if config.pdf else ()))
