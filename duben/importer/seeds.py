"""Read raw seed pages: bytes in, LF-terminated text out, or a located error.

Pages arrive as UTF-8 (with or without BOM) or GB18030/GBK, with LF, CRLF or lone
CR line ends. We never guess among many encodings (a GBK page also "decodes" as
Big5 or Latin-1, into garbage); we try strict UTF-8, then strict GB18030, and
refuse everything else with the line and byte offset of the first bad byte.
Two refusals come with a hint, because the fix is one iconv away: UTF-16 (a BOM,
or NUL bytes at every other position), and Big5 (which GB18030 "decodes" into
mojibake). A page that decodes but whose Hanzi are mostly rare ones is not
Chinese text (random bytes, a wrong encoding) and is refused at once, in one
linear pass, instead of being handed to the mojibake repair line by line.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import NoReturn

from duben.errors import DubenError, Problem
from duben.importer.repair import _gb2312_level, _is_han
from duben.paths import project_files

_BOM = codecs.BOM_UTF8
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# C0 controls other than tab, LF, VT, FF, CR; DEL; C1 controls. Text never holds
# them; binary data and mis-decoded pages (GBK read as UTF-8 yields C1) do.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Real pages: over 99% of Hanzi are GB2312 level 1 (after t2s). Big5 read as GB18030:
# ~57%; random double bytes: ~24%. Only pages with enough Hanzi to judge are judged.
MIN_COMMON, MIN_HANZI = 0.8, 50


def decode_seed(data: bytes, path: str) -> str:
    """The page as text with `\\n` line ends; raise DubenError naming the first bad byte."""
    if not data:
        raise DubenError(Problem(path, None, "empty page: the file has no bytes"))
    utf16 = _utf16(data)
    if utf16:
        raise DubenError(Problem(path, None, f"UTF-16 text ({utf16[0]}), not UTF-8; convert "
                                 f"it: iconv -f {utf16[1]} -t UTF-8 {path} > new.txt"))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DubenError(_at(data, nul, path, f"binary data, not text: NUL byte at byte offset {nul}"))

    text = _decode(data, path)
    text = text.removeprefix("\ufeff")  # a GB18030 page may carry its own BOM
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    control = _CONTROL.search(text)
    if control is not None:
        # Map back to bytes only for the line number: line breaks survive decoding 1:1.
        line = text.count("\n", 0, control.start()) + 1
        name = unicodedata.name(control.group(), f"U+{ord(control.group()):04X}")
        raise DubenError(Problem(path, line, f"binary data, not text: control character {name}"))
    if not text.strip():
        raise DubenError(Problem(path, None, "empty page: only whitespace, no text"))
    common = _common_share(text)
    if common is not None and common[0] < MIN_COMMON:
        raise DubenError(Problem(path, None, _not_chinese(data, path, *common)))
    return text


def list_seeds(root: Path) -> list[Path]:
    """Every seed page, `seeds/*.txt` under `root`, sorted by name; a symlink that leaves
    the project is an error (paths.py states the rule)."""
    seeds, problems = project_files(root / "seeds", root, "*.txt")
    if problems:
        raise DubenError(problems)
    return seeds


def _decode(data: bytes, path: str) -> str:
    """Strict UTF-8, else strict GB18030; the error names the encoding the bytes resemble."""
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # A UTF-8 page with one bad byte must be reported as such, at that byte: tried as
    # GB18030 it would fail (or, worse, succeed as mojibake) somewhere unrelated.
    if _mostly_utf8(data[skip:]):
        offset = skip + utf8_error.start
        _fail(data, offset, path, "invalid UTF-8")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        _fail(data, exc.start, path, "neither UTF-8 nor GB18030 text")


def _utf16(data: bytes) -> tuple[str, str] | None:
    """(why, iconv's name for it) when the bytes are UTF-16, else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "it starts with a UTF-16 byte order mark", "UTF-16"
    # UTF-16 puts the NUL of every ASCII character (line breaks included) on one side
    # of each pair (a few Hanzi, 一 U+4E00, put one on the other); if NULs sit mostly on
    # odd (LE) or even (BE) offsets and the whole file decodes as UTF-16, it is UTF-16.
    head = data[:65536]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if len(data) % 2 or max(odd, even) < 4 * min(odd, even) or not (odd or even):
        return None
    odd = odd > even
    try:
        text = data.decode("utf-16-le" if odd else "utf-16-be")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None  # binary data that happens to pair up (GIF89a\0\1)
    return (f"NUL bytes at {'odd' if odd else 'even'} offsets, no byte order mark",
            "UTF-16LE" if odd else "UTF-16BE")


def _common_share(text: str) -> tuple[float, int] | None:
    """(share of Hanzi that are common, number of Hanzi), or None when too few to judge."""
    hanzi = [c for c in text if _is_han(c)]
    if len(hanzi) < MIN_HANZI:
        return None
    return sum(_gb2312_level(c) == 1 for c in hanzi) / len(hanzi), len(hanzi)


def _not_chinese(data: bytes, path: str, share: float, hanzi: int) -> str:
    message = (f"does not look like Chinese text: only {share:.0%} of its {hanzi:,} Hanzi "
               f"are common characters (a real page has over 95%)")
    try:
        big5 = _common_share(data.decode("big5"))
    except UnicodeDecodeError:
        big5 = None
    if big5 is not None and big5[0] >= MIN_COMMON:
        return message + f"; it looks like Big5: convert it: iconv -f BIG5 -t UTF-8 {path} > new.txt"
    return message + "; is it binary data or in another encoding?"


def _mostly_utf8(data: bytes) -> bool:
    """True when valid multi-byte UTF-8 characters outnumber the invalid bytes.

    GBK text yields a few accidental UTF-8 sequences among many invalid bytes
    (about one valid per four invalid on real pages); damaged UTF-8 the reverse.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    valid = sum(1 for ch in decoded if ord(ch) >= 0x800 and ch != "\ufffd")
    return valid >= bad


def _fail(data: bytes, offset: int, path: str, what: str) -> NoReturn:
    byte = data[offset]
    raise DubenError(
        _at(data, offset, path, f"{what}: undecodable byte 0x{byte:02X} at byte offset {offset}")
    )


def _at(data: bytes, offset: int, path: str, message: str) -> Problem:
    """A problem on the line holding byte `offset` (LF, CRLF and CR all end a line).

    Counting breaks in the raw bytes is safe for both encodings: 0x0A and 0x0D
    never occur inside a UTF-8 or GB18030 multi-byte character.
    """
    line = len(_LINE_BREAK.findall(data, 0, offset)) + 1
    return Problem(path, line, message)
