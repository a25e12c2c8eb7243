"""(d) Validating and importing a wave through the CLI with 1 and with N waves stored, against the
process's own start-up; a cold load of N waves; every table's query on the largest wave; the same
answers as a survey tool's .xlsx export through ``mapping suggest`` and ``validate --mapping``,
against ``validate`` of the template file (issue #17: each at most 2x).

Floors: ``python -c pass`` (the interpreter) and ``python -m tilannekuva --help`` (the CLI's own
imports); for the in-process figures, the same work on the shipped data and the example wave.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import median_seconds, ratio, run_checked
from bench.waves import data_folder_with_waves, forms_export, wave_csv
from tilannekuva.config import DATA_DIR_ENV, DEFAULT_DATA_DIR
from tilannekuva.db import Database
from tilannekuva.tables import TABLES, Selection, build_table


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tilannekuva", *args]


def _cli_times(base: Path, wave_file: Path, repeats: int, scratch: Path) -> dict[str, float]:
    """Median seconds of ``validate`` and of ``import`` of one new wave into a fresh copy of
    ``base`` (the copy is made outside the timing)."""
    env = {**os.environ, DATA_DIR_ENV: str(base)}
    validate = median_seconds(lambda: run_checked(_cli("validate", str(wave_file)), env), repeats)
    imports = []
    for number in range(repeats):
        folder = scratch / f"import-{number}"
        shutil.copytree(base, folder)
        command = _cli("import", str(wave_file))
        started = time.perf_counter()
        run_checked(command, {**os.environ, DATA_DIR_ENV: str(folder)})
        imports.append(time.perf_counter() - started)
        shutil.rmtree(folder)
    imports.sort()
    return {"validate_s": validate, "import_s": imports[len(imports) // 2]}


def _export_times(base: Path, wave_file: Path, scratch: Path, repeats: int) -> dict[str, float]:
    """Median seconds of ``mapping suggest`` and ``validate --mapping`` of the wave as a Forms
    export, and of ``validate`` of its template file, with one wave stored."""
    env = {**os.environ, DATA_DIR_ENV: str(base)}
    export = scratch / "vastaukset.xlsx"
    export.write_bytes(forms_export(wave_file.read_bytes(), "2009-uusi"))
    mapping = scratch / "mapping.json"
    suggest = _cli(
        "mapping", "suggest", str(export), "--wave", "2009-uusi", "--questionnaire", "2009",
        "-o", str(mapping),
    )  # fmt: skip
    template = median_seconds(lambda: run_checked(_cli("validate", str(wave_file)), env), repeats)
    suggested = median_seconds(lambda: run_checked(suggest, env), repeats)
    mapped = _cli("validate", str(export), "--mapping", str(mapping))
    validated = median_seconds(lambda: run_checked(mapped, env), repeats)
    return {
        "template_validate_s": template,
        "suggest_s": suggested,
        "validate_s": validated,
        "suggest_ratio": ratio(suggested, template),
        "validate_ratio": ratio(validated, template),
    }


def _all_tables(folder: Path, wave: str) -> tuple[float, str, float]:
    """Seconds for every table of TABLES on ``wave`` (all regions, totals), and the slowest. On a
    database of its own, loaded before the clock starts: a database answers a query asked again
    from what it kept (db.py), so a second pass on the same one would time that, not the
    queries."""
    db = Database(folder)
    slowest, slowest_s, total = "", 0.0, 0.0
    for name in TABLES:
        started = time.perf_counter()
        build_table(db, name, Selection(wave))
        seconds = time.perf_counter() - started
        total += seconds
        if seconds > slowest_s:
            slowest, slowest_s = name, seconds
    return total, slowest, slowest_s


def run(rows: int, waves: int, repeats: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="tilannekuva-bench-") as temporary:
        scratch = Path(temporary)
        wave_file = scratch / "uusi.csv"
        wave_file.write_bytes(wave_csv("2009-uusi", rows))
        one = data_folder_with_waves(scratch / "one", 1, rows)
        many = data_folder_with_waves(scratch / "many", waves, rows)

        python_floor = median_seconds(lambda: run_checked([sys.executable, "-c", "pass"]), repeats)
        cli_floor = median_seconds(lambda: run_checked(_cli("--help")), repeats)
        with_one = _cli_times(one, wave_file, repeats, scratch)
        with_many = _cli_times(many, wave_file, repeats, scratch)

        exports = _export_times(one, wave_file, scratch, repeats)
        shipped_load = median_seconds(lambda: Database(DEFAULT_DATA_DIR), repeats)
        many_load = median_seconds(lambda: Database(many), repeats)
        _all_tables(many, "2009-m01")  # the first queries of a process pay for their plans
        largest = min(_all_tables(many, "2009-m01") for _ in range(repeats))
        example = min(_all_tables(DEFAULT_DATA_DIR, "esimerkki") for _ in range(repeats))

    return {
        "rows": rows,
        "waves": waves,
        "floors": {"python_c_pass_s": python_floor, "cli_help_s": cli_floor},
        "with_1_stored": with_one,
        f"with_{waves}_stored": with_many,
        "import_growth": ratio(with_many["import_s"], with_one["import_s"]),
        "import_over_cli_startup_s": with_many["import_s"] - cli_floor,
        "ratios": {
            "validate_1_vs_cli_help": ratio(with_one["validate_s"], cli_floor),
            "import_1_vs_cli_help": ratio(with_one["import_s"], cli_floor),
            f"import_{waves}_vs_cli_help": ratio(with_many["import_s"], cli_floor),
            "import_1_vs_python": ratio(with_one["import_s"], python_floor),
            f"import_{waves}_vs_python": ratio(with_many["import_s"], python_floor),
        },
        "cold_load": {
            f"{waves}_waves_s": many_load,
            "shipped_s": shipped_load,
            "ratio": ratio(many_load, shipped_load),
        },
        "export": exports,
        "all_tables": {
            "largest_wave_s": largest[0],
            "slowest_table": largest[1],
            "slowest_table_s": largest[2],
            "example_wave_s": example[0],
            "ratio": ratio(largest[0], example[0]),
        },
    }
