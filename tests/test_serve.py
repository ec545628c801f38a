"""`build.py serve`: a live preview that rebuilds on change, reloads the tab, and survives
bad edits. The server runs in a subprocess on a free 127.0.0.1 port, as a user runs it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_build_incremental import edition  # noqa: F401 -- the fixture
from test_build_strict import COMMENTARY, edit

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = "/duben/articles/zuofeng-jianshe/index.html"  # the fixture's base path is /duben/


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`build.py serve` on a free port, as a user starts it; (process, base URL)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "serve", "--root",
                             str(root), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture
def server(edition: Path) -> Iterator[str]:  # noqa: F811
    proc, base = start(edition)
    try:
        wait_for(lambda: _up(base, proc), "the server to start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def reloads(base: str) -> Callable[[], None]:
    """Connect a livereload browser client now; the function returned waits for the next
    reload message it gets."""
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    loop = IOLoop()

    async def connect():
        ws = await websocket_connect(base.replace("http", "ws") + "/livereload")
        ws.write_message(json.dumps({"command": "hello", "protocols": []}))
        await ws.read_message()  # the server's hello
        ws.write_message(json.dumps({"command": "info", "url": base + ARTICLE}))
        return ws

    ws = loop.run_sync(connect, timeout=10)
    time.sleep(0.3)  # the info message registers this client on the server's loop

    def next_reload() -> None:
        while True:
            message = loop.run_sync(ws.read_message, timeout=30)
            assert message is not None, "the server closed the reload socket"
            if json.loads(message).get("command") == "reload":
                return

    return next_reload


def test_serves_under_the_base_path_and_a_saved_article_shows(edition: Path,  # noqa: F811
                                                              server: str) -> None:
    assert get(server + "/")[0] == 200  # redirected to the base path
    assert "<h1" in get(server + "/duben/")[1]
    assert get(server + "/articles/zuofeng-jianshe/index.html")[0] == 404  # outside the base
    status, page = get(server + ARTICLE)
    assert status == 200 and "livereload.js" in page  # the reload script is injected
    edit(edition, COMMENTARY, "title: ", "title: 刚保存的")
    wait_for(lambda: "刚保存的" in get(server + ARTICLE)[1], "the edit to be served")


def test_a_burst_of_saves_ends_showing_the_last_one(edition: Path, server: str) -> None:  # noqa: F811
    next_reload = reloads(server)
    path = edition / COMMENTARY
    original = path.read_text(encoding="utf-8")
    for n in range(12):  # faster than any debounce: a save-all, a checkout
        path.write_text(original.replace("title: ", f"title: 第{n}版", 1), encoding="utf-8")
        time.sleep(0.03)
    # The tab may reload on the way, but a reload must come once the last save is served:
    # if it were dropped, next_reload() would time out with the tab showing an older one.
    seen = []
    while "第11版" not in (page := get(server + ARTICLE)[1]):
        next_reload()
        seen.append(page)
    assert len(seen) <= 3  # debounced: not one rebuild per save


def test_a_bad_edit_shows_the_error_and_keeps_the_last_good_site(
        edition: Path, server: str) -> None:  # noqa: F811
    next_reload = reloads(server)
    edit(edition, COMMENTARY, "kind: ", "kind: [")
    next_reload()  # the tab reloads to show the error
    status, page = get(server + ARTICLE)
    assert status == 200 and "duben-build-error" in page
    assert f"{COMMENTARY}:" in page and "invalid YAML" in page
    assert "article-title" in page  # the last good page, under the error
    edit(edition, COMMENTARY, "kind: [", "kind: ")
    next_reload()
    assert "duben-build-error" not in get(server + ARTICLE)[1]


def test_a_project_broken_from_the_start_is_served_once_fixed(edition: Path) -> None:  # noqa: F811
    edit(edition, COMMENTARY, "kind: ", "kind: [")
    proc, base = start(edition)
    try:
        def shows(text: str) -> bool:
            try:
                return text in get(base + "/duben/")[1]
            except OSError:
                return False

        wait_for(lambda: shows("invalid YAML"), "the error page")
        edit(edition, COMMENTARY, "kind: [", "kind: ")
        wait_for(lambda: get(base + ARTICLE)[0] == 200, "the fixed site")
        assert "duben-build-error" not in get(base + ARTICLE)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_preview_leaves_out_what_every_save_would_remake_whole(edition: Path) -> None:  # noqa: F811
    """No EPUB, search index or one-page print edition in the preview (each is made of
    every article), and no link to them: the preview loads without a warning."""
    from duben.serve import Preview

    logged: list[str] = []
    preview = Preview(edition, log=logged.append)
    preview.rebuild()
    assert preview.errors == [] and not [line for line in logged if "warning" in line], logged
    snapshot = preview.live.snapshot
    assert snapshot is not None
    files = [*snapshot.paths, *snapshot.files]
    assert not [f for f in files if f.endswith(".epub") or f.startswith(("pagefind/", "print/"))]
    about = (preview.live.page("about/") or (b"", []))[0].decode("utf-8")
    assert "print/index.html" not in about and "EPUB" not in about
    assert any(f.startswith("series/") and f.endswith("print/index.html") for f in files)


def test_a_saved_config_and_a_replaced_file_are_seen(edition: Path, server: str) -> None:  # noqa: F811
    """The config file is watched in the project folder, and an editor that saves by
    writing a new file and renaming it over the old one is seen as well."""
    config = edition / "duben.yaml"
    text = config.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    config.write_text(text.replace(title, title + "（修订）", 1), encoding="utf-8")
    wait_for(lambda: "（修订）" in get(server + ARTICLE)[1], "the new title", timeout=30)
    path = edition / COMMENTARY
    saved = path.with_name(path.name + ".swp")
    saved.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 另存的", 1),
                     encoding="utf-8")
    saved.replace(path)
    wait_for(lambda: "另存的" in get(server + ARTICLE)[1], "the replaced article", timeout=30)


def test_the_reload_comes_once_the_save_is_built(edition: Path, server: str) -> None:  # noqa: F811
    """The tab is told to reload only when the saved page is served (a reload before
    the build shows the old page and none comes after it)."""
    next_reload = reloads(server)
    path = edition / COMMENTARY
    original = path.read_text(encoding="utf-8")
    for n in range(3):
        path.write_text(original.replace("title: ", f"title: 第{n}稿", 1), encoding="utf-8")
        next_reload()
        assert f"第{n}稿" in get(server + ARTICLE)[1]
        time.sleep(1.0)  # longer than livereload's own polling interval (0.8 s)


def test_a_template_error_on_pages_not_shown_is_found_by_checking_every_page(
        edition: Path) -> None:  # noqa: F811
    """The preview renders a page when it is asked for; after a template changes it
    also renders every page once, between changes, so a list template broken while
    the tab shows an article is reported there and in the terminal all the same."""
    from duben.serve import Preview

    logged: list[str] = []
    preview = Preview(edition, log=logged.append)
    preview.rebuild()
    assert preview.checking and preview.check() is False and not preview.page_errors
    edit(edition, "theme/templates/group.html", "{{ group.name", "{{ group.no_such }}{{ group.name")
    preview.changed([edition / "theme/templates/group.html"])
    preview.rebuild()
    article = get_in_process(preview, ARTICLE)
    assert "duben-build-error" not in article  # the article page itself renders
    preview._changed.set()  # a change pending: the check gives way to it
    assert preview.check() is False and preview.checking
    preview._changed.clear()
    assert preview.check() is True
    assert any(e.startswith("theme/templates/group.html:") for e in preview.page_errors)
    assert "theme/templates/group.html:" in get_in_process(preview, ARTICLE)
    assert any("group.html" in line for line in logged)


def get_in_process(preview, path: str) -> str:
    """A page as the preview's WSGI app serves it, without a server."""
    app = preview.app("/duben/")
    body = app({"PATH_INFO": path}, lambda status, headers: None)
    return b"".join(body).decode("utf-8")


