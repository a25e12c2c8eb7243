"""Several streamlit processes behind Debian's nginx (issue #9 item 4), started by deploy/serve.py
on free ports, with a temporary copy of the data folder: every page loads through nginx, a
download reaches the process that made it, a wave uploaded through one process shows on another,
a killed process's readers get a working page after a reload, and the load benchmark runs through
nginx. The tests run in file order: the one that kills a process comes last but one."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bench.load import run_load
from bench.pages import PAGES, address
from deploy.serve import Cluster, nginx_binary, render_config, serve
from tests.browser import wait_for_run
from tests.helpers import copy_data_folder, file_text
from tilannekuva.i18n import t

pytestmark = pytest.mark.browser

WAVE = "2009-nginx"
PASSWORD = "nginx-testi-salasana"  # uploads stay off under 12 characters (uploads.py)
COOKIE = "tilannekuva_route"
PROCESSES = 2


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nginx") / "data"
    copy_data_folder(folder)
    return folder


@pytest.fixture(scope="module")
def cluster(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    env = {"TILANNEKUVA_DATA_DIR": str(data_dir), "TILANNEKUVA_UPLOAD_PASSWORD": PASSWORD}
    runtime = tmp_path_factory.mktemp("nginx-runtime")
    with serve(processes=PROCESSES, runtime=runtime, env=env) as started:
        yield started


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    yield opened
    opened.close()


def upstream_of(cluster: Cluster, route: str) -> int:
    """The backend port nginx sent this route cookie to, from nginx's own access log. nginx logs
    a request after answering it: on a busy machine the line may come a moment after the answer
    (seen with two test workers), so the log is read again for a few seconds."""
    deadline = time.monotonic() + 5
    while True:
        for line in reversed(cluster.access_log()):
            if f"route={route} " in line:
                found = re.search(r"upstream=127\.0\.0\.1:(\d+)", line)
                if found:
                    return int(found.group(1))
        if time.monotonic() > deadline:
            raise AssertionError(f"route {route} is not in the access log")
        time.sleep(0.1)


def route_cookie(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def route_to(cluster: Cluster, port: int) -> str:
    """A route cookie value that nginx hashes to the backend on ``port``."""
    for number in range(200):
        value = f"probe{number}"
        request = urllib.request.Request(
            f"{cluster.base_url}/_stcore/health", headers={"Cookie": f"{COOKIE}={value}"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        if upstream_of(cluster, value) == port:
            return value
    raise AssertionError(f"no route cookie reaches port {port}")


def open_page(page: Page, url: str) -> Page:
    page.goto(url)
    wait_for_run(page)
    assert page.get_by_test_id("stException").count() == 0
    return page


def test_the_rendered_configuration_is_valid_nginx(tmp_path: Path) -> None:
    for folder in ("logs", "temp"):
        (tmp_path / folder).mkdir()
    text = render_config(tmp_path, "127.0.0.1", 8080, [9001, 9002])
    assert "server 127.0.0.1:9001 " in text and "server 127.0.0.1:9002 " in text
    assert "@" not in re.sub(r"\$\w+", "", text.split("\n", 4)[4]).replace("at-signs", "")
    assert "/etc/nginx" not in text and "/var/" not in text
    config = tmp_path / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(config), "-e", "/dev/stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_every_page_loads_through_nginx(cluster: Cluster, context: BrowserContext) -> None:
    page = context.new_page()
    for _, path in PAGES:
        open_page(page, f"{cluster.base_url}/{address(path)}")
        expect(page.locator("h1").first).to_be_visible()
    route = route_cookie(context)
    streams = [line for line in cluster.access_log() if "/_stcore/stream" in line]
    assert any(f"route={route} " in line and '" 101 ' in line for line in streams)


def test_a_download_reaches_the_process_that_made_it(
    cluster: Cluster, context: BrowserContext
) -> None:
    page = open_page(context.new_page(), f"{cluster.base_url}/compare?lang=fi")
    button = page.locator(".st-key-download_excel_region_status").get_by_role("button")
    with page.expect_download() as info:
        button.click()
    body = info.value.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbfMaakuntakoodi;Maakunta;Valmis;")
    assert "11;Pohjois-Savo;9;3;1;6;5;1;0;3;.." in body.decode("utf-8-sig")


def test_a_wave_uploaded_through_one_process_shows_on_another(
    cluster: Cluster, browser: Browser, context: BrowserContext, data_dir: Path, tmp_path: Path
) -> None:
    page = open_page(context.new_page(), f"{cluster.base_url}/upload?lang=fi")
    uploader = upstream_of(cluster, route_cookie(context))
    page.get_by_label(t("fi", "upload.password")).fill(PASSWORD)
    page.keyboard.press("Enter")
    wait_for_run(page)
    source = tmp_path / "vastaukset.csv"
    # A real municipality of the 2009 register: a response file is checked against the register
    # of its classification year, which a wave id starting with a year gives.
    mikkeli = {"municipality_code": "491", "municipality_name": "Mikkeli", "region_code": "10"}
    source.write_text(file_text({"wave": WAVE, **mikkeli}), encoding="utf-8")
    page.locator("input[type=file]").set_input_files(source)
    wait_for_run(page)
    page.get_by_role("button", name=t("fi", "upload.confirm")).click()
    wait_for_run(page)
    expect(page.get_by_text(f"Kierros {WAVE} on tuotu (1 riviä)")).to_be_visible()
    assert (data_dir / "responses" / f"{WAVE}.csv").exists()

    other_port = next(port for port in cluster.backends if port != uploader)
    host = cluster.base_url.split("//", 1)[1].split(":")[0]
    other = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        route = route_to(cluster, other_port)
        other.add_cookies([{"name": COOKIE, "value": route, "domain": host, "path": "/"}])
        reader = open_page(other.new_page(), f"{cluster.base_url}/?lang=fi&wave={WAVE}")
        wave_box = reader.get_by_role("combobox", name=t("fi", "sidebar.wave"))
        expect(wave_box).to_be_visible()
        assert (
            reader.get_by_text(t("fi", "notice.unknown_param", param="wave", value=WAVE)).count()
            == 0
        )
        expect(reader.get_by_text(t("fi", "wave.untitled", wave=WAVE)).first).to_be_visible()
        assert upstream_of(cluster, route) == other_port != uploader
    finally:
        other.close()


def test_a_killed_process_readers_get_a_working_page_after_reload(
    cluster: Cluster, context: BrowserContext
) -> None:
    page = open_page(context.new_page(), f"{cluster.base_url}/compare?lang=fi")
    port = upstream_of(cluster, route_cookie(context))
    backend = cluster.backends[port]
    os.kill(backend.process.pid, signal.SIGKILL)
    backend.process.wait(timeout=10)
    page.reload()
    wait_for_run(page, timeout=60_000)
    expect(page.locator("h1").first).to_have_text(t("fi", "page.compare"))
    assert page.get_by_test_id("stException").count() == 0
    # The supervisor starts the killed process again on its port.
    deadline = time.monotonic() + 90
    while backend.restarts == 0 or backend.process.poll() is not None:
        assert time.monotonic() < deadline, "the killed process was not started again"
        time.sleep(0.5)
    # nginx tries a process that failed again only after fail_timeout: wait until it sends
    # readers to the restarted one, so that the next test finds both processes in use (with
    # cheap sessions, its sixteen finished inside that window, all on the other process).
    while True:
        try:
            route_to(cluster, port)
            break
        except AssertionError:
            assert time.monotonic() < deadline, "nginx sends nobody to the restarted process"
            time.sleep(1)


def test_the_load_benchmark_runs_through_nginx(cluster: Cluster) -> None:
    # nginx logs a websocket when it closes: an earlier test's socket may land among ours.
    before = len(cluster.access_log())
    result = run_load(cluster.base_url, address("compare"), 4, 4)
    assert result.errors == [] and len(result.seconds) == 16
    # Each socket's line is logged as it closes, a moment after the client is done: read again.
    deadline = time.monotonic() + 5
    while True:
        streams = [line for line in cluster.access_log()[before:] if "/_stcore/stream" in line]
        if len(streams) >= 16 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    # Fresh sessions without a cookie are spread over the processes, not all on one (all 16 on
    # one of two by chance: 1 in 32,768).
    used = {re.search(r"upstream=([\d.:]+)", line).group(1) for line in streams}  # type: ignore[union-attr]
    assert len(streams) >= 16 and len(used) == PROCESSES
