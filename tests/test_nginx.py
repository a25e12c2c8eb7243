"""Several streamlit processes behind Debian's nginx (issue #9 item 4), started by deploy/serve.py
on free ports, with a temporary copy of the data folder: every page loads through nginx, a
download reaches the process that made it, a wave uploaded through one process shows on another,
wrong upload passwords meet one server-wide count over both processes and slow clients from one
address keep nobody else out (issue #22 items 6 and 5), a killed process's readers get a working
page after a reload, and the load benchmark runs through nginx. The tests run in file order: the
one that kills a process comes last but one, the password guesses after the right password."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import json
import math
import os
import re
import resource
import select
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from bench.load import FINISHED, rerun_message, run_load
from bench.pages import PAGES, address
from deploy import serve as serve_module
from deploy.serve import TEMPLATE, Cluster, nginx_binary, render_config, serve
from tests.browser import download_from_menu, new_context, upload_file, wait_for_run
from tests.helpers import copy_data_folder, file_text
from tilannekuva.i18n import t
from tilannekuva.web import uploads

pytestmark = pytest.mark.browser

WAVE = "2009-nginx"
PASSWORD = "nginx-testi-salasana"  # uploads stay off under 12 characters (uploads.py)
COOKIE = "tilannekuva_route"
PROCESSES = 2


def template_number(directive: str) -> int:
    """A number set in deploy/nginx.conf.template (``client_header_timeout 10s;`` gives 10)."""
    found = re.search(rf"^\s*{directive} (?:\S+ )?(\d+)s?;", TEMPLATE.read_text(), re.MULTILINE)
    assert found, directive
    return int(found.group(1))


HEADER_TIMEOUT = template_number("client_header_timeout")
BODY_TIMEOUT = template_number("client_body_timeout")
PER_ADDRESS = template_number("limit_conn")


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
    opened = new_context(browser, viewport={"width": 1400, "height": 1100}, accept_downloads=True)
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
    """A route cookie value that nginx hashes to the backend on ``port`` now. Each call tries
    values of its own: with values shared between calls, an earlier call's log line for the
    same value was read as this call's answer before nginx had logged it (a killed process
    still out of the ring looked back in, and the next test's sessions all went to the other)."""
    call = os.urandom(4).hex()
    for number in range(200):
        value = f"probe{call}-{number}"
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
    assert re.search(r"^worker_rlimit_nofile \d+;", text, re.MULTILINE)
    connections = int(re.search(r"worker_connections (\d+);", text).group(1))  # type: ignore[union-attr]
    assert connections > 4096 or connections == serve_module.worker_limits()[1]
    # A workshop of 40 behind one NAT address must fit under the limit per address.
    assert PER_ADDRESS >= 40 * 7 and HEADER_TIMEOUT <= 15 and BODY_TIMEOUT <= 15
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
    """Chromium opens the overview through nginx: the page, its scripts and styles and its
    websocket, on the route cookie's process. Every page of the page list is then asked for
    through nginx as a browser does: its address gives the app, and a fresh session's first run
    of it over nginx's websocket ends without an exception, under the page's own title. nginx
    treats every page's address alike (deploy/nginx.conf.template routes by path prefix, never
    by page), and each page in Chromium is test_browser_pages.py's: a Chromium visit per page
    here cost about 1 s of CPU each and checked nothing more (issue #20 item 7)."""
    page = context.new_page()
    open_page(page, f"{cluster.base_url}/{address('')}")
    expect(page.locator("h1").first).to_be_visible()
    route = route_cookie(context)
    page.close()  # nginx logs a websocket when it closes
    upgraded = f"route={route} "
    deadline = time.monotonic() + 5
    while not any(
        upgraded in line and '" 101 ' in line and "/_stcore/stream" in line
        for line in cluster.access_log()
    ):
        assert time.monotonic() < deadline, "the page's websocket is not in nginx's log"
        time.sleep(0.1)
    addresses = [address(path) for _, path in PAGES]
    for asked in addresses:
        status, body = _get(cluster, "127.0.0.1", f"/{asked}")
        assert status == 200 and b'<div id="root">' in body, asked
    with ThreadPoolExecutor(max_workers=1) as worker:  # Playwright's loop may be running
        runs = worker.submit(asyncio.run, _first_runs(cluster.base_url, addresses)).result(300)
    for asked, elements in zip(addresses, runs, strict=True):
        assert not any(element.WhichOneof("type") == "exception" for element in elements), asked
        titles = [e.heading for e in elements if e.WhichOneof("type") == "heading"]
        assert any(title.tag == "h1" and title.body for title in titles), asked


