"""Parse content files on every core before the Edition is built from them.

Parsing is the one per-article cost of loading (0.3 ms a file: 3 s at 10,000 on one
core). The files the cache does not hold are parsed in forked processes; the parent
then builds the Edition as always, finding them parsed (BuildCache.load_article),
and reports a file that fails exactly as a one-process load would. The processes
also make the slugs of each article's names (duben/slugs.py), so the parent never
loads pypinyin's 55 MB dictionary; a build saves them in the cache for the next.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from duben import slugs
from duben.errors import DubenError
from duben.model.article import Article, load_article
from duben.output.cache import CACHE_DIR, BuildCache, load_pickle, slugs_key
from duben.output.stream import fork_map
from duben.paths import is_slug


def parse_ahead(cache: BuildCache, paths: list[Path], root: Path, workers: int) -> None:
    """Parse, over `workers` processes, every file of `paths` the cache does not hold."""
    todo = [p for p in paths if not cache.known(p, root)]
    parsed = fork_map(partial(_parse, root=root), todo, workers)
    cache.ahead = {str(p.relative_to(root)): a for p, (a, _) in zip(todo, parsed) if a}
    for _, names in parsed:
        slugs.learn(names)


def _parse(path: Path, root: Path) -> tuple[Article | None, dict[str, str]]:
    """The article (None if it fails: load_edition reports it), and the slugs of the
    names the edition makes pages for."""
    try:
        article = load_article(path, root)
    except (DubenError, OSError):
        return None, {}
    names = [*article.authors, *article.tags, article.column or "",
             article.series.name if article.series else ""]
    return article, {n: slugs.slugify(n) for n in names if n}


def load_slugs(root: Path) -> None:
    """Learn the slugs the last build saved, if this slugify and pypinyin made them;
    each is checked as any slug from a file is before it becomes a path."""
    saved = load_pickle(root / CACHE_DIR / "slugs.pickle")
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == slugs_key() \
            and isinstance(saved[1], dict):
        slugs.learn({n: s for n, s in saved[1].items()
                     if isinstance(n, str) and isinstance(s, str) and is_slug(s)})
