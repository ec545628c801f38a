"""Check every internal link and #anchor of the site, page by page as pages are made.

`scan` reads one rendered page (in whichever process rendered it) and keeps only
what the check needs: the page's ids and each distinct link target, already resolved
exactly as a browser resolves it from the page's own file, so a link that works here
works at a domain root, under a sub-path and from file://. `check_links` resolves
them against the whole site at the end, and finds the line of a broken one in the
page's file then (lines are wanted only for errors). Links that start with base_url
(the 404 page, canonical links) are checked too. No page is held in memory for the check.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from itertools import repeat
from pathlib import Path
from urllib.parse import unquote

from duben.errors import Problem
from duben.output.hrefs import path_of, resolve_from

# (site file, or "" for the page the link is on; unquoted fragment or ""; the href as
# written). A link with no path (`#x`, `?q`) is "" whatever page it is on.
Target = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class PageLinks:
    """One page's ids and its distinct internal link targets, in page order; compact,
    as every page's wait for the end of the build: the ids as one string, targets
    shared between pages (the same few recur on every page)."""

    id_text: str  # the ids, sorted, one a line
    targets: tuple[Target, ...]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.id_text.split("\n")) if self.id_text else frozenset()

    def __reduce__(self) -> tuple[type[PageLinks], tuple[str, tuple[Target, ...]]]:
        """Pickled by its fields (a slotted dataclass's own way calls fields() each time)."""
        return PageLinks, (self.id_text, self.targets)


_SHARED: dict[Target, Target] = {}
# (base_url, "../"s to the root) -> {tag: target}: tags naming one target from any page
# at that depth (links that climb to the root, links with no path, tags with no link)
_ROOTED: dict[tuple[str, str], dict[str, Target | None]] = {}
# (base_url, a folder) -> {tag: target}: links starting '../' from the pages of its
# sub-folders (an article page's links to other articles), the same from each of them
_BELOW: dict[tuple[str, str], dict[str, Target | None]] = {}
_UNSEEN: object = object()  # (not a target: a tag not in _ROOTED yet)


def shared(links: PageLinks) -> PageLinks:
    """The same links, their targets shared with every other page's in this process."""
    return PageLinks(links.id_text, tuple(_SHARED.setdefault(t, t) for t in links.targets))


LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "area": "href",
              "iframe": "src", "source": "src", "form": "action"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Only the start tags that matter: the regular expression engine passes over the rest
# (most of a page's <p>, <li>, <span>) without a Python loop turn each. The lookahead
# (tag names are ASCII) spares the case-blind branches at most '<': 51 -> 31 µs a page.
_LINK_TAG = re.compile(r"<(?=[aAlLsSiIfF])(?:a|link|script|img|area|iframe|source|form)"
                       r"(?:\s[^<>]*)?>", re.IGNORECASE)
_TAG_PARTS = re.compile(r"<([^\s>]+)(.*)>", re.DOTALL)
_PLAIN_A = re.compile(r'<a(?: class="[^"&<>]*")? href="([^"&<>]*)">')  # no entity, no rel
# A page's canonical link and its alternates (unique to the page: each read once).
_PLAIN_LINK = re.compile(r'<link rel="(alternate|canonical)"(?: hreflang="[^"&<>]*")? '
                         r'href="([^"&<>]*)">')
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
    '<' starts a tag. The same tags recur on every page (the header, the lists): a
    tag's link is resolved once per build and depth (`_target`), and a page's tags
    are looked up all at once, without a Python loop turn each.
    """

    def __init__(self, here: str, base_url: str) -> None:
        self.here, self.base_url = here, base_url
        self.folder = here[:here.rfind("/") + 1]  # "" at the root
        self.up = "../" * self.folder.count("/")  # climbing to the root: the same file
        above = self.folder[:self.folder.rfind("/", 0, -1) + 1]  # "articles/" for "articles/a/"
        self.below = _BELOW.setdefault((base_url, above), {}) if above else None
        self.ids: set[str] = set()
        self.targets: dict[Target, None] = {}  # (a dict: distinct, in page order)
        # Links to an #anchor of this very page not seen yet: checked here as the ids arrive,
        # not at the end (the print page has 100,000s: contents, 校勘记 markers, notes).
        self.pending: dict[Target, None] = {}
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
            html = _blank_comments(html)
        # `id=` only in lower case (as our templates write it): a literal-led pattern, 5x faster.
        ids = self.ids
        ids.update(_ids(html, _lower_case(html)))
        rooted = _ROOTED.setdefault((self.base_url, self.up), {})
        tags = dict.fromkeys(_LINK_TAG.findall(html))  # each distinct tag once, in page order
        found = list(map(rooted.get, tags, repeat(_UNSEEN)))
        if self.below is not None and _UNSEEN in found:  # (no tag is in both tables)
            found = list(map(self.below.get, tags, found))
        if _UNSEEN in found:
            found = [self._target(tag, rooted) if t is _UNSEEN else t
                     for tag, t in zip(tags, found)]
        new = dict.fromkeys(found)
        new.pop(None, None)  # (no link, or an external one)
        here = self.here
        own = [t for t in new if t[1] and (not t[0] or t[0] == here)]  # an #anchor here
        for target in own:
            del new[target]
            if target[1] not in ids:
                self.pending[target] = None
        self.targets.update(new)
        if self.pending:
            self.pending = {t: None for t in self.pending if t[1] not in ids}

    def _target(self, tag: str, rooted: dict[str, Target | None]) -> Target | None:
        """The target a tag links to (None: none, or external); kept in `rooted` (this
        depth's) unless it depends on this page's own folder."""
        raw = _link_of(tag)
        resolved = None if raw is None else self._resolve(raw)
        target = None if raw is None or resolved is None else (*resolved, raw)
        if raw is None or not resolved or not resolved[0] or (
                raw.startswith(self.up) and path_of(raw[len(self.up):])):
            rooted[tag] = target  # the same from every page at this depth
        elif self.below is not None and raw.startswith("../"):
            self.below[tag] = target  # the same from every page beside this one
        return target

    def _resolve(self, raw: str) -> tuple[str, str] | None:
        if not path_of(raw):  # this page itself, whichever it is
            return "", unquote(raw.partition("#")[2])
        if self.up and raw.startswith(self.up):  # from every page at this depth
            rest = raw[len(self.up):]  # "" or "#x": the root folder itself, not a page
            return resolve_from("", rest if path_of(rest) else "./" + rest, self.base_url)
        return resolve_from(self.folder, raw, self.base_url)

    def done(self) -> PageLinks:
        """The page's links to other files, and to anchors of its own it lacks. (The
        parent shares their targets with other pages' as it keeps them: stream._kept.)"""
        if self.rest:
            self.feed("", final=True)
        return PageLinks("\n".join(sorted(self.ids)), (*self.targets, *self.pending))


def _blank_comments(html: str) -> str:
    """The text with each comment's characters but its newlines made spaces."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), html)


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
    head = _PLAIN_LINK.fullmatch(tag)
    if head:
        return head.group(2) if head.group(1) == "alternate" else None
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


def check_links(pages: Mapping[str, tuple[str, PageLinks | None]], files: set[str],
                root: Path, read: Callable[[str], str | None]) -> list[Problem]:
    """Problems for links to files that do not exist or #anchors that no element has.

    `pages` maps each scanned page's output path to (origin, links); `files` is every
    output path of the site (pages, static files, other renderers' files); `read(path)`
    gives a page's HTML again (or None), to say on which line a broken link is.
    """
    problems = []
    ids: dict[str, frozenset[str]] = {}  # of each page some link names an #anchor in
    verdicts: dict[Target, str | None] = {}  # each distinct target checked once
    for here in sorted(pages):
        origin, links = pages[here]
        broken = []
        for target in links.targets if links else ():
            if not target[0]:  # an #anchor of this page the scan did not find
                missing = f"no element with id {target[1]!r} in {here}" if target[1] else None
            elif target in verdicts:
                missing = verdicts[target]
            else:
                missing = verdicts[target] = _missing(target[0], target[1], files, pages, ids)
            if missing:
                broken.append((target, missing))
        lines = _page_lines(read(here), {t[2] for t, _ in broken}) if broken else {}
        for target, missing in broken:
            line = f" (line {lines[target[2]]})" if target[2] in lines else ""
            problems.append(Problem(origin, _source_line(root, origin, target[2]),
                                    f"broken link {target[2]!r} on {here}{line}: {missing}"))
    return problems


def _page_lines(html: str | None, links: set[str]) -> dict[str, int]:
    """The line of the page's HTML each of `links` (as written) is first on: one pass,
    however many are broken (the print page may hold thousands, and be tens of MB)."""
    found: dict[str, int] = {}
    if html is None:
        return found
    html, line, at = _blank_comments(html), 1, 0
    for m in _LINK_TAG.finditer(html):
        raw = _link_of(m.group())
        if raw in links and raw not in found:
            line += html.count("\n", at, m.start())
            at = m.start()
            found[raw] = line
            if len(found) == len(links):
                break
    return found


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
