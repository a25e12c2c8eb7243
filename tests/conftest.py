"""Shared fixtures: the shipped data, and small data folders made from given rows (dbt style)."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright
from streamlit.components.v2 import manifest_scanner

from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, new_context
from tests.helpers import copy_data_folder
from tilannekuva.config import DEFAULT_DATA_DIR
from tilannekuva.db import Database
from tilannekuva.load_cache import LOAD_CACHE_ENV, OFF
from tilannekuva.schema import TABLE_FILES

# The suite reads the files at every load, as each test expects of the folder it made, and
# writes nothing into the user's cache; tests/test_load_cache.py sets a folder of its own, and
# the servers and commands the tests start inherit this.
os.environ[LOAD_CACHE_ENV] = OFF

# Every AppTest scans the metadata of every installed package for Streamlit components (streamlit
# 1.67, components.v2.manifest_scanner) before its first run: a quarter of a page test's CPU, for a
# result that cannot change while the tests run (the installed packages). It is scanned once per
# test process (issue #20 item 7). The servers the tests start scan once each, as a reader's do.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)

# make test runs three workers (Makefile), each with its server and chromium on 2 shared cores: an
# expect() waits up to 15 s, as the browser tests' own waits do, not Playwright's 5 s (a chart on
# the trends page took longer under that load). A check that fails still fails, only later.
expect.set_options(timeout=15_000)


# How make test's three workers share the tests (Makefile: --dist loadfile, and the order below).
# The files whose tests share something costly run whole on one worker: a server, a browser tab,
# a module's fixture, the pages' caches in AppTest, or an order (test_nginx.py uploads a wave and
# then finds it in the open data). The files with browser tests, the longest, start first. The
# files below share nothing (pure functions, and queries on rows each test gives): their tests go
# one by one to whichever worker is free, last, so that the run ends with short tests on all
# three workers. By whole files the workers ended 19 s apart, one still running a file of 10-40 s
# while the others had nothing left (issue #20 item 7). A file of one long test stays out of the
# list (test_round_trip.py: one Hypothesis test of about 12 s), so that it starts before them.
ANY_WORKER = frozenset(
    f"test_{name}.py"
    for name in (
        "areas_guards",
        "assets",
        "boundaries",
        "borders",
        "charts",
        "cli",
        "db",
        "example_exports",
        "filters",
        "formatting",
        "i18n",
        "importer",
        "load_cache",
        "mapping",
        "queries",
        "queries_coverage",
        "queries_municipal",
        "queries_municipality_page",
        "queries_respondents",
        "register_check",
        "responses",
        "survey_files",
        "tables",
        "workbook",
    )
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_tests = Counter(item.path for item in items if item.get_closest_marker("browser"))
    tests = Counter(item.path for item in items)
    # A stable sort: a file's tests keep their order.
    items.sort(
        key=lambda item: (
            item.path.name in ANY_WORKER,
            -browser_tests[item.path],
            -tests[item.path],
            item.path.name,
        )
    )


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadfile, but the tests of the ANY_WORKER files each a unit of their own (xdist's
    loadgroup, which would mark them, does not group under pytest 9)."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FilesThenTests(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return nodeid if Path(file).name in ANY_WORKER else file

    return FilesThenTests(config, log)


# One Chromium per test process, started by its first browser test: Playwright's driver and the
# browser cost about 0.9 s of CPU to start and stop, once per module before (issue #20 item 7).
# Each module makes its own tabs in contexts of their own (``tab``), so no cookie, cache or
# session passes from one module to the next. bench's browser part starts Playwright itself: the
# bench test runs it in a thread of its own (tests/test_bench.py).
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: make test installs it (Makefile)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# A browser test that fails leaves its tab as it was: the window as drawn and the page's text in
# test-artifacts/failures/, the text in the report too (a test that failed once in a full run and
# passed alone had told no more than its time-out: issue #20 item 7). Taken before the fixtures
# close the tab.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and isinstance(page, Page):
        from tests.browser import FAILURES, save_window

        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in item.nodeid)[-150:]
        try:
            save_window(page, FAILURES / f"{name}.png")
            text = f"{page.url}\n\n{page.locator('body').inner_text(timeout=5_000)}"
            (FAILURES / f"{name}.txt").write_text(text, "utf-8")
            # In the report too: CI keeps its log, not the files.
            report.sections.append(("the page when the test failed", text[-4_000:]))
        except Exception as error:  # the tab may be gone: the failure itself is reported anyway
            report.sections.append(("the page when the test failed", f"not saved: {error!r}"))
    return report


# The upload password of the shared server below: uploads on, so its upload page shows the
# password form (uploads stay off under 12 characters: tilannekuva/web/uploads.py).
UPLOAD_PASSWORD = "selain-testi"


# A server on a copy of the shipped data, with uploads on, one per test worker, for every browser
# module that needs nothing else (pages, axe, layout, sidebar, print) and the tampered websocket
# messages: one server start per worker instead of one per module (issue #20 item 7). On a copy,
# so that no upload can reach the project's data/. A module with its own data or settings defines
# its own ``server``.
@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.browser import streamlit_server

    data = copy_data_folder(tmp_path_factory.mktemp("shipped") / "data")
    env = {"TILANNEKUVA_DATA_DIR": str(data), "TILANNEKUVA_UPLOAD_PASSWORD": UPLOAD_PASSWORD}
    with streamlit_server(env) as base:
        yield base


# One desktop tab per browser test module, which its tests take turns in (``page``). Each test
# opens its address in it (a new Streamlit session); the tab keeps its renderer process and the
# Streamlit code compiled in it. A tab of its own cost each test twice the CPU of such a visit:
# 2.8-4.5 s of CPU against 1.6-1.8 s per page opened, measured with /proc/stat on an idle machine
# (issue #20 item 7). A test that needs a fresh browser (a new tab's session, a phone) makes one.
@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    context = new_context(browser, viewport=DESKTOP, accept_downloads=True)
    yield context.new_page()
    context.close()


# The module's tab, at desktop size, with screen media; it accepts downloads and fails the test
# if a dialog (alert) opened. A module may define its own ``page``.
@pytest.fixture
def page(tab: Page) -> Iterator[Page]:
    tab.set_viewport_size(DESKTOP)
    tab.emulate_media(media="null")
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    yield tab
    tab.remove_listener("dialog", dismiss)
    assert not dialogs, f"a dialog opened: {dialogs}"


@pytest.fixture(scope="session")
def shipped_db() -> Database:
    return Database(DEFAULT_DATA_DIR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data folder that a test may change."""
    target = tmp_path / "data"
    copy_data_folder(target)
    return target


