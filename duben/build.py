"""`build`: content/ + theme/ -> site/, checked, deterministic and atomic."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from duben.atomic import recover_target
from duben.errors import DubenError, Problem
from duben.model.config import Config, load_config
from duben.model.edition import Edition, load_edition
from duben.model.pages import with_page_facts
from duben.output.linkcheck import check_links
from duben.output.write import with_static, write_site
from duben.paths import check_output, url_key
from duben.renderers import Files, available, default_renderers


def build_site(root: Path, out: Path, *, strict: bool,
               renderers: tuple[str, ...] | None = None,
               search: bool = True, pdf: bool = False) -> list[Problem]:
    """Build the edition at `root` into `out`; return warnings, raise DubenError on failure.

    Errors (bad content, missing or broken templates, two pages claiming one URL)
    always fail. Warnings (unknown series/column/tag, broken internal links) fail
    only under strict. On any failure `out` is left exactly as it was. `pdf` (the
    --pdf flag) adds the PDFs, as `pdf: true` in duben.yaml does.
    """
    check_output(root, out)                             # never over seeds/, content/, theme/
    recover_target(out)                                 # repair what a killed run left
    config = load_config(root)                          # duben.yaml, unknown keys rejected
    config = with_page_facts(config)                    # + content/<page>/page.yaml
    if pdf:
        config = replace(config, pdf=True)
    renderers = renderers or default_renderers(config)  # html, search, epub (+ pdf)
    edition, warnings = load_edition(config)            # every content error, with path:line
    pages = render_all(edition, config, renderers)      # to memory; URL collisions fail here
    files = with_static(pages, config.theme_dir / "static", root)
    warnings += check_links(files, config.base_url, root)  # links and #anchors, in memory
    if strict and warnings:
        raise DubenError(warnings)
    write_site(files, out, _search_index(config) if search else None)  # temp, index, swap
    return sorted(warnings, key=Problem.sort_key)


def render_all(edition: Edition, config: Config, names: tuple[str, ...]) -> Files:
    """Run the chosen renderers over one edition; two files claiming one URL fail."""
    chosen = available()
    files: Files = {}
    problems: list[Problem] = []
    claimed: dict[str, str] = {}  # normalised output path -> URL: 'a/../b' is 'b'
    for name in names:
        for url, (data, origin) in chosen[name](edition, config).items():
            key = url_key(url)
            if key in claimed:
                problems.append(Problem(origin, None, f"URL {url!r} is also claimed by "
                                        f"{files[claimed[key]][1]}"))
            else:
                files[url], claimed[key] = (data, origin), url
    if problems:
        raise DubenError(problems)
    return files


def _search_index(config: Config) -> Callable[[Path], None]:
    """The post-stage step that runs Pagefind over the written site (issue 9)."""
    from duben.renderers.search import index_site

    return lambda staged: index_site(staged, config)
