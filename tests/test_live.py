"""The preview's edition held in memory (duben/live.py) and changed in place
(duben/model/patch.py): what it shows is exactly what a build with the same options
writes, after any change."""
from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
from test_build_incremental import edition  # noqa: F401 -- the fixture
from test_build_strict import COMMENTARY, SERIES_3, tree

from duben.build import build_site
from duben.errors import DubenError
from duben.live import Live
from duben.model.article import Article, load_article
from duben.model.config import load_config
from duben.model.edition import load_edition
from duben.model.pages import with_page_facts
from duben.model.patch import find_article, replace_article, same_place
from duben.model.variant import to_variant
from tests.hostile import edit as edit_text

PROJECT = Path(__file__).resolve().parents[1]


def edit(root: Path, rel: str, old: str, new: str) -> str:
    """Change the file and name it (relative to root), as the watcher would."""
    edit_text(root, rel, old, new)
    return rel


def remove(root: Path, rel: str) -> str:
    (root / rel).unlink()
    return rel


def preview_of(root: Path, out: Path) -> dict[str, bytes]:
    """What a build writes with the preview's options (no search, EPUB or print page)."""
    build_site(root, out, strict=False, search=False, epub=False, print_page=False, cache=False)
    return {path: data for path, data in tree(out).items() if path != ".nojekyll"}


def shown(live: Live) -> dict[str, bytes]:
    """Every page and file of the live edition, rendered now."""
    snapshot = live.snapshot
    assert snapshot is not None
    out = {}
    for path in [*snapshot.paths, *snapshot.files]:
        found = live.page(path)
        assert found is not None and found[1] == [], (path, found and found[1])
        out[path] = found[0]
    out.pop(".nojekyll")
    return out


def test_the_live_edition_shows_what_the_build_writes_after_every_kind_of_change(
        edition: Path, tmp_path: Path) -> None:  # noqa: F811
    live = Live(edition)
    assert live.update() == "loaded"
    assert shown(live) == preview_of(edition, tmp_path / "0")
    steps = [
        ("patched", lambda: edit(edition, COMMENTARY, "title: ", "title: 新")),  # lists, neighbours
        ("patched", lambda: edit(edition, SERIES_3, "\n\n", "\n\n新的一段。\n\n")),  # body, series print
        ("indexed", lambda: edit(edition, COMMENTARY, "tags:\n", "tags:\n- 新标签\n")),  # a new tag
        ("indexed", lambda: edit(edition, COMMENTARY, "column: 金台潮声", "column: null")),
        ("loaded", lambda: remove(edition, "content/101_fixtureb/02-jiceng-xianfeng.md")),
        ("relisted", lambda: edit(edition, "theme/templates/_item.html", "</li>", "·</li>")),
        ("relisted", lambda: edit(edition, "theme/static/style.css", "body", "html body")),
        ("loaded", lambda: edit(edition, "duben.yaml", "title: ", "title: 新版")),
    ]
    for n, (how, change) in enumerate(steps, 1):
        changed = change()
        assert live.update({edition / changed}) == how, changed
        assert shown(live) == preview_of(edition, tmp_path / str(n)), changed
        assert live.snapshot is not None
        assert sorted(map(str, live.snapshot.warnings)) == sorted(
            map(str, load_edition(with_page_facts(load_config(edition)))[1])), changed


def test_a_patched_edition_equals_the_edition_loaded_again(edition: Path) -> None:  # noqa: F811
    """For every article of the real edition (and the fixture), in both scripts: its text
    changed in place is the edition load_edition makes from the changed file."""
    for root in (edition, PROJECT):
        config = with_page_facts(load_config(root))
        before, _ = load_edition(config)
        hant = to_variant(before, "zh-Hant")
        rng = random.Random(7)
        for page in before.pages:
            for old in (*page.articles, *page.notices):
                new = dataclasses.replace(old, title=old.title + "改", body=old.body + "\n\n补",
                                          kicker=rng.choice([None, "引题——"]))
                patched = replace_article(before, old, new)
                again, _ = load_edition(config, lambda path, at, o=old, n=new: (
                    n if str(path.relative_to(at)) == o.path else _load(path, at)))
                assert patched == again, old.path
                assert find_article(patched, old.path) is new
                variant = replace_article(hant, find_article(hant, old.path),
                                          to_variant(new, "zh-Hant"))
                assert variant == to_variant(again, "zh-Hant"), old.path