def test_saves_are_seen_after_content_is_replaced_whole(edition: Path, server: str) -> None:  # noqa: F811
    """`split` replaces content/ in one step (a new folder renamed into place); the
    preview follows the new folder: a later save is still shown."""
    import shutil

    staged = edition / ".content-staged"
    shutil.copytree(edition / "content", staged)
    (edition / "content").rename(edition / ".content-old")
    staged.rename(edition / "content")
    shutil.rmtree(edition / ".content-old")
    time.sleep(0.5)
    edit(edition, COMMENTARY, "title: ", "title: 换了文件夹之后")
    wait_for(lambda: "换了文件夹之后" in get(server + ARTICLE)[1], "the save after the swap",
             timeout=15)


def test_a_theme_shared_from_outside_the_project_is_watched(edition: Path,  # noqa: F811
                                                            tmp_path: Path) -> None:
    """Editions of an archive may share one theme (`theme:` an absolute path): a
    template saved there is shown too."""
    shared = tmp_path / "shared-theme"
    (edition / "theme").rename(shared)
    config = edition / "duben.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "theme: theme", f"theme: {shared}"), encoding="utf-8")
    proc, base = start(edition)
    try:
        wait_for(lambda: _up(base, proc), "the server to start")
        template = shared / "templates" / "article.html"
        template.write_text(template.read_text(encoding="utf-8").replace(
            "{% block main %}", "{% block main %}<p>共用的主题</p>", 1), encoding="utf-8")
        wait_for(lambda: "共用的主题" in get(base + ARTICLE)[1], "the template change",
                 timeout=15)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _up(base: str, proc: subprocess.Popen[bytes]) -> bool:
    try:
        return get(base + ARTICLE)[0] == 200
    except OSError:
        assert proc.poll() is None, "the server stopped"
        return False
