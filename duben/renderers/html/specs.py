"""Every page of the HTML site as a PageSpec: its URL, template, context and dependencies.

Specs are cheap to make: a context is built only when its page is rendered (an
article view renders Markdown), so the build can skip unchanged pages and a process
pool can render the rest. `deps` names everything the page shows (see
duben/output/fingerprint.py); for most pages that is simply the context, but an
article page shows only the names of its groups and its page, not their members,
so it names those shallowly and does not change when a sibling does.

Long lists are paginated (PER_PAGE articles a page, `page/2/`...), so no index page
grows with the size of the archive.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from duben.model.article import Article
from duben.model.config import Config
from duben.model.edition import Edition, Group, Page
from duben.model.variant import DEFAULT
from duben.output import urls
from duben.output.fingerprint import Later
from duben.renderers.html.markdown import render_body
from duben.renderers.html.views import article_view, plain_summary
from duben.renderers.print.view import print_edition

PER_PAGE = 50


@dataclass(frozen=True)
class PageSpec:
    """One output file before rendering: where it goes, how it is made, and why it exists."""

    url: str
    template: str
    make: Callable[[], dict[str, Any]]  # the template context, built when rendered
    origin: str  # what claimed this URL, for collision errors
    deps: tuple[Any, ...]  # everything the page shows, for the build cache
    batch: str = ""  # pages best rendered together, by one process (they share bodies)
    streamed: bool = False  # made and written in pieces (the whole edition on one page)


@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list stands: number (from 1), count, every page's URL."""

    number: int
    urls: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def prev(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def _spec(url: str, template: str, context: dict[str, Any], origin: str,
          deps: tuple[Any, ...] | None = None) -> PageSpec:
    """A page whose dependencies are its whole context, unless named."""
    return PageSpec(url, template, lambda: context, origin,
                    (template, context) if deps is None else (template, *deps))


def chunks(items: tuple[Any, ...], per: int = PER_PAGE) -> list[tuple[Any, ...]]:
    """Items in runs of `per`; an empty list still has one (empty) page."""
    return [items[i:i + per] for i in range(0, len(items), per)] or [()]


def home_chunks(pages: tuple[Page, ...], per: int = PER_PAGE) -> list[tuple[Page, ...]]:
    """Whole source pages (版面) per home page, about `per` articles each: a 版面 is never
    split, and a home page holds at least one."""
    out: list[list[Page]] = [[]]
    count = 0
    for p in pages:
        if out[-1] and count + len(p.articles) > per:
            out.append([])
            count = 0
        out[-1].append(p)
        count += len(p.articles)
    return [tuple(c) for c in out]


def page_specs(edition: Edition, config: Config, script: str = DEFAULT) -> list[PageSpec]:
    """Every page of one script's site, in a fixed order (the order collisions are
    reported in); URLs without the script's prefix (render.script_specs adds it)."""
    specs = list(_content_specs(edition, config, script))
    sitemap = tuple(s.url for s in specs if s.template.endswith(".html")
                    and s.url != urls.NOT_FOUND)
    specs.append(_spec(urls.SITEMAP, "sitemap.xml", {"sitemap_urls": sitemap}, "sitemap"))
    specs.append(_spec(urls.ROBOTS, "robots.txt", {}, "robots.txt"))
    return specs


def _content_specs(edition: Edition, config: Config, script: str) -> Iterator[PageSpec]:
    e = edition
    homes = home_chunks(e.pages)
    home_urls = tuple(urls.paged(urls.HOME, n) for n in range(1, len(homes) + 1))
    for n, chunk in enumerate(homes, 1):
        yield _spec(home_urls[n - 1], "home.html", {
            "chunk": chunk, "pager": Pager(n, home_urls),
            "series": e.series if n == 1 else (), "columns": e.columns if n == 1 else ()},
            "home page" if n == 1 else f"home page {n}")
    for p in e.pages:
        for a in p.articles:  # the same order as e.articles
            yield _article_spec(e, config, a, p, script)
    yield _spec(urls.PAGES, "pages.html", {"edition": e}, "page index")
    for i, p in enumerate(e.pages):
        yield _page_spec(p, e.pages[i - 1] if i > 0 else None,
                         e.pages[i + 1] if i + 1 < len(e.pages) else None)
    yield _spec(urls.SERIES, "series_index.html", {"edition": e}, "series index")
    for s in e.series:
        yield _spec(urls.series(s.slug), "series.html", {"group": s}, f"series {s.name}")
        yield _series_print_spec(e, config, s, script)
    yield from _group_specs(e, config)
    # The whole edition on one page: built only when rendered (it renders every body).
    if config.print_page:
        yield PageSpec(urls.PRINT, "print.html",
                       lambda: {"book": print_edition(e, config, script)}, "print edition",
                       ("print.html", e, script), streamed=True)
    yield _spec(urls.ABOUT, "about.html", {"edition": e}, "about page")
    yield _spec(urls.CORRECTIONS, "corrections.html", {"edition": e}, "corrections page")
    yield _spec(urls.SEARCH, "search.html", {"edition": e}, "search page")
    yield _spec(urls.NOT_FOUND, "404.html", {"inline_css": inline_css(config)}, "404 page")
    yield _spec(urls.FEED, "feed.xml", {"edition": e, "summary": plain_summary}, "feed")


def _page_spec(p: Page, prev: Page | None, nxt: Page | None) -> PageSpec:
    def make() -> dict[str, Any]:
        return {"pg": p, "notices": notices_html(p), "prev": prev, "next": nxt}

    return PageSpec(urls.page(p.id), "page.html", make, f"page {p.id}",
                    ("page.html", p, prev and prev.label, nxt and nxt.label,
                     prev and prev.id, nxt and nxt.id))


def _shallow(a: Article, e: Edition, page: Page) -> tuple[Any, ...]:
    """What an article page shows of its groups and page: names and slugs, not members
    (as one string: this is digested for every article page of every build)."""
    groups = (e.series_of.get(a.slug), e.column_of.get(a.slug), *e.tags_of[a.slug],
              *e.authors_of[a.slug])
    names = "\x1f".join(f"{type(g).__name__}\x1e{g.name}\x1e{g.slug}" if g else ""
                        for g in groups)
    return (a, e.neighbours[a.slug], f"{page.id}\x1e{page.number}\x1e{page.label}", page.info,
            names)


def _article_spec(e: Edition, config: Config, a: Article, page: Page, script: str) -> PageSpec:
    series = e.series_of.get(a.slug)
    return PageSpec(urls.article(a.slug), "article.html",
                    lambda: {"view": article_view(e, config, a, lang=script)}, a.path,
                    ("article.html", Later(lambda: _shallow(a, e, page))),
                    f"series {series.slug}" if series else "")


def _series_print_spec(e: Edition, config: Config, s: Any, script: str) -> PageSpec:
    def make() -> dict[str, Any]:
        return {"group": s, "views": {n: article_view(e, config, a, prefix=f"p{n}-", lang=script)
                                      for n, a in s.slots if a}}

    def installments() -> tuple[Any, ...]:
        return tuple(_shallow(a, e, e.page_of[a.page]) for _, a in s.slots if a)

    # Rendered after its installments' own pages, by the same process: their Markdown
    # bodies are still in markdown.py's cache.
    return PageSpec(urls.series_print(s.slug), "series_print.html", make,
                    f"series {s.name} (print)", ("series_print.html", s, Later(installments)),
                    f"series {s.slug}")


def _group_specs(e: Edition, config: Config) -> Iterator[PageSpec]:
    # The tag index is grouped as the vocabulary groups them (地区, 行业, 主题); tags
    # missing from the vocabulary (a warning) still get their pages, listed apart.
    tag_sections = [(g, tuple(t for t in e.tags if t.declared and t.description == g))
                    for g in config.tag_groups]
    tag_sections.append(("未列入词表" if config.tags is not None else "",
                         tuple(t for t in e.tags if not t.declared)))
    for kind, index, sections, to_url in (
        ("column", urls.COLUMNS, [("", e.columns)], urls.column),
        ("tag", urls.TAGS, [(g, ts) for g, ts in tag_sections if ts], urls.tag),
        ("author", urls.AUTHORS, [("", e.authors)], urls.author),
    ):
        yield _spec(index, "group_index.html", {"kind": kind, "sections": sections,
                                                "to_url": to_url}, f"{kind} index")
        for _, groups in sections:
            for g in groups:
                yield from _group_pages(kind, index, g, to_url)


def _group_pages(kind: str, index: str, g: Group,
                 to_url: Callable[[str], str]) -> Iterator[PageSpec]:
    parts = chunks(g.articles)
    page_urls = tuple(urls.paged(to_url(g.slug), n) for n in range(1, len(parts) + 1))
    for n, items in enumerate(parts, 1):
        pager = Pager(n, page_urls)
        yield _spec(page_urls[n - 1], "group.html",
                    {"kind": kind, "group": g, "index": index, "items": items, "pager": pager},
                    f"{kind} {g.name}" + (f" (page {n})" if n > 1 else ""),
                    (kind, index, items, pager,
                     (g.name, g.slug, g.description, g.declared, len(g.articles))))


def notices_html(page: Page) -> tuple[tuple[Article, str], ...]:
    """A page's notices with their rendered bodies (they have no page of their own)."""
    return tuple((n, render_body(n.body).html) for n in page.notices)


def inline_css(config: Config) -> tuple[Markup, Markup]:
    """The screen and print stylesheets, to inline in the 404 page: a server shows that
    page at any depth and a reader may open it from disk, so a linked stylesheet (which
    must be absolute there) is missing in one place or the other."""
    static = config.theme_dir / "static"
    css = [(static / name).read_text(encoding="utf-8") for name in ("style.css", "print.css")]
    return Markup(css[0].replace("</", "<\\/")), Markup(css[1].replace("</", "<\\/"))
