"""The trend chart (issue #7 item 6): one measure's share per region over every wave of a trend,
one small chart per region. A line joins only waves that count the same unit: a published
regional table counts responses, a response-level wave municipalities, so the line stops where
the unit changes and a dashed rule marks the break. A total is over the area the view covers in
each wave, and its label names that area ("Itä-Suomi yhteensä"): totals of two areas are two
series, never one line, and the text says where and why the area changes (issue #16). Each point
carries its n/N; the unit is told by colour (Okabe–Ito), by the point's shape and by the line's
dash, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import altair as alt
import pandas as pd

from tilannekuva.charts import OKABE_ITO, SHARE_DOMAIN, _percent_axis, finish_chart
from tilannekuva.formatting import format_n_of_N, format_share, is_unknown
from tilannekuva.i18n import t

# Blue and vermillion: both above 3:1 against white (lines and points are graphics, WCAG 1.4.11).
UNIT_COLOURS = {"responses": OKABE_ITO["blue"], "municipalities": OKABE_ITO["vermillion"]}
UNIT_SHAPES = {"responses": "circle", "municipalities": "square"}
UNIT_DASHES = {"responses": [1, 0], "municipalities": [6, 3]}


def line_pieces(rows: pd.DataFrame) -> list[int]:
    """A piece number per row of one region (rows in wave order): a new piece wherever the unit's
    segment changes or after an unknown share, so no line joins across either."""
    pieces, piece, previous = [], 0, None
    for segment, share in zip(rows["segment"], rows["share"], strict=True):
        if previous is not None and (segment != previous or is_unknown(share)):
            piece += 1
        pieces.append(piece)
        previous = segment if not is_unknown(share) else None
    return pieces


def _points(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = trend.copy()
    frame["piece"] = 0
    # A series is a label: the total of each area is its own (issue #16).
    for _, rows in frame.groupby("region", sort=False):
        frame.loc[rows.index, "piece"] = line_pieces(rows)
    frame["unit_label"] = frame["unit"].map(lambda unit: t(lang, f"unit.{unit}"))
    frame["label"] = [
        format_n_of_N(n, total, lang) for n, total in zip(frame["n"], frame["total_n"], strict=True)
    ]
    frame["percent_label"] = frame["share"].map(lambda p: format_share(p, lang, decimals=1))
    frame["year"] = frame["year"].astype(int)
    frame["share"] = frame["share"].astype(float)
    frame["kind"] = "point"
    return frame


def unit_breaks(rows: pd.DataFrame) -> list[tuple[dict, dict]]:
    """The pairs of consecutive waves (rows of the trends table, in wave order) between which
    the unit changes."""
    waves = rows.drop_duplicates("wave_id").to_dict("records")
    return [(before, after) for before, after in pairwise(waves) if before["unit"] != after["unit"]]


def area_breaks(rows: pd.DataFrame) -> list[tuple[dict, dict]]:
    """The pairs of consecutive waves between which the total's area changes: its label names
    another area (issue #16)."""
    totals = rows[rows["region_code"] == "total"].drop_duplicates("wave_id").to_dict("records")
    return [
        (before, after) for before, after in pairwise(totals) if before["region"] != after["region"]
    ]


def _breaks(points: pd.DataFrame) -> pd.DataFrame:
    """A row per region and change of unit, halfway between the last wave before it and the first
    after it (the same frame as the points: a faceted layer must share its data)."""
    rows = [
        {"region": region, "kind": "break", "year": (before["year"] + after["year"]) / 2}
        for region, waves in points.groupby("region", sort=False)
        for before, after in unit_breaks(waves)
    ]
    return pd.DataFrame(rows, columns=["region", "kind", "year"])


def wave_labels(rows: pd.DataFrame) -> dict[str, str]:
    """{wave id: how the text names it}: its year, as the chart's x axis does (every wave of a
    trend has one), not its id ("2010", not "esimerkki-2010"). Two waves of one year would read
    alike: those keep their id beside the year."""
    years = rows.drop_duplicates("wave_id").set_index("wave_id")["year"].astype(int)
    shared = set(years[years.duplicated(keep=False)].index)
    return {
        wave: f"{year} ({wave})" if wave in shared else str(year) for wave, year in years.items()
    }


def text_alternative(rows: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """The chart as text: each region's points (year, n/N, share, unit), then each break; for
    no waves at all, why there is no trend."""
    if rows.empty:
        return (t(lang, "trends.no_trend"),)
    labels = wave_labels(rows)
    lines = [
        t(
            lang,
            "trends.text_alt",
            region=region,
            points="; ".join(
                t(
                    lang,
                    "trends.text_alt_point",
                    wave=labels[row["wave_id"]],
                    n_of_N=format_n_of_N(row["n"], row["total_n"], lang),
                    share=format_share(row["share"], lang, decimals=1),
                    unit=t(lang, f"unit.{row['unit']}"),
                )
                + (t(lang, "trends.text_alt_selected") if row["selected"] else "")
                for row in waves.to_dict("records")
            ),
        )
        for region, waves in rows.groupby("region", sort=False)
    ]
    lines += [
        t(
            lang,
            "trends.text_alt_break",
            before=labels[before["wave_id"]],
            after=labels[after["wave_id"]],
            unit_before=t(lang, f"unit.{before['unit']}"),
            unit_after=t(lang, f"unit.{after['unit']}"),
        )
        for before, after in unit_breaks(rows)
    ]
    lines += [
        t(
            lang,
            "trends.text_alt_area_break",
            before=labels[before["wave_id"]],
            after=labels[after["wave_id"]],
            area_before=before["region"],
            area_after=after["region"],
        )
        for before, after in area_breaks(rows)
    ]
    return tuple(lines)


def trend_chart(trend: pd.DataFrame, lang: str, *, description: str) -> alt.FacetChart:
    """``trend``: the trends table narrowed to one measure. One small chart per region (the total
    last), the share on the y axis 0..1 (labelled 0..100 %), the waves' years on the x axis."""
    points = _points(trend, lang)
    frame = pd.concat([points, _breaks(points)], ignore_index=True)
    units = [unit for unit in UNIT_COLOURS if unit in set(points["unit"])]
    labels = [t(lang, f"unit.{unit}") for unit in units]
    unit_title = t(lang, "col.unit")
    years = sorted(set(points["year"]))
    x = alt.X(
        "year:Q",
        title=t(lang, "col.year"),
        scale=alt.Scale(domain=[years[0] - 0.5, years[-1] + 0.5] if years else [0, 1], nice=False),
        axis=alt.Axis(values=years, format="d", labelFlush=False),
    )
    y = alt.Y(
        "share:Q",
        scale=alt.Scale(domain=list(SHARE_DOMAIN)),
        # "Share, %": the unit (responses or municipalities) changes along the axis.
        axis=_percent_axis(lang, t(lang, "col.share")),
    )
    known = alt.Chart().transform_filter("datum.kind == 'point' && isValid(datum.share)")
    colour = alt.Color(
        "unit_label:N",
        title=unit_title,
        scale=alt.Scale(domain=labels, range=[UNIT_COLOURS[u] for u in units]),
    )
    lines = known.mark_line(strokeWidth=2).encode(
        x=x,
        y=y,
        color=colour,
        strokeDash=alt.StrokeDash(
            "unit_label:N",
            title=unit_title,
            scale=alt.Scale(domain=labels, range=[UNIT_DASHES[u] for u in units]),
        ),
        detail="piece:N",
    )
    marks = known.mark_point(filled=True, size=90, opacity=1).encode(
        x=x,
        y=y,
        color=colour,
        # The selected wave's points are ringed in black (and named so in the text).
        stroke=alt.condition("datum.selected", alt.value(OKABE_ITO["black"]), alt.value(None)),
        strokeWidth=alt.condition("datum.selected", alt.value(2), alt.value(0)),
        size=alt.condition("datum.selected", alt.value(160), alt.value(90)),
        shape=alt.Shape(
            "unit_label:N",
            title=unit_title,
            scale=alt.Scale(domain=labels, range=[UNIT_SHAPES[u] for u in units]),
        ),
        tooltip=[
            # The year, as the axis and the text name the wave: an id says nothing to a reader.
            alt.Tooltip("year:Q", title=t(lang, "col.year"), format="d"),
            alt.Tooltip("unit_label:N", title=unit_title),
            alt.Tooltip("label:N", title="n/N"),
            alt.Tooltip("percent_label:N", title=t(lang, "col.share")),
        ],
    )
    text = known.mark_text(dy=-14, fontSize=12).encode(x=x, y=y, text="label:N")
    rule = (
        alt.Chart()
        .transform_filter("datum.kind == 'break'")
        # Not announced as an image of its own (axe's svg-img-alt, issue #21): a screen reader
        # has the break in the chart's text alternative (trends.text_alt_break).
        .mark_rule(strokeDash=[4, 4], color=OKABE_ITO["black"], aria=False)
        .encode(x=x)
    )
    rule_label = (
        alt.Chart()
        .transform_filter("datum.kind == 'break'")
        .mark_text(align="center", baseline="bottom", dy=-2, fontSize=11)
        .encode(x=x, y=alt.datum(SHARE_DOMAIN[1]), text=alt.value(t(lang, "trends.break_label")))
    )
    layers = alt.layer(rule, rule_label, lines, marks, text, data=frame)
    chart = layers.properties(height=160, width=480).facet(
        row=alt.Row(
            "region:N",
            sort=list(points["region"].unique()),
            title=None,
            header=alt.Header(
                labelAngle=0,
                labelAlign="left",
                labelFontSize=13,
                labelAnchor="start",
                labelOrient="top",
            ),
        )
    )
    # Years under every region's chart, not only under the last one.
    return finish_chart(chart.resolve_axis(x="independent"), lang, description)


def left_out_note(trend_waves: pd.DataFrame, titles: Mapping[str, str], lang: str) -> str | None:
    """The trends page's note on the waves of the trend's kind that have no year (the
    trend_waves table, in_trend false), named by their titles in ``lang`` as the sidebar names
    them; None when every wave is in the trend."""
    left_out = trend_waves.loc[~trend_waves["in_trend"].astype(bool), "wave_id"]
    if left_out.empty:
        return None
    return t(lang, "trends.left_out", waves=", ".join(titles.get(w, w) for w in left_out))


def artu_note(trend_waves: pd.DataFrame, artu: str, lang: str) -> str | None:
    """Under an ARTU filter, that the published regional tables are not in the trend, only when
    one of the trend's kind (real or fictional: trend_waves lists that kind only) would otherwise
    be in it. A fictional trend never has the real 2009 table, so there it says nothing."""
    in_trend = trend_waves[trend_waves["in_trend"].astype(bool)]
    if artu == "all" or not (in_trend["unit"] == "responses").any():
        return None
    return t(lang, "trends.artu_note")
