"""The package is laid out as the pipeline: no import cycles, small modules, one slugify."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "duben"
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every duben module `name` imports, at any depth in the file (lazy imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    # A package's __init__ importing its own submodules is not a cycle worth reporting
    # unless a submodule imports the package back; keep both edges and let the check decide.
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_another_in_a_loop() -> None:
    assert _cycle(_graph()) is None


def test_the_halves_meet_only_in_the_model() -> None:
    """The importer never reaches into the site build, and the build never into the importer."""
    graph = _graph()
    for name, targets in graph.items():
        if name.startswith("duben.importer"):
            assert not {t for t in targets if t.startswith(("duben.renderers", "duben.output"))}
        if name.startswith(("duben.renderers", "duben.output", "duben.model")):
            assert not {t for t in targets if t.startswith("duben.importer")}, name


def test_no_module_is_over_the_size_guide() -> None:
    sizes = {p.relative_to(PACKAGE.parent).as_posix(): len(p.read_text().splitlines())
             for p in _modules().values()}
    assert {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


def test_one_slugify() -> None:
    defined = [p.relative_to(PACKAGE.parent).as_posix() for p in _modules().values()
               if "def slugify(" in p.read_text()]
    assert defined == ["duben/slugs.py"]
