"""split's input and output: seed decoding, slugs, the content/ it writes, and the CLI.

These tests hold for any splitter that keeps the `segment.split_page` contract:
they run the real one on copies of the real seeds and assert behaviour (what is
kept, skipped, reported), never particular titles. Where a test needs exact
articles it swaps in a tiny splitter that reads a toy page format.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

from duben import atomic
from duben.cli import main
from duben.errors import DubenError, Problem
from duben.importer import segment
from duben.importer.pagedata import PageData
from duben.importer.seeds import decode_seed, list_seeds
from duben.importer.split import DROPPED_LIST, MANIFEST, run_split
from duben.model.article import Article, Source, parse_article
from duben.slugs import is_slug, slugify, unique_slug

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs (seeds with their page data, data/) in tmp_path."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "data", root / "data")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under content/, by relative path, with its bytes."""
    content = root / "content"
    return {
        p.relative_to(content).as_posix(): p.read_bytes()
        for p in sorted(content.rglob("*")) if p.is_file()
    }


def articles(root: Path) -> dict[str, Article]:
    """Every article file under content/, parsed, by content-relative path."""
    content = root / "content"
    return {
        p.relative_to(content).as_posix(): parse_article(p.read_text(encoding="utf-8"), str(p))
        for p in sorted(content.glob("*/*.md"))
    }


def no_staging_left(root: Path) -> bool:
    return not [p for p in root.iterdir() if p.name.startswith(".content-")]


