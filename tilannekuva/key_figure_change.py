"""The overview's change since the previous comparable wave (issue #7 item 6), as text beside
each headline figure: the key_figure_change table (queries/key_figure_change.sql) decides what is
comparable and computes the change; this module only words it in the UI language. The previous
wave is named by its title in that language, as the sidebar names waves, never by its id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from tilannekuva.formatting import format_decimal_number, format_n_of_N, is_unknown
from tilannekuva.i18n import t


@dataclass(frozen=True)
class MetricDelta:
    """A headline figure's change: ``text`` for st.metric's delta ("+3,2 %-yks."), ``caption``
    with both waves' n/N, and ``arrow`` ("off" for a change that rounds to zero: no arrow up)."""

    text: str
    caption: str
    arrow: str


def _title(wave_id: str, titles: Mapping[str, str]) -> str:
    return titles.get(wave_id, wave_id)


def metric_deltas(
    changes: pd.DataFrame, lang: str, titles: Mapping[str, str]
) -> dict[str, MetricDelta]:
    """{measure: its change} for each headline figure whose change is known; a measure without
    one is not in it. ``titles``: {wave id: title in ``lang``}, as the sidebar names waves."""
    deltas = {}
    for row in changes.to_dict("records"):
        if is_unknown(row["change_pp"]):
            continue
        # Rounded first, so a change shown as 0,0 has neither a sign nor an arrow.
        points = round(float(row["change_pp"]), 1) + 0.0
        sign = "+" if points > 0 else ""
        change = sign + format_decimal_number(points, lang, decimals=1)
        caption = t(
            lang,
            "trends.delta_caption",
            previous=_title(row["previous_wave"], titles),
            n_previous=format_n_of_N(row["n_previous"], row["total_n_previous"], lang),
            n=format_n_of_N(row["n"], row["total_n"], lang),
        )
        arrow = "auto" if points else "off"
        deltas[row["measure"]] = MetricDelta(t(lang, "trends.delta", change=change), caption, arrow)
    return deltas


def change_note(
    changes: pd.DataFrame,
    lang: str,
    titles: Mapping[str, str],
    *,
    year_known: bool = True,
) -> str | None:
    """Why no change is shown: the wave has no year (no place in a trend), there is no previous
    comparable wave, or it counts another unit. None when the changes are shown. ``titles`` as
    for :func:`metric_deltas`."""
    if changes.empty:
        return t(lang, "trends.no_previous" if year_known else "trends.no_year")
    row = changes.iloc[0]
    if row["unit"] != row["previous_unit"]:
        return t(
            lang,
            "trends.unit_differs",
            previous=_title(row["previous_wave"], titles),
            previous_unit=t(lang, f"unit.{row['previous_unit']}"),
            unit=t(lang, f"unit.{row['unit']}"),
        )
    return None
