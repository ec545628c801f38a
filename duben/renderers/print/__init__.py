"""The print edition: one print page of the whole edition, PDFs (WeasyPrint) and an EPUB.

Each is a renderer over the Edition it is given, with the script (`script`, a BCP 47
tag such as zh-Hans) it is in: every text comes from that edition and the config,
so the same functions make the print edition of a script variant when they are
given the variant's edition and its script. The PDFs are made from
the very HTML the site prints (the print page, the article pages, the series
print pages); the EPUB from the same article partial, as XHTML.
"""
from __future__ import annotations

from pathlib import Path

from duben.errors import DubenError, Problem
from duben.model.config import Config

DEFAULT_SCRIPT = "zh-Hans"  # the edition's script unless a variant is asked for


def read_theme_file(config: Config, name: str) -> bytes:
    """A file of the theme; a missing one is an error naming it."""
    path = config.theme_dir / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DubenError(Problem(_shown(path, config.root), None,
                                 f"cannot read: {exc.strerror}")) from None


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