async def _first_runs(base_url: str, addresses: list[str]) -> list[list[Element]]:
    """The elements of a fresh session's first run of each address (``compare?lang=fi``), one
    after another; each run must finish (``_run``) and find its page."""
    runs = []
    for asked in addresses:
        messages = await _first_run(base_url, asked)
        assert not any(m.WhichOneof("type") == "page_not_found" for m in messages), asked
        runs.append([m.delta.new_element for m in messages if m.WhichOneof("type") == "delta"])
    return runs


def test_a_download_reaches_the_process_that_made_it(
    cluster: Cluster, context: BrowserContext
) -> None:
    page = open_page(context.new_page(), f"{cluster.base_url}/compare?lang=fi")
    _, body = download_from_menu(
        page, "download_menu_region_status", "download_excel_region_status"
    )
    assert body.startswith(b"\xef\xbb\xbfMaakuntakoodi;Maakunta;Valmis;")
    assert "11;Pohjois-Savo;9;3;1;6;5;1;0;3;.." in body.decode("utf-8-sig")


# --- issue #19 item 4: the open data folder, published by serve.py, served read-only -----------


def open_data_index(cluster: Cluster, wanted: str, timeout: float = 240) -> dict[str, object]:
    """/avoin-data/index.json once it lists the wave ``wanted``: serve.py publishes in the
    background at start and after each change of the data."""
    deadline = time.monotonic() + timeout
    while True:
        address = f"{cluster.base_url}/avoin-data/index.json"
        with suppress(OSError), urllib.request.urlopen(address) as answer:
            assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
            index = json.loads(answer.read())
            if wanted in [wave["id"] for wave in index["waves"]]:
                return index
        if time.monotonic() > deadline:
            raise AssertionError(f"/avoin-data/index.json did not list {wanted} in {timeout} s")
        time.sleep(1)


def test_the_open_data_folder_is_served_read_only(cluster: Cluster) -> None:
    index = open_data_index(cluster, "2009")
    entry = next(
        e for e in index["files"] if e["table"] == "region_status" and e["format"] == "csv"
    )
    with urllib.request.urlopen(f"{cluster.base_url}/avoin-data/{entry['path']}") as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert hashlib.sha256(answer.read()).hexdigest() == entry["sha256"]
    host, port = cluster.base_url.split("//", 1)[1].split(":")
    for method in ("PUT", "POST", "DELETE"):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request(method, f"/avoin-data/{entry['path']}", body=b"x")
        assert connection.getresponse().status == 403, method
        connection.close()
    # Outside the folder nothing of the runtime folder is served (nginx.conf, logs).
    for path in ("/avoin-data/../nginx.conf", "/avoin-data/..%2fnginx.conf", "/nginx.conf"):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)
        body = connection.getresponse().read()
        assert b"worker_processes" not in body, path
        connection.close()


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
    upload_file(page, source)
    page.get_by_role("button", name=t("fi", "upload.confirm")).click()
    wait_for_run(page)
    expect(page.get_by_text(f"Kierros {WAVE} on tuotu (1 riviä)")).to_be_visible()
    assert (data_dir / "responses" / f"{WAVE}.csv").exists()

    other_port = next(port for port in cluster.backends if port != uploader)
    host = cluster.base_url.split("//", 1)[1].split(":")[0]
    other = new_context(browser, viewport={"width": 1400, "height": 1100})
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


