"""Compiler-style errors: every problem is reported as ``path:line: message``."""
from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    path: str
    line: int | None
    message: str
    column: int | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        """By file, then line (a problem without a line first), column, then message."""
        return (self.path, -1 if self.line is None else self.line, self.column or 0,
                self.message)

    @property
    def where(self) -> str:
        """`path`, `path:line` or `path:line:column`."""
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def labelled(self, label: str) -> str:
        """The compiler-style line the CLI prints: `path:line[:col]: error|warning: message`."""
        return f"{self.where}: {label}: {self.message}"


class DubenError(Exception):
    """Raised with every problem found, so the user fixes them in one pass."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = sorted(problems if isinstance(problems, list) else [problems],
                               key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """The command cannot run as asked (exit status 2): a bad option, a refused output
    folder, a lock held by another run, or the environment refusing a write."""


def yaml_problem(exc: yaml.YAMLError, path: str, first_line: int = 1) -> Problem:
    """A YAML syntax error as a Problem at its line; `first_line` is the file line
    on which the YAML text starts (2 for front matter after its opening '---')."""
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    line = mark.line + first_line if mark is not None else first_line
    column = mark.column + 1 if mark is not None else None
    return Problem(path, line, f"invalid YAML: {reason}", column)
