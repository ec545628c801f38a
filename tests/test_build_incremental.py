"""The build cache and the process pool change how fast a site is built, never what is built."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_build_strict import COMMENTARY, SERIES_3, edit, tree

from duben.build import build_site as build_with_search


def build_site(*args: object, **kwargs: object) -> list:
    """These tests are about pages: Pagefind's index (issue 9) is not deterministic
    byte for byte (Pagefind#638), so it is left out."""
    return build_with_search(*args, search=False, **kwargs)  # type: ignore[arg-type]


FIXTURE = Path(__file__).parent / "fixtures" / "edition"
THEME = Path(__file__).parents[1] / "theme"


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """A private copy of the fixture edition, with its own theme, so edits stay here."""
    root = tmp_path / "edition"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".duben-cache"))
    shutil.copytree(THEME, root / "theme")
    config = root / "duben.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "theme: ../../../theme", "theme: theme"), encoding="utf-8")
    return root


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in sorted(folder.rglob("*")) if p.is_file()}


def clean(root: Path, out: Path) -> dict[str, bytes]:
    build_site(root, out, strict=True, cache=False)
    return tree(out)


def test_a_warm_build_is_a_clean_build_and_writes_nothing(edition: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(edition, site, strict=True)
    assert (edition / ".duben-cache" / "site.pickle").is_file()
    before = inodes(site)
    build_site(edition, site, strict=True)
    assert tree(site) == clean(edition, tmp_path / "clean")
    assert inodes(site) == before  # every file hard-linked from the last build


def test_an_edited_article_rewrites_exactly_the_files_that_show_it(
        edition: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(edition, site, strict=True)
    old_bytes, old_inodes = tree(site), inodes(site)
    edit(edition, COMMENTARY, "title: ", "title: 新")  # the title shows in lists and neighbours
    build_site(edition, site, strict=True)
    new_bytes = tree(site)
    assert new_bytes == clean(edition, tmp_path / "clean")
    changed = {p for p in new_bytes if new_bytes[p] != old_bytes.get(p)}
    written = {p for p, ino in inodes(site).items() if old_inodes.get(p) != ino}
    assert written == changed
    assert "articles/zuofeng-jianshe/index.html" in changed and "index.html" in changed
    assert "about/index.html" not in changed  # its bytes do not show the title


def test_a_template_or_config_change_rebuilds_what_uses_it(edition: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(edition, site, strict=True)
    edit(edition, "theme/templates/base.html", "</footer>", "<p>新页脚</p>\n</footer>")
    build_site(edition, site, strict=True)
    assert tree(site) == clean(edition, tmp_path / "clean1")
    edit(edition, "duben.yaml", "title: ", "title: 新")
    build_site(edition, site, strict=True)
    assert tree(site) == clean(edition, tmp_path / "clean2")


def test_a_hand_edited_output_file_is_rebuilt(edition: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(edition, site, strict=True)
    page = site / "articles" / "lian-shang-fu-neng" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    build_site(edition, site, strict=True)
    assert tree(site) == clean(edition, tmp_path / "clean")


def test_a_cached_article_is_not_parsed_again(edition: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from duben.output import ahead, cache

    build_site(edition, tmp_path / "site", strict=True)
    parsed: list[Path] = []
    real = cache.load_article
    for module in (cache, ahead):  # parsed ahead (over processes for many), or on load
        monkeypatch.setattr(module, "load_article",
                            lambda p, r, *data: parsed.append(p) or real(p, r, *data))
    (edition / SERIES_3).touch()  # a new stat, the same bytes: hashed, not parsed
    build_site(edition, tmp_path / "site", strict=True)
    assert parsed == []
    edit(edition, SERIES_3, "title: ", "title: 新")
    build_site(edition, tmp_path / "site", strict=True)
    assert [p.name for p in parsed] == [Path(SERIES_3).name]


def test_what_was_parsed_ahead_serves_only_its_own_load(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load cut short (an error) leaves no article parsed ahead in the cache: serve
    reloads a saved file through the same cache, and a record left over would stand
    for the file as it was (the record is trusted without a second stat)."""
    from duben import build
    from duben.errors import DubenError, Problem
    from duben.model.config import load_config
    from duben.output.cache import open_cache

    store = open_cache(edition, tmp_path / "site", "key")
    taken: list[str] = []

    def cut_short(config: object, load: object, listing: object, workers: int) -> object:
        assert len(store.ahead) == 6  # every content file, parsed ahead
        first = listing[0][0]  # type: ignore[index]
        taken.append(load(first, edition).title)  # type: ignore[operator]
        raise DubenError(Problem(str(first), 1, "stop"))

    monkeypatch.setattr(build, "load_edition", cut_short)
    with pytest.raises(DubenError):
        build.load(load_config(edition), store, 1)
    assert taken and store.ahead == {}
    second = sorted(edition.glob("content/*/*.md"))[1]
    edit(edition, str(second.relative_to(edition)), "title: ", "title: 新")
    assert store.load_article(second, edition).title.startswith("新")


def test_the_process_pool_builds_what_one_process_builds(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duben.output import stream

    monkeypatch.setattr(stream, "CHUNK", 4)  # many tasks for the two workers
    monkeypatch.setattr(stream, "SMALL", 0)  # and a pool however few pages there are
    build_site(edition, tmp_path / "one", strict=True, workers=1, cache=False)
    build_site(edition, tmp_path / "two", strict=True, workers=2, cache=False)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_nothing_changed_means_nothing_is_loaded(edition: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from duben import build

    site = tmp_path / "site"
    build_site(edition, site, strict=True)
    loads: list[object] = []
    real = build.load_edition
    monkeypatch.setattr(build, "load_edition", lambda *a: loads.append(a) or real(*a))
    assert build_site(edition, site, strict=True) == []
    assert loads == []
    (site / "stray.html").write_text("not ours", encoding="utf-8")  # the folder was touched
    build_site(edition, site, strict=True)
    assert len(loads) == 1 and not (site / "stray.html").exists()
    (edition / "theme" / "static" / "style.css").write_text("body{}", encoding="utf-8")
    build_site(edition, site, strict=True)
    assert len(loads) == 2 and (site / "static" / "style.css").read_text() == "body{}"


def test_a_cache_kept_in_memory_builds_what_a_clean_build_does(
        edition: Path, tmp_path: Path) -> None:
    from duben.output.cache import BuildCache

    site = tmp_path / "site"
    memory = BuildCache(None, str(site.resolve()))  # as `serve` keeps it
    build_site(edition, site, strict=True, memory=memory)
    before = inodes(site)
    build_site(edition, site, strict=True, memory=memory)
    assert inodes(site) == before
    edit(edition, SERIES_3, "title: ", "title: 新")
    build_site(edition, site, strict=True, memory=memory)
    assert tree(site) == clean(edition, tmp_path / "clean")
    assert not (edition / ".duben-cache").exists()  # nothing written to disk


def test_a_build_from_its_cache_needs_no_pinyin_dictionary(edition: Path, tmp_path: Path) -> None:
    """Slugs of authors and terms are saved with the cache (and made where articles are
    parsed): the next build never loads pypinyin (55 MB in every process of a build)."""
    import subprocess
    import sys

    build_site(edition, tmp_path / "site", strict=True)
    edit(edition, SERIES_3, "title: ", "title: 新")
    check = ("import sys; from pathlib import Path; from duben.build import build_site; "
             f"build_site(Path({str(edition)!r}), Path({str(tmp_path / 'site')!r}), "
             "strict=True, search=False); print('pypinyin' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False", result.stderr


def test_a_tampered_slug_in_the_cache_is_not_learned(edition: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from duben import slugs
    from duben.output.ahead import load_slugs
    from duben.output.cache import slugs_key

    monkeypatch.setattr(slugs, "_KNOWN", {})  # this test's learning stays in this test
    (edition / ".duben-cache").mkdir()
    (edition / ".duben-cache" / "slugs.pickle").write_bytes(pickle.dumps(
        (slugs_key(), {"坏名字": "../../pwned", "好名字": "hao-ming-zi-x"})))
    load_slugs(edition)
    assert slugs.slugify("坏名字") == "huai-ming-zi"
    assert slugs.slugify("好名字") == "hao-ming-zi-x"  # a well-formed slug is taken as saved
