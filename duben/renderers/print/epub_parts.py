"""Pieces of the EPUB that are not ebooklib's job: the cover image and reproducible
zip bytes."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from duben.renderers.print.view import PrintEdition

_LINE = 14  # characters per line of the description on the cover
_NO_LINE_START = "，。、：；！？）」』”’》〉】…—·"


def cover_svg(book: PrintEdition) -> str:
    """A plain typographic cover (600×800): title, description, count and date. SVG
    text stays text, so the cover is as sharp as the reader's screen and as small as
    a paragraph; the reader's own CJK font draws it."""
    lines = wrap_cjk(book.description, _LINE)
    text = "".join(
        f'<text x="300" y="{400 + 36 * n}" font-size="24">{escape(line)}</text>'
        for n, line in enumerate(lines))
    bottom = 400 + 36 * len(lines) + 80
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 600 800" '
        f'width="600" height="800" xml:lang="{escape(book.language)}">'
        f'<title>{escape(book.title)}</title>'
        '<rect width="600" height="800" fill="#fbf8f1"/>'
        '<rect x="30" y="30" width="540" height="740" fill="none" stroke="#9b1c1c" '
        'stroke-width="3"/>'
        '<g text-anchor="middle" fill="#1a1a1a" font-family="serif">'
        f'<text x="300" y="260" font-size="72" fill="#9b1c1c">{escape(book.title)}</text>'
        f'{text}'
        f'<text x="300" y="{bottom}" font-size="22">收录文章 {book.count} 篇</text>'
        f'<text x="300" y="{bottom + 40}" font-size="22">{escape(book.date)}</text>'
        '</g></svg>\n')


def wrap_cjk(text: str, width: int) -> list[str]:
    """Lines of about `width` characters; a closing mark (，。、」…) never starts a line
    (the rule of 禁则): it stays at the end of the line before, one over the width."""
    lines: list[str] = []
    for char in text:
        if lines and (len(lines[-1]) < width or char in _NO_LINE_START):
            lines[-1] += char
        else:
            lines.append(char)
    return lines


def fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same zip with every entry dated `when` (zipfile stamps the clock), mimetype
    first and stored, as OCF requires; the same edition then gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, stamp)
            stored = info.filename == "mimetype"
            fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
