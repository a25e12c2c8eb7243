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

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import altair as alt
import pandas as pd
import streamlit as st

from tilannekuva import charts, figures, map_chart
from tilannekuva.areas import Area, view_area
from tilannekuva.config import data_dir
from tilannekuva.datafiles import EXAMPLES_DIR, RESPONSES_DIR
from tilannekuva.db import EXAMPLE_REGISTER_DIR, Database, fingerprint
from tilannekuva.tables import Selection, build_table, wave_rows
from tilannekuva.wave import Wave
from tilannekuva.web import internals


@st.cache_resource(max_entries=2, show_spinner=False)
def _database(folder: str, version: str) -> Database:
    return Database(Path(folder))


# The folders whose files db.fingerprint reads.
_FINGERPRINTED = ("", RESPONSES_DIR, EXAMPLES_DIR, EXAMPLE_REGISTER_DIR)
# Per data folder: the last stat signature and the fingerprint made for it.
_fingerprints: dict[str, tuple[tuple, str]] = {}


def _stat_signature(folder: str) -> tuple:
    """Name, modification time and size of every file in the fingerprinted folders. A file
    written, replaced, added or removed changes it; so does a folder appearing or going."""
    entries: list[tuple] = []
    for sub in _FINGERPRINTED:
        try:
            with os.scandir(os.path.join(folder, sub)) as found:
                for entry in found:
                    if entry.is_file():
                        stat = entry.stat()
                        entries.append((sub, entry.name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            entries.append((sub, None))
    return tuple(sorted(entries, key=repr))


# The version read by the current script run, per server thread (each session's script runs on
# its own thread): (the run's marker, the version).
_this_run = threading.local()


def _run_marker() -> object | None:
    """The current script run's marker (internals.run_marker); a function of this module so
    that tests can stand in for a run."""
    return internals.run_marker()


def _version() -> tuple[str, str]:
    """The data folder and its content fingerprint, read once per script run: a page asks for
    it once per table and figure (about 20 times on the comparison page), and listing the data
    folders each time was about 40 % of the server's CPU for a new session (py-spy, issue #9).
    One version per run is also one consistent view: every table of a run comes from the same
    files. Outside a run it is read on every call."""
    marker = _run_marker()
    known = getattr(_this_run, "version", None)
    if marker is not None and known is not None and known[0] is marker:
        return known[1]
    version = _read_version()
    if marker is not None:
        # Holding the marker keeps it alive, so a later run's marker is never the same object.
        _this_run.version = (marker, version)
    return version


def _read_version() -> tuple[str, str]:
    """The fingerprint is made again only when a file's stat changed: that is no weaker than
    db.fingerprint itself, which reads a file's content again only when its stat changed."""
    folder = str(data_dir())
    signature = _stat_signature(folder)
    known = _fingerprints.get(folder)
    if known is not None and known[0] == signature:
        return folder, known[1]
    version = fingerprint(Path(folder))
    _fingerprints[folder] = (signature, version)
    return folder, version


def database() -> Database:
    """The database of the current data files; DataFileError for a missing or damaged file."""
    return _database(*_version())


# Every cached function below takes one ``key`` (a string that Streamlit hashes) and its real
# arguments under names starting with "_" (which Streamlit does not hash), all passed by keyword.
# Streamlit's hasher walks a dataclass or a DataFrame value by value, and asks inspect for the
# name of each positional argument: that cost 0.5–3 ms per call, and a page makes about twenty
# calls a run (issue #9). The key is the repr of
# everything the result depends on: strings, tuples, ints and bools (Selection is a frozen
# dataclass of those), whose repr is exact and unambiguous.


def _key(*parts: object) -> str:
    return repr(parts)


@st.cache_data(max_entries=512, show_spinner=False)
def _table(
    key: str, _folder: str, _version: str, _name: str, _selection: Selection
) -> pd.DataFrame:
    return build_table(_database(_folder, _version), _name, _selection)


def _read(folder: str, version: str, name: str, selection: Selection) -> pd.DataFrame:
    key = _key(folder, version, name, selection)
    return _table(key=key, _folder=folder, _version=version, _name=name, _selection=selection)


def table(name: str, selection: Selection) -> pd.DataFrame:
    """The named table (see tables.TABLES) for a selection."""
    return _read(*_version(), name, selection)


@st.cache_data(max_entries=512, show_spinner=False)
def _municipality_rows(
    key: str, _folder: str, _version: str, _name: str, _selection: Selection, _code: str
) -> pd.DataFrame:
    query = _database(_folder, _version).queries.get(_name)
    if query is not None and "municipality_code" in query.parameters:
        # Read for this municipality alone (its path across every wave), not for all of them
        return _read(_folder, _version, _name, replace(_selection, municipality_code=_code))
    frame = _read(_folder, _version, _name, _selection)
    return frame[frame["municipality_code"] == _code].reset_index(drop=True)


def municipality_rows(name: str, selection: Selection, code: str) -> pd.DataFrame:
    """The rows of a municipality table (every municipality of the wave and regions, cached once)
    about one municipality, kept per municipality: filtering a national wave's tables on every
    rerun was a third of the municipality page's run (issue #16)."""
    folder, version = _version()
    key = _key(folder, version, name, selection, code)
    return _municipality_rows(
        key=key, _folder=folder, _version=version, _name=name, _selection=selection, _code=code
    )


def frame_key(frame: pd.DataFrame) -> str:
    """A cache key for a frame's content: columns, types and every value (a float's repr is
    exact; nan, None and <NA> differ). About a third of what Streamlit's hashing of a frame cost."""
    values = [column.tolist() for _, column in frame.items()]  # column-wise: 5× itertuples' speed
    return _key(tuple(frame.columns), tuple(map(str, frame.dtypes)), values)


@st.cache_data(max_entries=512, show_spinner=False)
def _figure(
    key: str, _folder: str, _version: str, _name: str, _selection: Selection, _mode: str
) -> tuple[dict, tuple[str, ...]]:
    def read(table_name: str) -> pd.DataFrame:
        return _read(_folder, _version, table_name, _selection)

    made = figures.make(_name, read, _selection.lang, _mode)
    # Building an Altair chart and converting it is most of a page's run; keep the converted spec.
    # Streamlit's own converter (internals.vega_lite_spec) keeps the data as Arrow, exactly as
    # st.altair_chart would send it.
    if _name in figures.INLINE_DATA:
        return made.chart.to_dict(), made.alternative  # the borders by name: see figure()
    return internals.vega_lite_spec(made.chart), made.alternative


def figure_chart(name: str, selection: Selection, mode: str = "") -> alt.TopLevelMixin:
    """The named figure's Altair chart, built anew from the cached tables: for a chart image,
    made only when its download button is clicked."""
    folder, version = _version()

    def read(table_name: str) -> pd.DataFrame:
        return _read(folder, version, table_name, selection)

    return figures.make(name, read, selection.lang, mode).chart


def figure(name: str, selection: Selection, mode: str = "") -> tuple[dict, tuple[str, ...]]:
    """The named figure (figures.FIGURES) for a selection and mode: its Vega-Lite spec and its
    text alternative. The spec is a fresh copy: st.vega_lite_chart may change what it is given."""
    folder, version = _version()
    key = _key(folder, version, name, selection, mode)
    spec, alternative = _figure(
        key=key, _folder=folder, _version=version, _name=name, _selection=selection, _mode=mode
    )
    if name in figures.INLINE_DATA:
        # The map's borders go in after the cache: its copy of a result would copy the
        # topology (130 kB of coordinates) on every run; borders.topology is read once.
        spec = charts.inline_spec(spec)
    return spec, alternative


@dataclass(frozen=True)
class Names:
    """The waves and regions in one language, by id: what every run asks for (the sidebar's
    choices and labels, the view's wave, a download's provenance). Made once per data version
    and language and shared between runs without a copy, so it is immutable throughout."""

    waves: tuple[Wave, ...]  # in the waves table's order: real ones first, newest first
    by_id: Mapping[str, Wave]
    region_names: Mapping[str, str]  # every region code with its name, in the regions' order
    wave_regions: Mapping[str, tuple[str, ...]]  # each wave's own regions (issue #16), by code
    areas: Mapping[str, str]  # every named area of areas.csv with its name (issue #16)

    @property
    def wave_ids(self) -> tuple[str, ...]:
        return tuple(wave.wave_id for wave in self.waves)

    @property
    def response_waves(self) -> frozenset[str]:
        return frozenset(wave.wave_id for wave in self.waves if wave.response_level)

    @property
    def region_codes(self) -> tuple[str, ...]:
        return tuple(self.region_names)

    def wave_titles(self) -> dict[str, str]:
        return {wave.wave_id: wave.title for wave in self.waves}

    def regions_of(self, wave_id: str) -> tuple[str, ...]:
        """The regions the wave was sent to, in the regions' order: the region filter's choices
        for that wave."""
        return self.wave_regions.get(wave_id, ())


@st.cache_resource(max_entries=16, show_spinner=False)
def _names(key: str, _folder: str, _version: str, _lang: str) -> Names:
    database = _database(_folder, _version)
    frame = wave_rows(database, _lang)
    waves = tuple(Wave.from_record(record) for record in frame.to_dict("records"))
    regions = database.run("regions", lang=_lang)
    # A dict of lists, not a groupby: a group per wave cost 0.2 s with 2,000 waves (issue #22).
    listed: dict[str, list[str]] = {}
    wave_regions = database.run("wave_regions")
    for wave_id, code in zip(wave_regions["wave_id"], wave_regions["region_code"], strict=True):
        listed.setdefault(str(wave_id), []).append(str(code))
    by_wave = {wave_id: tuple(codes) for wave_id, codes in listed.items()}
    return Names(
        waves,
        MappingProxyType({wave.wave_id: wave for wave in waves}),
        MappingProxyType(dict(zip(regions["region_code"], regions["region"], strict=True))),
        MappingProxyType(by_wave),
        MappingProxyType(dict(database.run("area_names", lang=_lang).values)),
    )


def names(lang: str) -> Names:
    """The waves (real ones first, newest first, then fictional examples; each with a title) and
    regions in ``lang`` (see Names): cheap to ask for many times a run, as nothing is copied."""
    folder, version = _version()
    return _names(key=_key(folder, version, lang), _folder=folder, _version=version, _lang=lang)


@st.cache_data(max_entries=512, show_spinner=False)
def _area(key: str, _folder: str, _version: str, _selection: Selection) -> Area:
    return view_area(_database(_folder, _version), _selection)


def area(selection: Selection) -> Area:
    """The area ``selection``'s view covers (areas.view_area): its regions and its name."""
    folder, version = _version()
    key = _key(folder, version, "area", selection.wave, selection.regions, selection.lang)
    return _area(key=key, _folder=folder, _version=version, _selection=selection)


def example_wave() -> str:
    """The first fictional example wave (offered by the Data page and the municipality views)."""
    return next(wave.wave_id for wave in names("fi").waves if wave.fictional)


def forget_cached_data() -> None:
    """After an import the content hash changes anyway; dropping the cached results frees memory
    at once instead of waiting for the bounded cache to evict them."""
    _table.clear()
    _figure.clear()
    _names.clear()
    _area.clear()
    _municipality_rows.clear()
    _this_run.__dict__.pop("version", None)  # the rest of this run sees the new data too


def map_measures(wave: str) -> list[str]:
    """The measures the map of a wave can colour by (filters.Choices.measures): those of its map
    table, which the map page reads for the same wave anyway."""
    return map_chart.measures_of(table("map_municipalities", Selection(wave)))
