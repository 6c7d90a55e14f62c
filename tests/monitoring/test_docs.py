"""docs/pilotage.md lists every declared indicator, as `spro indicateurs doc` generates it."""

from __future__ import annotations

from pathlib import Path

from spro.monitoring import declarations, docs

DOC = Path(__file__).resolve().parents[2] / "docs" / "pilotage.md"


def test_the_doc_holds_the_generated_list_of_every_declared_indicator():
    loaded = declarations.build(declarations.PACKAGED, None)
    text = DOC.read_text(encoding="utf-8")
    for indicator in loaded.indicators:
        assert f"### `{indicator.code}`" in text, indicator.code
    assert docs.indicators_markdown(loaded) in text, (
        "docs/pilotage.md: run `spro indicateurs doc` and paste it"
    )
