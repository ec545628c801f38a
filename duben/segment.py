"""Cut one normalised seed page into articles (STUB: being written; contract is fixed)."""
from __future__ import annotations

from dataclasses import dataclass

from .article import Article, Source
from .errors import Problem
from .pagedata import PageData


@dataclass(frozen=True)
class DroppedLine:
    """A seed line that belongs to no article (layout matter), with the reason."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class PageSplit:
    """What one seed page yields: its articles, its dropped lines, its problems."""

    articles: tuple[Article, ...]
    dropped: tuple[DroppedLine, ...]
    problems: tuple[Problem, ...]  # e.g. unresolved garbled text, as seed:line


def split_page(text: str, seed_file: str, data: PageData) -> PageSplit:
    """Split decoded seed text (str, LF line ends) into articles.

    `seed_file` is the project-relative path (seeds/<name>.txt) used in Source and
    in problems. Slugs are readable candidates; the caller makes them unique and
    keeps slugs already written in content/. Tags are left empty; the caller adds them.
    """
    lines = text.split("\n")
    body = "\n\n".join(l.strip() for l in lines if l.strip())
    article = Article(
        slug="stub", title=next(l for l in lines if l.strip()), kind="article",
        source=Source(seed_file, 1, (1, len(lines))), original_script="zh-Hans", body=body,
    )
    return PageSplit((article,), (), ())
