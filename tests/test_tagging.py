"""Tags must be earned: a keyword in the headline or a news lead, or repeated in the body;
editors add and remove tags in the data beside the seeds; a tag one article alone earns
is left off. Checked on small cases and on the real articles the issue names."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from duben.errors import DubenError
from duben.importer.split import run_split
from duben.model.article import Article, Source, load_article
from duben.model.tagging import drop_lone_tags, edit_tags, parse_vocabulary, tag_article

ROOT = Path(__file__).resolve().parent.parent
VOCAB = """
min_mentions: 3
min_mentions_by_group: {地区: 2}
fallback: 其他
groups:
  地区:
    重庆: [重庆]
  主题:
    社区治理: [社区, 志愿服务]
"""


def article(title: str, body: str, kind: str = "article") -> Article:
    return Article(slug="x", title=title, kind=kind, source=Source("seeds/x.txt", 1, (1, 2)),
                   original_script="zh-Hans", body=body)


def test_a_tag_is_earned_by_headline_lead_or_repetition() -> None:
    v = parse_vocabulary(VOCAB, "tags.yaml")
    assert tag_article(article("社区新事", "一件事。"), v) == ("社区治理",)  # headline
    assert tag_article(article("标题", "社区里的事。\n\n别的。"), v) == ("社区治理",)  # lead
    passing = "开头。\n\n社区一次。\n\n社区两次。"
    assert tag_article(article("标题", passing), v) == ("其他",)  # twice in the body: no
    assert tag_article(article("标题", passing + "\n\n志愿服务。"), v) == ("社区治理",)
    assert tag_article(article("标题", "开头。\n\n重庆一次。"), v) == ("其他",)  # a passing place
    assert tag_article(article("标题", "开头。\n\n重庆。重庆。"), v) == ("重庆",)
    # a commentary has no news lead: its opening argument earns nothing by position
    assert tag_article(article("标题", "重庆的事。\n\n别的。", "commentary"), v) == ("其他",)
    assert tag_article(article("众志成城", "社区", "notice"), v) == ()  # no fallback on a notice


def test_editors_choice_and_lone_tags() -> None:
    assert edit_tags(("a", "b"), add=("c",), remove=("a",)) == ("b", "c")
    tagged = {"1": ("a", "b"), "2": ("a",), "3": ("c",), "4": ("d",)}
    kept = drop_lone_tags(tagged, {("3", "c")}, "其他")
    # b and d are one article's only: b goes; d's article falls back, but a fallback of
    # one is no index either; c stays because an editor set it
    assert kept == {"1": ("a",), "2": ("a",), "3": ("c",), "4": ()}


def test_bad_vocabulary_is_reported_with_its_path() -> None:
    with pytest.raises(DubenError, match=r"^tags.yaml: expected groups"):
        parse_vocabulary("fallback: x\n", "tags.yaml")
    with pytest.raises(DubenError, match="names no group"):
        parse_vocabulary(VOCAB.replace("{地区: 2}", "{地方: 2}"), "tags.yaml")


@cache
def real_tags(tmp: Path) -> dict[str, tuple[str, ...]]:
    """Title -> tags, as split gives them to the five real pages (in a copy)."""
    import shutil

    for name in ("duben.yaml", "seeds", "data"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp / name)
    run_split(tmp)
    return {a.title: a.tags for a in (load_article(p, tmp) for p in
                                      sorted((tmp / "content").glob("*/*.md")))}


@pytest.fixture(scope="module")
def tags(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, ...]]:
    return real_tags(tmp_path_factory.mktemp("tags"))


def test_the_real_articles_carry_only_earned_tags(tags: dict[str, tuple[str, ...]]) -> None:
    # 000 铝产业链: 电力 (power for a plant) does not make it an energy story
    assert "能源" not in tags["组织建在产业链 党建引领产业兴"]
    assert "有色金属" in tags["组织建在产业链 党建引领产业兴"]
    # 000 固本培元: 群众路线 is no 民生服务, 江苏 a passing example; 理论武装 set by an editor
    assert tags["固本培元 凝心铸魂"] == ("理论武装",)
    # 002 看准了就坚定不移抓: 山东 is where a speech was given, not the subject
    assert "山东" not in tags["看准了就坚定不移抓"]
    assert tags["看准了就坚定不移抓"] == ("全面深化改革",)  # the editor's tag
    # 002 geohazard work is not 安全生产; its 地质 tag is the editor's, kept though alone
    assert "安全生产" not in tags["“为了群众安全，再累都值得”"]
    assert "地质" in tags["“为了群众安全，再累都值得”"]
    # 003 a coal-washing plant is no 制造业 (车间 is every plant's word)
    assert "制造业" not in tags["舞好党建“龙头” 让党旗在基层高高飘扬"]
    assert "能源" in tags["舞好党建“龙头” 让党旗在基层高高飘扬"]
    # 003 the epidemic notice gets no fallback 党的建设
    assert tags["众志成城 抗击疫情"] == ()
    # the places the stories happen in stay
    assert "山东" in tags["聚“链”赋能 抱团发展"] and "重庆" in tags["组织建在产业链 党建引领产业兴"]


def test_no_tag_is_one_articles_alone_unless_an_editor_set_it(
        tags: dict[str, tuple[str, ...]]) -> None:
    counts: dict[str, int] = {}
    for ts in tags.values():
        for t in ts:
            counts[t] = counts.get(t, 0) + 1
    assert {t for t, n in counts.items() if n == 1} == {"理论武装", "地质"}  # editors' tags
