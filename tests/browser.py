"""Helpers for the real-browser tests: a Streamlit server on a free port and Debian's chromium
driven by Playwright (test tools cannot download browsers here: executable_path is fixed)."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from deploy.serve import free_port, stop, streamlit_command, wait_healthy
from tilannekuva.config import PROJECT_DIR

# Debian's chromium-headless-shell: the same Chromium build as Debian's chromium, in its old
# headless mode, which is also what Playwright runs for headless tests. It draws the same pages
# with less work per page: the browser tests took 120 s instead of 130 s of test_browser_pages
# and its axe sweep (issue #20 item 7). The bench (bench/browser.py) times the full browser,
# as a reader has it.
CHROMIUM = Path(os.environ.get("TILANNEKUVA_CHROMIUM", "/usr/bin/chromium-headless-shell"))
# Chromium as root, headless, with nothing that reaches out to the network by itself, and no host
# resolved but localhost and 127.0.0.1: a page's request to another host fails at once, whether
# or not the machine has a network, and the browser tests record it (test_browser_pages.py,
# issue #9).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
SCREENSHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
FAILURES = PROJECT_DIR / "test-artifacts" / "failures"  # tests/conftest.py
DESKTOP = {"width": 1366, "height": 900}  # a common laptop screen (issue #8 checks at 1366 px)
PHONE = {"width": 390, "height": 844}


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A browser context (a fresh profile: no cookie, cache or session) that prefers reduced
    motion, as the tests' contexts all do: Streamlit then leaves out its transitions (the fade of
    a stale element, a skeleton's pulse), so opening a page costs Chromium about a tenth less
    (12 pages opened twice: 11.2 and 11.6 s of CPU against 12.6 and 13.0 s; issue #20 item 7),
    and no screenshot catches one halfway. The bench (bench/browser.py) opens pages as a reader's
    browser does, with motion."""
    return browser.new_context(reduced_motion="reduce", **options)


