"""Checks on an article's Markdown body that the renderer depends on.

markdown-it stops parsing blocks nested deeper than its `maxNesting` and drops
the text below that depth without a word (`> > > …` 25 deep lost its last
lines). The renderer uses MAX_NESTING; here the body is parsed once with a
slightly higher limit, and any block deeper than MAX_NESTING is an error at its line, so
a word is never lost silently. Real articles nest two or three levels.
"""
from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from duben.errors import Problem

MAX_NESTING = 20  # markdown-it's own default for the commonmark preset
# Just deep enough to see a token past MAX_NESTING; a far higher limit lets markdown-it
# recurse until Python's recursion limit on `> > > …` thousands deep.
_PROBE_NESTING = MAX_NESTING + 2


# Each nesting level a line opens costs its prefix at least half a column: a quote is
# '>' (one level, one column), a list two levels (list, item) for at least two columns
# of marker or indent. A tab counts as four columns. Below this, no line can open blocks
# past MAX_NESTING, and lines that open none (lazy continuations) cannot add depth.
_DEEP_PREFIX = MAX_NESTING // 2


# Lines whose prefix is long enough to be worth measuring (three tabs reach 12 columns):
# found in one pass over the body, since nearly every line starts with a Han character.
_LONG_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{3,}", re.MULTILINE)


@cache
def _probe() -> MarkdownIt:
    return MarkdownIt("commonmark", {"maxNesting": _PROBE_NESTING})


def nesting_problems(lines: list[str], first_line: int, path: str) -> list[Problem]:
    """An error at the first line whose blocks nest deeper than MAX_NESTING, if any.

    `lines` are the file's lines after the front matter; `first_line` is the file line
    number of lines[0]. Parsed only when some line's prefix of markers and indentation
    could open that many blocks: a full parse here cost as much as rendering the body.
    """
    text = "\n".join(lines)
    if all(len(m.group().expandtabs(4)) < _DEEP_PREFIX for m in _LONG_PREFIX.finditer(text)):
        return []
    for token in _probe().parse(text):
        if token.level > MAX_NESTING and token.map:
            return [Problem(path, first_line + token.map[0], f"Markdown nested more than "
                            f"{MAX_NESTING} levels deep (quotes, lists); the text below that "
                            "depth would be lost: flatten it")]
    return []
