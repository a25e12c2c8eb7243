"""Every page in a real browser (Debian's chromium driven by Playwright against ``streamlit
run``, issue #4): in every language at 1366 px and in Finnish on a phone, with screenshots in
test-artifacts/screenshots/ (look at them); and axe-core on every page of the page list, on a
regional table and on a response-level round, with no request to another host in the same visit
(issues #9 and #21; findings, minor ones too, in test-artifacts/axe.json). The flows (filters,
downloads, uploads, hostile names) are tests/test_browser.py.

One visit serves both where they meet: the Finnish desktop view of a page on the 2009 table is
also its regional axe view (issue #20 item 7: the same address was opened twice, in two modules).
The views of one language and wave follow one another by the sidebar's links
(tests.browser.show_view): 17 documents for the module's 76 views. Every page's own address is
opened through nginx in tests/test_nginx.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, WebSocket, expect

from tests.browser import (
    PHONE,
    SCREENSHOTS,
    axe_violations,
    new_context,
    serious,
    show_view,
    whole_page_screenshot,
)
from tests.helpers import area_name
from tilannekuva.config import DEFAULT_DATA_DIR, PROJECT_DIR
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.page_list import PAGES as LISTED

pytestmark = pytest.mark.browser
# ``server`` is tests/conftest.py's: a copy of the shipped data with uploads on, so the upload
# page shows its password form.

PAGES = [  # grouped by wave: each test shows its view by the sidebar's link when it can (show_view)
    ("", "app.title", "2009"),
    ("compare", "page.compare", "2009"),
    ("scope", "scope.title", "2009"),
    ("artu", "artu.title", "2009"),
    ("target", "page.target", "2009"),
    ("data", "page.data", "2009"),
    ("upload", "page.upload", "2009"),
    ("accessibility", "page.accessibility", "2009"),
    ("worklist", "page.worklist", "esimerkki"),
    ("themes", "page.themes", "esimerkki"),
    ("questions", "page.questions", "esimerkki"),
    ("municipalities", "page.municipalities", "esimerkki"),
    ("respondents", "page.respondents", "esimerkki-2012"),  # issue #7: an example round
]
# The axe sweep's views of every listed page: its default view of a regional table (2009) and of a
# response-level round. Those PAGES opens in Finnish anyway are checked in that visit.
SWEEP_WAVES = {"regional": "2009", "response": "esimerkki-2014"}
SWEPT_HERE = {(path, wave) for path, _, wave in PAGES if wave == SWEEP_WAVES["regional"]}


def region(lang: str, code: str) -> str:
    names = {"fi": 1, "sv": 2, "en": 3}
    for line in (DEFAULT_DATA_DIR / "regions.csv").read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split(",")
        if cells[0] == code:
            return cells[names[lang]]
    raise KeyError(code)


def figure(path: str, lang: str) -> str:
    """A figure each page must show as text, built from the catalogue and the source table."""
    south_savo = region(lang, "10")
    figures = {
        "": t(lang, "overview.metric_help", n="16", N="44"),
        "compare": t(
            lang,
            "compare.text_alt_status",
            region=south_savo,
            ready="6/17",
            started="7/17",
            not_started="4/17",
            N="17",
        ),
        "scope": t(
            lang,
            "scope.text_alt",
            region=region(lang, "11"),
            municipal="0",
            sub_regional="3",
            province_wide=f".. ({t(lang, 'chart.not_available')})",
        ),
        "artu": f"{south_savo}: ",
        "target": t(lang, "target.text_alt", region=south_savo, not_started="4/17", started="7/17"),
        "worklist": t(lang, "worklist.count", n=37, total=44).replace("**", ""),
        "themes": t(lang, "total.of_area", area=area_name("ita-suomi", lang)),
        "questions": t(lang, "questions.none"),
        "municipalities": t(lang, "agreement.summary", agree=9, disagree=4),
        "respondents": t(lang, "respondents.intro", year=2012),
        "data": t(lang, "definition.responses"),
        "upload": t(lang, "upload.intro"),
        "accessibility": t(lang, "a11y.status"),
    }
    return figures[path]


# One phone tab for the phone tests, as ``tab`` is for the desktop ones (tests/conftest.py).
@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("path", "title", "wave"), PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)  # a language's views one after another (show_view)
def test_every_page_in_every_language(
    server: str, page: Page, path: str, title: str, wave: str, lang: str
) -> None:
    # The Finnish view of a page on the regional table is also its axe view (below): recorded
    # from the first request, checked by axe before the screenshot changes the window.
    swept = (path, wave) in SWEPT_HERE and lang == "fi"
    found: list[str] = []  # axe's serious and critical findings, in a swept view
    with own_host_only(page, server) if swept else nullcontext():
        show_view(page, server, path, lang, wave)
        expect(page.locator("h1").filter(has_text=t(lang, title)).first).to_be_visible()
        expect(page.get_by_text(figure(path, lang), exact=False).first).to_be_visible()
        # The language is set by a script once its element mounts: wait for it, with a limit.
        page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=10_000)
        assert page.get_by_test_id("stException").count() == 0
        # The example rounds asked the 2009 questionnaire, which has no other questions: the
        # questions page says so (its tables: test_browser_next_round.py, on a 2026 wave).
        if path not in ("upload", "accessibility", "questions"):
            expect(page.get_by_test_id("stTable").first).to_be_visible()
        # The tab says the page and the app in the UI language (issue #8).
        page_title = t(lang, f"page.{path or 'overview'}")  # the page's name in the navigation
        tab = t(lang, "app.tab_title", page=page_title, app=t(lang, "app.title"))
        page.wait_for_function(f"document.title === {json.dumps(tab)}", timeout=10_000)
        charts = page.get_by_test_id("stVegaLiteChart")
        for index in range(charts.count()):
            expect(charts.nth(index).locator("svg, canvas").first).to_be_visible()
        if swept:
            favicon_is_ours(page)
            found = axe_findings(page, f"{path or 'overview'}_{wave}")
    whole_page_screenshot(page, SCREENSHOTS / f"{path or 'overview'}_{lang}.png")
    assert found == [], found


@pytest.mark.parametrize(("path", "title", "wave"), PAGES)
def test_every_page_on_a_phone(phone: Page, server: str, path: str, title: str, wave: str) -> None:
    """Issue #8 at 390 px: the title broke mid-word, charts overflowed, and the filters were out
    of sight with the sidebar closed. The view's one-line summary is in the main area, no chart
    is wider than the page, and the title's words stay whole. In Finnish, whose words are the
    longest of the three (issue #20 item 7: the layout does not change with the language)."""
    lang = "fi"
    show_view(phone, server, path, lang, wave)
    summary = t(lang, "sidebar.filters_summary", parts="")
    expect(phone.get_by_text(summary, exact=False).first).to_be_visible()
    overflowing = phone.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]'))
            .filter(c => c.getBoundingClientRect().right > window.innerWidth + 1).length"""
    )
    # Every word of the title fits its line (it need not break inside a word). Asked until it
    # holds, for up to 15 s: the phone-size heading comes from a style element that app.py adds,
    # which a busy machine may mount after the title (seen with two test workers).
    phone.wait_for_function(
        """() => { const h = document.querySelector('h1');
            if (!h) return false;
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(h).font;
            probe.style.whiteSpace = 'nowrap'; probe.style.position = 'absolute';
            document.body.appendChild(probe);
            const fit = h.innerText.split(/\\s+/).every(word => {
                probe.textContent = word;
                return probe.getBoundingClientRect().width <= h.clientWidth; });
            probe.remove(); return fit; }""",
        timeout=15_000,
    )
    whole_page_screenshot(phone, SCREENSHOTS / "phone" / f"{path or 'overview'}_{lang}.png")
    # axe at phone width too: a table that scrolls sideways must take the keyboard's focus
    # (scrollable-region-focusable).
    found = serious(axe_violations(phone))
    assert overflowing == 0  # the heatmap too: its labels wrap (issue #8)
    assert found == []


# axe and the request recorder, for the sweep below and the Finnish desktop views above.
AXE_REPORT = PROJECT_DIR / "test-artifacts" / "axe.json"
axe_report: dict[str, list[str]] = {}  # every violation of every page, for the record
# app.js makes each table that scrolls sideways a named tab stop a frame after it is laid out:
# axe runs once that has happened.
TABLES_MARKED = """() => [...document.querySelectorAll('[data-testid=stTable] > div')]
    .every(box => box.scrollWidth <= box.clientWidth + 1 || box.tabIndex === 0)"""


@contextmanager
def own_host_only(page: Page, server: str) -> Iterator[None]:
    """Nothing leaves the server while the block runs (issue #9 item 5): every request and
    websocket goes to the app's own host. An outside request (a font server for the favicon, a
    CDN, usage statistics) would leak who reads the dashboard, and fails offline. Chromium
    resolves no other host (CHROMIUM_ARGS), so such a request fails at once instead of hanging,
    and is recorded here. The module's tests take turns in one tab: the recorders go with the
    block."""
    own_host = urlsplit(server).netloc
    asked: list[str] = []
    seen: list[str] = []

    def record(url: str) -> None:
        seen.append(url)
        parts = urlsplit(url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != own_host:
            asked.append(url)

    def on_request(request: Request) -> None:
        record(request.url)

    def on_websocket(socket: WebSocket) -> None:
        record(socket.url.replace("ws", "http", 1))

    document = page.evaluate("performance.timeOrigin")  # a new document gets a new one
    page.on("request", on_request)
    page.on("websocket", on_websocket)
    try:
        yield
    finally:
        page.remove_listener("request", on_request)
        page.remove_listener("websocket", on_websocket)
    # Requests made while axe ran (after the page drew) are in too. A document loaded in the block
    # was asked of the app: the recorder saw it. (A page shown by the sidebar's link may ask the
    # server nothing: its code is loaded.)
    if page.evaluate("performance.timeOrigin") != document:
        assert any(url.startswith(server) for url in seen), "the recorder saw the app load"
    assert asked == [], sorted(set(asked))


def favicon_is_ours(page: Page) -> None:
    """The favicon is ours, inline (static/favicon.svg as a data URI), not a font server's."""
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert icon.startswith("data:image/svg+xml"), icon[:80]