@pytest.fixture
def given_rows(tmp_path: Path) -> Callable[..., Database]:
    """A database made of given rows: ``given_rows(region_status="...")`` gives that file's body
    (by file name), every other file is empty except for its header (regions and waves keep the
    shipped rows unless given); ``responses`` is written as responses/<wave>.csv files."""

    def make(responses: dict[str, str] | None = None, **bodies: str) -> Database:
        responses = responses or {}
        folder = tmp_path / "given"
        folder.mkdir(exist_ok=True)
        for table in TABLE_FILES:
            header = ",".join(table.column_names)
            stem = Path(table.file).stem
            if stem in bodies:
                body = bodies[stem]
            elif stem in ("regions", "waves", "areas"):
                body = (DEFAULT_DATA_DIR / table.file).read_text(encoding="utf-8").split("\n", 1)[1]
            else:
                body = ""
            (folder / table.file).write_text(header + "\n" + body, encoding="utf-8")
        for wave, text in responses.items():
            (folder / "responses").mkdir(exist_ok=True)
            (folder / "responses" / f"{wave}.csv").write_text(text, encoding="utf-8")
        return Database(folder)

    return make


# Two waves of the proposed 2026 questionnaire (issue #16), about Pohjois-Savo (11): a 2025
# pilot and the 2026 round, as a coordinator's survey tool writes answers (Finnish texts, several
# choices joined by ";", a free-text comment that is never stored).
KUOPIO = {"municipality_code": "297", "municipality_name": "Kuopio", "sub_region": "Kuopio"}
IISALMI = {"municipality_code": "140", "municipality_name": "Iisalmi", "sub_region": "Ylä-Savo"}
SIILINJARVI = {
    "municipality_code": "749",
    "municipality_name": "Siilinjärvi",
    "sub_region": "Kuopio",
}
READY = {"plan_status": "valmis", "plan_scope": "kunta"}
WAVES_2026: dict[str, list[dict[str, str]]] = {
    "2025-pilotti": [
        KUOPIO
        | READY
        | {
            "respondent_type": "kunta",
            "plan_year": "2022",
            "wellbeing_report_link": "erillinen",
            "preparedness_plan": "kyllä",
            "preparedness_plan_year": "2021",
            "safety_network": "ei",
            "themes_2023": "katujengit",
        },
        IISALMI
        | {
            "respondent_type": "kunta",
            "plan_status": "aloitettu",
            "plan_scope": "kunta",
            "wellbeing_report_link": "linked",
            "preparedness_plan": "ei",
            "safety_network": "ei",
            "partner_rescue_department": "ei",
        },
    ],
    "2026-ps": [
        KUOPIO
        | READY
        | {
            "respondent_type": "kunta",
            "plan_year": "2024",
            "wellbeing_report_link": "osa hyvinvointikertomusta",
            "preparedness_plan": "kyllä",
            "preparedness_plan_year": "2023",
            "safety_network": "kyllä",
            "partner_rescue_department": "kyllä",
            "themes_2023": "katujengit; nuorten vakava väkivalta;",
            "comments": "Terveisin Matti Meikäläinen, matti@example.fi",
        },
        KUOPIO | READY | {"respondent_type": "poliisi", "plan_year": "2024"},
        SIILINJARVI
        | {
            "respondent_type": "kunta",
            "plan_status": "aloitettu",
            "plan_scope": "seutukunta",
            "wellbeing_report_link": "erillinen, mutta kytketty",
            "preparedness_plan": "ei",
            "safety_network": "kyllä",
            "themes_2023": "ikääntyneiden turvallisuus",
        },
        IISALMI
        | {
            "respondent_type": "kunta",
            "plan_status": "aloittamatta",
            "preparedness_plan": "kyllä",
            "preparedness_plan_year": "2020",
            "safety_network": "ei",
        },
    ],
}


