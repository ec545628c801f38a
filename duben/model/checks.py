"""The whole-corpus checks of loaded articles, as path:line problems.

`check_unique` finds errors (two articles claiming one slug, series ordinal or page
position); `check_references` finds warnings (names missing from the vocabularies, a
file renamed by hand, a correction whose text is not in the article), one article at
a time, so `serve` can check again only the articles a save changed.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from duben.errors import Problem
from duben.model.article import Article
from duben.model.config import Config


def key_line(article: Article, root: Path, key: str, item: str | None = None) -> int | None:
    """The line of a front-matter key (or of one list item under it) in the article's file.

    Article does not keep YAML positions, so we locate the key in the file text:
    front matter keys start at column 0, list items follow their key.
    """
    try:
        lines = (root / article.path).read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    for i, line in enumerate(lines[1:], start=2):
        if line.startswith(f"{key}:"):
            if item is None:
                return i
            for j in range(i, len(lines)):
                if re.match(r"^[A-Za-z_]+:|^---", lines[j]):
                    break
                if item in lines[j]:
                    return j + 1
            return i
        if line.strip() == "---":
            break
    return None


def _problem(article: Article, root: Path, key: str, message: str,
             item: str | None = None) -> Problem:
    return Problem(article.path, key_line(article, root, key, item), message)


def check_unique(articles: list[Article], root: Path) -> list[Problem]:
    """Errors: a slug, a series ordinal or a page position claimed twice."""
    problems = []
    seen: dict[tuple[str, object], Article] = {}
    for a in articles:
        claims = [("slug", a.slug, "slug"), ("source", (a.page, a.source.order), "source")]
        if a.series:
            claims.append(("series", (a.series.name, a.series.number), "series"))
        for what, value, key in claims:
            other = seen.setdefault((what, value), a)
            if other is not a:
                problems.append(_problem(a, root, key, f"{what} {value!r} is also claimed by {other.path}"))
    return problems


def check_references(articles: list[Article], config: Config) -> list[Problem]:
    """Warnings (failures under --strict): names missing from the vocabulary, file problems."""
    problems, root = [], config.root
    series = {t.name for t in config.series}
    columns = {t.name for t in config.columns}
    tags = None if config.tags is None else {t.name for t in config.tags}
    for a in articles:
        if a.series and a.series.name not in series:
            problems.append(_problem(a, root, "series", f"unknown series {a.series.name!r}; "
                                     f"declare it under 'series' in duben.yaml"))
        if a.column and a.column not in columns:
            problems.append(_problem(a, root, "column", f"unknown column {a.column!r}; "
                                     f"declare it in data/columns.yaml"))
        for t in a.tags:
            if tags is not None and t not in tags:
                problems.append(_problem(a, root, "tags", f"unknown tag {t!r}", item=t))
        problems += _check_file(a, root)
    return problems


def _check_file(a: Article, root: Path) -> list[Problem]:
    """Warnings: a file renamed or moved by hand, a correction whose text is not in the article."""
    problems = []
    folder, name = os.path.split(a.path)  # (os.path: a Path per article cost 0.2 s at 10,000)
    folder = os.path.basename(folder)
    if folder != a.page:
        problems.append(_problem(a, root, "source", f"file is in folder {folder!r} "
                                 f"but its source is page {a.page!r}"))
    expected = f"{a.source.order:02d}-{a.slug}.md"
    if name != expected:
        problems.append(_problem(a, root, "slug", f"file name should be {expected} "
                                 f"(source order and slug)"))
    if not a.corrections:
        return problems
    # seed + corrections = edition: the corrected text must be somewhere in the article.
    text = "\n".join([a.body, a.title, a.kicker or "", a.subtitle or "", a.byline or "",
                      a.editors_note or "", *a.credits, *(f.caption for f in a.figures)])
    for n, c in enumerate(a.corrections, 1):
        if c.now and c.now not in text:
            problems.append(_problem(a, root, "corrections", f"correction {n}: the corrected "
                                     f"text {c.now!r} is not in the article", item=c.now))
    return problems


def rechecked(warnings: Iterable[Problem], articles: list[Article],
              config: Config) -> list[Problem]:
    """`warnings` with those of `articles` made again (each warning of check_references
    names its own article's file): what `serve` does after a save, not the whole corpus."""
    paths = {a.path for a in articles}
    return [w for w in warnings if w.path not in paths] + check_references(articles, config)
