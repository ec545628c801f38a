"""Build safety: determinism, atomicity, --strict failures with path:line, escaping."""
from __future__ import annotations

from pathlib import Path

import pytest

from duben.build import build_site
from duben.errors import DubenError
from tests.hostile import PAGEFIND_ENTRY, edit, make_edition
from tests.hostile import tree as stable_tree

FIXTURE = Path(__file__).parent / "fixtures" / "edition"
THEME = Path(__file__).parents[1] / "theme"
SERIES_3 = "content/100_fixturea/02-lian-shang-fu-neng.md"
COMMENTARY = "content/100_fixturea/03-zuofeng-jianshe.md"


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """A private copy of the fixture edition, with its own copy of the theme."""
    return make_edition(tmp_path)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def failure(root: Path, out: Path, *, strict: bool = True) -> str:
    with pytest.raises(DubenError) as info:
        build_site(root, out, strict=strict)
    return str(info.value)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_site(FIXTURE, tmp_path / "a", strict=True)
    build_site(FIXTURE, tmp_path / "b", strict=True)
    # hostile.tree: every byte we write, and the search index by what it covers
    # (Pagefind's own chunks are not byte-stable, Pagefind/pagefind#638).
    assert stable_tree(tmp_path / "a") == stable_tree(tmp_path / "b")
    assert PAGEFIND_ENTRY in stable_tree(tmp_path / "a")


