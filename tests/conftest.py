"""Shared fixtures: the shipped data, and small data folders made from given rows (dbt style)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.helpers import copy_data_folder
from tilannekuva.config import DEFAULT_DATA_DIR
from tilannekuva.db import Database
from tilannekuva.schema import TABLE_FILES

# make test runs two workers (Makefile), each with its server and chromium on 2 shared cores: an
# expect() waits up to 15 s, as the browser tests' own waits do, not Playwright's 5 s (a chart on
# the trends page took longer under that load). A check that fails still fails, only later.
expect.set_options(timeout=15_000)


# One Chromium per browser test module (module scope: a test that starts Playwright itself, as
# test_chart_images does, must not find another sync Playwright still running).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: make test installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# A desktop page that accepts downloads and fails the test if a dialog (alert) opened: a module
# may define its own ``page``.
@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
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
