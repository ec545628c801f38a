"""The article: one frozen value, and its Markdown-with-front-matter file form.

`split` writes articles with `dump_article`; `build` reads them with
`parse_article`. Both sides share this module so the file format cannot drift.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from duben.errors import DubenError, Problem, yaml_problem
from duben.slugs import is_slug

# libyaml's safe loader when PyYAML was built with it: same YAML, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOP_KEY = re.compile(r"""^["']?([^\s"':#][^"':]*?)["']?\s*:(?:\s|$)""")

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
        return Path(self.source.file).stem


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
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DubenError(Problem(path, 1, "expected '---' to open the YAML front matter"))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DubenError(Problem(path, 1, "front matter is not closed by a '---' line")) from None
    meta_text = "\n".join(lines[1:end])
    try:
        meta = yaml.load(meta_text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise DubenError(yaml_problem(exc, path, first_line=2)) from None
    if not isinstance(meta, dict):
        raise DubenError(Problem(path, 2, "front matter must be a mapping of keys to values"))
    # Where each top-level key stands, for messages (cheaper than composing the YAML twice).
    key_lines: dict[str, int] = {}
    for number, line in enumerate(lines[1:end], start=2):
        m = _TOP_KEY.match(line)
        if m:
            key_lines.setdefault(m.group(1), number)
    body = "\n".join(lines[end + 1:]).strip()
    return _article_from(meta, body, path, key_lines)


def load_article(path: Path, root: Path | None = None) -> Article:
    """Read and parse one content file (I/O wrapper around parse_article)."""
    shown = str(path.relative_to(root)) if root else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DubenError(Problem(shown, None, f"not UTF-8 text (byte {exc.start})")) from None
    return parse_article(text, shown)


class _Checker:
    """Collects type problems while reading one front-matter mapping."""

    def __init__(self, meta: dict[str, Any], path: str, key_lines: dict[str, int]):
        self.meta, self.path, self.key_lines = meta, path, key_lines
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.key_lines.get(key, 2), f"{key}: {message}"))

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.meta.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, f"must be text, got {value!r}")
            return None
        return value

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {value!r}")
            return False
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, f"must be a list of text, got {value!r}")
            return ()
        return tuple(value)

    def records(self, key: str, fields: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        value = self.meta.get(key) or []
        ok = isinstance(value, list) and all(
            isinstance(v, dict) and set(v) <= {*fields, *optional} and all(f in v for f in fields)
            for v in value
        )
        if not ok:
            more = f" (optional: {', '.join(optional)})" if optional else ""
            self.fail(key, f"must be a list of mappings with keys {', '.join(fields)}{more}")
            return []
        return value


def _article_from(meta: dict[str, Any], body: str, path: str, key_lines: dict[str, int]) -> Article:
    c = _Checker(meta, path, key_lines)
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

    source = None
    raw_source = meta.get("source")
    try:
        first, last = raw_source["lines"]
        source = Source(str(raw_source["file"]), int(raw_source["order"]), (int(first), int(last)))
    except (TypeError, KeyError, ValueError):
        c.fail("source", "must be a mapping {file: text, order: integer, lines: [first, last]}")

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

