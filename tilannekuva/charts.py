"""Altair charts: Okabe–Ito colours (colour-blind safe), every bar labelled with its figure so
colour is never the only carrier of information, numbers in the UI language, and a
``description`` (read by screen readers) on every chart. Each chart is drawn beside a table or a
text alternative by the page; the frames here are the same ones the tables show.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from tilannekuva import borders
from tilannekuva.formatting import (
    format_count,
    format_date,
    format_n_of_N,
    format_period,
    format_share,
)
from tilannekuva.i18n import t

# Altair checks every schema object against the Vega-Lite schema as it is made (its DEBUG_MODE,
# on by default "for more useful tracebacks"): a quarter of the CPU of building the charts of a
# page (27 charts: 1.8 s against 1.36 s; three packs 3.1-3.5 s against 2.9 s; issue #20 item 7).
# Every chart's whole spec is still checked once, when it is made for the page (store._figure:
# to_dict, in Streamlit's converter), so a wrong chart still fails there and in the tests
# (tests/test_charts.py). The setting is Altair's and global; every chart module imports this one.
alt.utils.schemapi.disable_debug_mode()

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
STATUS_COLOURS = {
    "plan_ready": OKABE_ITO["blue"],
    "plan_started": OKABE_ITO["orange"],
    "plan_not_started": OKABE_ITO["sky_blue"],
}
MEASURE_COLOURS = {
    "council_approved": OKABE_ITO["bluish_green"],
    "published": OKABE_ITO["reddish_purple"],
    "artu_in_use": OKABE_ITO["vermillion"],
}
SCOPE_COLOURS = {
    "municipal": OKABE_ITO["blue"],
    "sub_regional": OKABE_ITO["orange"],
    "province_wide": OKABE_ITO["bluish_green"],
}

_NUMBER_LOCALES = {
    "fi": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "percent": "\u00a0%"},
    "sv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "percent": "\u00a0%"},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "percent": "%"},
}


def finish_chart(chart: alt.TopLevelMixin, lang: str, description: str) -> alt.TopLevelMixin:
    number_locale = {
        "currency": ["", "\u00a0€"],
        **_NUMBER_LOCALES.get(lang, _NUMBER_LOCALES["fi"]),
    }
    return (
        chart.properties(
            description=description,
            usermeta={"embedOptions": {"formatLocale": number_locale}},
        )
        .configure(locale={"number": number_locale})
        .configure_axis(labelFontSize=13, titleFontSize=13, labelLimit=260)
        .configure_legend(
            labelFontSize=13, titleFontSize=13, orient="bottom", labelLimit=320, columns=1
        )
    )


PERCENT_DECIMALS = 1  # as the tables and the text: a chart never rounds to whole per cents
# A bar at least this part of the axis long carries its label inside, at its end; a shorter one
# just after its end. So no label passes the plot's right edge, and none sits on another bar
# (a stacked segment of 0 once printed its "0" over the next figure, issue #8).
INSIDE_FROM = 0.5


def _label_column(frame: pd.DataFrame, lang: str, *, percent: bool) -> pd.Series:
    if percent:
        return frame["share"].map(lambda p: format_share(p, lang, decimals=PERCENT_DECIMALS))
    return frame["n"].map(lambda n: format_count(n, lang))


SHARE_DOMAIN = (0.0, 1.0)


def _percent_axis(lang: str, title: str | None) -> alt.Axis:
    """An axis over shares 0..1 (as the tables hold them), labelled "20 %" in the UI language:
    the figure is drawn as SQL computed it and made a per cent only in its label."""
    sign = _NUMBER_LOCALES.get(lang, _NUMBER_LOCALES["fi"])["percent"]
    return alt.Axis(labelExpr=f"format(datum.value * 100, 'd') + '{sign}'", title=title)


def _scale(colours: dict[str, str], lang: str, prefix: str) -> tuple[alt.Scale, list[str]]:
    labels = [t(lang, f"{prefix}{key}") for key in colours]
    return alt.Scale(domain=labels, range=list(colours.values())), labels


def _labelled_bars(
    frame: pd.DataFrame,
    lang: str,
    *,
    value: str,
    domain_max: float,
    axis: alt.Axis,
    colour: alt.Color,
    tooltip: list[alt.Tooltip],
    white_text: tuple[str, ...] = (),
    order: list[str] | None = None,
) -> alt.LayerChart:
    """One bar per region and measure (the measures side by side within a region, in ``order``
    — the legend's — else the table's; the regions in the table's order, the total last), each
    labelled by ``frame["label"]`` inside or after its end (INSIDE_FROM); an unknown value is
    ".." at zero, never a bar. One chart, not a facet, so it takes the width of its column (a
    phone's too)."""
    frame = frame.copy()
    if "few_answers" in frame:
        # A share over fewer than 5 answers says so on its bar (issue #8).
        few = frame["few_answers"].fillna(False).astype(bool)
        mark = t(lang, "few_answers.mark")
        frame["label"] = frame["label"].where(~few, frame["label"] + " " + mark)
    frame["known"] = frame[value].notna()
    frame[value] = frame[value].astype(float)
    frame["inside"] = frame["known"] & (frame[value] >= INSIDE_FROM * domain_max)
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "region:N",
            sort=list(frame["region"].unique()),
            title=None,
            axis=alt.Axis(labelFontWeight="bold"),
        ),
        yOffset=alt.YOffset("measure_label:N", sort=order or list(frame["measure_label"].unique())),
        x=alt.X(f"{value}:Q", scale=alt.Scale(domain=[0, domain_max]), axis=axis),
    )
    bars = base.transform_filter("datum.known").mark_bar().encode(color=colour, tooltip=tooltip)
    after = (
        base.transform_filter("datum.known && !datum.inside")
        .mark_text(align="left", dx=4, fontSize=12)
        .encode(text="label:N")
    )
    # Black on the Okabe–Ito colours used here (contrast above 4.5:1); white on the dark blue.
    on_bar = (
        base.transform_filter("datum.inside")
        .mark_text(align="right", dx=-4, fontSize=12)
        .encode(
            text="label:N",
            color=alt.condition(
                alt.FieldOneOfPredicate(field="measure", oneOf=list(white_text)),
                alt.value("white"),
                alt.value("black"),
            )
            if white_text
            else alt.value("black"),
        )
    )
    unknown = (
        base.transform_filter("!datum.known")
        .mark_text(align="left", dx=4, fontSize=12, fontWeight="bold")
        .encode(x=alt.datum(0), text="label:N")  # ".." or "0/0 · .." as the table says
    )
    # The step is each bar's band (the offset), so a region's band grows with its measures.
    return (bars + after + on_bar + unknown).properties(height=alt.Step(20, **{"for": "offset"}))


