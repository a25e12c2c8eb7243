"""The figures of the pages: each a chart (charts.py) together with its text alternative — the
same figures as text, shown beside the chart for screen readers and print, and set as the chart's
``description``. Pages only place them (``ui.show_figure``); none builds a text alternative itself.

A figure is made from named tables (tables.TABLES) in one language and one mode, so it can be
cached by (figure, selection, mode): :data:`FIGURES` says which tables each one reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from tilannekuva import charts, map_chart, trend_chart
from tilannekuva.exports import TOTAL_CODES
from tilannekuva.formatting import (
    NOT_AVAILABLE,
    format_count,
    format_date,
    format_n_of_N,
    format_period,
    format_share,
)
from tilannekuva.i18n import t


@dataclass(frozen=True)
class Figure:
    chart: alt.TopLevelMixin
    alternative: tuple[str, ...]


def rows_by_region(frame: pd.DataFrame, key: str) -> dict[str, dict[str, object]]:
    """{region: {key value: row}} of a long table, regions in table order."""
    result: dict[str, dict[str, object]] = {}
    for row in frame.to_dict("records"):
        result.setdefault(row["region"], {})[row[key]] = row
    return result


def _n_of_n(row: dict[str, object], lang: str) -> str:
    return format_n_of_N(row["n"], row["responses"], lang)


def _region_lines(
    shares: pd.DataFrame, lang: str, key: str, fields: dict[str, str], *, base: bool = False
) -> tuple[str, ...]:
    """One text line per region: ``key`` filled with each field's measure as n/N (``fields``:
    placeholder -> measure) and, with ``base``, the region's N."""
    return tuple(
        t(
            lang,
            key,
            region=region,
            **{name: _n_of_n(rows[measure], lang) for name, measure in fields.items()},
            **({"N": format_count(next(iter(rows.values()))["responses"], lang)} if base else {}),
        )
        + _few_answers_mark(rows.values(), lang)
        for region, rows in rows_by_region(shares, "measure").items()
    )


def _few_answers_mark(rows: Iterable[dict[str, object]], lang: str) -> str:
    """The few-answers mark's meaning after a region's line when its rows say so (their
    ``few_answers`` column, issue #8): read from the rows, never from the line's text."""
    few = any(pd.notna(row.get("few_answers")) and bool(row.get("few_answers")) for row in rows)
    return f" {t(lang, 'few_answers.text')}" if few else ""


def status(shares: pd.DataFrame, lang: str, *, percent: bool) -> Figure:
    """Plan status per region (counts or per cent); the total bar only in per cent, its text
    always."""
    fields = {"ready": "plan_ready", "started": "plan_started", "not_started": "plan_not_started"}
    lines = _region_lines(shares, lang, "compare.text_alt_status", fields, base=True)
    drawn = shares if percent else shares[~shares["region_code"].isin(TOTAL_CODES)]
    chart = charts.status_chart(drawn, lang, percent=percent, description=" ".join(lines))
    return Figure(chart, lines)


def measures(shares: pd.DataFrame, lang: str) -> Figure:
    """Council approval, publication and ARTU per region, as n/N and per cent."""
    fields = {"approved": "council_approved", "published": "published", "artu": "artu_in_use"}
    lines = _region_lines(shares, lang, "compare.text_alt_measures", fields)
    chart = charts.share_bars(shares, lang, charts.MEASURE_COLOURS, description=" ".join(lines))
    return Figure(chart, lines)


def artu(shares: pd.DataFrame, lang: str) -> Figure:
    """ARTU in use per region and in total."""
    rows = shares[shares["measure"] == "artu_in_use"]
    lines = tuple(
        t(
            lang,
            "artu.text_alt",
            region=row["region"],
            n=format_count(row["n"], lang),
            N=format_count(row["responses"], lang),
            share=format_share(row["share"], lang, decimals=1),
        )
        + _few_answers_mark([row], lang)
        for row in rows.to_dict("records")
    )
    colours = {"artu_in_use": charts.MEASURE_COLOURS["artu_in_use"]}
    return Figure(charts.share_bars(rows, lang, colours, description=" ".join(lines)), lines)


def target(target_group: pd.DataFrame, lang: str) -> Figure:
    """Plans not started and started per region: the workshops' target group."""
    fields = {"not_started": "plan_not_started", "started": "plan_started"}
    lines = _region_lines(target_group, lang, "target.text_alt", fields)
    colours = {m: charts.STATUS_COLOURS[m] for m in ("plan_not_started", "plan_started")}
    chart = charts.share_bars(target_group, lang, colours, description=" ".join(lines))
    return Figure(chart, lines)


def scope(planning_scope: pd.DataFrame, lang: str) -> Figure:
    """Plans in progress by scope per region; a blank source cell is ".."."""
    lines = tuple(
        t(
            lang,
            "scope.text_alt",
            region=region,
            **{name: format_count(row["n"], lang) for name, row in rows.items()},
        )
        for region, rows in rows_by_region(planning_scope, "scope").items()
    )
    return Figure(charts.scope_chart(planning_scope, lang, description=" ".join(lines)), lines)


