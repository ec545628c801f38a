"""Splitter rules on small hand-written pages, and on variants of the real pages.

Fixtures in tests/fixtures/split/ are plain files: the raw page, a line '.', then
the expected articles as YAML (only the fields listed are checked).
"""
from __future__ import annotations

import random
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from duben.importer.blocks import Kind, classify, is_name, read_blocks
from duben.importer.pagedata import PageData, load_page_data
from duben.importer.segment import split_page
from duben.model.columns import load_columns

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "split").glob("*.txt"))
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
COLUMNS = load_columns(ROOT)


def paragraphs(body: str) -> list[str]:
    return [p.removeprefix("> ") for p in body.split("\n\n") if p and not p.startswith("## ")]


def summary(article, fields: list[str]) -> dict:
    """The article's fields named in an expectation, as plain data."""
    out = {}
    for f in fields:
        if f == "heads":
            out[f] = [p[3:] for p in article.body.split("\n\n") if p.startswith("## ")]
        elif f == "paragraphs":
            out[f] = paragraphs(article.body)
        elif f == "figures":
            out[f] = [[x.label, x.caption] for x in article.figures]
        elif f in ("authors", "credits"):
            out[f] = list(getattr(article, f))
        else:
            out[f] = getattr(article, f)
    return out


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_pages(fixture: Path) -> None:
    raw, expected_text = fixture.read_text(encoding="utf-8").split("\n.\n")
    expected = yaml.safe_load(expected_text)
    result = split_page(raw, f"seeds/{fixture.name}", PageData(), COLUMNS)
    assert result.problems == ()
    got = [summary(a, list(e)) for a, e in zip(result.articles, expected)]
    assert got == expected
    assert len(result.articles) == len(expected)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("本报记者 姜峰", Kind.BYLINE),
        ("邱春风", Kind.BYLINE),
        ("（魏友梅 罗阳）", Kind.END_BYLINE),
        ("任锁生 摄影报道", Kind.PHOTO_BYLINE),
        ("深度关注·高质量党建引领高质量发展④", Kind.SERIES),
        ("健全全面从严治党体系②", Kind.SERIES),
        ("重庆市九龙坡区立足铝产业发展，成立功能型党组织——", Kind.HEADING),
        ("组织建在产业链 党建引领产业兴", Kind.HEADING),
        ("搭平台，把党组织建在产业链上", Kind.HEADING),
        ("图①：王树军在调试柴油发动机连接盘自动拆卸项目。", Kind.CAPTION),
        ("左图：陈昊（右一）与同事在开州区麻柳乡进行数据采集。", Kind.CAPTION),
        ("以上图片均为潍柴集团提供 版式设计：张芳曼", Kind.CREDIT),
        ("——编者", Kind.EDITOR_SIGN),
        ("公益广告", Kind.NOTICE_LABEL),
        # must stay paragraphs
        ("维修的机器多了，王树军开始思考：能", Kind.PARA),
        ("再次来到重庆志成机械有限公司，大门", Kind.PARA),
        ("“没想到，一场对接会，就落地一个合作项目！”", Kind.PARA),
        ("刘峥还有一个身份：九龙坡区铝产业链党委书记。", Kind.PARA),
        ("（开发区）", Kind.PARA),
        ("金台潮声", Kind.PARA),  # only known as a column through data/columns.yaml
    ],
)
def test_classify(line: str, kind: Kind) -> None:
    assert classify(line, marked=False) is kind


def test_names() -> None:
    assert is_name("耿磊") and is_name("李林蔚") and is_name("欧阳明月")
    assert not is_name("金台潮声") and not is_name("公益广告") and not is_name("八")


def test_heading_never_joined_onto_paragraph() -> None:
    blocks = read_blocks(["一段没有句号的话，断在这里", "", "本报记者 张三", "", "金台潮声"],
                         is_column=lambda t: t == "金台潮声")
    assert [b.kind for b in blocks] == [Kind.HEADING, Kind.BYLINE, Kind.HEADING]


def _articles(text: str, seed: Path):
    result = split_page(text, f"seeds/{seed.name}", load_page_data(seed, ROOT), COLUMNS)
    assert result.problems == ()
    return [replace(a, source=replace(a.source, order=0, lines=(0, 0))) for a in result.articles]


