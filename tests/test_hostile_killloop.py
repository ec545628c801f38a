"""Kill `build` and `split` with SIGKILL at random moments: after every kill the output
folder is the old or the new complete tree, and the next run succeeds and leaves no
temporary folder.

CI runs DUBEN_KILL_LOOP=6 kills of each (the default); a long run:
    DUBEN_KILL_LOOP=500 python -m pytest -q tests/test_hostile_killloop.py
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile import REPO, leftovers, make_edition, make_project, tree

KILLS = int(os.environ.get("DUBEN_KILL_LOOP", "6"))


def _command(root: Path, command: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), command]


def _run(root: Path, command: str) -> None:
    done = subprocess.run(_command(root, command), capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), check=False, timeout=300)
    assert done.returncode == 0, done.stderr


def _killed(root: Path, command: str, after: float) -> None:
    """Start the command and SIGKILL it `after` seconds later (if it is still running)."""
    process = subprocess.Popen(_command(root, command), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=dict(os.environ,
                                                                   PYTHONPATH=str(REPO)))
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()


def _timed(root: Path, command: str) -> float:
    started = time.monotonic()
    _run(root, command)
    return time.monotonic() - started


def _loop(root: Path, command: str, folder: Path, switch: dict[str, object]) -> None:
    """Alternate the inputs between two variants; kill a run towards the other one at a
    random moment, check, then let the next run finish and check again."""
    rng = random.Random(int(os.environ.get("DUBEN_KILL_SEED", "7")))
    trees = {}
    duration = 0.0
    for variant in ("b", "a"):  # warm up: each variant's complete tree
        switch[variant]()  # type: ignore[operator]
        duration = max(duration, _timed(root, command))
        trees[variant] = tree(folder)
    assert trees["a"] != trees["b"]
    current = "a"
    for _ in range(KILLS):
        target = "b" if current == "a" else "a"
        switch[target]()  # type: ignore[operator]
        _killed(root, command, rng.uniform(0.0, duration * 1.1))
        now = tree(folder) if folder.exists() else None
        assert now in (trees[current], trees[target]), "a kill left a partial folder"
        _run(root, command)
        assert _differing(tree(folder), trees[target]) == []
        assert leftovers(root) == [], "a temporary folder survived the next run"
        current = target


def _differing(a: dict, b: dict) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def test_build_killed_at_random_moments(tmp_path: Path) -> None:
    root = make_edition(tmp_path)
    config = root / "duben.yaml"
    a = config.read_text(encoding="utf-8")
    b = a.replace("title: 读本", "title: 读本（第二版）")
    _loop(root, "build", root / "site", {
        "a": lambda: config.write_text(a, encoding="utf-8"),
        "b": lambda: config.write_text(b, encoding="utf-8"),
    })


def test_split_killed_at_random_moments(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    _run(root, "split")
    edited = min((root / "content").glob("*/*.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n编辑加的一段，不能丢。\n",
                      encoding="utf-8")
    seed = max((root / "seeds").glob("*.txt"))  # not the edited article's page
    a = seed.read_bytes()
    b = a.replace("的".encode(), "地".encode(), 1)  # one article's body changes
    _loop(root, "split", root / "content", {
        "a": lambda: seed.write_bytes(a),
        "b": lambda: seed.write_bytes(b),
    })
    assert "编辑加的一段，不能丢。" in edited.read_text(encoding="utf-8")