def test_an_uploaded_wave_is_published_as_open_data(cluster: Cluster) -> None:
    """The wave the test above uploaded is in the open data folder, and its own files too."""
    index = open_data_index(cluster, WAVE)
    assert any(entry["wave"] == WAVE for entry in index["files"])


# --- issue #22 item 6: wrong upload passwords, one count for the whole server -------------------

GUESSES = 40
FAILED = re.compile(
    r"upload password: failed attempt \(session \w*: \d+ failed, server: (\d+) failed\)"
)


async def _run(socket: object, message: bytes) -> list[ForwardMsg]:
    """Send a BackMsg and collect the ForwardMsgs up to the end of the run it starts."""
    await socket.send(message)  # type: ignore[attr-defined]
    messages = []
    async for raw in socket:  # type: ignore[attr-defined]
        message = ForwardMsg()
        message.ParseFromString(raw)
        messages.append(message)
        if message.WhichOneof("type") == "script_finished":
            assert message.script_finished == FINISHED, message.script_finished
            return messages
    raise AssertionError("the connection closed before the run finished")


def _alerts(messages: list[ForwardMsg]) -> list[str]:
    return [
        m.delta.new_element.alert.body
        for m in messages
        if m.WhichOneof("type") == "delta" and m.delta.new_element.WhichOneof("type") == "alert"
    ]


async def _guess_in_fresh_sessions(
    base_url: str, cookies: list[str], start: asyncio.Event
) -> list[list[str]]:
    """One fresh session per cookie opens the upload page; once all are open, each sends one
    wrong password at the same moment. The alerts each guess got."""
    netloc = base_url.split("//", 1)[1]
    page = "upload?lang=fi"
    ready = 0

    async def one(number: int, cookie: str) -> list[str]:
        nonlocal ready
        async with connect(
            f"ws://{netloc}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": f"{COOKIE}={cookie}"},
            max_size=None,
            proxy=None,
            ping_interval=None,
            open_timeout=None,
        ) as opened:
            first = await _run(opened, rerun_message(page))
            box = next(
                m.delta.new_element.text_input
                for m in first
                if m.WhichOneof("type") == "delta"
                and m.delta.new_element.WhichOneof("type") == "text_input"
                and m.delta.new_element.text_input.label == t("fi", "upload.password")
            )
            ready += 1
            if ready == len(cookies):
                start.set()
            await start.wait()
            message = BackMsg()
            message.rerun_script.query_string = "lang=fi"
            message.rerun_script.page_name = "upload"
            message.rerun_script.widget_states.widgets.add(
                id=box.id, string_value=f"arvaus {number}"
            )
            return _alerts(await _run(opened, message.SerializeToString()))

    return await asyncio.gather(*(one(n, cookie) for n, cookie in enumerate(cookies)))


def failed_attempts(cluster: Cluster) -> list[int]:
    """The server-wide count each failed attempt logged, from every process's log."""
    counts = []
    for path in (cluster.runtime / "logs").glob("streamlit-*.log"):
        counts += [int(n) for n in FAILED.findall(path.read_text(encoding="utf-8"))]
    return counts


