"""Streamlit's caches around the database: one locked DuckDB per server process and data version
(``st.cache_resource``), query results in a bounded ``st.cache_data``.

Both are keyed on a hash of the data files' content, so a changed file is seen on the next run
(issue #2: content, not a timer). Nothing returned by ``cache_resource`` is ever mutated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

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


def figure(name: str, selection: Selection, mode: str = "") -> figures.Figure:
    """The named figure (figures.FIGURES) for a selection and mode."""
    return figures.make(name, lambda table_name: table(table_name, selection), selection.lang, mode)


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
    _query.clear()
