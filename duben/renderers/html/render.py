"""Render pages: one template per page type, one page at a time (see specs.py).

Jinja2 with autoescape and StrictUndefined: a typo in a template is an error, and
only HTML we produced (the Markdown body, the JSON-LD) is marked safe. The `url`
filter turns a site URL into a link relative to the page being rendered, so the
same site works at a domain root, under a sub-path and from file://.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
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

from duben.errors import DubenError, Problem
from duben.model.article import CERTAINTIES
from duben.model.config import Config, with_print_decided
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
from duben.renderers.html.escaping import QuickContext, QuickTemplate
from duben.renderers.html.fragments import list_items
from duben.renderers.html.specs import PageSpec, page_specs
from duben.renderers.html.views import (
    KIND_NAMES,
    SCRIPT_LABELS,
    SCRIPT_NAMES,
    full_title,
    ordinal,
    reading_order,
)


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
    epub: bool = True  # ... and the EPUB
    print_page: bool | None = True  # ... and the whole-edition print page
    scripts: tuple[str, ...] = VARIANTS  # the editions built: switch, alternates, sitemap


class _ConvertingLoader(FileSystemLoader):
    """Templates with their own text (labels, notes) in another script. Jinja syntax is
    ASCII, so converting the whole source touches only the Chinese text."""

    def __init__(self, path: Path, convert: Callable[[str], str]) -> None:
        super().__init__(path)
        self.convert = convert

    def get_source(self, environment: Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        return self.convert(source), filename, uptodate


def make_env(theme_dir: Path, convert: Callable[[str], str] | None = None,
             shared: bool = True) -> Environment:
    """The template environment; `convert` turns the templates' own text into a script.

    Shared, the same environment while no template file changes (path, size, mtime;
    in sub-folders too):
    `serve` rebuilds many times, and compiling every template took 0.23 s each time.
    A caller that changes filters or globals (the EPUB) asks for its own."""
    if not shared:
        return _make_env.__wrapped__(theme_dir, convert, ())
    folder = theme_dir / "templates"
    stamp = tuple((p.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns)
                  for p in sorted(folder.rglob("*")) if (st := p.stat()))
    # (a missing folder: no stamp; Jinja then says which template is missing)
    return _make_env(theme_dir, convert, stamp)


@lru_cache(maxsize=4)
def _make_env(theme_dir: Path, convert: Callable[[str], str] | None,
              stamp: tuple[tuple[str, int, int], ...]) -> Environment:
    del stamp  # part of the cache key only
    loader = (FileSystemLoader(theme_dir / "templates") if convert is None
              else _ConvertingLoader(theme_dir / "templates", convert))
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(("html", "xml")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build, one set of templates: no stat per page rendered
        cache_size=-1,  # every template kept in a dict: no LRU bookkeeping per include
    )
    env.template_class = QuickTemplate  # escapes as markupsafe does, quicker
    env.context_class = QuickContext  # calls plain functions without asking them first
    env.globals.update(urls=urls, ordinal=ordinal, KIND_NAMES=KIND_NAMES,
                       SCRIPT_NAMES=SCRIPT_NAMES, full_title=full_title,
                       reading_order=reading_order, list_items=list_items,
                       SCRIPT_LABELS=SCRIPT_LABELS)
    env.filters.update(url=_url_filter, abs_url=_abs_url_filter, url_in=_url_in_filter,
                       abs_url_in=_abs_url_in_filter)
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
    """Link to a site URL from the page being rendered; absolute on the 404 page. (The
    commonest call of a build: half a million at 10,000 articles, hence the short
    way for the default script, whose URLs have no prefix.)"""
    page_url, site = ctx["page_url"], ctx["site"]
    if page_url == urls.NOT_FOUND:
        return urls.absolute(site.base_url, target, anchor)
    if site.lang == DEFAULT:
        return urls.relative(page_url, target, anchor)
    return _url_in_filter(ctx, target, site.lang, anchor)


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


def site_of(config: Config, script: str = DEFAULT, root_url: str = "") -> Site:
    return Site(config.title, config.description, config.base_url, config.updated,
                script, root_url or config.base_url, config.pdf, config.epub, config.print_page,
                config.scripts)


def render_page(env: Environment, site: Site, config: Config, spec: PageSpec,
                problems: list[Problem]) -> bytes:
    """One page's bytes; a template problem is added to `problems` (and b"" returned)."""
    return "".join(render_chunks(env, site, config, spec, problems)).encode("utf-8")