def axe_findings(page: Page, key: str) -> list[str]:
    """axe-core's serious and critical findings on the page as drawn; every finding, minor ones
    too, goes to axe.json under ``key``. A table still widening when the marking was awaited can
    be caught in between (seen once on a loaded machine, target page): then the marking is awaited
    again and axe run again; any other finding, or the same one twice, is returned."""
    every: list[dict] = []  # every finding of the last run, minor ones too, for axe.json

    def run_axe() -> list[str]:
        page.wait_for_function(TABLES_MARKED, timeout=10_000)
        every[:] = axe_violations(page)
        return serious(every)

    found = run_axe()
    if found and all(item.startswith("scrollable-region-focusable") for item in found):
        found = run_axe()
    axe_report[key] = sorted(f"{v['id']} ({v['impact']})" for v in every)
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(json.dumps(axe_report, indent=2, sort_keys=True), encoding="utf-8")
    return found


SWEPT_ELSEWHERE = [
    pytest.param(listed.address, wave, id=f"{listed.address or 'overview'}-{kind}")
    for kind, wave in SWEEP_WAVES.items()
    for listed in LISTED
    if (listed.address, wave) not in SWEPT_HERE
]


@pytest.mark.parametrize(("address", "wave"), SWEPT_ELSEWHERE)
def test_axe_and_own_host_only_on_every_page_in_the_default_view_of_each_wave_kind(
    server: str, page: Page, address: str, wave: str
) -> None:
    """Issue #21 item 5: /trends failed axe's svg-img-alt on the default view and the sweep
    never opened it. Every page of the page list on a regional table and on a response-level
    round; once, in Finnish (the structure does not change with the language). The views that
    test_every_page_in_every_language opens in Finnish are swept there, in the same visit."""
    with own_host_only(page, server):
        show_view(page, server, address, "fi", wave)
        favicon_is_ours(page)
        charts = page.get_by_test_id("stVegaLiteChart")
        for index in range(charts.count()):
            expect(charts.nth(index).locator("svg, canvas").first).to_be_visible()
        found = axe_findings(page, f"{address or 'overview'}_{wave}")
    assert found == [], found


def test_the_sweep_covers_every_listed_page_in_both_wave_kinds() -> None:
    """The two tests above share the sweep: between them, every page of the page list in each
    wave kind, each once."""
    elsewhere = [tuple(param.values) for param in SWEPT_ELSEWHERE]
    both = sorted([*elsewhere, *SWEPT_HERE])
    wanted = sorted((listed.address, wave) for listed in LISTED for wave in SWEEP_WAVES.values())
    assert both == wanted
