"""Check every internal link and #anchor of the site, page by page as pages are made.

`scan` reads one rendered page (in whichever process rendered it) and keeps only
what the check needs: the page's ids and each distinct link target, already resolved
exactly as a browser resolves it from the page's own file, so a link that works here
works at a domain root, under a sub-path and from file://. `check_links` resolves
them against the whole site at the end. Links that start with base_url (the 404 page,
canonical links) are checked too. No page is held in memory for the check.
"""
from __future__ import annotations

import posixpath
import re
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from duben.errors import Problem
from duben.output import urls

Target = tuple[str, str, str]  # (site file, unquoted fragment or "", the href as written)


@dataclass(frozen=True, slots=True)
class PageLinks:
    """One page's ids and its distinct internal link targets, in page order; compact,
    as every page's wait for the end of the build: the ids as one string, targets
    shared between pages (the same few recur on every page), their lines an array."""

    id_text: str  # the ids, sorted, one a line
    targets: tuple[Target, ...]
    lines: array[int]  # the line of the page's HTML each target is on

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.id_text.split("\n")) if self.id_text else frozenset()

    def __reduce__(self) -> tuple[type[PageLinks], tuple[str, tuple[Target, ...], array[int]]]:
        """Pickled by its fields (a slotted dataclass's own way calls fields() each time)."""
        return PageLinks, (self.id_text, self.targets, self.lines)


_SHARED: dict[Target, Target] = {}
# (base_url, "../"s to the root) -> {tag: target}: tags naming one target from that depth
_ROOTED: dict[tuple[str, str], dict[str, Target | None]] = {}
_UNSEEN = ("", "", "")  # (not a target: a tag not in _ROOTED yet)


def shared(links: PageLinks) -> PageLinks:
    """The same links, their targets shared with every other page's in this process."""
    targets = tuple(_SHARED.setdefault(t, t) for t in links.targets)
    return PageLinks(links.id_text, targets, links.lines)


LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "area": "href",
              "iframe": "src", "source": "src", "form": "action"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Only the start tags that matter: the regular expression engine passes over the rest
# (most of a page's <p>, <li>, <span>) without a Python loop turn each.
_LINK_TAG = re.compile(r"<(?:a|link|script|img|area|iframe|source|form)(?:\s[^<>]*)?>",
                       re.IGNORECASE)
