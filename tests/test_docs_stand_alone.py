"""The repository's documentation stands on its own: nothing cites the contracts file that lived outside the
repository (its content is docs/contracts.md), and every link to a document of docs/ leads to an existing file and,
for docs/contracts.md, to an existing section."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE_FILE = "CONTRACTS" + ".md"  # spelt in two parts so that this test does not find itself
SKIPPED_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".html",
    ".txt",
    ".yaml",
    ".yml",
    ".toml",
    ".cfg",
    ".ini",
    ".sh",
    ".js",
    ".css",
}
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])


def text_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT).parts
        if any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in relative):
            continue
        wanted = path.suffix in TEXT_SUFFIXES or path.name in {"Makefile", "Dockerfile"}
        if wanted and path.is_file() and path.stat().st_size < 2_000_000:
            found.append(path)
    return found


def test_no_file_cites_the_contracts_file_from_outside_the_repository():
    citing = [
        str(path.relative_to(ROOT))
        for path in text_files()
        if OUTSIDE_FILE in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert citing == [], f"cite docs/contracts.md instead: {citing}"


def test_the_scan_sees_code_docs_templates_and_data_notes():
    names = {str(path.relative_to(ROOT)) for path in text_files()}
    assert {
        "README.md",
        "docs/contracts.md",
        "spro/settings.py",
        "spro/core/templates/core/home.html",
    } <= names
    assert "data/directory/SOURCE.md" in names


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    result = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, flags=re.M):
        text = unicodedata.normalize("NFC", heading.strip().lower())
        text = re.sub(r"[^\w\- ]", "", text)
        result.add(text.replace(" ", "-"))
    return result


def doc_links(path: Path) -> list[tuple[Path, str]]:
    """(target file, anchor) for each `docs/x.md` mention and each relative Markdown link to a `.md` file."""
    text = path.read_text(encoding="utf-8")
    links = []
    for name, anchor in re.findall(r"(?<![\w/.(])docs/([\w./-]+\.md)(?:#([\w-]+))?", text):
        links.append((ROOT / "docs" / name, anchor))
    for target, anchor in re.findall(r"\]\(([^)#\s:]+\.md)(?:#([^)\s]+))?\)", text):
        links.append(((path.parent / target).resolve(), anchor))
    return links


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_to_a_document_leads_to_an_existing_file(doc):
    missing = [str(target) for target, _anchor in doc_links(doc) if not target.is_file()]
    assert missing == []


def test_every_citation_of_a_contracts_section_names_an_existing_section():
    contracts = ROOT / "docs" / "contracts.md"
    sections = anchors(contracts.read_text(encoding="utf-8"))
    assert {"set-up", "command-line", "pages", "http-api", "search-result", "vocabularies"} <= sections
    cited = set()
    for path in text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        cited |= set(re.findall(r"contracts\.md#([\w-]+)", text))
    assert cited, "the code cites sections of docs/contracts.md"
    assert cited <= sections, cited - sections


def test_the_link_checker_finds_a_dead_link(tmp_path):
    doc = tmp_path / "guide.md"
    doc.write_text("See [the rules](rules.md) and docs/nothing-here.md.", encoding="utf-8")
    targets = [target for target, _ in doc_links(doc)]
    assert tmp_path / "rules.md" in targets and ROOT / "docs" / "nothing-here.md" in targets
    assert not any(target.is_file() for target in targets)
