"""What several test modules share (test modules never import from each other): response rows
and files, rows as tuples, the total-row parameters, a folder snapshot, the CLI in a subprocess,
the app in AppTest and its text as a reader sees it. Fixtures live in conftest.py."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tilannekuva.areas import view_area
from tilannekuva.config import DEFAULT_DATA_DIR, PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.page_list import PAGES
from tilannekuva.provenance import Provenance, make_provenance
from tilannekuva.register import load_register
from tilannekuva.schema import RESPONSE_COLUMNS, YES_NO_COLUMNS
from tilannekuva.tables import Selection, wave_rows
from tilannekuva.wave import Wave

APP = str(PROJECT_DIR / "app.py")
EXAMPLES = PROJECT_DIR / "data" / "examples"
REGIONS = ["10", "11", "12"]
# The shipped fictional example rounds: Pohjois-Karjala (12) has 4 municipalities in the 2014
# example register, 3 of them answered.
EXAMPLE_2014 = "esimerkki-2014"
EXAMPLE_2012 = "esimerkki-2012"
KARELIA = ("12",)
# What the image footers and the pack once said N is (every municipality of the region); none of
# these may come back: N is the region's municipalities that answered.
OLD_BASE_TEXTS = {
    "fi": "N = maakunnan kuntien määrä",
    "sv": "N = antalet kommuner i landskapet",
    "en": "N = the region's municipalities,",
}
TODAY = dt.date(2026, 11, 28)
BASE = {
    "wave": "2010",
    "respondent_type": "municipality",
    "organisation": "Testilän kunta",
    "municipality_code": "901",
    "municipality_name": "Testilä",
    "region_code": "10",
    "sub_region": "Testiseutu",
    "plan_status": "ready",
    "plan_year": "2008",
    "plan_scope": "municipal",
} | {column: "" for column in YES_NO_COLUMNS}


def response(kind: str, code: str, status: str, **values: str) -> dict[str, str]:
    """A valid answer of wave "w" by ``kind`` about municipality ``code`` with plan ``status``
    (a scope unless not started, a year when ready); ``values`` change any other column."""
    row = {
        "wave": "w",
        "respondent_type": kind,
        "organisation": f"org {code}",
        "municipality_code": code,
        "municipality_name": f"Kunta {code}",
        "plan_status": status,
        "plan_scope": "" if status == "not_started" else "municipal",
        "plan_year": "2008" if status == "ready" else "",
    }
    return row | values


def file_text(
    *rows: dict[str, str],
    separator: str = ";",
    newline: str = "\r\n",
    columns: tuple[str, ...] = RESPONSE_COLUMNS,
) -> str:
    """A response file: the header and each row over BASE (a column BASE lacks is blank), written
    the way Finnish Excel writes it by default (``;``, CRLF). ``columns``: the header, by default
    the 2009 questionnaire's (a questionnaire's ``file_columns`` for another)."""
    lines = [separator.join(columns)]
    lines += [separator.join({**BASE, **row}.get(c, "") for c in columns) for row in rows]
    return newline.join(lines) + newline


def stored_text(*rows: dict[str, str]) -> str:
    """A response file as the importer stores it in the data folder (``,``, LF)."""
    return file_text(*rows, separator=",", newline="\n")


def records(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples with None for unknown, so NULL and 0 can never compare equal."""
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in frame.itertuples(index=False, name=None)
    ]


