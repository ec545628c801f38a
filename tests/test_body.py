"""model/body.py: the nesting check skips the full parse only where no line could nest deep."""
from __future__ import annotations

import random

import pytest

from duben.model import body
from duben.model.body import MAX_NESTING, nesting_problems

MARKERS = ["> ", ">", "- ", "* ", "1. ", "2) ", "\t", "    ", "  "]


def _full_parse_finds(lines: list[str]) -> bool:
    return any(t.level > MAX_NESTING and t.map for t in body._probe().parse("\n".join(lines)))


@pytest.mark.parametrize("seed", range(300))
def test_the_shortcut_agrees_with_the_full_parse(seed: int) -> None:
    rng = random.Random(seed)
    lines = []
    for _ in range(rng.randint(1, 6)):
        prefix = "".join(rng.choice(MARKERS) for _ in range(rng.randint(0, 24)))
        lines.append(prefix + "文字")
        if rng.random() < 0.3:
            lines.append("")
    assert bool(nesting_problems(lines, 1, "p.md")) == _full_parse_finds(lines), lines


def test_deep_quotes_are_still_found_and_shallow_text_is_not_parsed(monkeypatch) -> None:
    assert nesting_problems(["> " * 25 + "深"], 7, "p.md")[0].line == 7
    monkeypatch.setattr(body, "_probe", lambda: pytest.fail("parsed a shallow body"))
    assert nesting_problems(["第一段。", "", "> 引文", "- 一条"], 1, "p.md") == []
