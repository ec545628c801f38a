"""Editorial data kept beside a seed: what no rule can derive from the page.

`seeds/<name>.yaml` sits next to `seeds/<name>.txt`. Example::

    corrections:              # applied to the seed text before any rule runs
      - was: 自已设计          # exact seed text (must occur in the page)
        now: 自己设计          # edition text (simplified, full-width punctuation)
        note: 形近字误植
    supplied_titles:          # headlines the page never printed
      - where: 2019年是中央企业  # seed text inside the article (first lines)
        title: 以党建引领深化改革赶超发展

Code never tests for a particular seed's name or text; it only applies this data.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.yamlsafe import load_yaml


@dataclass(frozen=True)
class DataCorrection:
    """An editor's fix: exact seed text `was` becomes edition text `now`."""

    was: str
    now: str
    note: str
    line: int  # line in the .yaml file, for error messages


@dataclass(frozen=True)
class SuppliedTitle:
    """A headline for the article whose seed text contains `where`."""

    where: str
    title: str
    line: int


@dataclass(frozen=True)
class PageData:
    """Everything the editors said about one seed page."""

    corrections: tuple[DataCorrection, ...] = ()
    supplied_titles: tuple[SuppliedTitle, ...] = ()


_KEYS = {"corrections": ("was", "now", "note"), "supplied_titles": ("where", "title")}


def parse_page_data(text: str, path: str) -> PageData:
    """Parse the YAML of one page-data file; raise DubenError with path:line problems."""
    _, root = load_yaml(text, path)
    if root is None:
        return PageData()
    problems: list[Problem] = []
    if not isinstance(root, yaml.MappingNode):
        raise DubenError(Problem(path, root.start_mark.line + 1, "expected a mapping"))
    found: dict[str, list[tuple[dict[str, str], int]]] = {k: [] for k in _KEYS}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key not in _KEYS:
            problems.append(Problem(path, line, f"unknown key {key!r}; allowed: {', '.join(_KEYS)}"))
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            problems.append(Problem(path, line, f"{key} must be a list"))
            continue
        for item in value_node.value:
            item_line = item.start_mark.line + 1
            fields = _KEYS[key]
            ok = isinstance(item, yaml.MappingNode) and all(
                isinstance(v, yaml.ScalarNode) for _, v in item.value
            )
            record = {k.value: v.value for k, v in item.value} if ok else {}
            if not ok or set(record) != set(fields) or not all(record.values()):
                problems.append(
                    Problem(path, item_line, f"each {key} entry needs exactly: {', '.join(fields)}")
                )
                continue
            found[key].append((record, item_line))
    if problems:
        raise DubenError(problems)
    return PageData(
        corrections=tuple(DataCorrection(r["was"], r["now"], r["note"], n)
                          for r, n in found["corrections"]),
        supplied_titles=tuple(SuppliedTitle(r["where"], r["title"], n)
                              for r, n in found["supplied_titles"]),
    )


def load_page_data(seed: Path, root: Path) -> PageData:
    """The data file beside `seed`, or empty data when there is none."""
    data_path = seed.with_suffix(".yaml")
    if not data_path.exists():
        return PageData()
    shown = data_path.relative_to(root).as_posix()
    return parse_page_data(read_text(data_path, shown), shown)