def test_wrong_passwords_meet_one_count_across_the_processes(cluster: Cluster) -> None:
    """Forty fast wrong guesses from fresh sessions, half through each process, are compared
    no more often than one process alone allows: ten, and one more for each back-off that runs
    out while they arrive (2 s, then 4 s, ...). With a count per process it was twice that."""
    assert serve_module.THROTTLE_FILE_ENV == uploads.THROTTLE_FILE_ENV
    shared = cluster.runtime / uploads.THROTTLE_FILE_NAME
    assert failed_attempts(cluster) == [], "an earlier test guessed wrong"
    ports = list(cluster.backends)
    routes = [route_to(cluster, port) for port in ports]
    cookies = [routes[n % len(routes)] for n in range(GUESSES)]

    def guess() -> tuple[list[list[str]], float]:
        async def timed() -> tuple[list[list[str]], float]:
            start = asyncio.Event()
            task = asyncio.create_task(_guess_in_fresh_sessions(cluster.base_url, cookies, start))
            await start.wait()
            began = time.monotonic()
            answers = await task
            return answers, time.monotonic() - began

        return asyncio.run(timed())

    with ThreadPoolExecutor(max_workers=1) as worker:  # Playwright's loop may be running
        answers, seconds = worker.submit(guess).result(timeout=300)
    # Each guess was refused: as wrong, or as throttled (also a compared guess whose failure
    # started the wait, and every guess that was not compared at all).
    throttled_text = t("fi", "upload.throttled", seconds=0).split("0")[0]
    wrong = t("fi", "upload.password_wrong")
    assert all(len(a) == 1 and (a[0] == wrong or a[0].startswith(throttled_text)) for a in answers)
    assert sum(a[0].startswith(throttled_text) for a in answers) >= GUESSES // 2
    # Each compared guess logs its failure (never the guess) before its answer goes out.
    counts = sorted(failed_attempts(cluster))
    compared = len(counts)
    # One count: the processes' failures are numbered 1, 2, 3, ... together, none twice.
    assert counts == list(range(1, compared + 1))
    extra = int(math.log2(seconds / uploads.SERVER_THROTTLE.base + 1))
    free = uploads.SERVER_THROTTLE.free
    assert free <= compared <= free + extra, (compared, seconds)
    assert f'{{"server": [{compared}, ' in shared.read_text()
    assert "arvaus" not in shared.read_text()


# --- issue #22 item 5: slow clients from one address ---------------------------------------------


def _nginx_address(cluster: Cluster) -> tuple[str, int]:
    host, port = cluster.base_url.split("//", 1)[1].split(":")
    return host, int(port)


def _open(cluster: Cluster, source: str, first_bytes: bytes) -> socket.socket:
    opened = socket.create_connection(
        _nginx_address(cluster), timeout=10, source_address=(source, 0)
    )
    opened.sendall(first_bytes)
    return opened


def _answer_status(opened: socket.socket) -> int | None:
    """The status of an answer already waiting on the socket; None = no answer (closed or not
    yet)."""
    try:
        head = opened.recv(64, socket.MSG_DONTWAIT)
    except OSError:
        return None
    found = re.match(rb"HTTP/1\.1 (\d+)", head)
    return int(found.group(1)) if found else None


def _get(cluster: Cluster, source: str, path: str = "/?lang=fi") -> tuple[int, bytes]:
    host, port = _nginx_address(cluster)
    client = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
    try:
        client.request("GET", path)
        answer = client.getresponse()
        return answer.status, answer.read()
    finally:
        client.close()


async def _first_run(
    base_url: str, page_address: str, source: str = "127.0.0.1"
) -> list[ForwardMsg]:
    """A fresh session's first run of ``page_address`` over the websocket at ``base_url``, from
    the address ``source``: its messages up to the end of the run."""
    netloc = base_url.split("//", 1)[1]
    async with connect(
        f"ws://{netloc}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        max_size=None,
        proxy=None,
        ping_interval=None,
        open_timeout=60,
        local_addr=(source, 0),
    ) as opened:
        return await _run(opened, rerun_message(page_address))


def _trickle(sockets: list[socket.socket], stop: threading.Event) -> None:
    """A header line every 2 s on each socket, until it is closed or ``stop`` is set."""
    while not stop.wait(2):
        for opened in sockets:
            with suppress(OSError):
                opened.sendall(b"X-Slow: 1\r\n")


def test_an_address_too_long_for_streamlit_is_refused_by_nginx(cluster: Cluster) -> None:
    """A 107 kB address gets nginx's 414 and never reaches Streamlit, whose web server reads such
    a request or answers 400 by how its bytes arrive (tests/test_browser_hostile.py). The answer
    names no server software (server_tokens off)."""
    junk = "&".join(f"region=junk{i}" for i in range(500))
    status, body = _get(cluster, "127.0.0.1", f"/?lang=en&wave={'A' * 100_000}&{junk}")
    assert status == 414
    assert b"uvicorn" not in body.lower() and b"nginx/" not in body