def _chunks(seed: Path) -> list[str]:
    """The seed cut at each article's first line, as page text chunks."""
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    result = split_page(text, f"seeds/{seed.name}", load_page_data(seed, ROOT), COLUMNS)
    starts = [a.source.lines[0] - 1 for a in result.articles] + [len(lines)]
    return ["\n".join(lines[a:b]) for a, b in pairwise(starts)]


@pytest.mark.parametrize("seed", SEEDS[:4], ids=lambda p: p.name[:3])
def test_reordered_articles_split_the_same(seed: Path) -> None:
    chunks = _chunks(seed)
    original = _articles("\n\n".join(chunks), seed)
    order = list(range(len(chunks)))
    random.Random(7).shuffle(order)
    shuffled = _articles("\n\n".join(chunks[i] for i in order), seed)
    by_title = {a.title: a for a in shuffled}
    assert sorted(by_title) == sorted(a.title for a in original)
    for a in original:
        b = by_title[a.title]
        # truncation is about where a piece sits on the page; everything else is its own
        assert replace(b, truncated=a.truncated) == a


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_noise_does_not_change_the_split(seed: Path) -> None:
    """Extra blank lines and trailing blanks or tabs change nothing."""
    text = seed.read_text(encoding="utf-8")
    rng = random.Random(3)
    noisy = []
    for line in text.split("\n"):
        noisy.append(line + rng.choice(["", " ", "  ", "\t"]))
        if not line.strip():
            noisy.extend([""] * rng.randint(0, 2))
    noisy_articles = _articles("\n".join(noisy), seed)
    clean = _articles(text, seed)
    assert [(a.title, a.body, a.authors, a.figures) for a in noisy_articles] == \
        [(a.title, a.body, a.authors, a.figures) for a in clean]


@pytest.mark.parametrize("seed", SEEDS[:3], ids=lambda p: p.name[:3])
def test_commentary_found_without_the_column_vocabulary(seed: Path) -> None:
    """A new column name is not in data/columns.yaml yet: the commentary that prints its
    title and author after its body is still cut out, and its opening line is its column."""
    from duben.model.columns import Columns

    text = seed.read_text(encoding="utf-8")
    name = f"seeds/{seed.name}"
    data = load_page_data(seed, ROOT)
    known = [a for a in split_page(text, name, data, COLUMNS).articles if a.kind == "commentary"]
    unknown = [a for a in split_page(text, name, data, Columns()).articles
               if a.column == "金台潮声"]
    assert len(known) == len(unknown) == 1
    assert (unknown[0].title, unknown[0].authors, unknown[0].kind, unknown[0].body) == \
        (known[0].title, known[0].authors, "commentary", known[0].body)


def test_a_short_bare_line_after_a_finished_paragraph_is_not_joined() -> None:
    blocks = read_blocks(["一段完整的话。", "", "新栏目", "", "栏目下的正文，接着写。"])
    assert [b.kind for b in blocks] == [Kind.PARA, Kind.HEADING, Kind.PARA]
    # but the tail of a broken sentence is still joined
    blocks = read_blocks(["一段没写完的话，断在", "", "这里", "", "图①：说明。"])
    assert [(b.kind, b.text) for b in blocks] == [
        (Kind.PARA, "一段没写完的话，断在这里"), (Kind.CAPTION, "图①：说明。")]


@pytest.mark.parametrize(
    ("parse", "path"),
    [("duben.importer.pagedata:parse_page_data", "seeds/x.yaml"),
     ("duben.model.columns:parse_columns", "data/columns.yaml"),
     ("duben.model.tagging:parse_vocabulary", "data/tags.yaml")],
)
def test_a_broken_data_file_names_its_line(parse: str, path: str) -> None:
    import importlib

    from duben.errors import DubenError

    module, name = parse.split(":")
    with pytest.raises(DubenError) as caught:
        getattr(importlib.import_module(module), name)("a: 1\nb: [2\nc: 3\n", path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (path, 3)
    assert problem.message.startswith("invalid YAML: ")
