"""The municipality page (issue #7 item 4) in Debian's chromium: the example rounds and a real
wave, fi/sv/en, axe-core (no serious or critical violation), and whole-page screenshots at
1366 px and 390 px in test-artifacts/screenshots/ (look at them)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser import (
    PHONE,
    SCREENSHOTS,
    axe_violations,
    download_from_menu,
    open_section,
    serious,
    streamlit_server,
    wait_for_run,
    whole_page_screenshot,
)
from tests.helpers import copy_data_folder, file_text
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses

pytestmark = pytest.mark.browser

FORMULA_NAME = '=HYPERLINK("http://x")'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped data and a real wave following the 2010 register: Mikkeli (491) answered by
    an organisation with a formula for a name."""
    folder = tmp_path_factory.mktemp("municipality") / "data"
    copy_data_folder(folder)
    real = file_text(
        {
            "wave": "2010-testi",
            "municipality_code": "491",
            "municipality_name": "Mikkeli",
            "organisation": FORMULA_NAME,
        }
    )
    assert import_responses(real.encode("utf-8"), folder).ok
    with streamlit_server({"TILANNEKUVA_DATA_DIR": str(folder)}) as base:
        yield base


def serious_violations(page: Page) -> list[str]:
    return serious(axe_violations(page))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keksittys_page_in_every_language(server: str, page: Page, lang: str) -> None:
    page.goto(f"{server}/municipality?lang={lang}&wave=esimerkki-2014&municipality=954")
    wait_for_run(page)
    expect(page.locator("h1").first).to_have_text(t(lang, "page.municipality"))
    expect(page.get_by_role("combobox", name=t(lang, "municipality.picker"))).to_have_value(
        t(lang, "municipality.option", name=t_name(lang, "Keksitty"), code="954")
    )
    # The answer first: the profile and the path across the rounds, which names Tarula (merged
    # into Keksitty); the tables follow, folded, and open on a click.
    path = page.get_by_text(t(lang, "municipality.path_intro"))
    expect(path).to_contain_text(t(lang, "municipality.path_as", name=t_name(lang, "Tarula")))
    heading = t(lang, "municipality.answers_title")
    folded = open_section(page, heading)
    tarula = folded.get_by_test_id("stTable").get_by_text(t_name(lang, "Tarula"), exact=True)
    expect(tarula.first).to_be_visible()
    assert page.get_by_test_id("stException").count() == 0
    whole_page_screenshot(page, SCREENSHOTS / f"municipality_{lang}.png")
    # axe in Finnish only: the structure does not change with the language (issue #20 item 7).
    assert lang != "fi" or serious_violations(page) == []
    page.set_viewport_size(PHONE)
    wait_for_run(page)
    whole_page_screenshot(page, SCREENSHOTS / "phone" / f"municipality_{lang}.png")
    # On a phone a wide table scrolls sideways (by design since issue #8); its scrolling box
    # takes the keyboard's focus (axe: scrollable-region-focusable).
    assert lang != "fi" or serious_violations(page) == []


def t_name(lang: str, name: str) -> str:
    return f"{name} ({ {'sv': 'exempel', 'en': 'example'}.get(lang, 'esimerkki') })"


def test_a_real_municipality_on_the_2009_wave_and_a_link_from_the_worklist(
    server: str, page: Page
) -> None:
    page.goto(f"{server}/municipality?lang=fi&wave=2009&municipality=491")
    wait_for_run(page)
    # A regional table: one line, and the round that has Mikkeli's answers (followed from the
    # 2009 register to the 2010 one), never a table of "..".
    title = "Paikallisen turvallisuussuunnittelun tilannekysely 2009"
    said = t("fi", "municipality.regional_rounds", wave=title, links="\0").split("\0")[0]
    expect(page.get_by_text(said)).to_be_visible()
    assert page.get_by_test_id("stTable").count() == 0
    assert serious_violations(page) == []
    whole_page_screenshot(page, SCREENSHOTS / "municipality_2009_fi.png")
    # The link opens the round's page in the same tab (static/app.js; issue #21).
    page.get_by_role("link", name="Kyselykierros 2010-testi").click()
    page.wait_for_url("**wave=2010-testi**")
    real = page
    wait_for_run(real)
    assert "wave=2010-testi" in real.url and "municipality=491" in real.url
    whole_page_screenshot(real, SCREENSHOTS / "municipality_real_fi.png")
    real.set_viewport_size(PHONE)
    wait_for_run(real)
    whole_page_screenshot(real, SCREENSHOTS / "phone" / "municipality_real_fi.png")
    real.set_viewport_size({"width": 1366, "height": 900})
    wait_for_run(real)
    # The formula name stays text in the folded table of answers, and no link: a URL in a data
    # cell is never made clickable (GFM autolinks bare URLs).
    heading = t("fi", "municipality.answers_title")
    folded = open_section(real, heading)
    answers = folded.get_by_test_id("stTable")
    expect(answers.get_by_text(FORMULA_NAME, exact=True)).to_be_visible()
    assert answers.locator("a").count() == 0
    assert serious_violations(real) == []
    # The .xlsx names the municipality: in its file name and on its About sheet.
    name, body = download_from_menu(
        real, "download_menu_municipality_answers", "download_xlsx_municipality_answers"
    )
    assert "_kunnan_vastaukset_kunta_491" in name
    book = openpyxl.load_workbook(io.BytesIO(body))
    about = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    assert about[t("fi", "prov.municipality")] == "Mikkeli (491)"
    page.goto(f"{server}/worklist?lang=sv&wave=esimerkki-2012&region=10")
    wait_for_run(page)
    # A name on the worklist opens its page in the same tab (issue #21; Streamlit would open a
    # markdown link in a new one), with the view's language and wave.
    page.get_by_role("link", name="Esimerkkilä (exempel)").click()
    page.wait_for_url("**/municipality?**")
    wait_for_run(page)
    assert len(page.context.pages) == 1
    expect(page.locator("h1").first).to_have_text(t("sv", "page.municipality"))
    expect(page.get_by_role("combobox", name=t("sv", "municipality.picker"))).to_have_value(
        "Esimerkkilä (exempel) (951)"
    )
    assert "lang=sv" in page.url and "wave=esimerkki-2012" in page.url
