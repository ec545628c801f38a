"""Read a normalised page as typed blocks: what each printed line *is*.

A block is one non-blank seed line, or several lines that the layout split
mid-sentence and we rejoined. Classification looks only at a line and its
neighbours; deciding which article a block belongs to is `segment`'s job.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum


class Kind(Enum):
    PARA = "paragraph"
    HEADING = "heading"  # a display line: kicker, title, column, section head
    SERIES = "series"  # 深度关注·…④, 健全全面从严治党体系②
    BYLINE = "byline"  # 本报记者 姜峰 / 耿磊 (before or right after a title)
    END_BYLINE = "end-byline"  # （王硕） closing an article
    PHOTO_BYLINE = "photo-byline"  # 任锁生 摄影报道
    CAPTION = "caption"  # 图①：… / 上图：… / a lone short sentence beside a photo
    CREDIT = "credit"  # 以上图片均为…提供 / 版式设计：…
    EDITOR_SIGN = "editor-sign"  # ——编者
    NOTICE_LABEL = "notice-label"  # 公益广告


@dataclass(frozen=True)
class Block:
    """One printed unit with the seed lines it came from (1-based, inclusive)."""

    kind: Kind
    text: str
    first: int
    last: int
    marked: bool = False  # the seed put a Markdown '#' before it


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
HAN = r"[\u3400-\u9fff]"
_TERMINAL = "。！？…"
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤耿常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝扈"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")
ROLES = ("本报记者", "本报通讯员", "本报特约记者", "记者", "通讯员", "特约记者")
_LABEL = re.compile(r"^(图[" + CIRCLED + r"\d]*|[上下左右中]图)[：:]\s*")
_CREDIT_START = re.compile(r"(?=以上图片|本版图片|版式设计|制图|图片来源)")
_PHOTO_CREDIT = re.compile(r"^(?P<names>.+?)\s*(摄影报道|摄影|摄)$")


def is_name(token: str) -> bool:
    """A plausible personal name: 2-3 Han characters from a known surname (4 if compound)."""
    if not re.fullmatch(HAN + "{2,4}", token):
        return False
    if len(token) == 4:
        return token[:2] in _COMPOUND_SURNAMES
    return token[0] in _SURNAMES or token[:2] in _COMPOUND_SURNAMES


def names_in(text: str) -> tuple[str, ...]:
    """The personal names in a credit-like text, role words dropped."""
    return tuple(t for t in re.split(r"[\s、，]+", text) if t and t not in ROLES and is_name(t))


def is_terminal(text: str) -> bool:
    """Does the text end a sentence (closing quotes/brackets after 。！？… count)?"""
    stripped = text.rstrip("”’」』）》")
    return bool(stripped) and stripped[-1] in _TERMINAL


def split_credits(text: str) -> tuple[str, ...]:
    """'以上图片均为X提供 版式设计：Y' -> two credits; names after a credit stay with it."""
    return tuple(p.strip() for p in _CREDIT_START.split(text) if p.strip())


def is_layout_credit(text: str) -> bool:
    """A credit for the page's layout (版式设计：…): it belongs to the page, not an article."""
    return text.startswith(("版式设计", "版面设计"))


def is_shared_credit(text: str) -> bool:
    """A credit for several photos or the page (以上图片…, 版式设计…), not for one photo."""
    return _CREDIT_START.match(text) is not None


