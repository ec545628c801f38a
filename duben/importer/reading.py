"""Read one article's blocks into an Article: who wrote it, what it is, what is body."""
from __future__ import annotations

import re
from dataclasses import dataclass

from duben.errors import Problem
from duben.importer.blocks import (
    CIRCLED,
    HAN,
    Block,
    DroppedLine,
    Group,
    Kind,
    caption_parts,
    is_layout_credit,
    is_shared_credit,
    is_terminal,
    names_in,
    split_credits,
)
from duben.importer.pagetext import PreparedPage, data_path
from duben.model.article import Article, Figure, Series, Source
from duben.model.columns import Columns
from duben.slugs import slugify

BRIEF_LIMIT = 800  # Han characters: shorter untitled-section pieces are briefs


@dataclass(frozen=True)
class GroupResult:
    article: Article | None
    dropped: tuple[DroppedLine, ...]
    problems: tuple[Problem, ...]
    layout_credits: tuple[str, ...] = ()  # 版式设计：… printed with this article: the page's


def read_group(
    group: Group, order: int, seed_file: str, page: PreparedPage, columns: Columns
) -> GroupResult:
    """The Article for one group of blocks (or a problem saying what is missing)."""
    blocks = group.header + group.body + group.trailer
    first, last = min(b.first for b in blocks), max(b.last for b in blocks)
    head = _read_header(group.header, columns)
    tail = _read_trailer(group.trailer)
    headings, column = list(head.headings), head.column
    if tail.title is not None and headings and column is None:
        column = headings.pop(0).strip("“”")  # the line that opened it was its column
    kicker = headings.pop(0) if len(headings) > 1 and headings[0].endswith("——") else None
    title = headings.pop(0) if headings else tail.title
    title = unbreak_headline(title) if title else title
    is_notice = tail.kind == "notice"
    subtitle = " ".join(headings) if headings and not is_notice else None

    editors_note, body_blocks, signature = _editors_note(group.body)
    dropped = tail.dropped + signature
    paragraphs = [b for b in body_blocks if b.kind is Kind.PARA]
    body, photo_captions = render_body(body_blocks, headings if is_notice else [])

    supplied = [t for line, t in page.supplied_titles if first <= line <= last]
    if supplied:
        title = supplied[0]
    if not title:
        return GroupResult(None, dropped, (Problem(
            seed_file, first,
            f"article has no headline; supply one under supplied_titles in {data_path(seed_file)}",
        ),))
    byline = head.byline or tail.byline
    article = Article(
        slug=slugify(title),
        title=title,
        title_supplied=bool(supplied),
        kicker=kicker,
        subtitle=subtitle,
        byline=byline,
        authors=names_in(re.sub(r"[（）]|摄影报道|摄影", " ", byline)) if byline else (),
        column=column,
        series=head.series,
        kind=tail.kind or _kind(column, tail.title is not None, body, columns),
        editors_note=editors_note,
        figures=tail.figures + tuple(Figure("图", c) for c in photo_captions),
        credits=tail.credits,
        truncated=bool(paragraphs) and not is_terminal(paragraphs[-1].text),
        original_script=page.script,
        corrections=tuple(c for line, c in page.corrections if first <= line <= last),
        source=Source(seed_file, order, (first, last)),
        body=body,
    )
    return GroupResult(article, dropped, (), tail.layout)


@dataclass(frozen=True)
class _Header:
    """What an article's opening display lines say."""

    series: Series | None
    column: str | None
    headings: tuple[str, ...]  # kicker, title, subtitle (or the trailing title's column)
    byline: str | None


@dataclass(frozen=True)
class _Trailer:
    """What the lines after an article's body say."""

    title: str | None  # a title printed after the body (commentary)
    byline: str | None
    kind: str | None  # photo or notice, when the trailer shows it
    figures: tuple[Figure, ...]
    credits: tuple[str, ...]
    dropped: tuple[DroppedLine, ...]
    layout: tuple[str, ...] = ()


def _read_header(header: list[Block], columns: Columns) -> _Header:
    series, column, byline, headings = None, None, None, []
    for b in header:
        if b.kind is Kind.SERIES:
            series = Series(b.text[:-1].strip(), CIRCLED.index(b.text[-1]) + 1)
        elif b.kind is Kind.BYLINE:
            byline = b.text
        elif columns.name_of(b.text) and column is None and not headings:
            column = columns.name_of(b.text)
        else:
            headings.append(b.text)
    return _Header(series, column, tuple(headings), byline)


