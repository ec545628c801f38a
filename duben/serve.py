"""`serve`: a live preview. Hold the edition in memory (duben/live.py), render each page
when the browser asks for it, apply every change in place and reload the open tab.

- Fast: saving an article's text swaps that one article into the held edition and
  re-lists the pages (0.2 s at 10,000 articles); the tab then asks for its page,
  rendered on request. Nothing is written to disk. A seed change runs `split` first
  (hand edits are kept, as always).
- Every change reloads: watchfiles (the kernel's change notices) reports which files
  changed; livereload only serves and sends the reload (its own watcher would drop a
  reload that comes within 3 s of the previous one, and block the server while a
  build ran). A builder thread waits until the files have been quiet for DEBOUNCE
  seconds, applies the changes, and reloads; changes made meanwhile start another
  round, so the last change always reaches the browser.
- A bad edit never stops the server: the last good edition stays served, and every
  page shows the `path:line: message` list on top (the terminal prints it too). A page
  whose template fails is shown as the last good templates made it, under the error.
- Served under the path of base_url, as GitHub Pages serves a project site.
"""
from __future__ import annotations

import gc
import html
import mimetypes
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from duben import slugs
from duben.build import with_base_url
from duben.errors import DubenError, Problem
from duben.live import Live
from duben.model.config import CONFIG_FILE, load_config
from duben.output import urls

DEBOUNCE = 0.08  # seconds of quiet before a rebuild: an editor's save-all is one change
FOLDERS = ("seeds", "content", "theme", "data")
WATCHED = (*FOLDERS, CONFIG_FILE)
# Changes after which every page is rendered once, between changes (Preview.check): the
# templates or the whole edition are new. After an article's edit, its page shows it.
CHECKED = ("loaded", "relisted")
CHECK_AFTER = 1.0  # seconds after a reload before that check starts


