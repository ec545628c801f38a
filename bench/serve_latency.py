#!/usr/bin/env python3
"""Time from saving one article to the reload message of `build.py serve`, and to the
page showing the change, as a browser tab would get them.

    python bench/serve_latency.py PROJECT [--edits 6] [--port 8765]

Starts the server on 127.0.0.1, connects a livereload client, then saves one article
`--edits` times, taking turns: a sentence of its text changed, its title changed (both
applied in place: duben/live.py), and a tag added (the article moves between groups:
the edition is loaded again). Prints each latency, and the medians by kind.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

PROJECT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--edits", type=int, default=6)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "serve", "--root",
                               str(args.root), "--port", str(args.port)],
                              env={**os.environ, "PYTHONPATH": str(PROJECT)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        print(f"first build and start: {time.perf_counter() - started:.1f} s")
        loop = IOLoop()

        async def connect():
            ws = await websocket_connect(f"ws://127.0.0.1:{args.port}/livereload")
            ws.write_message(json.dumps({"command": "hello", "protocols": []}))
            await ws.read_message()
            ws.write_message(json.dumps({"command": "info", "url": base + "/"}))
            return ws

        ws = loop.run_sync(connect)
        time.sleep(0.5)
        article = min((args.root / "content").glob("*/*.md"))
        original = article.read_text(encoding="utf-8")
        slug = re.search(r"^slug: \"?([^\"\n]+)", original, re.MULTILINE).group(1)
        page = f"{base}{base_path(args.root)}articles/{slug}/index.html"
        kinds = {  # kind -> (the saved text, what the page then shows)
            "text": (original.replace("。", "。（改）", 1), "（改）"),
            "title": (re.sub(r"^title: \"?", lambda m: m.group(0) + "新", original, count=1,
                             flags=re.MULTILINE), "新"),
            "tag": (with_tag(original, "新标签"), "新标签"),
        }
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
        for n in range(args.edits):
            kind = list(kinds)[n % len(kinds)]
            text, shows = kinds[kind]
            saved = time.perf_counter()
            article.write_text(text, encoding="utf-8")
            while json.loads(loop.run_sync(ws.read_message, timeout=300)).get(
                    "command") != "reload":
                pass
            reloaded = time.perf_counter() - saved
            body = urllib.request.urlopen(page, timeout=60).read().decode("utf-8")
            served = time.perf_counter() - saved
            assert shows in body, f"the {kind} edit is not on {page}"
            times[kind].append((reloaded, served))
            print(f"{kind:5} save -> reload {reloaded:.3f} s, -> page served {served:.3f} s",
                  flush=True)
            article.write_text(original, encoding="utf-8")  # and back, before the next
            while json.loads(loop.run_sync(ws.read_message, timeout=300)).get(
                    "command") != "reload":
                pass
            time.sleep(0.5)
        for kind, ts in times.items():
            if ts:
                print(f"median {kind}: reload {statistics.median(t for t, _ in ts):.3f} s, "
                      f"page served {statistics.median(t for _, t in ts):.3f} s "
                      f"over {len(ts)} saves")
    finally:
        server.terminate()
        server.wait(timeout=30)


def with_tag(text: str, tag: str) -> str:
    """The content file with one more tag, whichever YAML style its tags are in."""
    for pattern, added in ((r"^tags: \[\]", f'tags: ["{tag}"]'), (r"^tags: \[", f'tags: ["{tag}", '),
                           (r"^tags:\n", f"tags:\n- {tag}\n")):
        changed = re.sub(pattern, added, text, count=1, flags=re.MULTILINE)
        if changed != text:
            return changed
    raise SystemExit("the article has no tags: key to add a tag to")


def base_path(root: Path) -> str:
    """The path part of the project's base_url, as the preview serves it."""
    config = (root / "duben.yaml").read_text(encoding="utf-8")
    url = re.search(r"^base_url: *\"?([^\"\n]*)", config, re.MULTILINE)
    path = re.sub(r"^https?://[^/]+", "", url.group(1)) if url else "/"
    return path if path.endswith("/") else path + "/"


if __name__ == "__main__":
    main()
