"""The article: one frozen value, and its Markdown-with-front-matter file form.

`split` writes articles with `dump_article`; `build` reads them with
`parse_article`. Both sides share this module so the file format cannot drift.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from duben import paths
from duben.errors import DubenError, Problem
from duben.inputs import MAX_ARTICLE, decode_utf8, line_count, read_text
from duben.model.body import nesting_problems
from duben.model.checker import Checker, parse_source
from duben.slugs import is_slug
from duben.yamlsafe import key_lines, load_yaml

KINDS = ("article", "commentary", "profile", "brief", "photo", "notice")
SCRIPTS = ("zh-Hans", "zh-Hant")
# How sure an editor is of a correction (校勘): a sure fix, a conjecture, or a passage
# kept as printed and marked 存疑 (then `now` is the printed text).
CERTAINTIES = ("sure", "conjecture", "unresolved")


@dataclass(frozen=True)
class Series:
    """A numbered series; `number` is the printed ordinal (④ -> 4)."""

    name: str
    number: int


@dataclass(frozen=True)
class Figure:
    """A photo caption; the image itself is not part of the source."""

    label: str  # 图①, 上图, 左图, or 图 when the page printed no label
    caption: str
    credit: str = ""  # this photo's own credit (马欣悦摄, 受访者供图), if printed with it


@dataclass(frozen=True)
class Correction:
    """One editorial change: seed text `was` became edition text `now`."""

    was: str
    now: str
    note: str
    certainty: str = "sure"  # one of CERTAINTIES


@dataclass(frozen=True)
class Source:
    """Where the article stands in its seed page (1-based, inclusive lines)."""

    file: str  # seeds/<name>.txt, relative to the project
    order: int  # position of the article on its page, from 1
    lines: tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One article of the edition, as an editor sees it in content/."""

    slug: str  # stable ASCII id, unique across the edition; never re-derived
    title: str  # 主标题
    kind: str  # one of KINDS
    source: Source
    original_script: str  # one of SCRIPTS: what the page arrived in
    body: str  # Markdown
    title_supplied: bool = False  # the page printed no headline
    kicker: str | None = None  # 引题
    subtitle: str | None = None  # 副题
    byline: str | None = None  # credit line as printed
    authors: tuple[str, ...] = ()
    column: str | None = None  # 栏目
    series: Series | None = None
    editors_note: str | None = None  # 编者按, without the ——编者 signature
    figures: tuple[Figure, ...] = ()
    credits: tuple[str, ...] = ()
    truncated: bool = False  # breaks off; continuation not in the collection
    corrections: tuple[Correction, ...] = ()
    tags: tuple[str, ...] = ()
    path: str = field(default="", compare=False)  # content file it was read from

    @property
    def page(self) -> str:
        """The source page id: the seed file name without extension."""
        return _stem(self.source.file)


@lru_cache(maxsize=65536)
def _stem(file: str) -> str:
    """Path(file).stem, made once per seed (it is asked for every article, many times)."""
    return Path(file).stem


# Front-matter keys in the order split writes them; editors rely on these names.
FRONT_MATTER_KEYS = (
    "title", "title_supplied", "kicker", "subtitle", "byline", "authors",
    "column", "series", "kind", "editors_note", "figures", "credits",
    "truncated", "original_script", "corrections", "source", "tags", "slug",
)


def to_front_matter(article: Article) -> dict[str, Any]:
    """The article's metadata as plain YAML-ready data, in FRONT_MATTER_KEYS order."""
    a = article
    data: dict[str, Any] = {
        "title": a.title,
        "title_supplied": a.title_supplied,
        "kicker": a.kicker,
        "subtitle": a.subtitle,
        "byline": a.byline,
        "authors": list(a.authors),
        "column": a.column,
        "series": {"name": a.series.name, "number": a.series.number} if a.series else None,
        "kind": a.kind,
        "editors_note": a.editors_note,
        "figures": [{"label": f.label, "caption": f.caption, **({"credit": f.credit} if f.credit
                     else {})} for f in a.figures],
        "credits": list(a.credits),
        "truncated": a.truncated,
        "original_script": a.original_script,
        "corrections": [{"was": c.was, "now": c.now, "note": c.note, "certainty": c.certainty}
                        for c in a.corrections],
        "source": {"file": a.source.file, "order": a.source.order, "lines": list(a.source.lines)},
        "tags": list(a.tags),
        "slug": a.slug,
    }
    assert tuple(data) == FRONT_MATTER_KEYS
    return data


def dump_article(article: Article) -> str:
    """The complete content file text: YAML front matter, blank line, Markdown body."""
    meta = yaml.safe_dump(
        to_front_matter(article), allow_unicode=True, sort_keys=False, width=10_000
    )
    return f"---\n{meta}---\n\n{article.body.strip()}\n"


