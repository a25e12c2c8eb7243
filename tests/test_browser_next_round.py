"""The next round in Chromium (issue #16): a wave of Lappi and Kainuu, where every page in fi, sv
and en names the wave's area and never Eastern Finland (the trends page names 2009's area beside
it); and waves of the proposed 2026 questionnaire, whose other questions show on their page and
the municipality page, axe-clean, with whole-page screenshots in test-artifacts/screenshots/
(look at them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser import (
    SCREENSHOTS,
    axe_violations,
    open_folded,
    serious,
    show_view,
    streamlit_server,
    wait_for_run,
    whole_page_screenshot,
)
from tests.conftest import WAVES_2026, wave_2026_file
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


# One server for the module (issue #20 item 7: a server's start and first page cost about 2 s of
# CPU): the shipped data with the Lappi and Kainuu wave and the two waves of the 2026
# questionnaire (Pohjois-Savo), each imported as its coordinator would.
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = copy_data_folder(tmp_path_factory.mktemp("next_round") / "data")
    rows = ({"wave": WAVE, "sub_region": "", **row} for row in ANSWERS)
    assert import_responses(file_text(*rows).encode("utf-8"), data).ok
    for wave in WAVES_2026:
        assert import_responses(wave_2026_file(wave), data).ok
    with streamlit_server({"TILANNEKUVA_DATA_DIR": str(data)}) as base:
        yield base


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_names_the_waves_area(page: Page, server: str, lang: str) -> None:
    names = {"fi": "Kainuu, Lappi", "sv": "Kajanaland, Lappland", "en": "Kainuu, Lapland"}[lang]
    area = t(lang, "area.selected_regions", regions=names)
    # Every page in Finnish; in Swedish and English the overview and the comparison: every page
    # draws the view's line with the same code, only its words change with the language (issue
    # #20 item 7: a sweep of every page in three languages took 95 s of the suite).
    # One page after another by the sidebar's links, as a reader goes (show_view).
    for address in ADDRESSES if lang == "fi" else ADDRESSES[:2]:
        show_view(page, server, address, lang, WAVE)
        body = page.locator("body").inner_text()
        # The data page's sources list every wave with its area: 2009's is Itä-Suomi.
        assert address == "data" or not any(name in body for name in EASTERN), address
        assert area in body, address  # the view's line names the area on every page
    show_view(page, server, "trends", lang, WAVE)
    body = page.locator("body").inner_text()
    assert t(lang, "total.of_area", area=area) in body
    assert t(lang, "trends.text_alt_area_break").split("{")[0] in body


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("address", ["questions", "municipality"])
def test_the_other_questions_in_chromium(page: Page, server: str, address: str, lang: str) -> None:
    page.goto(f"{server}/{address}?lang={lang}&wave=2026-ps&municipality=297")
    wait_for_run(page)
    open_folded(page)  # the municipality page's tables are folded (issue #21)
    page.wait_for_selector("[data-testid=stTable]")
    body = page.locator("body").inner_text()
    assert (
        t(lang, "questions.municipality_title" if address == "municipality" else "page.questions")
        in body
    )
    assert t(lang, "questionnaire.proposed_mark") in body or address == "municipality"
    # axe in Finnish only: the structure does not change with the language (issue #20 item 7).
    found = serious(axe_violations(page)) if lang == "fi" else []
    whole_page_screenshot(page, SCREENSHOTS / "next_round" / f"{address}_{lang}.png")
    assert found == []
