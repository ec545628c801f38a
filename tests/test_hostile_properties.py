"""Property tests (hypothesis): whatever text reaches split or the article loader, the
answer is articles or errors located in that file, never a traceback.

Example counts stay small for CI; HYPOTHESIS_PROFILE=long runs 50x more.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duben.errors import DubenError
from duben.importer.split import run_split
from duben.model.article import FRONT_MATTER_KEYS, Article, load_article, parse_article
from tests.hostile import REPO

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Newspaper-ish text: Hanzi, Chinese and ASCII punctuation, digits, spaces, line ends,
# circled numbers, and now and then anything at all.
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list("。，、；：？！“”（）《》…—·①②③④ \t\n\r-#>*[]()!`:'\"") + ["\n\n"])
ANY = st.characters(blacklist_categories=("Cs",))
TEXT = st.lists(st.one_of(HANZI, HANZI, HANZI, PUNCT, st.sampled_from("0123456789abc"), ANY),
                max_size=400).map("".join)


def _located(exc: DubenError, path: str, lines: int) -> None:
    assert exc.problems
    for problem in exc.problems:
        assert problem.message
        assert problem.line is None or 1 <= problem.line <= lines + 1, problem


@given(text=TEXT)
def test_split_of_any_text_gives_articles_or_located_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "data", root / "data")
        (root / "seeds").mkdir()
        (root / "seeds" / "100_random.txt").write_text(text, encoding="utf-8", newline="")
        try:
            report = run_split(root)
        except DubenError as exc:
            _located(exc, "seeds/100_random.txt", text.count("\n") + text.count("\r") + 1)
            assert not (root / "content").exists()
        else:
            assert (root / "content" / ".split-manifest.json").is_file()
            assert all(name.startswith("content/100_random/") for name in report.written)
        assert sorted(p.name for p in root.iterdir()) in (["data", "seeds"],
                                                          ["content", "data", "seeds"])


@given(data=st.binary(max_size=300))
def test_split_of_any_bytes_gives_articles_or_located_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "data", root / "data")
        (root / "seeds").mkdir()
        (root / "seeds" / "100_random.txt").write_bytes(data)
        try:
            run_split(root)
        except DubenError as exc:
            _located(exc, "seeds/100_random.txt", data.count(b"\n") + data.count(b"\r") + 1)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=True),
                    TEXT, st.sampled_from(["article", "zh-Hans", "seeds/a.txt", "abc-1"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["file", "order", "lines", "name", "number", "was",
                                     "now", "note", "label", "caption"]), inner, max_size=4)),
    max_leaves=12)
KEYS = st.one_of(st.sampled_from(FRONT_MATTER_KEYS), st.text(max_size=8))


@given(meta=st.dictionaries(KEYS, VALUES, max_size=20), body=TEXT)
def test_any_front_matter_gives_an_article_or_located_errors(meta: dict, body: str) -> None:
    text = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{body}\n"
    try:
        article = parse_article(text, "content/p/01-a.md")
    except DubenError as exc:
        _located(exc, "content/p/01-a.md", text.count("\n") + 1)
    else:
        assert isinstance(article, Article) and article.source.lines[0] >= 1


@given(head=TEXT, body=TEXT)
def test_any_text_as_front_matter_gives_an_article_or_located_errors(head: str,
                                                                    body: str) -> None:
    text = f"---\n{head}\n---\n{body}"
    try:
        parse_article(text, "a.md")
    except DubenError as exc:
        _located(exc, "a.md", text.count("\n") + text.count("\r") + 1)


@given(data=st.binary(max_size=400))
def test_any_bytes_as_an_article_file_give_located_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.md"
        path.write_bytes(b"---\ntitle: x\n" + data)
        try:
            load_article(path, Path(tmp))
        except DubenError as exc:
            _located(exc, "a.md", data.count(b"\n") + data.count(b"\r") + 3)


def _fixture_meta() -> dict:
    text = (REPO / "tests" / "fixtures" / "edition" / "content" / "100_fixturea"
            / "01-dangjian-ju-heli.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


PERTURB = st.one_of(
    st.tuples(st.sampled_from(FRONT_MATTER_KEYS), VALUES),
    st.tuples(st.sampled_from(["source.file", "source.order", "source.lines"]), VALUES),
    st.tuples(st.just("source.lines"), st.lists(st.one_of(st.integers(-5, 10**4),
                                                          st.floats(0, 100)), max_size=3)),
    st.tuples(st.just("source.order"), st.one_of(st.integers(-5, 99), st.floats(-5, 99))),
)


@given(change=PERTURB)
def test_one_changed_field_is_kept_exactly_or_reported(change: tuple[str, object]) -> None:
    """A valid article with one field replaced: an accepted article holds exactly what the
    file says (2.9 never becomes 2) and survives a round trip; else a located error."""
    from duben.model.article import dump_article

    meta = _fixture_meta()
    key, value = change
    if key.startswith("source."):
        meta["source"][key.split(".")[1]] = value
    else:
        meta[key] = value
    text = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n正文。\n"
    try:
        article = parse_article(text, "a.md")
    except DubenError as exc:
        _located(exc, "a.md", text.count("\n") + 1)
        return
    source = meta["source"]
    assert (article.source.order, list(article.source.lines)) == (source["order"],
                                                                  source["lines"])
    assert 1 <= article.source.lines[0] <= article.source.lines[1]
    assert parse_article(dump_article(article), "a.md") == article


CONFIG_KEYS = st.sampled_from(["title", "description", "base_url", "updated", "content",
                               "theme", "series", "column_vocabulary", "tag_vocabulary",
                               "pages", "other"])


@given(changes=st.dictionaries(CONFIG_KEYS, VALUES, max_size=4))
def test_any_config_gives_a_config_or_located_errors(changes: dict) -> None:
    from duben.model.config import parse_config

    data = yaml.safe_load((REPO / "duben.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        config = parse_config(text, REPO)
    except DubenError as exc:
        _located(exc, "duben.yaml", text.count("\n") + 1)
    else:
        assert config.base_url.startswith(("http://", "https://"))
        assert "\n" not in config.base_url
