"""Articles' list items, each rendered once per build and reused on every page listing it.

An article is listed on the home page, its 版面, its column, tag and author pages and
among the related reading of others: ten times or so. Rendering `_item.html` afresh
each time was the largest single cost of a build (a seventh of it at 10,000 articles).
The item differs between those pages only in its link, so the template sees `href` as
a placeholder that escaped text can never contain, and each page puts its own link in.

The template's context is `a`, `href` and `site`: nothing else of the page, so the item
cannot silently depend on it. Items are kept per template environment, site and
Article object (all three frozen while a build runs; an edited article is a new object),
so a preview that renders many builds in one process never shows a stale item, and
only the last few environment and site pairs' items are kept.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, pass_context
from markupsafe import Markup

from duben.model.article import Article
from duben.output import urls
from duben.renderers.html.escaping import page_only, quick_escape

ITEM = "_item.html"
HREF = Markup("<href>")  # a tag no template writes; a '<' in text is escaped to &lt;
SLOT = "\0"  # in a URL, where the slug goes: no slug, URL or base_url holds a NUL
KEPT = 4  # (environment, site) pairs whose items are kept: two scripts, this build and the last

# (id(env), id(site)) -> (env, site, {id(article): (article, the item split at HREF)}),
# oldest first; env, site and each article are held, so their ids are not reused.
_items: dict[tuple[int, int], tuple[Environment, Any, dict[int, tuple[Article, list[str]]]]] = {}


@page_only  # (it reads site and page_url: what the page is rendered with)
@pass_context
def list_items(ctx: Any, articles: Iterable[Article]) -> Markup:
    """`_item.html` for each of `articles`, linked from the page being rendered: what
    `{% for a in articles %}{% include "_item.html" %}{% endfor %}` would write."""
    env, site, here = ctx.environment, ctx["site"], ctx["page_url"]
    link = env.filters["url"]
    made = _made(env, site)
    # This page's link to any article, with a slot for the slug: the link is worked
    # out once a list, not once an item (4 of an item's 6 us on an article page).
    slotted = link(ctx, urls.article(SLOT))
    slotted = slotted if slotted.count(SLOT) == 1 else ""
    out = []
    for a in articles:
        hit = made.get(id(a))
        if hit is None or hit[0] is not a:
            hit = made[id(a)] = (a, item_parts(env, site, a))
        target = urls.article(a.slug)
        href = (slotted.replace(SLOT, a.slug) if slotted and target != here
                else link(ctx, target))  # (an article listed on its own page: "index.html")
        # (str.join: Markup's own join would escape the item's parts)
        out.append(str.join(quick_escape(href), hit[1]))
    return Markup("".join(out))


def item_parts(env: Environment, site: Any, a: Article) -> list[str]:
    """`a`'s item, split where its link goes."""
    return env.get_template(ITEM).render(a=a, href=HREF, site=site).split(HREF)


def learn_items(env: Environment, site: Any, items: dict[int, tuple[Article, list[str]]]) -> None:
    """Keep items made elsewhere (duben/renderers/html/warm.py): {id(a): (a, item_parts)}."""
    _made(env, site).update(items)


def _made(env: Environment, site: Any) -> dict[int, tuple[Article, list[str]]]:
    """The items made with this environment and site. A preview makes a new site for
    each listing of the pages, so only the last KEPT pairs' items are kept."""
    key = (id(env), id(site))
    entry = _items.get(key)
    if entry is None or entry[0] is not env or entry[1] is not site:
        while len(_items) >= KEPT:
            del _items[next(iter(_items))]
        entry = _items[key] = (env, site, {})
    return entry[2]
