"""The address notice in Chromium (issue #10): a hostile address value is echoed as a short
excerpt in one notice, never as a link (Streamlit's markdown autolinks URLs), and a 100 kB value
or 500 junk regions do not stall the tab. A damaged response file leaves the 2009 figures up and
tells visitors only which wave is missing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import SCREENSHOTS, streamlit_server, wait_for_run
from tests.helpers import copy_data_folder
from tilannekuva.i18n import t

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data and a response file damaged by hand (through a symlink to a system file,
    as the probe did)."""
    folder = tmp_path_factory.mktemp("hostile") / "data"
    copy_data_folder(folder)
    (folder / "responses").mkdir()
    (folder / "responses" / "2011.csv").symlink_to("/etc/passwd")
    return folder


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    with streamlit_server({"TILANNEKUVA_DATA_DIR": str(data_dir)}) as base:
        yield base


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def alerts(page: Page) -> list[str]:
    return page.locator("[data-testid='stAlert']").all_inner_texts()


def test_a_url_in_the_address_is_echoed_as_plain_text_never_a_link(server: str, page: Page) -> None:
    page.goto(f"{server}/?lang=en&wave=https://evil.example/login&region=www.evil.example")
    wait_for_run(page)
    notices = [text for text in alerts(page) if "ignored" in text]
    assert len(notices) == 1
    assert "wave=https://evil.example/login" in notices[0]
    main = page.locator("[data-testid='stMain']")
    assert main.locator("a[href*='evil']").count() == 0, "the excerpt became a link"
    page.screenshot(path=str(SCREENSHOTS / "hostile_address_notice.png"), full_page=False)


def test_a_huge_value_and_500_junk_regions_give_one_short_notice_quickly(
    server: str, page: Page
) -> None:
    junk = "&".join(f"region=junk{i}" for i in range(500))
    started = time.monotonic()
    page.goto(f"{server}/?lang=en&wave={'A' * 100_000}&{junk}")
    wait_for_run(page)
    took = time.monotonic() - started
    notices = [text for text in alerts(page) if "ignored" in text]
    assert len(notices) == 1 and len(notices[0]) < 600
    assert t("en", "notice.dropped_more", n=496).strip() in notices[0]
    assert took < 30, f"the page took {took:.0f} s"


def test_a_damaged_response_file_leaves_the_2009_figures_and_leaks_nothing(
    server: str, page: Page, data_dir: Path
) -> None:
    page.goto(f"{server}/compare?lang=en&wave=2009")
    wait_for_run(page)
    body = page.locator("body").inner_text()
    assert t("en", "notice.wave_unavailable", waves="2011") in body
    assert "6/17" in body, "the 2009 figures are shown"
    for leak in ("root:x:0:0", str(data_dir), "/etc/passwd", "Traceback"):
        assert leak not in body
    page.screenshot(path=str(SCREENSHOTS / "hostile_damaged_wave.png"), full_page=False)
