"""View data for templates: everything an article page shows that is derived, not stored.

Pure functions of (edition, config, article); no I/O, no HTML except the body we
rendered ourselves and the JSON-LD we serialise ourselves.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from duben.model.article import Article, Correction
from duben.model.config import Config
from duben.model.edition import Edition, Group, Neighbours, Page, SeriesGroup
from duben.output import urls
from duben.renderers.html.apparatus import UNKNOWN_DATE
from duben.renderers.html.markdown import Body, Heading, render_body

READING_SPEED = 300  # Han characters per minute: the slow end of 300-400, for study reading
# Everything but Han characters, in runs: removing them leaves the Han count, three
# times faster than listing every Han character (the body is mostly Han).
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# UTF-16 high bytes of blocks wholly Han (U+3400-4CFF, U+4E00-9FFF, U+F900-FAFF), and
# of the partly Han block and the surrogates, which the pattern counts instead.
_NOT_HAN_BLOCKS = bytes(b for b in range(256)
                        if not (0x34 <= b <= 0x4C or 0x4E <= b <= 0x9F or b in (0xF9, 0xFA)))
_PARTLY_HAN = re.compile(rb"[\x4d\xd8-\xdf]")
SCRIPT_NAMES = {"zh-Hans": "简体", "zh-Hant": "繁体"}
SCRIPT_LABELS = {"zh-Hans": "简体", "zh-Hant": "繁體"}  # each in its own script: the switch
KIND_NAMES = {"article": "通讯", "commentary": "评论", "profile": "人物", "brief": "简讯",
              "photo": "图片报道", "notice": "其他内容"}


def ordinal(n: int) -> str:
    """The printed ordinal: 4 -> ④ (circled digits exist up to ㊿)."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


@lru_cache(maxsize=1024)  # a series' print page counts its installments' bodies again
def han_count(text: str) -> int:
    """Han characters only: punctuation, digits and Latin letters are not 'characters read'.

    Counted from each character's high byte in UTF-16, which names its block of 256:
    bytes are filtered in C, three times faster than the pattern on a body. A text
    with a character of the one block only partly Han (U+4D00-4DFF) or beyond the
    BMP (surrogates) is counted by the pattern instead; a test compares the two."""
    high = text.encode("utf-16-le", "surrogatepass")[1::2]
    if _PARTLY_HAN.search(high):
        return len(_NOT_HAN.sub("", text))
    return len(high.translate(None, _NOT_HAN_BLOCKS))


def reading_minutes(han: int) -> int:
    """Whole minutes at READING_SPEED, rounded up; never 0 for a real article."""
    return max(1, math.ceil(han / READING_SPEED))


@dataclass(frozen=True)
class Note:
    """One 校勘记 entry; `placed`: the body has a marker linking here; else `where` it is."""

    number: int
    correction: Correction
    placed: bool
    where: str  # 正文, 标题, 引题, 副题, 署名, 编者按, 图片说明, 其他署名, or "" if not found


@dataclass(frozen=True)
class ArticleView:
    """Everything article.html shows."""

    article: Article
    page: Page
    body: Body
    toc: tuple[Heading, ...]  # empty unless the body has two or more sections
    notes: tuple[Note, ...]
    han_count: int
    minutes: int
    series: SeriesGroup | None
    column: Group | None
    tags: tuple[Group, ...]
    authors: tuple[Group, ...]
    near: Neighbours
    citation: str
    canonical: str
    cited_on: str  # the 引用日期 in `citation`: the edition's date until the reader's JS sets today
    prefix: str  # before every id in the article, so several can share a page
    lang: str  # the edition's script

    # Made when a template reads them: only the article page does, not the print copies.
    @property
    def json_ld(self) -> Markup:
        return json_ld(self.article, self.page, self.canonical, self.han_count, self.lang)

    @property
    def summary(self) -> str:
        """Plain text for <meta name="description">."""
        return plain_summary(self.article)


