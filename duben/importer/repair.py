"""Repair the text damage an old conversion tool left in the seeds, one line at a time.

Order matters (see `pagetext.prepare_page`): `repair_mojibake` must see the exact seed
bytes' characters, and `strip_pinyin_glosses` must run before `to_simplified`, because
OpenCC converts a character by its neighbours and a gloss splits words apart
(`乾(qián)隆` becomes `干(qián)隆`, while `乾隆` stays `乾隆`). Punctuation comes last,
so that the neighbours it looks at are the final characters.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import opencc
from pypinyin.pinyin_dict import pinyin_dict


@dataclass(frozen=True)
class Fix:
    """One recorded change to the words."""

    was: str  # exact seed text of the span
    now: str  # repaired text, still in the page's own script (the caller converts)
    note: str  # short note for the corrections list


@dataclass(frozen=True)
class Garble:
    """Garbage that no rule could repair; editors fix it in the page's data file."""

    start: int  # offset into the line
    end: int
    text: str


FOLDED = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
UNFOLDED = {v: k for k, v in FOLDED.items()}
PLACEHOLDERS = "?\ufffd"  # what a decoder wrote for a byte it could not place
BROKEN = re.compile("[\ufffd\ue000-\uf8ff]")  # replacement and private-use characters
COMMON_PUNCT = frozenset("。，、；：？！“”‘’（）《》…—·")
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ\u0300\u0301\u030c\u0304"  # precomposed or combining
_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])\(([a-zü{TONED}]{{1,9}})\)")
_TONED_SYLLABLES = frozenset(s for readings in pinyin_dict.values() for s in readings.split(","))
_GLOSS_REMNANT = re.compile(rf"\?[a-zü{TONED}]{{1,9}}\)")  # `X(` eaten by a bad decode
MAX_SPAN = 40  # characters; a misaligned run longer than this is left to find_garbles
MIN_KNOWN = 2  # non-ASCII characters a repair must decode from known bytes alone
Bytes = tuple[int | None, ...]  # None: a byte the tool lost
NOTE = "GBK 错位乱码修复"
# A reading of a run scores log(1 + count elsewhere in the line) per character, plus a
# bonus for punctuation (`，。、“”` each outnumber every Hanzi but 的 in Chinese text). The
# winner must beat every other reading by MARGIN (3x the attestation) or is not taken.
PUNCT_PRIOR = 1.0
MARGIN = math.log(3)


@cache
def _converter() -> opencc.OpenCC:
    """The one traditional-to-simplified converter; building it reads dictionaries."""
    return opencc.OpenCC("t2s")


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"


def _is_cjk(c: str) -> bool:
    """Hanzi or wide punctuation/symbols (“ — ① Ⅱ): a neighbour that makes punctuation Chinese."""
    return _is_han(c) or (c > "\u2000" and unicodedata.category(c)[0] in "PSN")


def _is_latin(c: str) -> bool:
    return (c.isascii() and c.isalpha()) or "\u00c0" <= c <= "\u024f"


@cache
def _simplified_char(c: str) -> str:
    return _converter().convert(c) if _is_han(c) else c


@cache
def _gb2312_level(c: str) -> int:
    """1 or 2 for the GB2312 Hanzi levels (after t2s), 0 for anything else."""
    code = _simplified_char(c).encode("gb2312", errors="replace")
    return 0 if len(code) != 2 or code[0] < 0xB0 else 1 if code[0] <= 0xD7 else 2


def _common(c: str) -> bool:
    """What a repair may consist of: GB2312 level 1 (the ~3,700 most used Hanzi), common
    Chinese punctuation, ASCII letters and digits."""
    return c in COMMON_PUNCT or (c.isascii() and c.isalnum()) or _gb2312_level(c) == 1


def _suspect(c: str) -> bool:
    """What a misaligned GBK decode makes and real text (almost) never has: U+FFFD,
    private-use characters, Hanzi outside GB2312 even after t2s (麄 儾 粌 娊)."""
    return bool(BROKEN.match(c)) or (_is_han(c) and _gb2312_level(c) == 0)


def _byte_options(c: str) -> list[Bytes]:
    """The bytes seed character `c` may have had in a misdecoded run: the tool folded
    `，：；？！（）` after decoding, and a placeholder is one lost byte (None) or a `？`."""
    options: list[Bytes] = [(None,)] if c in PLACEHOLDERS else []
    if c != "\ufffd" and (code := FOLDED.get(c, c).encode("gbk", errors="replace")) != b"?":
        options.append(tuple(code))
    return options


@cache
def _gbk_chars(lead: int | None, trail: int | None) -> tuple[str, ...]:
    """Every character GBK decodes from this byte pair; None stands for any byte."""
    pairs = [(a, b) for a in (range(0x81, 0xFF) if lead is None else [lead])
             for b in (range(0x40, 0xFF) if trail is None else [trail])]
    decoded = (bytes(pair).decode("gbk", errors="replace") for pair in pairs)
    return tuple(c for c in decoded if len(c) == 1 and c != "\ufffd")


