"""The known columns (data/columns.yaml): names an editor recognises on sight."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .article import KINDS
from .errors import DubenError, Problem

COLUMNS_FILE = Path("data") / "columns.yaml"


@dataclass(frozen=True)
class Columns:
    """Column name -> the kind of article it carries."""

    kinds: dict[str, str]

    def name_of(self, line: str) -> str | None:
        """The column a display line names, ignoring quotation marks, else None."""
        name = line.strip().strip("“”「」")
        return name if name in self.kinds else None


def parse_columns(text: str, path: str) -> Columns:
    """Read the columns file; every value must be an article kind."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DubenError(Problem(path, mark.line + 1 if mark else 1, f"invalid YAML: {exc}")) from None
    if not isinstance(data, dict):
        raise DubenError(Problem(path, 1, "expected a mapping of column name to kind"))
    bad = [f"{name}: {kind!r}" for name, kind in data.items() if kind not in KINDS]
    if bad:
        raise DubenError(Problem(path, None, f"kinds must be one of {', '.join(KINDS)}: "
                                 + "; ".join(bad)))
    return Columns({str(k): str(v) for k, v in data.items()})


def load_columns(root: Path) -> Columns:
    """The project's columns file, or no known columns when it is absent."""
    path = root / COLUMNS_FILE
    if not path.exists():
        return Columns({})
    return parse_columns(path.read_text(encoding="utf-8"), str(COLUMNS_FILE))