def _load(path: Path, root: Path) -> Article:
    """Each file parsed once for the whole test."""
    if path not in _CACHE:
        _CACHE[path] = load_article(path, root)
    return _CACHE[path]


_CACHE: dict[Path, Article] = {}


def test_an_article_moved_is_not_patched(edition: Path) -> None:  # noqa: F811
    config = with_page_facts(load_config(edition))
    e, _ = load_edition(config)
    old = find_article(e, COMMENTARY)
    assert old is not None
    for change in ({"tags": (*old.tags, "新")}, {"column": "别的栏目"}, {"slug": "x-y"},
                   {"source": dataclasses.replace(old.source, order=old.source.order + 9)}):
        new = dataclasses.replace(old, **change)
        assert not same_place(old, new)
        with pytest.raises(ValueError):
            replace_article(e, old, new)


def test_a_bad_edit_keeps_the_last_good_edition_and_says_where(edition: Path) -> None:  # noqa: F811
    live = Live(edition)
    live.update()
    good = live.snapshot
    changed = edit(edition, COMMENTARY, "kind: ", "kind: [")
    with pytest.raises(DubenError) as caught:
        live.update({edition / changed})
    assert live.snapshot is good and caught.value.problems == live.problems
    assert str(live.problems[0]).startswith(f"{COMMENTARY}:")
    edit(edition, COMMENTARY, "kind: [", "kind: ")
    assert live.update({edition / changed}) == "patched" and live.problems == []


def test_a_template_error_is_shown_over_the_last_good_page(edition: Path) -> None:  # noqa: F811
    live = Live(edition)
    live.update()
    article = "articles/zuofeng-jianshe/index.html"
    good = live.page(article)
    assert good is not None and good[1] == []
    changed = edit(edition, "theme/templates/article.html", "{{ a.title }}", "{{ a.no_such }}")
    assert live.update({edition / changed}) == "relisted"
    page, problems = live.page(article) or (b"", [])
    assert page == good[0]  # as the last good templates made it
    assert problems and problems[0].path == "theme/templates/article.html"
    changed = edit(edition, "theme/templates/article.html", "{% block main %}", "{% block main")
    with pytest.raises(DubenError) as caught:  # a syntax error: caught before any page
        live.update({edition / changed})
    assert "template syntax" in str(caught.value.problems[0])


def test_a_broken_link_on_a_page_shown_is_warned_once(edition: Path) -> None:  # noqa: F811
    warned = []
    live = Live(edition, warn=warned.append)
    live.update()
    changed = edit(edition, COMMENTARY, "\n\n", "\n\n[坏链接](../no-such/index.html)\n\n")
    live.update({edition / changed})
    for _ in range(2):
        live.page("articles/zuofeng-jianshe/")
    assert len(warned) == 1 and "broken link" in str(warned[0])
    assert warned[0].path == COMMENTARY


def test_neighbours_computed_again_only_near_a_moved_article_equal_all_computed_again(
        tmp_path: Path) -> None:
    """300 articles in few tags, columns and series, so that groups are longer than the
    window related articles are drawn from: after random moves (tags, column, series
    changed; page and position kept), the edition made by computing again only the
    neighbours near the moved articles (neighbours.affected) is the edition made whole."""
    from duben.model.article import Series, Source
    from duben.model.config import parse_config
    from duben.model.edition import edition_of

    config = parse_config("title: 读本\ndescription: 说明\nbase_url: https://example.org/\n"
                          "updated: 2024-01-02\n", tmp_path)
    rng = random.Random(11)
    numbers = iter(range(1, 10_000))

    def placed(a: Article) -> Article:
        return dataclasses.replace(
            a, tags=tuple(sorted(rng.sample(["甲", "乙", "丙", "丁", "戊"], rng.randint(0, 3)))),
            column=rng.choice([None, "一栏", "二栏"]),
            series=rng.choice([None, Series(rng.choice(["系列甲", "系列乙"]), next(numbers))]))

    articles = [placed(Article(
        slug=f"a-{i:03d}", title=f"题{i}", kind="article", original_script="zh-Hans", body="文。",
        source=Source(f"seeds/p{i // 30:02d}.txt", i % 30 + 1, (1, 2)),
        path=f"content/p{i // 30:02d}/{i % 30 + 1:02d}-a-{i:03d}.md")) for i in range(300)]
    held, warnings = edition_of(articles, config)
    for _ in range(40):
        moved = rng.sample(range(len(articles)), rng.randint(1, 3))
        for i in moved:
            articles[i] = placed(articles[i])
        slugs = frozenset(articles[i].slug for i in moved)
        again, warned = edition_of(articles, config, before=held, changed=slugs,
                                   warned=warnings)
        whole, all_warnings = edition_of(articles, config)
        assert again == whole and sorted(map(str, warned)) == sorted(map(str, all_warnings))
        assert dict(again.neighbours) == dict(whole.neighbours)
        held, warnings = again, warned


