"""The print edition: one print page of the whole edition, PDFs (WeasyPrint) and an EPUB.

Each is a renderer over the Edition it is given, with the script (`script`, a BCP 47
tag such as zh-Hans) it is in: every text comes from that edition and the config,
so the same functions make the print edition of a script variant when they are
given the variant's edition and its script. The PDFs are made from
the very HTML the site prints (the print page, the article pages, the series
print pages); the EPUB from the same article partial, as XHTML.
"""
from __future__ import annotations

from duben.errors import DubenError, Problem
from duben.model.config import Config
from duben.paths import inside, shown

DEFAULT_SCRIPT = "zh-Hans"  # the edition's script unless a variant is asked for


def read_theme_file(config: Config, name: str) -> bytes:
    """A file of the theme (e.g. print/pdf.css); a missing one, or a symbolic link
    leaving both the project and the theme, is an error naming it (paths.py's rule)."""
    path = config.theme_dir / name
    problem = None
    if not (inside(path, config.root) or inside(path, config.theme_dir)):
        problem = f"symbolic link to {path.resolve()} leaves the project; refused"
    else:
        try:
            return path.read_bytes()
        except OSError as exc:
            problem = f"cannot read: {exc.strerror}"
    raise DubenError(Problem(shown(path, config.root), None, problem))
