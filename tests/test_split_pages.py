"""The splitter on the five real pages: what a careful human editor would cut.

Expected values below were read off the seed pages by hand (see `cat -n seeds/*.txt`),
not copied from the splitter's output.
"""
from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from duben.importer.pagedata import load_page_data
from duben.importer.seeds import decode_seed
from duben.importer.segment import PageSplit, split_page
from duben.model.columns import load_columns

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@cache
def split(prefix: str) -> PageSplit:
    seed = next(s for s in SEEDS if s.name.startswith(prefix))
    text = decode_seed(seed.read_bytes(), f"seeds/{seed.name}")
    return split_page(text, f"seeds/{seed.name}", load_page_data(seed, ROOT), load_columns(ROOT))


def heads(body: str) -> list[str]:
    return [line[3:] for line in body.split("\n") if line.startswith("## ")]


SERIES = "深度关注·高质量党建引领高质量发展"
COLUMN_ME = "我是党员，我在岗位"


def test_every_page_splits_cleanly() -> None:
    counts = {s.name[:3]: len(split(s.name[:3]).articles) for s in SEEDS}
    assert counts == {"000": 4, "001": 4, "002": 4, "003": 5, "004": 1}
    for s in SEEDS:
        assert split(s.name[:3]).problems == ()


def test_page_000() -> None:
    a, b, c, d = split("000").articles
    assert a.series is not None and (a.series.name, a.series.number) == (SERIES, 4)
    assert a.kicker == "重庆市九龙坡区立足铝产业发展，成立功能型党组织——"
    assert a.title == "组织建在产业链 党建引领产业兴"
    assert (a.byline, a.authors, a.kind) == ("本报记者 姜峰", ("姜峰",), "article")
    assert heads(a.body) == [
        "建好组织链——完善组织架构，健全运行机制",
        "打通产业链——强化协作支撑，促进交流合作",
        "抓实服务链——整合助企力量，高效解决问题",
    ]
    assert a.truncated and a.body.endswith("再次来到重庆志成机械有限公司，大门")
    assert "金台潮声" not in a.body

    # the commentary prints its title and author after its body
    assert (b.column, b.title, b.authors, b.kind) == ("金台潮声", "固本培元 凝心铸魂", ("耿磊",), "commentary")
    assert b.series is not None and (b.series.name, b.series.number) == ("健全全面从严治党体系", 2)
    assert b.body.startswith("聆听宣讲报告") and b.body.endswith("注入源源不竭的澎湃动力。")
    assert "耿磊" not in b.body and "固本培元 凝心铸魂" not in b.body

    assert (c.column, c.title, c.authors, c.kind) == (COLUMN_ME, "“党员就是要打头阵、挑重担”", ("王沛",), "profile")
    assert [(f.label, f.caption) for f in c.figures] == [
        ("图①", "王树军在调试柴油发动机连接盘自动拆卸项目。"),
        ("图②", "潍柴一号工厂总装线Ⅱ段生产现场。"),
    ]
    # 以上图片… is the article's; 版式设计 is the page's (000:123)
    assert c.credits == ("以上图片均为潍柴集团提供",)
    assert split("000").layout_credits == ("版式设计：张芳曼",)
    assert "能不能变被动为主动" in c.body  # the layout break 能 / 不能 is rejoined
    assert "自己设计、制造、调试的能力" in c.body  # typo fix from data + rejoin
    assert [x.now for x in c.corrections] == ["工艺革新", "自己设计"]  # 000:111, 000:113

    assert (d.kicker, d.title, d.authors) == ("安徽省淮北市杜集区——", "党群服务中心 走进群众心中", ("吴储秋",))
    assert d.figures == () and d.credits == () and not d.truncated


def test_page_001() -> None:
    a, b, c, d = split("001").articles
    assert a.series is not None and a.series.number == 3
    assert (a.title, a.authors) == ("聚“链”赋能 抱团发展", ("肖家鑫",))
    assert heads(a.body) == [
        "搭平台，把党组织建在产业链上",
        "强服务，破解制约链上企业发展的难题",
        "聚合力，实现创新创业资源的共享和有效利用",
    ]
    assert "推动形成党建工作与产业发展同频共振" in a.body
    assert "需要的重要电力设备。" in a.body and not a.truncated
    assert (b.column, b.title, b.authors, b.kind, b.series) == (
        "金台潮声", "以钉钉子精神抓好改革落实", ("李林蔚",), "commentary", None)
    assert (c.column, c.title, c.authors) == (COLUMN_ME, "“让社区老人过得更舒心”", ("龚相娟",))
    # a quotation broken across two paragraphs is one paragraph again
    assert "就会形成巨大的合力。我们将始终坚持" in c.body
    assert [f.label for f in c.figures] == ["图①", "图②"]
    assert c.figures[0].caption == "牛建静（左一）和志愿者一起入户看望独居老人。"
    # each photo keeps its own credit (001:123, 001:125); the layout credit is the page's
    assert [f.credit for f in c.figures] == ["受访者供图", "马欣悦摄"]
    assert c.credits == ()
    assert split("001").layout_credits == ("版式设计：张丹峰",)
    assert (d.kicker, d.title, d.authors) == ("四川省泸州市纪委监委——", "瞄准小切口 守护大民生", ("沈睿睿",))


