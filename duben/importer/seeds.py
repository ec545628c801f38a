"""Read raw seed pages: bytes in, LF-terminated text out, or a located error.

Pages arrive as UTF-8 (with or without BOM) or GB18030/GBK, with LF, CRLF or lone
CR line ends. We never guess among many encodings (a GBK page also "decodes" as
Big5 or Latin-1, into garbage); we try strict UTF-8, then strict GB18030, and
refuse everything else with the line and byte offset of the first bad byte.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import NoReturn

from duben.errors import DubenError, Problem

_BOM = codecs.BOM_UTF8
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# C0 controls other than tab, LF, VT, FF, CR; DEL; C1 controls. Text never holds
# them; binary data and mis-decoded pages (GBK read as UTF-8 yields C1) do.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_seed(data: bytes, path: str) -> str:
    """The page as text with `\\n` line ends; raise DubenError naming the first bad byte."""
    if not data:
        raise DubenError(Problem(path, None, "empty page: the file has no bytes"))
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
    return text


def list_seeds(root: Path) -> list[Path]:
    """Every seed page, `seeds/*.txt` under `root`, sorted by name."""
    return sorted(p for p in (root / "seeds").glob("*.txt") if p.is_file())


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
