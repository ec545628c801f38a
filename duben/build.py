"""`build`: content/ + theme/ -> site/, checked, deterministic and atomic."""
from __future__ import annotations

from pathlib import Path

from .config import load_config
from .edition import load_edition
from .errors import DubenError, Problem
from .linkcheck import check_links
from .render import render_edition
from .write import with_static, write_site


def build_site(root: Path, out: Path, *, strict: bool) -> list[Problem]:
    """Build the edition at `root` into `out`; return warnings, raise DubenError on failure.

    Errors (bad content, missing or broken templates, two pages claiming one URL)
    always fail. Warnings (unknown series/column/tag, broken internal links) fail
    only under strict. On any failure `out` is left exactly as it was.
    """
    config = load_config(root)                          # duben.yaml, unknown keys rejected
    edition, warnings = load_edition(config)            # every content error, with path:line
    pages = render_edition(edition, config)             # to memory; URL collisions fail here
    files = with_static(pages, config.theme_dir / "static", root)
    warnings += check_links(files, config.base_url, root)  # links and #anchors, in memory
    if strict and warnings:
        raise DubenError(warnings)
    write_site(files, out)                              # temp folder, then swap
    return sorted(warnings, key=Problem.sort_key)
