"""What split left in content/ last time: the files, the manifest, the slugs.

Editors own content/ once split has written it, so split must tell its own output
from a hand edit and must never rename an article. The manifest beside the
articles (content/.split-manifest.json) records, for every file split wrote, the
seed and order it came from, its slug and the sha256 of its bytes as written: a
file whose bytes no longer match is hand-edited and is not overwritten, and a
slug once written is kept forever (read back from front matter when the manifest
does not know the file).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from duben import paths
from duben.errors import DubenError, Problem
from duben.inputs import MAX_ARTICLE, MAX_DATA, decode_utf8, read_bytes
from duben.slugs import is_slug
from duben.yamlsafe import load_yaml

CONTENT = "content"
MANIFEST = ".split-manifest.json"
DROPPED_LIST = ".dropped.txt"
_OWN_FILES = (MANIFEST, DROPPED_LIST)  # rewritten by every run, never "hand-edited"


@dataclass(frozen=True)
class Entry:
    """One manifest record: where a content file came from and its bytes as split wrote them."""

    source: str
    order: int
    slug: str
    sha256: str | None  # None: split never wrote these bytes (file found, not made)


def read_tree(content: Path, root: Path) -> dict[str, bytes]:
    """Every file under content/ (paths relative to it), except split's own bookkeeping.

    A symlink that leaves the project is an error (paths.py states the rule)."""
    if not content.is_dir():
        return {}
    files, problems = paths.project_files(content, root)
    if problems:
        raise DubenError(problems)
    tree = {}
    for p in files:
        name = p.relative_to(content).as_posix()
        if name not in _OWN_FILES:
            tree[name] = read_bytes(p, paths.shown(p, root), MAX_ARTICLE)
    return tree


def load_manifest(content: Path) -> dict[str, Entry]:
    """The manifest of the last run; empty when there is none (every file then counts as
    hand-made, so nothing is overwritten that split cannot vouch for)."""
    path = content / MANIFEST
    shown = f"{CONTENT}/{MANIFEST}"
    if not path.exists():
        return {}
    try:
        raw = json.loads(decode_utf8(read_bytes(path, shown, MAX_DATA), shown))
        entries = {
            name: Entry(str(e["source"]), int(e["order"]), str(e["slug"]),
                        None if e["sha256"] is None else str(e["sha256"]))
            for name, e in raw["files"].items()
        }
    except json.JSONDecodeError as exc:
        raise DubenError(Problem(shown, exc.lineno, f"invalid JSON: {exc.msg}")) from None
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise DubenError(Problem(
            shown, None, f"not a split manifest ({exc!r}); delete it to treat every file "
            "in content/ as hand-edited",
        )) from None
    # Names and slugs become paths in content/: `x/../../pwned` must never be one.
    problems = [Problem(shown, None, f"{name!r}: not a content file name "
                        "(<page>/<NN>-<slug>.md); refused") for name in entries
                if not paths.content_name_ok(name)]
    problems += [Problem(shown, None, f"{name!r}: slug {e.slug!r} is not a slug; refused")
                 for name, e in entries.items() if name.endswith(".md") and not is_slug(e.slug)]
    problems += [Problem(shown, None, f"{name!r}: source {problem}") for name, e in entries.items()
                 if (problem := paths.source_file_problem(e.source))]
    if problems:
        raise DubenError(problems)
    return entries


def dump_manifest(entries: dict[str, Entry]) -> bytes:
    """The manifest file's bytes: sorted keys, so an unchanged run rewrites it identically."""
    files = {
        name: {"order": e.order, "sha256": e.sha256, "slug": e.slug, "source": e.source}
        for name, e in entries.items()
    }
    text = json.dumps({"files": files, "version": 1}, ensure_ascii=False, indent=2,
                      sort_keys=True)
    return (text + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    """The hex digest the manifest records for a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def untouched(name: str, current: bytes, manifest: dict[str, Entry]) -> bool:
    """True when the file is byte for byte what split last wrote there."""
    entry = manifest.get(name)
    return entry is not None and entry.sha256 == sha256(current)


def known_slugs(manifest: dict[str, Entry], old: dict[str, bytes]) -> dict[tuple[str, int], str]:
    """(seed, order) -> slug already written to content/, manifest first, then front matter."""
    known = {(e.source, e.order): e.slug for _, e in sorted(manifest.items())}
    for name, data in old.items():
        if name in manifest or not name.endswith(".md"):
            continue
        found = _front_matter_key(data)
        if found is not None:
            known.setdefault(found[0], found[1])
    return known


def _front_matter_key(data: bytes) -> tuple[tuple[str, int], str] | None:
    """((source file, order), slug) from a content file, or None if it does not say."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        _, meta, _ = text.split("---\n", 2)
        front, _ = load_yaml(meta, "")
        key = (str(front["source"]["file"]), int(front["source"]["order"]))
        slug = front["slug"]
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, DubenError):
        return None
    # An editor's file may hold anything; only a usable slug can name a file.
    return (key, slug) if isinstance(slug, str) and is_slug(slug) else None
