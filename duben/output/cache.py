"""The build cache (`.duben-cache/` in the project): parse nothing and render nothing twice.

Two stores, both plain pickles replaced atomically:
- articles: content file -> (mtime_ns, size, sha256, Article). A file whose stat is
  unchanged is not read; one whose stat changed but whose bytes hash the same is
  not parsed.
- site: the output folder last built, and per output path (fingerprint, size,
  mtime_ns, links); a build into another folder starts from nothing. The
  fingerprint hashes the build key (code version, templates, config, renderers) with
  what the page shows (duben/output/fingerprint.py). A page whose fingerprint is
  unchanged and whose file in the output folder is exactly as we wrote it (same size
  and mtime) is hard-linked into the staging folder instead of rendered.
- inputs: the stat of every content and static file and of every output file, and
  the warnings, of the last build. When nothing differs (the same build key, no input
  touched, the output folder exactly as written) there is nothing to do at all.
A missing, unreadable or stale cache only makes the build slower, never different.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duben
from duben import slugs
from duben.errors import DubenError
from duben.inputs import MAX_ARTICLE, read_bytes
from duben.model.article import Article, load_article
from duben.output.aside import aside
from duben.output.fingerprint import article_digest
from duben.output.linkcheck import PageLinks
from duben.paths import tree_stats

CACHE_DIR = ".duben-cache"
FORMAT = 5


@dataclass(frozen=True)
class Entry:
    """One output file as the last build wrote it."""

    fingerprint: str
    size: int
    mtime_ns: int
    links: PageLinks | None


@dataclass
class BuildCache:
    """What the last build of this project into this output folder knew."""

    folder: Path | None  # where it is saved; None: kept in memory only, if at all
    out: str  # the output folder, resolved
    key: str = ""
    enabled: bool = True
    # content file -> (mtime_ns, size, sha256, Article, (mtime_ns, size) of its seed or
    # None, the Article's digest: fingerprint.article_digest)
    articles: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    pages: dict[str, Entry] = field(default_factory=dict)
    fresh_articles: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    parsed: int = 0  # content files parsed this build (the rest came from the cache)
    inputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # at this build's start
    last: tuple[Any, ...] = ()  # (inputs, outputs, warnings) of the last build
    # Parsed by output/ahead.py: records as `articles` keeps them.
    ahead: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def unchanged(self, inputs: dict[str, tuple[int, int]], out: Path) -> list[Any] | None:
        """The last build's warnings if it built exactly this, and `out` is untouched."""
        self.inputs = inputs
        if not self.last or self.last[0] != inputs:
            return None
        outputs = self.last[1]
        # A cache kept in memory (serve) builds into a private folder nobody else touches.
        return self.last[2] if outputs is None or tree_stats(out) == outputs else None

    def known(self, path: Path, root: Path) -> bool:
        """The cache holds this file's article: same stat, or same bytes (a touch)."""
        shown = key_of(path, root)
        old = self.articles.get(shown) if self.enabled else None
        if not old:
            return False
        try:
            st = path.stat()
            return old[:2] == (st.st_mtime_ns, st.st_size) or (
                old[2] == hashlib.sha256(read_bytes(path, shown, MAX_ARTICLE)).hexdigest())
        except (OSError, DubenError):
            return False

    def load_article(self, path: Path, root: Path) -> Article:
        """Article from the cache when the file is unchanged, else parsed (and remembered).

        Loading also checks the article's lines against its seed, so the seed's stat is
        part of the key: a changed seed re-checks every article that cites it."""
        shown = key_of(path, root)
        ahead = self.ahead.pop(shown, None)
        if not self.enabled:  # caching is off: no stat, no hash
            return ahead[3] if ahead else load_article(path, root)
        if ahead:  # parsed by this load: stat taken and bytes hashed as they were read
            self.parsed += 1
            self.fresh_articles[shown] = ahead
            return ahead[3]
        st = path.stat()
        old = self.articles.get(shown)
        seed = file_stat(root / old[3].source.file) if old else None
        if old and old[:2] == (st.st_mtime_ns, st.st_size) and old[4] == seed:
            self.fresh_articles[shown] = old
            return old[3]
        sha = hashlib.sha256(read_bytes(path, shown, MAX_ARTICLE)).hexdigest()  # size-checked
        if old and old[2] == sha and old[4] == seed:
            article, digest = old[3], old[5]
        else:
            article = load_article(path, root)
            digest = article_digest(article)
            self.parsed += 1
        self.fresh_articles[shown] = (st.st_mtime_ns, st.st_size, sha, article,
                                      file_stat(root / article.source.file), digest)
        return article

    def reload(self, path: Path, root: Path) -> Article:
        """One file read again (if changed) and kept at once, outside any build:
        `serve` applies a save to the edition it holds."""
        article = self.load_article(path, root)
        shown = key_of(path, root)
        self.articles[shown] = self.fresh_articles.pop(shown)
        return article

    def reusable(self, out: Path, path: str, fingerprint: str) -> Entry | None:
        """The entry of an output file that is still right and still untouched in `out`."""
        entry = self.pages.get(path)
        if entry is None or entry.fingerprint != fingerprint:
            return None
        try:
            st = os.stat(out / path)
        except OSError:
            return None
        return entry if (st.st_size, st.st_mtime_ns) == (entry.size, entry.mtime_ns) else None

    def rekey(self, key: str) -> BuildCache:
        """This cache (kept in memory, as `serve` keeps it) for a build under `key`."""
        if key != self.key:
            self.key, self.pages, self.last = key, {}, ()
        self.fresh_articles = {}  # a failed build may have left some
        return self

    def save(self, pages: dict[str, Entry], out: Path, warnings: list[Any]) -> None:
        """Remember this build, in memory and (with a folder) on disk; a cache that
        cannot be written is skipped, not an error."""
        if not self.enabled:
            return
        self.articles, self.fresh_articles, self.pages = self.fresh_articles, {}, pages
        if self.folder is None:
            self.last = (self.inputs, None, warnings)
            return
        folder, articles = self.folder, self.articles
        try:
            folder.mkdir(exist_ok=True)
            saved = aside(lambda: _dump(folder / "articles.pickle", FORMAT, (  # a child's part
                (shown, *entry[:3], *_packed(entry[3]), *entry[4:])
                for shown, entry in articles.items())))
        except OSError:
            saved = lambda: None
        self.last = (self.inputs, tree_stats(out), warnings)
        try:
            _dump(folder / "inputs.pickle", (FORMAT, self.key, self.out, *self.last))
            _dump(folder / "site.pickle", (FORMAT, self.key, self.out, pages))
            _dump(folder / "slugs.pickle", (slugs_key(), slugs.known()))
        except OSError:
            pass
        saved()  # (a part that could not be written is skipped, as above)


