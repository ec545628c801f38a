"""Issue 7, failures 7-12 and 14: hostile YAML, front matter, Markdown, config and seeds."""
from __future__ import annotations

import codecs
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import opencc
import pytest

from duben.errors import DubenError
from duben.importer.seeds import decode_seed
from duben.model.article import load_article, parse_article
from tests.hostile import ARTICLE, REPO, cli, edit, make_edition, tree

SEED = REPO / "seeds" / "001_7078d62033d2f305.txt"


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return make_edition(tmp_path)


def problems_of(text: str, path: str = "a.md") -> list[str]:
    with pytest.raises(DubenError) as caught:
        parse_article(text, path)
    return [str(p) for p in caught.value.problems]


def fixture_text() -> str:
    return (REPO / "tests" / "fixtures" / "edition" / ARTICLE).read_text(encoding="utf-8")


# --- 7. duplicate keys are reported with both lines, in every YAML file ---------------


def test_a_duplicate_front_matter_key_names_both_lines() -> None:
    text = fixture_text().replace("kind: article\n", "kind: article\ntitle: 另一个标题\n")
    assert problems_of(text) == [
        "a.md:14: duplicate key 'title' (first at line 2); YAML would silently keep only this one"
    ]


def test_duplicate_keys_in_config_and_columns_are_errors(edition: Path) -> None:
    edit(edition, "data/columns.yaml", "  slug: jintai-chaosheng\n",
         "  slug: jintai-chaosheng\n  slug: other\n")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert "data/columns.yaml:4: error: duplicate key 'slug' (first at line 3)" in err
    edit(edition, "duben.yaml", "updated: 2024-01-02\n", "updated: 2024-01-02\ntitle: x\n")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert "duben.yaml:6: error: duplicate key 'title' (first at line 2)" in err


def test_a_duplicate_key_in_seed_data_is_an_error() -> None:
    from duben.importer.pagedata import parse_page_data

    with pytest.raises(DubenError) as caught:
        parse_page_data("corrections:\n- {was: a, now: b, note: c, was: d}\n", "seeds/x.yaml")
    assert str(caught.value).startswith("seeds/x.yaml:2: duplicate key 'was' (first at line 2)")


def test_a_duplicate_key_inside_one_line_mapping_is_caught() -> None:
    text = fixture_text().replace("series:\n  name:", "series: {number: 1, number: 2}\nx:\n  name:")
    assert any("duplicate key 'number'" in p for p in problems_of(text))


# --- 11. alias expansion is bounded: a billion laughs is refused at once ------------


def test_a_billion_laughs_is_refused_in_well_under_a_second() -> None:
    lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        lol += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
        previous = name
    started = time.perf_counter()
    found = problems_of(f"---\n{lol}---\n\nbody\n")
    assert time.perf_counter() - started < 1.0
    assert found == [("a.md:7: YAML aliases expand to more than 100,000 values; refused "
                     "(anchors and aliases are not needed here)")]


def test_a_small_alias_is_still_fine_and_a_recursive_one_is_refused() -> None:
    text = fixture_text().replace("authors:\n- 沈童睿\n", "authors: &who\n- 沈童睿\ncredits2: *who\n")
    assert any("credits2: unknown key" in p for p in problems_of(text))
    assert problems_of("---\na: &x [*x]\n---\n") == ["a.md:2: recursive YAML alias; refused"]


# --- 8. source.lines ordered and within the seed; order a whole number ----------------


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  - 3\n  - 20\n", "  - 999\n  - 83\n", ("lines must be [first, last] with 1 <= first <= "
                                            "last, got [999, 83]")),
    ("  - 3\n  - 20\n", "  - 0\n  - 20\n", "lines must be [first, last] with 1 <= first"),
    ("  order: 1\n", "  order: 2.9\n", "(whole numbers, no decimals)"),
    ("  order: 1\n", "  order: '2'\n", "(whole numbers, no decimals)"),
    ("  order: 1\n", "  order: true\n", "(whole numbers, no decimals)"),
])
def test_source_numbers_are_checked(old: str, new: str, message: str) -> None:
    found = problems_of(fixture_text().replace(old, new))
    assert len(found) == 1 and found[0].startswith("a.md:20: source: ") and message in found[0]


