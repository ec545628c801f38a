"""PDFs with WeasyPrint, made from the very HTML the site prints.

The whole edition comes from the print page (print/), each article from its
article page, each series from its print page: print.css lays them out on A4, and
theme/print/pdf.css adds what only a PDF has (running heads, page numbers in the
contents, bookmarks, one embedded CJK serif). WeasyPrint is the library for this:
it implements CSS paged media (target-counter, string-set, bookmark-level) and
embeds subsetted fonts (fonttools), so the Chinese text is real, searchable text.

Nothing is fetched from the network: the pages are rendered in memory and the
stylesheets are served from theme/static through our own URL fetcher. Links in a
PDF resolve against base_url, so they lead to the published site.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from duben.errors import DubenError, Problem
from duben.model.config import Config
from duben.model.edition import Edition
from duben.output import urls
from duben.paths import project_files
from duben.renderers.html.views import full_title
from duben.renderers.print import DEFAULT_SCRIPT, Convert, in_every_script, read_theme_file
from duben.renderers.print.view import edition_date

LINKED_CSS = (urls.STYLE, urls.PRINT_STYLE)  # what base.html links, in its order
POOL_FROM = 8  # fewer PDFs than this are made in-process: starting workers costs more


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: the page it is made from, where it goes, and its metadata."""

    url: str  # where the PDF is written
    page_url: str  # the HTML page it is made from
    title: str
    origin: str  # what claimed the URL, for errors
    authors: tuple[str, ...] = ()  # an article's own authors; else the config's author


def pdf_jobs(edition: Edition, config: Config) -> list[PdfJob]:
    """The edition (made from the one-page print edition, when there is one), then every
    article, then every series (the order errors come in)."""
    jobs = [PdfJob(urls.edition_pdf(), urls.PRINT, config.title, "print edition (PDF)")
            ] if config.print_page else []
    jobs += [PdfJob(urls.article_pdf(a.slug), urls.article(a.slug), full_title(a), a.path,
                    a.authors)
             for a in edition.articles]
    jobs += [PdfJob(urls.series_pdf(s.slug), urls.series_print(s.slug), s.name,
                    f"series {s.name} (PDF)") for s in edition.series]
    return jobs


def render_pdfs(edition: Edition, config: Config) -> dict[str, tuple[bytes, str]]:
    """Every PDF in every script: {url: (bytes, origin)}."""
    return in_every_script(edition, config, lambda e, c, script, convert: make_pdfs(
        e, c, pdf_jobs(e, c), script, convert))


def make_pdfs(edition: Edition, config: Config, jobs: list[PdfJob],
              script: str = DEFAULT_SCRIPT,
              convert: Convert | None = None) -> dict[str, tuple[bytes, str]]:
    """The PDFs of `jobs` in `script` (URLs without the script's prefix); the HTML they
    are made from comes from the html renderer, rendered as the site renders it."""
    from duben.renderers.html.render import render_edition

    try:
        import weasyprint  # noqa: F401  (fails here, with a message, rather than in a worker)
    except (ImportError, OSError) as exc:  # OSError: Pango is missing
        raise DubenError(Problem("--pdf", None, f"PDFs need WeasyPrint and Debian's "
                                 f"libpango-1.0-0 and libpangoft2-1.0-0: {exc}")) from None
    root_url = config.base_url.removesuffix(urls.variant_prefix(script))
    pages = render_edition(edition, config, script=script, root_url=root_url, convert=convert)
    resources = _resources(config.theme_dir / "static", config.root)
    pdf_css = read_theme_file(config, "print/pdf.css").decode("utf-8")
    meta = _Meta(root_url, config.author, config.publisher, edition_date(config), script)
    here = [urls.in_variant(j.page_url, script) for j in jobs]  # where render_edition put it
    work = [(url, pages[url][0].decode("utf-8"), j.title, j.authors)
            for url, j in zip(here, jobs, strict=True)]
    made = list(_map(work, (resources, pdf_css, meta), workers=_workers(len(jobs))))
    failed = [Problem(j.origin, None, f"cannot make {j.url}: {data}")
              for j, data in zip(jobs, made, strict=True) if isinstance(data, str)]
    if failed:
        raise DubenError(failed)
    return {j.url: (data, j.origin) for j, data in zip(jobs, made, strict=True)
            if isinstance(data, bytes)}


