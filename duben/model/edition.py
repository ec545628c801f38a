"""Load every content file and build the Edition: the articles and every index over them.

Two phases, as in Zola's Library: `load_edition` reads and checks the whole corpus
(errors always fail; warnings are returned), and only then can anything that needs
the whole corpus (series gaps, prev/next, related articles) be computed, once.
Templates only read the result.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

from duben.errors import DubenError, Problem
from duben.model.article import Article, load_article
from duben.model.checks import check_references, check_unique, rechecked
from duben.model.config import Config, PageInfo, Term
from duben.model.neighbours import (
    Neighbours,
    affected,
    all_related,
    member_index,
    neighbours_of,
)
from duben.paths import project_files
from duben.slugs import unique_slugs

LISTED_KINDS = ("article", "commentary", "profile", "brief", "photo")  # not notice


@dataclass(frozen=True)
class Page:
    """One source page (版面): its listed articles and its notices, in print order."""

    id: str  # seed file stem
    number: int  # 1-based position in the edition
    label: str
    info: PageInfo
    articles: tuple[Article, ...]
    notices: tuple[Article, ...]  # 公益广告 and the like: shown on the page view only


@dataclass(frozen=True)
class Group:
    """A series, column, tag or author, with the articles that carry it, in edition order."""

    name: str
    slug: str
    description: str
    articles: tuple[Article, ...]
    declared: bool  # False: referenced by content but missing from the vocabulary


@dataclass(frozen=True)
class SeriesGroup(Group):
    """A series; `slots` runs from ① to the highest printed ordinal, None marking a gap."""

    slots: tuple[tuple[int, Article | None], ...] = ()


@dataclass(frozen=True)
class Edition:
    """Every listed article and every index; built once by load_edition, then read-only."""

    articles: tuple[Article, ...]  # listed kinds only, in page then print order
    pages: tuple[Page, ...]
    series: tuple[SeriesGroup, ...]
    columns: tuple[Group, ...]
    tags: tuple[Group, ...]
    authors: tuple[Group, ...]
    neighbours: Mapping[str, Neighbours]  # by article slug
    series_of: Mapping[str, SeriesGroup]  # by article slug
    column_of: Mapping[str, Group]
    tags_of: Mapping[str, tuple[Group, ...]]
    authors_of: Mapping[str, tuple[Group, ...]]
    page_of: Mapping[str, Page]  # by page id: article -> page is a lookup, not a scan
    # Every other field is derived from these and the config (for build-cache digests).
    DIGEST_FIELDS: ClassVar[tuple[str, ...]] = ("articles", "pages")

    def corrected(self) -> tuple[Article, ...]:
        """Articles (listed or not) that carry corrections, in edition order."""
        return tuple(a for p in self.pages for a in (*p.articles, *p.notices) if a.corrections)


def load_edition(config: Config, load: Callable[[Path, Path], Article] = load_article,
                 listing: tuple[list[Path], list[Problem]] | None = None,
                 workers: int = 1) -> tuple[Edition, list[Problem]]:
    """Read content/, check it whole, build the indexes; return (edition, warnings).

    `load(path, root)` reads one content file (the build passes its cache's loader);
    `listing` is content_files(config) when the caller has made it already; `workers`
    processes find the related articles."""
    files, problems = listing or content_files(config)
    problems = list(problems)
    articles: list[Article] = []
    for path in files:
        try:
            articles.append(load(path, config.root))
        except DubenError as exc:
            problems += exc.problems
    if not files:
        problems.append(Problem(_shown(config.content_dir, config.root), None,
                                "no content files (<page>/<NN>-<slug>.md); run split first"))
    return edition_of(articles, config, problems, workers=workers)


def edition_of(articles: list[Article], config: Config, problems: Iterable[Problem] = (),
               before: Edition | None = None, changed: frozenset[str] = frozenset(),
               warned: Iterable[Problem] | None = None, workers: int = 1,
               ) -> tuple[Edition, list[Problem]]:
    """The Edition of articles already read (`serve` keeps them), checked whole; raise
    DubenError with `problems` and any the check finds. `before` and `changed`: the
    edition these articles were in, and the slugs of those read again since (_index);
    `warned`, the warnings of `before`: then only the changed articles are checked
    for references again (each warning names its own article's file)."""
    problems = [*problems, *check_unique(articles, config.root)]
    if problems:
        raise DubenError(problems)
    warnings = (check_references(articles, config) if warned is None else
                rechecked(warned, [a for a in articles if a.slug in changed], config))
    return _index(articles, config, before, changed, workers), warnings


def content_files(config: Config) -> tuple[list[Path], list[Problem]]:
    """The content files, sorted; a symlink leaving the project is a problem, never
    read (paths.py)."""
    return project_files(config.content_dir, config.root, "*/*.md")


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _groups(terms: Iterable[Term], by_name: Mapping[str, list[Article]]) -> list[Group]:
    """Declared terms in declared order (those in use), then undeclared ones by name."""
    declared = {t.name: t for t in terms}
    stray = unique_slugs(n for n in by_name if n not in declared)
    groups = [Group(t.name, t.slug, t.description, tuple(by_name[t.name]), True)
              for t in terms if t.name in by_name]
    groups += [Group(n, stray[n], "", tuple(by_name[n]), False)
               for n in sorted(by_name) if n not in declared]
    return groups


def _index(all_articles: list[Article], config: Config, before: Edition | None = None,
           changed: frozenset[str] = frozenset(), workers: int = 1) -> Edition:
    """The Edition of checked articles. Given the edition `before` and the slugs of the
    articles `changed` since (each still at its page and position), only the
    neighbours near a changed article are computed again (neighbours.affected)."""
    page_id = {id(a): a.page for a in all_articles}  # Article.page parses a path each call
    ordered = sorted(all_articles, key=lambda a: (page_id[id(a)], a.source.order))
    listed = [a for a in ordered if a.kind in LISTED_KINDS]
    by_page: dict[str, list[Article]] = defaultdict(list)
    for a in ordered:
        by_page[page_id[id(a)]].append(a)
    pages = tuple(
        Page(pid, n, config.page_info(pid).label or f"版面 {n}", config.page_info(pid),
             tuple(a for a in items if a.kind in LISTED_KINDS),
             tuple(a for a in items if a.kind not in LISTED_KINDS))
        for n, (pid, items) in enumerate(sorted(by_page.items()), start=1))

    def collect(keys: Mapping[str, Iterable[str]]) -> dict[str, list[Article]]:
        out: dict[str, list[Article]] = defaultdict(list)
        for a in listed:
            for k in keys[a.slug]:
                out[k].append(a)
        return out

    series_names = collect({a.slug: [a.series.name] if a.series else [] for a in listed})
    series = []
    for g in _groups(config.series, series_names):
        by_number = {a.series.number: a for a in g.articles if a.series}
        installments = tuple(sorted(g.articles, key=lambda a: a.series.number if a.series else 0))
        slots = tuple((n, by_number.get(n)) for n in range(1, max(by_number) + 1))
        series.append(SeriesGroup(g.name, g.slug, g.description, installments, g.declared, slots))
    columns = _groups(config.columns, collect({a.slug: [a.column] if a.column else []
                                               for a in listed}))
    tags = _groups(config.tags or (), collect({a.slug: a.tags for a in listed}))
    author_names = collect({a.slug: a.authors for a in listed})
    author_slugs = unique_slugs(author_names)
    authors = [Group(n, author_slugs[n], "", tuple(author_names[n]), True)
               for n in sorted(author_names, key=lambda n: (author_slugs[n], n))]

    series_of = {a.slug: s for s in series for a in s.articles}
    column_of = {a.slug: c for c in columns for a in c.articles}
    tags_of = _groups_of(listed, tags)
    authors_of = _groups_of(listed, authors)
    page_of = {p.id: p for p in pages}
    position = {a.slug: i for i, a in enumerate(listed)}
    index_in = member_index([*series, *columns, *tags], tags_of)
    kept = _unmoved(before, changed, listed) if before is not None else None
    redo = affected(changed, [(kept.series_of, kept.column_of, kept.tags_of),
                              (series_of, column_of, tags_of)], listed, page_of) if kept else None

    def unchanged(a: Article) -> bool:  # the same members in every window as before
        return kept is not None and redo is not None and a.slug not in redo

    related = all_related([a for a in listed if not unchanged(a)], {a.slug: a for a in listed},
                          series_of, column_of, tags_of, position, index_in, workers=workers)

    def near(a: Article) -> Neighbours:
        if kept is not None and unchanged(a):
            return kept.neighbours[a.slug]
        return neighbours_of(a, series_of, page_of[page_id[id(a)]].articles, index_in,
                             related[a.slug])

    neighbours = {a.slug: near(a) for a in listed}
    return Edition(
        articles=tuple(listed), pages=pages, series=tuple(series), columns=tuple(columns),
        tags=tuple(tags), authors=tuple(authors),
        neighbours=MappingProxyType(neighbours), series_of=MappingProxyType(series_of),
        column_of=MappingProxyType(column_of), tags_of=MappingProxyType(tags_of),
        authors_of=MappingProxyType(authors_of), page_of=MappingProxyType(page_of),
    )


def _unmoved(before: Edition, changed: frozenset[str], listed: list[Article]) -> Edition | None:
    """`before` if every listed article stands where it stood there, by slug; else None."""
    if len(before.articles) != len(listed) or any(
            a.slug != b.slug for a, b in zip(before.articles, listed)):
        return None
    held = {a.slug: a for a in listed if a.slug in changed}
    if any(a.slug in changed and (a.page, a.source.order) != (held[a.slug].page,
                                                              held[a.slug].source.order)
           for a in before.articles):
        return None
    return before


def _groups_of(listed: list[Article], groups: list[Group]) -> dict[str, tuple[Group, ...]]:
    """Article slug -> the groups that list it, in the groups' order (one pass, no search)."""
    out: dict[str, list[Group]] = {a.slug: [] for a in listed}
    for g in groups:
        for b in g.articles:
            out[b.slug].append(g)
    return {slug: tuple(gs) for slug, gs in out.items()}
