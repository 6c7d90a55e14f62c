"""One home per idea in the answer app (issue 13): checked on the sources, so that a copy coming back fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import spro.answer

ANSWER = Path(spro.answer.__file__).parent


def imported_modules(name: str) -> set[str]:
    """Every module a source file of the answer app imports, late imports included, as absolute names."""
    tree = ast.parse((ANSWER / name).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = "spro.answer" + (f".{base}" if base else "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_the_embedding_reranker_imports_nothing_of_the_metier_matcher():
    # metiers imports embeddings (late, only when a model is asked for) and passes it its index: no cycle.
    assert not {m for m in imported_modules("embeddings.py") if m.startswith("spro.answer.metiers")}


def test_rule_files_are_read_by_the_one_loader_only():
    for name in ("rules.py", "needs.py"):
        modules = imported_modules(name)
        assert "spro.core.rulefiles" in modules, name
        assert "yaml" not in modules and "pydantic.ValidationError" not in modules, name
    assert not (ANSWER / "datafiles.py").exists()


def test_language_detection_lives_in_its_own_module():
    facts = (ANSWER / "facts.py").read_text(encoding="utf-8")
    # nor re-exported: callers import it from languages
    assert "_OTHER" not in facts and "detect_language" not in facts
    assert "def detect_language" in (ANSWER / "languages.py").read_text(encoding="utf-8")