def totals(label: str = "T", *, total: bool = True) -> dict[str, object]:
    """The total-row parameters of a regional query: ``label`` as the total row's label whatever
    the area (a pattern without {area} is taken as it is)."""
    return {"total": total, "total_label": label, "regions_label": label}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: equal before and after = nothing changed."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_cli(
    *args: str, env: dict[str, str] | None = None, data_dir: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m tilannekuva`` in a subprocess from the project folder; ``data_dir`` sets
    TILANNEKUVA_DATA_DIR on top of ``env`` (default: this process's environment)."""
    if data_dir is not None:
        env = {**(os.environ if env is None else env), "TILANNEKUVA_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "tilannekuva", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )


def cli_in_process(
    *args: str, env: dict[str, str] | None = None, data_dir: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The command line's ``main`` run in this process, answered as :func:`run_cli` answers:
    stdout and stderr as bytes, the exit code (argparse's 2 too). A subprocess spends about two
    seconds importing pandas, DuckDB and Altair before it reads its arguments; most command-line
    tests check arguments, files and messages, which need no process of their own (issue #20
    item 7). What does need one stays with :func:`run_cli`: a full or closed stdout, a kill,
    ``python -m tilannekuva`` itself. ``env``: variables set for the call (on top of this
    process's environment, put back after); ``data_dir`` sets TILANNEKUVA_DATA_DIR."""
    from tilannekuva.cli import main

    changes = {**(env or {}), **({"TILANNEKUVA_DATA_DIR": str(data_dir)} if data_dir else {})}
    saved = {name: os.environ.get(name) for name in changes}
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", newline="", write_through=True)
    os.environ.update(changes)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse's usage errors and --help
                code = exit_.code if isinstance(exit_.code, int) else 1
            stdout.flush()
            stderr.flush()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def previous_wave(db: Database, wave: str) -> str | None:
    """The wave ``wave`` is compared with (the previous_wave macro of queries/_macros.sql, which
    wave_change reads): the newest real wave older than it; None for a fictional wave or the
    first one. Read straight from the macro: wave_change leaves out a comparison across a change
    of unit, and the tests check the choice of wave there too."""
    found = db._fetch("select previous_wave($wave) as previous_wave", {"wave": wave})
    value = found["previous_wave"].iloc[0]
    return None if pd.isna(value) else str(value)


def provenance_of(db: Database, selection: Selection, extracted: datetime) -> Provenance:
    """The provenance of a selection of the loaded data, extracted at a fixed moment."""
    waves = wave_rows(db, selection.lang)
    wave = Wave.from_record(waves[waves["wave_id"] == selection.wave].iloc[0].to_dict())
    return make_provenance(wave, selection, view_area(db, selection).name, extracted)


def _addressed(query: dict[str, str | list[str]]) -> AppTest:
    """app.py in AppTest, not run yet, with ``query`` as its address; a list value repeats the
    parameter (``region=["10", "12"]``)."""
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    return app


def start_app(**query: str | list[str]) -> AppTest:
    """app.py run once through AppTest with ``query`` as its address (its default page, the
    overview)."""
    return _addressed(query).run()


def open_page(page: str, **query: str | list[str]) -> AppTest:
    """The page ``app_pages/<page>`` opened with ``query`` as the address, as a deep link opens it:
    one run, of that page (the overview's run before it was a quarter of a page test's CPU, issue
    #20 item 7); it must run without an exception. Before the first run AppTest names a page by
    its file name, which must be the page's address (tilannekuva/page_list.py; the overview, whose
    address is empty, is the default page)."""
    app = _addressed(query)
    address = next(listed.address for listed in PAGES if listed.file == page)
    assert address in ("", Path(page).stem), f"{page}: AppTest finds it by its file name"
    if address:
        app.switch_page(f"app_pages/{page}")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def shown_tables(app: AppTest) -> list[pd.DataFrame]:
    """The page's plain tables as the reader sees them, headers without the soft hyphens the page
    puts at their hyphenation points (tilannekuva/hyphenation.py)."""
    return [
        table.value.rename(columns=lambda header: str(header).replace("\u00ad", ""))
        for table in app.table
    ]


def page_text(app: AppTest) -> str:
    """Markdown, captions, info boxes and metric values as the reader sees them (data in markdown
    is backslash-escaped by ui.escape_markdown, with zero-width spaces that break what Streamlit
    links or turns into icons after parsing; both are taken out here)."""
    parts = [element.value for element in app.markdown]
    parts += [element.value for element in app.caption]
    parts += [element.body for element in app.info]
    parts += [str(element.value) for element in app.metric]
    text = "\n".join(str(part) for part in parts).replace("\u200b", "")
    return re.sub(r"\\(.)", r"\1", text)


def titles_of(db: Database, lang: str) -> dict[str, str]:
    """{wave id: title in ``lang``} of the loaded waves, as the sidebar names them."""
    waves = wave_rows(db, lang)
    return dict(zip(waves["wave_id"], waves["title"], strict=True))


def example_silent(wave: str, year: int) -> set[str]:
    """The example round's municipalities that nobody answered about, from its own files."""
    with (EXAMPLES / f"{wave}.csv").open(encoding="utf-8") as handle:
        answered = {row["municipality_code"] for row in csv.DictReader(handle)}
    expected = load_register(EXAMPLES / "register").municipalities_of(year)
    return {m.code for m in expected} - answered


def copy_data_folder(target: Path) -> Path:
    """A copy of the shipped data folder at ``target``, without the municipality register
    (data/register/, 1 MB) and the borders (data/borders/, 1.7 MB): the app reads those from the
    project whatever TILANNEKUVA_DATA_DIR says (register.REGISTER_DIR, borders.BORDERS_DIR). The
    examples' own register (examples/register/) is copied."""

    def skipped(folder: str, names: list[str]) -> list[str]:
        return ["register", "borders"] if Path(folder) == DEFAULT_DATA_DIR else []

    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=skipped)
    return target


def area_name(area_id: str, lang: str) -> str:
    """A named area's name in ``lang`` as data/areas.csv gives it (Itä-Suomi, Östra Finland)."""
    with (DEFAULT_DATA_DIR / "areas.csv").open(encoding="utf-8", newline="") as handle:
        row = next(row for row in csv.DictReader(handle) if row["area_id"] == area_id)
    return row[f"name_{lang}"]
