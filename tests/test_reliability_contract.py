"""The README "Reliability" contract, end to end through the command line."""
from __future__ import annotations

import re
from pathlib import Path

from tests.hostile import ARTICLE, cli, edit, make_edition, tree

LINE = re.compile(r"^(?P<path>[^:\s]+)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: "
                  r"(?P<label>error|warning): \S.*$")


def test_every_problem_is_one_located_line_sorted_then_one_summary(tmp_path: Path) -> None:
    root = make_edition(tmp_path)
    assert cli("--root", str(root), "build")[0] == 0
    before = tree(root / "site")
    other = "content/101_fixtureb/02-jiceng-xianfeng.md"
    edit(root, other, "kind: ", "kind: nonsense\nkind: ")       # duplicate key
    edit(root, ARTICLE, "  order: 1\n", "  order: 1.5\n")         # not a whole number
    (root / "content" / "101_fixtureb" / "03-bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    code, out, err = cli("--root", str(root), "build")
    lines = err.splitlines()
    assert code == 1 and out == ""
    assert lines[-1] == "build failed: 3 errors, 0 warnings"
    found = [LINE.match(line) for line in lines[:-1]]
    assert all(found), lines
    keys = [(m["path"], int(m["line"] or 0)) for m in found if m]
    assert keys == sorted(keys)
    assert [m["path"] for m in found if m] == [ARTICLE, "content/101_fixtureb/02-jiceng-xianfeng.md",
                                                "content/101_fixtureb/03-bad.md"]
    assert lines[2].startswith("content/101_fixtureb/03-bad.md:2:8: error: not UTF-8 text")
    assert tree(root / "site") == before


def test_warnings_are_labelled_and_summarised_and_strict_fails_on_them(tmp_path: Path) -> None:
    root = make_edition(tmp_path)
    edit(root, ARTICLE, "- 江苏\n", "- 没有这个标签\n")
    code, _, err = cli("--root", str(root), "build")
    assert code == 0
    assert err.splitlines() == [f"{ARTICLE}:27: warning: unknown tag '没有这个标签'",
                                "build done: 0 errors, 1 warning"]
    code, _, err = cli("--root", str(root), "build", "--strict")
    assert code == 1 and err.splitlines()[-1] == "build failed: 1 error, 0 warnings"
