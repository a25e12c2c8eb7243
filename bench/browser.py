"""(b) First render in Chromium: a fresh browser context (no cache, no session) opens a page on a
server that has already served it once, until the run has finished and every chart has drawn;
against the bare page measured the same way on its own server, the two taken in turns."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

from bench.pages import address
from bench.timing import ratio
from tests.browser import CHROMIUM, CHROMIUM_ARGS

# Done = the script has run (Streamlit's own state on stApp), nothing is stale, the page has its
# title, no element is still a placeholder, and every chart has drawn (Vega puts an svg or a
# canvas in it). Without the placeholder check, "done" came while the elements whose code
# Streamlit loads on first use (charts, tables, widgets) were still skeletons: 11 of the bare
# page's 12 elements, no chart yet, so "every chart has drawn" held for no chart at all.
RENDERED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (!document.querySelector('h1')) return false;
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
    return charts.every((chart) => chart.querySelector('svg, canvas'));
}"""


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# What was on the page when it counted as rendered: the tiny bench in the tests checks the bare
# page's (two drawn charts, two tables, no placeholder), so "rendered" cannot come early again.
DRAWN = """() => ({
    charts: document.querySelectorAll(
        "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas").length,
    tables: document.querySelectorAll(
        "[data-testid='stDataFrame'], [data-testid='stTable']").length,
    placeholders: document.querySelectorAll("[data-testid='stSkeleton']").length,
})"""


def first_render(browser: Browser, url: str) -> tuple[float, dict[str, int]]:
    """Seconds from asking for ``url`` until it has rendered, and what it then showed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(RENDERED, timeout=120_000, polling=50)
        seconds = time.perf_counter() - started
        return seconds, page.evaluate(DRAWN)
    finally:
        context.close()


def paired_renders(
    browser: Browser, url: str, bare_url: str, repeats: int
) -> tuple[float, float, dict[str, int], dict[str, int]]:
    """The median first render of ``url`` and of the bare page, their samples taken in turns:
    a burst of a neighbour's work, or the machine slowing down over the run, falls on both alike
    (one bare figure at the start made the last pages of a run look slower than the first).
    Also what each showed when it counted as rendered, the last time."""
    first_render(browser, url)  # the server's caches and the page's first run are warm after this
    page: list[float] = []
    bare: list[float] = []
    page_drawn: dict[str, int] = {}
    bare_drawn: dict[str, int] = {}
    for _ in range(repeats):
        seconds, bare_drawn = first_render(browser, bare_url)
        bare.append(seconds)
        seconds, page_drawn = first_render(browser, url)
        page.append(seconds)
    return statistics.median(page), statistics.median(bare), page_drawn, bare_drawn


def run(
    app_base: str, bare_base: str, pages: tuple[tuple[str, str], ...], repeats: int
) -> dict[str, object]:
    with chromium() as browser:
        bare_url = f"{bare_base}/"
        first_render(browser, bare_url)  # the bare server's first run, as each page's below
        figures = {}
        bare_drawn: dict[str, int] = {}
        for _, path in pages:
            seconds, floor, drawn, bare_drawn = paired_renders(
                browser, f"{app_base}/{address(path)}", bare_url, repeats
            )
            figures[path or "overview"] = {
                "first_render_s": seconds,
                "bare_first_render_s": floor,
                "ratio": ratio(seconds, floor),
                "drawn": drawn,
            }
    return {"pages": figures, "bare_drawn": bare_drawn}
