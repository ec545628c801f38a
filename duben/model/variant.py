"""Script variants: the same edition in traditional script, as a pure transform.

`to_variant(edition, "zh-Hant")` returns a new Edition whose display text (titles,
kickers, bodies, captions, names, group names, corrected text and notes) is converted
with one cached OpenCC converter; ids, slugs, paths and URLs stay as they are, so every
page of one script has its twin at the same URL under the variant's prefix.

OpenCC converts characters with its `s2tw` config (Taiwan standard characters), never
a phrase config such as `s2twp`, which would rewrite the author's words (信息→資訊).
Where OpenCC still picks the wrong character of a one-to-many pair, the fix is data:
`data/script.yaml` (see `parse_exceptions`), applied in both directions.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import opencc

from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.model.article import Article
from duben.model.config import SCRIPTS
from duben.yamlsafe import key_lines, load_yaml

VARIANTS = SCRIPTS  # every script duben converts to; an edition picks (config.scripts)
DEFAULT = VARIANTS[0]
OPENCC_CONFIGS = {"zh-Hant": "s2tw", "zh-Hans": "tw2s"}  # to that script, characters only
EXCEPTIONS_FILE = "data/script.yaml"
# Fields that hold ids, paths or the seed text as received: never converted. `was` is
# the seed's own (possibly damaged) text, quoted by the 校勘记 exactly as printed.
KEEP = frozenset({"slug", "kind", "original_script", "path", "file", "id", "was", "date",
                  "root", "content_dir", "theme_dir", "base_url", "updated"})


@dataclass(frozen=True)
class Exceptions:
    """Words OpenCC must not convert, or must convert a given way: (simplified, traditional)."""

    pairs: tuple[tuple[str, str], ...] = ()


def parse_exceptions(text: str, path: str = EXCEPTIONS_FILE) -> Exceptions:
    """Read the exceptions file: a mapping `simplified: traditional` (the same word twice
    means "never convert"). Raise DubenError with path:line for anything else."""
    data, node = load_yaml(text, path)
    if data is None:
        return Exceptions()
    if not isinstance(data, dict):
        raise DubenError(Problem(path, 1, "must map simplified words to traditional words"))
    lines = key_lines(node)
    problems, pairs = [], []
    for hans, hant in data.items():
        if not (isinstance(hans, str) and isinstance(hant, str) and hans and hant):
            problems.append(Problem(path, lines.get(str(hans), 1),
                                    f"{hans!r}: both words must be non-empty text"))
        else:
            pairs.append((hans, hant))
    if problems:
        raise DubenError(problems)
    return Exceptions(tuple(pairs))


def load_exceptions(root: Path) -> Exceptions:
    """The project's exceptions file, or none when the project has no such file."""
    path = root / EXCEPTIONS_FILE
    if not path.is_file():
        return Exceptions()
    return parse_exceptions(read_text(path, EXCEPTIONS_FILE), EXCEPTIONS_FILE)


@cache
def _opencc(script: str) -> opencc.OpenCC:
    """One converter per target script for the whole process (loading one takes ~10 ms)."""
    return opencc.OpenCC(OPENCC_CONFIGS[script])


def converter(script: str, exceptions: Exceptions = Exceptions()) -> Converter:
    """A function converting text into `script`, exceptions applied, results cached."""
    return Converter(script, exceptions)


@dataclass(frozen=True)
class Converter:
    """Text -> `script`. A plain value (picklable, hashable), so a process pool can take
    it; the compiled tables and the results are cached per process."""

    script: str
    exceptions: Exceptions = Exceptions()

    def __call__(self, text: str) -> str:
        return _convert(self.script, self.exceptions, text)


@cache
def _words(script: str, exceptions: Exceptions) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The exception words in the source script (longest first) and their targets."""
    to_hant = script != DEFAULT
    table = {(s if to_hant else t): (t if to_hant else s) for s, t in exceptions.pairs}
    words = sorted(table, key=len, reverse=True)
    return (re.compile("(" + "|".join(map(re.escape, words)) + ")") if words else None), table


@lru_cache(maxsize=65536)
def _convert(script: str, exceptions: Exceptions, text: str) -> str:
    """Each exception word is cut out of the text and given its fixed form; OpenCC
    converts the pieces between them, so it never sees (or glues onto) such a word."""
    if not text or text.isascii():
        return text
    cc = _opencc(script)
    pattern, table = _words(script, exceptions)
    if pattern is None or not pattern.search(text):
        return cc.convert(text)
    pieces = pattern.split(text)  # odd positions hold the exception words
    return "".join(table[p] if i % 2 else cc.convert(p) for i, p in enumerate(pieces))


Converted = dict[int, tuple[Article, Article]]  # id(article) -> (article, in the script)


def to_variant(value: Any, script: str, exceptions: Exceptions = Exceptions(),
               articles: Converted | None = None) -> Any:
    """The edition (or config, or any frozen value of the model) in `script`.

    Walks frozen dataclasses, tuples and mappings and converts every string except
    the KEEP fields. An object shared by several indexes (an Article is listed by its
    page, its series, its tags...) is converted once and stays shared. `articles`,
    when given, holds articles converted before (`serve` converts an edition again
    after a change, and all but the changed articles are the same objects); the
    articles converted now are added to it.
    """
    if script == DEFAULT:
        return value
    return _Walker(converter(script, exceptions), articles).walk(value)


class _Walker:
    def __init__(self, convert: Callable[[str], str], articles: Converted | None = None,
                 ) -> None:
        self.convert = convert
        self.memo: dict[int, Any] = {}
        self.articles = articles

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.convert(value)
        if value is None or isinstance(value, (bool, int, float, Path)):
            return value
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        if self.articles is not None and isinstance(value, Article):
            known = self.articles.get(key)
            if known is None or known[0] is not value:
                known = self.articles[key] = (value, self._walk_new(value))
            self.memo[key] = known[1]
            return known[1]
        return self._walk_new(value)

    def _walk_new(self, value: Any) -> Any:
        key = id(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.walk(getattr(value, f.name))
                       for f in dataclasses.fields(value)
                       if f.init and f.name not in KEEP}
            out = dataclasses.replace(value, **changes)
            if isinstance(out, Article):
                out = _without_noops(out)
        elif isinstance(value, tuple):
            out = tuple(self.walk(v) for v in value)
        elif isinstance(value, Mapping):
            # Keys are slugs or ids (never display text): kept as they are.
            converted = {k: self.walk(v) for k, v in value.items()}
            out = MappingProxyType(converted) if isinstance(value, MappingProxyType) \
                else converted
        else:
            raise TypeError(f"to_variant cannot convert a {type(value).__name__}")
        self.memo[key] = out
        return out


def _without_noops(article: Article) -> Article:
    """Drop corrections this script makes moot: where the page printed 跟著 and the
    simplified edition needed 跟着, the traditional text is again what the page printed,
    so its 校勘记 has nothing to record there."""
    kept = tuple(c for c in article.corrections if c.now != c.was)
    return article if len(kept) == len(article.corrections) else \
        dataclasses.replace(article, corrections=kept)