def timeline(milestones: pd.DataFrame, workshops: pd.DataFrame, lang: str) -> Figure:
    """The invitation milestones at the source's precision and each region's workshop day."""
    lines = tuple(
        t(
            lang,
            "target.timeline_text",
            label=t(lang, f"milestone.{row['milestone']}"),
            period=format_period(row["period_start"], row["period_end"], row["precision"], lang),
        )
        for row in milestones.to_dict("records")
    ) + tuple(
        t(
            lang,
            "target.timeline_text",
            label=f"{t(lang, 'milestone.workshop')}, {row['region']}",
            period=format_date(row["workshop_date"], lang),
        )
        for row in workshops.to_dict("records")
    )
    chart = charts.timeline_chart(milestones, workshops, lang, description=" ".join(lines))
    return Figure(chart, lines)


def theme_rows(answers: pd.DataFrame) -> pd.DataFrame:
    """The priority themes and partners of the yes/no answers (the themes page's rows)."""
    return answers[answers["item"].str.startswith(("theme_", "partner_"))]


def themes(answers: pd.DataFrame, lang: str) -> Figure:
    """Yes answers per theme or partner and region; the text gives the totals."""
    rows = theme_rows(answers)
    lines = tuple(
        t(
            lang,
            "themes.text_alt",
            region=row["region"],
            item=t(lang, f"item.{row['item']}"),
            n=format_count(row["n"], lang),
            N=format_count(row["municipalities"], lang),
            unanswered=format_count(row["unanswered"], lang),
        )
        for row in rows.to_dict("records")
        if row["region_code"] == "total"
    )
    return Figure(charts.item_heatmap(rows, lang, description=" ".join(lines)), lines)


def trends(trend: pd.DataFrame, lang: str, measure: str) -> Figure:
    """One measure's share per region over the waves of a trend (trend_chart.py): a line never
    joins waves of different units; the text names each point and each break."""
    rows = trend[trend["measure"] == measure]
    lines = trend_chart.text_alternative(rows, lang)
    return Figure(trend_chart.trend_chart(rows, lang, description=" ".join(lines)), lines)


def other_answers(answers: pd.DataFrame, lang: str) -> Figure:
    """The questions that are not core measures (issue #16): each choice's share of the
    municipalities that answered the question, over the view's total (one region alone: that
    region); the text gives every choice's n/N, and the unanswered of each question."""
    total = answers[answers["region_code"] == "total"]
    rows = total if not total.empty else answers
    lines = tuple(
        t(
            lang,
            "questions.text_alt",
            question=question,
            choices="; ".join(
                f"{row['choice']} {format_n_of_N(row['n'], row['answered'], lang)} "
                f"({format_share(row['share'], lang, decimals=1)})"
                for row in choices.to_dict("records")
            ),
            unanswered=format_count(choices["unanswered"].iloc[0], lang),
        )
        for question, choices in rows.groupby("question", sort=False)
    )
    return Figure(charts.choice_bars(rows, lang, description=" ".join(lines)), lines)


# Figures whose data goes into the browser inline, not as Streamlit's tables (charts.inline_spec):
# the map's topology and tiles are nested JSON, not rows.
INLINE_DATA = frozenset({"map"})

# figure name -> (the tables it reads, how it is made from them, the UI language and the mode).
FIGURES: dict[str, tuple[tuple[str, ...], Callable[..., Figure]]] = {
    "status": (
        ("measure_shares",),
        lambda shares, lang, mode: status(shares, lang, percent=mode == "percent"),
    ),
    "measures": (("measure_shares",), lambda shares, lang, mode: measures(shares, lang)),
    "artu": (("measure_shares",), lambda shares, lang, mode: artu(shares, lang)),
    "target": (("target_group",), lambda frame, lang, mode: target(frame, lang)),
    "scope": (("planning_scope",), lambda frame, lang, mode: scope(frame, lang)),
    "timeline": (
        ("workshop_milestones", "workshops"),
        lambda milestones, workshops, lang, mode: timeline(milestones, workshops, lang),
    ),
    "themes": (("yes_no_answers",), lambda answers, lang, mode: themes(answers, lang)),
    "trends": (("trends",), lambda trend, lang, mode: trends(trend, lang, mode or "plan_ready")),
    "other_answers": (("other_answers",), lambda frame, lang, mode: other_answers(frame, lang)),
    # The map (issue #18): its mode is the measure it colours by.
    "map": (
        ("map_municipalities",),
        lambda frame, lang, mode: Figure(*map_chart.figure(frame, mode, lang)),
    ),
}


_UNKNOWN_BEFORE_STOP = re.compile(r"\.\.(?=[.)]|$)")


def spelled_unknowns(line: str, lang: str) -> str:
    """A ".." just before a full stop read as "...", a cut sentence (issue #8): there it is
    followed by its meaning in words."""
    return _UNKNOWN_BEFORE_STOP.sub(f"{NOT_AVAILABLE} ({t(lang, 'chart.not_available')})", line)


def make(name: str, table: Callable[[str], pd.DataFrame], lang: str, mode: str = "") -> Figure:
    """The named figure, reading its tables through ``table(name)``."""
    tables, build = FIGURES[name]
    figure = build(*(table(table_name) for table_name in tables), lang, mode)
    lines = tuple(spelled_unknowns(line, lang) for line in figure.alternative)
    if lines == figure.alternative:
        return figure
    return Figure(figure.chart.properties(description=" ".join(lines)), lines)
