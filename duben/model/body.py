"""Checks on an article's Markdown body that the renderer depends on.

markdown-it stops parsing blocks nested deeper than its `maxNesting` and drops
the text below that depth without a word (`> > > …` 25 deep lost its last
lines). The renderer uses MAX_NESTING; here the body is parsed once with a
slightly higher limit, and any block deeper than MAX_NESTING is an error at its line, so
a word is never lost silently. Real articles nest two or three levels.
"""
from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

from duben.errors import Problem

MAX_NESTING = 20  # markdown-it's own default for the commonmark preset
# Just deep enough to see a token past MAX_NESTING; a far higher limit lets markdown-it
# recurse until Python's recursion limit on `> > > …` thousands deep.
_PROBE_NESTING = MAX_NESTING + 2


@cache
def _probe() -> MarkdownIt:
    return MarkdownIt("commonmark", {"maxNesting": _PROBE_NESTING})


def nesting_problems(lines: list[str], first_line: int, path: str) -> list[Problem]:
    """An error at the first line whose blocks nest deeper than MAX_NESTING, if any.

    `lines` are the file's lines after the front matter; `first_line` is the file line
    number of lines[0].
    """
    for token in _probe().parse("\n".join(lines)):
        if token.level > MAX_NESTING and token.map:
            return [Problem(path, first_line + token.map[0], f"Markdown nested more than "
                            f"{MAX_NESTING} levels deep (quotes, lists); the text below that "
                            "depth would be lost: flatten it")]
    return []