def test_page_002() -> None:
    a, b, c, d = split("002").articles
    assert a.series is not None and a.series.number == 1
    assert (a.title, a.authors) == ("党建聚合力 发展增动能", ("沈童睿",))
    assert a.editors_note is not None and a.editors_note.startswith("高质量发展是新时代的硬道理")
    assert "敬请关注" not in a.body and "编者" not in a.body
    assert heads(a.body)[0] == "强组织，建机制——把链上企业党组织聚合起来"
    assert len(heads(a.body)) == 3
    assert (b.column, b.title, b.authors, b.kind) == ("金台潮声", "看准了就坚定不移抓", ("张洋",), "commentary")
    assert b.body.startswith("习近平总书记在山东考察")
    assert (c.column, c.title, c.authors) == (COLUMN_ME, "“为了群众安全，再累都值得”", ("王欣悦",))
    assert [f.label for f in c.figures] == ["上图", "左图"]
    assert c.credits == ("以上图片均为重庆市地矿局提供",)
    assert split("002").layout_credits == ("版式设计：沈亦伶 张丹峰",)
    assert "前进还是撤离？想着受困群众" in c.body  # rejoined across three blank lines
    assert (d.kicker, d.title, d.byline, d.authors) == (
        "内蒙古呼伦贝尔市——", "激活“两新”力量 凝聚治理合力", "邱春风", ("邱春风",))


def test_page_003() -> None:
    a, b, c, d, e = split("003").articles
    assert (a.title, a.byline, a.authors) == ("“党员创新工程”打造高质量发展“红色引擎”", "（王硕）", ("王硕",))
    assert (b.title, b.authors) == ("银光集团：将党员责任区设在安全生产链条上", ("贾敏",))
    assert heads(b.body) == ["直击“痛点”破解难题", "亮明“身份”促改善"]
    assert "乙炔气流量受限的现状" in b.body
    assert (c.title, c.authors) == ("舞好党建“龙头” 让党旗在基层高高飘扬", ("魏友梅", "罗阳"))
    assert len(heads(c.body)) == 3
    assert (d.kind, d.title, d.authors) == ("photo", "华阳二矿以文体活动增强职工凝聚力", ("任锁生",))
    assert d.figures[0].caption.startswith("图为5月18日")
    assert "图为" not in d.body
    assert e.kind == "notice" and e.title == "众志成城 抗击疫情"
    assert "戴口罩 勤洗手 多通风" in e.body and "公益广告" not in e.body
    assert [x.text for x in split("003").dropped] == ["公益广告"]


def test_page_004_traditional_and_damaged() -> None:
    (a,) = split("004").articles
    assert a.original_script == "zh-Hant"
    assert a.title_supplied and a.title == "以党建引领深化改革赶超发展"
    assert a.authors == ("鲁方昆",)
    assert heads(a.body) == ["标杆推动 找准党建工作切入点", "共融共进 夯实基层战斗堡垒", "顶层设计 聚集改革发展合力"]
    assert [f.caption for f in a.figures] == ["党员搬运钢板。", "电解党总支组织党课学习。"]
    assert "。“他们不仅点子多" in a.body
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]+\)", a.body)
    assert "?" not in a.body and "業" not in a.body
    assert all(c.was in (ROOT / a.source.file).read_text(encoding="utf-8") for c in a.corrections)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_line_is_accounted_for(seed: Path) -> None:
    """Each non-blank seed line lies in exactly one article's line range or is dropped."""
    result = split(seed.name[:3])
    ranges = [a.source.lines for a in result.articles]
    dropped = {d.line for d in result.dropped}
    lines = seed.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        owners = [r for r in ranges if r[0] <= number <= r[1]]
        assert len(owners) == 1 or number in dropped, f"{seed.name}:{number}: {line[:30]}"
    spans = sorted(ranges)
    assert all(a[1] < b[0] for a, b in pairwise(spans)), "articles overlap"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_nothing_but_article_text_in_bodies(seed: Path) -> None:
    for a in split(seed.name[:3]).articles:
        for line in a.body.split("\n"):
            assert not re.match(r"^(图[①-⑳]|[上左]图)[：:]", line), line
            assert "版式设计" not in line and "本报记者" not in line and "——编者" not in line
            assert not re.fullmatch(r"（[\u4e00-\u9fff ]{2,12}）", line), line
        for other in (a.byline, a.column, a.kicker):
            assert other is None or other not in a.body.split("\n")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_plus_corrections_is_the_edition(seed: Path) -> None:
    """Every body paragraph is the seed's own text once its corrections are applied
    and the systematic normalisation (script, punctuation, glosses) has run."""
    from duben.importer.repair import detect_script, normalise_line

    raw = seed.read_text(encoding="utf-8")
    script = detect_script(raw)
    for a in split(seed.name[:3]).articles:
        first, last = a.source.lines
        text = "\n".join(raw.split("\n")[first - 1:last])
        printed = text
        for c in a.corrections:
            assert c.was in printed, c
            text = text.replace(c.was, c.now)
        flat = "".join(normalise_line(line, script).strip().lstrip("#").strip()
                       for line in text.split("\n"))
        for para in a.body.split("\n\n"):
            plain = re.sub(r"\\(.)", r"\1", para.removeprefix("> ").removeprefix("## "))
            assert plain in flat, f"{a.path or a.title}: {plain[:40]}"


