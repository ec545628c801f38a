"""The HTML markdown-it makes of a body that uses no Markdown but `##` heads and
lines in bold, made without parsing it.

Nearly every article is plain paragraphs, a few section heads and run-in heads in
bold; markdown-it-py spends about 1 ms an article building tokens for them, the
largest single cost of a cold build. `plain_html` recognises such a body line by
line and writes what markdown-it writes; any line it cannot vouch for (a character
that may start inline syntax anywhere, one that may start a block at the start of a
line, whitespace at either end, a tab, a CR, a NUL) makes it answer None, and
markdown-it renders the body. tests/test_markdown_plain.py compares the two on every
body of the real edition and on random text made of the characters that matter.
"""
from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml

# Anywhere in a line: emphasis, code, links and images, autolinks, entities, HTML,
# backslash escapes; tab, CR and NUL are changed or measured by markdown-it.
_INLINE = re.compile(r"[\\`_\[\]<&\t\r\0]")
# At the start of a line (a line with '*' is read as bold or refused first): a
# heading, quote, list, setext underline, fence, ordered list.
_BLOCK_START = re.compile(r"[#>+\-=~]|\d+[.)]")
_HEADING = re.compile(r"(#{1,6}) ([^#*]+)")
# A line wholly in bold (a run-in head, 小标题): both runs of '**' flank the line's ends.
_STRONG = re.compile(r"\*\*([^*]+)\*\*")


def plain_html(text: str, prefix: str) -> tuple[str, list[tuple[str, str, int]]] | None:
    """(html, [(id, text, level) of each h2/h3]) as markdown.md renders `text`
    (ids `{prefix}sec-N`), or None when the body needs the parser."""
    if _INLINE.search(text):
        return None
    # Of what escapeHtml changes, only '>' and '"' can be left ('&' and '<' were refused):
    # a body with neither (nearly all) is its own escape, line by line.
    escape = escapeHtml if ">" in text or '"' in text else str
    out: list[str] = []
    toc: list[tuple[str, str, int]] = []
    para: list[str] = []  # the lines of the paragraph being read, as HTML

    def end_paragraph() -> None:  # a blank line, a heading or the end of the body
        if para:
            out.append("<p>" + "\n".join(para) + "</p>\n")
            para.clear()

    for line in text.split("\n"):
        if not line:
            end_paragraph()
        elif line != line.strip():
            return None
        elif "*" in line:
            strong = _STRONG.fullmatch(line)
            if strong is None or strong.group(1) != strong.group(1).strip():
                return None
            para.append(f"<strong>{escape(strong.group(1))}</strong>")
        elif _BLOCK_START.match(line):
            head = _HEADING.fullmatch(line)
            if head is None or head.group(2) != head.group(2).strip():
                return None
            end_paragraph()
            level, content = len(head.group(1)), head.group(2)
            attrs = ""
            if level in (2, 3):
                anchor = f"{prefix}sec-{len(toc) + 1}"
                toc.append((anchor, content, level))
                attrs = f' id="{escapeHtml(anchor)}"'
            out.append(f"<h{level}{attrs}>{escape(content)}</h{level}>\n")
        else:
            para.append(escape(line))
    end_paragraph()
    return "".join(out), toc
