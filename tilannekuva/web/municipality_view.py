"""What the municipality page (issue #7 item 4) shares with app.py and the pages that link to it:
the municipalities a wave offers, and the page's address for one municipality. The tables
themselves are SQL files (queries/municipality_*.sql) read through the cache like any table."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from tilannekuva.filters import municipality_address
from tilannekuva.formatting import format_count
from tilannekuva.i18n import DEFAULT_LANG
from tilannekuva.tables import Selection
from tilannekuva.web import store
from tilannekuva.web.ui import View, escape_markdown


def register(wave: str, regions: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The municipalities the page offers for a wave and regions (the municipality_register
    table: the wave's register, or the municipalities its answers name), names in ``lang``."""
    return store.table("municipality_register", Selection(wave, regions, lang))


def known_codes(wave: str, regions: tuple[str, ...]) -> list[str]:
    """The municipality codes a view may hold (filters.Choices.municipalities)."""
    return list(register(wave, regions, DEFAULT_LANG)["municipality_code"])


def for_municipality(view: View, name: str, code: str, **options: object) -> pd.DataFrame:
    """The rows of the named municipality table for the view (``options`` set other Selection
    fields) about one municipality (store.municipality_rows: kept per municipality)."""
    return store.municipality_rows(name, replace(view.selection, **options), code)


def municipality_view(view: View, code: str, name: str) -> View:
    """The view whose downloads name the municipality (the .xlsx About sheet)."""
    named = f"{name} ({code})"
    return replace(view, selection=replace(view.selection, municipality=named))


def wave_titles(lang: str) -> dict[str, str]:
    return store.names(lang).wave_titles()


RESPONDENTS = ("municipality", "police", "rescue")

# How many rounds of a municipality's path the page shows: the latest ones. A page reads what it
# shows (issue #22: the path of 2,000 stored rounds made the page 2.4 times slower than of 20);
# every round stays in the table's downloads, and the caption says how many there are.
ROUNDS_SHOWN = 12


def latest_rounds(waves: pd.DataFrame, count: int | None = None) -> pd.DataFrame:
    """The rows of the ``count`` (ROUNDS_SHOWN) last waves of ``waves`` (municipality_waves, in
    its order: by year); a wave with several rows (predecessors before a merger) keeps them
    all."""
    count = ROUNDS_SHOWN if count is None else count
    order = list(dict.fromkeys(waves["wave_id"]))
    if len(order) <= count:
        return waves
    return waves[waves["wave_id"].isin(order[len(order) - max(count, 0) :])]


def rounds_caption(view: View, shown: pd.DataFrame, waves: pd.DataFrame) -> str | None:
    """ "The latest 12 of 2,000 rounds" when the page shows fewer rounds than there are."""
    total = waves["wave_id"].nunique()
    count = shown["wave_id"].nunique()
    if count >= total:
        return None
    return view.t(
        "municipality.rounds_shown",
        shown=format_count(count, view.lang),
        total=format_count(total, view.lang),
    )


def answered_lines(view: View, waves: pd.DataFrame, titles: dict[str, str]) -> list[str]:
    """One line per row of municipality_waves: who answered and who did not, or what the wave
    cannot tell (a regional table, codes that follow no register)."""
    lines = []
    for row in waves.itertuples(index=False):
        title = titles.get(row.wave_id, row.wave_id)
        if row.followed != "responses":
            followed = view.t(f"municipality.line_{row.followed}")
            lines.append(view.t("municipality.wave_line_other", wave=title, followed=followed))
            continue
        answered, missing = _who_answered(view, row)
        values = {"wave": title, "name": row.answer_name, "answered": answered, "missing": missing}
        if not answered:
            key = "municipality.wave_line_none"
        elif missing:
            key = "municipality.wave_line_partly"
        else:
            key = "municipality.wave_line_answered"
        lines.append(view.t(key, **values))
    return lines


def _who_answered(view: View, row: object) -> tuple[str, str]:
    """(who of the troika answered, who did not) of a municipality_waves row, in words; "" for
    none of either."""
    flags = {kind: bool(getattr(row, f"answered_{kind}")) for kind in RESPONDENTS}
    answered = ", ".join(view.t(f"respondent.{k}") for k in RESPONDENTS if flags[k])
    missing = ", ".join(view.t(f"respondent.{k}") for k in RESPONDENTS if not flags[k])
    return answered, missing


def disagreement_line(view: View, waves: pd.DataFrame, titles: dict[str, str]) -> str:
    """Where the answers on the plan's status disagree (municipality_waves' agree column)."""
    disagree = waves[waves["agree"].eq(False).fillna(False).astype(bool)]
    if disagree.empty:
        return view.t("municipality.agree_all")
    where = [
        f"{titles.get(row.wave_id, row.wave_id)} ({row.answer_name})"
        for row in disagree.itertuples(index=False)
    ]
    return view.t("municipality.disagree", waves="; ".join(where))