def toy_split_page(text: str, seed_file: str, data: PageData, columns: object = None) -> segment.PageSplit:
    """A stand-in splitter for exact cases: `# title` opens an article, `~ x` is dropped."""
    lines = text.split("\n")
    found: list[tuple[str, int, list[str]]] = []
    dropped = []
    for number, line in enumerate(lines, 1):
        if line.startswith("# "):
            found.append((line[2:], number, []))
        elif line.startswith("~ "):
            dropped.append(segment.DroppedLine(number, line[2:], "layout"))
        elif line.strip() and found:
            found[-1][2].append(line)
    result = tuple(
        Article(slug="candidate", title=title, kind="article",
                source=Source(seed_file, order, (first, first + len(body))),
                original_script="zh-Hans", body="\n\n".join(body))
        for order, (title, first, body) in enumerate(found, 1)
    )
    return segment.PageSplit(result, tuple(dropped), ())


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project using the toy splitter; tests write its seeds."""
    monkeypatch.setattr(segment, "split_page", toy_split_page)
    root = tmp_path / "toy"
    (root / "seeds").mkdir(parents=True)
    shutil.copytree(REPO / "data", root / "data")
    return root


def write_seed(root: Path, name: str, text: str) -> None:
    (root / "seeds" / name).write_text(text, encoding="utf-8")


# --- decoding seeds ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_encoding_and_line_end_decodes_to_the_same_text(seed: Path) -> None:
    text = seed.read_bytes().decode("utf-8").replace("\r\n", "\n")
    variants = {
        "utf-8": text.encode("utf-8"),
        "utf-8 BOM": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "CRLF": text.replace("\n", "\r\n").encode("utf-8"),
        "BOM CRLF": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "lone CR": text.replace("\n", "\r").encode("utf-8"),
        "gb18030": text.encode("gb18030"),
        "gb18030 BOM CRLF": ("\ufeff" + text.replace("\n", "\r\n")).encode("gb18030"),
        "gbk": text.encode("gbk"),
    }
    for name, data in variants.items():
        assert decode_seed(data, "seeds/x.txt") == text, name


def test_gb18030_seeds_split_exactly_like_utf8_ones(project: Path, tmp_path: Path) -> None:
    run_split(project)
    other = tmp_path / "re-encoded"
    shutil.copytree(project / "seeds", other / "seeds")
    shutil.copytree(project / "data", other / "data")
    encodings = ["gb18030", "gbk", "utf-8-sig", "gb18030", "utf-8"]
    line_ends = ["\n", "\r\n", "\r\n", "\r", "\r\n"]
    for seed, encoding, end in zip(sorted((other / "seeds").glob("*.txt")), encodings, line_ends):
        text = seed.read_text(encoding="utf-8")
        seed.chmod(0o644)
        seed.write_bytes(text.replace("\n", end).encode(encoding))
    run_split(other)
    assert snapshot(other) == snapshot(project)


def _problem(data: bytes) -> Problem:
    with pytest.raises(DubenError) as caught:
        decode_seed(data, "seeds/bad.txt")
    [problem] = caught.value.problems
    return problem


def _with_byte_at_line(data: bytes, line: int, byte: bytes, newline: bytes) -> tuple[bytes, int]:
    """`data` with `byte` inserted at the start of 1-based `line`; and its offset."""
    lines = data.split(newline)
    offset = sum(len(part) + len(newline) for part in lines[: line - 1])
    return data[:offset] + byte + data[offset:], offset


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_an_undecodable_byte_in_utf8_is_reported_at_its_line(newline: bytes) -> None:
    text = SEEDS[0].read_bytes().decode("utf-8")
    data = text.encode("utf-8").replace(b"\n", newline)
    bad, offset = _with_byte_at_line(data, 9, b"\xff", newline)
    assert str(_problem(bad)) == (
        f"seeds/bad.txt:9: invalid UTF-8: undecodable byte 0xFF at byte offset {offset}"
    )
    # A UTF-8 character cut short is just as bad, and reported where it starts.
    cut, offset = _with_byte_at_line(data, 20, "党".encode()[:2], newline)
    assert str(_problem(cut)) == (
        f"seeds/bad.txt:20: invalid UTF-8: undecodable byte 0xE5 at byte offset {offset}"
    )


def test_an_undecodable_byte_in_gbk_is_reported_at_its_line() -> None:
    data = SEEDS[1].read_bytes().decode("utf-8").encode("gbk")
    bad, offset = _with_byte_at_line(data, 13, b"\xff", b"\n")
    assert str(_problem(bad)) == (
        f"seeds/bad.txt:13: neither UTF-8 nor GB18030 text: undecodable byte 0xFF "
        f"at byte offset {offset}"
    )


def test_a_line_number_counts_lone_cr_line_ends() -> None:
    assert str(_problem("一\r二\r三".encode() + b"\xff")) == (
        "seeds/bad.txt:3: invalid UTF-8: undecodable byte 0xFF at byte offset 11"
    )


def test_binary_empty_and_blank_pages_are_refused() -> None:
    assert str(_problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")) == (
        "seeds/bad.txt:3: binary data, not text: NUL byte at byte offset 8"
    )
    assert str(_problem("第一行\n第二行\x07\n".encode())) == (
        "seeds/bad.txt:2: binary data, not text: control character U+0007"
    )
    assert str(_problem(b"")) == "seeds/bad.txt: empty page: the file has no bytes"
    blank = "empty page: only whitespace, no text"
    assert str(_problem(b"\n\n  \r\n\t\n")) == f"seeds/bad.txt: {blank}"
    assert str(_problem("\ufeff\u3000\n".encode())) == f"seeds/bad.txt: {blank}"


def test_seeds_are_listed_sorted_and_only_txt(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    for name in ("b.txt", "a.txt", "a.yaml", "notes.md"):
        (tmp_path / "seeds" / name).write_text("x", encoding="utf-8")
    assert [p.name for p in list_seeds(tmp_path)] == ["a.txt", "b.txt"]


# --- slugs -----------------------------------------------------------------------------------


def test_slugify_gives_readable_ascii() -> None:
    assert slugify("组织建在产业链 党建引领产业兴") == (
        "zu-zhi-jian-zai-chan-ye-lian-dang-jian-yin-ling-chan-ye-xing"
    )
    assert slugify("绿色ABC发展") == "lv-se-abc-fa-zhan"
    assert slugify("“三个一”工作法 ２０２０") == "san-ge-yi-gong-zuo-fa-2020"
    assert slugify("標桿推動") == "biao-gan-tui-dong"
    assert slugify("健全全面从严治党体系②") == "jian-quan-quan-mian-cong-yan-zhi-dang-ti-xi-2"


def test_slugify_caps_at_a_word_boundary_and_is_never_empty() -> None:
    long = slugify("高质量党建引领高质量发展" * 5)
    assert len(long) <= 60 and SLUG.match(long)
    assert slugify("高质量党建引领高质量发展" * 5 + "x").startswith(long)
    assert not long.endswith("-") and long.split("-")[-1] in {"gao", "zhi", "liang", "dang",
                                                               "jian", "yin", "ling", "fa", "zhan"}
    assert slugify("x" * 100) == "x" * 60
    assert slugify("？！——") == "article"
    assert slugify("") == "article"


def test_is_slug_accepts_only_what_slugify_makes() -> None:
    assert is_slug("zu-zhi-2") and is_slug("article")
    for bad in ("", "-a", "a-", "a--b", "A", "a b", "组织", "a_b"):
        assert not is_slug(bad), bad


def test_unique_slug_counts_up_without_touching_taken() -> None:
    taken = {"a", "a-2"}
    assert unique_slug("b", taken) == "b"
    assert unique_slug("a", taken) == "a-3"
    assert taken == {"a", "a-2"}


# --- split: every seed, every problem, nothing written on failure --------------------------


def test_split_writes_one_file_per_article_with_unique_slugs(project: Path) -> None:
    report = run_split(project)
    found = articles(project)
    pages = {p.relative_to(project).as_posix() for p in (project / "content").glob("*/page.yaml")}
    assert pages  # the page facts and layout credits of the pages that print them
    assert found and set(report.written) == {f"content/{name}" for name in found} | pages
    slugs = [a.slug for a in found.values()]
    assert len(set(slugs)) == len(slugs)
    for name, article in found.items():
        page, file_name = name.split("/")
        assert SLUG.match(article.slug)
        assert file_name == f"{article.source.order:02d}-{article.slug}.md"
        assert article.source.file == f"seeds/{page}.txt"
        assert article.tags or article.kind in ("notice", "photo"), "a story earns tags"
    assert {a.page for a in found.values()} == {p.stem for p in SEEDS}


def test_every_seed_line_is_in_an_article_or_the_dropped_list(project: Path) -> None:
    report = run_split(project)
    listed = (project / "content" / DROPPED_LIST).read_text(encoding="utf-8")
    for seed in SEEDS:
        rel = f"seeds/{seed.name}"
        covered = {
            n for a in articles(project).values() if a.source.file == rel
            for n in range(a.source.lines[0], a.source.lines[1] + 1)
        }
        dropped = {d.line for d in report.dropped if d.file == rel}
        lines = decode_seed(seed.read_bytes(), rel).split("\n")
        missing = [n for n, line in enumerate(lines, 1)
                   if line.strip() and n not in covered | dropped]
        assert not missing, f"{rel}: lines {missing} are in no article and not dropped"
    for line in report.dropped:
        assert f"{line.file}:{line.line}: {line.reason}: {line.text}\n" in listed


def test_a_bad_seed_stops_the_run_and_leaves_content_untouched(project: Path) -> None:
    run_split(project)
    before = snapshot(project)
    good = SEEDS[0].read_bytes()
    bad, offset = _with_byte_at_line(good, 7, b"\xff", b"\n")
    (project / "seeds" / "900_undecodable.txt").write_bytes(bad)
    (project / "seeds" / "901_binary.txt").write_bytes(b"GIF89a\x00\x01")
    (project / "seeds" / "902_empty.txt").write_bytes(b"")
    (project / "seeds" / "903_blank.txt").write_bytes(b"\n\n\n   \n")
    with pytest.raises(DubenError) as caught:
        run_split(project, force=True)
    assert [str(p) for p in caught.value.problems] == [
        f"seeds/900_undecodable.txt:7: invalid UTF-8: undecodable byte 0xFF at byte offset {offset}",
        "seeds/901_binary.txt:1: binary data, not text: NUL byte at byte offset 6",
        "seeds/902_empty.txt: empty page: the file has no bytes",
        "seeds/903_blank.txt: empty page: only whitespace, no text",
    ]
    assert snapshot(project) == before
    assert no_staging_left(project)


def test_no_seeds_at_all_is_an_error(toy: Path) -> None:
    with pytest.raises(DubenError) as caught:
        run_split(toy)
    assert str(caught.value) == "seeds: no seed pages (*.txt) to split"


def test_a_page_without_articles_is_an_error(toy: Path) -> None:
    write_seed(toy, "a.txt", "# 标题\n正文\n")
    write_seed(toy, "b.txt", "~ 第5版\n~ 人民日报\n")
    with pytest.raises(DubenError) as caught:
        run_split(toy)
    assert [str(p) for p in caught.value.problems] == [
        "seeds/b.txt: no article found on this page"
    ]
    assert not (toy / "content").exists()


def test_splitter_problems_from_every_seed_are_reported_together(
    toy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def complaining(text: str, seed_file: str, data: PageData, columns: object = None) -> segment.PageSplit:
        if "乱码" in text:
            raise DubenError(Problem(seed_file, 2, "garbled text: ?!八麄"))
        split = toy_split_page(text, seed_file, data)
        return segment.PageSplit(split.articles, split.dropped,
                                 (Problem(seed_file, 1, "cannot repair"),))

    monkeypatch.setattr(segment, "split_page", complaining)
    write_seed(toy, "a.txt", "# 标题\n正文\n")
    write_seed(toy, "b.txt", "# 标题\n乱码\n")
    (toy / "seeds" / "b.yaml").write_text("colour: red\n", encoding="utf-8")
    with pytest.raises(DubenError) as caught:
        run_split(toy)
    assert [str(p) for p in caught.value.problems] == [
        "seeds/a.txt:1: cannot repair",
        "seeds/b.yaml:1: unknown key 'colour'; allowed: corrections, supplied_titles, tags, page",
    ]


def test_a_failure_while_writing_leaves_content_untouched(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_split(project)
    before = snapshot(project)
    (project / "seeds" / SEEDS[0].name).chmod(0o644)
    with (project / "seeds" / SEEDS[0].name).open("a", encoding="utf-8") as seed:
        seed.write("\n补记一段新的正文。\n")

    def broken_swap(staged: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "swap_in", broken_swap)
    with pytest.raises(OSError):
        run_split(project)
    assert snapshot(project) == before
    assert no_staging_left(project)


def test_a_broken_manifest_or_missing_vocabulary_is_reported(project: Path) -> None:
    run_split(project)
    before = snapshot(project)
    (project / "content" / MANIFEST).write_text('{"files": {\n  oops\n}', encoding="utf-8")
    (project / "data" / "tags.yaml").unlink()
    with pytest.raises(DubenError) as caught:
        run_split(project)
    assert [str(p) for p in caught.value.problems] == [
        ("content/.split-manifest.json:2: invalid JSON: Expecting property name enclosed in "
         "double quotes"),
        "data/tags.yaml: cannot read: No such file or directory",
    ]
    assert snapshot(project) | {MANIFEST: before[MANIFEST]} == before


# --- split: safe to run again --------------------------------------------------------------


def test_two_runs_give_byte_identical_content(project: Path) -> None:
    first = run_split(project)
    tree = snapshot(project)
    second = run_split(project)
    assert snapshot(project) == tree
    assert second.written == () and second.unchanged == first.written
    assert (second.skipped_hand_edited, second.orphaned, second.removed) == ((), (), ())
    assert second.dropped == first.dropped


def test_a_hand_edited_file_is_skipped_until_forced(project: Path) -> None:
    run_split(project)
    name = next(iter(articles(project)))
    path = project / "content" / name
    original = path.read_bytes()
    edited = original.replace(b"\n---\n", b"\n---\n\n\xe7\xbc\x96\xe8\x80\x85\xe6\x8c\x89\n", 1)
    assert edited != original
    path.write_bytes(edited)

    for _ in range(2):  # stays protected, run after run
        report = run_split(project)
        assert report.skipped_hand_edited == (f"content/{name}",)
        assert f"content/{name}" not in report.written
        assert path.read_bytes() == edited

    report = run_split(project, force=True)
    assert report.forced == (f"content/{name}",)
    assert f"content/{name}" in report.written
    assert path.read_bytes() == original
    assert run_split(project).skipped_hand_edited == ()


def test_split_rewrites_its_own_files_when_a_seed_changes(toy: Path) -> None:
    write_seed(toy, "a.txt", "# 标题一\n正文一\n# 标题二\n正文二\n")
    run_split(toy)
    write_seed(toy, "a.txt", "# 标题一\n正文一，改过\n# 标题二\n正文二\n")
    report = run_split(toy)
    assert report.written == ("content/a/01-biao-ti-yi.md",)
    assert report.unchanged == ("content/a/02-biao-ti-er.md",)
    assert "正文一，改过" in (toy / "content/a/01-biao-ti-yi.md").read_text(encoding="utf-8")


def test_a_vanished_seed_is_reported_and_its_articles_stay(project: Path) -> None:
    run_split(project)
    before = snapshot(project)
    gone = SEEDS[-1]
    (project / "seeds" / gone.name).unlink()
    (project / "seeds" / gone.with_suffix(".yaml").name).unlink(missing_ok=True)
    kept = sorted(f"content/{n}" for n in before if n.startswith(f"{gone.stem}/"))
    assert kept

    report = run_split(project)
    assert report.vanished == (f"seeds/{gone.name}",)
    assert report.orphaned == tuple(kept)
    after = snapshot(project)
    # (Other pages' articles may lose a tag that only the vanished page shared.)
    assert {n: b for n, b in after.items() if n.startswith(f"{gone.stem}/")} == {
        n: b for n, b in before.items() if n.startswith(f"{gone.stem}/")
    }
    def gone_entries(data: bytes) -> dict:
        return {n: e for n, e in json.loads(data)["files"].items() if n.startswith(gone.stem)}

    assert gone_entries(after[MANIFEST]) == gone_entries(before[MANIFEST])  # still on record
    assert run_split(project).orphaned == tuple(kept)  # reported every run, still kept


def test_files_a_seed_no_longer_yields_are_removed_unless_edited(toy: Path) -> None:
    write_seed(toy, "a.txt", "# 甲\n正文\n# 乙\n正文\n# 丙\n正文\n")
    run_split(toy)
    (toy / "content/a/02-yi.md").write_text("编辑改过\n", encoding="utf-8")
    write_seed(toy, "a.txt", "# 甲\n正文\n")
    report = run_split(toy)
    assert report.removed == ("content/a/03-bing.md",)
    assert report.orphaned == ("content/a/02-yi.md",)
    assert sorted(snapshot(toy)) == [DROPPED_LIST, MANIFEST, "a/01-jia.md", "a/02-yi.md"]


def test_a_lost_manifest_is_rebuilt_and_protects_every_differing_file(toy: Path) -> None:
    write_seed(toy, "a.txt", "# 甲\n正文\n# 乙\n正文\n")
    run_split(toy)
    before = snapshot(toy)
    (toy / "content" / MANIFEST).unlink()
    assert run_split(toy).unchanged == ("content/a/01-jia.md", "content/a/02-yi.md")
    assert snapshot(toy) == before
    # Without a record of what split wrote, a differing file might be an editor's;
    # its slug is read back from its front matter, so the title change moves nothing.
    (toy / "content" / MANIFEST).unlink()
    write_seed(toy, "a.txt", "# 甲改\n正文改\n# 乙\n正文\n")
    report = run_split(toy)
    assert report.skipped_hand_edited == ("content/a/01-jia.md",)
    assert (report.written, report.orphaned) == ((), ())


# --- split: slugs are written once and kept ------------------------------------------------


def test_slug_is_kept_when_the_title_changes_in_the_seed(project: Path) -> None:
    run_split(project)
    before = articles(project)
    seeds = {s.name: s.read_text(encoding="utf-8") for s in (project / "seeds").glob("*.txt")}
    # Pick an article whose title is printed on a line of its own, and change that line.
    name, article, seed_name = next(
        (n, a, Path(a.source.file).name) for n, a in before.items()
        if f"\n{a.title}\n" in seeds[Path(a.source.file).name]
    )
    seed_path = project / "seeds" / seed_name
    seed_path.chmod(0o644)
    seed_path.write_text(seeds[seed_name].replace(f"\n{article.title}\n",
                                                  f"\n{article.title}新\n", 1), encoding="utf-8")
    report = run_split(project)
    after = articles(project)
    assert f"content/{name}" in report.written
    assert after[name].slug == article.slug
    assert after[name].title != article.title
    assert {a.slug for a in after.values()} == {a.slug for a in before.values()}


def test_slug_is_kept_when_the_title_is_edited_in_content(project: Path) -> None:
    run_split(project)
    name, article = next(iter(articles(project).items()))
    path = project / "content" / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title: {article.title}", "title: 编辑改的标题", 1),
                    encoding="utf-8")
    assert run_split(project).skipped_hand_edited == (f"content/{name}",)
    assert articles(project)[name].title == "编辑改的标题"
    run_split(project, force=True)
    assert articles(project)[name].slug == article.slug


def test_slugs_are_unique_across_the_edition_and_stable(toy: Path) -> None:
    write_seed(toy, "b.txt", "# 同名\n正文\n# 同名\n正文\n")
    write_seed(toy, "a.txt", "# 同名\n正文\n")
    run_split(toy)
    assert sorted(snapshot(toy)) == [
        DROPPED_LIST, MANIFEST, "a/01-tong-ming.md", "b/01-tong-ming-2.md", "b/02-tong-ming-3.md",
    ]
    # A new page sorting first must not take the slugs the others already have.
    write_seed(toy, "0.txt", "# 同名\n正文\n")
    run_split(toy)
    assert "0/01-tong-ming-4.md" in snapshot(toy)
    assert "a/01-tong-ming.md" in snapshot(toy)


def test_slugs_of_kept_files_are_not_reused(toy: Path) -> None:
    write_seed(toy, "a.txt", "# 同名\n正文\n")
    run_split(toy)
    (toy / "seeds" / "a.txt").unlink()
    write_seed(toy, "b.txt", "# 同名\n正文\n")
    report = run_split(toy)
    assert report.orphaned == ("content/a/01-tong-ming.md",)
    assert report.written == ("content/b/01-tong-ming-2.md",)


def test_dropped_lines_are_reported_and_listed(toy: Path) -> None:
    write_seed(toy, "a.txt", "~ 第5版\n# 标题\n正文\n~ 责编:王某\n")
    report = run_split(toy)
    assert [str(d) for d in report.dropped] == [
        "seeds/a.txt:1: layout: 第5版", "seeds/a.txt:4: layout: 责编:王某",
    ]
    listed = (toy / "content" / DROPPED_LIST).read_text(encoding="utf-8")
    assert listed.endswith("seeds/a.txt:1: layout: 第5版\nseeds/a.txt:4: layout: 责编:王某\n")


def test_the_manifest_records_what_split_wrote(toy: Path) -> None:
    write_seed(toy, "a.txt", "# 甲\n正文\n")
    run_split(toy)
    manifest = yaml.safe_load((toy / "content" / MANIFEST).read_text(encoding="utf-8"))
    data = (toy / "content/a/01-jia.md").read_bytes()
    assert manifest == {"version": 1, "files": {"a/01-jia.md": {
        "source": "seeds/a.txt", "order": 1, "slug": "jia",
        "sha256": hashlib.sha256(data).hexdigest(),
    }}}


# --- the command line ----------------------------------------------------------------------


def test_cli_split_reports_and_exits_zero(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--root", str(project), "split"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"split: \d+ written, 0 unchanged, 0 skipped \(edited by hand\)", out)
    name = next(iter(articles(project)))
    (project / "content" / name).write_text("---\n", encoding="utf-8")
    assert main(["split", "--root", str(project)]) == 0
    assert f"content/{name}: edited by hand, not overwritten (split --force overwrites it)\n" \
        in capsys.readouterr().out
    assert main(["split", "--force", "--root", str(project)]) == 0
    assert f"content/{name}: edited by hand, overwritten because of --force\n" \
        in capsys.readouterr().out


def test_cli_errors_are_sorted_path_line_without_traceback(
    project: Path, capsys: pytest.CaptureFixture
) -> None:
    bad, offset = _with_byte_at_line(SEEDS[0].read_bytes(), 5, b"\xfe\xfe\xfe", b"\n")
    (project / "seeds" / "zz.txt").write_bytes(bad)
    (project / "seeds" / "aa.txt").write_bytes(b"")
    assert main(["--root", str(project), "split"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "seeds/aa.txt: error: empty page: the file has no bytes\n"
        f"seeds/zz.txt:5: error: invalid UTF-8: undecodable byte 0xFE at byte offset {offset}\n"
        "split failed: 2 errors, 0 warnings\n"
    )
    assert not (project / "content").exists()
    assert main(["--root", str(project), "split", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def _fake_build(monkeypatch: pytest.MonkeyPatch, result: list[Problem] | DubenError) -> list:
    calls: list = []

    def build_site(root: Path, out: Path, *, strict: bool, pdf: bool = False,
                   **options: object) -> list[Problem]:
        calls.append((root, out, strict) + (("pdf",) if pdf else ()))
        if isinstance(result, DubenError):
            raise result
        return result

    module = types.ModuleType("duben.build")
    module.build_site = build_site  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "duben.build", module)
    return calls


def test_cli_build_is_the_default_and_strict_fails_on_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    warning = Problem("content/a/01-x.md", 3, "tag 'foo' is used once")
    calls = _fake_build(monkeypatch, [warning])
    assert main(["--root", str(tmp_path)]) == 0
    assert calls == [(tmp_path, tmp_path / "site", False)]
    assert capsys.readouterr().err == ("content/a/01-x.md:3: warning: tag 'foo' is used once\n"
                                       "build done: 0 errors, 1 warning\n")
    assert main(["--root", str(tmp_path), "build", "--strict", "--out", str(tmp_path / "o")]) == 1
    assert calls[-1] == (tmp_path, tmp_path / "o", True)
    assert main(["build", "--pdf", "--root", str(tmp_path)]) == 0
    assert calls[-1] == (tmp_path, tmp_path / "site", False, "pdf")

    _fake_build(monkeypatch, DubenError([Problem("content/b.md", 9, "z"), Problem("a.md", 2, "y")]))
    assert main(["build", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err.endswith(
        "a.md:2: error: y\ncontent/b.md:9: error: z\nbuild failed: 2 errors, 0 warnings\n")


def test_cli_reports_an_internal_error_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    module = types.ModuleType("duben.build")

    def build_site(root: Path, out: Path, *, strict: bool, **options: object) -> list[Problem]:
        raise KeyError("oops")

    module.build_site = build_site  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "duben.build", module)
    assert main(["--root", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "Traceback" not in err


def test_build_py_runs_split(project: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project),
                           "split"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (project / "seeds" / "bad.txt").write_bytes(b"\x00")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project),
                           "split"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (
        1, ("seeds/bad.txt:1: error: binary data, not text: NUL byte at byte offset 0\n"
        "split failed: 1 error, 0 warnings\n")
    )