def caption_parts(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(label, caption, credits) for a labelled caption line, else None."""
    m = _LABEL.match(text)
    if not m:
        return None
    label, rest = m.group(1), text[m.end():]
    end = max(rest.rfind(ch) for ch in _TERMINAL + "”）")
    caption, tail = (rest[: end + 1], rest[end + 1:]) if end >= 0 else (rest, "")
    credits: list[str] = []
    for part in split_credits(tail):
        credits.extend(p for p in re.split(r"\s+(?=\S+摄$)", part) if p)
    return label, caption.strip(), tuple(credits)


def classify(text: str, marked: bool) -> Kind:
    """The kind of one line judged on its own (context comes later)."""
    if re.fullmatch(r"——\s*编者(按)?", text):
        return Kind.EDITOR_SIGN
    if text in ("公益广告", "广告"):
        return Kind.NOTICE_LABEL
    if _LABEL.match(text):
        return Kind.CAPTION
    if _CREDIT_START.match(text):
        return Kind.CREDIT
    if re.fullmatch(r"（[^（）]+）", text) and names_in(text[1:-1]):
        return Kind.END_BYLINE
    photo = _PHOTO_CREDIT.match(text)
    if photo and names_in(photo.group("names")) and len(text) <= 20:
        return Kind.PHOTO_BYLINE
    if any(text.startswith(r) for r in ROLES) and names_in(text):
        return Kind.BYLINE
    tokens = text.split()
    if tokens and all(is_name(t) for t in tokens) and len(tokens) <= 4 and len(text) <= 16:
        return Kind.BYLINE
    if len(text) <= 40 and text[-1] in CIRCLED and not is_terminal(text[:-1]):
        return Kind.SERIES
    if marked or text.endswith("——") or _looks_like_heading(text):
        return Kind.HEADING
    return Kind.PARA


def _looks_like_heading(text: str) -> bool:
    """Display lines: spaced phrases (组织建在产业链 党建引领产业兴) or a short
    'clause，clause' head (搭平台，把党组织建在产业链上); never a sentence."""
    if is_terminal(text) or len(text) > 32:
        return False
    if re.search(HAN + r"[”」]?\s+[“「]?" + HAN, text):
        return True
    bare = text.strip("“”")
    return bool(re.fullmatch(r"[^，：；。“”]{2,6}，[^，：；。“”]{3,20}", bare)) or (
        text.startswith("“") and text.endswith("”") and len(text) <= 24
    )


def is_lone_caption(text: str) -> bool:
    """A very short single sentence standing alone: an unlabelled photo caption."""
    return len(text) <= 16 and text.endswith("。") and not re.search(r"[，；：“”、]", text[:-1])


def _quote_balance(text: str) -> int:
    return text.count("“") - text.count("”")


def read_blocks(lines: list[str], is_column: Callable[[str], bool] = lambda _: False) -> list[Block]:
    """Typed blocks from normalised lines (index 0 is seed line 1).

    `is_column` recognises the newspaper's known column names, which look like
    any short line of text but must never be joined onto a paragraph.
    """
    blocks: list[Block] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        marked = text.startswith("#")
        text = text.lstrip("#").strip()
        if text:
            kind = Kind.HEADING if is_column(text) else classify(text, marked)
            blocks.append(Block(kind, text, number, number, marked))
    return _rejoin(_lone_captions(_display_lines(blocks)))


def _display_lines(blocks: list[Block]) -> list[Block]:
    """Short unfinished lines that are display lines, not paragraph fragments: set
    directly above a series line (a column name) or a byline (a headline), or a
    very short unpunctuated line after a finished paragraph (a column name: too
    short to be the first line of a paragraph the layout broke)."""
    out = list(blocks)
    for i in range(len(out) - 1):
        b, after = out[i], out[i + 1].kind
        if b.kind is not Kind.PARA or is_terminal(b.text):
            continue
        bare = not re.search(r"[，。：；！？、,.:;!?]", b.text)
        before = out[i - 1] if i else None
        after_finished = before is None or before.kind is not Kind.PARA or is_terminal(before.text)
        if (after is Kind.SERIES and len(b.text) <= 12 and bare) \
                or (after is Kind.BYLINE and len(b.text) <= 32) \
                or (after is Kind.PARA and len(b.text) <= 8 and bare and after_finished):
            out[i] = replace(b, kind=Kind.HEADING)
    return out


def _lone_captions(blocks: list[Block]) -> list[Block]:
    """A lone short sentence between a paragraph and a heading is a photo caption."""
    out = list(blocks)
    for i in range(1, len(out) - 1):
        b = out[i]
        if b.kind is Kind.PARA and is_lone_caption(b.text) \
                and out[i - 1].kind is Kind.PARA and out[i + 1].kind is Kind.HEADING:
            out[i] = replace(b, kind=Kind.CAPTION)
    return out


def _rejoin(blocks: list[Block]) -> list[Block]:
    """Join paragraphs the layout broke mid-sentence (or mid-quotation)."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.kind is Kind.PARA and b.kind is Kind.PARA and (
            not is_terminal(prev.text)
            or (_quote_balance(prev.text) > 0 and _quote_balance(b.text) < 0
                and not b.text.startswith("“"))
        ):
            out[-1] = replace(prev, text=prev.text + b.text, last=b.last)
        else:
            out.append(b)
    return out


@dataclass(frozen=True)
class DroppedLine:
    """A seed line that belongs to no article text (layout matter), with the reason."""

    line: int
    text: str
    reason: str


@dataclass
class Group:
    """The blocks of one article while the page is being cut (made by segment, read by reading)."""

    header: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    trailer: list[Block] = field(default_factory=list)
    closed: bool = False

    def untitled(self) -> bool:
        headings = [b for b in self.header if b.kind is Kind.HEADING]
        return not any(b.kind is Kind.BYLINE for b in self.header) and len(headings) <= 1
