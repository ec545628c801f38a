"""A stable digest of what one output page shows, so an unchanged page need not be rendered.

`digest(value)` walks a page's dependencies: an Article stands for its whole content
(every field's repr, a long text's sha256; made once per build), dataclasses, tuples
and mappings by their parts, functions by name. Shared objects (a group, the Edition) are walked once per build:
`Digester` remembers them (dataclasses, which are shared and frozen) by identity. Whatever a template shows must be reachable
from the dependencies its PageSpec names; the warm-build tests compare warm output
with a clean build byte for byte to hold that promise.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from duben.model import article

# Article and the dataclasses it is made of hold only text, numbers and tuples of them,
# so their repr is their complete, deterministic content.
_LEAVES = article.__name__


_LONG = 256  # characters: a longer text is digested by its sha256, not copied by repr


def _leaf(value: Any) -> str:
    """repr(value), but a long text field (an article's body: repr of 10,000 bodies took
    half of digesting the pages) stands as '#' and its sha256: a repr of a str is quoted,
    so the two never read alike."""
    fields = _fields(type(value))
    parts = ["#" + hashlib.sha256(v.encode("utf-8")).hexdigest()
             if type(v) is str and len(v) > _LONG else repr(v) for v in fields(value)]
    return f"{type(value).__name__}({','.join(parts)})"


@functools.cache
def _fields(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of the values a dataclass is digested by, as one tuple: the fields that
    determine the rest, where its class names them (DIGEST_FIELDS), else all its
    fields (a leaf's always: duben.model.article names none)."""
    names = getattr(cls, "DIGEST_FIELDS", None) or [f.name for f in dataclasses.fields(cls)]
    if len(names) == 1:  # (attrgetter of one name gives the value, not a tuple)
        return lambda value: (getattr(value, names[0]),)
    return operator.attrgetter(*names)


def article_digest(article: object) -> str:
    """What a Digester makes of an Article (or any value of duben.model.article): made
    where the article is parsed, on every core, and kept with it in the cache."""
    return Digester._short(_leaf(article))


_KNOWN: dict[int, tuple[object, str]] = {}  # id -> (value, its digest), for every Digester


def learn(digests: Iterable[tuple[object, str]]) -> None:
    """Take the digests of this build's articles (made by `article_digest` elsewhere):
    each render process would otherwise make each again (a third of digesting the
    pages at 10,000 articles). They replace the last build's."""
    _KNOWN.clear()
    _KNOWN.update((id(value), (value, text)) for value, text in digests)


_PLAIN = frozenset({str, int, float, bool})  # digested by repr (subclasses too: Markup)


@functools.cache
def _is_dataclass(cls: type) -> bool:
    """An instance of `cls` is a dataclass instance (asked for every value digested)."""
    return dataclasses.is_dataclass(cls)


class Later:
    """Dependencies worked out only when digested: listing the pages (which `serve`
    does on every save) need not build them for every article."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


class Digester:
    """Digests of values, memoised by object identity for one build (values are frozen)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, str]] = dict(_KNOWN)

    def digest(self, value: object) -> str:
        """sha256 (hex) of the value's parts."""
        return hashlib.sha256(self._walk(value).encode("utf-8")).hexdigest()

    def _walk(self, value: object) -> str:
        # A value seen before (an article, a group: most of what pages name) first.
        hit = self._seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        kind = type(value)
        if kind in _PLAIN or value is None or isinstance(value, (str, int, float, bool)):
            return repr(value)
        if kind is Later:
            return self._walk(value.make())  # type: ignore[attr-defined]
        text = self._short(self._parts(value))
        if _is_dataclass(kind):  # shared and frozen; a container is made per page
            self._seen[id(value)] = (value, text)  # keeps value alive: its id is not reused
        return text

    @staticmethod
    def _short(text: str) -> str:
        return "#" + hashlib.sha256(text.encode("utf-8")).hexdigest() if len(text) > 64 else text

    def _parts(self, value: Any) -> str:
        if type(value).__module__ == _LEAVES:  # an Article and its parts: plain values only
            return _leaf(value)
        if _is_dataclass(type(value)):
            fields = map(self._walk, _fields(type(value))(value))
            return f"{type(value).__name__}({','.join(fields)})"
        if isinstance(value, (Mapping, MappingProxyType)):
            items = sorted((self._walk(k), self._walk(v)) for k, v in value.items())
            return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
        if isinstance(value, (tuple, list, frozenset, set)):
            parts = [self._walk(v) for v in value]
            if isinstance(value, (frozenset, set)):
                parts.sort()
            return "[" + ",".join(parts) + "]"
        if callable(value):
            return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
        raise TypeError(f"cannot digest {type(value).__name__}")
