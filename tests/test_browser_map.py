"""The map in Debian's chromium (issue #18): every municipality drawn from its year's borders, a
click opening the municipality's page in the same tab, whole-page screenshots at 1366 and 390 px
of both years' borders. The axe sweep over every page of the page list, with its check that no
request leaves the app's host (test_browser_pages.py), includes the map page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import PHONE, SCREENSHOTS, settled, streamlit_server, whole_page_screenshot
from tests.helpers import copy_data_folder, file_text, response
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses

pytestmark = pytest.mark.browser

WAVE_2026 = "2026-kartta"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped data and a wave of the 2026 classification in the three regions."""
    folder = copy_data_folder(tmp_path_factory.mktemp("map") / "data")
    answers = [
        response("municipality", "491", "ready", region_code="10", wave=WAVE_2026),
        response("municipality", "297", "started", region_code="11", wave=WAVE_2026),
        response("municipality", "167", "not_started", region_code="12", wave=WAVE_2026),
    ]
    assert import_responses(file_text(*answers).encode("utf-8"), folder).ok
    with streamlit_server({"TILANNEKUVA_DATA_DIR": str(folder)}) as base:
        yield base


def shapes(page: Page, layer: str) -> int:
    return page.locator(f"[data-testid=stVegaLiteChart] g.{layer} path").count()


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    settled(page)
    expect(
        page.locator("[data-testid=stVegaLiteChart] g.layer_0_marks path").first
    ).to_be_attached()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_2009_map_draws_54_municipalities_and_a_click_opens_one(
    server: str, page: Page, lang: str
) -> None:
    open_map(page, f"{server}/map?lang={lang}&wave=2009")
    assert shapes(page, "layer_0_marks") == 54
    assert shapes(page, "region_borders_marks") == 3
    whole_page_screenshot(page, SCREENSHOTS / f"map_2009_{lang}.png")
    # A municipality whose middle is its own (not a neighbour's): clicked as a reader would.
    page.locator("[data-testid=stVegaLiteChart]").first.scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
        const map = document.querySelector('[data-testid=stVegaLiteChart]');
        for (const shape of map.querySelectorAll('g.layer_0_marks path')) {
            const box = shape.getBoundingClientRect();
            const x = box.x + box.width / 2, y = box.y + box.height / 2;
            if (document.elementFromPoint(x, y) === shape) return [x, y];
        }
        return null;
        }"""
    )
    assert point is not None, "no municipality could be clicked: something lies over the map"
    page.mouse.click(*point)
    page.wait_for_url("**/municipality?**")
    assert f"lang={lang}" in page.url and "wave=2009" in page.url
    settled(page)
    expect(page.locator("h1").first).to_have_text(t(lang, "page.municipality"))


def test_a_2026_wave_draws_the_43_municipalities_of_the_three_regions(
    server: str, page: Page
) -> None:
    open_map(page, f"{server}/map?lang=fi&wave={WAVE_2026}")
    assert shapes(page, "layer_0_marks") == 43
    legend = page.locator("[data-testid=stVegaLiteChart] .role-legend").first
    expect(legend).to_contain_text(t("fi", "map.value_not_answered"))
    whole_page_screenshot(page, SCREENSHOTS / "map_2026_fi.png")
    page.set_viewport_size(PHONE)
    settled(page)
    assert shapes(page, "layer_0_marks") == 43
    whole_page_screenshot(page, SCREENSHOTS / "phone" / "map_2026_fi.png")


def test_the_overview_opens_with_the_map(server: str, page: Page) -> None:
    open_map(page, f"{server}/?lang=fi&wave=2009")
    expect(page.get_by_role("heading", name=t("fi", "overview.map_title"))).to_be_visible()
    assert shapes(page, "layer_0_marks") == 54
    whole_page_screenshot(page, SCREENSHOTS / "overview_map_fi.png")
