"""Type checks of one front-matter mapping, each problem collected at its key's line."""
from __future__ import annotations

from typing import Any

from duben import paths
from duben.errors import Problem


class Checker:
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



def parse_source(raw: object, c: Checker) -> tuple[str, int, tuple[int, int]] | None:
    """`source`: file seeds/<page>.txt, order a positive integer, lines [first, last] with
    1 <= first <= last (whether last is within the seed is checked against the seed)."""
    shape = "must be a mapping {file: seeds/<name>.txt, order: integer, lines: [first, last]}"
    if not isinstance(raw, dict) or set(raw) != {"file", "order", "lines"}:
        c.fail("source", shape)
        return None
    file, order, lines = raw["file"], raw["order"], raw["lines"]
    numbers = [order, *lines] if isinstance(lines, list) and len(lines) == 2 else None
    if not isinstance(file, str) or numbers is None or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        c.fail("source", shape + " (whole numbers, no decimals)")
        return None
    problem = paths.source_file_problem(file)
    if problem:
        c.fail("source", f"file {problem}")
    elif order < 1:
        c.fail("source", f"order must be 1 or more, got {order}")
    elif not 1 <= lines[0] <= lines[1]:
        c.fail("source", f"lines must be [first, last] with 1 <= first <= last, got {lines}")
    else:
        return file, order, (lines[0], lines[1])
    return None
