"""Imports point one way (ui → rag/ingest, ingest → rag; rag never imports ui or ingest) and no
module reaches itself through its imports, lazy ones inside functions included; imports only
for type checking are left out, as they never run."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("rag", "ingest", "ui")
MAY_IMPORT = {"rag": {"rag"}, "ingest": {"rag", "ingest"}, "ui": {"rag", "ingest", "ui"}}


def _imported(tree: ast.AST) -> set[str]:
    """Every module (and module.name) an import in `tree` names, outside TYPE_CHECKING."""
    names: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        names |= _imported(node)
    return names


def _graph() -> dict[str, set[str]]:
    """Each module of the three packages and the modules of the three it imports."""
    imports = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            module = package if path.stem == "__init__" else f"{package}.{path.stem}"
            imports[module] = _imported(ast.parse(path.read_text(encoding="utf-8")))
    return {
        module: {m for m in names if m in imports} - {module} for module, names in imports.items()
    }


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from `start` back to itself, if there is one."""
    stack, seen = [[start]], set()
    while stack:
        path = stack.pop()
        for following in sorted(graph[path[-1]]):
            if following == start:
                return [*path, start]
            if following not in seen:
                seen.add(following)
                stack.append([*path, following])
    return None


def test_imports_point_one_way() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if target.split(".")[0] not in MAY_IMPORT[module.split(".")[0]]
    ]
    assert wrong == []


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    assert len(graph) > 30  # the three packages were read
    cycles = [" → ".join(cycle) for m in graph if (cycle := _cycle_from(m, graph))]
    assert cycles == []
