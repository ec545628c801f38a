"""Build the fixture edition and check what readers see in the <main> of the key pages.

The expectations below are written by hand from the fixture's content files (not
copied from output): each line is one block of the page, in reading order.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sitecheck import broken_links, main_html, main_lines

from duben.build import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "edition"
FULL = "articles/zuzhi-jian-zai-chanyelian/index.html"  # the article with every kind of metadata


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "site"
    assert build_site(FIXTURE, out, strict=True) == []
    return out


def test_article_with_every_kind_of_metadata(site: Path) -> None:
    assert main_lines(site / FULL) == [
        "首页 › 版面 2",
        "重庆市九龙坡区立足铝产业发展，成立功能型党组织——",  # kicker
        "组织建在产业链 党建引领产业兴",
        "铝产业链党委实现“组织建在产业链、党建引领产业兴”",  # subtitle
        "本报记者 姜峰 通讯员 李明",
        "栏目：我是党员，我在岗位",
        "系列：深度关注·高质量党建引领高质量发展④",
        # 107 Han characters in the body; 107 / 300 rounds up to 1 minute
        "全文约 107 字，阅读约需 1 分钟（按每分钟 300 字计）",
        "编者按：本文是系列报道的第四篇。",
        "——编者",
        "目录",
        "建好组织链——完善组织架构，健全运行机制",
        "打通服务链——解决急难愁盼",
        "占地150亩的拟建再生铝生产线厂区上空，一条已有的110千伏高压线东西横跨。",
        "建好组织链——完善组织架构，健全运行机制",
        "工程师们自己设计[1]了新的方案，他们不仅[2]完成了任务，还培养了队伍。",
        "打通服务链——解决急难愁盼",
        "“多亏了铝产业链党委的牵头组织，工作效率杠杠的！”",
        "本文未完。原文在本版之外续完，续版不在本读本收录范围之内，故到此为止。",
        "图片说明",
        "原版面刊有下列图片。本读本只收文字，图片未收入。",
        "图① 铝产业链党委召开联席会议。",
        "图② 西南铝业生产车间。",
        "其他署名",
        "以上图片均为九龙坡区委组织部提供",
        "版式设计：张丹峰",
        "校勘记",
        "原作“自已设计”，今作“自己设计”。形近字误植。 ↩",
        "原作“八麄儾粌H”，今作“他们不仅”。乱码修复（GBK 错位）。 ↩",
        "原作“党建引领产业光”，今作“党建引领产业兴”。标题形近字误植。（见标题。）",
        "来源",
        "版面", "版面 2，本版第 1 篇",
        "刊载", "报纸名不详，版次不详，日期不详",  # the fixture says nothing of page 2
        "底本", "seeds/101_fixtureb.txt，第 1–40 行",
        "原文字体", "繁体（本读本已转为简体）",
        "本文网址：https://example.org/duben/articles/zuzhi-jian-zai-chanyelian/",
        "引用本文",
        "GB/T 7714—2015 格式：",
        ("姜峰, 李明. 组织建在产业链 党建引领产业兴——铝产业链党委实现“组织建在产业链、"
         "党建引领产业兴”[N/OL]. 读本, 版面 2, [日期不详][2024-01-02]. "
         "https://example.org/duben/articles/zuzhi-jian-zai-chanyelian/."),
        ("末尾方括号内是引用日期，即查阅之日：页面脚本会填入今天的日期，无脚本时为本读本的"
         "更新日期 2024-01-02。底本未记出版日期，故作“日期不详”。"),
        "标签", "重庆", "产业链党建",
        "作者", "姜峰", "李明",
        "本系列", "上一篇 ③ 聚“链”赋能 抱团发展",
        "同版", "下一篇 基层先锋",
        "相关文章",  # shared series (3 points) and tag 产业链党建 (1) first; then the column
        # the ordinal ① is explained to screen readers; a signature （…） shows as a byline
        "江苏省大力推进产业链党建工作——",
        "党建聚合力 发展增动能 ①（深度关注·高质量党建引领高质量发展第1篇）", "本报记者 沈童睿",
        "聚“链”赋能 抱团发展 ③（深度关注·高质量党建引领高质量发展第3篇）", "本报记者 肖家鑫",
        "基层先锋（编者拟题）", "我是党员，我在岗位 魏友梅 罗阳",
    ]


def test_correction_markers_and_notes_link_both_ways(site: Path) -> None:
    html = main_html(site / FULL)
    for n in (1, 2):
        assert (f'<sup class="correction-ref correction-sure" id="jk-ref-{n}">'
                f'<a href="#jk-{n}"') in html
        assert f'<li id="jk-{n}">' in html and f'href="#jk-ref-{n}"' in html
    assert 'id="jk-ref-3"' not in html  # the third correction is in the title, not the body
    assert '<span class="corrected corrected-sure">自己设计</span>' in html


def test_article_badges_link_to_column_and_series(site: Path) -> None:
    html = main_html(site / FULL)
    assert 'href="../../columns/woshi-dangyuan/index.html"' in html
    assert 'href="../../series/gaozhiliang-dangjian/index.html"' in html
    assert 'href="../lian-shang-fu-neng/index.html"' in html  # series previous: ③, not ②


def json_ld(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                text, re.DOTALL).group(1))


def test_json_ld_is_a_news_article_with_print_facts_only_when_known(site: Path) -> None:
    data = json_ld(site / FULL)
    assert data["@type"] == "NewsArticle"
    assert data["printSection"] == "我是党员，我在岗位"  # page 2's name is unknown: the column
    assert [a["name"] for a in data["author"]] == ["姜峰", "李明"]
    assert data["url"] == "https://example.org/duben/articles/zuzhi-jian-zai-chanyelian/"
    # nothing is known of page 2: no date, page or edition is invented
    assert not {"datePublished", "printPage", "printEdition", "publisher"} & set(data)
    # page 1's facts: paper and date from duben.yaml, 版次 and 版名 from its page.yaml
    known = json_ld(site / "articles/dangjian-ju-heli/index.html")
    assert (known["datePublished"], known["printPage"], known["printSection"],
            known["printEdition"], known["publisher"]["name"]) == (
        "2022-08-18", "12", "党建", "人民日报 2022-08-18", "人民日报")
    lines = main_lines(site / "articles/dangjian-ju-heli/index.html")
    assert "沈童睿. 党建聚合力 发展增动能[N/OL]. 人民日报, 2022-08-18(12)[2024-01-02]. " \
        "https://example.org/duben/articles/dangjian-ju-heli/." in lines
    assert "人民日报，党建版，第12版，2022-08-18" in lines  # the source block


def test_article_without_sections_has_no_toc(site: Path) -> None:
    assert "目录" not in main_lines(site / "articles/lian-shang-fu-neng/index.html")


def test_supplied_title_is_marked(site: Path) -> None:
    assert "原版面未印标题，标题为编者所拟。" in main_lines(
        site / "articles/jiceng-xianfeng/index.html")


def test_series_page_shows_the_gap(site: Path) -> None:
    assert main_lines(site / "series/gaozhiliang-dangjian/index.html") == [
        "首页 › 系列报道",
        "深度关注·高质量党建引领高质量发展",
        "记者赴多地采访，了解各地坚持高质量党建引领高质量发展的经验做法。",
        "按刊出序号排列。本读本收录 3 篇，②未收录。",
        "全系列打印本（各篇全文，A4 打印）",
        "江苏省大力推进产业链党建工作——", "① 党建聚合力 发展增动能", "本报记者 沈童睿",
        "② 本篇未收录：底本中没有这一篇。",
        "③ 聚“链”赋能 抱团发展", "本报记者 肖家鑫",
        "重庆市九龙坡区立足铝产业发展，成立功能型党组织——", "④ 组织建在产业链 党建引领产业兴",
        "本报记者 姜峰 通讯员 李明",
    ]
    assert 'class="slot slot-missing"' in main_html(site / "series/gaozhiliang-dangjian/index.html")


def test_page_view_lists_articles_in_print_order_and_the_notice_apart(site: Path) -> None:
    assert main_lines(site / "pages/100_fixturea/index.html") == [
        "首页 › 版面",
        "第12版·党建",
        ("人民日报，党建版，第12版，2022-08-18。底本 seeds/100_fixturea.txt，本版收文章 3 篇，"
        "按版面顺序排列。"),
        "据：报头",
        "版式设计：沈亦伶",  # the page's own credit, from its page.yaml
        "江苏省大力推进产业链党建工作——",
        "党建聚合力 发展增动能 ①（深度关注·高质量党建引领高质量发展第1篇）", "本报记者 沈童睿",
        "聚“链”赋能 抱团发展 ③（深度关注·高质量党建引领高质量发展第3篇）", "本报记者 肖家鑫",
        "作风建设永远在路上", "金台潮声 何思远",
        "本版另有下列内容（如公益广告），不列为文章：", "文明健康 有你有我", "公益广告",
        "中国文明网 制",
        "下一版：版面 2",
    ]


def test_notice_is_never_listed_as_an_article(site: Path) -> None:
    assert not (site / "articles/gongyi-guanggao").exists()
    for page in ("index.html", "feed.xml", "sitemap.xml", "tags/index.html"):
        assert "gongyi-guanggao" not in (site / page).read_text(encoding="utf-8")
        assert "文明健康" not in (site / page).read_text(encoding="utf-8")


def test_corrections_page_lists_every_correction_with_links(site: Path) -> None:
    assert main_lines(site / "corrections/index.html") == [
        "首页",
        "校勘记",
        ("本读本对底本文字所作的全部校勘，共 3 处：校改 3 处，推测 0 处，存疑 0 处。"
        "每处都链接到文章中的校勘记。"),
        ("校改：有把握的改正，正文标 [1]。推测：最可能的读法，正文从之，标 [2疑]。"
        "存疑：无从确定，正文保留原样，标 [3存疑]。"),
        "校改 3 处",
        "组织建在产业链 党建引领产业兴 · 校勘记 1：原作“自已设计”，今作“自己设计”。形近字误植。",
        ("组织建在产业链 党建引领产业兴 · 校勘记 2：原作“八麄儾粌H”，今作“他们不仅”。"
        "乱码修复（GBK 错位）。"),
        ("组织建在产业链 党建引领产业兴 · 校勘记 3：原作“党建引领产业光”，今作“党建引领产业兴”。"
        "标题形近字误植。"),
    ]
    html = main_html(site / "corrections/index.html")
    assert 'href="../articles/zuzhi-jian-zai-chanyelian/index.html#jk-3"' in html


def test_home_reaches_every_article_in_one_click(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    for article in (site / "articles").iterdir():
        assert f'href="articles/{article.name}/index.html"' in html


def test_every_page_type_is_written(site: Path) -> None:
    for path in ("index.html", "404.html", "about/index.html", "corrections/index.html",
                 "pages/index.html", "series/index.html", "columns/index.html",
                 "columns/jintai-chaosheng/index.html", "tags/index.html",
                 "tags/chong-qing/index.html", "authors/index.html",
                 "authors/jiang-feng/index.html", "feed.xml", "sitemap.xml", "robots.txt",
                 ".nojekyll", "static/favicon.svg", "static/style.css", "static/print.css"):
        assert (site / path).is_file(), path


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    assert broken_links(site) == []


def test_pages_are_chinese_and_load_nothing_external(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        script = "zh-Hant" if page.relative_to(site).parts[0] == "zh-hant" else "zh-Hans"
        assert f'<html lang="{script}">' in text
        absolute = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', text)
        assert all(u.startswith("https://example.org/duben/") for u in absolute), page
        if page.name != "404.html":  # elsewhere base_url appears only as the canonical
            # link and the three hreflang alternates (zh-Hans, zh-Hant, x-default)
            assert len(absolute) == 4 and 'rel="canonical"' in text, page
            assert text.count('<link rel="alternate" hreflang=') == 3, page


def test_404_links_absolutely_because_it_is_served_at_any_depth(site: Path) -> None:
    text = (site / "404.html").read_text(encoding="utf-8")
    # styled wherever it is shown or opened: the stylesheets are inline, not linked
    assert "static/style.css" not in text and text.count("<style") == 2
    assert ".article-header .title" in text and '<style media="print">' in text
    assert 'href="https://example.org/duben/"' in text
    assert 'href="https://example.org/duben/pages/"' in text


def test_feed_and_sitemap_use_absolute_urls(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<id>https://example.org/duben/articles/dangjian-ju-heli/</id>" in feed
    assert feed.count("<entry>") == 5
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/duben/series/gaozhiliang-dangjian/</loc>" in sitemap
    assert "404" not in sitemap
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/duben/sitemap.xml" in robots


def test_series_print_view_holds_every_installment_with_unique_ids(site: Path) -> None:
    page = site / "series/gaozhiliang-dangjian/print/index.html"
    lines = main_lines(page)
    assert lines[:4] == [
        "首页 › 系列报道 › 深度关注·高质量党建引领高质量发展",
        "深度关注·高质量党建引领高质量发展",
        "全系列打印本：本页依次收入本系列各篇全文，打印时每篇从新的一页开始。",
        "①党建聚合力 发展增动能 ②未收录 ③聚“链”赋能 抱团发展 ④组织建在产业链 党建引领产业兴",
    ]
    assert "②未收录：底本中没有这一篇。" in lines
    html = main_html(page)
    assert html.count('<article class="article"') == 3
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert '<h2 id="p4-sec-1">' in html and 'href="#p4-jk-1"' in html and 'id="p4-jk-1"' in html