@dataclass(frozen=True)
class _Meta:
    base_url: str
    author: str
    publisher: str
    date: str
    language: str


def _workers(jobs: int) -> int:
    return 1 if jobs < POOL_FROM else max(1, min(os.cpu_count() or 1, jobs // POOL_FROM))


Work = tuple[str, str, str, tuple[str, ...]]  # page URL, its HTML, title, authors


def _map(work: list[Work], shared: tuple[dict[str, bytes], str, _Meta],
         workers: int) -> Iterable[bytes | str]:
    """PDFs in job order; across a process pool when there are many (WeasyPrint is
    pure Python and single-threaded, so processes are what use a second core)."""
    if workers == 1:
        _init(*shared)
        return [_try_make(*w) for w in work]
    with ProcessPoolExecutor(workers, initializer=_init, initargs=shared) as pool:
        return list(pool.map(_try_make, *zip(*work, strict=True), chunksize=4))


_SHARED: dict[str, object] = {}


def _init(resources: dict[str, bytes], pdf_css: str, meta: _Meta) -> None:
    """Per process: the stylesheets and metadata every PDF shares, parsed once.

    Parsing style.css and print.css was a quarter of the time of an article's PDF, so
    they are parsed here, once, and given to every document in the order the pages
    link them (then pdf.css); the pages' own <link>s are answered with nothing."""
    from weasyprint import CSS

    fetcher = _fetcher(resources, meta.base_url)
    sheets = [CSS(string=resources[url].decode("utf-8"), url_fetcher=fetcher,
                  base_url=urls.absolute(meta.base_url, url)) for url in LINKED_CSS]
    sheets.append(CSS(string=pdf_css, url_fetcher=fetcher))
    _SHARED.update(resources=resources, meta=meta, sheets=sheets)


def _try_make(*work: object) -> bytes | str:
    """The PDF, or what went wrong as text: one failing page (a WeasyPrint layout
    error, say) is reported with its origin, and the others are still tried."""
    try:
        return _make(*work)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - reported as a build problem, not swallowed
        return f"{type(exc).__name__}: {exc}"


def _make(page_url: str, html: str, title: str, authors: tuple[str, ...]) -> bytes:
    from weasyprint import HTML

    meta: _Meta = _SHARED["meta"]  # type: ignore[assignment]
    fetcher = _fetcher(_SHARED["resources"], meta.base_url)  # type: ignore[arg-type]
    base = urls.absolute(meta.base_url, urls.output_path(page_url))
    document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
        stylesheets=_SHARED["sheets"])
    document.metadata.title = title
    document.metadata.authors = list(authors) or ([meta.author] if meta.author else [])
    document.metadata.lang = meta.language
    document.metadata.created = meta.date
    document.metadata.modified = meta.date
    document.metadata.custom = {"Publisher": meta.publisher} if meta.publisher else {}
    return document.write_pdf(custom_metadata=True)  # writes Publisher to the info dict


def _fetcher(resources: dict[str, bytes], base_url: str) -> object:
    """A WeasyPrint URL fetcher serving the site's static files from memory; any other
    URL is an error (a stylesheet we cannot find would silently change the PDF)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            path = url.removeprefix(base_url)
            if path in LINKED_CSS:  # already given to the document, parsed (see _init)
                return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})
            if path not in resources:
                raise ValueError(f"not a file of the site: {url}")
            kind = "text/css" if path.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, resources[path], {"Content-Type": kind})

    return SiteFetcher(fail_on_errors=True)


def _resources(static_dir: Path, root: Path) -> dict[str, bytes]:
    """The site's stylesheets by URL, read under the symlink rule (see paths.py)."""
    files, problems = project_files(static_dir, root, "**/*.css")
    if problems:
        raise DubenError(problems)
    return {urls.static(p.relative_to(static_dir).as_posix()): p.read_bytes() for p in files}
