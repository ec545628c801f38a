"""An article's neighbours: series and page prev/next, and related articles.

Computed once per article from the Edition's indexes (never by scanning the corpus),
so building them for the whole edition grows linearly with its size.
"""
from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from duben.model.article import Article

WINDOW = 10  # members on either side of an article that may be related to it
TAG_IDS = -1  # the key of member_index's tag-id table (never an object id)
MEMBERS = -2  # ... and of its table of each group's member slugs, in order


class Group(Protocol):
    """A series, column or tag as seen here: its articles, in edition order."""

    @property
    def articles(self) -> tuple[Article, ...]: ...


@dataclass(frozen=True)
class Neighbours:
    """An article's links to others, all computed from the whole edition."""

    series_prev: Article | None
    series_next: Article | None
    page_prev: Article | None
    page_next: Article | None
    related: tuple[Article, ...]


def neighbours_of(a: Article, series_of: Mapping[str, Group], page: tuple[Article, ...],
                  index_in: Mapping[int, Any], related: tuple[Article, ...]) -> Neighbours:
    """`index_in[id(group)][slug]`: where an article stands in each group (built once);
    `related`: what _related finds for `a` (all_related finds it for many at once)."""
    def around(items: tuple[Article, ...], i: int) -> tuple[Article | None, Article | None]:
        return (items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None)

    series = series_of.get(a.slug)
    s_prev, s_next = around(series.articles, index_in[id(series)][a.slug]) if series else (
        None, None)
    p_prev, p_next = around(page, [b.slug for b in page].index(a.slug))
    return Neighbours(s_prev, s_next, p_prev, p_next, related)


def all_related(articles: list[Article], listed: Mapping[str, Article],
                *indexes: Any, workers: int = 1) -> dict[str, tuple[Article, ...]]:
    """The articles _related(a, *indexes) names, for each article (`listed`: every listed
    article by slug), over `workers` forked processes: the largest cost of indexing
    (2 s at 10,000 on one core). Only positions and slugs cross between processes."""
    from duben.workers import fork_map  # (the model's one use of a process pool)

    global _TASK
    _TASK = (articles, indexes)
    try:
        found = fork_map(_related_slugs, range(len(articles)), workers, chunk=256)
    finally:
        _TASK = None
    return {a.slug: tuple(listed[s] for s in slugs) for a, slugs in zip(articles, found)}


_TASK: tuple[list[Article], tuple[Any, ...]] | None = None  # set just before the fork


def _related_slugs(i: int) -> tuple[str, ...]:
    assert _TASK is not None, "all_related sets the task first"
    articles, indexes = _TASK
    return _related(articles[i], *indexes)


def member_index(groups: Iterable[Group],
                 tags_of: Mapping[str, tuple[Group, ...]]) -> dict[int, Any]:
    """id(group) -> {article slug: its index in the group}, for every group; under
    MEMBERS, id(group) -> its members' slugs in order; and under TAG_IDS, article slug
    -> its tags as the bits of one int (a bit a tag), so the tags two articles share
    are counted with one `&` and a bit count."""
    groups = list(groups)
    index: dict[int, Any] = {id(g): {b.slug: i for i, b in enumerate(g.articles)}
                             for g in groups}
    index[MEMBERS] = {id(g): [b.slug for b in g.articles] for g in groups}
    bit = {id(g): 1 << n for n, g in enumerate(groups)}
    index[TAG_IDS] = {slug: sum(bit[id(g)] for g in gs) for slug, gs in tags_of.items()}
    return index


def _related(a: Article, series_of: Mapping[str, Group], column_of: Mapping[str, Group],
             tags_of: Mapping[str, tuple[Group, ...]], position: Mapping[str, int],
             index_in: Mapping[int, Any], limit: int = 5,
             window: int = WINDOW) -> tuple[str, ...]:
    """The slugs of the articles sharing series (3 points), column (2) or tags (1 each)
    with `a`; best first, then in edition order.

    Candidates are the `window` members on either side of the article in each of its
    groups (its neighbours in the archive), not every member: a common tag on a third
    of a 10,000-article archive would otherwise make this quadratic. Groups of up to
    2 x window + 1 articles (every group of a 5-page edition holds at most 8) are scored
    in full. (Windows are gathered as slices of slugs into one set, and only the best
    `limit` ordered: this runs for every article.)
    """
    column = column_of.get(a.slug)
    series = series_of.get(a.slug)
    tag_bits, members = index_in[TAG_IDS], index_in[MEMBERS]
    mine = tag_bits[a.slug]
    found: set[str] = set()
    for group in (series, column, *tags_of.get(a.slug, ())):
        if group is not None:
            i = index_in[id(group)][a.slug]
            found.update(members[id(group)][max(0, i - window): i + window + 1])
    found.discard(a.slug)

    # Members of the article's own series and column, as sets: one lookup a candidate.
    in_series = index_in[id(series)] if series is not None else {}
    in_column = index_in[id(column)] if column is not None else {}
    best = heapq.nsmallest(limit, [(-(3 * (slug in in_series) + 2 * (slug in in_column)
                                      + (mine & tag_bits[slug]).bit_count()), position[slug],
                                    slug) for slug in found])
    return tuple(slug for _, _, slug in best)


def affected(changed: frozenset[str],
             indexes: list[tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]],
             listed: list[Article], page_of: Mapping[str, Any]) -> set[str]:
    """The articles whose neighbours may differ when the articles `changed` (slugs) were
    read again, each still at its page and position: those within WINDOW + 1 of one
    in a series, column or tag it was in (`indexes` before) or is in (after), and its
    page-mates. Any other article's windows hold the same members as before (one
    joining or leaving farther away only shifts them), so its neighbours are the same."""
    out = set(changed)
    page_mates = {a.page for a in listed if a.slug in changed}
    for series_of, column_of, tags_of in indexes:
        for slug in changed:
            for group in (series_of.get(slug), column_of.get(slug), *tags_of.get(slug, ())):
                if group is None:
                    continue
                members = [b.slug for b in group.articles]
                if slug in members:
                    i = members.index(slug)
                    out.update(members[max(0, i - WINDOW - 1): i + WINDOW + 2])
    for page in page_mates:
        out.update(b.slug for b in page_of[page].articles)
    return out