def _count_max(values: pd.Series) -> float:
    """The end of a count axis: the largest known count, at least 1 (an axis of all zeros)."""
    known = values.dropna().astype(float)
    return max(float(known.max()) if len(known) else 0.0, 1.0)


def _count_axis(title: str, domain_max: float) -> alt.Axis:
    """An axis of whole counts. A short one (up to 10) gets every whole number as its ticks: left
    to itself it ticked at halves, read "0 1 1 2 2" once the format rounded them (Vega 6 did
    not honour tickMinStep here)."""
    values = list(range(int(domain_max) + 1)) if domain_max <= 10 else alt.Undefined
    return alt.Axis(format="d", title=title, values=values)


def _grouped_bars(
    frame: pd.DataFrame,
    lang: str,
    colours: dict[str, str],
    *,
    prefix: str,
    value: str,
    domain_max: float,
    axis: alt.Axis,
    titles: tuple[str | None, str, str],
    description: str,
) -> alt.Chart:
    """The one builder of the bar charts: ``frame`` has a row per region and ``measure`` (a key
    of ``colours``, named by ``prefix`` + key in the catalogue) with its ``label`` and ``value``.
    ``titles`` are the legend's and the tooltip's names of the measure and of the label."""
    frame = frame.copy()
    frame["measure_label"] = frame["measure"].map(lambda m: t(lang, f"{prefix}{m}"))
    scale, labels = _scale(colours, lang, prefix)
    legend, measure_title, label_title = titles
    layers = _labelled_bars(
        frame,
        lang,
        value=value,
        domain_max=domain_max,
        axis=axis,
        colour=alt.Color("measure_label:N", scale=scale, sort=labels, title=legend),
        tooltip=[
            alt.Tooltip("region:N", title=t(lang, "col.region")),
            alt.Tooltip("measure_label:N", title=measure_title),
            alt.Tooltip("label:N", title=label_title),
        ],
        # White on the dark blue only; black on the lighter Okabe–Ito colours (contrast 4.5:1).
        white_text=tuple(key for key, colour in colours.items() if colour == OKABE_ITO["blue"]),
        # The bars in the legend's order (issue #21: the target page's were the reverse).
        order=labels,
    )
    return finish_chart(layers, lang, description)


