"""Every URL of the site, in one place.

A URL here is a path relative to the site root: "" is the home page, a trailing
"/" means a pretty URL written as `<url>index.html`. Pages link to each other with
`relative()`, which always names the file (`../x/index.html`), because a browser
reading the site from file:// does not open index.html for a folder. `base_url`
appears only through `absolute()`: canonical links, the feed, the sitemap, and
the 404 page (which the server shows at any depth, so relative links would break).
"""
from __future__ import annotations

from functools import lru_cache

HOME = ""
ARTICLES = "articles/"
ABOUT = "about/"
CORRECTIONS = "corrections/"
PAGES = "pages/"
SERIES = "series/"
COLUMNS = "columns/"
TAGS = "tags/"
AUTHORS = "authors/"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"
STYLE = "static/style.css"
PRINT_STYLE = "static/print.css"
FAVICON = "static/favicon.svg"
PRINT = "print/"  # the whole edition on one page: cover, contents, every article
SEARCH = "search/"
SEARCH_CHARS = "search/chars.json"  # the query's other-script characters -> this script
PAGEFIND = "pagefind/"  # the Pagefind bundle, written over the staged site after rendering
# Each script's edition lives under its own prefix; the default one at the root.
VARIANT_PREFIXES = {"zh-Hans": "", "zh-Hant": "zh-hant/"}
# Shared by every script: one copy at the root, never prefixed.
_SHARED = ("static/", PAGEFIND)


def article(slug: str) -> str:
    return f"{ARTICLES}{slug}/"


def page(page_id: str) -> str:
    return f"{PAGES}{page_id}/"


def series(slug: str) -> str:
    return f"{SERIES}{slug}/"


def series_print(slug: str) -> str:
    """Every installment of a series on one page, for A4 handouts."""
    return f"{SERIES}{slug}/print/"


def edition_pdf() -> str:
    """The whole edition as one PDF, made from the print page."""
    return f"{PRINT}duben.pdf"


def edition_epub() -> str:
    return f"{PRINT}duben.epub"


def article_pdf(slug: str) -> str:
    """One article as a PDF, beside its page; named by slug so a download keeps its name."""
    return f"{article(slug)}{slug}.pdf"


def series_pdf(slug: str) -> str:
    return f"{series_print(slug)}{slug}.pdf"


def column(slug: str) -> str:
    return f"{COLUMNS}{slug}/"


def tag(slug: str) -> str:
    return f"{TAGS}{slug}/"


def author(slug: str) -> str:
    return f"{AUTHORS}{slug}/"


def paged(url: str, number: int) -> str:
    """Page `number` of a long list whose first page is `url`: page 1 is `url` itself,
    page 2 is `<url>page/2/` (the home page's is `page/2/`)."""
    return url if number == 1 else f"{url}page/{number}/"


def static(name: str) -> str:
    return f"static/{name}"


def output_path(url: str) -> str:
    """The file written for a URL, relative to the site folder."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative(from_url: str, to_url: str, anchor: str = "") -> str:
    """A link from the page at from_url to to_url (plus #anchor), naming the file.

    The same result as posixpath.relpath from the page's folder, computed from the
    path segments: this runs for every link of every page.
    """
    up, first = _climb(from_url)
    if not to_url.startswith(first):  # no folder in common (most links): up to the root
        href = up + _file(to_url)
        return f"{href}#{anchor}" if anchor else href
    here = _folder(from_url)
    there = _segments(to_url)
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    href = "/".join([".."] * (len(here) - common) + list(there[common:])) or "."
    return f"{href}#{anchor}" if anchor else href


@lru_cache(maxsize=65536)
def _segments(url: str) -> tuple[str, ...]:
    """The path segments of the file written for `url` (the same targets recur)."""
    return tuple(output_path(url).split("/"))


@lru_cache(maxsize=4096)
def _climb(url: str) -> tuple[str, str]:
    """("../" for each folder of the page at `url`, its first folder with "/"); at the
    root ("", "\0"): no URL starts with NUL, and there is nothing to climb."""
    folder = _folder(url)
    return ("../" * len(folder), folder[0] + "/") if folder else ("", "\0")


@lru_cache(maxsize=65536)
def _file(url: str) -> str:
    return output_path(url)


@lru_cache(maxsize=4096)
def _folder(url: str) -> tuple[str, ...]:
    """The folder segments of the file written for `url` ("" -> ())."""
    return tuple(output_path(url).split("/")[:-1])


def absolute(base_url: str, url: str, anchor: str = "") -> str:
    """The public URL (pretty form, no index.html) under base_url."""
    return base_url + url + (f"#{anchor}" if anchor else "")


def variant_prefix(script: str) -> str:
    """The folder a script's edition lives in ("" for the default script)."""
    return VARIANT_PREFIXES[script]


def in_variant(url: str, script: str) -> str:
    """The URL of the same page in `script`'s edition; shared assets stay where they are."""
    if url.startswith(_SHARED) or url in (NOJEKYLL, ROBOTS, NOT_FOUND, SITEMAP):
        return url
    return variant_prefix(script) + url
