"""Several ``streamlit run`` processes behind Debian's nginx, started as one (``make serve``).

    python -m deploy.serve [--port 8080] [--listen 127.0.0.1] [--processes N] [--runtime DIR]

N processes (default: the number of cores) listen on free loopback ports; nginx listens on
``--port`` and routes each browser to one process by a cookie (see deploy/nginx.conf.template for
why a cookie and not the client's address). nginx runs as the current user with its own prefix,
pid file, logs and temp folders under the runtime folder (default ``.run/``); no system nginx file
is read or written. The open data files (``python -m tilannekuva publish``) are published into
``avoin-data/`` there at start and again whenever the data changes, and nginx serves them
read-only at ``/avoin-data/``. A process that dies is started again on its port; its readers are
served by another process meanwhile (nginx skips a process that refuses connections). Ctrl-C or
SIGTERM stops everything.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULT_RUNTIME = PROJECT_DIR / ".run"
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
THROTTLE_FILE_ENV = "TILANNEKUVA_UPLOAD_THROTTLE_FILE"  # read by tilannekuva/web/uploads.py
OPEN_DATA_URL_ENV = "TILANNEKUVA_OPEN_DATA_URL"  # the Data page links there (config.py)
OPEN_DATA_PATH = "/avoin-data/"
OPEN_DATA_FOLDER = "avoin-data"  # in the runtime folder; nginx serves it at OPEN_DATA_PATH
DATA_DIR_ENV = "TILANNEKUVA_DATA_DIR"
PUBLISH_CHECK_SECONDS = 3.0
PLACEHOLDER = re.compile(r"@[A-Z_]+@")
RESTART_DELAY = 5.0


def nginx_binary() -> str:
    """Debian installs nginx in /usr/sbin, which is not on an ordinary user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        raise SystemExit("nginx is missing: make serve installs it (apt-get install nginx)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def worker_limits(most_files: int = 32768, most_connections: int = 16384) -> tuple[int, int]:
    """nginx's worker_rlimit_nofile and worker_connections: as many open files as the user's hard
    limit allows (a user may raise the soft limit up to it, not past it), up to ``most_files``,
    and connections up to ``most_connections``, leaving room for logs and listening sockets."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    files = most_files if hard == resource.RLIM_INFINITY else min(hard, most_files)
    return files, max(512, min(most_connections, files - 64))


def render_config(
    runtime: Path, listen: str, port: int, backend_ports: Sequence[int], fail_timeout: int = 5
) -> str:
    """The nginx configuration: the template with every @NAME@ filled; none may be left."""
    if os.geteuid() == 0:
        # Started by root, nginx would hand its workers to "nobody", who cannot write the runtime
        # folder: keep them as the user who started it.
        user = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
        user_line = f"user {user} {group};"
    else:
        user_line = "# Runs as the user who started it (no user directive without root)."
    nofile, connections = worker_limits()
    servers = "\n".join(
        f"        server 127.0.0.1:{backend} max_fails=1 fail_timeout={fail_timeout}s;"
        for backend in backend_ports
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "USER_LINE": user_line,
        "RUNTIME": str(runtime),
        "LISTEN": listen,
        "PORT": str(port),
        "UPSTREAM_SERVERS": servers,
        "WORKER_NOFILE": str(nofile),
        "WORKER_CONNECTIONS": str(connections),
        "OPEN_DATA": str(runtime / OPEN_DATA_FOLDER),
    }.items():
        text = text.replace(f"@{name}@", value)
    left = PLACEHOLDER.findall(text)
    if left:
        raise ValueError(f"the nginx template has placeholders nobody fills: {left}")
    return text


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} s")
        time.sleep(0.3)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Publisher:
    """Keeps the open data folder (``python -m tilannekuva publish``) in step with the data: it
    publishes at start and again whenever the data folder's fingerprint changes — after an
    upload through any process or an import on the command line (issue #19 item 4). Each
    publish is a child process of its own, logged in logs/publish.log; nginx serves the folder
    read-only, and publish swaps it in whole, so a reader never sees half of it."""

    def __init__(self, runtime: Path, env: dict[str, str]) -> None:
        self.folder = runtime / OPEN_DATA_FOLDER
        self.log = runtime / "logs" / "publish.log"
        self.env = env
        configured = env.get(DATA_DIR_ENV, "").strip()
        self.data = Path(configured).resolve() if configured else PROJECT_DIR / "data"
        self.published: str | None = None
        self.runs = 0

    def version(self) -> str:
        from tilannekuva.db import fingerprint

        return fingerprint(self.data)

    def publish_if_changed(self) -> bool:
        version = self.version()
        if version == self.published:
            return False
        command = [sys.executable, "-m", "tilannekuva", "publish", "-o", str(self.folder)]
        with self.log.open("ab") as output:
            done = subprocess.run(
                command, cwd=PROJECT_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        self.runs += 1
        if done.returncode == 0:
            self.published = version
        return True

    def keep_up(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                self.publish_if_changed()
            except Exception as error:  # a damaged data file: logged, tried again later
                with self.log.open("a", encoding="utf-8") as output:
                    output.write(f"publish check failed: {type(error).__name__}: {error}\n")
            stopping.wait(PUBLISH_CHECK_SECONDS)


@dataclass
class Backend:
    port: int
    process: subprocess.Popen[bytes]
    restarts: int = 0
    started: float = field(default_factory=time.monotonic)


@dataclass
class Cluster:
    """What ``serve`` started: nginx's address, the backends by port, the runtime folder."""

    base_url: str
    runtime: Path
    backends: dict[int, Backend]
    nginx: subprocess.Popen[bytes]
    publisher: Publisher | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)

    def access_log(self) -> list[str]:
        path = self.runtime / "logs" / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def streamlit_command(script: Path, port: int) -> list[str]:
    """``streamlit run`` of ``script`` on a loopback port, headless (also the browser tests')."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]


def start_streamlit(
    script: Path, port: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    command = streamlit_command(script, port)
    with log.open("ab") as output:
        # cwd = the project: Streamlit reads .streamlit/config.toml from the working directory.
        # A session of its own: Ctrl-C reaches serve.py only, which stops nginx first and then
        # the processes (else they die at once and the supervisor starts them again).
        return subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _supervise(cluster: Cluster, script: Path, env: dict[str, str]) -> None:
    """Start a backend again on its port when it dies (a crash, an out-of-memory kill); one that
    dies as it starts is tried again every RESTART_DELAY seconds, not in a tight loop."""
    while not cluster._stopping.wait(0.5):
        for backend in cluster.backends.values():
            if backend.process.poll() is None or cluster._stopping.is_set():
                continue
            if time.monotonic() - backend.started < RESTART_DELAY:
                continue
            log = cluster.runtime / "logs" / f"streamlit-{backend.port}.log"
            backend.process = start_streamlit(script, backend.port, env, log)
            backend.started = time.monotonic()
            backend.restarts += 1


@contextmanager
def serve(
    *,
    port: int | None = None,
    listen: str = "127.0.0.1",
    processes: int | None = None,
    runtime: Path = DEFAULT_RUNTIME,
    script: Path = PROJECT_DIR / "app.py",
    env: dict[str, str] | None = None,
    publish: bool = True,
) -> Iterator[Cluster]:
    """Start the backends and nginx; yield once nginx answers; stop everything on exit. With
    ``publish`` (make serve), the open data folder is published at start and after each change
    of the data; the benchmark's servers do without: a publish running beside them would weigh
    on what they measure (bench/__main__.py)."""
    runtime = runtime.resolve()
    for folder in ("logs", *(f"temp/{name}" for name in TEMP_FOLDERS)):
        (runtime / folder).mkdir(parents=True, exist_ok=True)
    port = port or free_port(listen)
    count = processes or os.cpu_count() or 1
    backend_env = {**os.environ, **(env or {})}
    # One secret for every process, so a cookie or XSRF token signed by one verifies on another.
    backend_env.setdefault(COOKIE_SECRET_ENV, secrets.token_hex(32))
    # One file for the upload password's server-wide back-off, so that ten wrong guesses are ten
    # for the server and not ten per process (issue #22 item 6; tilannekuva/web/uploads.py).
    backend_env.setdefault(THROTTLE_FILE_ENV, str(runtime / "upload-throttle.json"))
    backend_env.setdefault(OPEN_DATA_URL_ENV, OPEN_DATA_PATH)
    backends: dict[int, Backend] = {}
    nginx: subprocess.Popen[bytes] | None = None
    cluster: Cluster | None = None
    supervisor: threading.Thread | None = None
    publishing: threading.Thread | None = None
    try:
        for _ in range(count):
            backend_port = free_port()
            log = runtime / "logs" / f"streamlit-{backend_port}.log"
            process = start_streamlit(script, backend_port, backend_env, log)
            backends[backend_port] = Backend(backend_port, process)
        for backend in backends.values():
            wait_healthy(f"http://127.0.0.1:{backend.port}/_stcore/health", backend.process)
        config = runtime / "nginx.conf"
        config.write_text(render_config(runtime, listen, port, list(backends)), encoding="utf-8")
        error_log = runtime / "logs" / "error.log"
        with (runtime / "logs" / "nginx.out").open("ab") as output:
            nginx = subprocess.Popen(
                [nginx_binary(), "-p", str(runtime), "-c", str(config), "-e", str(error_log)],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        host = "127.0.0.1" if listen in ("0.0.0.0", "::") else listen
        base_url = f"http://{host}:{port}"
        wait_healthy(f"{base_url}/_stcore/health", nginx, timeout=30)
        publisher = Publisher(runtime, backend_env) if publish else None
        cluster = Cluster(base_url, runtime, backends, nginx, publisher)
        supervisor = threading.Thread(
            target=_supervise, args=(cluster, script, backend_env), daemon=True
        )
        supervisor.start()
        if publisher is not None:
            publishing = threading.Thread(
                target=publisher.keep_up, args=(cluster._stopping,), daemon=True
            )
            publishing.start()
        yield cluster
    finally:
        if cluster is not None:
            cluster._stopping.set()
        if supervisor is not None:
            supervisor.join(timeout=5)
        if publishing is not None:
            publishing.join(timeout=120)  # a publish in progress finishes: no half folder
        if nginx is not None:
            # SIGQUIT: nginx's graceful stop (SIGTERM is its fast one).
            with suppress(ProcessLookupError):
                nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()
        for backend in backends.values():
            stop(backend.process)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--listen", default="127.0.0.1", help="nginx's address")
    parser.add_argument("--processes", type=int, default=None, help="default: the core count")
    parser.add_argument("--runtime", type=Path, default=DEFAULT_RUNTIME, help="default: .run/")
    parser.add_argument("--app", type=Path, default=PROJECT_DIR / "app.py", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    stopped = threading.Event()
    # Both stop it the same way (SIGINT is ignored in a background job; set it explicitly).
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda *_: stopped.set())
    with serve(
        port=args.port,
        listen=args.listen,
        processes=args.processes,
        runtime=args.runtime,
        script=args.app.resolve(),
    ) as cluster:
        ports = ", ".join(str(port) for port in cluster.backends)
        print(
            f"{cluster.base_url}  (nginx; streamlit processes on {ports}; logs in {args.runtime})"
        )
        while not stopped.is_set() and cluster.nginx.poll() is None:
            stopped.wait(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
