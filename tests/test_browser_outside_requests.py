"""Nothing leaves the server (issue #9, item 5): every page, loaded in Chromium, asks only the
app's own host. An outside request (a font server for the favicon, a CDN, usage statistics) would
leak who reads the dashboard, and fails offline. Outside requests are recorded and aborted, so the
test neither hangs nor depends on the network."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, Route, WebSocket

from bench import pages
from tests.browser import streamlit_server, wait_for_run
from tilannekuva.config import PROJECT_DIR

pytestmark = pytest.mark.browser

# Every page's address; the municipality views on the example wave so their tables and charts draw.
# Every page of app.py, each with an address that makes it draw (the bench's list, which a test
# holds to app.py's PAGES).
ADDRESSES = [pages.address(path) for _, path in pages.PAGES]
# Not network requests: inline data and the page's own blobs.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with streamlit_server({"TILANNEKUVA_UPLOAD_PASSWORD": "ulos-testi"}) as base:
        yield base


def outside(url: str, own_host: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.netloc != own_host


def test_the_pages_are_all_there() -> None:
    """The address list above covers every page file, so a new page cannot slip past."""
    from tilannekuva.page_list import PAGES

    files = sorted(path.name for path in (PROJECT_DIR / "app_pages").glob("*.py"))
    assert len(files) == len(ADDRESSES) == len(PAGES)
    assert {address.split("?")[0] for address in ADDRESSES} == {page.address for page in PAGES}


def test_no_page_asks_another_host(server: str, browser: Browser) -> None:
    own_host = urlsplit(server).netloc
    asked: list[str] = []
    seen: list[str] = []

    def record(request: Request) -> None:
        seen.append(request.url)
        if outside(request.url, own_host):
            asked.append(request.url)

    def refuse_outside(route: Route) -> None:
        # Aborted, not fetched: the test must not depend on the network being there.
        if outside(route.request.url, own_host):
            route.abort()
        else:
            route.continue_()

    def record_socket(socket: WebSocket) -> None:
        if outside(socket.url.replace("ws", "http", 1), own_host):
            asked.append(socket.url)

    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.on("request", record)
    context.route("**/*", refuse_outside)
    page = context.new_page()
    page.on("websocket", record_socket)
    for address in ADDRESSES:
        page.goto(f"{server}/{address}")
        wait_for_run(page)
        # The favicon is fetched after the page has drawn: give it the time a reader would.
        page.wait_for_timeout(500)
        # Ours, inline (static/favicon.svg as a data URI), not Streamlit's or a font server's.
        icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
        assert icon.startswith("data:image/svg+xml"), icon[:80]
    context.close()
    assert any(url.startswith(server) for url in seen), "the recorder saw the app itself"
    assert asked == [], sorted(set(asked))
