"""The benchmark suite must not rot: its wave generator makes valid nationwide-style waves, the bare
page has the kinds of elements it stands for, and ``python -m bench`` runs every part at tiny
sizes (through nginx, one process) and writes its results. No timing is asserted here: timings in
tests are flaky; ``make bench`` is where the figures come from."""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.__main__ import main
from bench.pages import BARE_PAGE, PAGES
from bench.waves import national_folder, wave_csv
from tests.browser import CHROMIUM
from tilannekuva.config import DEFAULT_DATA_DIR, PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.importer import validate_file
from tilannekuva.register import load_register
from tilannekuva.tables import Selection, build_table


def test_the_generated_wave_is_valid_and_nationwide_in_size() -> None:
    report = validate_file(wave_csv("2009-mittaus", 900), DEFAULT_DATA_DIR)
    assert report.ok, [problem.message("en") for problem in report.problems[:3]]
    assert len(report.rows) == 900
    answers = Counter(row["municipality_code"] for row in report.rows)
    assert len(answers) == 300 and set(answers.values()) == {3}
    assert {row["plan_status"] for row in report.rows} == {"ready", "started", "not_started"}


def test_the_national_waves_are_every_municipality_of_their_year(tmp_path: Path) -> None:
    """Issue #16: the national part's waves hold every municipality of the register of the
    wave's year, three answers each, sent to all of Finland (19 regions in 2026)."""
    folder, newest = national_folder(tmp_path / "data", 1)
    assert newest == "2009-kansallinen01"
    db = Database(folder)
    counts = db.run("regions", lang="fi")
    assert len(counts) == 20  # 2009: 19 regions and Itä-Uusimaa (20)
    expected = build_table(db, "respondents", Selection(newest))
    assert set(expected.loc[expected["respondent_type"] == "any", "share"]) == {1.0}
    rows = len(load_register().municipalities_of(2026))
    assert len(validate_file(wave_csv("2026-x", 3 * rows, 2026), folder).rows) == 3 * 308


def test_the_bare_page_has_the_same_kinds_of_elements() -> None:
    app = AppTest.from_file(str(BARE_PAGE), default_timeout=60).run()
    assert not app.exception
    assert len(app.sidebar.selectbox) + len(app.sidebar.multiselect) == 3
    assert len(app.dataframe) == 2
    assert len(app.get("download_button")) == 4
    assert len(app.get("vega_lite_chart")) == 2


def test_the_bench_visits_every_page() -> None:
    files = sorted(path.name for path in (PROJECT_DIR / "app_pages").glob("*.py"))
    assert sorted(page_file for page_file, _ in PAGES) == files


@pytest.mark.browser
def test_make_bench_runs_every_part_at_tiny_sizes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    results_file = tmp_path / "results.json"
    for name, value in {
        "BENCH_PAGES": "compare",
        "BENCH_LOAD_PAGES": "compare",
        "BENCH_SESSIONS": "2",
        "BENCH_SAMPLES": "1",
        "BENCH_REPEATS": "1",
        "BENCH_BROWSER_REPEATS": "1",
        "BENCH_ROWS": "30",
        "BENCH_WAVES": "2",
        "BENCH_NATIONAL_WAVES": "2",
        "BENCH_HISTORY": "4",
        "BENCH_HISTORY_FEW": "2",
        "BENCH_HISTORY_ROWS": "6",
        "BENCH_NGINX": "1",
        "BENCH_RESULTS": str(results_file),
    }.items():
        monkeypatch.setenv(name, value)
    # The browser part in the tests' Chromium, Debian's headless shell (tests/browser.py): the
    # same steps as in the full browser that make bench times, for a quarter less CPU (the part
    # took 18-19 s of the machine's CPU against 24 s, twice each; issue #20 item 7).
    monkeypatch.setattr("bench.browser.CHROMIUM", CHROMIUM)
    published: list[object] = []  # the open data publisher of deploy/serve.py, if started
    monkeypatch.setattr("deploy.serve.Publisher", lambda *args: published.append(args))
    # In a thread of its own: the browser part starts Playwright's sync API, which will not start
    # on a thread where the test process's Chromium (tests/conftest.py) is already driven.
    with ThreadPoolExecutor(max_workers=1) as thread:
        assert thread.submit(main).result() == 0
    # No publish ran beside what the bench measured (deploy/serve.py's publish=False).
    assert published == []
    results = json.loads(results_file.read_text(encoding="utf-8"))
    assert results["apptest"]["pages"]["compare"]["ratio"] > 0
    national = results["national"]
    assert national["pages"]["compare"]["ratio"] > 0 and national["wave"] == "2010-kansallinen02"
    assert results["browser"]["pages"]["compare"]["ratio"] > 0
    # A first render counts once every element has drawn: every sample of the bare page had its
    # two charts drawn and its two tables (it counted when only the title had, issue #21).
    assert results["browser"]["bare_drawn"] == {"charts": 2, "tables": 2}
    assert results["browser"]["pages"]["compare"]["drawn"]["charts"] >= 1
    under_load = results["load"]["compare"]["2"]
    assert under_load["page"]["errors"] == under_load["bare"]["errors"] == 0
    assert under_load["p95_ratio"] > 0
    assert under_load["page"]["cpu_per_session_s"] >= 0  # read from the processes behind nginx
    assert under_load["bare"]["samples"] == 2 * 2  # the floor before and after the pages
    imports = results["import"]
    assert imports["with_1_stored"]["import_s"] > imports["floors"]["python_c_pass_s"] > 0
    assert imports["with_2_stored"]["validate_s"] > 0
    assert imports["all_tables"]["ratio"] > 0 and imports["cold_load"]["ratio"] > 0
    history = results["history"]
    assert (history["few"], history["many"]) == (2, 4)
    for figure in ("export", "cold_load", "kept_load", "first_page", "municipality_page"):
        assert history[figure]["ratio"] > 0 and history[figure]["few_s"] > 0
    assert results["machine"]["cores"] >= 1


def test_the_readme_and_the_makefile_agree_on_how_long_make_bench_takes() -> None:
    """Issue #21: the Makefile said 8 minutes, the README 5. Neither states a time of its own
    now; the run prints its own."""
    import re

    from tilannekuva.config import PROJECT_DIR

    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    bench_readme = readme[readme.index("`make bench` (") :][:300]
    bench_make = makefile[makefile.index("# The benchmark suite") :][:300]
    minutes = re.compile(r"about \d+ minutes")
    assert not minutes.search(bench_readme) and not minutes.search(bench_make)
    assert "prints its own" in bench_readme and "prints its own" in bench_make