@contextmanager
def streamlit_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on a free loopback port (deploy.serve's command, as ``make
    serve`` runs it); yields the base URL once healthy."""
    port = free_port()
    process = subprocess.Popen(
        streamlit_command(PROJECT_DIR / "app.py", port),
        cwd=PROJECT_DIR,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{base}/_stcore/health", process, timeout=60)
        yield base
    finally:
        stop(process)


def wait_for_run(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app's script run has finished (Streamlit's own script state on stApp),
    not for a fixed time."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout
    )
    # The state is 'notRunning' also before the first run has begun, while the sidebar holds
    # a skeleton and no control yet (axe then found the scrolling sidebar with nothing to focus,
    # in CI): the first run has delivered once the sidebar's controls are there.
    page.wait_for_selector(
        "[data-testid=stSidebarUserContent] [data-testid=stSelectbox]",
        state="attached",
        timeout=timeout,
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stSkeleton]')", timeout=timeout
    )
    # The fonts have loaded (a screenshot or axe's contrast check reads the page as drawn). No
    # wait for network idle here: that is 500 ms of nothing after the last request, paid by
    # every wait, and what it waited for (the code of an element, loaded on first use) is the
    # skeleton check above.
    page.wait_for_function(
        """() => !document.querySelector('[data-stale="true"]')
            && document.fonts.status === 'loaded'""",
        timeout=timeout,
    )


def upload_file(page: Page, path: Path) -> None:
    """Give the page's file uploader ``path`` and wait until the page has run with it: the
    uploader shows the file (its chip; a long name is shortened in it) and the run that followed
    has ended. A file that never reached the uploader fails the test here, at the upload: a full
    run once failed 30 s later, waiting for the review step, and did not say why (issue #20)."""
    page.locator("input[type=file]").set_input_files(path)
    expect(page.get_by_test_id("stFileChip")).to_have_count(1)
    wait_for_run(page)


def open_section(page: Page, heading: str) -> Locator:
    """The folded section (st.expander) of ``heading``, open: clicked once the page has settled,
    and clicked again should the click have come while the page was still being redrawn (in CI
    a section once stayed closed and its table hidden)."""
    settled(page)
    folded = page.get_by_test_id("stExpander").filter(has_text=heading)
    details = folded.locator("details").first
    for _ in range(3):
        if details.get_attribute("open") is None:
            folded.get_by_text(heading, exact=True).click()
        try:
            expect(details).to_have_attribute("open", "", timeout=5_000)
            break
        except AssertionError:
            settled(page)
    wait_for_run(page)
    return folded


def open_folded(page: Page) -> None:
    """Open every folded section (st.expander) of the page, as a reader who wants the tables
    would: the municipality page shows its answer first and its tables folded (issue #21)."""
    for summary in page.locator("[data-testid=stExpander] summary").all():
        if summary.locator("xpath=..").get_attribute("open") is None:
            summary.click()
    wait_for_run(page)


def settled(page: Page) -> None:
    """The page has run and every chart is drawn: Vega draws after the run, and a chart that is
    drawn later moves what is below it."""
    wait_for_run(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
            .every(chart => chart.querySelector('svg, canvas'))""",
        timeout=30_000,
    )


def charts_still(page: Page, looks: int = 3, every_ms: int = 100) -> None:
    """Every chart drawn and its size the same at ``looks`` looks ``every_ms`` apart. Vega
    resizes a chart to its container after drawing it (after a viewport change too) and fires
    no event we can await: a fixed 500 ms wait stood here, too short on a loaded machine and
    too long on an idle one (issue #20 item 7)."""
    page.evaluate("window.__chartSizes = null; window.__chartStill = 0")
    page.wait_for_function(
        """looks => {
            const charts = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
                .map(chart => chart.querySelector('svg, canvas'));
            if (!charts.every(Boolean)) return false;
            const sizes = JSON.stringify(charts.map(drawn => {
                const box = drawn.getBoundingClientRect(); return [box.width, box.height]; }));
            window.__chartStill = sizes === window.__chartSizes ? window.__chartStill + 1 : 0;
            window.__chartSizes = sizes;
            return window.__chartStill >= looks; }""",
        arg=looks,
        polling=every_ms,
        timeout=15_000,
    )


def open_menu(page: Page, menu: str, item: str) -> Locator:
    """Open a download menu (the popover of key ``menu``: one per table and chart, issue #21)
    and return its button of key ``item``, in view. The menu is opened once the page is
    settled; a menu opened while a chart above it was still being drawn could stay where the
    button had been, outside the window (seen once in CI): then it is closed and opened again."""
    settled(page)
    opener = page.locator(f".st-key-{menu}").get_by_role("button").first
    button = page.locator(f".st-key-{item}").get_by_role("button")
    for attempt in range(3):
        opener.scroll_into_view_if_needed()
        opener.click()
        try:
            expect(button).to_be_in_viewport(timeout=5_000)
            return button
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            expect(button).to_be_hidden()
    return button


def download_from_menu(page: Page, menu: str, item: str) -> tuple[str, bytes]:
    """The file of ``item`` in the download menu ``menu``: its suggested name and its bytes.
    The menu is closed again, as a reader's would."""
    button = open_menu(page, menu, item)
    with page.expect_download() as info:
        button.click()
    page.keyboard.press("Escape")
    return info.value.suggested_filename, info.value.path().read_bytes()


def open_view(page: Page, url: str) -> Page:
    """Open ``url`` and wait until its run has finished."""
    page.goto(url)
    wait_for_run(page)
    return page


def show_view(page: Page, server: str, address: str, lang: str, wave: str) -> None:
    """Show the page ``address`` in ``lang`` on ``wave`` and wait until its run has finished.

    When the tab already shows another page of the same view (this server, language and wave,
    nothing more in its address), by the sidebar's link to the page: one run of the page in the
    same session and document, as a reader going from page to page has it. Otherwise by opening
    its address. A new document costs the browser Streamlit's JavaScript again: 1.0-1.8 s of
    Chromium's CPU per page opened against 0.2-0.6 s by the link, five pages twice each
    (issue #20 item 7).

    The link is clicked where it can be seen; in a closed sidebar (a phone's) its click event is
    dispatched to it."""
    shown = urlsplit(page.url)
    same_view = (
        page.url.startswith(f"{server}/")
        and parse_qs(shown.query) == {"lang": [lang], "wave": [wave]}
        and shown.path.strip("/") != address
    )
    query = urlencode({"lang": lang, "wave": wave})
    link = page.locator(f"a[data-testid=stPageLink-NavLink][href='{address}?{query}']")
    if not same_view or link.count() != 1:
        open_view(page, f"{server}/{address}?{query}")
        return
    title = page.title()
    box = link.bounding_box()
    if box and box["x"] >= 0:
        link.click()
    else:
        link.dispatch_event("click")
    # The new run sets the tab's title before it draws the page (app.py); then it has begun.
    page.wait_for_function("title => document.title !== title", arg=title, timeout=30_000)
    wait_for_run(page)


def whole_page_screenshot(page: Page, path: Path) -> None:
    """The whole page, not its first screenful: Streamlit scrolls an inner container, so
    Playwright's full_page sees only the window (issue #8). The window is made as tall as the
    tallest scrolled content for the shot, then put back."""
    size = page.viewport_size or DESKTOP
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...Array.from(document.querySelectorAll('*'))
                .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
                .map(e => e.scrollHeight + e.getBoundingClientRect().top))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 16_000)})
    # A resize re-lays out the page: wait until no element is a placeholder (wait_for_run) and
    # every chart is drawn again at its new size.
    wait_for_run(page)
    charts_still(page)
    save_window(page, path)
    page.set_viewport_size(size)


def save_window(page: Page, path: Path) -> None:
    """The window as drawn, as a PNG at ``path``. Chromium's own capture (CDP's
    Page.captureScreenshot) with its faster PNG encoding: the same pixels in a file about 40 %
    larger, for a third of the browser's CPU of Playwright's screenshot (0.07 s against 0.19 s
    on a 1366 x 3,000 page: issue #20 item 7). The shots are for people to look at; no test
    compares them."""
    session = page.context.new_cdp_session(page)
    try:
        shot = session.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
    finally:
        session.detach()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations on the page as drawn, every impact (the tests pick the ones they
    fail on). The axe-core that axe-playwright-python ships, run as its Axe().run runs it, but
    put into the document only once (a page shown by the sidebar's link keeps it), and with only
    the violations sent back, not the other result types' rule lists: 0.70 s of CPU a run against
    0.97 s, four pages twice each, the same violations found (issue #20 item 7)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(found => found.violations)"
    )


def described(violations: list[dict]) -> list[str]:
    """axe-core's ``violations`` as a test's failure shows them: each as its rule, impact and
    first element ("color-contrast (serious): ['#x']")."""
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations]


def serious(violations: list[dict]) -> list[str]:
    """The serious and critical ones of axe-core's ``violations``, the ones most tests fail on,
    described."""
    return described([v for v in violations if v["impact"] in ("serious", "critical")])