_TAG_PARTS = re.compile(r"<([^\s>]+)(.*)>", re.DOTALL)
_PLAIN_A = re.compile(r'<a(?: class="[^"&<>]*")? href="([^"&<>]*)">')  # no entity, no rel
# `ID=`, `iD=` or `Id=`: each pattern starts with a literal, found fast (see Scanner.feed).
_UPPER_ID = (re.compile(r"D\s*="), re.compile(r"I[dD]\s*="))
# An id attribute, found by its name (the engine skips ahead to each 'i'; a pattern
# anchored at '<' walks every tag, 10x slower); `_ids` keeps those in a tag, after a space.
_ID_ATTR = re.compile(r"""[iI][dD]\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_ID_ATTR_LOWER = re.compile(_ID_ATTR.pattern.replace("[iI][dD]", "id"))
_ATTR = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def scan(html: str, here: str, base_url: str) -> PageLinks:
    """The links and ids of one whole page (see Scanner)."""
    scanner = Scanner(here, base_url)
    scanner.feed(html)
    return scanner.done()


class Scanner:
    """Reads a page's start tags with regular expressions rather than html.parser, in
    pieces as the page is written (the whole-edition print page is tens of MB at
    10,000 articles and is never held whole).

    The pages are our own well-formed output (the Nu checker tests prove it), and this
    runs on every page. Comments are blanked first; text never holds a raw '<', so a
    '<' starts a tag. Line numbers are counted as the scan moves forward, so a long
    page costs no more than its length. The same tags recur on every page (the header,
    the lists): a tag's link is resolved once per build and depth (`_target`).
    """

    def __init__(self, here: str, base_url: str) -> None:
        self.here, self.base_url = here, base_url
        self.folder = here[:here.rfind("/") + 1]  # "" at the root
        self.up = "../" * self.folder.count("/")  # climbing to the root: the same file
        self.ids: set[str] = set()
        self.targets: dict[Target, int] = {}
        # Links to an #anchor of this very page not seen yet: checked here as the ids arrive,
        # not at the end (the print page has 100,000s: contents, 校勘记 markers, notes).
        self.pending: dict[Target, int] = {}
        self.line = 1  # of the start of the text not yet read
        self.rest = ""  # text after the last complete tag, read with the next piece

    def feed(self, text: str, final: bool = True) -> None:
        """Read `text`; unless `final`, keep what follows its last complete tag (or an
        unclosed comment) for the next piece."""
        text = self.rest + text
        cut = len(text) if final else text.rfind(">") + 1
        comment = text.rfind("<!--", 0, cut)
        if not final and comment >= 0 and text.find("-->", comment) < 0:
            cut = comment
        html, self.rest = text[:cut], text[cut:]
        if "<!--" in html:
            html = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), html)
        # `id=` only in lower case (as our templates write it): a literal-led pattern, 5x faster.
        self.ids.update(_ids(html, _lower_case(html)))
        line, counted = self.line, 0
        rooted = _ROOTED.setdefault((self.base_url, self.up), {})
        targets, pending, ids, here = self.targets, self.pending, self.ids, self.here
        # Each distinct tag once, at its first occurrence (a tag holds no '<': found
        # by str.find, it is the first match), in page order.
        for tag in dict.fromkeys(_LINK_TAG.findall(html)):
            target = rooted.get(tag, _UNSEEN)
            if target is _UNSEEN:
                target = self._target(tag, rooted)
            if target is None or target in targets or target in pending:
                continue
            at = html.find(tag, counted)
            line += html.count("\n", counted, at)
            counted = at
            if target[0] != here or not target[1]:
                targets[target] = line
            elif target[1] not in ids:
                pending[target] = line
        self.line = line + html.count("\n", counted)
        if pending:
            self.pending = {t: n for t, n in pending.items() if t[1] not in ids}

    def _target(self, tag: str, rooted: dict[str, Target | None]) -> Target | None:
        """The target a tag links to (None: none, or external); kept in `rooted` (this
        depth's) if it climbs to the root."""
        raw = _link_of(tag)
        resolved = None if raw is None else self._resolve(raw)
        target = None if raw is None or resolved is None else (*resolved, raw)
        if raw is None or (raw.startswith(self.up) and _path_of(raw[len(self.up):])):
            rooted[tag] = target  # not relative to this page's own folder
        return target

    def _resolve(self, raw: str) -> tuple[str, str] | None:
        if not _path_of(raw):
            return _resolve(raw, self.here, self.base_url)  # this page itself
        if self.up and raw.startswith(self.up):  # from every page at this depth
            rest = raw[len(self.up):]  # "" or "#x": the root folder itself, not a page
            return _resolve_from("", rest if _path_of(rest) else "./" + rest, self.base_url)
        return _resolve_from(self.folder, raw, self.base_url)

    def done(self) -> PageLinks:
        """The page's links to other files, and to anchors of its own it lacks."""
        self.feed("", final=True)
        targets = self.targets | self.pending
        return shared(PageLinks("\n".join(sorted(self.ids)), tuple(targets),
                                array("I", targets.values())))


def _lower_case(html: str) -> bool:
    """No `id=` in any case but lower (text that looks like one counts as one)."""
    return not any(rx.search(html) for rx in _UPPER_ID)


def _ids(html: str, lower: bool = False) -> Iterator[str]:
    """The id attributes' values: an `id=` after a space, inside a tag (the last '<'
    before it is later than the last '>'); text never holds a raw '<' or a quote
    the escaping left in. `lower`: no `ID=` in any case but lower (see Scanner.feed)."""
    for m in (_ID_ATTR_LOWER if lower else _ID_ATTR).finditer(html):
        at = m.start()
        if at and html[at - 1].isspace() and html.rfind("<", 0, at) > html.rfind(">", 0, at):
            value = m.group(1) or m.group(2) or m.group(3)
            if value:
                yield unescape(value)


@lru_cache(maxsize=1 << 16)  # the tags every page repeats, and each article's links
def _link_of(tag: str) -> str | None:
    """The link a start tag makes (its href, src or action), or None (none; canonical)."""
    simple = _PLAIN_A.fullmatch(tag)  # most tags a page has alone: read without a dict
    if simple:
        return simple.group(1)
    parts = _TAG_PARTS.fullmatch(tag)
    if parts is None:
        return None
    values = _attributes(parts.group(2))
    attr = LINK_ATTRS[parts.group(1).lower()]
    return values[attr] if attr in values and values.get("rel") != "canonical" else None


@lru_cache(maxsize=4096)  # the tags every page repeats; most others occur once
def _attributes(text: str) -> dict[str, str]:
    """A tag's attributes (shared between calls: never change the result)."""
    return {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(text)}


def _path_of(link: str) -> str:
    """A link's path: what comes before its query or fragment."""
    return link.partition("#")[0].partition("?")[0]


@lru_cache(maxsize=1 << 16)  # each article is linked from many pages
def _resolve_from(folder: str, target: str, base_url: str) -> tuple[str, str] | None:
    """_resolve for a link with a path, which names the same file from any page of
    `folder` (a page's folder with its '/', or "" at the root)."""
    return _resolve(target, folder + "page", base_url)


def _resolve(target: str, here: str, base_url: str) -> tuple[str, str] | None:
    """(site file, unquoted fragment) a link needs, or None for an external link."""
    if base_url and target.startswith(base_url):
        path, _, fragment = target[len(base_url):].partition("#")
        return urls.output_path(unquote(path)), unquote(fragment)
    if ":" in target or target.startswith("//"):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            return None  # external: not ours to check (and the site should have none)
    path, _, fragment = target.partition("#")
    path = path.partition("?")[0]
    if not path:
        return here, unquote(fragment)
    return _join(here, unquote(path)), unquote(fragment)


def _join(here: str, path: str) -> str:
    """The output path a relative link from the file `here` names: the same as
    posixpath.normpath of the join (a folder link means its index.html), with a fast
    path for the links we write (leading '../' segments, then names)."""
    parts = here.split("/")[:-1]
    segments = path.split("/")
    up = 0
    while up < len(segments) - 1 and segments[up] == "..":
        up += 1
    rest = segments[up:]
    if up > len(parts) or "." in rest or ".." in rest or rest[-1:] == [".."]:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
        if path.endswith("/") or joined == ".":
            joined = urls.output_path(joined.rstrip(".") + "/" if joined != "." else "")
        return joined
    joined = "/".join(parts[:len(parts) - up] + [r for r in rest if r])
    return urls.output_path(joined + "/" if joined else "") if path.endswith("/") else joined


def check_links(pages: Mapping[str, tuple[str, PageLinks | None]],
                files: set[str], root: Path) -> list[Problem]:
    """Problems for links to files that do not exist or #anchors that no element has.

    `pages` maps each scanned page's output path to (origin, links); `files` is every
    output path of the site (pages, static files, other renderers' files).
    """
    problems = []
    ids: dict[str, frozenset[str]] = {}  # of each page some link names an #anchor in
    verdicts: dict[Target, str | None] = {}  # each distinct target checked once
    for here in sorted(pages):
        origin, links = pages[here]
        if links is None:
            continue
        for target, line in zip(links.targets, links.lines):
            missing = verdicts[target] if target in verdicts else verdicts.setdefault(
                target, _missing(target[0], target[1], files, pages, ids))
            if missing:
                problems.append(Problem(origin, _source_line(root, origin, target[2]),
                                        f"broken link {target[2]!r} on {here} (line {line}): "
                                        f"{missing}"))
    return problems


def _missing(path: str, fragment: str, files: set[str],
             pages: Mapping[str, tuple[str, PageLinks | None]],
             ids: dict[str, frozenset[str]]) -> str | None:
    """Why the link is broken, or None. `ids` keeps each target page's ids as a set, made
    once (a search of the print page's id text per link was quadratic: 10 s at 10,000)."""
    if path not in files:
        return f"no file {path}"
    links = pages.get(path, ("", None))[1]  # None: not a page we scanned
    if not fragment or links is None:
        return None
    known = ids[path] if path in ids else ids.setdefault(path, links.ids)
    return None if fragment in known else f"no element with id {fragment!r} in {path}"


def _source_line(root: Path, origin: str, target: str) -> int | None:
    """The line of a content file that holds the link text, when the page came from one."""
    if not origin.endswith(".md"):
        return None
    try:
        lines = (root / origin).read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    return next((i for i, text in enumerate(lines, 1) if target in text), None)
