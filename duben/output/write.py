"""Write the site into a staging folder, then swap it in as site/ (duben/atomic.py).

This is the only module that writes site/. Pages stream in as they are rendered
(duben/output/stream.py); a page or file that the cache says is unchanged is
hard-linked from the current site/ instead of written again, so a rebuild writes
only what changed and the swap still replaces the whole folder in one step. The
previous site stays in place until the new one is complete.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from duben.errors import DubenError, Problem
from duben.output import urls
from duben.output.cache import BuildCache, Entry
from duben.output.fingerprint import Digester
from duben.output.linkcheck import scan
from duben.output.stream import Render, make_pages, put
from duben.paths import join_inside, project_files, url_key

Files = dict[str, tuple[bytes, str]]


def static_files(static_dir: Path, root: Path) -> Files:
    """Every file of theme/static under static/, plus .nojekyll."""
    # A symlink leaving the project (theme/static/x -> /etc/shadow) is an error, not a file.
    files, problems = project_files(static_dir, root)
    if problems:
        raise DubenError(problems)
    out: Files = {urls.static(p.relative_to(static_dir).as_posix()): (p.read_bytes(), _shown(p, root))
                  for p in files}
    # GitHub Pages would otherwise run Jekyll, which hides files starting with '_' or '.'.
    out[urls.NOJEKYLL] = (b"", "build")
    return out


def claim(specs: Sequence[tuple[str, str]], files: Files) -> None:
    """Fail if two pages or files claim one URL; `specs` are (url, origin) in order.
    URLs are compared by the file they are written to ('a/../b' is 'b'; case-folded)."""
    seen: dict[str, str] = {}
    problems = []
    for url, origin in [*specs, *((u, o) for u, (_, o) in files.items())]:
        key = url_key(url)
        if key in seen:
            problems.append(Problem(origin, None, f"URL {url!r} is also claimed by {seen[key]}"))
        else:
            seen[key] = origin
    if problems:
        raise DubenError(problems)


class Stager:
    """Fills one staging folder: links what is unchanged in `out`, writes the rest."""

    def __init__(self, out: Path, staged: Path, cache: BuildCache,
                 tick: Callable[[int], None] = lambda n: None):
        self.out, self.staged, self.cache, self.tick = out, staged, cache, tick
        self.entries: dict[str, Entry] = {}
        self.origins: dict[str, str] = {}
        self.problems: list[Problem] = []
        self._dirs: set[Path] = set()

    def pages(self, specs: Sequence[tuple[str, str, object, str, bool]], render: Render,
              base_url: str, workers: int) -> None:
        """Pages given as (url, origin, deps, batch, streamed): unchanged ones linked,
        the rest rendered (see stream.make_pages)."""
        digester = Digester()
        paths = [urls.output_path(url) for url, *_ in specs]
        prints: dict[int, str] = {}
        todo = []
        caching = self.cache.enabled  # without a cache, no page is ever reused

        def fingerprint(i: int) -> str:
            return self._fingerprint(specs[i][0], digester.digest(specs[i][2]))

        # Nothing to reuse (a first build): each page's fingerprint, kept for the next
        # build, is made where the page is rendered, on every core (1 s at 10,000).
        late = caching and not self.cache.pages
        reusing = caching and not late  # a cache that holds pages: digest them first
        for i, (_, origin, *_) in enumerate(specs):
            self.origins[paths[i]] = origin
            prints[i] = fingerprint(i) if reusing else ""
            if not (reusing and self._reuse(paths[i], prints[i])):
                todo.append(i)
        for m in make_pages(render, paths, todo, self.staged, base_url, workers, self.out,
                            self.tick, [batch for *_, batch, _ in specs],
                            fingerprint if late else None,
                            {i for i, (*_, streamed) in enumerate(specs) if streamed}):
            self.entries[paths[m.index]] = Entry(prints[m.index] or m.fingerprint, m.size,
                                                 m.mtime_ns, m.links)
            self.problems += m.problems

    def files(self, files: Files, base_url: str) -> None:
        """Files already in memory (static files, other renderers' output)."""
        for url, (data, origin) in sorted(files.items()):
            path = urls.output_path(url)
            self.origins[path] = origin
            fingerprint = self._fingerprint(url, hashlib.sha256(data).hexdigest())
            if self._reuse(path, fingerprint):
                continue
            st = put(str(self._dir_of(path) / Path(path).name), data, str(self.out / path))
            links = scan(data.decode("utf-8"), path, base_url) if path.endswith(".html") else None
            self.entries[path] = Entry(fingerprint, st.st_size, st.st_mtime_ns, links)
            self.tick(1)

    def linked_pages(self) -> dict[str, tuple[str, object]]:
        """Output path -> (origin, links) of every HTML page, for the link check."""
        return {p: (self.origins[p], e.links) for p, e in self.entries.items()
                if p.endswith(".html")}

    def text_of(self, path: str) -> str | None:
        """A staged page's HTML (the link check reads a page with a broken link again)."""
        try:
            return (self.staged / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _fingerprint(self, url: str, digest: str) -> str:
        return hashlib.sha256(f"{self.cache.key}\0{url}\0{digest}".encode()).hexdigest()

    def _reuse(self, path: str, fingerprint: str) -> bool:
        entry = self.cache.reusable(self.out, path, fingerprint)
        if entry is None:
            return False
        target = self._dir_of(path) / Path(path).name
        try:
            os.link(self.out / path, target)
        except OSError:  # no hard links here (another file system): a copy will do
            shutil.copy2(self.out / path, target)
            st = target.stat()
            entry = type(entry)(entry.fingerprint, st.st_size, st.st_mtime_ns, entry.links)
        self.entries[path] = entry
        self.tick(1)
        return True

    def _dir_of(self, path: str) -> Path:
        folder = join_inside(self.staged, path).parent
        if folder not in self._dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self._dirs.add(folder)
        return folder


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
