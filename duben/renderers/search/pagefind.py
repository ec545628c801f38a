"""Run Pagefind over the staged site: the search index, written inside the atomic swap.

Pagefind (from PyPI, `pagefind[extended]`: the extended binary segments Chinese) reads
the HTML pages, not the Edition: only what the article template marks with
`data-pagefind-body` is indexed, minus `data-pagefind-ignore` (校勘记, source, citation),
with `data-pagefind-meta`/`-filter` for kicker, column, series and page. It writes one
index per `<html lang>`, so each script's edition searches its own text.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from duben.atomic import die_with_parent
from duben.errors import UsageError
from duben.model.config import Config
from duben.output import urls


def index_site(staged_dir: Path, config: Config) -> None:
    """Write the Pagefind bundle into staged_dir/pagefind/.

    Raise UsageError (exit status 2: the environment, not the input) when Pagefind is
    missing or fails; the caller discards the staged folder, so site/ stays as it was.
    """
    # Only article pages hold searchable text: reading no other page saves a third of
    # Pagefind's time (the home, tag and series lists are most of the site's bytes).
    folders = sorted(urls.in_variant(urls.ARTICLES, s).rstrip("/") for s in config.scripts)
    command = [sys.executable, "-m", "pagefind", "--site", str(staged_dir),
               "--glob", "{" + ",".join(folders) + "}/**/*.html",
               "--output-subdir", urls.PAGEFIND.rstrip("/"),
               # Result links name index.html, as every link of the site does, so they
               # work on any static server.
               "--keep-index-url", "--silent",
               # The 校勘记 markers inside the text ([1], [2]) are apparatus, not words.
               "--exclude-selectors", ".correction-ref"]
    try:
        parent = os.getpid()  # Pagefind writes into the staging folder: it dies with us
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                preexec_fn=lambda: die_with_parent(parent))
    except OSError as exc:
        raise UsageError(f"cannot run Pagefind: {exc.strerror or exc} "
                         "(pip install 'pagefind[extended]', or build with --no-search)") from None
    if result.returncode != 0 or not (staged_dir / urls.PAGEFIND / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        hint = "" if "No module named pagefind" not in result.stderr else \
            " (pip install 'pagefind[extended]', or build with --no-search)"
        raise UsageError(f"Pagefind could not index the site{hint}: " + " / ".join(detail))
