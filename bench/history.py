"""(e) History (issue #22: cost must not grow with history): what a command and a page's first
load cost with many waves stored against few, the same wave shown in both — ``export`` of one
wave through the CLI, a cold load of the data folder (``Database``), and the first run of the
overview and of the municipality page (one municipality's path across every wave) in AppTest
with every cache emptied (the data's fingerprint included), as a new server process's first
visitor finds them. The issue's target: ≤ 2× with 2,000 waves stored against 20.

A load reads and checks every response file only when the data changed: what it made is kept
for the next process (tilannekuva/load_cache.py). The bench keeps it in a folder of its own and
measures both: a load after a change (every file read, ``cold_load``) and a load of unchanged
files (``kept_load``); the export and the pages' first loads are of unchanged files, as a new
command, server process or restart finds them.

The waves are small (BENCH_HISTORY_ROWS rows each): what the issue is about grows with the number
of waves, not with their size. The first ``few`` are imported through the importer, every other
one with an area in waves.csv (as ``import --area koko-suomi`` writes it) and every other one
without; the rest are written in the same shape (the file and the waves.csv row the importer wrote
for the first two, with the wave id changed): importing 2,000 waves one by one would take minutes.
The many-waves folder is the few-waves one with the rest added.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.pages import APP
from bench.timing import median_seconds, ratio, run_checked
from bench.waves import YEAR, _skip_register, wave_csv
from tilannekuva import db
from tilannekuva.config import DATA_DIR_ENV, DEFAULT_DATA_DIR
from tilannekuva.datafiles import RESPONSES_DIR
from tilannekuva.importer import import_responses
from tilannekuva.load_cache import LOAD_CACHE_ENV, OFF
from tilannekuva.web import store

AREA = "koko-suomi"


def wave_id(number: int) -> str:
    return f"{YEAR}-h{number:04d}"


def few_waves_folder(target: Path, waves: int, rows: int) -> Path:
    """A copy of the shipped data with ``waves`` (at least 2) imported waves of ``rows`` rows;
    the odd-numbered ones given the area koko-suomi."""
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=_skip_register)
    for number in range(1, max(waves, 2) + 1):
        area = AREA if number % 2 else None
        result = import_responses(wave_csv(wave_id(number), rows), target, area=area)
        if not result.ok:
            problems = [problem.message("en") for problem in result.all_problems()[:3]]
            raise RuntimeError(f"the generated wave was refused: {problems}")
    return target


def add_waves(folder: Path, first: int, last: int) -> None:
    """Waves ``first``..``last`` written as the importer wrote waves 1 and 2 (each file, and wave
    1's row in waves.csv for the odd-numbered ones), their wave ids changed."""
    responses = folder / RESPONSES_DIR
    files = {parity: (responses / f"{wave_id(2 - parity)}.csv").read_bytes() for parity in (0, 1)}
    waves_csv = (folder / "waves.csv").read_bytes()
    row = next(
        line
        for line in waves_csv.splitlines(keepends=True)
        if line.startswith(wave_id(1).encode() + b",")
    )
    rows = []
    for number in range(first, last + 1):
        old, new = wave_id(2 - number % 2).encode(), wave_id(number).encode()
        (responses / f"{wave_id(number)}.csv").write_bytes(files[number % 2].replace(old, new))
        if number % 2:
            rows.append(row.replace(wave_id(1).encode(), new))
    with (folder / "waves.csv").open("ab") as handle:
        handle.write(b"".join(rows))


def _cli_export(folder: Path, wave: str, repeats: int) -> float:
    command = [sys.executable, "-m", "tilannekuva", "export", "region_status", "--wave", wave]
    env = {**os.environ, DATA_DIR_ENV: str(folder)}
    return median_seconds(lambda: run_checked(command, env), repeats)


def _empty_caches() -> None:
    """What a new server process starts with: no database, table or fingerprint."""
    st.cache_data.clear()
    st.cache_resource.clear()
    store._fingerprints.clear()
    db._content_digest.cache_clear()


# The municipality page (its path across every stored wave) of this municipality of YEAR.
MUNICIPALITY = "091"


def _first_page_loads(
    folder: Path, wave: str, repeats: int, page: str = "", **params: str
) -> list[float]:
    """The first run of ``page`` (app_pages/PAGE; the overview when empty) with every cache
    emptied, ``repeats`` times."""
    before = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(folder)
    samples = []
    try:
        for _ in range(repeats):
            _empty_caches()
            app = AppTest.from_file(str(APP), default_timeout=300)
            app.query_params["lang"] = "fi"
            app.query_params["wave"] = wave
            for key, value in params.items():
                app.query_params[key] = value
            started = time.perf_counter()
            if page:
                app.switch_page(f"app_pages/{page}")
            app.run()
            samples.append(time.perf_counter() - started)
            if app.exception:
                raise RuntimeError(f"{page or 'overview'}: {[e.message for e in app.exception]}")
    finally:
        if before is None:
            os.environ.pop(DATA_DIR_ENV)
        else:
            os.environ[DATA_DIR_ENV] = before
        _empty_caches()
    return samples


def _figure(few: float, many: float) -> dict[str, float | None]:
    return {"few_s": few, "many_s": many, "ratio": ratio(many, few)}


def run(few: int, many: int, rows: int, repeats: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="tilannekuva-bench-") as temporary:
        few_folder = few_waves_folder(Path(temporary) / "few", few, rows)
        many_folder = Path(temporary) / "many"
        shutil.copytree(few_folder, many_folder)
        add_waves(many_folder, max(few, 2) + 1, many)
        wave = wave_id(1)
        before = os.environ.get(LOAD_CACHE_ENV)
        try:
            os.environ[LOAD_CACHE_ENV] = OFF
            load = _figure(
                median_seconds(lambda: db.Database(few_folder), repeats),
                median_seconds(lambda: db.Database(many_folder), repeats),
            )
            os.environ[LOAD_CACHE_ENV] = str(Path(temporary) / "kept")
            figures = _kept_figures(few_folder, many_folder, wave, repeats)
        finally:
            if before is None:
                os.environ.pop(LOAD_CACHE_ENV)
            else:
                os.environ[LOAD_CACHE_ENV] = before
    return {
        "few": max(few, 2),
        "many": many,
        "rows": rows,
        "wave": wave,
        "cold_load": load,
        **figures,
    }


def _kept_figures(few_folder: Path, many_folder: Path, wave: str, repeats: int) -> dict:
    """The figures of unchanged files: each folder loaded once first, which keeps its load."""
    # Python's imports and the pages' modules are paid once, before any timing.
    _first_page_loads(few_folder, wave, 1)
    db.Database(many_folder)
    export = _figure(
        _cli_export(few_folder, wave, repeats), _cli_export(many_folder, wave, repeats)
    )
    kept = _figure(
        median_seconds(lambda: db.Database(few_folder), repeats),
        median_seconds(lambda: db.Database(many_folder), repeats),
    )
    # Alternated, so that a neighbour's burst of work falls on both sides alike.
    first_few: list[float] = []
    first_many: list[float] = []
    for _ in range(repeats):
        first_few += _first_page_loads(few_folder, wave, 1)
        first_many += _first_page_loads(many_folder, wave, 1)
    page = _figure(statistics.median(first_few), statistics.median(first_many))
    municipality_few: list[float] = []
    municipality_many: list[float] = []
    for _ in range(repeats):
        pairs = ((municipality_few, few_folder), (municipality_many, many_folder))
        for samples, folder in pairs:
            samples += _first_page_loads(
                folder, wave, 1, "municipality.py", municipality=MUNICIPALITY
            )
    municipality = _figure(
        statistics.median(municipality_few), statistics.median(municipality_many)
    )
    return {
        "export": export,
        "kept_load": kept,
        "first_page": page,
        "municipality_page": municipality,
    }
