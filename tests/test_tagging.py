"""Tags come from the editable vocabulary: counted keywords, thresholds, a fallback."""
from __future__ import annotations

from pathlib import Path

import pytest

from duben.errors import DubenError
from duben.model.article import Article, Source
from duben.model.tagging import load_vocabulary, parse_vocabulary, tag_article

VOCAB = """
min_mentions: 2
min_mentions_by_group: {地区: 1}
fallback: 其他
groups:
  地区:
    重庆: [重庆]
  主题:
    社区治理: [社区, 志愿服务]
"""


def article(title: str, body: str) -> Article:
    return Article(slug="x", title=title, kind="article", source=Source("seeds/x.txt", 1, (1, 2)),
                   original_script="zh-Hans", body=body)


def test_thresholds_title_weight_and_fallback() -> None:
    v = parse_vocabulary(VOCAB, "tags.yaml")
    assert tag_article(article("标题", "重庆的一件事。"), v) == ("重庆",)  # places: once is enough
    assert tag_article(article("标题", "社区里的一件事。"), v) == ("其他",)  # themes need two
    assert tag_article(article("标题", "社区和志愿服务。"), v) == ("社区治理",)
    assert tag_article(article("社区新事", "一件事。"), v) == ("社区治理",)  # a title counts double


def test_bad_vocabulary_is_reported_with_its_path() -> None:
    with pytest.raises(DubenError, match=r"^tags.yaml: expected groups"):
        parse_vocabulary("fallback: x\n", "tags.yaml")
    with pytest.raises(DubenError, match="names no group"):
        parse_vocabulary(VOCAB.replace("{地区: 1}", "{地方: 1}"), "tags.yaml")


def test_every_real_article_gets_tags() -> None:
    root = Path(__file__).resolve().parent.parent
    vocabulary = load_vocabulary(root)
    from duben.model.article import load_article
    for path in sorted((root / "content").glob("*/*.md")):
        a = load_article(path, root)
        known = {tag for tag, _ in vocabulary.keywords} | {vocabulary.fallback}
        assert a.tags and set(a.tags) <= known, path