def article_view(edition: Edition, config: Config, a: Article, prefix: str = "",
                 lang: str = "zh-Hans") -> ArticleView:
    page = edition.page_of[a.page]
    corrections = reading_order(a)
    body = render_body(a.body, [c.now for c in corrections], prefix,
                       [c.certainty for c in corrections])
    count = han_count(a.body)
    canonical = urls.absolute(config.base_url, urls.article(a.slug))
    return ArticleView(
        article=a, page=page, body=body,
        toc=body.toc if len(body.toc) >= 2 else (),
        notes=tuple(Note(n, c, n in body.placed, "正文" if n in body.placed else _where(a, c.now))
                    for n, c in enumerate(corrections, 1)),
        han_count=count, minutes=reading_minutes(count),
        series=edition.series_of.get(a.slug), column=edition.column_of.get(a.slug),
        tags=edition.tags_of[a.slug], authors=edition.authors_of[a.slug],
        near=edition.neighbours[a.slug],
        citation=citation(a, page, config, canonical), canonical=canonical,
        cited_on=config.updated,
        prefix=prefix,
        lang=lang,
    )


def reading_order(a: Article) -> tuple[Correction, ...]:
    """Corrections numbered as a reader meets them: by first place in the body, others last.

    The front matter lists them in whatever order split found them; the notes, the
    markers and the corrections page all number them in this order instead.
    """
    def key(item: tuple[int, Correction]) -> tuple[int, int]:
        i, c = item
        at = a.body.find(c.now) if c.now else -1
        return (at if at >= 0 else len(a.body), i)

    return tuple(c for _, c in sorted(enumerate(a.corrections), key=key))


def _where(a: Article, text: str) -> str:
    """Which metadata field holds a correction the body does not (markers go in the body only)."""
    fields = (("标题", a.title), ("引题", a.kicker), ("副题", a.subtitle), ("署名", a.byline),
              ("编者按", a.editors_note),
              ("图片说明", " ".join(f.caption for f in a.figures)),
              ("其他署名", " ".join(a.credits)))
    return next((name for name, value in fields if text and value and text in value), "")


def full_title(a: Article) -> str:
    """Title with subtitle, as cited: 主标题——副题."""
    return f"{a.title}——{a.subtitle}" if a.subtitle else a.title


def citation(a: Article, page: Page, config: Config, canonical: str) -> str:
    """GB/T 7714—2015, newspaper article online:
    作者. 题名[N/OL]. 报纸名, 出版日期(版次)[引用日期]. URL.

    Only what the page's data says: an unknown date reads [日期不详], an unknown paper
    leaves the edition and page label in its place; the 引用日期 is the edition's date.
    """
    names = list(a.authors[:3]) + (["等"] if len(a.authors) > 3 else [])
    who = f"{', '.join(names)}. " if names else ""
    info = page.info
    where = info.paper or f"{config.title}, {page.label}"
    when = (info.date or f"[{UNKNOWN_DATE}]") + (f"({info.number})" if info.number else "")
    return f"{who}{full_title(a)}[N/OL]. {where}, {when}[{config.updated}]. {canonical}."


def json_ld(a: Article, page: Page, canonical: str, count: int,
            lang: str = "zh-Hans") -> Markup:
    """schema.org NewsArticle, serialised by us; '<' escaped so it cannot close the script.
    Print facts (date, edition, page, section) only when the page's data gives them."""
    info = page.info
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "url": canonical,
        "inLanguage": lang,
        "wordCount": count,
    }
    if info.name or a.column:
        data["printSection"] = info.name or a.column
    if info.number:
        data["printPage"] = info.number
    if info.paper and info.date:
        data["printEdition"] = f"{info.paper} {info.date}"
    if a.subtitle:
        data["alternativeHeadline"] = a.subtitle
    if a.authors:
        data["author"] = [{"@type": "Person", "name": n} for n in a.authors]
    if a.tags:
        data["keywords"] = list(a.tags)
    if a.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": a.series.name}
        data["position"] = a.series.number
    if info.date:
        data["datePublished"] = info.date
    if info.paper:
        data["publisher"] = {"@type": "Organization", "name": info.paper}
    # One line: an indented dump goes through json's Python encoder, 3x slower (every page).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def plain_summary(a: Article, limit: int = 120) -> str:
    """A plain-text summary for the feed and meta description: editor's note or first paragraph."""
    text = a.editors_note or _first_paragraph(a.body)
    text = re.sub(r"[*_`#>\[\]]", "", text).strip()
    return text if len(text) <= limit else text[:limit] + "……"


def _first_paragraph(body: str) -> str:
    """The body's first paragraph that is not a heading (or ""), found without
    splitting the whole body: the feed and every article page ask for it."""
    start = 0
    while True:
        end = body.find("\n\n", start)
        paragraph = body[start:] if end < 0 else body[start:end]
        if not paragraph.startswith("#"):
            return paragraph
        if end < 0:
            return ""
        start = end + 2
