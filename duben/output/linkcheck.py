"""Check every internal link and #anchor of the rendered site, in memory, before writing.

Links are resolved exactly as a browser would resolve them from the page's own file,
so a link that works here works at a domain root, under a sub-path and from file://.
Links that start with base_url (the 404 page, canonical links) are checked too.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from duben.errors import Problem
from duben.output import urls


@dataclass(frozen=True)
class _Scan:
    """The ids of one page and (line, tag, target) of every link-like attribute."""

    ids: frozenset[str]
    links: tuple[tuple[int, str, str], ...]


LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "area": "href",
              "iframe": "src", "source": "src", "form": "action"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?>")
_ATTR = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def scan(html: str) -> _Scan:
    """Read start tags with a regular expression rather than html.parser: the pages are
    our own well-formed output (the Nu checker tests prove it), and this is the build's
    hottest loop. Comments are blanked first; text never holds a raw '<'."""
    html = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), html)
    ids: set[str] = set()
    links: list[tuple[int, str, str]] = []
    line, counted = 1, 0  # lines are counted on from the last link: one pass, not n²
    for tag_match in _START_TAG.finditer(html):
        tag = tag_match.group(1).lower()
        values = {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "")
                  for m in _ATTR.finditer(tag_match.group(2) or "")}
        if values.get("id"):
            ids.add(values["id"])
        attr = LINK_ATTRS.get(tag)
        if attr and attr in values and values.get("rel") != "canonical":
            line += html.count("\n", counted, tag_match.start())
            counted = tag_match.start()
            links.append((line, tag, values[attr]))
    return _Scan(frozenset(ids), tuple(links))


def check_links(pages: dict[str, tuple[bytes, str]], base_url: str, root: Path) -> list[Problem]:
    """Problems for links to files that do not exist or #anchors that no element has."""
    files = {urls.output_path(url): url for url in pages}
    scans = {url: scan(data.decode("utf-8")) for url, (data, _) in pages.items()
             if urls.output_path(url).endswith(".html")}
    problems = []
    for url, page_scan in sorted(scans.items()):
        here = urls.output_path(url)
        for line, _tag, target in page_scan.links:
            missing = _resolve(target, here, base_url, files, scans)
            if missing:
                origin = pages[url][1]
                problems.append(Problem(origin, _source_line(root, origin, target),
                                        f"broken link {target!r} on {here} (line {line}): {missing}"))
    return problems


def _resolve(target: str, here: str, base_url: str, files: dict[str, str],
             scans: dict[str, _Scan]) -> str | None:
    """None if the link resolves, else what is missing."""
    if base_url and target.startswith(base_url):
        path, _, fragment = target[len(base_url):].partition("#")
        path = urls.output_path(unquote(path))
    else:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            return None  # external: not ours to check (and the site should have none)
        fragment = parts.fragment
        if parts.path:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(parts.path)))
            if parts.path.endswith("/") or path == ".":
                path = urls.output_path(path.rstrip(".") + "/" if path != "." else "")
        else:
            path = here
    if path not in files:
        return f"no file {path}"
    target_scan = scans.get(files[path])
    if fragment and target_scan is not None and unquote(fragment) not in target_scan.ids:
        return f"no element with id {fragment!r} in {path}"
    return None


def _source_line(root: Path, origin: str, target: str) -> int | None:
    """The line of a content file that holds the link text, when the page came from one."""
    if not origin.endswith(".md"):
        return None
    try:
        lines = (root / origin).read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    return next((i for i, text in enumerate(lines, 1) if target in text), None)