def test_source_lines_past_the_end_of_the_seed_are_an_error(edition: Path) -> None:
    (edition / "seeds").mkdir()
    (edition / "seeds" / "100_fixturea.txt").write_text("一\n" * 50, encoding="utf-8")
    edit(edition, ARTICLE, "  - 3\n  - 20\n", "  - 3\n  - 83\n")
    with pytest.raises(DubenError) as caught:
        load_article(edition / ARTICLE, edition)
    assert str(caught.value) == (f"{ARTICLE}:20: source: lines [3, 83] run past the end of "
                                 "seeds/100_fixturea.txt (50 lines)")


def test_each_parse_sees_the_seeds_as_they_are_now(edition: Path) -> None:
    """parse_ahead takes a seed's stat once for all its articles, but a later parse
    (serve, after an edit) must see the seed anew: its length and its stat."""
    from duben.output.ahead import parse_ahead
    from duben.output.cache import open_cache

    seed = edition / "seeds" / "100_fixturea.txt"
    seed.parent.mkdir()
    seed.write_text("一\n" * 50, encoding="utf-8")
    edit(edition, ARTICLE, "  - 3\n  - 20\n", "  - 3\n  - 83\n")
    files = sorted((edition / "content").glob("*/*.md"))
    cache = open_cache(edition, edition / "site", "key")
    parse_ahead(cache, files, edition, workers=1)
    assert ARTICLE not in cache.ahead and cache.ahead  # (load_edition reports it)
    cited = [r for r in cache.ahead.values() if r[3].source.file == "seeds/100_fixturea.txt"]
    assert cited and all(r[4] == (seed.stat().st_mtime_ns, 200) for r in cited)

    seed.write_text("一\n" * 90, encoding="utf-8")
    parse_ahead(cache, files, edition, workers=1)
    record = cache.ahead[ARTICLE]
    assert record[3].source.lines == (3, 83) and record[4] == (seed.stat().st_mtime_ns, 360)


# --- 9. a UTF-8 BOM is accepted; invalid UTF-8 is located; a huge file refused unread ---


def test_an_article_with_a_bom_and_crlf_reads_like_without(edition: Path) -> None:
    path = edition / ARTICLE
    plain = load_article(path, edition)
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_article(path, edition) == plain


def test_invalid_utf8_in_an_article_names_line_and_column(edition: Path) -> None:
    path = edition / ARTICLE
    lines = path.read_bytes().split(b"\n")
    lines[33] = lines[33][:6] + b"\xff" + lines[33][6:]
    path.write_bytes(b"\n".join(lines))
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert f"{ARTICLE}:34:7: error: not UTF-8 text: byte 0xFF at column 7" in err


def test_an_oversized_article_is_refused_before_it_is_read(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = edition / ARTICLE
    with path.open("ab") as f:
        f.truncate(3 * 1024 * 1024)  # sparse: 3 MiB on paper, nothing on disk
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes",
                        lambda self: pytest.fail("read") if self == path else read_bytes(self))
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1
    assert f"{ARTICLE}: error: file is 3.0 MiB, over the limit of 2.0 MiB" in err


# --- 10. Markdown nested past markdown-it's limit is an error at its line -------------


def test_deep_nesting_is_an_error_not_silently_dropped_text() -> None:
    first_deep = len(fixture_text().split("\n"))  # the file line of 第1层
    deep = "\n".join("> " * depth + f"第{depth}层" for depth in range(1, 26))
    found = problems_of(fixture_text() + deep + "\n")
    # markdown-it (maxNesting 20) drops 第20层 and everything deeper.
    assert found == [(f"a.md:{first_deep + 19}: Markdown nested more than 20 levels deep "
                     "(quotes, lists); the text below that depth would be lost: flatten it")]


def test_nesting_within_the_limit_renders_every_word() -> None:
    from duben.renderers.html.markdown import render_body

    deep = "\n".join("> " * depth + f"第{depth}层" for depth in range(1, 20))
    html = render_body(deep).html
    assert all(f"第{depth}层" in html for depth in range(1, 20))


# --- 12. base_url is an absolute http(s) URL: plain-text outputs cannot be injected ---


