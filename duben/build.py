"""`build`: content/ + theme/ -> site/, checked, deterministic, incremental and atomic."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from duben.atomic import discard, recover_target, staging_dir, swap_in, write_failed
from duben.errors import DubenError, Problem
from duben.model.config import Config, load_config
from duben.model.edition import Edition, load_edition
from duben.output.cache import (
    BuildCache,
    build_key,
    load_articles,
    load_pages,
    open_cache,
    stats,
)
from duben.output.linkcheck import check_links
from duben.output.stream import workers_wanted
from duben.output.write import Files, Stager, claim, static_files
from duben.paths import check_output, url_key
from duben.renderers import available

Progress = Callable[[int, int], None]  # (pages done so far, pages in all)


def build_site(root: Path, out: Path, *, strict: bool,
               renderers: tuple[str, ...] = ("html",), base_url: str | None = None,
               workers: int | None = None, cache: bool = True,
               progress: Progress | None = None,
               memory: BuildCache | None = None) -> list[Problem]:
    """Build the edition at `root` into `out`; return warnings, raise DubenError on failure.

    Errors (bad content, missing or broken templates, two pages claiming one URL)
    always fail. Warnings (unknown series/column/tag, broken internal links) fail
    only under strict. On any failure `out` is left exactly as it was. `base_url`
    overrides duben.yaml's (a fork's GitHub Pages address); `workers` defaults to
    both cores for a large edition; `cache` uses and refreshes .duben-cache/;
    `memory` is a cache kept between builds instead (`serve`: nothing to load or save).
    """
    check_output(root, out)                             # never over seeds/, content/, theme/
    recover_target(out)                                 # repair what a killed run left
    config = with_base_url(load_config(root), base_url)  # duben.yaml, unknown keys rejected
    key = build_key(config, renderers, theme=config.theme_dir)
    store = memory.rekey(key) if memory else open_cache(root, out, key, enabled=cache)
    # What a build reads (seeds: lines are checked). A plain listing: a new or changed
    # file, symlinks included, changes this, and the full build checks it (paths.py).
    inputs = stats([*sorted(config.content_dir.glob("*/*.md")), *sorted(root.glob("seeds/*.txt")),
                    *sorted((config.theme_dir / "static").rglob("*"))])
    last = store.unchanged(inputs, out)
    if last is not None:                                # nothing changed: nothing to do
        if strict and last:
            raise DubenError(last)
        return last
    if memory is None:
        load_articles(store)
        load_pages(store)
    edition, warnings = load_edition(config, store.load_article)  # errors with path:line
    specs, render = _html(edition, config) if "html" in renderers else ([], None)
    files = render_all(edition, config, tuple(n for n in renderers if n != "html"))
    files |= static_files(config.theme_dir / "static", root)
    claim([(s.url, s.origin) for s in specs], files)    # two claims on one URL fail here
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], len(specs) + len(files))

    staged = staging_dir(out)                           # locked until swapped or discarded
    try:
        stager = Stager(out, staged, store, tick)
        try:
            if render is not None:                      # render + write + scan, streamed
                stager.pages([(s.url, s.origin, s.deps, s.batch) for s in specs], render,
                             config.base_url, workers or workers_wanted(len(specs)))
            stager.files(files, config.base_url)
        except OSError as exc:  # disk full, permissions: the environment's fault, exit 2
            raise write_failed(exc, staged, out) from None
        if stager.problems:
            raise DubenError(stager.problems)
        warnings += check_links(stager.linked_pages(), set(stager.entries), root)
        if strict and warnings:
            raise DubenError(warnings)
        swap_in(staged, out)                            # the old site/ until this instant
    except BaseException:
        discard(staged)
        raise
    warnings = sorted(warnings, key=Problem.sort_key)
    store.save(stager.entries, out, warnings)
    return warnings


def with_base_url(config: Config, base_url: str | None) -> Config:
    """The config with base_url replaced (checked as duben.yaml's is)."""
    if base_url is None:
        return config
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    if not base_url.startswith(("https://", "http://")):
        raise DubenError(Problem("--base-url", None,
                                 f"must be an absolute http(s) URL, got {base_url!r}"))
    return dataclasses.replace(config, base_url=base_url)


def _html(edition: Edition, config: Config) -> tuple[list, Callable[[int, list[Problem]], bytes]]:
    """The HTML site's page specs, and a function rendering spec i (run in the workers)."""
    from duben.renderers.html.render import make_env, render_page, site_of
    from duben.renderers.html.specs import page_specs

    specs = page_specs(edition, config)
    env, site = make_env(config.theme_dir), site_of(config)

    def render(i: int, problems: list[Problem]) -> bytes:
        return render_page(env, site, config, specs[i], problems)

    return specs, render


def render_all(edition: Edition, config: Config, names: tuple[str, ...]) -> Files:
    """Run the chosen renderers (each returns Files; the HTML site is streamed instead);
    two files claiming one URL fail, compared by the file they write ('a/../b' is 'b')."""
    chosen = available()
    files: Files = {}
    problems: list[Problem] = []
    claimed: dict[str, str] = {}  # normalised output path -> URL
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
