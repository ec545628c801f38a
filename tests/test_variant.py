"""The traditional-script edition as a transform: to_variant and the exceptions file."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT

from duben.errors import DubenError
from duben.model.config import load_config
from duben.model.edition import load_edition
from duben.model.variant import (
    Exceptions,
    converter,
    load_exceptions,
    parse_exceptions,
    to_variant,
)

FIXTURE = ROOT / "tests" / "fixtures" / "edition"


@pytest.fixture(scope="module")
def editions():
    config = load_config(FIXTURE)
    edition, _ = load_edition(config)
    return edition, to_variant(edition, "zh-Hant")


def test_display_text_is_converted_and_ids_are_not(editions) -> None:
    hans, hant = editions
    assert len(hant.articles) == len(hans.articles)
    for a, b in zip(hans.articles, hant.articles):
        assert (b.slug, b.kind, b.source, b.path) == (a.slug, a.kind, a.source, a.path)
        assert b.original_script == a.original_script
        assert len(b.body) == len(a.body)  # characters converted, none added or dropped
    a, b = hans.articles[0], hant.articles[0]
    assert a.title != b.title and converter("zh-Hant")(a.title) == b.title
    assert [g.slug for g in hant.tags] == [g.slug for g in hans.tags]
    assert [g.name for g in hant.tags] == [converter("zh-Hant")(g.name) for g in hans.tags]


def test_the_seed_text_of_a_correction_is_quoted_as_received(editions) -> None:
    hans, hant = editions
    pairs = [(c, d) for a, b in zip(hans.corrected(), hant.corrected())
             for c, d in zip(a.corrections, b.corrections)]
    assert pairs, "the fixture edition has corrections"
    for c, d in pairs:
        assert d.was == c.was  # the page's own (maybe damaged) text
        assert d.now == converter("zh-Hant")(c.now)


def test_an_article_shared_by_several_indexes_stays_one_object(editions) -> None:
    _, hant = editions
    for s in hant.series:
        for a in s.articles:
            assert any(a is b for b in hant.articles)
            assert hant.series_of[a.slug] is s


def test_the_default_script_is_the_edition_itself(editions) -> None:
    hans, _ = editions
    assert to_variant(hans, "zh-Hans") is hans


def test_config_display_text_is_converted_and_paths_are_not() -> None:
    config = load_config(FIXTURE)
    shown = to_variant(config, "zh-Hant")
    assert shown.root == config.root and shown.base_url == config.base_url
    assert shown.title == converter("zh-Hant")(config.title)
    assert [t.slug for t in shown.series] == [t.slug for t in config.series]


def test_s2tw_converts_characters_not_vocabulary() -> None:
    # s2twp would write 資訊 and 支援: the author's words must stay the author's.
    assert converter("zh-Hant")("信息支持") == "信息支持"
    assert converter("zh-Hant")("发展干部") == "發展幹部"


def test_an_exception_from_the_project_file_fixes_what_opencc_gets_wrong() -> None:
    exceptions = load_exceptions(ROOT)
    assert ("发展", "發展") in exceptions.pairs
    # OpenCC alone reads 长发 as 長髮 (long hair); the entry keeps 发展 whole.
    assert converter("zh-Hant")("企业的成长发展诉求") == "企業的成長髮展訴求"
    assert converter("zh-Hant", exceptions)("企业的成长发展诉求") == "企業的成長發展訴求"


def test_exceptions_apply_in_both_directions() -> None:
    exceptions = parse_exceptions("藉口: 藉口  # kept as printed in both scripts\n")
    assert converter("zh-Hans")("這個藉口") == "这个借口"
    assert converter("zh-Hans", exceptions)("這個藉口") == "这个藉口"
    assert converter("zh-Hant", exceptions)("这个藉口") == "這個藉口"


def test_longer_exceptions_win_over_shorter_ones() -> None:
    exceptions = parse_exceptions("干: 乾\n干部: 幹部\n")
    assert converter("zh-Hant", exceptions)("干部晒干") == "幹部曬乾"


@pytest.mark.parametrize("text, message", [
    ("- a\n- b\n", "data/script.yaml:1: must map simplified words to traditional words"),
    ("发展: 發展\n干部:\n", "data/script.yaml:2: '干部': both words must be non-empty text"),
    ("发展: [發展\n", "data/script.yaml:2:1: invalid YAML"),
    ("发展: 發展\n发展: 發展\n", "data/script.yaml:2"),  # a duplicate key
])
def test_a_bad_exceptions_file_is_reported_with_its_line(text: str, message: str) -> None:
    with pytest.raises(DubenError) as info:
        parse_exceptions(text)
    assert str(info.value).startswith(message)


def test_a_project_without_an_exceptions_file_converts_plainly(tmp_path: Path) -> None:
    assert load_exceptions(tmp_path) == Exceptions()


def test_private_use_characters_in_the_text_survive_the_exceptions() -> None:
    # Damaged seed text can hold private-use characters; exceptions must not touch them.
    exceptions = parse_exceptions("发展: 發展\n")
    assert converter("zh-Hant", exceptions)("\ue000发展\ue001") == "\ue000發展\ue001"
