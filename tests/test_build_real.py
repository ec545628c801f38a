"""Build the real edition (content/ from the five bundled seeds) and check facts a reader
can verify against the printed pages. Skipped until `python build.py split` has run."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sitecheck import broken_links, main_lines, read_page

from duben.build import build_site

ROOT = Path(__file__).resolve().parents[1]
SERIES = "series/gaozhiliang-dangjian/index.html"

pytestmark = pytest.mark.skipif(not any((ROOT / "content").glob("*/*.md")),
                                reason="no content/ yet: run `python build.py split`")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    assert build_site(ROOT, out, strict=True) == []
    return out


def article_titled(site: Path, title: str) -> Path:
    """The article page whose <h1> is `title` (slugs belong to split, titles to the page)."""
    for page in sorted((site / "articles").glob("*/index.html")):
        html = page.read_text("utf-8").replace("<wbr>", "")  # break opportunities in titles
        if f'<h1 class="title" id="article-title">{title}</h1>' in html:
            return page
    raise AssertionError(f"no article titled {title}")


def test_every_link_and_anchor_resolves(site: Path) -> None:
    assert broken_links(site) == []


def test_the_series_shows_installment_2_as_a_gap(site: Path) -> None:
    lines = main_lines(site / SERIES)
    assert "按刊出序号排列。本读本收录 3 篇，②未收录。" in lines
    slots = [line for line in lines if line[0] in "①②③④⑤"]
    assert slots == ["① 党建聚合力 发展增动能", "② 本篇未收录：底本中没有这一篇。",
                     "③ 聚“链”赋能 抱团发展", "④ 组织建在产业链 党建引领产业兴"]


def test_installment_4_carries_its_print_facts(site: Path) -> None:
    page = article_titled(site, "组织建在产业链 党建引领产业兴")
    lines = main_lines(page)
    assert lines[1:4] == ["重庆市九龙坡区立足铝产业发展，成立功能型党组织——",
                          "组织建在产业链 党建引领产业兴", "本报记者 姜峰"]
    assert "系列：深度关注·高质量党建引领高质量发展④" in lines
    assert any(line.startswith("本文未完。") for line in lines)  # breaks off on page 000
    assert "seeds/000_b4601134f1077b69.txt，第 3–" in " ".join(lines)
    # previous in the series is ③ (on another page); ② is not in the collection
    assert any(line.startswith("上一篇 ③ 聚“链”赋能 抱团发展") for line in lines)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                page.read_text("utf-8"), re.DOTALL).group(1))
    assert (data["@type"], data["position"], data["author"][0]["name"]) == (
        "NewsArticle", 4, "姜峰")


def test_installment_1_has_its_editors_note_set_apart(site: Path) -> None:
    lines = main_lines(article_titled(site, "党建聚合力 发展增动能"))
    assert any(line.startswith("编者按：高质量发展是新时代的硬道理") for line in lines)
    assert "——编者" in lines  # the signature, once, after the note


def test_the_traditional_page_says_so_and_its_title_is_marked_supplied(site: Path) -> None:
    page = site / "pages/004_98a64ce85a20baf2/index.html"
    links = [link for link in read_page(page).links if link.startswith("../../articles/")]
    assert len(links) == 1
    lines = main_lines((page.parent / links[0]).resolve())
    assert "繁体（本读本已转为简体）" in lines
    assert "原版面未印标题，标题为编者所拟。" in lines


def test_page_views_list_the_articles_and_keep_the_notice_apart(site: Path) -> None:
    counts = {page.parent.name[:3]: page.read_text("utf-8").count('<li class="article-item">')
              for page in sorted((site / "pages").glob("*/index.html"))}
    assert counts == {"000": 4, "001": 4, "002": 4, "003": 4, "004": 1}
    assert 'class="notice"' in (site / "pages/003_5954ae6e62c5d8cd/index.html").read_text("utf-8")


def test_the_commentary_column_lists_its_piece(site: Path) -> None:
    lines = main_lines(site / "columns/jintai-chaosheng/index.html")
    # with its ordinal in 健全全面从严治党体系, explained to a screen reader
    assert "固本培元 凝心铸魂 ②（健全全面从严治党体系第2篇）" in lines


def test_a_caption_without_a_printed_label_is_listed_as_printed(site: Path) -> None:
    lines = main_lines(article_titled(site, "华阳二矿以文体活动增强职工凝聚力"))
    assert lines[lines.index("图片说明") + 2] == "图为5月18日，该矿“同心合力杯”职工拔河比赛现场。"
    assert "图片报道" in lines  # the kind badge
