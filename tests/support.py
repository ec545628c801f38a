"""Shared test helpers: build the real edition, serve a site under a sub-path, and
treat a missing external tool as a skip for developers but a failure under CI."""
from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing_tool(reason: str) -> None:
    """Skip for a developer without the tool; fail under CI, where it must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run should have installed it)")
    pytest.skip(reason)


def build_edition(tmp: Path) -> Path:
    """Build the edition strictly into tmp/site and return that folder.

    DUBEN_EDITION=<project folder> picks another edition. `build` reads only
    content/; a project without content/ gets its seeds split in a copy first,
    as `python build.py split` would do.
    """
    from duben.build import build_site

    root = Path(os.environ.get("DUBEN_EDITION", ROOT)).resolve()
    if not (root / "content").is_dir():
        from duben.importer.split import run_split

        copy = tmp / "project"
        copy.mkdir()
        for name in ("duben.yaml", "seeds", "data", "theme"):
            source = root / name
            if source.is_dir():
                shutil.copytree(source, copy / name)
            elif source.exists():
                shutil.copy2(source, copy / name)
        run_split(copy)
        root = copy
    out = tmp / "site"
    build_site(root, out, strict=True)
    return out


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves its folder at `prefix` only; anything outside it is a 404."""

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + url_path[len(self.prefix):])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_under(site: Path, prefix: str) -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:<free port><prefix>, as GitHub Pages serves a
    project site; yields that base URL."""
    handler = partial(_SubPathHandler, directory=str(site), prefix=prefix)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
