"""Render pages: one template per page type, one page at a time (see specs.py).

Jinja2 with autoescape and StrictUndefined: a typo in a template is an error, and
only HTML we produced (the Markdown body, the JSON-LD) is marked safe. The `url`
filter turns a site URL into a link relative to the page being rendered, so the
same site works at a domain root, under a sub-path and from file://.
"""
from __future__ import annotations

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

from duben.errors import DubenError, Problem
from duben.model.config import Config
from duben.model.edition import Edition
from duben.output import urls
from duben.renderers.html.specs import PageSpec, page_specs
from duben.renderers.html.views import (
    KIND_NAMES,
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


def make_env(theme_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(theme_dir / "templates"),
        autoescape=select_autoescape(("html", "xml")),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build, one set of templates: no stat per page rendered
    )
    env.globals.update(urls=urls, ordinal=ordinal, KIND_NAMES=KIND_NAMES,
                       SCRIPT_NAMES=SCRIPT_NAMES, full_title=full_title,
                       reading_order=reading_order)
    env.filters["url"] = _url_filter
    env.filters["abs_url"] = _abs_url_filter
    return env


@pass_context
def _url_filter(ctx: Any, target: str, anchor: str = "") -> str:
    """Link to a site URL from the page being rendered; absolute on the 404 page."""
    if ctx["page_url"] == urls.NOT_FOUND:
        return urls.absolute(ctx["site"].base_url, target, anchor)
    return urls.relative(ctx["page_url"], target, anchor)


@pass_context
def _abs_url_filter(ctx: Any, target: str, anchor: str = "") -> str:
    return urls.absolute(ctx["site"].base_url, target, anchor)


def site_of(config: Config) -> Site:
    return Site(config.title, config.description, config.base_url, config.updated)


def render_page(env: Environment, site: Site, config: Config, spec: PageSpec,
                problems: list[Problem]) -> bytes:
    """One page's bytes; a template problem is added to `problems` (and b"" returned)."""
    context = {"site": site, "page_url": spec.url, **spec.make()}
    return _render(env, spec.template, context, config, problems).encode("utf-8")


def render_edition(edition: Edition, config: Config) -> dict[str, tuple[bytes, str]]:
    """Render every page to memory, in one process: {url: (bytes, origin)}.

    The reference form of the renderer (other outputs and tests use it); `build`
    streams the same specs through duben/output/stream.py instead.
    """
    env = make_env(config.theme_dir)
    site = site_of(config)
    out: dict[str, tuple[bytes, str]] = {}
    problems: list[Problem] = []
    specs = page_specs(edition, config)
    problems += collisions(specs)
    for spec in specs:
        if spec.url not in out:
            out[spec.url] = (render_page(env, site, config, spec, problems), spec.origin)
    if problems:
        raise DubenError(problems)
    return out


def collisions(specs: list[PageSpec]) -> list[Problem]:
    """A problem for every spec claiming a URL an earlier one claimed."""
    seen: dict[str, str] = {}
    problems = []
    for spec in specs:
        if spec.url in seen:
            problems.append(Problem(spec.origin, None, f"URL {spec.url!r} is also claimed by "
                                    f"{seen[spec.url]}"))
        else:
            seen[spec.url] = spec.origin
    return problems


def _render(env: Environment, name: str, context: dict[str, Any], config: Config,
            problems: list[Problem]) -> str:
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
        problems.append(Problem(_template_path(config, name), line, f"template error: {exc}"))
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


