"""The facts about one printed page, as `split` writes them to content/<page>/page.yaml.

What the editors know about a page (paper, date, 版次, 版名, and how they know it)
lives in seeds/<name>.yaml; the page's own credits (版式设计：…) are on the page.
`split` carries both into content/, which is all `build` reads, so an editor can
also correct them there (split keeps a hand-edited page file, as it keeps articles).
Nothing is ever guessed: an unknown fact is null, and the site says 日期不详.
"""
from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from duben import paths
from duben.errors import DubenError, Problem
from duben.inputs import read_text
from duben.model.config import Config, PageInfo
from duben.yamlsafe import load_yaml

PAGE_FILE = "page.yaml"
_FACTS = ("paper", "date", "number", "name", "evidence")
_HEADER = ("# The printed page's facts, from seeds/{seed}.yaml (null: not known, never guessed),\n"
           "# and its own credits. Written by `build.py split`; a hand edit here is kept.\n")


def dump_page_info(seed_stem: str, facts: dict[str, str], credits: tuple[str, ...]) -> str:
    """The page file's text: every fact (null when unknown), then the page's credits."""
    data: dict[str, Any] = {f: facts.get(f) or None for f in _FACTS}
    data["credits"] = list(credits)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    return _HEADER.format(seed=seed_stem) + body


def parse_page_info(text: str, path: str) -> PageInfo:
    """A PageInfo from a page file; raise DubenError (path:line) on a wrong shape."""
    data, _ = load_yaml(text, path)
    data = {} if data is None else data
    if isinstance(data, dict) and isinstance(data.get("date"), date):  # YAML reads 2024-08-05
        data["date"] = data["date"].isoformat()                      # as a date: keep the text
    allowed = (*_FACTS, "credits")
    ok = isinstance(data, dict) and set(data) <= set(allowed) and all(
        data.get(f) is None or isinstance(data[f], (str, int)) for f in _FACTS)
    credits = data.get("credits") or [] if isinstance(data, dict) else None
    if not ok or not isinstance(credits, list) or not all(isinstance(c, str) for c in credits):
        raise DubenError(Problem(path, 1, f"expected a mapping of {', '.join(allowed)} "
                                 "(text or null; credits: a list of text)"))
    if data.get("date") is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data["date"])):
        raise DubenError(Problem(path, 1, f"date must be YYYY-MM-DD, got {data['date']!r}"))
    return PageInfo(**{f: str(data[f]) for f in _FACTS if data.get(f) is not None},
                    credits=tuple(credits))


def with_page_files(pages: dict[str, PageInfo], content: Path, root: Path) -> dict[str, PageInfo]:
    """`pages` (from duben.yaml) with each content/<page>/page.yaml laid over it."""
    out = dict(pages)
    files, problems = paths.project_files(content, root, f"*/{PAGE_FILE}")  # symlink rule
    for path in files:
        shown = paths.shown(path, root)
        try:
            info = parse_page_info(read_text(path, shown), shown)
        except DubenError as exc:
            problems += exc.problems
            continue
        base = out.get(path.parent.name, PageInfo())
        known = {f.name: getattr(info, f.name) for f in fields(info) if getattr(info, f.name)}
        out[path.parent.name] = replace(base, **known)
    if problems:
        raise DubenError(problems)
    return out


def with_page_facts(config: Config) -> Config:
    """The config with the page files of its content/ laid over duben.yaml's `pages`."""
    pages = with_page_files(dict(config.pages), config.content_dir, config.root)
    return replace(config, pages=tuple(sorted(pages.items())))