def status_chart(shares: pd.DataFrame, lang: str, *, percent: bool, description: str) -> alt.Chart:
    """Plan status (ready / started / not started) per region, side by side; counts or percent.
    Side by side, not stacked: every figure gets a bar of its own and a label that fits."""
    frame = shares[shares["measure"].isin(STATUS_COLOURS)].copy()
    frame["label"] = _label_column(frame, lang, percent=percent)
    value = "share" if percent else "n"
    title = t(lang, "chart.percent" if percent else "chart.count")
    domain_max = SHARE_DOMAIN[1] if percent else _count_max(frame["n"])
    return _grouped_bars(
        frame,
        lang,
        STATUS_COLOURS,
        prefix="measure.",
        value=value,
        domain_max=domain_max,
        axis=_percent_axis(lang, title) if percent else _count_axis(title, domain_max),
        titles=(
            t(lang, "chart.status"),
            t(lang, "chart.status"),
            t(lang, "col.share" if percent else "col.n"),
        ),
        description=description,
    )


def share_bars(
    shares: pd.DataFrame,
    lang: str,
    colours: dict[str, str],
    *,
    description: str,
) -> alt.Chart:
    """Shares n/N of several measures per region (and the total), bars labelled "n/N · %"."""
    frame = shares[shares["measure"].isin(colours)].copy()
    frame["label"] = [
        f"{format_n_of_N(n, base, lang)} · {format_share(p, lang, decimals=PERCENT_DECIMALS)}"
        for n, base, p in zip(frame["n"], frame["responses"], frame["share"], strict=True)
    ]
    return _grouped_bars(
        frame,
        lang,
        colours,
        prefix="measure.",
        value="share",
        domain_max=SHARE_DOMAIN[1],
        axis=_percent_axis(lang, t(lang, "chart.percent")),
        titles=(None, t(lang, "col.measure"), "n/N"),
        description=description,
    )


def scope_chart(scope: pd.DataFrame, lang: str, *, description: str) -> alt.Chart:
    """Plans in progress by scope per region. A blank source cell is drawn as "..", never as a
    zero-length bar."""
    frame = scope.assign(measure=scope["scope"])
    frame["label"] = frame["n"].map(lambda n: format_count(n, lang))
    return _grouped_bars(
        frame,
        lang,
        SCOPE_COLOURS,
        prefix="scope.",
        value="n",
        domain_max=_count_max(frame["n"]),
        axis=_count_axis(t(lang, "chart.count"), _count_max(frame["n"])),
        titles=(None, t(lang, "col.scope"), "n"),
        description=description,
    )


def timeline_chart(
    milestones: pd.DataFrame, workshops: pd.DataFrame, lang: str, *, description: str
) -> alt.Chart:
    """Invitation milestones as the periods the source gives (a month as a month) and each
    region's workshop as a day, on one time axis."""
    ends = pd.to_datetime(milestones["period_end"])
    periods = pd.DataFrame(
        {
            "row": [t(lang, f"milestone.{m}") for m in milestones["milestone"]],
            "start": pd.to_datetime(milestones["period_start"]),
            "end": ends + pd.Timedelta(days=1),
            "open": ends.isna(),
            "label": [
                format_period(start, end, precision, lang)
                for start, end, precision in zip(
                    milestones["period_start"],
                    milestones["period_end"],
                    milestones["precision"],
                    strict=True,
                )
            ],
        }
    )
    days = pd.DataFrame(
        {
            "row": [f"{t(lang, 'milestone.workshop')}: {r}" for r in workshops["region"]],
            "start": pd.to_datetime(workshops["workshop_date"]),
            "label": [format_date(d, lang) for d in workshops["workshop_date"]],
        }
    )
    order = list(periods["row"]) + list(days["row"])
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    x_title = t(lang, "chart.date")
    date_format = "%-d %b" if lang == "en" else "%-d.%-m."
    x_axis = alt.Axis(format=date_format, tickCount="month")
    bars = (
        alt.Chart(periods)
        .transform_filter("!datum.open")
        .mark_bar(color=OKABE_ITO["sky_blue"], stroke=OKABE_ITO["blue"])
        .encode(y=y, x=alt.X("start:T", title=x_title, axis=x_axis), x2="end:T")
    )
    # A time the source gives without an end ("beginning of June") is drawn as where it begins,
    # with the source's words, never as a whole month (issue #8).
    open_start = (
        alt.Chart(periods)
        .transform_filter("datum.open")
        .mark_point(shape="triangle-right", size=160, filled=True, color=OKABE_ITO["blue"])
        .encode(y=y, x=alt.X("start:T", title=x_title, axis=x_axis))
    )
    open_label = (
        alt.Chart(periods)
        .transform_filter("datum.open")
        .mark_text(align="left", dx=10, fontSize=12)
        .encode(y=y, x="start:T", text="label:N")
    )
    points = (
        alt.Chart(days)
        .mark_point(shape="diamond", size=180, filled=True, color=OKABE_ITO["vermillion"])
        .encode(y=y, x="start:T")
    )
    labels = (
        alt.Chart(days)
        .mark_text(align="left", dx=10, fontSize=12)
        .encode(y=y, x="start:T", text="label:N")
    )
    layers = bars + open_start + open_label + points + labels
    return finish_chart(layers.properties(height=alt.Step(34)), lang, description)


