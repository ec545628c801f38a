"""The print edition: one print page of the whole edition, PDFs (WeasyPrint) and an EPUB.

Each is a renderer over the Edition it is given, with the script (`script`, a BCP 47
tag such as zh-Hans) it is in: every text comes from that edition and the config,
so the same functions make the print edition of a script variant when they are
given the variant's edition and its script. The PDFs are made from
the very HTML the site prints (the print page, the article pages, the series
print pages); the EPUB from the same article partial, as XHTML.
"""
from __future__ import annotations

from collections.abc import Callable

from duben.errors import DubenError, Problem
from duben.model.config import Config
from duben.model.edition import Edition
from duben.output import urls
from duben.paths import inside, shown

DEFAULT_SCRIPT = "zh-Hans"  # the edition's script unless a variant is asked for
Files = dict[str, tuple[bytes, str]]
Convert = Callable[[str], str]


def in_every_script(edition: Edition, config: Config,
                    make: Callable[[Edition, Config, str, Convert | None], Files]) -> Files:
    """`make` run on the edition in every script (renderers/scripts.py), its URLs put
    under the script's prefix. `make` gets the script's edition, its config (base_url
    under the prefix), the script and the converter for the templates' own words."""
    from duben.renderers.scripts import in_scripts

    files: Files = {}
    for s in in_scripts(edition, config):
        made = make(s.edition, s.config, s.script, s.convert)
        files |= {urls.in_variant(url, s.script): value for url, value in made.items()}
    return files


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
