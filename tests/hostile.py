"""Helpers for the hostile-input tests: a private copy of the fixture edition, the CLI
run in-process with its output captured, and folder snapshots that see symlinks."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

from duben.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "edition"
ARTICLE = "content/100_fixturea/01-dangjian-ju-heli.md"


def make_edition(tmp_path: Path) -> Path:
    """A copy of the fixture edition with its own theme, so tests may change anything."""
    root = tmp_path / "edition"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "theme", root / "theme")
    edit(root, "duben.yaml", "theme: ../../../theme", "theme: theme")
    return root


def make_project(tmp_path: Path) -> Path:
    """A copy of the real project's inputs (seeds, data, theme, duben.yaml), not split."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("seeds", "data", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "duben.yaml", root / "duben.yaml")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def cli(*args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `build.py args…`, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


# Pagefind's index chunks are not byte-stable from run to run (upstream:
# Pagefind/pagefind#638: filter and metadata files come out in hash-map order), while
# every file duben writes is. A tree stands for the index by what it covers.
PAGEFIND_ENTRY = "pagefind/pagefind-entry.json"


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file under folder: bytes, or 'link -> target' for a symlink; the search
    index as its languages and their page counts."""
    found: dict[str, bytes | str] = {}
    for here, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(here) / name
            rel = path.relative_to(folder).as_posix()
            if rel.startswith("pagefind/") and not path.is_symlink():
                if rel == PAGEFIND_ENTRY:
                    languages = json.loads(path.read_bytes())["languages"]
                    found[rel] = json.dumps({k: v["page_count"] for k, v in
                                             sorted(languages.items())})
            elif path.is_symlink():
                found[rel] = f"link -> {os.readlink(path)}"
            elif path.is_file():
                found[rel] = path.read_bytes()
    return found


def leftovers(folder: Path) -> list[str]:
    """Staging or old folders that a run left beside its output."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith((".site-", ".content-", ".out-")))
