"""The built site in both scripts: twins under zh-hant/, switch links, hreflang, feed,
sitemap, the page printed in traditional script, and what the search index holds."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from support import ROOT, build_edition

from duben.build import build_site

BASE = "https://duben.github.io/duben/"
SHARED = ("static/", "pagefind/", "404.html", "sitemap.xml", "robots.txt", ".nojekyll")
PRINTED_TRADITIONAL = "articles/yi-dang-jian-yin-ling-shen-hua-gai-ge-gan-chao-fa-zhan/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_edition(tmp_path_factory.mktemp("scripts"))


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _switch(html: str) -> str:
    m = re.search(r'<p class="script-switch no-print"><a href="([^"]+)"', html)
    assert m, "no script switch"
    return m.group(1)


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_has_its_twin_under_the_prefix(site: Path) -> None:
    files = _files(site)
    hans = {f for f in files if not f.startswith(("zh-hant/", *SHARED))}
    hant = {f.removeprefix("zh-hant/") for f in files if f.startswith("zh-hant/")}
    assert hans == hant
    assert len([f for f in hans if f.startswith("articles/")]) == 17


@pytest.mark.parametrize("page", ["index.html", PRINTED_TRADITIONAL, "series/index.html",
                                  "tags/index.html", "search/index.html"])
def test_the_switch_leads_to_the_same_page_and_back(site: Path, page: str) -> None:
    here = site / page
    there = (here.parent / _switch(here.read_text(encoding="utf-8"))).resolve()
    assert there == (site / "zh-hant" / page).resolve()
    back = (there.parent / _switch(there.read_text(encoding="utf-8"))).resolve()
    assert back == here.resolve()
    assert '<html lang="zh-Hant">' in there.read_text(encoding="utf-8")


def test_hreflang_pairs_point_at_each_other(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        url = page.relative_to(site).as_posix()
        if url.startswith(("pagefind/", "static/")) or url == "404.html":
            continue
        pretty = url.removesuffix("index.html")
        plain = pretty.removeprefix("zh-hant/")
        alternates = _alternates(page.read_text(encoding="utf-8"))
        assert alternates == {"zh-Hans": BASE + plain, "zh-Hant": BASE + "zh-hant/" + plain,
                              "x-default": BASE + plain}, url
        for href in alternates.values():  # and every one of them is a page of the site
            assert (site / href.removeprefix(BASE) / "index.html").is_file() or \
                (site / href.removeprefix(BASE)).is_file(), href


def test_feed_and_sitemap_list_both_scripts(site: Path) -> None:
    hans = (site / "feed.xml").read_text(encoding="utf-8")
    hant = (site / "zh-hant/feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="zh-Hans"' in hans and 'xml:lang="zh-Hant"' in hant
    assert hans.count("<entry>") == hant.count("<entry>") == 17
    assert f"<id>{BASE}zh-hant/articles/" in hant and "<title>讀本</title>" in hant
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}series/</loc>" in sitemap
    assert f"<loc>{BASE}zh-hant/series/</loc>" in sitemap
    assert f'hreflang="zh-Hant" href="{BASE}zh-hant/series/"' in sitemap
    assert "zh-hant/404" not in sitemap and not (site / "zh-hant/sitemap.xml").exists()


def test_the_page_printed_in_traditional_keeps_its_note_and_shows_edition_text(
        site: Path) -> None:
    hant = (site / "zh-hant" / PRINTED_TRADITIONAL).read_text(encoding="utf-8")
    hans = (site / PRINTED_TRADITIONAL).read_text(encoding="utf-8")
    assert "繁體（原版面以繁體印刷；本頁文字由校勘後的簡體本轉換而來" in hant
    assert "繁体（本读本已转为简体）" in hans
    # The converted edition text, with its repair, not the damaged original.
    assert "勇擔當" in hant and "職工群眾跟著上" in hant
    body = hant.split('<div class="article-body">')[1].split("</div>")[0]
    assert "?lián)" not in body and "?!" not in body
    # 校勘记 quotes the seed's own text, converted or not: it is what the page printed.
    assert "勇?lián)?dāng)" in hant
    # 跟著 -> 跟着 was a correction of the simplified text only: in traditional script
    # the text is what the page printed, so that note is not repeated there.
    assert hans.count('<li id="jk-') == 4 and hant.count('<li id="jk-') == 3
    assert "當作“跟著”" not in hant


def test_traditional_pages_are_in_traditional_script_throughout(site: Path) -> None:
    page = (site / "zh-hant" / PRINTED_TRADITIONAL).read_text(encoding="utf-8")
    for label in ("版面", "系列", "欄目", "標籤", "關於", "校勘記", "引用本文", "來源"):
        assert label in page, label
    assert "<title>以黨建引領深化改革趕超發展 · 讀本</title>" in page
    assert '"inLanguage":"zh-Hant"' in page
    assert f'<link rel="canonical" href="{BASE}zh-hant/articles/' in page


def test_every_page_has_a_search_box_that_works_without_js(site: Path) -> None:
    for page in ("index.html", "zh-hant/index.html", "zh-hant/" + PRINTED_TRADITIONAL):
        html = (site / page).read_text(encoding="utf-8")
        action = re.search(r'<form action="([^"]+)" method="get">', html).group(1)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), action))
        assert target == ("zh-hant/" if page.startswith("zh-hant/") else "") + "search/index.html"
        assert (site / target).is_file()


def test_the_index_holds_the_articles_of_each_script_and_nothing_else(site: Path) -> None:
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert {k: v["page_count"] for k, v in entry["languages"].items()} == \
        {"zh-hans": 17, "zh-hant": 17}
    maps = json.loads((site / "zh-hant/search/chars.json").read_text(encoding="utf-8"))
    assert maps["chars"]["树"] == "樹" and maps["chars"]["干"] == "幹"  # 干部, not 乾
    assert maps["words"]["谋与干"] == "謀與幹"  # data/script.yaml, for queries too
    back = json.loads((site / "search/chars.json").read_text(encoding="utf-8"))
    assert back["chars"]["樹"] == "树" and "树" not in back["chars"]
    assert back["words"]["謀與幹"] == "谋与干"


def test_no_search_skips_the_index(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(ROOT, out, strict=True, search=False)
    assert not (out / "pagefind").exists()
    assert (out / "search/index.html").is_file() and (out / "zh-hant/index.html").is_file()


def test_the_cli_flag_skips_the_index(tmp_path: Path) -> None:
    from duben.cli import main

    out = tmp_path / "site"
    assert main(["build", "--root", str(ROOT), "--out", str(out), "--no-search"]) == 0
    assert (out / "zh-hant/index.html").is_file() and not (out / "pagefind").exists()


def test_a_failed_index_leaves_the_previous_site_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duben.errors import UsageError
    from duben.renderers.search import pagefind

    out = tmp_path / "site"
    build_site(ROOT, out, strict=True, search=False)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    monkeypatch.setattr(pagefind.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(UsageError, match="cannot run Pagefind: .*--no-search"):
        build_site(ROOT, out, strict=True)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left behind


def test_a_build_converts_the_edition_into_each_script_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site, the EPUB and the search map all need the zh-Hant edition; converting it
    costs seconds at scale, so one build converts it once and they share it."""
    from duben.model import variant
    from duben.model.edition import Edition
    from duben.renderers import scripts

    converted: list[str] = []
    real = variant.to_variant

    def counting(value, script, *rest):  # type: ignore[no-untyped-def]
        if isinstance(value, Edition):
            converted.append(script)
        return real(value, script, *rest)

    monkeypatch.setattr(scripts, "to_variant", counting)
    monkeypatch.setattr(scripts, "_last", [])
    build_site(ROOT, tmp_path / "site", strict=True, search=False, cache=False,
               renderers=("html", "epub"))
    assert converted == ["zh-Hant"]
    assert (tmp_path / "site/zh-hant/print/duben.epub").is_file()


