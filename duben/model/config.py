"""The edition's one config file (`duben.yaml`): a frozen value, unknown keys rejected.

The config also holds the edition's series. An article naming a series, column or
tag that is not declared is an "unknown reference": a warning, and a failure under
--strict. Declaring them once gives each a stable ASCII slug (its URL) and a
description, instead of deriving URLs from Chinese names. Columns and tags are
declared in the vocabularies `split` itself reads (`column_vocabulary:
data/columns.yaml`, `tag_vocabulary: data/tags.yaml`), so the two commands cannot
disagree; tag slugs are pinyin, their group (地区, 行业, 主题) is kept as the
description, for the grouped tag index.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.model.columns import load_columns
from duben.model.tagging import parse_vocabulary
from duben.paths import project_files, slug_problem
from duben.slugs import unique_slugs
from duben.yamlsafe import key_lines, load_yaml

CONFIG_FILE = "duben.yaml"


SCRIPTS = ("zh-Hans", "zh-Hant")  # every script an edition can be built in, the root's first


@dataclass(frozen=True)
class Term:
    """A declared series, column or tag: display name, URL slug, one-line description."""

    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class PageInfo:
    """What the editors know about one source page (all optional, never guessed)."""

    label: str = ""  # e.g. 第12版·党建; empty -> 版面 N
    paper: str = ""  # newspaper name, for the citation
    date: str = ""  # YYYY-MM-DD as printed, for the citation
    number: str = ""  # 版次 as printed (12 for 第12版)
    name: str = ""  # 版名 (党建)
    evidence: str = ""  # how the editors know the facts above
    credits: tuple[str, ...] = ()  # the page's own credits (版式设计：…)


@dataclass(frozen=True)
class Config:
    """Everything the build needs to know that is not in content/."""

    root: Path  # the project folder the file was read from
    title: str
    description: str
    base_url: str  # absolute, ends with '/'; used only for canonical, feed and sitemap
    updated: str  # edition date (YYYY-MM-DD): the feed's <updated>, never the clock
    content_dir: Path
    theme_dir: Path
    series: tuple[Term, ...] = ()
    columns: tuple[Term, ...] = ()
    tags: tuple[Term, ...] | None = None  # None: no tag vocabulary, any tag is accepted
    tag_groups: tuple[str, ...] = ()  # group names in vocabulary order
    pages: tuple[tuple[str, PageInfo], ...] = ()  # page id -> info
    author: str = ""  # who compiled the edition: the PDF's and EPUB's author
    publisher: str = ""  # the PDF's and EPUB's publisher
    pdf: bool = False  # also write the PDFs (slow; `build --pdf` turns it on too)
    scripts: tuple[str, ...] = SCRIPTS  # the editions built: simplified at the root, then others
    epub: bool = True  # also write the EPUB (`build --no-epub` turns it off)
    # The whole edition on one print page: True, False, or None (`print: auto`, the
    # default): only up to PRINT_AUTO_LIMIT articles (see with_print_decided).
    print_page: bool | None = None

    def page_info(self, page: str) -> PageInfo:
        return dict(self.pages).get(page, PageInfo())


_KEYS = ("title", "description", "base_url", "updated", "content", "theme",
         "series", "column_vocabulary", "tag_vocabulary", "pages", "author", "publisher", "pdf",
         "epub", "print", "scripts")
_REQUIRED = ("title", "description", "base_url", "updated")


PRINT_AUTO_LIMIT = 1000  # articles: past this, `print: auto` makes no one-page edition


def with_print_decided(config: Config, articles: int) -> Config:
    """The config with `print: auto` decided for an edition of `articles` articles: the
    one-page print edition is for an edition, not an archive (at 10,000 articles it
    is 108 MB of HTML, which no browser prints); each article and series still prints
    on its own. `print: true` makes it at any size."""
    if config.print_page is not None:
        return config
    return replace(config, print_page=articles <= PRINT_AUTO_LIMIT)


def load_config(root: Path) -> Config:
    """Read root/duben.yaml; raise DubenError listing every problem as path:line."""
    return parse_config(read_text(root / CONFIG_FILE, CONFIG_FILE), root)


def parse_config(text: str, root: Path) -> Config:
    """Parse config text; pure apart from resolving folder paths against root."""
    data, node = load_yaml(text, CONFIG_FILE)
    if not isinstance(data, dict):
        raise DubenError(Problem(CONFIG_FILE, 1, "config must be a mapping"))
    lines = key_lines(node)
    if isinstance(data.get("updated"), date):  # YAML reads an unquoted date as a date
        data["updated"] = data["updated"].isoformat()
    problems: list[Problem] = []

    def fail(key: str, message: str) -> None:
        problems.append(Problem(CONFIG_FILE, lines.get(key, 1), f"{key}: {message}"))

    for key in data:
        if key not in _KEYS:
            fail(str(key), "unknown key; allowed keys are " + ", ".join(_KEYS))
    for key in _REQUIRED:
        if not isinstance(data.get(key), str) or not data[key].strip():
            fail(key, "is required and must be text")
    for key in ("author", "publisher"):
        if key in data and not isinstance(data[key], str):
            fail(key, "must be text")
    for key in ("pdf", "epub", "print"):
        if key in data and not isinstance(data[key], bool) and (key, data[key]) != ("print",
                                                                                   "auto"):
            fail(key, "must be true or false" + (" or auto" if key == "print" else ""))
    scripts = data.get("scripts", list(SCRIPTS))
    if (not isinstance(scripts, list) or not scripts or scripts[0] != SCRIPTS[0]
            or len(set(scripts)) != len(scripts) or not set(scripts) <= set(SCRIPTS)):
        fail("scripts", f"must list {SCRIPTS[0]} first, then any of "
             f"{', '.join(SCRIPTS[1:])}; got {scripts!r}")
        scripts = list(SCRIPTS)
    base_url = str(data.get("base_url") or "")
    if base_url and not _absolute_url(base_url):
        fail("base_url", "must be an absolute http(s) URL with a host, ending with '/', "
             f"without spaces or control characters; got {base_url!r}")

    def terms(key: str) -> tuple[Term, ...]:
        raw = data.get(key) or []
        ok = isinstance(raw, list) and all(
            isinstance(t, dict) and {"name", "slug"} <= set(t) <= {"name", "slug", "description"}
            and all(isinstance(v, str) for v in t.values()) for t in raw)
        if not ok:
            fail(key, "must be a list of {name, slug, description?}")
            return ()
        for t in raw:  # a slug becomes a folder of site/: checked before it is a path
            bad = slug_problem(t["slug"], CONFIG_FILE, lines.get(key, 1), f"{key} {t['name']}: slug")
            problems.extend([bad] if bad else [])
        return tuple(Term(t["name"], t["slug"], t.get("description", "")) for t in raw)

    for key in ("content", "theme", "column_vocabulary", "tag_vocabulary"):
        value = data.get(key)
        if value is not None and not _usable_path(value):
            fail(key, f"must be a folder or file path (text), got {value!r}")
            del data[key]
    pages: list[tuple[str, PageInfo]] = []
    raw_pages = data.get("pages") or {}
    if not isinstance(raw_pages, dict) or not all(
            isinstance(v, dict) and set(v) <= {"label", "paper", "date"} for v in raw_pages.values()):
        fail("pages", "must map page ids to {label?, paper?, date?}")
    else:
        pages = [(str(k), PageInfo(**{f: str(x) for f, x in v.items()}))
                 for k, v in sorted(raw_pages.items())]
    tags, tag_groups, columns = None, (), ()
    if data.get("tag_vocabulary") is not None:
        try:
            tags, tag_groups = _tag_terms(root, Path(str(data["tag_vocabulary"])))
        except OSError as exc:
            fail("tag_vocabulary", f"cannot read {data['tag_vocabulary']}: {exc.strerror}")
        except DubenError as exc:
            problems.extend(exc.problems)
    if data.get("column_vocabulary") is not None:
        try:
            file = Path(str(data["column_vocabulary"]))
            (root / file).stat()  # a named vocabulary must exist; split tolerates none
            known = load_columns(root, file)
            columns = tuple(Term(c.name, c.slug, c.description) for c in known.entries)
        except OSError as exc:
            fail("column_vocabulary", f"cannot read {data['column_vocabulary']}: {exc.strerror}")
        except DubenError as exc:
            problems.extend(exc.problems)
    config = Config(
        root=root,
        title=str(data.get("title", "")),
        description=str(data.get("description", "")),
        base_url=base_url,
        updated=str(data.get("updated", "")),
        content_dir=root / str(data.get("content", "content")),
        theme_dir=root / str(data.get("theme", "theme")),
        series=terms("series"),
        columns=columns,
        tags=tags,
        tag_groups=tag_groups,
        pages=tuple(pages),
        author=str(data.get("author") or ""),
        publisher=str(data.get("publisher") or ""),
        pdf=data.get("pdf") is True,
        scripts=tuple(scripts),
        epub=data.get("epub") is not False,
        print_page=data.get("print") if isinstance(data.get("print"), bool) else None,
    )
    # Templates are read by Jinja, which follows links: the same rule as theme/static.
    problems += project_files(config.theme_dir / "templates", root)[1]
    if problems:
        raise DubenError(problems)
    return config


def _usable_path(value: object) -> bool:
    """Text the file system accepts as a path: no NUL, no name over 255 bytes."""
    return (isinstance(value, str) and bool(value.strip()) and "\x00" not in value
            and all(len(part.encode()) < 256 for part in value.split("/")))


def _absolute_url(url: str) -> bool:
    """http(s)://host/…/ with nothing a plain-text output (robots.txt) could be split on."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and url.endswith("/")
            and url.isprintable() and not any(ch.isspace() for ch in url)
            and not parts.query and not parts.fragment)


def _tag_terms(root: Path, file: Path) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    """Tag terms from split's vocabulary; the group (地区, 行业, 主题) is the description."""
    vocabulary = parse_vocabulary(read_text(root / file, file.as_posix()), file.as_posix())
    named = [(tag, group) for group, tags in vocabulary.groups for tag in tags]
    named.append((vocabulary.fallback, "其他"))
    slugs = unique_slugs(n for n, _ in named)
    terms = tuple(Term(n, slugs[n], g) for n, g in named)
    return terms, (*(g for g, _ in vocabulary.groups), "其他")