def test_unrecoverable_garble_is_reported_with_file_and_line() -> None:
    """Without the editors' data in seeds/<name>.yaml, the split names the garbled span
    (and the missing headline), each with file and line."""
    from duben.importer.pagedata import PageData

    seed = next(s for s in SEEDS if s.name.startswith("004"))
    name = f"seeds/{seed.name}"
    result = split_page(seed.read_text(encoding="utf-8"), name, PageData(), load_columns(ROOT))
    data_file = name.removesuffix(".txt") + ".yaml"
    assert [str(p) for p in result.problems] == [
        (f"{name}:4: garbled text '?lián)?dāng)' could not be repaired by rule; "
         f"add a correction for it to {data_file}"),
        f"{name}:1: article has no headline; supply one under supplied_titles in {data_file}",
    ]


def test_a_correction_that_matches_nothing_is_reported_in_the_data_file() -> None:
    from duben.importer.pagedata import parse_page_data

    seed = next(s for s in SEEDS if s.name.startswith("000"))
    name = f"seeds/{seed.name}"
    data = parse_page_data("corrections:\n  - was: 不存在的文字\n    now: 文字\n    note: 测试\n",
                           name.replace(".txt", ".yaml"))
    result = split_page(seed.read_text(encoding="utf-8"), name, data, load_columns(ROOT))
    assert [str(p) for p in result.problems] == [
        f"{name.replace('.txt', '.yaml')}:2: correction 'was' text not found in {name}: '不存在的文字'"
    ]


def test_page_facts_and_layout_credits_go_to_a_page_file_that_editors_own(tmp_path: Path) -> None:
    """seeds/<name>.yaml `page:` and the page's 版式设计 reach content/<page>/page.yaml;
    a page with neither gets no file; a hand edit of the file survives the next split."""
    import shutil

    from duben.importer.split import run_split
    from duben.model.pages import parse_page_info

    for name in ("seeds", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    run_split(tmp_path)
    page = tmp_path / "content/002_518b5102fb447ec0/page.yaml"
    info = parse_page_info(page.read_text(encoding="utf-8"), "page.yaml")
    assert (info.paper, info.name, info.date, info.number) == ("人民日报", "党建", "", "")
    assert info.credits == ("版式设计：沈亦伶 张丹峰",)  # 002:139
    assert not (tmp_path / "content/003_5954ae6e62c5d8cd/page.yaml").exists()  # nothing known
    page.write_text(page.read_text(encoding="utf-8").replace("date: null", "date: 2024-08-05"),
                    encoding="utf-8")
    report = run_split(tmp_path)
    assert "content/002_518b5102fb447ec0/page.yaml" in report.skipped_hand_edited
    assert parse_page_info(page.read_text(encoding="utf-8"), "page.yaml").date == "2024-08-05"


def test_bad_editorial_data_is_reported_with_file_and_line() -> None:
    from duben.errors import DubenError
    from duben.importer.pagedata import parse_page_data
    from duben.model.pages import parse_page_info

    text = ("page:\n  paper: 人民日报\n  date: 2024年8月5日\n"
            "corrections:\n  - was: 甲\n    now: 乙\n    note: 注\n    certainty: maybe\n"
            "  - was: 丙\n    now: 丁\n    note: 注\n    certainty: unresolved\n"
            "  - was: 戊\n    certainty: unresolved\n    note: 存疑的注\n"
            "tags:\n  - where: 某句\n    add: 不是列表\n")
    with pytest.raises(DubenError) as caught:
        parse_page_data(text, "seeds/x.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "seeds/x.yaml:3: page date must be YYYY-MM-DD, got '2024年8月5日'",
        "seeds/x.yaml:5: certainty must be one of sure, conjecture, unresolved, got 'maybe'",
        ("seeds/x.yaml:9: an unresolved passage is kept as printed: leave out 'now' "
        "(or repeat 'was')"),
        "seeds/x.yaml:17: each tags entry needs exactly: where (optional: add, remove)",
    ]
    ok = parse_page_data(text.split("corrections:")[0].replace("2024年8月5日", "2024-08-05")
                         + "corrections:\n  - was: 戊\n    certainty: unresolved\n    note: 注\n",
                         "seeds/x.yaml")
    assert ok.corrections[0].now == "戊" and dict(ok.page)["date"] == "2024-08-05"
    with pytest.raises(DubenError, match=r"^content/x/page.yaml:1: date must be YYYY-MM-DD"):
        parse_page_info("date: 5 August\n", "content/x/page.yaml")
