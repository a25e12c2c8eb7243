"""Tables at 1366 px (issue #8): every column visible without a sideways scroll, and a figure
("13 / 44", "36,4 %", a year) never split over two lines, on the pages with the widest tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import streamlit_server, wait_for_run

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PAGES = (
    "worklist?wave=esimerkki-2012",
    "municipalities?wave=esimerkki-2012",
    "municipality?wave=esimerkki-2014&municipality=954",
    "respondents?wave=esimerkki-2012",
    "compare?wave=2009",
)

# For each table: does it scroll sideways, and the figures whose text takes more than one line.
MEASURE = """() => [...document.querySelectorAll('[data-testid=stTable]')].map(table => {
    const scroller = [table, ...table.querySelectorAll('*')].find(
        e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX));
    const split = [...table.querySelectorAll('td')].filter(cell => {
        const text = cell.innerText.trim();
        if (!/^[0-9][0-9\\s\\u00a0/,.%]*$/.test(text)) return false;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        const tops = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            tops.push(...[...range.getClientRects()].filter(r => r.width > 0).map(r => r.top));
        }
        return tops.length > 0 && Math.max(...tops) - Math.min(...tops) > 4;
    }).map(cell => cell.innerText.trim());
    return {scrolls: scroller ? scroller.scrollWidth > scroller.clientWidth + 1 : false, split};
})"""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with streamlit_server() as base:
        yield base


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("address", PAGES)
def test_tables_fit_1366_px_and_keep_figures_whole(server: str, page: Page, address: str) -> None:
    page.goto(f"{server}/{address}&lang=fi")
    wait_for_run(page)
    page.wait_for_selector("[data-testid=stTable]")
    tables = page.evaluate(MEASURE)
    assert tables, "the page shows no table"
    assert [t for t in tables if t["scrolls"]] == []
    assert [t["split"] for t in tables if t["split"]] == []
