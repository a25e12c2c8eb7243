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
# title, and every chart has drawn (Vega puts an svg or a canvas in it).
RENDERED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.dataset.testScriptState !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (!document.querySelector('h1')) return false;
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


def first_render(browser: Browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(RENDERED, timeout=120_000, polling=50)
        return time.perf_counter() - started
    finally:
        context.close()


def paired_renders(browser: Browser, url: str, bare_url: str, repeats: int) -> tuple[float, float]:
    """The median first render of ``url`` and of the bare page, their samples taken in turns:
    a burst of a neighbour's work, or the machine slowing down over the run, falls on both alike
    (one bare figure at the start made the last pages of a run look slower than the first)."""
    first_render(browser, url)  # the server's caches and the page's first run are warm after this
    page: list[float] = []
    bare: list[float] = []
    for _ in range(repeats):
        bare.append(first_render(browser, bare_url))
        page.append(first_render(browser, url))
    return statistics.median(page), statistics.median(bare)


def run(
    app_base: str, bare_base: str, pages: tuple[tuple[str, str], ...], repeats: int
) -> dict[str, object]:
    with chromium() as browser:
        bare_url = f"{bare_base}/"
        first_render(browser, bare_url)  # the bare server's first run, as each page's below
        figures = {}
        for _, path in pages:
            seconds, floor = paired_renders(
                browser, f"{app_base}/{address(path)}", bare_url, repeats
            )
            figures[path or "overview"] = {
                "first_render_s": seconds,
                "bare_first_render_s": floor,
                "ratio": ratio(seconds, floor),
            }
    return {"pages": figures}
