"""Parse content files on every core before the Edition is built from them.

Parsing is the one per-article cost of loading (0.3 ms a file: 3 s at 10,000 on one
core). The files the cache does not hold are parsed in forked processes; the parent
then builds the Edition as always, finding them parsed (BuildCache.load_article),
and reports a file that fails exactly as a one-process load would. The processes
also make the slugs of each article's names (duben/slugs.py), so the parent never
loads pypinyin's 55 MB dictionary; a build saves them in the cache for the next.
"""
from __future__ import annotations

import hashlib
import os
from functools import partial
from pathlib import Path
from typing import Any

from duben import slugs
from duben.errors import DubenError
from duben.inputs import MAX_ARTICLE, line_count, read_bytes
from duben.model.article import load_article
from duben.output.cache import (
    CACHE_DIR,
    BuildCache,
    file_stat,
    key_of,
    load_pickle,
    slugs_key,
)
from duben.output.fingerprint import article_digest
from duben.paths import is_slug
from duben.workers import fork_map


def parse_ahead(cache: BuildCache, paths: list[Path], root: Path, workers: int) -> None:
    """Parse, over `workers` processes, every file of `paths` the cache does not hold."""
    todo = [p for p in paths if not cache.known(p, root)]
    parsed = fork_map(partial(_parse, root=root, keep=cache.enabled, seeds=_Seeds()), todo,
                      workers)
    cache.ahead = {key_of(p, root): r for p, (r, _) in zip(todo, parsed) if r}
    for _, names in parsed:
        slugs.learn(names)


def _parse(path: Path, root: Path, keep: bool,
           seeds: _Seeds) -> tuple[tuple[Any, ...] | None, dict[str, str]]:
    """The cache's record of the file (None if it fails: load_edition reports it), and
    the slugs of the names the edition makes pages for. The record (stat, sha256,
    article, its seed's stat, its digest) is made here, `keep`ing the cache, so the
    parent need not read every file again to hash it."""
    try:
        st = os.stat(path)
        shown = key_of(path, root)
        data = read_bytes(path, shown, MAX_ARTICLE)  # read once: hashed, then parsed
        sha = hashlib.sha256(data).hexdigest() if keep else ""
        article = load_article(path, root, data, shown, seeds.lines)
    except (DubenError, OSError):
        return None, {}
    names = [*article.authors, *article.tags, article.column or "",
             article.series.name if article.series else ""]
    record = (st.st_mtime_ns, st.st_size, sha, article,
              *((seeds.stat(root / article.source.file), article_digest(article)) if keep
                else (None, "")))
    return record, {n: slugs.slugify(n) for n in names if n}


class _Seeds:
    """Each seed's (mtime_ns, size) and line count, taken once a parse (a seed page
    holds dozens of articles; each took two stats of it). One parse's memo, in each
    process: serve parses again after an edit, with a new one, and sees seeds anew."""

    def __init__(self) -> None:
        self.stats: dict[str, tuple[int, int] | None] = {}

    def stat(self, path: Path) -> tuple[int, int] | None:
        """As cache.file_stat: None for a seed that is not there."""
        key = str(path)
        if key not in self.stats:
            self.stats[key] = file_stat(key)
        return self.stats[key]

    def lines(self, path: Path) -> int | None:
        """As inputs.line_count."""
        known = self.stat(path)
        return None if known is None else line_count(path, known)


def load_slugs(root: Path) -> None:
    """Learn the slugs the last build saved, if this slugify and pypinyin made them;
    each is checked as any slug from a file is before it becomes a path."""
    saved = load_pickle(root / CACHE_DIR / "slugs.pickle")
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == slugs_key() \
            and isinstance(saved[1], dict):
        slugs.learn({n: s for n, s in saved[1].items()
                     if isinstance(n, str) and isinstance(s, str) and is_slug(s)})
