"""Issue 7, failures 1, 3, 4, 5: nothing is written outside the project or over a source."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from duben.build import build_site
from duben.errors import DubenError
from duben.importer.split import run_split
from tests.hostile import ARTICLE, cli, edit, leftovers, make_edition, make_project, tree


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return make_edition(tmp_path)


# --- 1. the output folder may not be, hold or lie inside a source folder -----------


@pytest.mark.parametrize("out", ["content", "theme", "data", "seeds", ".", "..",
                                 "content/x", "theme/static"])
def test_an_output_folder_over_a_source_folder_is_refused(edition: Path, out: str) -> None:
    (edition / "seeds").mkdir()
    (edition / "seeds" / "keep.txt").write_text("原样\n", encoding="utf-8")
    before = tree(edition)
    code, _, err = cli("--root", str(edition), "build", "--out", str(edition / out))
    assert code == 2
    assert "refusing to write the site to" in err and "would replace" in err
    assert tree(edition) == before


def test_a_folder_duben_did_not_build_is_not_replaced(edition: Path, tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.odt").write_text("三年的心血", encoding="utf-8")
    code, _, err = cli("--root", str(edition), "build", "--out", str(documents))
    assert code == 2 and "it is not empty and is not a site duben built" in err
    assert (documents / "thesis.odt").read_text(encoding="utf-8") == "三年的心血"
    code, _, err = cli("--root", str(edition), "build", "--out", str(documents / "thesis.odt"))
    assert code == 2 and "it is a file, not a folder" in err
    assert (documents / "thesis.odt").read_text(encoding="utf-8") == "三年的心血"


def test_an_output_folder_beside_the_sources_is_fine(edition: Path) -> None:
    assert cli("--root", str(edition), "build", "--out", str(edition / "public"))[0] == 0
    assert (edition / "public" / "index.html").is_file()


# --- 3. slugs from any file are checked before they become paths -------------------

EVIL = "../../../pwned"


def _no_pwned(tmp_path: Path) -> None:
    assert not list(tmp_path.parent.rglob("pwned*")), "a file was written outside"


def test_a_series_slug_that_climbs_out_is_an_error(edition: Path, tmp_path: Path) -> None:
    edit(edition, "duben.yaml", "slug: gaozhiliang-dangjian", f"slug: {EVIL}")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert "duben.yaml:7: error: series 深度关注·高质量党建引领高质量发展: slug must be" in err
    assert not (edition / "site").exists()
    _no_pwned(tmp_path)


def test_a_column_slug_that_climbs_out_is_an_error(edition: Path, tmp_path: Path) -> None:
    edit(edition, "data/columns.yaml", "slug: jintai-chaosheng", f"slug: {EVIL}")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert "data/columns.yaml:1: error: 金台潮声: slug must be" in err
    _no_pwned(tmp_path)


def test_a_manifest_slug_or_name_that_climbs_out_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    run_split(root)
    manifest = root / "content" / ".split-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    name, entry = next(iter(data["files"].items()))
    entry["slug"] = "x/../../../../pwned"
    data["files"]["../../pwned.md"] = dict(entry, slug="ok")
    manifest.write_text(json.dumps(data), encoding="utf-8")
    before = tree(root / "content")
    with pytest.raises(DubenError) as caught:
        run_split(root)
    text = str(caught.value)
    assert "content/.split-manifest.json: '../../pwned.md': not a content file name" in text
    assert f"{name!r}: slug 'x/../../../../pwned' is not a slug; refused" in text
    assert tree(root / "content") == before
    _no_pwned(tmp_path)


# --- 4. a page id comes from source.file and must be a plain name -------------------


@pytest.mark.parametrize("file", ["seeds/...txt", "seeds/../x.txt", "/etc/x.txt",
                                  "seeds/a/b.txt", "seeds/.txt", "seeds/x.md"])
def test_source_file_must_name_a_seed(edition: Path, file: str) -> None:
    edit(edition, ARTICLE, "file: seeds/100_fixturea.txt", f"file: {json.dumps(file)}")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert f"{ARTICLE}:20: error: source: file must be seeds/<name>.txt" in err


def test_urls_collide_by_the_file_they_write_not_by_their_text() -> None:
    from duben.build import render_all

    class Fake:
        pass

    def renderer(edition: object, config: object) -> dict[str, tuple[bytes, str]]:
        return {"pages/x/": (b"a", "one"), "pages/y/../x/index.html": (b"b", "two"),
                "Pages/X/": (b"c", "three")}

    from duben import build

    original = build.available
    build.available = lambda: {"fake": renderer}  # type: ignore[assignment]
    try:
        with pytest.raises(DubenError) as caught:
            render_all(Fake(), Fake(), ("fake",))  # type: ignore[arg-type]
    finally:
        build.available = original
    assert sorted(p.message for p in caught.value.problems) == [
        "URL 'Pages/X/' is also claimed by one",
        "URL 'pages/y/../x/index.html' is also claimed by one",
    ]


# --- 5. symlinks: links leaving the project are refused; output links are written through


@pytest.mark.parametrize("link", ["theme/static/shadow", "theme/templates/secret.html"])
def test_a_theme_symlink_leaving_the_project_is_refused(edition: Path, tmp_path: Path,
                                                        link: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (edition / link).symlink_to(secret)
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert f"{link}: error: symbolic link to" in err and "leaves the project" in err
    assert not (edition / "site").exists()


def test_a_symlink_in_content_leaving_the_project_is_refused(edition: Path,
                                                            tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes((edition / ARTICLE).read_bytes())
    (edition / ARTICLE).unlink()
    (edition / ARTICLE).symlink_to(outside)
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert f"{ARTICLE}: error: symbolic link to" in err


def test_a_linked_folder_leaving_the_project_refuses_every_file_in_it(
        edition: Path, tmp_path: Path) -> None:
    """A link at a folder above the file (a page's folder in content/), not at the
    file, is found as well, and a linked folder in static/; inside the project, the
    same links are followed."""
    import shutil

    page = edition / ARTICLE.rsplit("/", 1)[0]
    static = edition / "theme" / "static"
    outside = tmp_path / "elsewhere"
    shutil.copytree(page, outside / "page")
    (edition / "kept").mkdir()
    shutil.copy(page / "page.yaml", edition / "kept" / "page.yaml")
    (outside / "deep" / "er").mkdir(parents=True)
    (outside / "deep" / "er" / "extra.css").write_text("p{}", encoding="utf-8")
    (static / "fonts").mkdir()
    (static / "fonts" / "er").symlink_to(outside / "deep" / "er")

    def refused() -> list[str]:
        code, _, err = cli("--root", str(edition), "build")
        assert code == 1 and not (edition / "site").exists()
        return [line.split(":")[0] for line in err.splitlines() if "leaves the project" in line]

    assert refused() == ["theme/static/fonts/er"]  # ('**' lists it, not what it holds)
    shutil.rmtree(page)
    page.symlink_to(outside / "page")
    folder = page.relative_to(edition).as_posix()
    # (the page's facts are read first: their file is the first refused)
    assert refused() == [f"{folder}/page.yaml"]
    (outside / "page" / "page.yaml").unlink()
    assert refused() == sorted(f"{folder}/{p.name}" for p in (outside / "page").glob("*.md"))
    inside = edition / "kept"
    shutil.move(str(outside / "page"), inside / "page")
    shutil.move(str(outside / "deep"), inside / "deep")
    shutil.copy(inside / "page.yaml", inside / "page" / "page.yaml")
    page.unlink()
    page.symlink_to(inside / "page")
    (static / "fonts" / "er").unlink()
    (static / "fonts" / "er").symlink_to(inside / "deep" / "er")
    assert cli("--root", str(edition), "build")[0] == 0
    pages = {p.name for p in (edition / "site" / "articles").iterdir()}  # the page's articles
    assert {"dangjian-ju-heli", "lian-shang-fu-neng", "zuofeng-jianshe"} <= pages


def test_a_seed_symlink_leaving_the_project_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    root = make_project(tmp_path)
    (root / "seeds" / "999_secret.txt").symlink_to(secret)
    code, _, err = cli("--root", str(root), "split")
    assert code == 1 and "seeds/999_secret.txt: error: symbolic link to" in err
    assert not (root / "content").exists()


def test_a_symlink_inside_the_project_is_followed(edition: Path) -> None:
    shared = edition / "shared"
    shared.mkdir()
    (edition / "theme" / "static" / "style.css").rename(shared / "style.css")
    (edition / "theme" / "static" / "style.css").symlink_to(shared / "style.css")
    assert cli("--root", str(edition), "build")[0] == 0
    assert (edition / "site" / "static" / "style.css").read_bytes() == \
        (shared / "style.css").read_bytes()


def test_a_symlinked_output_folder_is_written_through(edition: Path, tmp_path: Path) -> None:
    www = tmp_path / "srv" / "www"
    www.mkdir(parents=True)
    (www / ".nojekyll").write_text("", encoding="utf-8")  # a site duben built before
    (www / "old.html").write_text("old", encoding="utf-8")
    (edition / "site").symlink_to(www)
    for _ in range(2):  # the second run replaces a folder it wrote itself
        code, _, err = cli("--root", str(edition), "build")
        assert code == 0, err
        assert (edition / "site").is_symlink() and os.readlink(edition / "site") == str(www)
        assert (www / "index.html").is_file() and not (www / "old.html").exists()
        assert leftovers(www.parent) == [] and leftovers(edition) == []


def test_split_keeps_a_symlinked_article_a_symlink_and_a_symlinked_content(
        tmp_path: Path) -> None:
    root = make_project(tmp_path)
    run_split(root)
    name = min((root / "content").glob("*/*.md"))
    mine = root / "mine.md"
    mine.write_bytes(name.read_bytes() + "\n编辑加的一句。\n".encode())
    name.unlink()
    name.symlink_to(mine)
    run_split(root)
    assert name.is_symlink() and name.resolve() == mine.resolve()
    # content/ itself a symlink to a folder elsewhere: split writes through it.
    real = tmp_path / "elsewhere"
    (root / "content").rename(real)
    (root / "content").symlink_to(real)
    run_split(root)
    assert (root / "content").is_symlink() and (real / ".split-manifest.json").is_file()
    assert leftovers(tmp_path) == [] and leftovers(root) == []


def test_build_site_refuses_the_output_check_without_the_cli(edition: Path) -> None:
    from duben.errors import UsageError

    with pytest.raises(UsageError):
        build_site(edition, edition / "content", strict=False)


@pytest.mark.parametrize("data", ["[" * 100_000, '{"files": 1}', "\ufeff{}", '{"files": []}'])
def test_a_broken_manifest_is_a_located_error(tmp_path: Path, data: str) -> None:
    root = make_project(tmp_path)
    run_split(root)
    (root / "content" / ".split-manifest.json").write_text(data, encoding="utf-8")
    code, _, err = cli("--root", str(root), "split")
    assert code == 1 and err.startswith("content/.split-manifest.json")