LINE_BREAK = "|"


def _wrapped(text: str, width: int = 40, *, hyphens: bool = False) -> str:
    """``text`` as lines of at most ``width`` characters, joined by LINE_BREAK; with ``hyphens``
    a compound name may also break after its hyphen ("Pohjois-|Karjala")."""
    # A word longer than a line stays whole ("maahanmuuttajajärjestöt"): a word cut in two reads
    # as two words.
    lines = textwrap.wrap(
        text.replace(LINE_BREAK, "/"), width, break_on_hyphens=hyphens, break_long_words=False
    )
    return LINE_BREAK.join(lines) or text


# The heatmap fits a phone's 390 px as well as a laptop's page (issue #8): it takes its
# container's width, its question labels wrap at ITEM_WRAP characters (about 130 px) and the
# region headers at their hyphen or space, so four columns of "13/44" keep about 55 px each
# on a phone instead of the page scrolling sideways. LINE_HEIGHT is one wrapped label line.
ITEM_WRAP = 18
REGION_WRAP = 8
LINE_HEIGHT = 16
HEADER_LINE = 13


def _centred(most_lines: int, line_height: int) -> dict[str, object]:
    """An axis labelOffset that centres a label of several lines on its tick: Vega puts the
    first line there and the others below it, so a label of n lines is lifted by (n − 1) / 2
    lines."""
    conditions = [
        {
            "test": f"length(split(datum.value, '{LINE_BREAK}')) == {n}",
            "value": -(n - 1) * line_height / 2,
        }
        for n in range(2, most_lines + 1)
    ]
    return {"condition": conditions, "value": 0} if conditions else {"value": 0}


def item_heatmap(answers: pd.DataFrame, lang: str, *, description: str) -> alt.Chart:
    """Yes answers per question and region as a grid: each cell labelled "n/N" (N = the region's
    municipalities), shaded by the share on a single-hue scale, so the number, not the colour,
    carries the figure."""
    frame = answers.copy()
    frame["item_label"] = frame["item"].map(lambda item: t(lang, f"item.{item}"))
    # Long names wrap onto lines of their own instead of being cut (issue #8): the axis splits
    # the label at LINE_BREAK, the region headers too ("Itä-Suomi|yhteensä").
    frame["item_lines"] = frame["item_label"].map(lambda label: _wrapped(label, ITEM_WRAP))
    frame["region_lines"] = frame["region"].map(
        lambda region: _wrapped(region, REGION_WRAP, hyphens=True)
    )
    frame["share"] = frame["n"].astype(float) / frame["municipalities"].astype(float)
    frame["label"] = [
        format_n_of_N(n, total, lang)
        for n, total in zip(frame["n"], frame["municipalities"], strict=True)
    ]
    split = f"split(datum.label, '{LINE_BREAK}')"
    lines = max((label.count(LINE_BREAK) + 1 for label in frame["item_lines"]), default=1)
    header_lines = max((r.count(LINE_BREAK) + 1 for r in frame["region_lines"]), default=1)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "region_lines:N",
            sort=list(frame["region_lines"].unique()),
            title=None,
            axis=alt.Axis(
                labelAngle=0,
                orient="top",
                labelOverlap=False,
                labelLimit=0,
                labelExpr=split,
                labelFontSize=11,  # "Savolax" beside "Savolax" in 50 px columns on a phone
                labelLineHeight=HEADER_LINE,
                # Vega draws a header's further lines below its first: lifted by the lines of
                # the tallest header, none runs into the grid ("Itä-Suomi|yhteensä").
                labelPadding=(header_lines - 1) * HEADER_LINE + 4,
            ),
        ),
        y=alt.Y(
            "item_lines:N",
            sort=list(frame["item_lines"].unique()),
            title=None,
            axis=alt.Axis(
                labelLimit=0,
                labelExpr=split,
                labelBaseline="middle",
                labelFontSize=12,  # as the headers: room for the columns on a phone
                labelLineHeight=LINE_HEIGHT,
                labelOffset=_centred(lines, LINE_HEIGHT),
            ),
        ),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "share:Q",
            scale=alt.Scale(scheme="blues", domain=list(SHARE_DOMAIN)),
            # short enough that its "100 %" stays within a phone's width
            legend=alt.Legend(format=".0%", title=t(lang, "chart.percent"), gradientLength=160),
        ),
        tooltip=[
            alt.Tooltip("region:N", title=t(lang, "col.region")),
            alt.Tooltip("item_label:N", title=t(lang, "col.item")),
            alt.Tooltip("label:N", title="n/N"),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition(alt.datum.share > 0.6, alt.value("white"), alt.value("black")),
    )
    # The width is the page's on screen (Streamlit stretches it); the step is for the PNG/SVG.
    sized = (cells + text).properties(
        height=alt.Step(max(46, lines * LINE_HEIGHT + 16)), width=alt.Step(110)
    )
    return finish_chart(sized, lang, description)


