"""Every page in a real browser (Debian's chromium driven by Playwright against ``streamlit
run``, issue #4): in every language at 1366 px and in Finnish on a phone. Screenshots of each
land in test-artifacts/screenshots/ (look at them). axe-core checks each page at phone width
here; the sweep of every page at desktop width is tests/test_browser_axe.py, and the flows
(filters, downloads, uploads, hostile names) are tests/test_browser.py."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser import (
    PHONE,
    SCREENSHOTS,
    open_view,
    whole_page_screenshot,
)
from tests.helpers import area_name
from tilannekuva.config import DEFAULT_DATA_DIR
from tilannekuva.i18n import LANGUAGES, t

pytestmark = pytest.mark.browser
# ``server`` is tests/conftest.py's: a copy of the shipped data with uploads on, so the upload
# page shows its password form.

PAGES = [
    ("", "app.title", "2009"),
    ("compare", "page.compare", "2009"),
    ("scope", "scope.title", "2009"),
    ("artu", "artu.title", "2009"),
    ("target", "page.target", "2009"),
    ("worklist", "page.worklist", "esimerkki"),
    ("themes", "page.themes", "esimerkki"),
    ("questions", "page.questions", "esimerkki"),
    ("municipalities", "page.municipalities", "esimerkki"),
    ("respondents", "page.respondents", "esimerkki-2012"),  # issue #7: an example round
    ("data", "page.data", "2009"),
    ("upload", "page.upload", "2009"),
    ("accessibility", "page.accessibility", "2009"),
]


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
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("path", "title", "wave"), PAGES)
def test_every_page_in_every_language(
    server: str, page: Page, path: str, title: str, wave: str, lang: str
) -> None:
    open_view(page, f"{server}/{path}?lang={lang}&wave={wave}")
    expect(page.locator("h1").filter(has_text=t(lang, title)).first).to_be_visible()
    expect(page.get_by_text(figure(path, lang), exact=False).first).to_be_visible()
    # The language is set by a script once its element mounts: wait for it, with a time limit.
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
    whole_page_screenshot(page, SCREENSHOTS / f"{path or 'overview'}_{lang}.png")
    # axe: once per page and wave kind, in the sweep below (the structure does not change with
    # the language; issue #20 item 7).


@pytest.mark.parametrize(("path", "title", "wave"), PAGES)
def test_every_page_on_a_phone(phone: Page, server: str, path: str, title: str, wave: str) -> None:
    """Issue #8 at 390 px: the title broke mid-word, charts overflowed, and the filters were out
    of sight with the sidebar closed. The view's one-line summary is in the main area, no chart
    is wider than the page, and the title's words stay whole. In Finnish, whose words are the
    longest of the three (issue #20 item 7: the layout does not change with the language)."""
    lang = "fi"
    open_view(phone, f"{server}/{path}?lang={lang}&wave={wave}")
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
    violations = Axe().run(phone).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert overflowing == 0  # the heatmap too: its labels wrap (issue #8)
    assert serious == []
