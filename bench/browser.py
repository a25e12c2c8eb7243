"""(b) First render in Chromium: a fresh browser context (no cache, no session) opens a page on a
server that has already served it once, until the run has finished, no element is a placeholder
and every chart has drawn; against the bare page measured the same way on its own server, the two
taken in turns."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from bench.pages import address
from bench.timing import ratio
from tests.browser import CHROMIUM_ARGS

# The full browser, as a reader has it (the tests run Debian's headless shell: tests/browser.py).
CHROMIUM = Path(os.environ.get("TILANNEKUVA_BENCH_CHROMIUM", "/usr/bin/chromium"))

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


# What was on the page when it counted as rendered: charts with their drawing in them, and
# tables. The tiny bench in the tests checks the bare page's (two and two), so "rendered" cannot
# come early again (it came while they were still placeholders).
DRAWN = """() => ({
    charts: document.querySelectorAll(
        "[data-testid='stVegaLiteChart']:has(svg, canvas)").length,
    tables: document.querySelectorAll(
        "[data-testid='stDataFrame'], [data-testid='stTable']").length,
})"""


@dataclass
class Renders:
    """The first renders of one page: their seconds, and what each showed when it counted."""

    seconds: list[float] = field(default_factory=list)
    drawn: list[dict[str, int]] = field(default_factory=list)

    def add(self, sample: tuple[float, dict[str, int]]) -> None:
        self.seconds.append(sample[0])
        self.drawn.append(sample[1])

    def median(self) -> float:
        return statistics.median(self.seconds)


def fewest(drawn: list[dict[str, int]]) -> dict[str, int]:
    """The fewest charts and tables any of the samples had drawn when it counted."""
    return {key: min(sample[key] for sample in drawn) for key in drawn[0]}


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
) -> tuple[Renders, Renders]:
    """The first renders of ``url`` and of the bare page, their samples taken in turns: a burst
    of a neighbour's work, or the machine slowing down over the run, falls on both alike (one
    bare figure at the start made the last pages of a run look slower than the first)."""
    first_render(browser, url)  # the server's caches and the page's first run are warm after this
    page, bare = Renders(), Renders()
    for _ in range(repeats):
        bare.add(first_render(browser, bare_url))
        page.add(first_render(browser, url))
    return page, bare


def run(
    app_base: str, bare_base: str, pages: tuple[tuple[str, str], ...], repeats: int
) -> dict[str, object]:
    with chromium() as browser:
        bare_url = f"{bare_base}/"
        first_render(browser, bare_url)  # the bare server's first run, as each page's below
        figures = {}
        bare_drawn: list[dict[str, int]] = []
        for _, path in pages:
            page, bare = paired_renders(browser, f"{app_base}/{address(path)}", bare_url, repeats)
            figures[path or "overview"] = {
                "first_render_s": page.median(),
                "bare_first_render_s": bare.median(),
                "ratio": ratio(page.median(), bare.median()),
                "drawn": fewest(page.drawn),
            }
            bare_drawn += bare.drawn
    return {"pages": figures, "bare_drawn": fewest(bare_drawn)}
