"""`build`: content/ + theme/ -> site/, checked, deterministic, incremental and atomic."""
from __future__ import annotations

import dataclasses
import functools
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, ParamSpec

from duben.atomic import discard, recover_target, staging_dir, swap_in, write_failed
from duben.errors import DubenError, Problem
from duben.model.config import Config, load_config, with_print_decided
from duben.model.edition import Edition, content_files, load_edition
from duben.model.pages import with_page_facts
from duben.output.ahead import load_slugs, parse_ahead
from duben.output.cache import (
    BuildCache,
    build_key,
    load_articles,
    load_pages,
    open_cache,
    stats,
)
from duben.output.fingerprint import learn as learn_digests
from duben.output.linkcheck import check_links
from duben.output.stream import Render, workers_wanted
from duben.output.write import Files, Stager, claim, static_files
from duben.paths import check_output, url_key
from duben.renderers import available, default_renderers
from duben.renderers.scripts import ScriptEdition, in_scripts

if TYPE_CHECKING:
    from duben.renderers.html.warm import Look

Progress = Callable[[int, int], None]  # (pages done so far, pages in all)
P = ParamSpec("P")


class Spec(NamedTuple):
    """One page as the stager sees it: output URL, origin, dependencies, batch, and
    whether it is streamed (the whole edition on one page: rendered first, alone)."""

    url: str
    origin: str
    deps: Any
    batch: str
    streamed: bool = False


def _collected_after(build: Callable[P, list[Problem]]) -> Callable[P, list[Problem]]:
    """`build` with the cyclic garbage collector off (in the processes it forks too),
    then the collector as it was and the heap it froze (gc.freeze) unfrozen, so a
    process that builds many times (the tests) collects each build's garbage; serve
    manages its own. A build makes few reference cycles (its peak memory at 10,000
    articles is the same with the collector off), but the collector's passes over the
    caches each process fills (items, link targets, Markdown) took ~3 s of CPU there."""
    @functools.wraps(build)
    def run(*args: P.args, **kwargs: P.kwargs) -> list[Problem]:
        thawed, enabled = gc.get_freeze_count() == 0, gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
            if thawed:
                gc.unfreeze()
    return run


