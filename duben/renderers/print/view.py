"""View data for the whole-edition print page: cover, table of contents, every article.

Pure functions of (edition, config). Anchors get a per-article prefix (`a1-`,
`a2-`...), as the series print view does, so every article's ids stay unique on
one page and the table of contents can point at each title.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from duben.model.article import Article
from duben.model.config import Config
from duben.model.edition import Edition, Page
from duben.renderers.html.views import ArticleView, article_view
from duben.renderers.print import DEFAULT_SCRIPT


@dataclass(frozen=True)
class PrintSection:
    """One source page (版面) of the print edition: its anchor and its articles."""

    page: Page
    anchor: str
    entries: tuple[tuple[str, Article], ...]  # (id prefix, article), in page order
    make_view: Callable[[Article, str], ArticleView] = field(compare=False, repr=False)

    @property
    def views(self) -> Iterator[ArticleView]:
        """Each article's view, made as it is shown: every view at once would hold
        every rendered body (60 MB at 10,000 articles) while the page is written."""
        return (self.make_view(a, prefix) for prefix, a in self.entries)


@dataclass(frozen=True)
class PrintEdition:
    """Everything print.html shows (and the EPUB's cover and navigation reuse)."""

    title: str
    description: str
    date: str  # YYYY-MM-DD: the edition's `updated` date or SOURCE_DATE_EPOCH, never the clock
    language: str
    count: int  # articles in the edition
    sections: tuple[PrintSection, ...]


def edition_date(config: Config) -> str:
    """The date shown as the build date: SOURCE_DATE_EPOCH when set (reproducible builds
    set it), else the config's `updated`; reading the clock would change every build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return config.updated


def article_prefix(number: int) -> str:
    """The id prefix of the number-th article (from 1) of the print edition."""
    return f"a{number}-"


def print_edition(edition: Edition, config: Config,
                  script: str = DEFAULT_SCRIPT) -> PrintEdition:
    """The print edition's view: pages in order, each article's view with its own prefix."""
    sections, number = [], 0

    def view(a: Article, prefix: str) -> ArticleView:
        return article_view(edition, config, a, prefix=prefix, lang=script)

    for page in edition.pages:
        entries = []
        for a in page.articles:
            number += 1
            entries.append((article_prefix(number), a))
        if entries:
            sections.append(PrintSection(page, f"page-{page.number}", tuple(entries), view))
    return PrintEdition(
        title=config.title, description=config.description, date=edition_date(config),
        language=script, count=number, sections=tuple(sections),
    )