@pytest.mark.parametrize("url", [
    '"https://example.org/\\nDisallow: /\\n"', '"https://exa mple.org/"',
    "javascript:alert(1)/", "https:///", '"https://example.org/\\t"', "//example.org/",
    "https://example.org/?q=/",
])
def test_a_base_url_that_could_inject_is_refused(edition: Path, url: str) -> None:
    edit(edition, "duben.yaml", "base_url: https://example.org/duben/", f"base_url: {url}")
    code, _, err = cli("--root", str(edition), "build")
    assert code == 1 and "duben.yaml:4: error: base_url: must be an absolute http(s) URL" in err
    assert not (edition / "site").exists()


def test_robots_txt_holds_only_its_three_lines(edition: Path) -> None:
    assert cli("--root", str(edition), "build")[0] == 0
    robots = (edition / "site" / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots == ["User-agent: *", "Allow: /",
                      "Sitemap: https://example.org/duben/sitemap.xml"]


# --- 14. seeds: fast, linear rejection with an encoding hint ---------------------------


def _random_double_bytes(size: int, seed: int) -> bytes:
    """Bytes that decode as GB18030 (so the cheap checks pass) but are no text."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        roll = rng.random()
        if roll < 0.3:
            out.append(rng.randint(0x20, 0x7E))
        elif roll < 0.33:
            out.append(0x0A)
        else:
            out += bytes([rng.randint(0x81, 0xFE), rng.choice([*range(0x40, 0x7F),
                                                              *range(0x80, 0xFF)])])
    return bytes(out)


def test_random_bytes_are_rejected_at_once_with_one_error() -> None:
    data = _random_double_bytes(8192, 1)
    started = time.perf_counter()
    with pytest.raises(DubenError) as caught:
        decode_seed(data, "seeds/r.txt")
    assert time.perf_counter() - started < 2.0  # was 25-39 s (8 s here)
    [problem] = caught.value.problems
    assert "does not look like Chinese text: only" in problem.message


def test_a_big5_seed_gets_an_iconv_hint() -> None:
    text = SEED.read_bytes().decode("utf-8")
    data = opencc.OpenCC("s2t").convert(text).encode("big5", errors="replace")
    with pytest.raises(DubenError) as caught:
        decode_seed(data, "seeds/b.txt")
    assert [str(p) for p in caught.value.problems] == [
        "seeds/b.txt: " + caught.value.problems[0].message]
    assert caught.value.problems[0].message.endswith(
        "it looks like Big5: convert it: iconv -f BIG5 -t UTF-8 seeds/b.txt > new.txt")


@pytest.mark.parametrize(("codec", "name"), [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE"),
                                             ("utf-16-be", "UTF-16BE")])
def test_a_utf16_seed_is_named_as_utf16(codec: str, name: str) -> None:
    data = SEED.read_bytes().decode("utf-8").encode(codec)
    with pytest.raises(DubenError) as caught:
        decode_seed(data, "seeds/u.txt")
    assert str(caught.value).startswith("seeds/u.txt: UTF-16 text (")
    assert f"iconv -f {name} -t UTF-8 seeds/u.txt" in str(caught.value)


def test_gb18030_and_every_real_seed_still_decode() -> None:
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        text = decode_seed(seed.read_bytes(), seed.name)
        assert decode_seed(text.encode("gb18030"), seed.name) == text


def test_an_oversized_seed_is_refused_unread(tmp_path: Path) -> None:
    from duben.importer.split import run_split
    from tests.hostile import make_project

    root = make_project(tmp_path)
    with (root / "seeds" / "999_big.txt").open("wb") as f:
        f.truncate(9 * 1024 * 1024)
    before = tree(root)
    with pytest.raises(DubenError) as caught:
        run_split(root)
    assert "seeds/999_big.txt: file is 9.0 MiB, over the limit of 8.0 MiB" in str(caught.value)
    assert tree(root) == before


@pytest.mark.parametrize("deep", ["a: " + "[" * 100_000, "a: " + "{a: " * 100_000,
                                  "".join(" " * i + "a:\n" for i in range(200))])
def test_deeply_nested_yaml_is_refused_not_a_crash(deep: str) -> None:
    # `[[[[…` 100,000 deep used to crash the interpreter (libyaml's composer recurses in C).
    found = problems_of(f"---\n{deep}\n---\n")
    assert found[0].endswith("YAML nested more than 100 levels deep; refused")


@pytest.mark.parametrize("body", ["> " * 5000 + "x", "- " * 5000 + "x", "[" * 50_000 + "x",
                                  "*" * 50_000 + "x"])
def test_pathological_markdown_is_an_error_or_fine_never_a_crash(body: str) -> None:
    text = fixture_text() + body + "\n"
    try:
        parse_article(text, "a.md")
    except DubenError as exc:
        assert "nested more than 20 levels" in str(exc)


def test_documents_without_anchors_are_checked_as_the_full_walk_checks_them() -> None:
    """yamlsafe skips the alias bookkeeping when a document has no '&' or '*': every
    YAML file of the project, and each with one of its lines written twice (a
    duplicate key at any depth), gets the same problems from both walks."""
    import random

    import yaml

    from duben import yamlsafe

    checked = 0
    for doc in _yaml_variants(random.Random(5), 4):
        try:
            node = yaml.compose(doc, Loader=yamlsafe._LOADER)
        except yaml.YAMLError:
            continue
        if node is not None:
            assert yamlsafe._duplicate_keys(node, "x", 1) == yamlsafe._check(node, "x", 1), doc
            checked += 1
    assert checked > 100


def test_documents_without_anchors_are_built_as_pyyaml_builds_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """yamlsafe builds a document without anchors itself (PyYAML's constructor was a
    third of parsing an article): every YAML file of the project, each with a line
    written twice, and documents of every kind of scalar, key and tag give the same
    values, of the same types, or the same error, as PyYAML's own construction."""
    import random

    from duben import yamlsafe

    def unusual(loader: object, node: object) -> object:
        raise yamlsafe._Unusual

    def outcome(text: str, quick: bool = True) -> str:
        """repr of the value (types show: True is not 1), or the error's message."""
        try:
            if not quick:  # every document as an unusual one: PyYAML constructs it
                monkeypatch.setattr(yamlsafe, "_tree", unusual)
            return repr(yamlsafe.load_yaml(text, "x", 1)[0])
        except DubenError as exc:
            return str(exc)
        finally:
            monkeypatch.undo()

    extra = [
        ("a: 1\nb: 01\nc: 0x1F\nd: 1_000\ne: 1:30\nf: 1.5\ng: .inf\nh: true\ni: yes\n"
        "j: on\nk: null\nl: ~\nm: 2022-01-01\nn: 2022-01-01 10:00:00\no: '1'\np: !!str 2\n"
        "q: ''\nr:\ns: \"x\\ty\"\nt: |\n  block\n  text\nu: >\n  folded\n  text\n"),
        "1: a\n01: b\n", "true: a\nTrue: b\n", "null: a\n~: b\n", "? [a, b]\n: c\n",
        "? {a: b}\n: c\n", "<<: {a: 1}\nb: 2\n", "=: x\n", "a: =\n", "a: <<\n",
        "a: !!set {x, y}\n", "a: !!omap [x: 1]\n", "a: !!binary aGVsbG8=\n", "a: !!float 1\n",
        "a: [1, [2, {b: c}]]\n", "a: {b: 1, b: 2}\n", "a: 1\na: 2\n", "- a\n- b: c\n",
        "just text", "a: !foo x\n", "!!map {a: 1}\n", "!!seq [a]\n", "1.5: a\n",
        "2022-01-01: a\n", "a:\n  - b: 1\n    b: 2\n  - c\n", "", "# only a comment\n",
    ]
    checked = 0
    for doc in _yaml_variants(random.Random(7), 3, extra):
        assert outcome(doc) == outcome(doc, quick=False), doc
        checked += 1
    assert checked > 150


def _yaml_variants(rng: random.Random, doubled: int,
                   extra: Iterable[str] = ()) -> Iterator[str]:
    """Every YAML text of the project (front matter, page, seed and data files, the
    config) and `extra`, each as it is and with `doubled` of its lines written twice
    (a duplicate key at any depth); none with an anchor or alias."""
    project = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8").split("---\n")[1]
             for p in sorted(project.glob("content/*/*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in (
        *sorted(project.glob("content/*/page.yaml")), *sorted(project.glob("seeds/*.yaml")),
        *sorted(project.glob("data/*.yaml")), project / "duben.yaml")]
    for text in [*texts, *extra]:
        lines = text.split("\n")
        for i in [None, *rng.sample(range(len(lines)), min(doubled, len(lines)))]:
            doc = text if i is None else "\n".join(lines[:i + 1] + lines[i:])
            if "&" not in doc and "*" not in doc:
                yield doc