def render_chunks(env: Environment, site: Site, config: Config, spec: PageSpec,
                  problems: list[Problem]) -> Iterator[str]:
    """One page's text: a streamed page (the whole edition) in pieces as the template
    produces them, so it is written as it is made; any other in one piece (passing
    each of a page's ~600 pieces up through generators cost 8% of a build). A
    template problem is added to `problems` and ends it."""
    try:
        template = env.get_template(spec.template)
        context = {"site": site, "page_url": spec.url, **spec.make()}
        if spec.streamed:
            yield from template.generate(context)
        else:
            yield template.render(context)
    except Exception as exc:
        if not template_problem(exc, spec.template, config, problems):
            raise


def script_specs(edition: Edition, config: Config,
                 script: str = DEFAULT) -> list[tuple[str, PageSpec]]:
    """(output URL, spec) of every page of one script's edition: under the script's
    prefix; the pages a site has once (404, sitemap, robots.txt) only in the default."""
    out = []
    for spec in page_specs(edition, config, script):
        url = urls.in_variant(spec.url, script)
        if script == DEFAULT or url != spec.url:
            out.append((url, spec))
    return out


def render_edition(edition: Edition, config: Config, *, script: str = DEFAULT,
                   root_url: str = "", convert: Callable[[str], str] | None = None,
                   ) -> dict[str, tuple[bytes, str]]:
    """Render every page to memory, in one process: {url: (bytes, origin)}.

    The reference form of the renderer (other outputs and tests use it); `build`
    streams the same specs through duben/output/stream.py instead. For another script
    than the default, pass that script's edition and config (renderers/scripts.py).
    """
    config = with_print_decided(config, len(edition.articles))  # `print: auto`, as build does
    env = make_env(config.theme_dir, convert)
    site = site_of(config, script, root_url)
    out: dict[str, tuple[bytes, str]] = {}
    problems: list[Problem] = []
    specs = script_specs(edition, config, script)
    problems += collisions([(url, spec.origin) for url, spec in specs])
    for url, spec in specs:
        if url not in out:
            out[url] = (render_page(env, site, config, spec, problems), spec.origin)
    if problems:
        raise DubenError(problems)
    return out


def collisions(claims: list[tuple[str, str]]) -> list[Problem]:
    """A problem for every (url, origin) claiming a URL an earlier one claimed."""
    seen: dict[str, str] = {}
    problems = []
    for url, origin in claims:
        if url in seen:
            problems.append(Problem(origin, None, f"URL {url!r} is also claimed by "
                                    f"{seen[url]}"))
        else:
            seen[url] = origin
    return problems


def compile_templates(env: Environment, config: Config) -> None:
    """Compile every template of the theme, so a syntax error is found before a page
    needs the template; raise DubenError naming each broken one (path:line)."""
    problems: list[Problem] = []
    for name in env.list_templates():
        try:
            env.get_template(name)
        except Exception as exc:
            if not template_problem(exc, name, config, problems):
                raise
    if problems:
        raise DubenError(problems)


def template_problem(exc: Exception, name: str, config: Config, problems: list[Problem]) -> bool:
    """Add the problem `exc` is in the theme (path:line); False if it is not one."""
    if isinstance(exc, TemplateNotFound):
        problems.append(Problem(_template_path(config, exc.name or name), None,
                                "missing template"))
    elif isinstance(exc, TemplateSyntaxError):
        problems.append(Problem(_template_path(config, exc.name or name), exc.lineno,
                                f"template syntax: {exc.message}"))
    elif isinstance(exc, (TemplateError, TypeError, ValueError, AttributeError, KeyError)):
        name, line = _template_line(exc, config, name)
        if line is None and not isinstance(exc, TemplateError):
            return False  # raised in our code, not in a template: a bug to report as one
        problems.append(Problem(_template_path(config, name), line, f"template error: {exc}"))
    else:
        return False
    return True


def _template_path(config: Config, name: str) -> str:
    path = config.theme_dir / "templates" / name
    try:
        return str(path.resolve().relative_to(config.root.resolve()))
    except ValueError:
        return str(path)


def _template_line(exc: BaseException, config: Config, name: str) -> tuple[str, int | None]:
    """The template (its name in the theme) and line where the error happened: the last
    frame in the traceback Jinja rewrote to point at a template file, which is an
    included or extended one when the error is there (_article.html in article.html)."""
    folder = os.path.normpath(config.theme_dir / "templates") + os.sep
    tb, found = exc.__traceback__, (name, None)
    while tb is not None:
        file = tb.tb_frame.f_code.co_filename
        if file.startswith(folder):
            found = (file[len(folder):].replace(os.sep, "/"), tb.tb_lineno)
        tb = tb.tb_next
    return found
