"""The column vocabulary (data/columns.yaml), shared by split and build.

Split uses it to recognise a column name on sight (it looks like any short line)
and to know what kind of piece the column carries; build uses it for each
column's page, URL slug and description. One file, so the two cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.model.article import KINDS
from duben.paths import slug_problem
from duben.yamlsafe import key_lines, load_yaml

COLUMNS_FILE = Path("data") / "columns.yaml"


@dataclass(frozen=True)
class Column:
    """One column: its printed name, the kind of piece it carries, its URL slug."""

    name: str
    kind: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class Columns:
    """The known columns, in the editors' order."""

    entries: tuple[Column, ...] = ()

    @property
    def kinds(self) -> dict[str, str]:
        return {c.name: c.kind for c in self.entries}

    def name_of(self, line: str) -> str | None:
        """The column a display line names, ignoring quotation marks, else None."""
        name = line.strip().strip("“”「」")
        return name if name in self.kinds else None


def parse_columns(text: str, path: str) -> Columns:
    """Read the columns file: `name: {kind, slug, description?}` per column."""
    data, root = load_yaml(text, path)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise DubenError(Problem(path, 1, "expected a mapping of column name to {kind, slug}"))
    lines = key_lines(root)
    problems, entries = [], []
    for name, entry in data.items():
        line = lines.get(name)
        if not isinstance(entry, dict) or not {"kind", "slug"} <= set(entry) <= {
                "kind", "slug", "description"}:
            problems.append(Problem(path, line, f"{name}: needs kind and slug (description optional)"))
        elif entry["kind"] not in KINDS:
            problems.append(Problem(path, line, f"{name}: kind must be one of {', '.join(KINDS)}"))
        elif bad := slug_problem(entry["slug"], path, line, f"{name}: slug"):
            problems.append(bad)  # a slug becomes a folder of site/
        else:
            entries.append(Column(str(name), str(entry["kind"]), str(entry["slug"]),
                                  str(entry.get("description") or "")))
    if problems:
        raise DubenError(problems)
    return Columns(tuple(entries))


def load_columns(root: Path, file: Path = COLUMNS_FILE) -> Columns:
    """The project's columns file, or no known columns when it is absent."""
    path = root / file
    if not path.exists():
        return Columns()
    return parse_columns(read_text(path, file.as_posix()), file.as_posix())
