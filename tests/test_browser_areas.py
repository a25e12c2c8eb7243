"""A wave of Lappi and Kainuu in Chromium (issue #16): every page in fi, sv and en names the
wave's area and never Eastern Finland (the trends page names 2009's area beside it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser import streamlit_server, wait_for_run
from tests.helpers import copy_data_folder, file_text
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses

pytestmark = pytest.mark.browser

WAVE = "2026-lk"
ANSWERS = [
    {"municipality_code": "698", "municipality_name": "Rovaniemi", "region_code": "19"},
    {"municipality_code": "205", "municipality_name": "Kajaani", "region_code": "18"},
]
EASTERN = ("Itä-Suomi", "Östra Finland", "Eastern Finland")
ADDRESSES = (
    "",
    "compare",
    "scope",
    "artu",
    "target",
    "worklist",
    "themes",
    "municipalities",
    "respondents",
    "municipality",
    "data",
    "upload",
    "accessibility",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = copy_data_folder(tmp_path_factory.mktemp("areas") / "data")
    rows = ({"wave": WAVE, "sub_region": "", **row} for row in ANSWERS)
    assert import_responses(file_text(*rows).encode("utf-8"), data).ok
    with streamlit_server({"TILANNEKUVA_DATA_DIR": str(data)}) as base:
        yield base


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_names_the_waves_area(browser: Browser, server: str, lang: str) -> None:
    names = {"fi": "Kainuu, Lappi", "sv": "Kajanaland, Lappland", "en": "Kainuu, Lapland"}[lang]
    area = t(lang, "area.selected_regions", regions=names)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    for address in ADDRESSES:
        page.goto(f"{server}/{address}?lang={lang}&wave={WAVE}")
        wait_for_run(page)
        body = page.locator("body").inner_text()
        assert not any(name in body for name in EASTERN), address
        assert area in body, address  # the view's line names the area on every page
    page.goto(f"{server}/trends?lang={lang}&wave={WAVE}")
    wait_for_run(page)
    body = page.locator("body").inner_text()
    assert t(lang, "total.of_area", area=area) in body
    assert t(lang, "trends.text_alt_area_break").split("{")[0] in body
    context.close()
