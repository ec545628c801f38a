"""Read one text file of the project: size-checked first, UTF-8, errors with a line.

Limits are checked with stat() before a byte is read, so a 50 MB file dropped in
content/ by mistake costs nothing: no article is anywhere near 2 MiB (the largest
real one is ~20 KiB), no seed page near 8 MiB (~60 KiB).
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

from duben.errors import DubenError, Problem

KiB, MiB = 1024, 1024 * 1024
MAX_ARTICLE = 2 * MiB  # content/*.md
MAX_SEED = 8 * MiB  # seeds/*.txt
MAX_DATA = 2 * MiB  # duben.yaml, data/*.yaml, seeds/*.yaml, the split manifest


def read_bytes(path: Path, shown: str, limit: int) -> bytes:
    """The file's bytes; a DubenError naming it when it is too large or unreadable."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise DubenError(Problem(shown, None, f"file is {_size(size)}, over the limit "
                                     f"of {_size(limit)} for this kind of file; refused"))
        return path.read_bytes()
    except OSError as exc:
        raise DubenError(Problem(shown, None, f"cannot read: {exc.strerror}")) from None


def read_text(path: Path, shown: str, limit: int = MAX_DATA) -> str:
    """The file as text: UTF-8, an optional BOM dropped, CRLF kept as the parser wants."""
    return decode_utf8(read_bytes(path, shown, limit), shown)


def decode_utf8(data: bytes, shown: str) -> str:
    """Strict UTF-8 without its BOM; the error names the line and column of the bad byte."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DubenError(Problem(shown, line, f"not UTF-8 text: byte 0x{data[exc.start]:02X} "
                                 f"at column {column} (byte {exc.start}); save the file "
                                 "as UTF-8", column=column)) from None


def line_count(path: Path, known: tuple[int, int] | None = None) -> int | None:
    """Lines in a text file (LF, CRLF or CR ends), or None when it cannot be read;
    `known`: its (mtime_ns, size), when the caller has them already."""
    if known is None:
        try:
            stat = path.stat()
        except OSError:
            return None
        known = (stat.st_mtime_ns, stat.st_size)
    return _line_count(str(path), *known)


@lru_cache(maxsize=256)
def _line_count(path: str, mtime_ns: int, size: int) -> int | None:
    # Keyed by mtime and size too, so a long-lived process (serve) sees an edited seed.
    if size > MAX_SEED:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    breaks = len(_LINE_BREAK.findall(data))
    return breaks + (0 if data.endswith((b"\n", b"\r")) else 1)


_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n / KiB:.1f} KiB" if n >= KiB else f"{n} B"
