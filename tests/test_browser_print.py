"""Printing a page from Chromium (issue #19 item 2, static/app.css @media print): the page's
content from the view's line down, without the sidebar, the controls and the download menus, and
no empty sheet. Printed with Playwright's page.pdf() and read back with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser import settled
from tilannekuva.i18n import t

pytestmark = pytest.mark.browser


PAGES = {
    "compare": "compare?lang=fi&wave=2009",
    "municipality": "municipality?lang=fi&wave=esimerkki-2014&municipality=954",
    "map": "map?lang=fi&wave=2009",
}


def printed(page: Page, folder: Path) -> list[str]:
    """The page printed on A4, as the text of each sheet (empty sheets included)."""
    path = folder / "printed.pdf"
    page.pdf(path=str(path), format="A4")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # pdftotext ends every sheet with a form feed, and keeps the headers' soft hyphens (invisible
    # where a header does not break there).
    return text.replace("\u00ad", "").split("\f")[:-1]


@pytest.mark.parametrize("name", list(PAGES))
def test_a_printed_page_is_its_content_without_the_sidebar_or_an_empty_sheet(
    server: str, page: Page, tmp_path: Path, name: str
) -> None:
    page.goto(f"{server}/{PAGES[name]}")
    settled(page)
    sheets = printed(page, tmp_path)
    assert sheets and all(sheet.strip() for sheet in sheets), [len(s.strip()) for s in sheets]
    text = "\n".join(sheets)
    # The view's line (what the figures are of) comes before the title, under the fictional
    # banner of an example round.
    view_line = t("fi", "sidebar.filters_summary", parts="").strip()
    title = page.locator("h1").first.inner_text()
    assert view_line in sheets[0] and title in sheets[0]
    assert sheets[0].index(view_line) < sheets[0].index(title)
    for label in ("sidebar.language", "sidebar.wave", "sidebar.regions", "download.menu"):
        assert t("fi", label) not in text, label
    # The page's own content is there: its first table's header.
    headers = page.locator("[data-testid=stTable] th").filter(visible=True)
    if name != "municipality":  # its tables are folded (issue #21): the profile is its content
        # The header as printed: without the soft hyphens the page puts at its breaks.
        assert headers.first.inner_text().replace("\u00ad", "") in text