def test_one_slow_client_address_keeps_nobody_else_out(cluster: Cluster) -> None:
    """From 127.0.0.1: more slow-header connections than the limit per address (each sends a
    header line every 2 s and never ends the header), and more slow-body requests than it (a
    whole header, then one byte of the body). Meanwhile the requests over the limit are refused
    at once, a reader from 127.0.0.2 gets the page and its first run, and nginx closes every slow
    connection after its timeout (the header's in all, however often a line comes)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    over = 30
    slow_headers: dict[socket.socket, float] = {}
    slow_bodies: dict[socket.socket, float] = {}
    stop = threading.Event()
    trickler = threading.Thread(target=_trickle, args=(list(), stop), daemon=True)
    try:
        for _ in range(PER_ADDRESS + over):
            opened = _open(cluster, "127.0.0.1", b"GET /?lang=fi HTTP/1.1\r\nHost: slow\r\n")
            slow_headers[opened] = time.monotonic()
        trickler = threading.Thread(target=_trickle, args=(list(slow_headers), stop), daemon=True)
        trickler.start()
        body_head = b"POST /?lang=fi HTTP/1.1\r\nHost: slow\r\nContent-Length: 1000\r\n\r\nx"
        for _ in range(PER_ADDRESS + over):
            slow_bodies[_open(cluster, "127.0.0.1", body_head)] = time.monotonic()
        # The slow-header ones do not count (their header is not read yet); of the slow
        # bodies, PER_ADDRESS are held and the rest are refused with 429 at once.
        deadline = time.monotonic() + 5
        refused: set[socket.socket] = set()
        while len(refused) < over and time.monotonic() < deadline:
            readable, _, _ = select.select(
                [s for s in slow_bodies if s not in refused], [], [], 0.5
            )
            refused |= {s for s in readable if _answer_status(s) == 429}
        assert len(refused) == over
        for opened in refused:
            opened.close()
            del slow_bodies[opened]
        # The full address gets 429 for a new request while its slow bodies are held...
        assert _get(cluster, "127.0.0.1")[0] == 429
        assert "limiting connections" in (cluster.runtime / "logs" / "error.log").read_text()
        # ... and another address is not affected: the page, and a first run over the websocket.
        status, body = _get(cluster, "127.0.0.2")
        assert status == 200 and b'id="root"' in body
        with ThreadPoolExecutor(max_workers=1) as worker:
            run = _first_run(cluster.base_url, address("compare"), "127.0.0.2")
            worker.submit(asyncio.run, run).result(90)

        closed: dict[socket.socket, float] = {}
        everything = len(slow_headers) + len(slow_bodies)
        deadline = time.monotonic() + max(HEADER_TIMEOUT, BODY_TIMEOUT) + 20
        while len(closed) < everything:
            assert time.monotonic() < deadline, f"{len(closed)} of {everything} closed"
            waiting = [s for s in (*slow_headers, *slow_bodies) if s not in closed]
            readable, _, _ = select.select(waiting, [], [], 0.5)
            for opened in readable:
                try:
                    data = opened.recv(4096, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    continue
                except OSError:  # reset: reset_timedout_connection
                    data = b""
                if data == b"":
                    closed[opened] = time.monotonic()
        for group, timeout in ((slow_headers, HEADER_TIMEOUT), (slow_bodies, BODY_TIMEOUT)):
            lived = [closed[s] - opened_at for s, opened_at in group.items()]
            # Closed by the timeout, not refused at once: not before it ran out.
            assert min(lived) > timeout - 1, (timeout, min(lived))
        # And the address is free again.
        assert _get(cluster, "127.0.0.1")[0] == 200
    finally:
        stop.set()
        if trickler.is_alive():
            trickler.join(timeout=5)
        for opened in (*slow_headers, *slow_bodies):
            opened.close()


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
