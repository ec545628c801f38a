"""The edition as an EPUB 3 (ebooklib), for e-readers.

One XHTML document per article, made from the same `_article.html` partial as the
site (kicker, title, byline, body with correction markers, figure captions, 校勘记,
source); a navigation document of 版面 > articles; a cover; a series document with
the printed ordinals and the gaps; CSS for CJK text (theme/print/epub.css).
ebooklib writes the package (OPF, nav, NCX); we fix what it would make vary from
build to build (dcterms:modified, zip timestamps), so the same edition gives the
same bytes. Links to site pages (columns, tags, authors) lead to the published site.
"""
from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from jinja2 import Environment, pass_context

from duben.errors import DubenError, Problem
from duben.model.config import Config
from duben.model.edition import Edition
from duben.output import urls
from duben.renderers.html.render import Site, make_env, template_problem
from duben.renderers.print import DEFAULT_SCRIPT, in_every_script, read_theme_file
from duben.renderers.print.epub_parts import cover_svg, fixed_zip
from duben.renderers.print.view import print_edition


def render_epub(edition: Edition, config: Config) -> dict[str, tuple[bytes, str]]:
    """The EPUB in every script: the default at urls.edition_epub(), the others under
    their prefix (zh-hant/print/duben.epub). A theme template that fails is reported as
    the site's pages report it (path:line), not as a crash."""
    try:
        return in_every_script(edition, config, render_book)
    except Exception as exc:
        problems: list[Problem] = []
        if not template_problem(exc, "_article.html", config, problems):
            raise
        raise DubenError(problems) from None


def render_book(edition: Edition, config: Config, script: str = DEFAULT_SCRIPT,
                convert: Callable[[str], str] | None = None) -> dict[str, tuple[bytes, str]]:
    """{urls.edition_epub(): (bytes, origin)}: the book in `script`; `convert` turns the
    templates' own words into that script."""
    from ebooklib import epub

    book_view = print_edition(edition, config, script)
    chapters = {a.slug: f"a{i}.xhtml" for i, (_, a) in enumerate(
        (e for s in book_view.sections for e in s.entries), start=1)}
    env = _env(config, chapters, convert)
    env.globals["site"] = Site(config.title, config.description, config.base_url,
                               config.updated, script)
    lang = book_view.language
    label = convert or str  # the few words made here, not in a template

    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, config.base_url + lang)}")
    book.set_title(book_view.title)
    book.set_language(lang)
    if config.author:
        book.add_author(config.author)
    if config.publisher:
        book.add_metadata("DC", "publisher", config.publisher)
    book.add_metadata("DC", "description", book_view.description)
    book.add_metadata("DC", "date", book_view.date)
    book.set_cover("cover.svg", cover_svg(book_view).encode("utf-8"))
    # ebooklib makes the cover page non-linear, and EPUBCheck then wants a link to it
    # (OPF-096): it is the first page of the book, so it is in the reading order.
    book.get_item_with_id("cover").is_linear = True
    css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                        content=read_theme_file(config, "print/epub.css"))
    book.add_item(css)

    toc: list[Any] = []
    spine: list[Any] = ["cover", "nav"]
    for section in book_view.sections:
        links = []
        for view in section.views:
            a = view.article
            doc = epub.EpubHtml(title=a.title, file_name=chapters[a.slug], lang=lang)
            doc.content = env.get_template("_article.html").render(
                view=view, page_url=chapters[a.slug])
            doc.add_item(css)
            book.add_item(doc)
            spine.append(doc)
            links.append(epub.Link(chapters[a.slug], a.title, f"nav-{a.slug}"))
        toc.append((epub.Section(section.page.label), links))
    if edition.series:
        doc = epub.EpubHtml(title=label("系列报道"), file_name="series.xhtml", lang=lang)
        doc.content = env.get_template("epub_series.html").render(
            edition=edition, page_url="series.xhtml")
        doc.add_item(css)
        book.add_item(doc)
        spine.append(doc)
        toc.append(epub.Link("series.xhtml", label("系列报道"), "nav-series"))
    book.toc = toc
    book.spine = spine
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title=label("目录"))
    nav.add_item(css)
    book.add_item(nav)

    out = io.BytesIO()
    mtime = datetime.fromisoformat(book_view.date)
    # Level 0: fixed_zip compresses once, so ebooklib need not compress too.
    epub.write_epub(out, book, {"mtime": mtime, "epub3_pages": False, "compresslevel": 0})
    return {urls.edition_epub(): (fixed_zip(out.getvalue(), mtime), "print edition (EPUB)")}


def _env(config: Config, chapters: dict[str, str],
         convert: Callable[[str], str] | None) -> Environment:
    """The site's template environment, with links rewritten for the book: an article
    of the book links to its document, anything else to the published site."""
    env = make_env(config.theme_dir, convert, shared=False)  # its own filters, below

    @pass_context
    def url(ctx: Any, target: str, anchor: str = "") -> str:
        if target.startswith("articles/") and target.count("/") == 2:
            slug = target.split("/")[1]
            if slug in chapters:
                return chapters[slug] + (f"#{anchor}" if anchor else "")
        return urls.absolute(config.base_url, target, anchor)

    env.filters["url"] = url
    # EPUB's XHTML content model has no <wbr>; reading systems break CJK lines anyway.
    env.filters["wbr"] = str
    return env
