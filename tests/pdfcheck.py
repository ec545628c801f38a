"""Read a PDF back the way a reader's tools do: poppler's pdftotext and pdffonts (the
text and fonts as any viewer sees them) and pypdf (the bookmark tree, the metadata).
Independent of WeasyPrint on purpose: the tests should not trust the writer."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from support import missing_tool


def _run(*args: str) -> str:
    if shutil.which(args[0]) is None:
        missing_tool(f"{args[0]} not installed (Debian poppler-utils)")
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_texts(pdf: Path, *, layout: bool = False) -> list[str]:
    """The text of every page, in reading order, pages split at form feeds."""
    text = _run("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")
    return text.split("\f")[:-1]


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font pdffonts lists."""
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    # The type column holds spaces ("CID Type 0C (OT)"): read emb from the right.
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows if row.strip()]


def flat(text: str) -> str:
    """Text without whitespace or correction markers ([1]), for finding a sentence that
    the layout broke across lines."""
    return re.sub(r"\[\d+\]", "", re.sub(r"\s+", "", text))


@dataclass(frozen=True)
class Mark:
    """One bookmark: its label, the 1-based page it opens, and the bookmarks under it."""

    title: str
    page: int
    children: tuple[Mark, ...]


def bookmarks(pdf: Path) -> list[Mark]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)

    def walk(items: list) -> list[Mark]:
        marks: list[Mark] = []
        for item in items:
            if isinstance(item, list):  # the children of the bookmark before it
                last = marks.pop()
                marks.append(Mark(last.title, last.page, tuple(walk(item))))
            else:
                marks.append(Mark(item.title, reader.get_destination_page_number(item) + 1, ()))
        return marks

    return walk(reader.outline)


def toc_numbers(toc_text: str) -> list[tuple[str, int]]:
    """(entry, page number) for each line of a contents page: `title ....... 12`."""
    found = []
    for line in toc_text.splitlines():
        m = re.match(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
        if m:
            found.append((m.group(1).rstrip(". "), int(m.group(2))))
    return found