def open_cache(root: Path, out: Path, key: str, enabled: bool = True) -> BuildCache:
    """The cache for building `root` into `out` under build key `key` (empty if none)."""
    resolved = str(out.resolve())
    if not enabled:
        return BuildCache(None, resolved, key, enabled=False)
    folder = root / CACHE_DIR
    cache = BuildCache(folder, resolved, key)
    last = load_pickle(folder / "inputs.pickle")
    if last and last[0] == FORMAT and last[1:3] == (key, resolved):
        cache.last = last[3:]
    return cache


def load_pages(cache: BuildCache) -> None:
    """Read the per-page entries (only needed when something changed: they are large)."""
    if cache.folder is None:
        return
    site = load_pickle(cache.folder / "site.pickle")
    if site and site[0] == FORMAT and site[1:3] == (cache.key, cache.out):
        cache.pages = site[3]


def load_articles(cache: BuildCache) -> None:
    if cache.folder is None:
        return
    records = _records(cache.folder / "articles.pickle")
    if next(records, None) == FORMAT:  # then each body is decoded as its record is read
        cache.articles = {shown: (mtime, size, sha, dataclasses.replace(a, body=body.decode()),
                                  seed, digest)
                          for shown, mtime, size, sha, a, body, seed, digest in records}


def key_of(path: Path, root: Path) -> str:
    """A content file's key in the cache (and in ahead.py's records): its path from the
    project root, as str(path.relative_to(root)) is, cut from the string (quicker)."""
    text, folder = str(path), str(root)
    return text[len(folder) + 1:] if text.startswith(folder + "/") else str(
        path.relative_to(root))


def stats(files: list[Path]) -> dict[str, tuple[int, int]]:
    """Path -> (mtime_ns, size) of each path ((0, 0) for one that cannot be read)."""
    out = {}
    for path in files:
        try:
            st = os.stat(path)
            out[str(path)] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[str(path)] = (0, 0)
    return out


def build_key(*parts: object, theme: Path) -> str:
    """Code version, renderer choice, config and every template: change one, render all."""
    h = hashlib.sha256(repr((FORMAT, sys.version, parts)).encode("utf-8"))
    package = Path(duben.__file__).parent
    for folder in (package, theme / "templates"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def slugs_key() -> tuple[Any, ...]:
    """What the saved slugs were made by: this slugify, this pypinyin."""
    return (FORMAT, version("pypinyin"), Path(slugs.__file__).read_bytes())


def file_stat(path: str | Path) -> tuple[int, int] | None:
    """(mtime_ns, size), or None for a file that is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _packed(article: Article) -> tuple[Article, bytes]:
    """The article with its body as UTF-8 bytes. Pickling a str keeps a UTF-8 copy of it
    inside the str for its lifetime: for every body of a large edition, that is tens
    of MiB the build would hold only for having saved the cache."""
    return dataclasses.replace(article, body=""), article.body.encode()


def load_pickle(path: Path) -> Any:
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except _UNREADABLE:
        return None


def _records(path: Path) -> Iterator[Any]:
    """The values pickled one after another in `path`, read one at a time."""
    try:
        with path.open("rb") as f:
            while f.peek(1):
                yield pickle.load(f)
    except _UNREADABLE:
        return


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               TypeError, ValueError)


def _dump(path: Path, *values: object) -> None:
    """Pickle values (and the items of any generator among them) one after another,
    forgetting each before the next, then replace `path` in one step."""
    fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            for value in values:
                for item in value if isinstance(value, Iterator) else (value,):
                    pickler.dump(item)
                    pickler.clear_memo()  # the memo would keep every item alive
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
