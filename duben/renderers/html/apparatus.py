"""The small print of a scholarly edition: quotations in notes, bylines, photo labels,
and what is known about the printed page. Pure functions over plain text; the
templates call them as filters."""
from __future__ import annotations

from collections.abc import Sequence

from duben.model.article import Figure
from duben.model.config import PageInfo

CERTAINTY_HEADINGS = {"sure": "校改", "conjecture": "推测", "unresolved": "存疑"}
_SWAP = str.maketrans({"“": "‘", "”": "’", "‘": "“", "’": "”"})
_NUMERALS = "一二三四五六七八九十"
UNKNOWN_DATE = "日期不详"


def nest_quotes(text: str) -> str:
    """Text to be set inside “…”: its own “…” become ‘…’ and its ‘…’ become “…”,
    as Chinese nests quotations (“…‘…’…”)."""
    return text.translate(_SWAP)


def display_byline(byline: str | None) -> str:
    """A byline as lists and headers show it: （王硕） -> 王硕, like every other byline.
    The printed form stays in the content file (and in the source data)."""
    text = (byline or "").strip()
    if text.startswith("（") and text.endswith("）") and text.count("（") == 1:
        return text[1:-1].strip()
    return text


def figure_labels(figures: Sequence[Figure]) -> list[tuple[str, Figure]]:
    """(label to show, figure): a printed label as printed; photos the page left
    unlabelled are told apart as 图一, 图二… when there are several, and get no label
    when alone (a caption that begins 图为… then does not read 图：图为…)."""
    unlabelled = [f for f in figures if f.label == "图"]
    out, n = [], 0
    for f in figures:
        if f.label != "图":
            out.append((f.label, f))
        elif len(unlabelled) > 1:
            out.append((f"图{_NUMERALS[n] if n < len(_NUMERALS) else n + 1}", f))
            n += 1
        else:
            out.append(("", f))
    return out


def page_number(info: PageInfo) -> str:
    """第12版, or 版次不详."""
    return f"第{info.number}版" if info.number else "版次不详"


def print_facts(info: PageInfo) -> str:
    """What the edition knows about where the page was printed, unknowns said so:
    人民日报，党建版，版次不详，日期不详."""
    parts = [info.paper or "报纸名不详"]
    if info.name:
        parts.append(f"{info.name}版")
    parts += [page_number(info), info.date or UNKNOWN_DATE]
    return "，".join(parts)