@_collected_after
def build_site(root: Path, out: Path, *, strict: bool,
               renderers: tuple[str, ...] | None = None, search: bool = True,
               pdf: bool = False, epub: bool = True, print_page: bool = True,
               base_url: str | None = None, workers: int | None = None, cache: bool = True,
               progress: Progress | None = None,
               memory: BuildCache | None = None) -> list[Problem]:
    """Build the edition at `root` into `out`; return warnings, raise DubenError on failure.

    Errors (bad content, missing or broken templates, two pages claiming one URL)
    always fail. Warnings (unknown series/column/tag, broken internal links) fail
    only under strict. On any failure `out` is left exactly as it was. `pdf` (the
    --pdf flag) adds the PDFs, as `pdf: true` in duben.yaml does; `epub=False`
    (--no-epub) drops the EPUB, as `epub: false` does, and `print_page=False` the
    whole-edition print page, as `print: false` does (`print: auto`, the default,
    makes it for up to 1,000 articles). `search` runs
    Pagefind over the staged site before the swap (issue 9). `base_url`
    overrides duben.yaml's (a fork's GitHub Pages address); `workers` defaults to
    both cores for a large edition; `cache` uses and refreshes .duben-cache/;
    `memory` is a cache kept between builds instead (`serve`: nothing to load or save).
    """
    check_output(root, out)                             # never over seeds/, content/, theme/
    recover_target(out)                                 # repair what a killed run left
    if cache:
        load_slugs(root)                                # no pinyin dictionary to load
    config = with_base_url(load_config(root), base_url)  # duben.yaml, unknown keys rejected
    config = with_page_facts(config)                    # + content/<page>/page.yaml
    if pdf or not epub or not print_page:
        config = dataclasses.replace(config, pdf=config.pdf or pdf, epub=config.epub and epub,
                                     print_page=config.print_page if print_page else False)
    renderers = renderers or default_renderers(config)  # html, search, epub (+ pdf)
    if not search:  # no index: the search page's character map has nothing to serve
        renderers = tuple(n for n in renderers if n != "search")
    key = build_key(config, renderers, _data(root), theme=config.theme_dir)
    store = memory.rekey(key) if memory else open_cache(root, out, key, enabled=cache)
    # What a build reads (seeds: lines are checked). A plain listing: a new or changed
    # file, symlinks included, changes this, and the full build checks it (paths.py).
    inputs = stats([*sorted(config.content_dir.glob("*/*.md")), *sorted(root.glob("seeds/*.txt")),
                    *sorted((config.theme_dir / "static").rglob("*"))])
    inputs["--search"] = (int(search), 0)  # an index to add or drop is a change too
    last = store.unchanged(inputs, out)
    if last is not None:                                # nothing changed: nothing to do
        if strict and last:
            raise DubenError(last)
        return last
    if memory is None:
        load_articles(store)
        load_pages(store)
    jobs = workers or workers_wanted(len(inputs))      # for loading; pages decide their own
    edition, warnings = load(config, store, jobs)
    # Each article's digest, made where it was parsed, for the pages' fingerprints.
    learn_digests((r[3], r[5]) for r in store.fresh_articles.values())
    # The articles and indexes outlive every object the build makes after them: no
    # collection (after the build, or by a caller's code) need walk them again.
    gc.freeze()
    config = with_print_decided(config, len(edition.articles))  # `print: auto`, by size
    scripts = in_scripts(edition, config)
    specs, render, looks = (html_pages(scripts, config.base_url)
                            if "html" in renderers else ([], None, []))
    if not (store.enabled and store.pages):  # every page to render: headlines, list items
        from duben.renderers.html.warm import warm

        warm(looks, jobs)
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
                stager.pages(specs, render,
                             config.base_url, workers or workers_wanted(len(specs)))
            stager.files(files, config.base_url)
        except OSError as exc:  # disk full, permissions: the environment's fault, exit 2
            raise write_failed(exc, staged, out) from None
        if stager.problems:
            raise DubenError(stager.problems)
        warnings += check_links(stager.linked_pages(), set(stager.entries), root, stager.text_of)
        if strict and warnings:
            raise DubenError(warnings)
        if search:                                      # the index of exactly these pages
            from duben.renderers.search import index_site

            index_site(staged, config)
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


def load(config: Config, store: BuildCache, workers: int) -> tuple[Edition, list[Problem]]:
    """The Edition and its warnings: content files parsed on `workers` cores (those the
    cache does not hold), then checked whole by load_edition (path:line errors)."""
    listing = content_files(config)                     # links leaving the project refused
    parse_ahead(store, listing[0], config.root, workers)
    try:
        return load_edition(config, store.load_article, listing, workers)
    finally:  # what was parsed ahead is for this load only (a failed one leaves some)
        store.ahead.clear()


def html_pages(scripts: tuple[ScriptEdition, ...],
               base_url: str) -> tuple[list[Spec], Render, list[Look]]:
    """The HTML site's pages in every script, a function rendering page i (run in
    the workers; render.render_edition renders the same in one process), and each
    script's edition with the templates and Site its pages are rendered with."""
    from duben.renderers.html.render import make_env, render_chunks, script_specs, site_of

    specs: list[Spec] = []
    makers: list[tuple[Any, ...]] = []
    looks: list[Look] = []
    for s in scripts:  # absolute URLs name the page in its script
        env, site = make_env(s.config.theme_dir, s.convert), site_of(s.config, s.script,
                                                                       base_url)
        looks.append((s, env, site))
        for url, spec in script_specs(s.edition, s.config, s.script):
            batch = f"{s.script} {spec.batch}" if spec.batch else ""
            specs.append(Spec(url, spec.origin, (s.script, spec.deps), batch, spec.streamed))
            makers.append((env, site, s.config, spec))

    def render(i: int, problems: list[Problem]) -> Iterator[str]:
        return render_chunks(*makers[i], problems)

    return specs, render, looks


def _data(root: Path) -> bytes:
    """Every data file (vocabularies, data/script.yaml): they change what is shown."""
    folder = root / "data"
    return b"".join(p.name.encode() + b"\0" + p.read_bytes()
                    for p in sorted(folder.glob("*")) if p.is_file()) if folder.is_dir() else b""


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