class Preview:
    """The live edition, the last change's errors, and the rebuild loop."""

    def __init__(self, root: Path, base_url: str | None = None,
                 log: Callable[[str], None] = lambda line: print(line, file=sys.stderr)):
        self.root, self.base_url, self.log = root, base_url, log
        self.live = Live(root, base_url, warn=lambda w: log(f"warning: {w}"))
        self.errors: list[str] = []  # of the last change, which failed
        self.page_errors: list[str] = []  # found by the last check of every page
        self.checking = False  # a check of every page is due
        self.builds = 0
        self._changed = threading.Event()
        self._last_change = 0.0
        self._pending: set[Path] = set()
        self._everything = True  # the first round loads the whole edition
        self._resplit = False
        self._guard = threading.Lock()  # the pending set, shared with the watchers

    def changed(self, paths: Iterable[Path] = (), seeds: bool = False) -> None:
        """Note a change (called from the watchers); the builder thread does the work.
        No paths: anything may have changed."""
        with self._guard:
            paths = set(paths)
            self._pending |= paths
            self._everything = self._everything or not paths
            self._resplit = self._resplit or seeds
        self._last_change = time.monotonic()
        self._changed.set()

    def rebuild(self) -> str:
        """Split if a seed changed, then apply the changes; on failure keep the last good
        edition and show why. Return how (live.Live.update), or "failed"."""
        started = time.perf_counter()
        with self._guard:
            paths, everything, resplit = self._pending, self._everything, self._resplit
            self._pending, self._everything, self._resplit = set(), False, False
        try:
            if resplit:
                from duben.importer.split import run_split

                run_split(self.root)
            how = self.live.update(() if everything else paths)
            if how in CHECKED:
                self.checking, self.page_errors = True, []
            if how == "loaded":
                for w in self.live.snapshot.warnings if self.live.snapshot else ():
                    self.log(f"warning: {w}")
            if how != "unchanged":  # (after a swap file, the last failure still stands)
                self.errors = []
                self.log(f"{how} in {time.perf_counter() - started:.2f} s")
        except DubenError as exc:
            self.errors = [p.labelled("error") for p in exc.problems]  # as the CLI shows them
            self.log("the change failed; still serving the last good edition:\n"
                     + "\n".join(self.errors))
            how = "failed"
        except Exception as exc:  # noqa: BLE001 -- a bug must not stop the preview either
            self.errors = [f"internal error: {type(exc).__name__}: {exc}"]
            self.log(traceback.format_exc())
            how = "failed"
        self.builds += 1
        return how

    def run(self, reload: Callable[[], None]) -> None:
        """Forever: wait for a change, let a burst settle, rebuild, reload; then, if the
        templates or the edition changed, check every page until the next change."""
        while True:
            # The check waits a moment, so the reloading tab is served first.
            if self.checking and not self._changed.wait(CHECK_AFTER) and self.check():
                reload()  # to show what the check found
            self._changed.wait()
            while (quiet := time.monotonic() - self._last_change) < DEBOUNCE:
                time.sleep(DEBOUNCE - quiet)
            self._changed.clear()  # a change from now on triggers one more round
            if self.rebuild() != "unchanged":
                reload()

    def check(self) -> bool:
        """Render every page (in this thread, between changes: a change stops it), as
        a build would; True if it found template errors, now shown on every page."""
        started = time.perf_counter()
        found = self.live.check(stop=self._changed.is_set)
        if found is None:
            return False  # a change came first: its round checks again
        self.checking = False
        self.page_errors = [p.labelled("error") for p in found]
        self.log(f"checked every page in {time.perf_counter() - started:.1f} s"
                 + "".join(f"\n{line}" for line in self.page_errors))
        return bool(found)

    def base_path(self) -> str:
        config = with_base_url(load_config(self.root), self.base_url)
        return urlsplit(config.base_url).path or "/"

    def app(self, base_path: str) -> Callable[..., Iterable[bytes]]:
        """A WSGI app serving the edition under base_path."""
        def app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
            if not path.startswith(base_path):
                if path == "/":
                    start("302 Found", [("Location", base_path)])
                    return [b""]
                return self._respond(start, "404 Not Found", b"not found", "x.txt", [])
            rel = path[len(base_path):]
            status, found = "200 OK", self._page(rel)
            if found is None:
                status, rel, found = "404 Not Found", urls.NOT_FOUND, self._page(urls.NOT_FOUND)
            body, problems = found or (_EMPTY, [])
            return self._respond(start, status, body, urls.output_path(rel), problems)

        return app

    def _page(self, rel: str) -> tuple[bytes, list[Problem]] | None:
        """The page at a site path; "x" also finds the page "x/", as a file server would."""
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") or "\\" in p for p in parts):
            return None
        try:
            return self.live.page(rel) or (self.live.page(rel + "/") if rel and
                                           not rel.endswith("/") else None)
        except Exception as exc:  # noqa: BLE001 -- shown on the page, the server goes on
            self.log(traceback.format_exc())
            return _EMPTY, [Problem("(preview)", None, f"internal error: {exc}")]

    def _respond(self, start: Callable[..., Any], status: str, body: bytes, name: str,
                 problems: list[Problem]) -> list[bytes]:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        errors = self.errors + [p.labelled("error") for p in problems] + [
            e for e in self.page_errors if e not in {p.labelled("error") for p in problems}]
        if self.live.snapshot is None and not errors:
            errors = ["(preview) the edition has not loaded yet"]
        if kind == "text/html" and errors:
            body = _with_banner(body, errors)
        start(status, [("Content-Type", f"{kind}; charset=utf-8"),
                       ("Cache-Control", "no-store")])
        return [body]


_EMPTY = b"<!DOCTYPE html><html><head><title>duben</title></head><body></body></html>"


def _warm() -> None:
    """Load pypinyin's dictionaries (a new tag's slug then costs no 0.3 s on its save),
    and keep them out of the garbage collector's walks, as the edition is."""
    slugs.warm()
    gc.freeze()


