"""Headline breaks and list items made once, on every core, before the pages are rendered.

Both are needed by many pages that either render process may render: a headline is
broken (breaks.py) on its article's page and in every list that holds it, and an
article's list item (fragments.py) appears on ten pages or so. Made on demand, each
render process segmented every headline and rendered every item itself: at 10,000
articles, each twice over. Here each article's are made once, in forked processes;
the parent learns them (breaks.learn, fragments.learn_items) and the render processes,
forked after, inherit them. The bytes are the same either way: one process (or a
build that renders a few pages) makes them on demand, as before.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment

from duben.renderers.html.breaks import break_points, headlines, learn
from duben.renderers.html.fragments import item_parts, learn_items
from duben.renderers.scripts import ScriptEdition

Look = tuple[ScriptEdition, Environment, Any]  # a script's edition, its templates, its Site

_LOOKS: Sequence[Look] = ()  # set just before the fork; read by the processes


def warm(looks: Sequence[Look], workers: int) -> None:
    """Learn every headline's break points and every listed article's item, made over
    `workers` forked processes (nothing to do for one: pages make their own)."""
    from duben.workers import fork_map

    global _LOOKS
    if workers <= 1:
        return
    tasks = [(n, i) for n, (s, _, _) in enumerate(looks) for i in range(len(s.edition.articles))]
    series = list(dict.fromkeys(g.name for s, _, _ in looks for g in s.edition.series))
    todo: list[tuple[int, int] | str] = [*tasks, *series]
    _LOOKS = looks
    try:
        made = fork_map(_warm_one, todo, workers)
    finally:
        _LOOKS = ()
    points: dict[str, tuple[int, ...]] = {}
    items: dict[int, dict[int, tuple[Any, list[str]]]] = {}
    for task, result in zip(todo, made):
        if isinstance(task, str):
            points[task] = result
            continue
        article_points, parts = result
        points.update(article_points)
        a = looks[task[0]][0].edition.articles[task[1]]
        items.setdefault(task[0], {})[id(a)] = (a, parts)
    learn(points)
    for n, made_items in items.items():
        learn_items(looks[n][1], looks[n][2], made_items)


def _warm_one(task: tuple[int, int] | str) -> Any:
    """A series name's break points, or an article's headlines' and its list item."""
    if isinstance(task, str):
        return break_points(task)
    s, env, site = _LOOKS[task[0]]
    a = s.edition.articles[task[1]]
    return {t: break_points(t) for t in headlines(a)}, item_parts(env, site, a)
