"""Helpers for the build tests: read a built site the way a reader (or a browser) would.

Kept independent of duben.linkcheck on purpose: the tests should not trust the
code they test to resolve links.
"""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "dt", "dd", "tr", "nav", "section", "aside",
          "header", "ol", "ul", "div", "pre", "table", "article", "main", "dl"}


class _Main(HTMLParser):
    """Text lines of <main>, one per block element, plus every id and link on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 while inside <main>
        self.lines: list[str] = []
        self.current: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.main_html: list[str] = []

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) is not None and a.get("rel") != "canonical":
                self.links.append(str(a[key]))
        if tag == "main":
            self.depth += 1
        if self.depth and tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in BLOCKS:
            self.flush()
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.current.append(data)


def read_page(path: Path) -> _Main:
    parser = _Main()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def main_lines(path: Path) -> list[str]:
    """The text of the page's <main>, one line per block: what a reader sees, in order."""
    return read_page(path).lines


def main_html(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("<main"): text.index("</main>")]


def broken_links(site: Path) -> list[str]:
    """Every internal href/src (and #anchor) of every HTML file that does not resolve on disk."""
    pages = {p: read_page(p) for p in sorted(site.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = page
            if parts.path:
                target = Path(posixpath.normpath(page.parent.joinpath(unquote(parts.path))
                                                 .as_posix()))
                if target.is_dir():
                    target = target / "index.html"
            where = f"{page.relative_to(site)}: {link}"
            if not target.is_file():
                broken.append(f"{where} (no file)")
            elif (parts.fragment and target.suffix == ".html"
                  and unquote(parts.fragment) not in pages[target].ids):
                broken.append(f"{where} (no id {parts.fragment})")
    return broken