def test_a_failed_build_leaves_the_previous_site_intact(edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(edition, out, strict=True)
    before = tree(out)
    edit(edition, SERIES_3, "kind: article", "kind: [article")
    assert f"{SERIES_3}:14:13: invalid YAML" in failure(edition, out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition", "site"]  # no temp folders


def test_a_rebuild_replaces_the_site_whole(edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(edition, out, strict=True)
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(edition, out, strict=True)
    assert not (out / "stale.html").exists()


def test_unknown_series_column_and_tag_warn_then_fail_under_strict(
        edition: Path, tmp_path: Path) -> None:
    edit(edition, SERIES_3, "name: 深度关注·高质量党建引领高质量发展", "name: 不存在的系列")
    edit(edition, COMMENTARY, "column: 金台潮声", "column: 不存在的栏目")
    edit(edition, COMMENTARY, "- 基层党建", "- 不存在的标签")
    expected = [  # sorted by file, then line number
        f"{SERIES_3}:10: unknown series '不存在的系列'; declare it under 'series' in duben.yaml",
        f"{COMMENTARY}:9: unknown column '不存在的栏目'; declare it in data/columns.yaml",
        f"{COMMENTARY}:25: unknown tag '不存在的标签'",
    ]
    warnings = build_site(edition, tmp_path / "loose", strict=False)
    assert [str(w) for w in warnings] == expected
    assert (tmp_path / "loose" / "index.html").exists()
    assert failure(edition, tmp_path / "strict").split("\n") == expected
    assert not (tmp_path / "strict").exists()


def test_broken_link_and_anchor_in_a_body_fail_under_strict(edition: Path, tmp_path: Path) -> None:
    edit(edition, SERIES_3, "是党建工作新的延伸。",
         "是党建工作新的延伸。\n\n见[别处](../nowhere/index.html)和[上文](#sec-9)。")
    message = failure(edition, tmp_path / "site")
    assert (f"{SERIES_3}:33: broken link '../nowhere/index.html' on "
            "articles/lian-shang-fu-neng/index.html") in message
    assert "no file articles/nowhere/index.html" in message
    assert f"{SERIES_3}:33: broken link '#sec-9'" in message
    assert "no element with id 'sec-9'" in message


def test_missing_template_fails(edition: Path, tmp_path: Path) -> None:
    (edition / "theme/templates/series.html").unlink()
    assert "theme/templates/series.html: missing template" in failure(
        edition, tmp_path / "site", strict=False)


def test_template_error_names_template_and_line(edition: Path, tmp_path: Path) -> None:
    edit(edition, "theme/templates/page.html", "{% block heading %}{{ pg.label }}",
         "{% block heading %}{{ pg.no_such_field }}")
    assert "theme/templates/page.html:4: template error: " in failure(
        edition, tmp_path / "site", strict=False)


def test_an_error_in_an_included_template_names_that_template(edition: Path,
                                                              tmp_path: Path) -> None:
    """_article.html is included by article.html: the error is in the included file
    (its name also ends with article.html, which once misled the line search)."""
    path = edition / "theme/templates/_article.html"
    line = path.read_text(encoding="utf-8").split("\n").index(
        '{% if a.kicker %}<p class="kicker">{{ a.kicker | wbr }}</p>{% endif %}') + 1
    edit(edition, "theme/templates/_article.html", "{{ a.kicker | wbr }}",
         "{{ a.kicker | wbr }}{{ a.no_such_field }}")
    edit(edition, "theme/templates/_article.html", "{% if a.kicker %}", "{% if true %}")
    message = failure(edition, tmp_path / "site", strict=False)
    assert f"theme/templates/_article.html:{line}: template error: " in message, message


def test_two_pages_claiming_one_url_fail(edition: Path, tmp_path: Path) -> None:
    edit(edition, "data/columns.yaml", "金台潮声:\n",
         "重名:\n  kind: profile\n  slug: jintai-chaosheng\n金台潮声:\n")
    edit(edition, "content/101_fixtureb/02-jiceng-xianfeng.md",
         "column: 我是党员，我在岗位", "column: 重名")
    message = failure(edition, tmp_path / "site", strict=False)
    assert "URL 'columns/jintai-chaosheng/' is also claimed by column 重名" in message
    assert message.startswith("column 金台潮声: ")


def test_duplicate_slug_names_both_files(edition: Path, tmp_path: Path) -> None:
    edit(edition, COMMENTARY, "slug: zuofeng-jianshe", "slug: lian-shang-fu-neng")
    assert (f"{COMMENTARY}:26: slug 'lian-shang-fu-neng' is also claimed by {SERIES_3}"
            in failure(edition, tmp_path / "site", strict=False))


def test_unknown_config_key_is_rejected_with_its_line(edition: Path, tmp_path: Path) -> None:
    edit(edition, "duben.yaml", "title: 读本", "title: 读本\ncolour: red")
    message = failure(edition, tmp_path / "site", strict=False)
    assert message.startswith("duben.yaml:3: colour: unknown key; allowed keys are title, ")


def test_content_errors_are_all_reported_with_path_and_line(edition: Path, tmp_path: Path) -> None:
    edit(edition, SERIES_3, "truncated: false", "truncated: false\nmood: happy")
    edit(edition, COMMENTARY, "kind: commentary", "kind: essay")
    lines = failure(edition, tmp_path / "site", strict=False).split("\n")
    assert lines[0].startswith(f"{SERIES_3}:18: mood: unknown key")
    assert lines[1].startswith(f"{COMMENTARY}:11: kind: must be one of article,")


def test_markup_in_titles_and_bodies_is_shown_as_text(edition: Path, tmp_path: Path) -> None:
    edit(edition, SERIES_3, "title: 聚“链”赋能 抱团发展", "title: 聚链<script>alert(1)</script>")
    edit(edition, SERIES_3, "产业链党建一头", "<b>粗</b><img src=x onerror=alert(2)>产业链党建一头")
    out = tmp_path / "site"
    build_site(edition, out, strict=True)
    for page in ("articles/lian-shang-fu-neng/index.html", "index.html", "feed.xml",
                 "series/gaozhiliang-dangjian/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page
    article = (out / "articles/lian-shang-fu-neng/index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;粗&lt;/b&gt;&lt;img src=x onerror=alert(2)&gt;" in article
    assert '"headline":"聚链\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"' in article


def test_renamed_file_and_unfound_correction_warn(edition: Path, tmp_path: Path) -> None:
    full = "content/101_fixtureb/01-zuzhi-jian-zai-chanyelian.md"
    edit(edition, full, "  now: 他们不仅", "  now: 她们不仅")
    (edition / COMMENTARY).rename(edition / "content/100_fixturea/09-zuofeng-jianshe.md")
    warnings = [str(w) for w in build_site(edition, tmp_path / "site", strict=False)]
    assert warnings == [
        ("content/100_fixturea/09-zuofeng-jianshe.md:26: file name should be "
         "03-zuofeng-jianshe.md (source order and slug)"),
        f"{full}:31: correction 2: the corrected text '她们不仅' is not in the article",
    ]
