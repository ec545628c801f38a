"""`serve`: a live preview. Build into a private folder, serve it under the base path with
the `livereload` package, rebuild on every change and reload the open tab.

- Incremental: each rebuild is an ordinary cached build (duben/output/cache.py), so
  saving one article re-renders only the pages that show it; a seed change runs
  `split` first (hand edits are kept, as always).
- Every change reloads: watchfiles (the kernel's change notices) marks the preview
  dirty; livereload only serves and sends the reload (its own watcher would drop a
  reload that comes within 3 s of the previous one, and block the server while a
  build ran). A builder thread waits until the files have been quiet for DEBOUNCE
  seconds, builds, and reloads; changes made during a build start another, so the
  last change always reaches the browser.
- A bad edit never stops the server: the last good build stays served, and every
  page shows the `path:line: message` list on top (the terminal prints it too).
- Served under the path of base_url, as GitHub Pages serves a project site.
"""
from __future__ import annotations

import html
import mimetypes
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from duben.build import build_site, with_base_url
from duben.errors import DubenError
from duben.model.config import CONFIG_FILE, load_config
from duben.output.cache import BuildCache
from duben.paths import SITE_MARK

DEBOUNCE = 0.15  # seconds of quiet before a rebuild: an editor's save-all is one change
WATCHED = ("seeds", "content", "theme", "data", CONFIG_FILE)


class Preview:
    """The preview folder, the last build's errors, and the rebuild loop."""

    def __init__(self, root: Path, folder: Path, base_url: str | None = None,
                 log: Callable[[str], None] = lambda line: print(line, file=sys.stderr)):
        self.root, self.folder, self.base_url, self.log = root, folder, base_url, log
        self.errors: list[str] = []
        self.builds = 0
        # The build cache stays in memory between rebuilds: nothing to load or save.
        self.memory = BuildCache(None, str(folder.resolve()))
        self.building = False
        self._changed = threading.Event()
        self._last_change = 0.0
        self._resplit = False

    def changed(self, seeds: bool = False) -> None:
        """Note a change (called from the watcher); the builder thread does the work."""
        self._resplit = self._resplit or seeds
        self._last_change = time.monotonic()
        self._changed.set()

    def rebuild(self) -> None:
        """Split if a seed changed, then build; on failure keep the last good site."""
        started = time.perf_counter()
        self.building = True
        try:
            if self._resplit:
                self._resplit = False
                from duben.importer.split import run_split

                run_split(self.root)
            # Nothing made of every article, which any save would remake whole: no
            # Pagefind index (39 s at 10,000 articles), EPUB (12 s) or one-page print
            # edition (108 MB, 10 s). `build` makes them.
            warnings = build_site(self.root, self.folder, strict=False, base_url=self.base_url,
                                  memory=self.memory, search=False, epub=False,
                                  print_page=False)
            self.errors = []
            for w in warnings:
                self.log(f"warning: {w}")
            self.log(f"built in {time.perf_counter() - started:.2f} s")
        except DubenError as exc:
            self.errors = [p.labelled("error") for p in exc.problems]  # as the CLI shows them
            self.log("build failed; still serving the last good build:\n" + "\n".join(self.errors))
        except Exception as exc:  # noqa: BLE001 -- a bug must not stop the preview either
            self.errors = [f"internal error: {type(exc).__name__}: {exc}"]
            self.log(traceback.format_exc())
        finally:
            self.building = False
        self.builds += 1

    def run(self, reload: Callable[[], None]) -> None:
        """Forever: wait for a change, let a burst settle, rebuild, reload."""
        while True:
            self._changed.wait()
            while (quiet := time.monotonic() - self._last_change) < DEBOUNCE:
                time.sleep(DEBOUNCE - quiet)
            self._changed.clear()  # a change from now on triggers one more round
            self.rebuild()
            reload()

    def base_path(self) -> str:
        config = with_base_url(load_config(self.root), self.base_url)
        return urlsplit(config.base_url).path or "/"

    def app(self, base_path: str) -> Callable[..., Iterable[bytes]]:
        """A WSGI app serving the preview folder under base_path."""
        def app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
            if not path.startswith(base_path):
                if path == "/":
                    start("302 Found", [("Location", base_path)])
                    return [b""]
                return self._respond(start, "404 Not Found", None, "text/plain")
            status, file = "200 OK", self._file(path[len(base_path):])
            if file is None:
                status, file = "404 Not Found", self.folder / "404.html"
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return self._respond(start, status, file, kind)

        return app

    def _file(self, rel: str) -> Path | None:
        """The file a site path names, never outside the folder; a folder means its index."""
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") or "\\" in p for p in parts):
            return None
        file = self.folder.joinpath(*parts)
        if rel == "" or rel.endswith("/") or file.is_dir():
            file = file / "index.html"
        return file if file.is_file() else None

    def _respond(self, start: Callable[..., Any], status: str, file: Path | None,
                 kind: str) -> list[bytes]:
        try:
            body = file.read_bytes() if file is not None else b"not found"
        except OSError:  # swapped away mid-request: the next reload gets the new one
            status, body, kind = "404 Not Found", b"not found", "text/plain"
        if kind == "text/html" and self.errors:
            body = _with_banner(body, self.errors)
        start(status, [("Content-Type", f"{kind}; charset=utf-8"),
                       ("Cache-Control", "no-store")])
        return [body]


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
    save waited up to a second to be seen. The folders are watched with everything in
    them; the project folder itself only for the config file."""
    from watchfiles import watch

    folders = [str(root / name) for name in WATCHED if (root / name).is_dir()]
    seeds = root / "seeds"

    def folders_changed() -> None:
        for changes in watch(*folders, debounce=20, step=20, raise_interrupt=False):
            preview.changed(any(Path(p).is_relative_to(seeds) for _, p in changes))

    def config_changed() -> None:
        for _ in watch(root, recursive=False, debounce=20, step=20, raise_interrupt=False,
                       watch_filter=lambda _, path: Path(path).name == CONFIG_FILE):
            preview.changed()

    for watcher in ([folders_changed] if folders else []) + [config_changed]:
        threading.Thread(target=watcher, daemon=True).start()


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
    """Build, then serve at http://host:port<base path> until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    folder = Path(tempfile.mkdtemp(prefix="duben-preview-")) / "site"
    preview = Preview(root, folder, base_url)
    preview.rebuild()
    if not folder.exists():  # the first build failed: serve the errors on an empty page
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("<!DOCTYPE html><title>duben</title><body></body>",
                                           encoding="utf-8")
        (folder / SITE_MARK).touch()  # a folder duben built, so the next build may replace it
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
    preview.log(f"serving {root} at http://{host}:{port}{base_path} (Ctrl-C stops)")
    server.serve(port=port, host=host, debug=False, restart_delay=0)