def _project(tmp: Path, extra: str) -> Path:
    """A copy of the bundled project with `extra` appended to duben.yaml (the one
    `scripts:` line replaced)."""
    import shutil

    root = tmp / "project"
    for name in ("content", "data", "theme", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    config = (ROOT / "duben.yaml").read_text(encoding="utf-8")
    config = re.sub(r"^scripts:.*\n", "", config, flags=re.MULTILINE)
    (root / "duben.yaml").write_text(config + extra, encoding="utf-8")
    return root


def test_one_script_builds_the_simplified_edition_alone(tmp_path: Path) -> None:
    root = _project(tmp_path, "scripts: [zh-Hans]\nepub: false\n")
    out = tmp_path / "site"
    assert build_site(root, out, strict=True, search=False) == []  # no link to a missing twin
    files = _files(out)
    assert not any(f.startswith("zh-hant/") for f in files)
    assert not any(f.endswith(".epub") for f in files)
    assert "articles/" + PRINTED_TRADITIONAL.split("articles/")[1] in files
    page = (out / PRINTED_TRADITIONAL).read_text(encoding="utf-8")
    assert "script-switch" not in page and 'hreflang="zh-Hant"' not in page
    about = (out / "about/index.html").read_text(encoding="utf-8")
    assert "EPUB" not in about and "打印版（A4）" in about
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "zh-hant/" not in sitemap and 'hreflang="zh-Hant"' not in sitemap
    assert "<loc>https://duben.github.io/duben/articles/" in sitemap


@pytest.mark.parametrize("line", ["scripts: [zh-Hant]\n", "scripts: [zh-Hans, zh-Hans]\n",
                                  "scripts: [zh-Hans, zh-TW]\n", "scripts: []\n",
                                  "scripts: zh-Hans\n", "epub: 'no'\n"])
def test_a_bad_script_list_is_an_error_at_its_line(tmp_path: Path, line: str) -> None:
    from duben.errors import DubenError

    root = _project(tmp_path, line)
    with pytest.raises(DubenError) as caught:
        build_site(root, tmp_path / "site", strict=True, search=False)
    where = len((root / "duben.yaml").read_text(encoding="utf-8").splitlines())
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("duben.yaml", where), problem
    assert line.split(":")[0] in problem.message


def test_print_false_builds_no_one_page_print_edition(tmp_path: Path) -> None:
    from duben.model.config import load_config
    from duben.model.edition import load_edition
    from duben.renderers.print.pdf import pdf_jobs

    root = _project(tmp_path, "scripts: [zh-Hans, zh-Hant]\nprint: false\n")
    out = tmp_path / "site"
    assert build_site(root, out, strict=True, search=False) == []  # no link to print/
    files = _files(out)
    assert not [f for f in files if f.startswith(("print/", "zh-hant/print/")) and
                f.endswith(".html")]
    assert any(f.startswith("series/") and f.endswith("/print/index.html") for f in files)
    assert "打印版" not in (out / "about/index.html").read_text(encoding="utf-8")
    config = load_config(root)
    jobs = pdf_jobs(load_edition(config)[0], config)
    assert jobs and all(j.page_url != "print/" for j in jobs)  # no edition PDF without it


def test_words_made_in_python_are_in_the_page_s_script(site: Path) -> None:
    """Labels the code writes (not the templates, which are converted whole): the page
    facts and the citation's unknowns read 日期不詳, 版次不詳 on traditional pages."""
    simplified = ("日期不详", "版次不详", "报纸名不详", "未列入词表")
    hant = [p for p in (site / "zh-hant").rglob("*.html")]
    leftover = {p.relative_to(site).as_posix(): w for p in hant
                for w in simplified if w in p.read_text(encoding="utf-8")}
    assert leftover == {}
    article = (site / "zh-hant" / PRINTED_TRADITIONAL).read_text(encoding="utf-8")
    assert "版次不詳" in article or "日期不詳" in article