def show_links(view: View, frame: pd.DataFrame) -> None:
    """A line of links to the municipality page, one per municipality of ``frame`` (its
    municipality_code and municipality_name columns), carrying the view's language, wave and
    regions. Names are escaped: a name is text, never markup."""
    if frame.empty:
        return
    pairs = dict(zip(frame["municipality_code"], frame["municipality_name"], strict=True))
    wave, regions = view.selection.wave, view.selection.regions
    links = [
        f"[{escape_markdown(str(name))}]({municipality_address(view.lang, wave, code, regions)})"
        for code, name in pairs.items()
    ]
    st.markdown(view.t("municipality.links", links=" · ".join(links)))


# The profile (issue #21 item 1): where the municipality stands, in words, before the tables ----


def _yes_no(view: View, value: object) -> str:
    """kyllä / ei / ".." for an unknown answer (never "ei" for a blank)."""
    if value is None or pd.isna(value):
        return ".."
    return view.t(f"bool.{str(bool(value)).lower()}")


def profile_lines(
    view: View,
    chosen: pd.DataFrame,
    this_wave: pd.DataFrame,
    coverage: pd.DataFrame,
    worklist: pd.DataFrame,
    before_year: int,
) -> list[str]:
    """The municipality in the wave shown, as markdown lines: the plan's status and year by the
    answer the regional figures use (whose answer it is), approved, published, ARTU; which ready
    plan covers it; who of the troika answered; whether it is on the invitation list and why.
    ``chosen``: its row of the municipalities table (empty when nobody answered); ``this_wave``:
    its rows of municipality_waves for the wave shown. Text from data is escaped."""
    t = view.t
    lines = []
    if chosen.empty:
        lines.append(t("municipality.profile_no_answer"))
    else:
        row = chosen.iloc[0]
        status = t(f"status.{row['plan_status']}") if pd.notna(row["plan_status"]) else ".."
        year = row["plan_year"]
        if pd.notna(year) and str(year):
            status = f"{status} ({year})"
        by = t(f"municipality.profile_by.{row['respondent_type']}")
        lines.append(t("municipality.profile_status", status=status, by=by))
        lines.append(
            t(
                "municipality.profile_answers",
                approved=_yes_no(view, row["council_approved"]),
                published=_yes_no(view, row["published"]),
                artu=_yes_no(view, row["artu_in_use"]),
            )
        )
    if not coverage.empty:
        first = coverage.iloc[0]
        kind = first["coverage"]
        if kind in ("none", "not_answered"):
            covered = t(f"municipality.coverage_{kind}")
        else:
            covered = t(
                "municipality.coverage_by",
                coverage=t(f"coverage.{kind}"),
                plan=escape_markdown(str(first["covered_by"])),
                code=first["covered_by_code"],
            )
        lines.append(t("municipality.profile_coverage", coverage=covered))
    for row in this_wave.itertuples(index=False):
        answered, missing = _who_answered(view, row)
        values = {"answered": answered or "-", "missing": missing or "-"}
        lines.append(t("municipality.profile_answered", **values))
    if not chosen.empty:
        if worklist.empty:
            text = t("municipality.worklist_none", year=before_year)
        else:
            reasons = worklist["reasons"].iloc[0].split(";")
            listed = ", ".join(t(f"reason.{reason}") for reason in reasons)
            text = t("municipality.worklist_reasons", reasons=listed, year=before_year)
        lines.append(t("municipality.profile_worklist", text=text))
    return lines


def path_line(view: View, waves: pd.DataFrame, titles: dict[str, str]) -> str:
    """The municipality's path across the rounds that have answers per municipality: the plan's
    status in each (by the chosen answer), "no answer" where nobody answered, and the name it
    had where that differs (a predecessor before a merger), in the rounds' order."""
    t = view.t
    steps = []
    for row in waves[waves["followed"] == "responses"].itertuples(index=False):
        title = escape_markdown(titles.get(row.wave_id, row.wave_id))
        if isinstance(row.plan_status, str):
            status = t(f"status.{row.plan_status}")
        else:  # nobody answered about it (plan_status is a required question)
            status = t("municipality.path_no_answer")
        step = f"{title}: {status}"
        if row.answer_code != row.municipality_code:  # a predecessor's answers (a merger)
            step += " " + t("municipality.path_as", name=escape_markdown(str(row.answer_name)))
        steps.append(step)
    return " → ".join(steps)


def answered_rounds(waves: pd.DataFrame) -> pd.DataFrame:
    """The rows of municipality_waves of the rounds where anyone answered about the
    municipality."""
    return waves[
        (waves["followed"] == "responses")
        & waves[[f"answered_{kind}" for kind in RESPONDENTS]].fillna(False).any(axis=1)
    ]


def rounds_with_answers(
    view: View, answered: pd.DataFrame, titles: dict[str, str], code: str
) -> str:
    """Links to this municipality's page on each round of ``answered`` (answered_rounds)."""
    links = [
        f"[{escape_markdown(titles.get(wave, wave))}]"
        f"({municipality_address(view.lang, wave, code)})"
        for wave in dict.fromkeys(answered["wave_id"])
    ]
    return ", ".join(links)
