"""The dashboard in a real browser: Debian's chromium driven by Playwright against
``streamlit run``. Screenshots land in test-artifacts/screenshots/ (look at them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, streamlit_server, wait_for_run
from tilannekuva.i18n import t

pytestmark = pytest.mark.browser

# (url path, a figure that must be visible on that page in Finnish)
PAGES = [
    ("", "n/N = 16/44"),
    ("compare", "Etelä-Savo: valmis 6/17, aloitettu 7/17, aloittamatta 4/17 (N = 17)."),
    ("scope", "Pohjois-Savo: kuntakohtainen 0, seutukuntakohtainen 3, maakunnan kattava .."),
    ("artu", "Etelä-Savo: ARTU käytössä 5/17 (29,4 %)."),
    ("target", "Kutsut ohjelmatietoineen: kesäkuun alussa 2009"),
    ("data", "Lähteen viiva (-) on tallennettu nollaksi."),
]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with streamlit_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: make test installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.mark.parametrize(("path", "figure"), PAGES)
def test_each_page_shows_its_title_and_a_figure(
    server: str, page: Page, path: str, figure: str
) -> None:
    page.goto(f"{server}/{path}?lang=fi")
    wait_for_run(page)
    expect(page.locator("h1").first).to_be_visible()
    expect(page.get_by_text(figure, exact=False).first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    charts = page.locator("[data-testid='stVegaLiteChart']")
    for index in range(charts.count()):
        expect(charts.nth(index).locator("canvas, svg").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{path or 'overview'}_fi.png", full_page=True)


def test_region_table_download_from_the_compare_page(server: str, page: Page) -> None:
    page.goto(f"{server}/compare?lang=fi")
    wait_for_run(page)
    # Streamlit marks a keyed widget's container with the class st-key-<key>.
    button = page.locator(".st-key-download_excel_region_status").get_by_role(
        "button", name=t("fi", "download.excel")
    )
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "tilannekysely_2009_aluevertailu_10-12.csv"
    body = download.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbfMaakuntakoodi;Maakunta;Valmis;")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[2] == "11;Pohjois-Savo;9;3;1;6;5;1;0;3;.."
    assert lines[4] == "total;Itä-Suomi yhteensä;16;16;12;13;10;6;9;7;.."
