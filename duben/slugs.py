"""Readable ASCII slugs from Chinese titles (pinyin without tones).

A slug is derived once, when split first meets an article, and is then kept in
content/ for good: titles change after corrections, URLs must not.

pypinyin's phrase dictionary costs 55 MB and 0.3 s to load, so it is imported at
the first slug not already known. A build learns the slugs of the names it needs
from the processes that parse the content files (and from its cache), so at 10,000
articles the long-lived parent, and the workers forked from it, never hold it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

MAX_LENGTH = 60
FALLBACK = "article"
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_KNOWN: dict[str, str] = {}  # title -> slugify(title), from this process or learned


def slugify(title: str) -> str:
    """Lowercase pinyin syllables and ASCII words joined by '-', at most ~60 chars, never empty."""
    slug = _KNOWN.get(title)
    if slug is None:
        slug = _KNOWN[title] = _slugify(title)
    return slug


def learn(slugs: Mapping[str, str]) -> None:
    """Remember slugify's results computed elsewhere (another process, the cache)."""
    _KNOWN.update(slugs)


def known() -> dict[str, str]:
    """Every slug computed or learned so far (what a cache saves)."""
    return dict(_KNOWN)


def warm() -> None:
    """Load pypinyin's dictionaries now: `serve` does, once it is up, so the save that
    brings a new tag or author does not wait 0.3 s for them."""
    _slugify("预热")


def _slugify(title: str) -> str:
    from pypinyin import Style, lazy_pinyin

    # NFKC first: full-width digits and letters become ASCII, ④ becomes 4.
    text = unicodedata.normalize("NFKC", title)
    words: list[str] = []
    for chunk in lazy_pinyin(text, style=Style.NORMAL):
        # Non-Han chunks pass through pypinyin unchanged; fold accents (yè -> ye),
        # then anything that is not ASCII letters or digits separates words.
        folded = unicodedata.normalize("NFKD", chunk).encode("ascii", "ignore").decode()
        words.extend(w for w in _NOT_ALNUM.split(folded.lower()) if w)
    return _cap(words) or FALLBACK


def unique_slug(candidate: str, taken: set[str]) -> str:
    """`candidate`, or the first of `candidate-2`, `candidate-3`, … not in `taken`.

    `taken` is not changed; the caller records the slug it decides to use.
    """
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"


def is_slug(text: str) -> bool:
    """True for what slugify can produce: lowercase ASCII words joined by single '-'."""
    return _SLUG.fullmatch(text) is not None


def _cap(words: list[str]) -> str:
    """Join words, stopping at the last word boundary within MAX_LENGTH."""
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_LENGTH:
            # A single over-long first word is cut; otherwise stop between words.
            return slug or word[:MAX_LENGTH]
        slug = longer
    return slug


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Slugs for names that have none declared (authors, stray terms), made unique
    deterministically: sorted names, then -2, -3 on a clash."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        slug = unique_slug(slugify(name), taken)
        slugs[name] = slug
        taken.add(slug)
    return slugs
