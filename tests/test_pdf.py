"""The PDFs of the real edition (build --pdf), read back with poppler and pypdf: the
text is real Chinese text in reading order, every font is embedded, the bookmarks and
the printed contents point at the pages the articles start on. Built once per module."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfcheck import bookmarks, flat, fonts, page_texts, toc_numbers
from sitecheck import read_page

from duben.build import build_site
from duben.model.config import load_config
from duben.model.edition import Edition, load_edition

ROOT = Path(__file__).resolve().parents[1]
BACK_MATTER = ("校勘记", "来源", "引用本文", "图片说明", "其他署名")

pytestmark = pytest.mark.skipif(not any((ROOT / "content").glob("*/*.md")),
                                reason="no content/ yet: run `python build.py split`")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("weasyprint")
    out = tmp_path_factory.mktemp("pdf") / "site"
    assert build_site(ROOT, out, strict=True, pdf=True) == []
    return out


@pytest.fixture(scope="module")
def edition() -> Edition:
    return load_edition(load_config(ROOT))[0]


@pytest.fixture(scope="module")
def pages(site: Path) -> list[str]:
    return page_texts(site / "print/duben.pdf")


def first_sentence(body: str) -> str:
    """The first sentence of the first paragraph, without Markdown, at most 30 characters."""
    para = next(p for p in body.split("\n\n") if p.strip() and not p.startswith("#"))
    text = re.sub(r"[*_`>#]|\[\^?\d+\]", "", para).strip()
    return flat(re.split(r"(?<=[。！？])", text)[0][:30])


def starts(edition: Edition, site: Path) -> dict[str, int]:
    """Article title -> the page it starts on, from the bookmarks."""
    return {m.title: m.page for top in bookmarks(site / "print/duben.pdf") for m in top.children}


def test_page_count_is_sane(edition: Edition, pages: list[str]) -> None:
    n = len(edition.articles)
    # cover + contents + at least a page per article; no article runs past 6 pages here
    assert n + 2 <= len(pages) <= 6 * n + 2


def test_every_title_and_a_sentence_of_every_article_in_reading_order(
        edition: Edition, site: Path, pages: list[str]) -> None:
    begin = starts(edition, site)
    body = flat("".join(pages[min(begin.values()) - 1:]))
    found = []
    for a in edition.articles:
        start_page = flat(pages[begin[a.title] - 1])
        assert flat(a.title) in start_page, a.title
        sentence = first_sentence(a.body)
        assert sentence in body, (a.title, sentence)
        found.append(body.index(sentence))
    assert found == sorted(found)  # the articles follow each other in page order


def test_punctuation_stays_full_width(pages: list[str]) -> None:
    # GB/T 7714 citations use half-width ", " and ". " by the standard: leave them out.
    text = flat("\n".join(line for page in pages for line in page.splitlines()
                          if "[N/OL]" not in line))
    assert text.count("，") > 100 and text.count("。") > 100 and "“" in text
    assert not re.search(r"[\u4e00-\u9fff][,:;?!][\u4e00-\u9fff]", text)


def test_every_font_is_embedded_and_there_are_few(site: Path) -> None:
    for pdf in (site / "print/duben.pdf", *sorted(site.glob("articles/*/*.pdf"))[:3]):
        listed = fonts(pdf)
        assert listed and all(embedded for _, embedded in listed), (pdf, listed)
        assert {name.split("+")[1] for name, _ in listed} <= {
            "Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}


def test_bookmarks_are_pages_then_their_articles(edition: Edition, site: Path) -> None:
    marks = bookmarks(site / "print/duben.pdf")
    expected = [(p.label, [a.title for a in p.articles]) for p in edition.pages if p.articles]
    assert [(m.title, [c.title for c in m.children]) for m in marks] == expected
    for m in marks:  # a page's bookmark opens the page its first article starts on
        assert m.page == m.children[0].page


def test_contents_page_numbers_are_the_pages_articles_start_on(
        edition: Edition, site: Path) -> None:
    begin = starts(edition, site)
    layout = page_texts(site / "print/duben.pdf", layout=True)
    toc = [entry for text in layout[1:min(begin.values()) - 1] for entry in toc_numbers(text)]
    printed = {title: n for title, n in toc}
    assert len(toc) == len(edition.articles) + sum(1 for p in edition.pages if p.articles)
    assert {a.title: printed[a.title] for a in edition.articles} == {
        a.title: begin[a.title] for a in edition.articles}


def test_running_heads_and_page_numbers(edition: Edition, site: Path,
                                        pages: list[str]) -> None:
    for title, n in starts(edition, site).items():
        lines = [line for line in pages[n - 1].splitlines() if line.strip()]
        assert lines[0] == title and lines[-1].startswith(f"第 {n} 页"), lines[:2]
    assert "第 1 页" not in pages[0]  # the cover carries no number


def test_no_page_opens_with_back_matter_alone(edition: Edition, site: Path,
                                              pages: list[str]) -> None:
    first = min(starts(edition, site).values())
    for n, text in enumerate(pages[first - 1:], start=first):
        lines = [line for line in text.splitlines() if line.strip()]
        assert not lines[1].startswith(BACK_MATTER), (n, lines[:3])


def test_metadata(site: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(site / "print/duben.pdf")
    assert reader.metadata.title == "读本"
    assert reader.metadata.author == "读本编者"
    assert reader.metadata["/Publisher"] == "读本"
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4


def test_every_article_and_series_has_its_pdf_linked(edition: Edition, site: Path) -> None:
    for page in sorted(site.glob("articles/*/index.html")):
        links = [h for h in read_page(page).links if h.endswith(".pdf")]
        assert len(links) == 1, page
        pdf = page.parent / links[0]
        assert pdf.is_file() and bookmarks(pdf)[0].page == 1
    from pypdf import PdfReader

    first = edition.articles[0]
    info = PdfReader(site / f"articles/{first.slug}/{first.slug}.pdf").metadata
    assert info.author == ", ".join(first.authors) and info.title.startswith(first.title)
    for s in edition.series:
        pdf = site / f"series/{s.slug}/print/{s.slug}.pdf"
        assert [m.title for m in bookmarks(pdf)] == [a.title for a in s.articles]
        assert pdf.name in (site / f"series/{s.slug}/index.html").read_text("utf-8")
