"""The storage layer's imports show its real dependencies (issue 14): no storage module
imports another inside a function to dodge an import cycle, the module-level import graph
has no cycle, and every module imports alone in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import radiculopathy_desktop.storage as storage_pkg

STORAGE = Path(storage_pkg.__file__).parent
PREFIX = "radiculopathy_desktop.storage"
MODULES = sorted(p.stem for p in STORAGE.glob("*.py") if p.stem != "__init__")


def _storage_targets(node: ast.stmt) -> list[str]:
    """The storage modules an import statement names (``from ..storage import db`` -> ``db``)."""
    if isinstance(node, ast.Import):
        return [a.name[len(PREFIX) + 1:].split(".")[0] for a in node.names if a.name.startswith(PREFIX + ".")]
    if isinstance(node, ast.ImportFrom) and node.module:
        if node.module == PREFIX:
            return [a.name for a in node.names if a.name in MODULES]
        if node.module.startswith(PREFIX + "."):
            return [node.module[len(PREFIX) + 1:].split(".")[0]]
    return []


#: Function-level storage imports made on purpose, each with its reason: still counted as the
#: module's dependencies (the cycle test below walks them too), only loaded when used.
DEFERRED = {
    ("opening", "backup"): "only a schema update backs up first; every opening (the window's start-up, before "
                           "its first paint) sweeps through storage/leftovers.py instead (issue 17)",
}


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(module: str) -> tuple[set[str], list[str]]:
    """(storage modules imported at module level, function-level storage imports as "line: text")."""
    tree = ast.parse((STORAGE / f"{module}.py").read_text(encoding="utf-8"))
    top: set[str] = set()
    for node in tree.body:
        if _is_type_checking(node):
            continue  # annotations only: never executed
        top.update(_storage_targets(node))
    nested = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                targets = _storage_targets(inner)
                if targets and all((module, t) in DEFERRED for t in targets):
                    top.update(targets)  # a declared deferral: a dependency all the same
                elif targets:
                    nested.append(f"{inner.lineno}: {ast.unparse(inner)}")
    return top - {module}, nested


def test_the_scan_sees_the_imports_it_is_meant_to_see():
    top, _ = imports_of("store")
    assert {"db", "worklist", "changes", "opening"} <= top


def test_each_declared_deferral_is_still_a_deferral_and_a_dependency():
    """A deferral listed in DEFERRED that is no longer in a function (or no longer made) is
    taken off the list; a deferred import still counts in the module's dependencies."""
    for module, target in DEFERRED:
        top, _ = imports_of(module)
        assert target in top
        tree = ast.parse((STORAGE / f"{module}.py").read_text(encoding="utf-8"))
        assert not any(target in _storage_targets(node) for node in tree.body), (module, target)


def test_no_storage_module_imports_another_inside_a_function():
    found = {m: nested for m in MODULES for nested in [imports_of(m)[1]] if nested}
    assert not found, f"function-level storage imports (an import cycle hidden?): {found}"


def test_the_storage_import_graph_has_no_cycle():
    graph = {m: imports_of(m)[0] for m in MODULES}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(n):] + [n]))
            if n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in MODULES:
        if m not in state:
            visit(m)
    # the cycle the issue named is gone: db no longer reaches backup, backup not the store
    assert "backup" not in graph["db"] and "store" not in graph["backup_settings"]
    assert "store" not in graph["worklist"]


@pytest.mark.parametrize("module", MODULES)
def test_each_storage_module_imports_alone_in_a_fresh_interpreter(module):
    code = (f"import {PREFIX}.{module} as m, sys; "
            "assert not [n for n in sys.modules if n.startswith('PySide6')], 'Qt imported'")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