def _read_trailer(trailer: list[Block]) -> _Trailer:
    title, byline, kind = None, None, None
    figures, credits, dropped = [], [], []
    for b in trailer:
        if b.kind is Kind.HEADING:
            title = b.text
        elif b.kind in (Kind.BYLINE, Kind.END_BYLINE):
            byline = b.text
        elif b.kind is Kind.PHOTO_BYLINE:
            byline, kind = b.text, "photo"
        elif b.kind is Kind.CAPTION:
            # A photo credit printed after its caption (马欣悦摄) is that photo's; shared
            # credits (以上图片…, 版式设计…) are the article's or the page's.
            label, caption, more = caption_parts(b.text) or ("图", b.text, ())
            own = " ".join(c for c in more if not is_shared_credit(c))
            figures.append(Figure(label, caption, own))
            credits.extend(c for c in more if is_shared_credit(c))
        elif b.kind is Kind.CREDIT:
            credits.extend(split_credits(b.text))
        elif b.kind is Kind.NOTICE_LABEL:
            kind = "notice"
            dropped.append(DroppedLine(b.first, b.text, "notice label (公益广告)"))
    layout = tuple(c for c in credits if is_layout_credit(c))
    return _Trailer(title, byline, kind, tuple(figures),
                    tuple(c for c in credits if c not in layout), tuple(dropped), layout)


def _editors_note(body: list[Block]) -> tuple[str | None, list[Block], tuple[DroppedLine, ...]]:
    """(the 编者按 paragraphs signed ——编者, the body after it, the signature line)."""
    sign = next((i for i, b in enumerate(body) if b.kind is Kind.EDITOR_SIGN), None)
    if sign is None:
        return None, list(body), ()
    note = "\n\n".join(b.text for b in body[:sign] if b.kind is Kind.PARA)
    signature = DroppedLine(body[sign].first, body[sign].text, "editor's note signature")
    return note, list(body[sign + 1:]), (signature,)


def _kind(column: str | None, title_after_body: bool, body: str, columns: Columns) -> str:
    """The column's kind; else a title printed after the body marks a commentary;
    else short pieces without sections are briefs."""
    if column in columns.kinds:
        return columns.kinds[column]
    if title_after_body:
        return "commentary"
    short = len(re.findall(HAN, body)) < BRIEF_LIMIT
    return "brief" if short and not body.startswith("## ") and "\n## " not in body else "article"


def unbreak_headline(text: str) -> str:
    """Remove layout line breaks (printed as spaces) from a headline.

    Two spaced parts are the parallel halves of a Chinese headline (组织建在产业链
    党建引领产业兴) and keep their space; three or more are one sentence the layout
    broke over several lines (华阳二矿 以文体活动 增强职工凝聚力).
    """
    parts = text.split()
    return "".join(parts) if len(parts) >= 3 else " ".join(parts)


def render_body(blocks: list[Block], extra_lines: list[str]) -> tuple[str, list[str]]:
    """Markdown for the body, and the photo captions (图为…) taken out of it."""
    out: list[str] = [escape(line) for line in extra_lines]
    captions: list[str] = []
    pending_head = ""
    for b in blocks:
        if b.kind is Kind.HEADING:
            pending_head += b.text
            if not b.text.endswith("——"):
                out.append("## " + escape(pending_head))
                pending_head = ""
            continue
        if pending_head:
            out.append("## " + escape(pending_head))
            pending_head = ""
        if b.kind is not Kind.PARA:
            continue
        text, caption = _split_photo_caption(b.text)
        if caption:
            captions.append(caption)
        if text:
            out.append(escape(text))
    if pending_head:
        out.append("## " + escape(pending_head))
    paragraphs = [p for p in out if not p.startswith("## ")]
    if len(paragraphs) > 1 and _is_pull_quote(paragraphs[0], paragraphs[1:]):
        out[out.index(paragraphs[0])] = "> " + paragraphs[0]
    return "\n\n".join(out), captions


def _split_photo_caption(text: str) -> tuple[str, str | None]:
    """'…文体活动。图为5月18日…现场。' -> the text, and its closing 图为 sentence."""
    m = re.search(r"(?:^|(?<=[。！？]))(图为[^。！？]*[。！？])$", text)
    if not m:
        return text, None
    return text[: m.start()].strip(), m.group(1)


def _is_pull_quote(first: str, rest: list[str]) -> bool:
    """A quoted sentence set above the body that the body repeats later (题记)."""
    inner = first.strip("“”")
    return (first.startswith("“") and first.endswith("”") and len(inner) >= 10
            and first.count("“") == 1 and any(inner in p for p in rest))


_MD_LEADING = re.compile(r"^(\s*)([#>+\-*=]|\d+[.)])")


def escape(text: str) -> str:
    """Keep printed text literal in Markdown: no accidental lists, headings or HTML."""
    text = re.sub(r"([\\`*_<>\[\]])", r"\\\1", text)
    return _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)
