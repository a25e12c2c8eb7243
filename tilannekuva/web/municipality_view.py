"""What the municipality page (issue #7 item 4) shares with app.py and the pages that link to it:
the municipalities a wave offers, and the page's address for one municipality. The tables
themselves are SQL files (queries/municipality_*.sql) read through the cache like any table."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from tilannekuva.filters import (
    LANG_PARAM,
    MUNICIPALITY_PARAM,
    REGION_PARAM,
    WAVE_PARAM,
)
from tilannekuva.i18n import DEFAULT_LANG
from tilannekuva.tables import Selection
from tilannekuva.web import store
from tilannekuva.web.ui import View, escape_markdown

PAGE_ADDRESS = "municipality"  # its url_path in app.py's PAGES


def register(wave: str, regions: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The municipalities the page offers for a wave and regions (the municipality_register
    table: the wave's register, or the municipalities its answers name), names in ``lang``."""
    return store.table("municipality_register", Selection(wave, regions, lang))


def known_codes(wave: str, regions: tuple[str, ...]) -> list[str]:
    """The municipality codes a view may hold (filters.Choices.municipalities)."""
    return list(register(wave, regions, DEFAULT_LANG)["municipality_code"])


def page_link(lang: str, wave: str, code: str, regions: tuple[str, ...] = ()) -> str:
    """The municipality page's address for one municipality, relative to the app's root, with the
    view's language, wave and regions (a link opened in a new tab keeps the view)."""
    params: list[tuple[str, str]] = [(LANG_PARAM, lang), (WAVE_PARAM, wave)]
    params += [(REGION_PARAM, region) for region in regions]
    params.append((MUNICIPALITY_PARAM, code))
    return f"{PAGE_ADDRESS}?{urlencode(params)}"


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
        flags = {kind: bool(getattr(row, f"answered_{kind}")) for kind in RESPONDENTS}
        answered = ", ".join(view.t(f"respondent.{k}") for k in RESPONDENTS if flags[k])
        missing = ", ".join(view.t(f"respondent.{k}") for k in RESPONDENTS if not flags[k])
        values = {"wave": title, "name": row.answer_name, "answered": answered, "missing": missing}
        if not answered:
            key = "municipality.wave_line_none"
        elif missing:
            key = "municipality.wave_line_partly"
        else:
            key = "municipality.wave_line_answered"
        lines.append(view.t(key, **values))
    return lines


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
        f"[{escape_markdown(str(name))}]({page_link(view.lang, wave, code, regions)})"
        for code, name in pairs.items()
    ]
    st.markdown(view.t("municipality.links", links=" · ".join(links)))