def _decode(buf: Bytes, ok: set[str]) -> Iterator[tuple[str, Bytes, int]]:
    """Yield (text, leftover lead byte, characters that used an unknown byte) for every
    decoding of `buf` into common characters or Hanzi found elsewhere in the line (`ok`)."""
    if not buf or (len(buf) == 1 and (buf[0] is None or buf[0] >= 0x80)):
        yield "", buf, 0
    elif buf[0] is not None and buf[0] < 0x80:
        for rest, left, guessed in _decode(buf[1:], ok):
            yield chr(buf[0]) + rest, left, guessed
    else:
        for char in _gbk_chars(buf[0], buf[1]):
            if _common(char) or char in ok:
                for rest, left, guessed in _decode(buf[2:], ok):
                    yield char + rest, left, guessed + (None in buf[:2])


def _realign(line: str, i: int, carry: Bytes, ok: set[str]) -> Iterator[tuple[str, int, int]]:
    """Yield (text, end, guessed) wherever `carry` + line[i:end]'s bytes realign."""
    for option in _byte_options(line[i]) if i < len(line) else ():
        for text, left, guessed in _decode(carry + option, ok):
            if not left:
                yield text, i + 1, guessed
            elif len(text) < MAX_SPAN:
                for rest, end, more in _realign(line, i + 1, left, ok):
                    yield text + rest, end, guessed + more


def _candidates(line: str, anchor: int, ok: set[str]) -> Iterator[tuple[int, int, str]]:
    """Every (start, end, text) where one lost byte explains the run at `anchor`.

    A run starts after the last ASCII character before it (an ASCII byte realigns
    any decode) and at a placeholder if one comes first. The text must hold at least
    MIN_KNOWN non-ASCII characters decoded from known bytes only: they are the evidence.
    """
    for start in range(anchor, max(-1, anchor - MAX_SPAN), -1):
        if start and line[start - 1] in PLACEHOLDERS:
            continue  # a run right after a placeholder starts at the placeholder
        if line[start] in PLACEHOLDERS:  # the placeholder stands for the lost byte
            ways = [(start + 1, (None,))]
        elif line[start].isascii() and line[start] not in FOLDED:
            return
        else:  # a lead byte lost before line[start], or a trail byte inside it
            ways = [(start, (None,))] + [
                (start + 1, (o[0], None, o[1])) for o in _byte_options(line[start]) if len(o) == 2]
        for first, carry in ways:
            for text, end, guessed in _realign(line, first, carry, ok):
                known = sum(not c.isascii() for c in text) - guessed
                if end > anchor and known >= MIN_KNOWN:
                    yield start, end, text
        if line[start] in PLACEHOLDERS:
            return


def repair_mojibake(line: str) -> tuple[str, tuple[Fix, ...]]:
    """Undo GBK one-byte misalignment where the lost byte can be recovered with confidence.

    Returns the repaired line (in its own script) and a Fix per repair. For each run
    holding a suspect character: re-encode it to GBK, put back the one lost byte (a lead
    byte in place of a `?`/U+FFFD placeholder; else a lead byte before, or a trail byte
    inside, the run's first character), decode until the stream realigns with the seed,
    keep readings made of common characters or Hanzi found elsewhere in the line. The
    best-attested reading wins if it beats all others by MARGIN, else `find_garbles`
    reports the run."""
    fixes: list[Fix] = []
    pos = 0
    while (anchor := next((j for j in range(pos, len(line)) if _suspect(line[j])), -1)) >= 0:
        if (found := _best_repair(line, anchor)) is None:
            pos = anchor + 1
            continue
        start, end, text = found
        fixes.append(Fix(line[start:end], text, NOTE))
        line = line[:start] + text + line[end:]
        pos = start + len(text)
    return line, tuple(fixes)


def _best_repair(line: str, anchor: int) -> tuple[int, int, str] | None:
    ok = {c for c in line if _is_han(c)}  # not the pinyin letters of glosses
    counts = Counter(strip_pinyin_glosses(line))  # glosses would inflate `()` and `ā`

    def score(text: str, outside: Counter[str]) -> float:
        return sum(-2.0 if _suspect(c) or c in PLACEHOLDERS else PUNCT_PRIOR * (c in COMMON_PUNCT)
                   + math.log1p(outside[c] + outside[UNFOLDED.get(c, "")]) for c in text)

    gains: dict[tuple[int, int, str], float] = {}
    for s, e, t in _candidates(line, anchor, ok):
        while t and s < e and t[0] == line[s]:  # one key per resulting line
            s, t = s + 1, t[1:]
        while t and s < e and t[-1] == line[e - 1]:
            e, t = e - 1, t[:-1]
        if (s, e, t) not in gains:
            outside = counts - Counter(line[s:e])  # attested *elsewhere*, not by the window
            gains[s, e, t] = score(t, outside) - score(line[s:e], outside)
    ranked = sorted(gains.values(), reverse=True) + [0.0, 0.0]  # leaving it is a reading too
    best = max(gains, key=gains.__getitem__, default=None)
    return best if ranked[0] - max(ranked[1], 0.0) >= MARGIN else None


