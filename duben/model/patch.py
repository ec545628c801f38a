"""One article's new text put into an Edition without indexing the corpus again (serve).

Re-indexing 10,000 articles takes a second (neighbours, groups, checks); a save that
changes an article's text but not its place (slug, page and position, kind, series,
column, tags, authors) changes no index, only the object every index points to. So
`replace_article` swaps that one object wherever the Edition holds it and leaves the
rest as it is: the result equals what load_edition makes from the changed files (a
test compares them on every article of the real edition). A save that moves an
article, or adds or removes one, takes the full load instead.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from duben.model.article import Article
from duben.model.edition import Edition, Group, SeriesGroup
from duben.model.neighbours import Neighbours

# What decides where an article is listed and who its neighbours are.
PLACE = ("slug", "kind", "series", "column", "tags", "authors")

T = TypeVar("T")


def same_place(old: Article, new: Article) -> bool:
    """True if `new` is listed exactly where `old` was: only its text differs."""
    return (old.path == new.path and old.page == new.page
            and old.source.order == new.source.order
            and all(getattr(old, f) == getattr(new, f) for f in PLACE))


def replace_article(e: Edition, old: Article, new: Article) -> Edition:
    """`e` with `new` wherever `old` is (same_place must hold): its page, its groups,
    the neighbours that name it. Every other object is shared with `e`."""
    if not same_place(old, new):
        raise ValueError(f"{new.path}: moved, not only edited; the edition must be reloaded")

    def swap(items: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(new if a is old else a for a in items) if any(a is old for a in items) \
            else items

    groups: dict[int, Group] = {}  # id(old group) -> its copy holding `new`
    for g in (e.series_of.get(old.slug), e.column_of.get(old.slug),
              *e.tags_of.get(old.slug, ()), *e.authors_of.get(old.slug, ())):
        if g is not None and id(g) not in groups:
            changes: dict[str, Any] = {"articles": swap(g.articles)}
            if isinstance(g, SeriesGroup):
                changes["slots"] = tuple((n, new if a is old else a) for n, a in g.slots)
            groups[id(g)] = dataclasses.replace(g, **changes)

    def group(g: Any) -> Any:
        return groups.get(id(g), g) if g is not None else None

    def groups_of(gs: tuple[Group, ...]) -> tuple[Group, ...]:
        return tuple(map(group, gs)) if any(id(g) in groups for g in gs) else gs

    pages = tuple(dataclasses.replace(p, articles=swap(p.articles), notices=swap(p.notices))
                  if p.id == old.page else p for p in e.pages)
    # Only the members of its groups and page can name it (as a group-mate, a neighbour):
    # their entries are made again, every other entry is copied as it is.
    members = {b.slug for g in groups.values() for b in g.articles}
    members.update(b.slug for b in e.page_of[old.page].articles)
    members &= e.neighbours.keys()
    return Edition(
        articles=swap(e.articles), pages=pages,
        series=tuple(map(group, e.series)), columns=tuple(map(group, e.columns)),
        tags=tuple(map(group, e.tags)), authors=tuple(map(group, e.authors)),
        neighbours=_updated(e.neighbours, members, lambda n: _swap_in(n, old, new)),
        series_of=_updated(e.series_of, members, group),
        column_of=_updated(e.column_of, members, group),
        tags_of=_updated(e.tags_of, members, groups_of),
        authors_of=_updated(e.authors_of, members, groups_of),
        page_of=MappingProxyType({p.id: p for p in pages}),
    )


def find_article(e: Edition, path: str) -> Article | None:
    """The article (listed or a notice) read from the content file `path`."""
    for p in e.pages:
        for a in (*p.articles, *p.notices):
            if a.path == path:
                return a
    return None


def _swap_in(n: Neighbours, old: Article, new: Article) -> Neighbours:
    """`n` with `new` for `old` (the same object if it does not name `old`)."""
    if not (old is n.series_prev or old is n.series_next or old is n.page_prev
            or old is n.page_next or any(b is old for b in n.related)):
        return n

    def one(a: Article | None) -> Article | None:
        return new if a is old else a

    return Neighbours(one(n.series_prev), one(n.series_next), one(n.page_prev),
                      one(n.page_next), tuple(new if b is old else b for b in n.related))


def _updated(mapping: Mapping[str, Any], keys: set[str],
             change: Callable[[Any], Any]) -> Mapping[str, Any]:
    """A copy of `mapping` with `change` applied to the values under `keys` it has."""
    out = dict(mapping)
    for k in keys & out.keys():
        out[k] = change(out[k])
    return MappingProxyType(out)
