"""The print edition: one print page of the whole edition, PDFs (WeasyPrint) and an EPUB.

Each is a renderer over the Edition it is given: the language, title and every
text come from that edition and the config, never from a constant, so the same
functions make the print edition of any script variant. The PDFs are made from
the very HTML the site prints (the print page, the article pages, the series
print pages); the EPUB from the same article partial, as XHTML.
"""
from __future__ import annotations

from duben.model.edition import Edition

DEFAULT_LANGUAGE = "zh-Hans"


def language_of(edition: Edition) -> str:
    """The BCP 47 tag of the edition's script (a variant edition carries its own)."""
    return str(getattr(edition, "language", DEFAULT_LANGUAGE))