def find_garbles(line: str) -> tuple[Garble, ...]:
    """Spans that still look garbled after repair, each a maximal run of flagged characters:
    U+FFFD and private-use characters; runs of two or more suspect Hanzi (a lone rare
    Hanzi is usually a name), with a `?` placeholder before or among them; a Hanzi outside
    GB2312 glued to a following ASCII letter (a misaligned pair that ate a trail byte);
    and `?pinyin)`, a glossed character whose `X(` a bad decode swallowed."""
    marks = "".join("s" if _suspect(c) else "?" if c in PLACEHOLDERS else "." for c in line)
    runs = [m for m in re.finditer(r"\??s(?:\??s)*", marks) if m.group(0).count("s") >= 2]
    glued = re.finditer(r"[\u3400-\u9fff](?=[@-~])", line)  # not t2s: 癉C is 把D one byte off
    runs += [m for m in glued if m.group(0).encode("gb2312", errors="replace") == b"?"]
    flagged = [bool(BROKEN.match(c)) for c in line]
    for m in runs + list(_GLOSS_REMNANT.finditer(line)):
        flagged[m.start():m.end()] = [True] * (m.end() - m.start())
    mask = "".join(".x"[hit] for hit in flagged)
    return tuple(Garble(m.start(), m.end(), line[m.start():m.end()])
                 for m in re.finditer("x+", mask))


def strip_pinyin_glosses(line: str) -> str:
    """Remove `(yè)` after a Hanzi when it is a real toned pinyin syllable: the tool's
    reading aids, not the author's. Real parentheses (`(集团)`, `(DCS)`, `(a)`) stay."""
    def drop(m: re.Match[str]) -> str:
        syllable = unicodedata.normalize("NFC", m.group(1))
        toned = any(c in TONED for c in syllable)
        return "" if toned and syllable in _TONED_SYLLABLES else m.group(0)
    return _GLOSS.sub(drop, line)


def detect_script(text: str) -> str:
    """"zh-Hant" when at least a tenth of the Hanzi change under t2s (simplified text
    changes almost none, traditional text a quarter or more), else "zh-Hans"."""
    han = [c for c in text if _is_han(c)]
    changed = sum(_simplified_char(c) != c for c in han)
    return "zh-Hant" if han and changed * 10 >= len(han) else "zh-Hans"


def to_simplified(text: str) -> str:
    """Traditional to simplified with the one cached OpenCC t2s converter."""
    return _converter().convert(text)


def restore_punctuation(line: str) -> str:
    """Put back the full-width `，：；？！（）` the tool folded to ASCII where they stand in
    Chinese text: a Chinese neighbour on one side, no Latin letter on the other; a `(…)`
    pair holding Chinese or touching it outside. `5.8%`, `1+2+N`, `f(x)`, `OK?` stay.
    Run after `strip_pinyin_glosses` (a gloss is Latin in parentheses next to Chinese);
    repeats until nothing changes, so it is idempotent (`1?!中` -> `1？！中`)."""
    while (restored := _restore_once(line)) != line:
        line = restored
    return line


def _restore_once(line: str) -> str:
    chars, stack, paired = list(line), [], set()
    for b, c in enumerate(line):
        if c == "(":
            stack.append(b)
        elif c == ")" and stack:
            a = stack.pop()
            paired.update((a, b))
            outside = (line[a - 1:a], line[b + 1:b + 2])
            if any(map(_is_cjk, line[a + 1:b])) or (b > a + 1 and any(map(_is_cjk, outside))):
                chars[a], chars[b] = "（", "）"
    for j, c in enumerate(chars):
        if c in FOLDED and j not in paired:
            near = (chars[j - 1] if j else "", chars[j + 1] if j + 1 < len(chars) else "")
            if any(map(_is_cjk, near)) and not any(map(_is_latin, near)):
                chars[j] = FOLDED[c]
    return "".join(chars)


def normalise_line(line: str, script: str) -> str:
    """Gloss strip -> t2s (if zh-Hant) -> punctuation. Idempotent, and already-clean
    simplified text with full-width punctuation passes through unchanged."""
    line = strip_pinyin_glosses(line)
    if script == "zh-Hant":
        line = to_simplified(line)
    return restore_punctuation(line)
