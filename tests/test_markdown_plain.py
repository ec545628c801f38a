"""The plain-body fast path (duben/renderers/html/plain.py) writes exactly what
markdown-it writes, or declines: on every body of the real edition and of the test
fixtures, and on random text made of the characters Markdown gives a meaning to."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from duben.renderers.html.markdown import Body, md, render_body
from duben.renderers.html.plain import plain_html

ROOT = Path(__file__).resolve().parents[1]


def _parsed(text: str) -> tuple[str, list[tuple[str, str, int]]]:
    env = {"corrections": (), "prefix": "\0", "kinds": ()}
    html = md.render(text, env)
    return html, [(h.id, h.text, h.level) for h in env.get("toc", [])]


def _bodies() -> list[str]:
    files = [*ROOT.glob("content/*/*.md"), *ROOT.glob("tests/fixtures/**/*.md")]
    return [f.read_text(encoding="utf-8").split("---\n", 2)[-1] for f in sorted(files)]


def test_every_real_body_is_rendered_as_markdown_it_renders_it() -> None:
    bodies = _bodies()
    taken = [b for b in bodies if plain_html(b, "\0") is not None]
    for body in taken:
        assert plain_html(body, "\0") == _parsed(body)
    # The fast path is the common path: the real articles are plain paragraphs,
    # section heads and bold run-in heads (a quotation block is left to the parser).
    assert len(bodies) > 20 and len(taken) >= 0.8 * len(bodies)


# Han text, full-width punctuation, and every character the fast path must judge.
_PIECES = ["党建", "引领", "，", "。", "“两新”", "（一）", "2024年", "1.", "3)", "#", "##",
           "### ", "## ", "*", "**", "_", "-", "- ", "+ ", "=", "==", "~~~", "```", ">", "<",
           "<b>", "&amp;", "&", "\\", "[", "]", "](x)", "!", " ", "  ", "\t", "\u3000", "\r",
           "\0", "|", "    ", "a", "é", "\"", "'", "：", "——"]
_LINES = ["", "", "正文第一句。", "## 小标题", "### 三级标题", "# 一级", "#### 四级",
          "**加粗的小标题**", "**“两新”组织**", "** 空格 **", "**半*星**", "正文**加粗**中间",
          "---", "***", "===", "> 引文", "1. 列表", "- 列表", "    缩进", "正文  ", " 正文",
          "## 标题 ##", "## ", "##标题"]


def _random_body(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.5:
            lines.append(rng.choice(_LINES))
        else:
            lines.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6))))
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(4))
def test_random_bodies_are_rendered_as_markdown_it_renders_them_or_left_to_it(
        seed: int) -> None:
    rng = random.Random(seed)
    taken = 0
    for _ in range(5000):
        body = _random_body(rng)
        fast = plain_html(body, "\0")
        if fast is not None:
            taken += 1
            assert fast == _parsed(body), repr(body)
    assert taken > 500  # the fast path was exercised, not only declined


def test_a_body_with_corrections_is_parsed_so_its_markers_are_placed() -> None:
    body = render_body("甲乙。\n\n## 小标题\n\n丙乙丁。", ["丙"])
    assert isinstance(body, Body) and 'class="correction-ref' in body.html
    assert [h.id for h in render_body("导语。\n\n## 一\n\n## 二", prefix="p1-").toc] == [
        "p1-sec-1", "p1-sec-2"]
