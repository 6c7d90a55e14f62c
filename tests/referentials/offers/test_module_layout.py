"""The offers importer's modules (docs/imports.md): each imports only the ones before it (no cycle, e.g. the
former chunks ↔ importers), and none reaches into another module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import spro.referentials.offers as offers

PACKAGE = Path(offers.__file__).parent


def _modules() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.glob("*.py"))}


def _imports(tree: ast.Module) -> list[ast.ImportFrom]:
    """Every `from .x import …` and `from spro… import …` of a module, at any depth (late imports too)."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


def test_the_modules_import_each_other_without_a_cycle():
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, tree in modules.items():
        for node in _imports(tree):
            if node.level == 1 and node.module:
                graph[name].add(node.module.split(".")[0])
            elif node.level == 1:  # from . import chunks, lheo
                graph[name].update(alias.name for alias in node.names)
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, f"import cycle: {' -> '.join((*trail, name))}"
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            if target in modules:
                visit(target, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())
    assert "importers" not in graph["chunks"]


#: underscore names that are public APIs: Django's model options and manager, named tuples' methods
PUBLIC = {"_meta", "_default_manager", "_make", "_replace", "_fields", "_asdict"}


def test_no_module_uses_another_modules_private_names():
    found = []
    for name, tree in _modules().items():
        imported = {"ctx"}  # the ImportContext, passed around
        for node in _imports(tree):
            found += [
                f"{name}: from {node.module} import {a.name}" for a in node.names if a.name.startswith("_")
            ]
            if node.level or (node.module or "").startswith("spro"):  # the project's names, not lxml's
                imported.update(alias.asname or alias.name for alias in node.names)
        for node in ast.walk(tree):
            # `ctx._model_counts`, `chunks._Warnings`: a private name of another module or object
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
                and node.attr.startswith("_")
                and node.attr not in PUBLIC
            ):
                found.append(f"{name}: {node.value.id}.{node.attr}")
    assert found == []
