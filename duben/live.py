"""The edition `serve` shows: held in memory, changed in place, rendered when asked for.

A build writes every page; a preview needs only the page the tab shows. So `Live`
keeps the loaded Edition (in every script) and the page specs, and renders a page
when the browser asks for it (about a millisecond). A change is applied to what is
held, by what it touched:

- an article's text, not its place, changed (model/patch.py): that object is swapped
  into the Edition in each script and the pages are listed again (0.2 s at 10,000);
- an article moved to other tags, column or series (page and position kept): the
  held articles are indexed again, the neighbours only near it (0.3 s at 10,000);
- a template or a static file: the pages are listed again (each template compiled
  first: a syntax error is reported at once and the last good ones stay in use);
- anything else (an article added or removed, a page file, the config, data/, a
  seed after `split`): the edition is loaded again, only changed files re-read.

What every save would remake whole is left out: the search index, the EPUB, the
PDFs and the one-page print edition. A change that fails to load keeps the last
good edition; its problems are shown until the next good load.
"""
from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from duben.build import html_pages, load, with_base_url
from duben.errors import DubenError, Problem
from duben.model.checks import rechecked
from duben.model.config import Config, load_config
from duben.model.edition import Edition, edition_of
from duben.model.pages import PAGE_FILE, with_page_facts
from duben.model.patch import find_article, replace_article, same_place
from duben.model.variant import Converted, load_exceptions, to_variant
from duben.output import urls
from duben.output.cache import BuildCache
from duben.output.linkcheck import check_links, scan
from duben.output.stream import Render, workers_wanted
from duben.output.write import Files, claim, static_files
from duben.renderers.html.render import compile_templates, make_env
from duben.renderers.scripts import ScriptEdition, in_scripts

COLLECT = 100  # changes between two full garbage collections (0.2 s at 10,000 articles)


@dataclass(frozen=True)
class Snapshot:
    """One consistent state of the preview: never changed, replaced whole."""

    config: Config
    scripts: tuple[ScriptEdition, ...]  # the edition in every script, default first
    warnings: tuple[Problem, ...]
    specs: tuple[tuple[str, str], ...]  # (url, origin) of every page
    paths: dict[str, int]  # output path -> index of its page in specs
    render: Render
    files: Files  # static files

    @property
    def edition(self) -> Edition:
        return self.scripts[0].edition

    @cached_property
    def known(self) -> set[str]:
        """Every output path: what a link may point to."""
        return set(self.paths) | set(self.files)


