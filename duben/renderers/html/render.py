"""Render the Edition to memory: {url: bytes}, one template per page type.

Jinja2 with autoescape and StrictUndefined: a typo in a template is an error, and
only HTML we produced (the Markdown body, the JSON-LD) is marked safe. The `url`
filter turns a site URL into a link relative to the page being rendered, so the
same site works at a domain root, under a sub-path and from file://.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from markupsafe import Markup

from duben.errors import DubenError, Problem
from duben.model.article import CERTAINTIES
from duben.model.config import Config
from duben.model.edition import Edition
from duben.model.variant import DEFAULT, VARIANTS
from duben.output import urls
from duben.renderers.html.apparatus import (
    CERTAINTY_HEADINGS,
    display_byline,
    figure_labels,
    nest_quotes,
    print_facts,
)
from duben.renderers.html.breaks import wbr
from duben.renderers.html.markdown import render_body
from duben.renderers.html.views import (
    KIND_NAMES,
    SCRIPT_LABELS,
    SCRIPT_NAMES,
    article_view,
    full_title,
    ordinal,
    plain_summary,
    reading_order,
)
from duben.renderers.print.view import print_edition


@dataclass(frozen=True)
class Site:
    """What every page may show about the edition (templates never see the config)."""

    title: str
    description: str
    base_url: str
    updated: str
    lang: str = "zh-Hans"  # this edition's script: <html lang>, the switch, the feed
    root_url: str = ""  # base_url of the default script, for hreflang alternates
    pdf: bool = False  # the build also writes PDFs, so pages may link to them


@dataclass(frozen=True)
class PageSpec:
    """One output file before rendering: where it goes, how it is made, and why it exists."""

    url: str
    template: str
    context: dict[str, Any]
    origin: str  # what claimed this URL, for collision errors


class _ConvertingLoader(FileSystemLoader):
    """Templates with their own text (labels, notes) in another script. Jinja syntax is
    ASCII, so converting the whole source touches only the Chinese text."""

    def __init__(self, path: Path, convert: Callable[[str], str]) -> None:
        super().__init__(path)
        self.convert = convert

    def get_source(self, environment: Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        return self.convert(source), filename, uptodate


def make_env(theme_dir: Path, convert: Callable[[str], str] | None = None) -> Environment:
    """The template environment; `convert` turns the templates' own text into a script."""
    loader = (FileSystemLoader(theme_dir / "templates") if convert is None
              else _ConvertingLoader(theme_dir / "templates", convert))
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(("html", "xml")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(urls=urls, ordinal=ordinal, KIND_NAMES=KIND_NAMES,
                       SCRIPT_NAMES=SCRIPT_NAMES, full_title=full_title,
                       reading_order=reading_order)
    env.filters["url"] = _url_filter
    env.filters["abs_url"] = _abs_url_filter
    env.filters["url_in"] = _url_in_filter
    env.filters["abs_url_in"] = _abs_url_in_filter
    env.globals.update(VARIANTS=VARIANTS, SCRIPT_LABELS=SCRIPT_LABELS)
    # Labels made in Python (not in a template) shown in the edition's script.
    env.filters["in_script"] = convert or str
    if convert is not None:
        env.globals.update(KIND_NAMES={k: convert(v) for k, v in KIND_NAMES.items()},
                           SCRIPT_NAMES={k: convert(v) for k, v in SCRIPT_NAMES.items()})
    # Reading apparatus (issue 11): headline breaks, bylines, quotations in notes, photos.
    env.filters.update(wbr=wbr, byline=display_byline, nest_quotes=nest_quotes,
                       figure_labels=figure_labels, print_facts=print_facts)
    env.globals.update(CERTAINTY_HEADINGS=CERTAINTY_HEADINGS, CERTAINTIES=CERTAINTIES)
    return env


@pass_context
def _url_filter(ctx: Any, target: str, anchor: str = "") -> str:
    """Link to a site URL from the page being rendered; absolute on the 404 page."""
    if ctx["page_url"] == urls.NOT_FOUND:
        return urls.absolute(ctx["site"].base_url, target, anchor)
    return _url_in_filter(ctx, target, ctx["site"].lang, anchor)


@pass_context
def _url_in_filter(ctx: Any, target: str, script: str, anchor: str = "") -> str:
    """Link from the page being rendered to `target` in `script`'s edition."""
    here = urls.in_variant(ctx["page_url"], ctx["site"].lang)
    return urls.relative(here, urls.in_variant(target, script), anchor)


@pass_context
def _abs_url_in_filter(ctx: Any, target: str, script: str) -> str:
    """The public URL of `target` in `script`'s edition (hreflang, sitemap alternates)."""
    return urls.absolute(ctx["site"].root_url or ctx["site"].base_url,
                         urls.in_variant(target, script))


@pass_context
def _abs_url_filter(ctx: Any, target: str, anchor: str = "") -> str:
    return urls.absolute(ctx["site"].base_url, target, anchor)


def page_specs(edition: Edition, config: Config, script: str = DEFAULT) -> Iterator[PageSpec]:
    """Every page of the site, in a fixed order (the order collisions are reported in)."""
    e = edition
    yield PageSpec(urls.HOME, "home.html", {"edition": e}, "home page")
    for a in e.articles:
        yield PageSpec(urls.article(a.slug), "article.html",
                       {"view": article_view(e, config, a, lang=script)}, a.path)
    yield PageSpec(urls.PAGES, "pages.html", {"edition": e}, "page index")
    for i, p in enumerate(e.pages):
        notices = tuple((n, render_body(n.body).html) for n in p.notices)
        yield PageSpec(urls.page(p.id), "page.html", {
            "pg": p, "notices": notices,
            "prev": e.pages[i - 1] if i > 0 else None,
            "next": e.pages[i + 1] if i + 1 < len(e.pages) else None,
        }, f"page {p.id}")
    yield PageSpec(urls.SERIES, "series_index.html", {"edition": e}, "series index")
    for s in e.series:
        yield PageSpec(urls.series(s.slug), "series.html", {"group": s}, f"series {s.name}")
        views = {n: article_view(e, config, a, prefix=f"p{n}-", lang=script)
                 for n, a in s.slots if a}
        yield PageSpec(urls.series_print(s.slug), "series_print.html",
                       {"group": s, "views": views}, f"series {s.name} (print)")
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
        yield PageSpec(index, "group_index.html", {"kind": kind, "sections": sections,
                                                   "to_url": to_url}, f"{kind} index")
        for _, groups in sections:
            for g in groups:
                yield PageSpec(to_url(g.slug), "group.html",
                               {"kind": kind, "group": g, "index": index}, f"{kind} {g.name}")
    yield PageSpec(urls.PRINT, "print.html", {"book": print_edition(e, config, script)},
                   "print edition")
    yield PageSpec(urls.ABOUT, "about.html", {"edition": e}, "about page")
    yield PageSpec(urls.CORRECTIONS, "corrections.html", {"edition": e}, "corrections page")
    yield PageSpec(urls.SEARCH, "search.html", {"edition": e}, "search page")
    yield PageSpec(urls.NOT_FOUND, "404.html", {"inline_css": inline_css(config)}, "404 page")
    yield PageSpec(urls.FEED, "feed.xml", {"edition": e, "summary": plain_summary}, "feed")
    yield PageSpec(urls.SITEMAP, "sitemap.xml", {"edition": e}, "sitemap")
    yield PageSpec(urls.ROBOTS, "robots.txt", {}, "robots.txt")


def render_edition(edition: Edition, config: Config, *, script: str = DEFAULT,
                   root_url: str = "", convert: Callable[[str], str] | None = None,
                   ) -> dict[str, tuple[bytes, str]]:
    """Render every page: {url: (bytes, origin)}; every template problem is collected.

    For another script than the default, pass that script's edition and config (see
    renderers/html/scripts.py): every page goes under the script's prefix, and the
    pages one site has once (404, sitemap, robots.txt) are left to the default script.
    """
    env = make_env(config.theme_dir, convert)
    site = Site(config.title, config.description, config.base_url, config.updated,
                script, root_url or config.base_url, config.pdf)
    out: dict[str, tuple[bytes, str]] = {}
    problems: list[Problem] = []
    specs = list(page_specs(edition, config, script))
    sitemap_urls = [s.url for s in specs if s.template.endswith(".html")
                    and s.url != urls.NOT_FOUND]
    for spec in specs:
        url = urls.in_variant(spec.url, script)
        if script != DEFAULT and url == spec.url:
            continue
        if url in out:
            problems.append(Problem(spec.origin, None, f"URL {url!r} is also claimed by "
                                    f"{out[url][1]}"))
            continue
        context = {"site": site, "page_url": spec.url, "sitemap_urls": sitemap_urls,
                   **spec.context}
        html = _render(env, spec.template, context, config, problems)
        out[url] = (html.encode("utf-8"), spec.origin)
    if problems:
        raise DubenError(problems)
    return out


def _render(env: Environment, name: str, context: dict[str, Any], config: Config,
            problems: list[Problem]) -> str:
    shown = _template_path(config, name)
    try:
        return env.get_template(name).render(context)
    except TemplateNotFound as exc:
        problems.append(Problem(_template_path(config, exc.name or name), None,
                                "missing template"))
    except TemplateSyntaxError as exc:
        problems.append(Problem(_template_path(config, exc.name or name), exc.lineno,
                                f"template syntax: {exc.message}"))
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        line = _template_line(exc, name)
        problems.append(Problem(shown, line, f"template error: {exc}"))
    return ""


def _template_path(config: Config, name: str) -> str:
    path = config.theme_dir / "templates" / name
    try:
        return str(path.resolve().relative_to(config.root.resolve()))
    except ValueError:
        return str(path)


def _template_line(exc: BaseException, name: str) -> int | None:
    """The template line in the traceback Jinja rewrote to point at the template."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line




def inline_css(config: Config) -> tuple[Markup, Markup]:
    """The screen and print stylesheets, to inline in the 404 page: a server shows that
    page at any depth and a reader may open it from disk, so a linked stylesheet (which
    must be absolute there) is missing in one place or the other."""
    static = config.theme_dir / "static"
    css = [(static / name).read_text(encoding="utf-8") for name in ("style.css", "print.css")]
    return Markup(css[0].replace("</", "<\\/")), Markup(css[1].replace("</", "<\\/"))