def wave_2026_file(wave: str) -> bytes:
    """One of WAVES_2026 as a survey tool would give it: every column of the questionnaire (the
    free text too), ";" with the cells that hold ";" or "," quoted."""
    import csv
    import io

    from tilannekuva.questionnaire import shipped_questionnaires

    questionnaire = shipped_questionnaires()["2026"]
    columns = (*questionnaire.file_columns, *questionnaire.free_text_columns)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for answer in WAVES_2026[wave]:
        organisation = f"{answer['municipality_name']} ({answer['respondent_type']})"
        row = answer | {"wave": wave, "organisation": organisation, "region_code": "11"}
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="session")
def waves_2026_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data with WAVES_2026 imported (each as a survey tool gives it)."""
    from tilannekuva.importer import import_responses

    folder = copy_data_folder(tmp_path_factory.mktemp("questionnaire") / "data")
    for wave in WAVES_2026:
        # 2026-ps is imported as its coordinator would, naming its questionnaire; the pilot's
        # questionnaire is left to the file's columns.
        questionnaire = "2026" if wave == "2026-ps" else None
        result = import_responses(wave_2026_file(wave), folder, questionnaire=questionnaire)
        assert result.ok, [p.message("en") for p in result.all_problems()]
    return folder


@pytest.fixture(scope="session")
def waves_2026_db(waves_2026_folder: Path) -> Database:
    return Database(waves_2026_folder)


# Two real rounds about Etelä-Savo (10) in given rows, for the tables that follow a municipality
# across rounds: 2024 (w1) and 2025 (w2), each on its year's register. Mikkeli (491) answered in
# both, its police in 2025 too (the statuses disagree); Juva (178) by its rescue services in 2025
# only; every other municipality of the region answered neither.
TWO_ROUNDS_WAVES = (
    "w1,Kierros 1,Omgång 1,Round 1,2024,2024,municipalities;police;rescue_services,,response,"
    "false,test,10,\n"
    "w2,Kierros 2,Omgång 2,Round 2,2025,2025,municipalities;police;rescue_services,,response,"
    "false,test,10,\n"
)


@pytest.fixture
def two_rounds(given_rows: Callable[..., Database]) -> Database:
    from tests.helpers import response, stored_text

    def answer(wave: str, kind: str, code: str, status: str, **values: str) -> dict[str, str]:
        return response(kind, code, status, wave=wave, region_code="10", **values)

    first = answer("w1", "municipality", "491", "started")
    mikkeli = answer(
        "w2", "municipality", "491", "ready", artu_in_use="true", theme_home_leisure="true"
    )
    police = answer("w2", "police", "491", "started")
    juva = answer(
        "w2", "rescue", "178", "not_started", theme_home_leisure="false", partner_red_cross="true"
    )
    return given_rows(
        waves=TWO_ROUNDS_WAVES,
        responses={"w1": stored_text(first), "w2": stored_text(mikkeli, police, juva)},
    )