def test_a_project_opened_as_the_current_folder_takes_saves_named_by_absolute_paths(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """`serve` runs with --root . by default, and the watcher names the changed file by
    its absolute path: the save is applied in place, not failed as a path mismatch."""
    monkeypatch.chdir(edition)
    live = Live(Path("."))
    live.update()
    edit(edition, COMMENTARY, "title: ", "title: 新")
    assert live.update({edition.resolve() / COMMENTARY}) == "patched"
    edit(edition, COMMENTARY, "tags:\n", "tags:\n- 新标签\n")
    assert live.update({edition.resolve() / COMMENTARY}) == "indexed"


def test_an_editors_swap_file_beside_the_articles_changes_nothing(edition: Path) -> None:  # noqa: F811
    """Saving an article in vim writes .swp files beside it: they are not articles, so
    the edition is not loaded again for them, and a failed change still stands."""
    live = Live(edition)
    live.update()
    held = live.snapshot
    swap = edition / "content/100_fixturea/.03-zuofeng-jianshe.md.swp"
    swap.write_bytes(b"\0vim swap")
    assert live.update({swap}) == "unchanged" and live.snapshot is held
    edit(edition, COMMENTARY, "kind: ", "kind: [")
    with pytest.raises(DubenError):
        live.update({edition / COMMENTARY})
    assert live.update({swap}) == "unchanged" and live.problems  # still broken


def test_a_long_editing_session_ends_where_a_build_of_its_files_would(
        edition: Path, tmp_path: Path) -> None:  # noqa: F811
    """Forty random saves (text, title, kicker, tags, column, an article removed and
    put back), each applied in place as `serve` applies it, in both scripts: every
    few saves, and at the end, the live edition shows what `build` writes."""
    rng = random.Random(3)
    live = Live(edition)
    live.update()
    files = sorted((edition / "content").glob("*/*.md"))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    removed: list[Path] = []
    hows: list[str] = []

    def with_tags(text: str, tags: list[str]) -> str:
        block = "tags:\n" + "".join(f"- {t}\n" for t in tags) if tags else "tags: []\n"
        return re.sub(r"^tags:.*?(?=^slug:)", lambda _: block, text, count=1,
                      flags=re.MULTILINE | re.DOTALL)

    def column(text: str, name: str) -> str:
        line = next(x for x in text.split("\n") if x.startswith("column:"))
        return text.replace(line, f"column: {name}", 1)

    edits = [
        lambda t: t.rstrip("\n") + f"\n\n新的一段{rng.randint(1, 99)}。\n",
        lambda t: t.replace("title: ", f"title: 改{rng.randint(1, 9)}", 1),
        lambda t: t.replace("kicker: null", "kicker: 引题——", 1),
        lambda t: with_tags(t, rng.sample(["基层党建", "重庆", "江苏", "产业链党建", "新词"],
                                          rng.randint(0, 3))),
        lambda t: column(t, rng.choice(["null", "金台潮声", "我是党员，我在岗位"])),
    ]
    for n in range(1, 41):
        if removed and rng.random() < 0.3:
            path = removed.pop()
            path.write_text(texts[path], encoding="utf-8")
        elif not removed and rng.random() < 0.1:
            path = rng.choice([f for f in files if "gongyi" not in f.name])
            path.unlink()
            removed.append(path)
        else:
            path = rng.choice([f for f in files if f not in removed])
            texts[path] = rng.choice(edits)(texts[path])
            path.write_text(texts[path], encoding="utf-8")
        hows.append(live.update({path}))
        if n % 10 == 0:
            assert shown(live) == preview_of(edition, tmp_path / f"s{n}"), n
    assert {"patched", "indexed", "loaded"} <= set(hows), hows  # every way was taken
