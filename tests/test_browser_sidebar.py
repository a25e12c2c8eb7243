"""The sidebar's page links in Debian's chromium: every page is listed in the UI language, and
each link carries the view (language, wave, regions) in its address, so a page opened from the
sidebar in a new tab, or a copied link, shows the same view (found by a user probe: Streamlit's
own links were bare, "/compare", and four pages hid behind an English "View 4 more")."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import DESKTOP, new_context, wait_for_run
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.page_list import PAGES

pytestmark = pytest.mark.browser

PAGE_KEYS = tuple(page.address or "overview" for page in PAGES)


def sidebar_links(page: Page) -> list[tuple[str, str]]:
    links = page.get_by_test_id("stSidebar").get_by_role("link")
    return [
        (
            links.nth(i).get_attribute("aria-label") or links.nth(i).inner_text(),
            links.nth(i).get_attribute("href") or "",
        )
        for i in range(links.count())
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_listed_with_the_view_in_its_address(
    server: str, page: Page, lang: str
) -> None:
    page.goto(f"{server}/compare?lang={lang}&wave=esimerkki-2014&region=10&region=12")
    wait_for_run(page)
    sidebar = page.get_by_test_id("stSidebar")
    for key in PAGE_KEYS:
        expect(sidebar.get_by_role("link", name=t(lang, f"page.{key}"))).to_be_visible()
    # Nothing folded away behind Streamlit's "View 4 more" (English in every language).
    assert sidebar.get_by_text(re.compile(r"^View \d+ more$")).count() == 0
    hrefs = [
        sidebar.get_by_role("link", name=t(lang, f"page.{key}")).get_attribute("href") or ""
        for key in PAGE_KEYS
    ]
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        assert query == {"lang": [lang], "wave": ["esimerkki-2014"], "region": ["10", "12"]}, href


def test_a_sidebar_link_opened_in_a_new_tab_shows_the_same_view(
    server: str, page: Page, browser: Browser
) -> None:
    page.goto(f"{server}/?lang=sv&wave=esimerkki-2014&region=12")
    wait_for_run(page)
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=t("sv", "page.trends"))
    href = link.get_attribute("href") or ""
    other = new_context(browser, viewport=DESKTOP).new_page()  # a new tab: a fresh session
    try:
        other.goto(f"{server}/{href.lstrip('/')}")
        wait_for_run(other)
        expect(other.locator("h1").first).to_have_text(t("sv", "page.trends"))
        query = parse_qs(urlsplit(other.url).query)
        assert query["lang"] == ["sv"] and query["wave"] == ["esimerkki-2014"]
        assert query["region"] == ["12"]
    finally:
        other.context.close()

    # A plain click stays in the session and keeps the view too.
    link.click()
    wait_for_run(page)
    expect(page.locator("h1").first).to_have_text(t("sv", "page.trends"))
    assert parse_qs(urlsplit(page.url).query)["region"] == ["12"]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_region_list_has_no_english_select_all(server: str, page: Page, lang: str) -> None:
    """Issue #21: the region multiselect's first option read "Select all" in fi and sv."""
    page.goto(f"{server}/?lang={lang}")
    wait_for_run(page)
    page.get_by_role("combobox", name=t(lang, "sidebar.regions")).click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    texts = [options.nth(i).inner_text() for i in range(options.count())]
    assert texts and not any("Select" in text for text in texts), texts
    assert "Pohjois-Savo" in texts or "Norra Savolax" in texts
