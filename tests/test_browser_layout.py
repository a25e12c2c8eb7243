"""Layout in Chromium (issue #8): tables at 1366 px show every column without a sideways scroll
and never split a figure ("13 / 44", "36,4 %", a year) over two lines; on a phone a wide table
scrolls under its first column; the themes heatmap fits the page at 390 and 1366 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import (
    SCREENSHOTS,
    charts_still,
    new_context,
    open_folded,
    save_window,
    wait_for_run,
)

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


@pytest.mark.parametrize("address", PAGES)
def test_tables_fit_1366_px_and_keep_figures_whole(server: str, page: Page, address: str) -> None:
    page.goto(f"{server}/{address}&lang=fi")
    wait_for_run(page)
    open_folded(page)  # the municipality page's tables are folded (issue #21)
    page.wait_for_selector("[data-testid=stTable]")
    tables = page.evaluate(MEASURE)
    assert tables, "the page shows no table"
    assert [t for t in tables if t["scrolls"]] == []
    assert [t["split"] for t in tables if t["split"]] == []


def heatmap_fits(phone: Page) -> dict[str, float]:
    """The themes heatmap's box, its drawing and the window, in CSS pixels."""
    return phone.evaluate(
        """() => { const chart = document.querySelector('[data-testid=stVegaLiteChart]');
            const svg = chart.querySelector('svg');
            const widths = sel => Array.from(svg.querySelectorAll(sel))
                .map(e => e.getBBox().width);
            return { right: chart.getBoundingClientRect().right, box: chart.clientWidth,
                     drawn: svg.getBoundingClientRect().width, window: window.innerWidth,
                     cell: Math.min(...widths('.mark-rect.role-mark path')),
                     label: Math.max(...widths('.mark-text.role-mark text')) }; }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_themes_heatmap_fits_the_page_without_sideways_scroll(
    browser: Browser, server: str, width: int
) -> None:
    """Issue #8 at 390 px: the heatmap scrolled sideways. It takes its column's width; its labels
    wrap instead (charts.ITEM_WRAP, REGION_WRAP)."""
    phone = width < 600
    context = new_context(
        browser, viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.goto(f"{server}/themes?lang=fi&wave=esimerkki")
    wait_for_run(page)
    charts_still(page)  # drawn, and resized to its container
    fits = heatmap_fits(page)
    save_window(page, SCREENSHOTS / "outputs" / f"themes_{width}.png")
    context.close()
    assert fits["right"] <= fits["window"] + 1
    assert fits["drawn"] <= fits["box"] + 1
    assert fits["label"] + 8 <= fits["cell"]  # every "13/44" inside its cell, with room


@pytest.mark.browser
def test_a_wide_table_on_a_phone_scrolls_under_its_first_column(
    browser: Browser, server: str
) -> None:
    """A wide table on a phone scrolls sideways (its columns keep a readable width) while its
    first column, the municipality the row is about, stays in place."""
    context = new_context(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{server}/municipalities?lang=fi&wave=esimerkki")
    wait_for_run(page)
    table = page.locator("[data-testid=stTable]").first
    table.scroll_into_view_if_needed()
    moved = table.evaluate(
        """t => { const scroller = t.firstElementChild;
            const left = n => t.querySelector(`tbody td:nth-child(${n})`)
                .getBoundingClientRect().left;
            const before = [left(1), left(2), scroller.scrollWidth > scroller.clientWidth];
            scroller.scrollLeft = 200;
            return { wide: before[2], first: left(1) - before[0], second: left(2) - before[1] };
        }"""
    )
    save_window(page, SCREENSHOTS / "outputs" / "municipalities_table_390.png")
    context.close()
    assert moved["wide"]  # the table is wider than the phone ...
    assert moved["second"] < -100  # ... its columns scroll ...
    assert abs(moved["first"]) < 1  # ... under a first column that stays
