"""Where a Chinese headline may break, and where a word ends.

Browsers break Chinese between any two characters, so on a phone a headline
splits inside words (安全生产链/条上, 职工/凝聚力). We give titles, kickers and
list headings `word-break: keep-all` and mark the places a line may break with
<wbr>, decided at build time:

- BudouX (Google's headline segmenter) proposes phrase boundaries;
- its small Chinese model also proposes some inside words (职|工凝|聚力, 党|建,
  “两|新”), so a break inside a dictionary word (jieba's dictionary, through
  rjieba, the Rust port: 80 ms to load instead of jieba's 600 ms) is vetoed, and so
  is a break inside a short quotation, right after a quoted term of a few
  characters (“两新”力量 is one phrase) or before closing punctuation.

The same word boundaries put a correction marker after the word it corrects
(电解党总支[2], not 电解党[2]总支). Plain text stays plain wherever markup cannot
go (<title>, JSON-LD, the feed): only the `wbr` filter adds anything.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

import budoux
from markupsafe import Markup, escape

from duben.model.article import Article

_HAN = re.compile(r"[\u3400-\u9fff]")
_CLOSING = "，。、；：？！”’）》」』】…—·"
_QUOTE = re.compile(r"“[^“”]{1,8}”|‘[^‘’]{1,8}’|《[^《》]{1,12}》")


@cache
def _parser() -> budoux.Parser:
    return budoux.load_default_simplified_chinese_parser()


# Sized for every headline of a large archive: a title is shown on its page and in
# each list that holds it, and a cache smaller than the edition's headlines was
# emptied between the two (at 10,000 articles, 2.5x the home pages' time).
SIZE = 1 << 16


@lru_cache(maxsize=SIZE)  # headlines and corrected paragraphs: bounded
def _inside_words(text: str) -> frozenset[int]:
    """Offsets strictly inside a dictionary word of two or more Han characters."""
    import rjieba  # its dictionary is 32 MB: loaded by the processes that render, when they do

    inside: set[int] = set()
    for word, start, end in rjieba.tokenize(text, hmm=False):
        if end - start >= 2 and all(_HAN.match(ch) for ch in word):
            inside.update(range(start + 1, end))
    return frozenset(inside)


_LEARNT: dict[str, tuple[int, ...]] = {}


def learn(points: dict[str, tuple[int, ...]]) -> None:
    """Take break points worked out elsewhere (by `break_points`, on every core before
    the pages are rendered: each render process would otherwise segment every
    headline of the lists it renders, all of them twice over). They replace those of
    the last build, so a long-lived process holds one edition's."""
    _LEARNT.clear()
    _LEARNT.update(points)


def headlines(a: Article) -> list[str]:
    """An article's texts the templates break with `wbr`: title, kicker, subtitle (and
    each series' name, which is no article's)."""
    return [t for t in (a.title, a.kicker, a.subtitle) if t]


def break_points(text: str) -> tuple[int, ...]:
    """Offsets in `text` where a line may break between words, in order."""
    points = _LEARNT.get(text)
    return _break_points(text) if points is None else points


@lru_cache(maxsize=SIZE)
def _break_points(text: str) -> tuple[int, ...]:
    points, at = [], 0
    for chunk in _parser().parse(text)[:-1]:
        at += len(chunk)
        points.append(at)
    blocked = set(_inside_words(text))
    for m in _QUOTE.finditer(text):
        # A quoted term of a few characters binds to the word after it: “两新”力量, “链”上.
        short = m.end() - m.start() <= 6
        blocked.update(range(m.start() + 1, m.end() + short))
    # Latin words and numbers break as the browser breaks them: only where Han text is.
    return tuple(p for p in points
                 if p not in blocked and text[p] not in _CLOSING and not text[p - 1].isspace()
                 and not text[p].isspace() and not (text[p - 1].isascii() and text[p].isascii()))


@lru_cache(maxsize=SIZE)
def wbr(text: str | None) -> Markup:
    """`text` escaped, with <wbr> at each break point between words."""
    if not text:
        return Markup("")
    out, last = [], 0
    for p in break_points(text):
        out.append(escape(text[last:p]))
        last = p
    out.append(escape(text[last:]))
    return Markup("<wbr>").join(out)


def word_end(text: str, end: int) -> int:
    """`end`, or the end of the word `end` falls inside (so a marker never splits a word)."""
    if end <= 0 or end >= len(text) or end not in _inside_words(text):
        return end
    return next(e for e in range(end + 1, len(text) + 1) if e not in _inside_words(text))
