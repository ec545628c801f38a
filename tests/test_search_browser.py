"""Search and the script switch in headless Chromium, on the site served from a sub-path.

As in test_browser.py: Debian's /usr/bin/chromium driven by Playwright, the site at
http://127.0.0.1:<port>/duben/ as GitHub Pages serves a project site; a missing
browser skips outside CI and fails under CI=true. Screenshots of a search result page
and a traditional article go to $DUBEN_SCREENSHOTS (default tmp/screenshots/).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from support import ROOT, build_edition, serve_under

# The same Chromium as the other browser tests (Debian's, launched with the same flags).
from test_browser import browser, playwright  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PREFIX = "/duben/"
SHOTS = Path(os.environ.get("DUBEN_SCREENSHOTS", ROOT / "tmp" / "screenshots"))

PROFILE = "dang-yuan-jiu-shi-yao-da-tou-zhen-tiao-zhong-dan"  # 王树军
COMMENTARY = "yi-ding-ding-zi-jing-shen-zhua-hao-gai-ge-luo-shi"  # 以钉钉子精神抓好改革落实
BRIEF = "ji-huo-liang-xin-li-liang-ning-ju-zhi-li-he-li"  # 内蒙古呼伦贝尔市
REPAIRED = "yi-dang-jian-yin-ling-shen-hua-gai-ge-gan-chao-fa-zhan"  # page 004, 勇担当 repaired
CHAIN = {"zu-zhi-jian-zai-chan-ye-lian-dang-jian-yin-ling-chan-ye-xing",
         "ju-lian-fu-neng-bao-tuan-fa-zhan", "dang-jian-ju-he-li-fa-zhan-zeng-dong-neng"}
# (simplified query, traditional query, the article expected, how high it must rank)
QUERIES = [
    ("王树军", "王樹軍", PROFILE, 1),
    ("钉钉子", "釘釘子", COMMENTARY, 1),
    ("呼伦贝尔", "呼倫貝爾", BRIEF, 1),
    ("勇担当", "勇擔當", REPAIRED, 3),
]
EDITIONS = {"zh-Hans": "", "zh-Hant": "zh-hant/"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_edition(tmp_path_factory.mktemp("search"))
    with serve_under(site, PREFIX) as url:
        yield url


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    origin = base_url[: -len(PREFIX)]

    def route(r: Any) -> None:
        if r.request.url.startswith((origin + "/", "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    yield page
    context.close()
    assert not outside, f"requests outside the site: {outside}"


def _search(page: Page, base_url: str, script: str, query: str) -> list[str]:
    """Type the query into the header box of the edition's home page; the result URLs."""
    page.goto(base_url + EDITIONS[script])
    page.fill("#site-search-q", query)
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/**")
    status = page.locator(".search-status")
    status.wait_for(state="visible")
    page.wait_for_function("document.querySelector('.search-status').textContent !== ''",
                           timeout=20_000)
    return page.locator(".search-result a.item-title").evaluate_all("els => els.map(a => a.href)")


def _slugs(hrefs: list[str], base_url: str, script: str) -> list[str]:
    prefix = base_url + EDITIONS[script] + "articles/"
    assert all(h.startswith(prefix) for h in hrefs), (script, hrefs)  # the edition being read
    return [h[len(prefix):].split("/")[0] for h in hrefs]


@pytest.mark.parametrize("script", EDITIONS)
@pytest.mark.parametrize("which", ["simplified", "traditional"])
@pytest.mark.parametrize("simplified, traditional, slug, rank", QUERIES)
def test_each_query_finds_its_article_in_either_script(
        page: Page, base_url: str, script: str, which: str, simplified: str,
        traditional: str, slug: str, rank: int) -> None:
    query = simplified if which == "simplified" else traditional
    found = _slugs(_search(page, base_url, script, query), base_url, script)
    assert slug in found[:rank], f"{query} on {script}: {found}"
    if script == "zh-Hant" and slug == REPAIRED:  # the repaired span, as traditional text
        assert "擔當" in page.locator(".search-result").nth(found.index(slug)).inner_text()


@pytest.mark.parametrize("script, query", [("zh-Hans", "产业链"), ("zh-Hant", "產業鏈"),
                                           ("zh-Hant", "产业链")])
def test_a_common_phrase_finds_several_articles(
        page: Page, base_url: str, script: str, query: str) -> None:
    found = _slugs(_search(page, base_url, script, query), base_url, script)
    assert CHAIN <= set(found), found
    first = page.locator(".search-result").first
    assert first.locator(".item-title").inner_text().strip()
    assert first.locator(".item-kicker").inner_text().strip()  # 组织建在产业链 has a kicker
    assert first.locator(".search-excerpt mark").count() >= 1


def test_results_show_the_column_and_filters_narrow_them(page: Page, base_url: str) -> None:
    found = _slugs(_search(page, base_url, "zh-Hans", "党员"), base_url, "zh-Hans")
    assert len(found) >= 5
    assert page.locator(".search-result .item-meta", has_text="栏目：").count() >= 1
    page.locator(".search-filters input[name=column][value=金台潮声]").check()
    # Filtering replaces the list in one step; wait until the narrowed list is shown.
    page.wait_for_function(
        "n => { const r = document.querySelectorAll('.search-result');"
        " return r.length > 0 && r.length < n; }", arg=min(len(found), 20))
    metas = page.locator(".search-result .item-meta").all_inner_texts()
    assert metas and all("金台潮声" in m for m in metas), metas
    assert page.locator(".search-filters input[name=series]").count() >= 1
    assert page.locator(".search-filters input[name=page]").count() == 5


@pytest.mark.parametrize("script, message", [("zh-Hans", "没有找到与“恐龙”相关的文章"),
                                             ("zh-Hant", "沒有找到與“恐龙”相關的文章")])
def test_no_hit_says_so_in_chinese(page: Page, base_url: str, script: str, message: str) -> None:
    assert _search(page, base_url, script, "恐龙") == []
    assert message in page.locator(".search-status").inner_text()


def test_the_correction_notes_are_not_indexed(page: Page, base_url: str) -> None:
    """乱码 appears only in the 校勘记 of page 004 (the apparatus, not the text)."""
    assert _search(page, base_url, "zh-Hans", "乱码") == []


def _switch(page: Page) -> None:
    page.locator(".script-switch a").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("path", [f"articles/{PROFILE}/index.html",
                                  "series/gaozhiliang-dangjian/index.html",
                                  "tags/chan-ye-lian-dang-jian/index.html", "index.html"])
def test_the_switch_round_trips(page: Page, base_url: str, path: str) -> None:
    page.goto(base_url + path + "#main")
    title = page.title()
    _switch(page)
    assert page.url == base_url + "zh-hant/" + path, page.url
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.title() != title  # the same page, in the other script
    _switch(page)
    assert page.url == base_url + path, page.url
    assert page.title() == title


@pytest.mark.parametrize(("script", "label"), [("zh-Hans", "复制引文"), ("zh-Hant", "複製引文")])
def test_the_copy_button_speaks_the_script_of_its_page(
        page: Page, base_url: str, script: str, label: str) -> None:
    page.goto(base_url + EDITIONS[script] + f"articles/{PROFILE}/index.html")
    assert page.locator(".copy-citation").inner_text() == label


def test_the_choice_is_remembered_on_the_home_page_without_a_trap(
        page: Page, base_url: str) -> None:
    page.goto(base_url + f"articles/{COMMENTARY}/index.html")
    _switch(page)  # the reader chooses 繁體
    page.goto(base_url)
    page.wait_for_url(base_url + "zh-hant/index.html")
    # Back does not bounce into the redirect: the redirecting page left no history entry.
    page.go_back()
    assert page.url == base_url + f"zh-hant/articles/{COMMENTARY}/index.html"
    page.goto(base_url + "zh-hant/index.html")
    _switch(page)  # choosing 简体 again sticks: no redirect back
    assert page.url == base_url + "index.html"
    page.wait_for_timeout(300)
    assert page.url == base_url + "index.html"
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"


def test_hreflang_alternates_resolve_both_ways(page: Page, base_url: str) -> None:
    public = "https://duben.github.io/duben/"
    for path in ("index.html", f"articles/{BRIEF}/index.html", "search/index.html"):
        for start in (path, "zh-hant/" + path):
            page.goto(base_url + start)
            links = page.locator('link[rel=alternate][hreflang]:not([type])').all()
            alternates = {el.get_attribute("hreflang"): el.get_attribute("href") for el in links}
            assert set(alternates) == {"zh-Hans", "zh-Hant", "x-default"}
            for lang, href in alternates.items():
                served = base_url + (href or "").removeprefix(public)
                response = page.request.get(served)
                assert response.ok, served
                want = "zh-Hant" if lang == "zh-Hant" else "zh-Hans"
                assert f'<html lang="{want}">' in response.text(), served


def test_screenshots_of_search_and_a_traditional_article(page: Page, base_url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    _search(page, base_url, "zh-Hant", "王树军")
    page.screenshot(path=str(SHOTS / "search-zh-hant.png"), full_page=True)
    _search(page, base_url, "zh-Hans", "产业链")
    page.screenshot(path=str(SHOTS / "search-zh-hans.png"))
    page.goto(base_url + f"zh-hant/articles/{REPAIRED}/index.html")
    page.screenshot(path=str(SHOTS / "article-zh-hant.png"), full_page=True)
    # Rendered in a CJK font, not boxes: the glyph is wider than a Latin letter.
    width = page.evaluate("""(() => { const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(document.querySelector('h1.title')).font;
        return [c.measureText('黨').width, c.measureText('x').width]; })()""")
    assert width[0] > width[1] * 1.5, width


def test_without_an_index_the_search_page_says_why(
        browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    from duben.build import build_site

    site = tmp_path / "site"
    build_site(ROOT, site, strict=True, search=False)
    page = browser.new_page()
    with serve_under(site, PREFIX) as url:
        page.goto(url + "search/index.html?q=产业链")
        page.wait_for_function("document.querySelector('.search-status').textContent !== ''")
        assert "--no-search" in page.locator(".search-status").inner_text()
    page.goto((site / "zh-hant/search/index.html").as_uri() + "?q=产业链")
    page.wait_for_function("document.querySelector('.search-status').textContent !== ''")
    assert "從本地文件打開時無法搜索" in page.locator(".search-status").inner_text()
    page.close()
