"""Charts as PNG and SVG images for a slide, a letter or the meeting pack (issue #8).

Rendered offline by vl-convert (Vega-Lite → SVG/PNG in-process, no browser, no network). Every
image carries a footer under the chart: source, wave, filters, extraction time, what N counts,
and the chart's figures as text, so an image cut out of its page still says what it shows and on
which base (n/N).
"""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

from tilannekuva.charts import inline_spec
from tilannekuva.i18n import t
from tilannekuva.provenance import Provenance, base_text, footer_lines

PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
PNG_SCALE = 2  # twice the screen size: sharp on a projector and in print
FOOTER_CHARACTERS = 100  # a Vega title line does not wrap by itself


def image_footer(prov: Provenance, lang: str, figures: Sequence[str]) -> list[str]:
    """The footer's lines, wrapped: provenance, the base, then the figures as text."""
    lines = [*footer_lines(prov, lang), base_text(prov, lang)]
    if figures:
        lines.append(f"{t(lang, 'pack.figures')}:")
        lines += [f"• {figure}" for figure in figures]
    return [
        part
        for line in lines
        for part in textwrap.wrap(line, FOOTER_CHARACTERS, subsequent_indent="  ") or [""]
    ]


def with_footer(
    chart: alt.TopLevelMixin | dict[str, Any], footer: Sequence[str], heading: str = ""
) -> dict:
    """The chart's Vega-Lite spec with ``footer`` as a bottom-left title and ``heading`` above
    it. The charts of this app carry no title of their own (the page's heading names them), so
    an image cut out of its page gets one (issue #21: a chart's PNG had no title)."""
    # Every dataset in place, and a map's borders (charts.inline_spec): vl-convert reads a
    # TopoJSON topology only inline.
    spec = inline_spec(copy.deepcopy(chart) if isinstance(chart, dict) else chart)
    if heading:
        # Vega-Lite has one title per view: the heading is the chart's own title, the footer
        # the title (at the bottom, under the legend) of a one-chart column around it.
        outer = {key: spec.pop(key) for key in ("$schema", "datasets", "config") if key in spec}
        spec["title"] = {
            "text": textwrap.wrap(heading, FOOTER_CHARACTERS * 3 // 4) or [heading],
            "anchor": "start",
            "fontSize": 15,
            "fontWeight": "bold",
            "color": "#222222",
            "offset": 12,
        }
        spec.pop("padding", None)
        column = with_footer({**outer, "vconcat": [spec]}, footer)
        return column
    spec["title"] = {
        "text": list(footer),
        "orient": "bottom",
        "anchor": "start",
        "fontSize": 11,
        "fontWeight": "normal",
        "color": "#222222",
        "lineHeight": 15,
        "offset": 18,
    }
    spec.setdefault("padding", 12)
    return spec


def png_bytes(
    chart: alt.TopLevelMixin | dict[str, Any], footer: Sequence[str], heading: str = ""
) -> bytes:
    spec = with_footer(chart, footer, heading)
    return bytes(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))


def svg_bytes(
    chart: alt.TopLevelMixin | dict[str, Any], footer: Sequence[str], heading: str = ""
) -> bytes:
    return vl_convert.vegalite_to_svg(with_footer(chart, footer, heading)).encode("utf-8")


def image_heading(figure: str, lang: str, area: str) -> str:
    """The heading of a chart's image: what it shows, and of which area."""
    return t(lang, "chart_image.heading", figure=t(lang, f"figure.title_{figure}"), area=area)
