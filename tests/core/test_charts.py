"""The one chart spec and its two renderers: the data the web renderer (Chart.js) reads, and the SVG for documents,
where a hidden count has no bar and, with two series, each bar names its series (not told by colour alone)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from spro.core.charts import Bar, ChartSpec, Series, bar_chart

SPEC = ChartSpec(
    key="graphique-test",
    title="Premiers contacts : T2 et T1",
    description="Deux barres par canal.",
    categories=("Téléphone", "Chat"),
    series=(Series("T2", (7, None), ("7", "< 5")), Series("T1", (8, 5), ("8", "5"))),
)


def test_the_web_data_carries_values_and_shown_texts():
    data = SPEC.web_data()
    assert data["categories"] == ["Téléphone", "Chat"]
    assert data["series"][0] == {"name": "T2", "values": [7, None], "shown": ["7", "< 5"]}
    assert json.loads(json.dumps(data)) == data
    assert SPEC.data_id == "graphique-test-donnees"


def test_the_svg_names_each_series_and_draws_no_bar_for_a_hidden_count():
    svg = str(SPEC.svg())
    assert 'role="img"' in svg and "<desc" in svg
    assert "Téléphone — T2" in svg and "Chat — T1" in svg
    assert svg.count("<rect") == 3  # 7, 8 and 5; « < 5 » is only its text
    assert "&lt; 5" in svg


def test_the_single_series_bar_chart_is_unchanged():
    svg = str(bar_chart("Titre", "Description", [Bar("A", 3, "3"), Bar("B", None, "masqué")]))
    assert svg.count("<rect") == 1 and "masqué" in svg


def test_chart_js_is_vendored_with_its_licence_and_no_source_map_reference():
    folder = Path(settings.BASE_DIR) / "spro/core/static/core/vendor/chartjs"
    script = (folder / "chart.umd.min.js").read_text(encoding="utf-8")
    assert script.startswith("/*!\n * Chart.js v4.")
    assert "sourceMappingURL" not in script
    assert "MIT" in (folder / "LICENSE.md").read_text(encoding="utf-8")
