"""Streamlit's caches around the database: one locked DuckDB per server process and data version
(``st.cache_resource``); tables and figures in a bounded ``st.cache_data``.

All are keyed on a hash of the data files' content, so a changed file is seen on the next run
(issue #2: content, not a timer). Nothing returned by ``cache_resource`` is ever mutated.

Streamlit reruns the whole page on every click; a rerun does no work that an earlier run did for
the same inputs (issue #9): a figure's chart is kept as the finished Vega-Lite spec with its text
alternative, by (figure, selection, mode) — the selection holds the wave, regions, language and
filters.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from tilannekuva import figures
from tilannekuva.config import data_dir
from tilannekuva.db import Database, fingerprint
from tilannekuva.tables import Selection, build_table, titled_waves


@st.cache_resource(max_entries=2, show_spinner=False)
def _database(folder: str, version: str) -> Database:
    return Database(Path(folder))


def _version() -> tuple[str, str]:
    folder = data_dir()
    return str(folder), fingerprint(folder)


def database() -> Database:
    """The database of the current data files; DataFileError for a missing or damaged file."""
    return _database(*_version())


@st.cache_data(max_entries=512, show_spinner=False)
def _table(folder: str, version: str, name: str, selection: Selection) -> pd.DataFrame:
    return build_table(_database(folder, version), name, selection)


def table(name: str, selection: Selection) -> pd.DataFrame:
    """The named table (see tables.TABLES) for a selection."""
    return _table(*_version(), name, selection)


@st.cache_data(max_entries=512, show_spinner=False)
def _figure(
    folder: str, version: str, name: str, selection: Selection, mode: str
) -> tuple[dict, tuple[str, ...]]:
    def read(table_name: str) -> pd.DataFrame:
        return _table(folder, version, table_name, selection)

    made = figures.make(name, read, selection.lang, mode)
    # Building an Altair chart and converting it is most of a page's run; keep the converted spec.
    # Streamlit's own converter (what st.altair_chart calls; pinned streamlit==1.67.0) keeps the
    # data as Arrow, exactly as st.altair_chart would send it.
    return _convert_altair_to_vega_lite_spec(made.chart), made.alternative


def figure_chart(name: str, selection: Selection, mode: str = "") -> alt.TopLevelMixin:
    """The named figure's Altair chart, built anew from the cached tables: for a chart image,
    made only when its download button is clicked."""
    folder, version = _version()

    def read(table_name: str) -> pd.DataFrame:
        return _table(folder, version, table_name, selection)

    return figures.make(name, read, selection.lang, mode).chart


def figure(name: str, selection: Selection, mode: str = "") -> tuple[dict, tuple[str, ...]]:
    """The named figure (figures.FIGURES) for a selection and mode: its Vega-Lite spec and its
    text alternative. The spec is a fresh copy: st.vega_lite_chart may change what it is given."""
    return _figure(*_version(), name, selection, mode)


@st.cache_data(max_entries=64, show_spinner=False)
def _query(
    folder: str, version: str, name: str, params: tuple[tuple[str, str], ...]
) -> pd.DataFrame:
    return _database(folder, version).run(name, **dict(params))


def waves(lang: str) -> pd.DataFrame:
    """Every wave, real ones first (newest first), then fictional examples; each with a title."""
    return titled_waves(_query(*_version(), "waves", (("lang", lang),)), lang)


def regions(lang: str) -> pd.DataFrame:
    return _query(*_version(), "regions", (("lang", lang),))


def example_wave() -> str:
    """The first fictional example wave (offered by the Data page and the municipality views)."""
    all_waves = waves("fi")
    return str(all_waves.loc[all_waves["fictional"].astype(bool), "wave_id"].iloc[0])


def forget_cached_data() -> None:
    """After an import the content hash changes anyway; dropping the cached results frees memory
    at once instead of waiting for the bounded cache to evict them."""
    _table.clear()
    _figure.clear()
    _query.clear()
