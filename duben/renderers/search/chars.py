"""Per-script character maps for cross-script queries, generated from OpenCC at build time.

A query typed in simplified script on the traditional edition (王树军) must find the
traditional text (王樹軍), and the other way round. The search page converts the
query character by character with `search/chars.json` of its edition: every CJK
character that OpenCC converts, mapped to the edition's script, after the words of
data/script.yaml (the exceptions apply to queries too, both ways). Where one simplified
character has several traditional ones (干: 乾/幹), the one this edition's own text
uses most often wins, counted on the aligned text of both scripts.
"""
from __future__ import annotations

import json
from collections import Counter

from duben.model.config import Config
from duben.model.edition import Edition
from duben.model.variant import DEFAULT, VARIANTS, converter, load_exceptions, to_variant
from duben.output import urls

# CJK Unified Ideographs and Extension A: what a reader types with an ordinary IME.
_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))
SAMPLE = 200  # articles aligned to count which of several characters the edition uses


def render_search(edition: Edition, config: Config) -> dict[str, tuple[bytes, str]]:
    """{<prefix>search/chars.json: the map into that script} for every script built;
    a query may be typed in any script, so each maps from all the others."""
    exceptions = load_exceptions(config.root)
    sample = edition.articles[:SAMPLE]
    texts = {s: [a.body for a in to_variant(sample, s, exceptions)] for s in VARIANTS}
    files = {}
    for script in config.scripts:
        others = [s for s in VARIANTS if s != script]
        table = char_map(script)
        for other in others:
            table.update(_preferred(texts[other], texts[script]))
        table = {a: b for a, b in table.items() if a != b}
        # The exception words (data/script.yaml), in the direction of this script: a
        # query is converted word first, then character by character.
        words = {(t if script == DEFAULT else s): (s if script == DEFAULT else t)
                 for s, t in exceptions.pairs}
        data = json.dumps({"words": {w: x for w, x in words.items() if w != x},
                           "chars": table},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files[urls.in_variant(urls.SEARCH_CHARS, script)] = (data.encode("utf-8"),
                                                             "search character map")
    return files


def char_map(script: str) -> dict[str, str]:
    """Every CJK character OpenCC converts into `script`, one by one (no phrases)."""
    chars = [chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1)]
    # One call over all characters, one per line: phrases never span a line break.
    converted = converter(script)("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a conversion that changed the line count
        raise RuntimeError("OpenCC did not convert one character per line")
    return {c: t for c, t in zip(chars, converted) if c != t and len(t) == 1}


def _preferred(source: list[str], target: list[str]) -> dict[str, str]:
    """Each character of `source` -> what the edition turned it into most often."""
    pairs: Counter[tuple[str, str]] = Counter()
    for a, b in zip(source, target):
        if len(a) == len(b):  # OpenCC kept the text aligned character for character
            pairs.update(zip(a, b))
    best: dict[str, str] = {}
    for (a, b), _ in pairs.most_common():  # most frequent first; ties in text order
        best.setdefault(a, b)
    return best