def choice_bars(answers: pd.DataFrame, lang: str, *, description: str) -> alt.FacetChart:
    """The shares of each choice of the questions that are not core measures (other_answers of
    one region or the total): one small chart per question, a bar per choice named on its axis
    and labelled "n/N · %" at its end (inside a long bar). One colour: the choice is named, never
    told by colour alone."""
    frame = answers.copy()
    frame["label"] = [
        f"{format_n_of_N(n, base, lang)} · {format_share(p, lang, decimals=PERCENT_DECIMALS)}"
        for n, base, p in zip(frame["n"], frame["answered"], frame["share"], strict=True)
    ]
    frame["known"] = frame["share"].notna()
    frame["share"] = frame["share"].astype(float)
    frame["inside"] = frame["known"] & (frame["share"] >= INSIDE_FROM * SHARE_DOMAIN[1])
    # The choices in the questionnaire's order (the table's), not alphabetical.
    y = alt.Y("choice:N", sort=None, title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X(
        "share:Q",
        scale=alt.Scale(domain=list(SHARE_DOMAIN)),
        axis=_percent_axis(lang, t(lang, "col.share")),
    )
    base = alt.Chart().encode(y=y, x=x)
    bars = (
        base.transform_filter("datum.known")
        .mark_bar(color=OKABE_ITO["blue"])
        .encode(
            tooltip=[
                alt.Tooltip("question:N", title=t(lang, "col.question")),
                alt.Tooltip("choice:N", title=t(lang, "col.choice")),
                alt.Tooltip("label:N", title=t(lang, "col.share")),
            ]
        )
    )
    after = (
        base.transform_filter("datum.known && !datum.inside")
        .mark_text(align="left", dx=4, fontSize=12)
        .encode(text="label:N")
    )
    inside = (
        base.transform_filter("datum.inside")
        .mark_text(align="right", dx=-4, fontSize=12, color="white")
        .encode(text="label:N")
    )
    unknown = (
        base.transform_filter("!datum.known")
        .mark_text(align="left", dx=4, fontSize=12, fontWeight="bold")
        .encode(x=alt.datum(0), text="label:N")
    )
    layers = alt.layer(bars, after, inside, unknown, data=frame).properties(
        width=320, height=alt.Step(22)
    )
    chart = layers.facet(
        row=alt.Row(
            "question:N",
            sort=list(frame["question"].unique()),
            title=None,
            header=alt.Header(
                labelAngle=0,
                labelAlign="left",
                labelAnchor="start",
                labelOrient="top",
                labelFontSize=13,
                labelFontWeight="bold",
                labelLimit=480,
            ),
        )
    ).resolve_scale(y="independent")
    return finish_chart(chart, lang, description)


def inline_spec(chart: alt.TopLevelMixin | dict) -> dict:
    """The chart's Vega-Lite spec with every dataset written where it is used, none in the
    top-level ``datasets``, and the borders a map names in place of their names. Streamlit turns
    each top-level dataset into a table (Arrow), which a TopoJSON topology or a GeoJSON
    collection is not: the map's data stays inline."""
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    datasets = spec.pop("datasets", {})

    def inlined(node: object) -> object:
        if isinstance(node, list):
            return [inlined(item) for item in node]
        if not isinstance(node, dict):
            return node
        named = node.get("name")
        if isinstance(named, str) and "values" not in node:
            # A dataset of the chart's own, or a year's borders (borders.data_name).
            values = datasets[named] if named in datasets else borders.named_topology(named)
            if values is not None:
                rest = {key: value for key, value in node.items() if key != "name"}
                return {"values": values, **rest}
        return {key: inlined(value) for key, value in node.items()}

    return inlined(spec)  # type: ignore[return-value]