def parse_article(text: str, path: str) -> Article:
    """Parse a content file; raise DubenError listing every problem as path:line."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")  # BOM, CRLF: as LF
    if not lines or lines[0].strip() != "---":
        raise DubenError(Problem(path, 1, "expected '---' to open the YAML front matter"))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DubenError(Problem(path, 1, "front matter is not closed by a '---' line")) from None
    meta, node = load_yaml("\n".join(lines[1:end]), path, first_line=2)
    if not isinstance(meta, dict):
        raise DubenError(Problem(path, 2, "front matter must be a mapping of keys to values"))
    body = "\n".join(lines[end + 1:]).strip()
    deep = nesting_problems(lines[end + 1:], end + 2, path)
    try:
        article = _article_from(meta, body, path, {str(k): n for k, n in key_lines(node, 2).items()})
    except DubenError as exc:
        raise DubenError(exc.problems + deep) from None
    if deep:
        raise DubenError(deep)
    return article


def load_article(path: Path, root: Path | None = None, data: bytes | None = None,
                 shown: str | None = None,
                 seed_lines: Callable[[Path], int | None] = line_count) -> Article:
    """Read and parse one content file (I/O wrapper around parse_article); `data`: its
    bytes, when the caller has read them already (to hash them), `shown`: its path as
    messages show it, and `seed_lines`: a seed's line count, when it keeps them."""
    shown = shown or (paths.shown(path, root) if root else str(path))
    text = read_text(path, shown, MAX_ARTICLE) if data is None else decode_utf8(data, shown)
    article = parse_article(text, shown)
    # The seed is optional at build time (content/ is what editors own); when it is
    # there, the lines an article claims must exist in it.
    lines = seed_lines(root / article.source.file) if root else None
    if lines is not None and article.source.lines[1] > lines:
        line = next((n for n, t in enumerate(text.split("\n"), 1) if t.startswith("source:")), 2)
        raise DubenError(Problem(shown, line, f"source: lines {list(article.source.lines)} "
                                 f"run past the end of {article.source.file} "
                                 f"({lines} lines)"))
    return article


def _article_from(meta: dict[str, Any], body: str, path: str, key_lines: dict[str, int]) -> Article:
    c = Checker(meta, path, key_lines)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            c.fail(str(key), "unknown key; allowed keys are " + ", ".join(FRONT_MATTER_KEYS))

    kind = c.text("kind", required=True)
    if kind is not None and kind not in KINDS:
        c.fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    script = c.text("original_script", required=True)
    if script is not None and script not in SCRIPTS:
        c.fail("original_script", f"must be one of {', '.join(SCRIPTS)}, got {script!r}")
    slug = c.text("slug", required=True)
    if slug is not None and not is_slug(slug):
        c.fail("slug", f"must be lowercase ASCII letters, digits and '-', got {slug!r}")

    series = None
    raw_series = meta.get("series")
    if raw_series is not None:
        if (
            isinstance(raw_series, dict)
            and set(raw_series) == {"name", "number"}
            and isinstance(raw_series["name"], str)
            and isinstance(raw_series["number"], int)
            and not isinstance(raw_series["number"], bool)
            and raw_series["number"] > 0
        ):
            series = Series(raw_series["name"], raw_series["number"])
        else:
            c.fail("series", "must be a mapping {name: text, number: positive integer}")

    found = parse_source(meta.get("source"), c)
    source = Source(*found) if found else None

    figures = tuple(Figure(str(f["label"]), str(f["caption"]), str(f.get("credit") or ""))
                    for f in c.records("figures", ("label", "caption"), ("credit",)))
    corrections = tuple(
        Correction(str(r["was"]), str(r["now"]), str(r["note"]), r.get("certainty") or "sure")
        for r in c.records("corrections", ("was", "now", "note"), ("certainty",))
    )
    for r in corrections:
        if r.certainty not in CERTAINTIES:
            c.fail("corrections", f"certainty must be one of {', '.join(CERTAINTIES)}, "
                   f"got {r.certainty!r}")
    article_kwargs: dict[str, Any] = {
        "title": c.text("title", required=True),
        "title_supplied": c.flag("title_supplied"),
        "kicker": c.text("kicker"),
        "subtitle": c.text("subtitle"),
        "byline": c.text("byline"),
        "authors": c.texts("authors"),
        "column": c.text("column"),
        "editors_note": c.text("editors_note"),
        "credits": c.texts("credits"),
        "truncated": c.flag("truncated"),
        "tags": c.texts("tags"),
    }
    if c.problems:
        raise DubenError(c.problems)
    return Article(
        slug=slug, kind=kind, original_script=script, series=series, source=source,
        figures=figures, corrections=corrections, body=body, path=path, **article_kwargs,
    )
