"""Article bodies to HTML: one markdown-it-py parser, configured once, two plugins.

`html=False`, so raw HTML in a body is shown as text, never passed through.
Plugins (core rules, run after inline parsing):
- section ids: `## heads` get stable ids `sec-1`, `sec-2`... (optionally prefixed; not derived from the
  Chinese text, which changes between scripts) and are collected for the TOC;
- correction markers: an occurrence of each correction's `now` text (the first after
  the previous marker, else the first unmarked one) is wrapped and followed by a
  numbered link to its 校勘记 note, after the end of the word it ends in (电解党总支[2]).
  Corrections carry no position, so this is the best placement the data allows. A
  conjecture and an unresolved passage (存疑) are marked differently from a sure fix.
Images are shown as their alt text: the edition has no images and loads nothing.
A body without corrections that is only paragraphs, `##` heads and bold lines (nearly
every article) is written by plain.py as this parser would write it, without a parse.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from duben.model.body import MAX_NESTING
from duben.renderers.html.breaks import word_end
from duben.renderers.html.plain import plain_html

# What the marker after a corrected passage says, by certainty: [2], [3疑], [4存疑].
MARK_SUFFIX = {"sure": "", "conjecture": "疑", "unresolved": "存疑"}
CERTAINTY_NAMES = {"sure": "校改", "conjecture": "推测", "unresolved": "存疑"}


@dataclass(frozen=True)
class Heading:
    """A section head, for the table of contents."""

    id: str
    text: str
    level: int


@dataclass(frozen=True)
class Body:
    """A rendered body: HTML we produced, its section heads, and which corrections got a marker."""

    html: str
    toc: tuple[Heading, ...]
    placed: frozenset[int]  # 1-based numbers of corrections with a marker in the body


def correction_id(number: int, prefix: str = "") -> str:
    """Anchor of the 校勘记 note `number` (the marker links here)."""
    return f"{prefix}jk-{number}"


def correction_ref_id(number: int, prefix: str = "") -> str:
    """Anchor of the marker in the body (the note links back here)."""
    return f"{prefix}jk-ref-{number}"


def section_ids_plugin(md: MarkdownIt) -> None:
    def section_ids(state: StateCore) -> None:
        toc: list[Heading] = state.env.setdefault("toc", [])
        tokens = state.tokens
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag in ("h2", "h3"):
                anchor = f"{state.env.get('prefix', '')}sec-{len(toc) + 1}"
                token.attrSet("id", anchor)
                toc.append(Heading(anchor, tokens[i + 1].content, int(token.tag[1])))

    md.core.ruler.push("section_ids", section_ids)


def correction_markers_plugin(md: MarkdownIt) -> None:
    def correction_markers(state: StateCore) -> None:
        placed: set[int] = state.env.setdefault("placed", set())
        inlines = [t for t in state.tokens if t.type == "inline" and t.children]
        # Corrections usually come in reading order, so look after the previous marker
        # first; only then from the top (the same words may occur earlier in the text).
        cursor = (0, 0)
        kinds = state.env.get("kinds", ())
        for number, now in enumerate(state.env.get("corrections", ()), start=1):
            kind = kinds[number - 1] if number <= len(kinds) else "sure"
            found = now and (_mark(inlines, now, number, cursor, kind)
                             or _mark(inlines, now, number, (0, 0), kind))
            if found:
                placed.add(number)
                cursor = found

    md.core.ruler.push("correction_markers", correction_markers)
    md.add_render_rule("correction_ref", _render_correction_ref)
    md.add_render_rule("corrected_text", _render_corrected_text)


def _mark(inlines: list[Token], now: str, number: int,
          start: tuple[int, int], kind: str = "sure") -> tuple[int, int] | None:
    """Mark the first occurrence of `now` at or after `start`; return the position after it."""
    for i in range(start[0], len(inlines)):
        children = inlines[i].children or []
        for j in range(start[1] if i == start[0] else 0, len(children)):
            child = children[j]
            if child.type != "text" or now not in child.content:
                continue
            at = child.content.index(now)
            end = word_end(child.content, at + len(now))  # the marker goes after the word
            before, rest, after = (child.content[:at], child.content[at + len(now):end],
                                   child.content[end:])
            new = [Token("text", "", 0, content=before)] if before else []
            new += [Token("corrected_text", "", 0, content=now, meta={"kind": kind})]
            new += [Token("text", "", 0, content=rest)] if rest else []
            new += [Token("correction_ref", "", 0, meta={"number": number, "kind": kind})]
            new += [Token("text", "", 0, content=after)] if after else []
            children[j: j + 1] = new
            return (i, j + len(new) - (1 if after else 0))
    return None


def _render_correction_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    n, prefix, kind = tokens[idx].meta["number"], env.get("prefix", ""), tokens[idx].meta["kind"]
    # The name holds the visible text ([2疑]) and says what the mark means.
    label = f"校勘记 {n}" + (f"{MARK_SUFFIX[kind]}（{CERTAINTY_NAMES[kind]}）" if kind != "sure" else "")
    return (f'<sup class="correction-ref correction-{kind}" id="{correction_ref_id(n, prefix)}">'
            f'<a href="#{correction_id(n, prefix)}" aria-label="{label}">'
            f'[{n}{MARK_SUFFIX[kind]}]</a></sup>')


def _render_corrected_text(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    kind = tokens[idx].meta["kind"]
    return f'<span class="corrected corrected-{kind}">{escapeHtml(tokens[idx].content)}</span>'


def _render_image_as_text(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return f'<span class="image-alt">{escapeHtml(alt)}</span>' if alt else ""


# maxNesting: the loader (model/body.py) refuses anything deeper, so nothing is cut here.
md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False,
                               "maxNesting": MAX_NESTING})
md.use(section_ids_plugin).use(correction_markers_plugin)
md.add_render_rule("image", _render_image_as_text)


def render_body(text: str, corrections: Sequence[str] = (), prefix: str = "",
                kinds: Sequence[str] = ()) -> Body:
    """Render a Markdown body; `corrections` are the `now` texts, in note order, and
    `kinds` their certainties (sure when not given).

    `prefix` goes before every id, so several bodies can share one page (print views).
    A body is parsed once for all its prefixes: it is rendered with NUL as the prefix
    (markdown-it turns any NUL of the text into U+FFFD, so only our ids hold one),
    and each copy replaces it.
    """
    body = _render_once(text, tuple(corrections), tuple(kinds))
    if not body.toc and not body.placed:
        return body
    return Body(body.html.replace("\0", prefix),
                tuple(Heading(h.id.replace("\0", prefix), h.text, h.level) for h in body.toc),
                body.placed)


@lru_cache(maxsize=512)
def _render_once(text: str, corrections: tuple[str, ...], kinds: tuple[str, ...]) -> Body:
    plain = None if corrections else plain_html(text, "\0")  # most bodies: no parse
    if plain is not None:
        return Body(plain[0], tuple(Heading(*h) for h in plain[1]), frozenset())
    env: dict[str, Any] = {"corrections": corrections, "prefix": "\0", "kinds": kinds}
    html = md.render(text, env)
    return Body(html, tuple(env.get("toc", ())), frozenset(env.get("placed", ())))