class Live:
    """The preview's state. `update` runs on one thread (the builder); `page` may run
    on another (the server) at the same time: it reads one snapshot, never a half-made one."""

    def __init__(self, root: Path, base_url: str | None = None,
                 warn: Callable[[Problem], None] = lambda problem: None) -> None:
        # Absolute, as the watcher names changed files (`serve` runs in "." by default).
        self.root, self.base_url, self.warn = root.absolute(), base_url, warn
        self.memory = BuildCache(None, "")  # parsed articles by file, between loads
        self.snapshot: Snapshot | None = None
        # The snapshot before, while the current one has failed to render no page: a
        # page whose template now fails is shown as it was (under the error).
        self.previous: Snapshot | None = None
        self._rendered_all = True  # no page of the current snapshot has failed
        self.problems: list[Problem] = []  # of the last change that failed; [] once fixed
        self._warned: set[str] = set()
        self._lock = threading.Lock()  # one update at a time
        self._changes = 0
        self._converted: dict[str, Converted] = {}  # by script (see variant.to_variant)

    # -- changes -------------------------------------------------------------------

    def update(self, changed: Collection[Path] = ()) -> str:
        """Apply a change to the files `changed` (all if empty); return how: "patched",
        "indexed", "relisted", "loaded" or "unchanged". On failure keep the last good
        snapshot, record the problems in `problems`, and raise DubenError."""
        with self._lock:
            try:
                how, snapshot = self._apply(set(changed))
            except DubenError as exc:
                self.problems = list(exc.problems)
                raise
            if how == "unchanged":  # the last change's problems, if any, still stand
                return how
            if self._rendered_all:
                self.previous = self.snapshot
            self.snapshot, self.problems, self._rendered_all = snapshot, [], True
            # The edition lives on: collections need not walk it (a replaced one is freed
            # by reference counting; a change's few cycles are collected every COLLECT).
            self._changes += 1
            if self._changes % COLLECT == 0:
                gc.unfreeze()
                gc.collect()
            gc.freeze()
            return how

    def _apply(self, changed: set[Path]) -> tuple[str, Snapshot]:
        old = self.snapshot
        kinds = {self._kind(p) for p in changed} - {"ignored"}
        if old is not None and changed and not kinds:
            return "unchanged", old  # an editor's swap file, say: nothing to show
        if old is None or not changed or kinds - {"article", "template", "static"}:
            return "loaded", self._load()
        if "article" in kinds:
            articles = {p for p in changed if self._kind(p) == "article"}
            patched = self._patch(old, articles)
            if patched is None:
                indexed = self._reindex(old, articles)
                if indexed is None:
                    return "loaded", self._load()
                if not kinds & {"template", "static"}:
                    return "indexed", indexed
                old = indexed
            else:
                old = patched
        if kinds & {"template", "static"}:  # (the 404 page inlines the stylesheets)
            return "relisted", self._listed(old.config, old.scripts, old.warnings)
        return "patched", old

    def _kind(self, path: Path) -> str:
        """What a changed path is to the preview."""
        path = path.resolve()
        theme = self.theme_dir().resolve()  # (it may lie outside the project)
        if path.is_relative_to(theme) and len(path.relative_to(theme).parts) >= 2:
            folder = path.relative_to(theme).parts[0]
            return {"templates": "template", "static": "static"}.get(folder, "other")
        try:
            rel = path.relative_to(self.root.resolve())
        except ValueError:
            return "other"
        parts = rel.parts
        if len(parts) == 3 and parts[0] == "content" and rel.suffix == ".md":
            return "article"
        if parts[0] == "content" and rel.name != PAGE_FILE and rel.suffix != ".md":
            return "ignored"  # an editor's swap or backup file beside the articles
        return "other"

    def theme_dir(self) -> Path:
        """The theme the edition is rendered with (`theme:` in duben.yaml)."""
        return self.snapshot.config.theme_dir if self.snapshot else self.root / "theme"

    def _patch(self, old: Snapshot, files: set[Path]) -> Snapshot | None:
        """The snapshot with these articles' new text, or None when one of them was
        added, removed or moved (then the whole edition is loaded again)."""
        scripts, warnings = old.scripts, list(old.warnings)
        exceptions = None
        for path in sorted(files):
            shown = str(path.relative_to(self.root))
            before = find_article(scripts[0].edition, shown)
            if before is None or path.is_symlink() or not path.is_file():
                return None  # (the full load checks where a link leads)
            after = self.memory.reload(path, self.root)  # path:line errors raise
            if not same_place(before, after):
                return None
            if exceptions is None and len(scripts) > 1:
                exceptions = load_exceptions(self.root)
            scripts = tuple(
                dataclasses.replace(s, edition=replace_article(
                    s.edition, find_article(s.edition, shown),
                    after if s.convert is None else to_variant(after, s.script, exceptions)))
                for s in scripts)
            warnings = rechecked(warnings, [after], old.config)
        return self._listed(old.config, scripts, tuple(warnings))

    def _reindex(self, old: Snapshot, files: set[Path]) -> Snapshot | None:
        """The edition indexed again with these articles read again and every other one
        as held (no listing, no stat of 10,000 files); None when one was added or
        removed (then everything is read again)."""
        changed = {str(p.relative_to(self.root)): p for p in files}
        held = self.memory.articles
        if any(shown not in held or path.is_symlink() or not path.is_file()
               for shown, path in changed.items()):
            return None
        articles, slugs = [], set()
        for shown, entry in held.items():
            path = changed.get(shown)
            if path is not None:
                articles.append(self.memory.reload(path, self.root))  # errors raise
                slugs.add(articles[-1].slug)
            else:
                articles.append(entry[3])
        # Only the neighbours near the changed articles are computed again.
        edition, warnings = edition_of(articles, old.config, before=old.edition,
                                       changed=frozenset(slugs), warned=old.warnings)
        return self._listed(old.config, self._scripts(edition, old.config), tuple(warnings))

    def _load(self) -> Snapshot:
        """Everything read again; only changed content files are parsed again."""
        config = with_page_facts(with_base_url(load_config(self.root), self.base_url))
        config = dataclasses.replace(config, pdf=False, epub=False, print_page=False)
        store = self.memory.rekey(self.memory.key)
        edition, warnings = load(config, store, workers_wanted(len(store.articles) or 1000))
        store.articles, store.fresh_articles = store.fresh_articles, {}
        self._converted = {}  # the config or data/script.yaml may have changed
        return self._listed(config, self._scripts(edition, config), tuple(warnings))

    def _scripts(self, edition: Edition, config: Config) -> tuple[ScriptEdition, ...]:
        """The edition in every script, converting only articles not converted before;
        what is kept is only the articles of this edition."""
        scripts = in_scripts(edition, config, self._converted)
        alive = {id(a) for p in edition.pages for a in (*p.articles, *p.notices)}
        for converted in self._converted.values():
            for key in converted.keys() - alive:
                del converted[key]
        return scripts

    def _listed(self, config: Config, scripts: tuple[ScriptEdition, ...],
                warnings: tuple[Problem, ...]) -> Snapshot:
        """A snapshot listing every page of `scripts`; every template compiled first, so
        a broken one fails here, not on some page later."""
        specs, render, _ = html_pages(scripts, config.base_url)
        for s in scripts:
            compile_templates(make_env(s.config.theme_dir, s.convert), config)
        files = self._static(config)
        if self.snapshot is None or [u for u, _ in self.snapshot.specs] != [s.url for s in specs]:
            claim([(s.url, s.origin) for s in specs], files)  # new URLs: none claimed twice
        return Snapshot(config, scripts, warnings, tuple((s.url, s.origin) for s in specs),
                        {urls.output_path(s.url): i for i, s in enumerate(specs)}, render,
                        files)

    def _static(self, config: Config) -> Files:
        return static_files(config.theme_dir / "static", self.root)

    # -- pages ---------------------------------------------------------------------

    def page(self, path: str) -> tuple[bytes, list[Problem]] | None:
        """The file at a site path ("" or "x/" mean their index.html) rendered now, with
        the problems of rendering it; None if the site has no such file."""
        snapshot = self.snapshot
        if snapshot is None:
            return None
        path = urls.output_path(path)
        if path in snapshot.files:
            return snapshot.files[path][0], []
        index = snapshot.paths.get(path)
        if index is None:
            return None
        text, problems = self._render(snapshot, path, index)
        if not problems:
            return text.encode("utf-8"), problems
        self._rendered_all = False
        before = self.previous
        if before is not None and (i := before.paths.get(path)) is not None:
            text, older = self._render(before, path, i)
            if not older:
                return text.encode("utf-8"), problems
        return b"", problems

    def check(self, stop: Callable[[], bool]) -> list[Problem] | None:
        """Render every page of the current snapshot, as a build would: its templates'
        problems (each once; broken links are warned of as on pages shown); None if
        `stop()` turns true or the snapshot is replaced first. (`serve` runs this
        between changes, so a broken template is told of on any page.)"""
        snapshot, found = self.snapshot, {}
        for path, index in (snapshot.paths.items() if snapshot else ()):
            if stop() or self.snapshot is not snapshot:
                return None
            for problem in self._render(snapshot, path, index)[1]:
                found.setdefault(str(problem), problem)
        return list(found.values())

    def _render(self, snapshot: Snapshot, path: str, index: int) -> tuple[str, list[Problem]]:
        problems: list[Problem] = []
        text = "".join(snapshot.render(index, problems))
        if not problems and path.endswith(".html"):
            self._check(snapshot, path, index, text)
        return text, problems

    def _check(self, snapshot: Snapshot, path: str, index: int, text: str) -> None:
        """Warn once of a broken link on a page shown (the build checks every page)."""
        origin = snapshot.specs[index][1]
        for w in check_links({path: (origin, scan(text, path, snapshot.config.base_url))},
                             snapshot.known, self.root, lambda _: text):
            if str(w) not in self._warned:
                self._warned.add(str(w))
                self.warn(w)
