"""Editorial data kept beside a seed: what no rule can derive from the page.

`seeds/<name>.yaml` sits next to `seeds/<name>.txt`. Example::

    page:                     # facts about the printed page; only what is known
      paper: 人民日报          # each optional: paper, date (YYYY-MM-DD), number (版次),
      name: 党建               # name (版名), evidence (how the editors know)
      evidence: 栏目“金台潮声”是人民日报的评论栏目
    corrections:              # applied to the seed text before any rule runs
      - was: 自已设计          # exact seed text (must occur in the page)
        now: 自己设计          # edition text (simplified, full-width punctuation)
        note: 形近字误植
        certainty: sure        # sure (default), conjecture, or unresolved: kept as
                               # printed and marked 存疑 (then `now` is left out)
    supplied_titles:          # headlines the page never printed
      - where: 2019年是中央企业  # seed text inside the article (first lines)
        title: 以党建引领深化改革赶超发展
    tags:                     # an editor's tags for one article: split keeps them
      - where: 2019年是中央企业  # seed text inside the article
        add: [有色金属]
        remove: [制造业]

Code never tests for a particular seed's name or text; it only applies this data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.model.article import CERTAINTIES
from duben.yamlsafe import load_yaml


@dataclass(frozen=True)
class DataCorrection:
    """An editor's fix: exact seed text `was` becomes edition text `now`."""

    was: str
    now: str  # for an unresolved passage: the printed text, unchanged
    note: str
    line: int  # line in the .yaml file, for error messages
    certainty: str = "sure"  # one of article.CERTAINTIES


@dataclass(frozen=True)
class SuppliedTitle:
    """A headline for the article whose seed text contains `where`."""

    where: str
    title: str
    line: int


@dataclass(frozen=True)
class TagEdit:
    """Tags an editor adds to or removes from the article whose seed text contains `where`."""

    where: str
    add: tuple[str, ...]
    remove: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class PageData:
    """Everything the editors said about one seed page."""

    corrections: tuple[DataCorrection, ...] = ()
    supplied_titles: tuple[SuppliedTitle, ...] = ()
    tag_edits: tuple[TagEdit, ...] = ()
    page: tuple[tuple[str, str], ...] = ()  # (field, value) from `page:`, in PAGE_FIELDS


_KEYS = {"corrections": ("was", "now", "note"), "supplied_titles": ("where", "title"),
         "tags": ("where",), "page": ()}
_OPTIONAL = {"corrections": ("certainty",), "tags": ("add", "remove")}
PAGE_FIELDS = ("paper", "date", "number", "name", "evidence")


def parse_page_data(text: str, path: str) -> PageData:
    """Parse the YAML of one page-data file; raise DubenError with path:line problems."""
    _, root = load_yaml(text, path)
    if root is None:
        return PageData()
    problems: list[Problem] = []
    if not isinstance(root, yaml.MappingNode):
        raise DubenError(Problem(path, root.start_mark.line + 1, "expected a mapping"))
    found: dict[str, list[tuple[dict[str, str], int]]] = {k: [] for k in _KEYS}
    page: tuple[tuple[str, str], ...] = ()
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key not in _KEYS:
            problems.append(Problem(path, line, f"unknown key {key!r}; allowed: {', '.join(_KEYS)}"))
        elif key == "page":
            page = _page_facts(value_node, path, problems)
        elif not isinstance(value_node, yaml.SequenceNode):
            problems.append(Problem(path, line, f"{key} must be a list"))
        else:
            for item in value_node.value:
                record = _record(item, key, path, problems)
                if record is not None:
                    found[key].append((record, item.start_mark.line + 1))
    if problems:
        raise DubenError(problems)
    return PageData(
        corrections=tuple(DataCorrection(r["was"], r.get("now", r["was"]), r["note"], n,
                                         r.get("certainty", "sure"))
                          for r, n in found["corrections"]),
        supplied_titles=tuple(SuppliedTitle(r["where"], r["title"], n)
                              for r, n in found["supplied_titles"]),
        tag_edits=tuple(TagEdit(r["where"], tuple(r.get("add", ())), tuple(r.get("remove", ())), n)
                        for r, n in found["tags"]),
        page=page,
    )


def _record(item: yaml.Node, key: str, path: str, problems: list[Problem]) -> dict | None:
    """One list entry as {field: text} (add/remove: lists of text), or None after a problem."""
    fields, optional = _KEYS[key], _OPTIONAL.get(key, ())
    line = item.start_mark.line + 1
    record: dict = {}
    if isinstance(item, yaml.MappingNode):
        for k, v in item.value:
            if isinstance(v, yaml.ScalarNode) and k.value not in ("add", "remove"):
                record[k.value] = v.value
            elif isinstance(v, yaml.SequenceNode) and k.value in ("add", "remove") and all(
                    isinstance(x, yaml.ScalarNode) and x.value for x in v.value):
                record[k.value] = [x.value for x in v.value]
            else:
                record[k.value] = None
    unresolved = key == "corrections" and record.get("certainty") == "unresolved"
    needed = set(fields) - ({"now"} if unresolved else set())
    if not needed <= set(record) <= {*fields, *optional} or not all(record.values()):
        more = f" (optional: {', '.join(optional)})" if optional else ""
        problems.append(Problem(path, line, f"each {key} entry needs exactly: "
                                f"{', '.join(fields)}{more}"))
        return None
    if key == "corrections" and record.get("certainty", "sure") not in CERTAINTIES:
        problems.append(Problem(path, line, f"certainty must be one of {', '.join(CERTAINTIES)}, "
                                f"got {record['certainty']!r}"))
        return None
    if unresolved and record.get("now", record["was"]) != record["was"]:
        problems.append(Problem(path, line, "an unresolved passage is kept as printed: "
                                "leave out 'now' (or repeat 'was')"))
        return None
    return record


def _page_facts(node: yaml.Node, path: str, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """`page:` as (field, text) pairs in PAGE_FIELDS order; a date must be YYYY-MM-DD."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode) or not all(
            isinstance(v, yaml.ScalarNode) and k.value in PAGE_FIELDS for k, v in node.value):
        problems.append(Problem(path, line, f"page must map some of {', '.join(PAGE_FIELDS)} "
                                "to text"))
        return ()
    facts = {k.value: v.value.strip() for k, v in node.value if v.value.strip()}
    if "date" in facts and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", facts["date"]):
        line = next(k.start_mark.line + 1 for k, _ in node.value if k.value == "date")
        problems.append(Problem(path, line, f"page date must be YYYY-MM-DD, got {facts['date']!r}"))
    return tuple((f, facts[f]) for f in PAGE_FIELDS if f in facts)


def load_page_data(seed: Path, root: Path) -> PageData:
    """The data file beside `seed`, or empty data when there is none."""
    data_path = seed.with_suffix(".yaml")
    if not data_path.exists():
        return PageData()
    shown = data_path.relative_to(root).as_posix()
    return parse_page_data(read_text(data_path, shown), shown)
