"""The one home of charts: a chart is a `ChartSpec` (title, description, categories, series), drawn by two
renderers — on the web by Chart.js (vendored in `core/vendor/chartjs/`, started by `core/charts.js` from the spec
passed as JSON, `web_data`), and on the server as accessible SVG (`svg`, `bar_chart`) for the documents (PDF/ODT)
and the pages that need no script.

A chart is never the only way to read its numbers: each is drawn next to the table it illustrates, which is its text
alternative. The SVG has `role="img"`, a <title> and a <desc> (named by `aria-labelledby`); every bar carries its
label and its value as text, so nothing is told by colour alone; a hidden count (« < 5 », « masqué », from
`spro.core.disclosure`) gets no bar, only its text. Colours are the theme's (DSFR-like blue on white, text at the
body's contrast); sizes are in the SVG's own units and the drawing scales with the page (`viewBox`, width 100 %).

Why not a library: pygal (the pure-Python SVG one, installable offline) loads its tooltips' JavaScript from a remote
address unless configured, sets neither `role` nor <desc>, and tells series apart by colour; making its output meet
these rules took more code than this horizontal bar chart, which is all the documents need. On the web, the
dashboards compare two periods over many indicators: Chart.js (MIT, maintained, no network, CSP-compatible) draws
them in the page from the same spec, the table beside each one staying its alternative (progressive enhancement).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#000091"  # the theme's primary blue: 11.1:1 on white
TEXT_COLOUR = "#161616"
AXIS_COLOUR = "#666666"
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its count (None when the count is hidden) and the text shown for it."""

    label: str
    value: int | None
    shown: str


def bar_chart(title: str, description: str, bars: Sequence[Bar], *, chart_id: str = "") -> SafeString:
    """A horizontal bar chart as inline SVG (labels on the left, the value after each bar)."""
    uid = chart_id or f"graphique-{next(_ids)}"
    label_width, bar_area, value_width, row, top = 260, 380, 90, 28, 8
    width = label_width + bar_area + value_width
    height = top * 2 + row * max(len(bars), 1)
    largest = max((bar.value for bar in bars if bar.value is not None), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{uid}-titre {uid}-desc" focusable="false">',
        f'<title id="{uid}-titre">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - top}" stroke="{AXIS_COLOUR}" />',
    ]
    for index, bar in enumerate(bars):
        y = top + index * row
        middle = y + row / 2
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="14" fill="{TEXT_COLOUR}">{escape(_shorten(bar.label))}</text>'
        )
        length = 0.0
        if bar.value:
            length = max(bar_area * bar.value / largest, 2.0)
            parts.append(
                f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row - 10}" '
                f'fill="{BAR_COLOUR}" />'
            )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{middle:.1f}" dominant-baseline="middle" '
            f'font-size="14" fill="{TEXT_COLOUR}">{escape(bar.shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name (shown in the legend) and, per category, its count (None when hidden) and
    the text shown for it (« < 5 », « masqué »)."""

    name: str
    values: tuple[int | None, ...]
    shown: tuple[str, ...]


@dataclass(frozen=True)
class ChartSpec:
    """What a chart says, whatever draws it: categories along one axis, one bar per category and series."""

    key: str
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def data_id(self) -> str:
        """The id of the page's JSON script holding `web_data` (the web renderer finds it by this id)."""
        return f"{self.key}-donnees"

    def web_data(self) -> dict:
        """The spec as JSON-ready data for `core/charts.js` (passed with `json_script`, never inline script)."""
        return {
            "title": self.title,
            "categories": list(self.categories),
            "series": [
                {"name": s.name, "values": list(s.values), "shown": list(s.shown)} for s in self.series
            ],
        }

    def svg(self) -> SafeString:
        """The server-side drawing (documents): one bar per category and series, labelled « category — series »
        when there are several series, so that no series is told by colour alone."""
        several = len(self.series) > 1
        bars = [
            Bar(f"{category} — {s.name}" if several else category, s.values[i], s.shown[i])
            for i, category in enumerate(self.categories)
            for s in self.series
        ]
        return bar_chart(self.title, self.description, bars, chart_id=self.key)


def _shorten(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
