"""A generated edition of 130 articles: long lists are paginated, every pager link works,
and the process pool builds exactly what one process builds."""
from __future__ import annotations

import posixpath
import re
import shutil
from itertools import product
from pathlib import Path

import pytest
from test_build_strict import tree

from duben.build import build_site as build_with_search
from duben.output import urls


def build_site(*args: object, **kwargs: object) -> list:
    """These tests are about pages: Pagefind's index (issue 9) is not deterministic
    byte for byte (Pagefind#638), so it is left out."""
    return build_with_search(*args, search=False, **kwargs)  # type: ignore[arg-type]


FIXTURE = Path(__file__).parent / "fixtures" / "edition"
TEMPLATE = FIXTURE / "content" / "101_fixtureb" / "02-jiceng-xianfeng.md"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition's config and vocabulary with 130 copies of one of its articles,
    20 a page, all in one column and one tag."""
    root = tmp_path_factory.mktemp("large")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("content", ".duben-cache"))
    config = root / "duben.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "theme: ../../../theme", f"theme: {Path(__file__).parents[1] / 'theme'}"),
        encoding="utf-8")
    text = TEMPLATE.read_text(encoding="utf-8")
    for i in range(130):
        page, order = f"{200 + i // 20}_gen", i % 20 + 1
        body = (text.replace("101_fixtureb", page).replace("order: 2", f"order: {order}")
                .replace("slug: jiceng-xianfeng", f"slug: gen-{i:03d}")
                .replace("title: 基层先锋", f"title: 基层先锋{i}"))
        path = root / "content" / page / f"{order:02d}-gen-{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root


def test_long_lists_are_paginated_and_every_page_links_on(large: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build_site(large, site, strict=True, cache=False) == []  # strict: no broken link
    column = "columns/woshi-dangyuan/"
    pages = [site / urls.output_path(urls.paged(column, n)) for n in (1, 2, 3)]
    assert all(p.is_file() for p in pages)
    assert not (site / urls.output_path(urls.paged(column, 4))).exists()
    items = [len(re.findall(r'class="article-item"', p.read_text(encoding="utf-8")))
             for p in pages]
    assert items == [50, 50, 30]
    second = pages[1].read_text(encoding="utf-8")
    assert "第 2 页，共 3 页" in second
    assert 'rel="prev" href="../../index.html"' in second
    assert 'rel="next" href="../3/index.html"' in second
    # The home page holds whole source pages (20 articles each here), at most 50 articles.
    homes = [site / urls.output_path(urls.paged(urls.HOME, n)) for n in (1, 2, 3)]
    assert [len(re.findall(r'class="article-item"', h.read_text(encoding="utf-8")))
            for h in homes] == [40, 40, 50]
    assert "page/4/index.html" not in tree(site)


def test_the_pool_builds_what_one_process_builds(large: Path, tmp_path: Path) -> None:
    build_site(large, tmp_path / "one", strict=True, workers=1, cache=False)
    build_site(large, tmp_path / "two", strict=True, workers=2, cache=False)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_relative_links_are_posix_relpath(large: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(large, site, strict=True, cache=False)
    site_urls = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    site_urls = [u.removesuffix("index.html") for u in site_urls]
    for a, b in product(site_urls[::7], site_urls[::5]):
        here = posixpath.dirname(urls.output_path(a)) or "."
        assert urls.relative(a, b) == posixpath.relpath(urls.output_path(b), here), (a, b)


def test_a_long_page_is_written_in_pieces_as_it_is_made(large: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages past stream.PIECE characters (the print page at 10,000 articles) are written
    and link-checked piece by piece: the same bytes, and a broken anchor is still found."""
    from duben.output import stream

    build_site(large, tmp_path / "whole", strict=True, cache=False)
    monkeypatch.setattr(stream, "PIECE", 500)  # every page streamed, in many pieces
    build_site(large, tmp_path / "pieces", strict=True, cache=False, workers=1)
    assert tree(tmp_path / "whole") == tree(tmp_path / "pieces")
    article = next((large / "content").glob("*/*.md"))
    original = article.read_text(encoding="utf-8")
    article.write_text(original.rstrip() + "\n\n见[下文](#nowhere)。\n", encoding="utf-8")
    try:
        warnings = build_site(large, tmp_path / "broken", strict=False, cache=False, workers=1)
    finally:
        article.write_text(original, encoding="utf-8")
    assert any("#nowhere" in str(w) and "no element with id 'nowhere'" in str(w)
               for w in warnings), warnings


def test_the_scanner_reads_a_page_in_any_pieces_as_it_reads_it_whole(large: Path,
                                                                     tmp_path: Path) -> None:
    import random

    from duben.output.linkcheck import Scanner, scan

    site = tmp_path / "site"
    build_site(large, site, strict=True, cache=False)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        html, here = page.read_text(encoding="utf-8"), page.relative_to(site).as_posix()
        whole = scan(html, here, "https://example.org/")
        scanner, rng, at = Scanner(here, "https://example.org/"), random.Random(here), 0
        while at < len(html):
            step = rng.randint(1, 400)
            scanner.feed(html[at:at + step], final=False)
            at += step
        pieces = scanner.done()
        assert (pieces.id_text, pieces.targets) == (whole.id_text, whole.targets), here


def test_a_bad_file_among_many_parsed_on_both_cores_is_named_with_its_line(
        large: Path, tmp_path: Path) -> None:
    """130 files are parsed over a process pool (output/ahead.py); an error in one of
    them is still reported as path:line, and the site is not written."""
    from duben.errors import DubenError

    article = sorted((large / "content").glob("*/*.md"))[77]
    original = article.read_text(encoding="utf-8")
    assert "kind: profile" in original
    article.write_text(original.replace("kind: profile", "kind: [profile", 1), encoding="utf-8")
    try:
        with pytest.raises(DubenError) as caught:
            build_site(large, tmp_path / "site", strict=True, cache=False, workers=2)
    finally:
        article.write_text(original, encoding="utf-8")
    [problem] = caught.value.problems
    assert problem.path == article.relative_to(large).as_posix() and problem.line, problem
    assert "invalid YAML" in problem.message
    assert not (tmp_path / "site").exists()
