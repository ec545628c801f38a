#!/usr/bin/env python3
"""Time from saving one article to the reload message of `build.py serve`, as a browser
tab would get it.

    python bench/serve_latency.py PROJECT [--edits 5] [--port 8765]

Starts the server on 127.0.0.1, connects a livereload client, then saves one article
(a sentence changed and changed back) `--edits` times, printing each latency.
"""
from __future__ import annotations

import argparse
import json
import os
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
    ap.add_argument("--edits", type=int, default=5)
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
        times = []
        for n in range(args.edits):
            text = original.replace("。", "。（改）", 1) if n % 2 == 0 else original
            saved = time.perf_counter()
            article.write_text(text, encoding="utf-8")
            while json.loads(loop.run_sync(ws.read_message, timeout=300)).get(
                    "command") != "reload":
                pass
            times.append(time.perf_counter() - saved)
            print(f"save -> reload: {times[-1]:.2f} s", flush=True)
            time.sleep(1)
        article.write_text(original, encoding="utf-8")
        print(f"median {statistics.median(times):.2f} s over {len(times)} saves")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
