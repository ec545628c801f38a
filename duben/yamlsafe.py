"""The one YAML reader: safe types, no duplicate keys, bounded alias expansion.

Every YAML file duben reads (front matter, duben.yaml, seeds/*.yaml, data/*.yaml)
goes through `load_yaml`. PyYAML's safe loader alone keeps the last of two equal
keys (an editor's first `title` vanishes without a word) and lets nine levels of
anchors stand for a billion nodes: construction shares them, but the first code
that walks or prints the value runs out of memory. So the composed node graph is
checked before anything is constructed: duplicate keys are reported with both
lines, and a document whose aliases would expand past MAX_NODES is refused. The
check visits each distinct node once (sizes are memoised), so it is linear in the
text, and a refusal comes in milliseconds.
"""
from __future__ import annotations

from typing import Any

import yaml

from duben.errors import DubenError, Problem, yaml_problem

# libyaml's parser when PyYAML was built with it: same YAML, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 100_000  # nodes after alias expansion; our largest real file has ~2,000
MAX_DEPTH = 100  # nested lists/mappings; ours nest 3 deep. libyaml's composer recurses in
# C: `[[[[…` 100,000 deep crashes the interpreter (segmentation fault), so the depth is
# measured first from the parser's events, which libyaml makes without recursion.
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """(data, root node) of one YAML document; raise DubenError located at path:line.

    `first_line` is the file line on which the YAML text starts (2 for front matter
    after its opening '---'); the node's marks stay relative to the text.
    """
    _check_depth(text, path, first_line)
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        # Without anchors no node is shared, so the graph is a tree no bigger than the
        # text: only duplicate keys need looking for (3x faster; every article has one),
        # and it is built without PyYAML's bookkeeping (a third of reading front matter).
        if "&" not in text and "*" not in text and len(text) < MAX_NODES:
            try:
                return _tree(loader, node), node
            except (_Unusual, yaml.YAMLError):  # a key twice, merge keys, odd tags, lists
                loader.dispose()  # as keys, a bad value: checked, then built, PyYAML's way
                loader = _LOADER(text)  # (and its errors, in its order)
                node = loader.get_single_node()
                problems = _duplicate_keys(node, path, first_line)
        else:
            problems = _check(node, path, first_line)
        if problems:
            raise DubenError(problems)
        return loader.construct_document(node), node
    except yaml.YAMLError as exc:
        raise DubenError(yaml_problem(exc, path, first_line)) from None
    finally:
        loader.dispose()


def _check_depth(text: str, path: str, first_line: int) -> None:
    # Every level needs one of these characters ('[', '{', '- ', 'key:', '? '): with fewer
    # of them than MAX_DEPTH in the whole text there is nothing to measure.
    if sum(text.count(c) for c in "[{-:?") <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + first_line
                    raise DubenError(Problem(path, line, f"YAML nested more than {MAX_DEPTH} "
                                             "levels deep; refused"))
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError as exc:
        raise DubenError(yaml_problem(exc, path, first_line)) from None


def key_lines(node: yaml.Node | None, first_line: int = 1) -> dict[Any, int]:
    """Top-level mapping key -> file line, for messages about a key's value."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + first_line for k, _ in node.value
            if isinstance(k, yaml.ScalarNode)}


def _check(root: yaml.Node, path: str, first_line: int) -> list[Problem]:
    """Duplicate keys in every mapping, and the expanded size of the whole graph."""
    problems: list[Problem] = []
    sizes: dict[int, int] = {}
    # Iterative post-order walk: deep nesting must not hit Python's recursion limit.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        ident = id(node)
        if done:
            on_path.discard(ident)
            sizes[ident] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[ident] > MAX_NODES:
                line = node.start_mark.line + first_line
                return [Problem(path, line, f"YAML aliases expand to more than {MAX_NODES:,} "
                                "values; refused (anchors and aliases are not needed here)")]
            continue
        if ident in sizes:
            continue
        if ident in on_path:
            line = node.start_mark.line + first_line
            return [Problem(path, line, "recursive YAML alias; refused")]
        on_path.add(ident)
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            problems += _duplicates(node, path, first_line)
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return problems


_STR, _SEQ, _MAP, _INT, _BOOL, _NULL = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map", "int", "bool", "null"))


class _Unusual(Exception):
    """A node `_tree` leaves to PyYAML's constructor, or a key given twice."""


def _tree(loader: Any, node: yaml.Node) -> Any:
    """What loader.construct_document makes of a tree (no anchors) with no key given
    twice: text, lists and dicts built here, other scalars (numbers, dates, null) by
    PyYAML's own constructors. Nesting is bounded (MAX_DEPTH, checked first)."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_tree(loader, n) for n in node.value]
    if not (isinstance(node, yaml.MappingNode) and node.tag == _MAP):
        raise _Unusual
    out: dict[Any, Any] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag not in (_STR, _INT, _BOOL, _NULL):
            raise _Unusual  # (also '<<' and '=' keys, which PyYAML treats apart)
        k = _tree(loader, key)
        if k in out:  # a duplicate (or 1 and 01): reported, or kept, as PyYAML's way does
            raise _Unusual
        out[k] = _tree(loader, value)
    return out


def _duplicate_keys(root: yaml.Node, path: str, first_line: int) -> list[Problem]:
    """Duplicate keys in every mapping of a tree (a document without anchors)."""
    problems: list[Problem] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            problems += _duplicates(node, path, first_line)
            stack.extend(n for pair in node.value for n in pair
                         if not isinstance(n, yaml.ScalarNode))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(n for n in node.value if not isinstance(n, yaml.ScalarNode))
    return problems


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicates(node: yaml.MappingNode, path: str, first_line: int) -> list[Problem]:
    seen: dict[tuple[str, str], yaml.Node] = {}
    problems = []
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
            continue
        first = seen.setdefault((key.tag, key.value), key)
        if first is not key:
            line = key.start_mark.line + first_line
            problems.append(Problem(path, line, f"duplicate key {key.value!r} (first at line "
                                    f"{first.start_mark.line + first_line}); YAML would "
                                    "silently keep only this one"))
    return problems