def _silent_watcher() -> Any:
    """livereload's watcher, looking at nothing: changes come from _watch, and reloads
    from the builder thread once the change is built. (Given no task at all,
    livereload would poll the working directory and reload before the build.)"""
    from livereload.watcher import Watcher

    class Silent(Watcher):
        def examine(self) -> tuple[None, None]:
            return None, None

    return Silent()


def _watch(root: Path, preview: Preview) -> None:
    """Report every change under the watched names to the preview, as the kernel tells
    watchfiles (inotify on Linux) rather than by polling: livereload's watcher stat-ed
    every file of the project each time it looked (0.3 s at 10,000 articles), so a
    save waited up to a second to be seen.

    Each folder is watched with everything in it, and the project folder itself (not
    its contents) for the config file and for the folders themselves: `split`
    replaces content/ whole (a new folder renamed into place), and a watch follows
    the folder it was set on, not the name. A folder that appears under a watched
    name is watched anew, and everything is read again."""
    from watchfiles import watch

    watchers: dict[Path, threading.Event] = {}  # folder -> the stop of its watcher

    def follow(folder: Path) -> None:
        if folder in watchers:
            watchers[folder].set()  # the folder under this name is gone: stop watching it
        stop = watchers[folder] = threading.Event()

        def run() -> None:
            for changes in watch(folder, debounce=20, step=20, raise_interrupt=False,
                                 stop_event=stop):
                preview.changed([Path(p) for _, p in changes], seeds=folder.name == "seeds"
                                and folder.parent == root)

        threading.Thread(target=run, daemon=True).start()

    for name in FOLDERS:
        if (root / name).is_dir():
            follow(root / name)
    theme = preview.live.theme_dir().absolute()  # a theme outside the project, shared
    if theme.is_dir() and not theme.is_relative_to(root):
        follow(theme)

    def top() -> None:
        for changes in watch(root, recursive=False, debounce=20, step=20,
                             raise_interrupt=False,
                             watch_filter=lambda _, path: Path(path).name in WATCHED):
            for _, path in changes:
                name = Path(path).name
                if name == CONFIG_FILE:
                    preview.changed([Path(path)])
                    continue
                if (root / name).is_dir():
                    follow(root / name)  # a folder put in place (again)
                preview.changed(seeds=name == "seeds")  # anything in it may have changed

    threading.Thread(target=top, daemon=True).start()


def _with_banner(body: bytes, errors: list[str]) -> bytes:
    """The page with the build errors shown on top of it."""
    text = html.escape("\n".join(errors))
    banner = ('<div id="duben-build-error" role="alert" style="position:sticky;top:0;z-index:9;'
              'background:#fee;color:#600;border-bottom:2px solid #c00;padding:.5em 1em">'
              '<strong>构建失败，显示的是上一次成功的结果：</strong>'
              f'<pre style="white-space:pre-wrap;margin:.3em 0 0">{text}</pre></div>')
    page = body.decode("utf-8", "replace")
    at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
    return (page[:at] + banner + page[at:]).encode("utf-8")


def serve(root: Path, *, port: int, host: str, base_url: str | None = None) -> None:
    """Load, then serve at http://host:port<base path> until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    root = root.absolute()  # the watcher names changed files by absolute paths
    preview = Preview(root, base_url)
    preview.rebuild()  # a failure is shown on every page until a change fixes it
    try:
        base_path = preview.base_path()
    except DubenError:  # duben.yaml itself is broken: serve at the root until it is fixed
        base_path = "/"
    server = Server(app=preview.app(base_path), watcher=_silent_watcher())
    server.watch(str(root), delay="forever")  # a task, or livereload would watch the cwd
    _watch(root, preview)
    loop = IOLoop.current()

    def reload() -> None:
        loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    threading.Thread(target=preview.run, args=(reload,), daemon=True).start()
    threading.Thread(target=_warm, daemon=True).start()
    preview.log(f"serving {root} at http://{host}:{port}{base_path} (Ctrl-C stops)")
    server.serve(port=port, host=host, debug=False, restart_delay=0)
