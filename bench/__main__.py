"""``make bench`` (``python -m bench``): the benchmark suite of issue #9. Prints a table and writes
bench/results.json; every figure is a ratio against a floor measured in the same run.

Sizes come from the environment (defaults in brackets):

    BENCH_PARTS            apptest,national,browser,load,import,history   parts to run [all six]
    BENCH_PAGES            overview,compare,...           pages for apptest and browser [all]
    BENCH_LOAD_PAGES       pages under load [overview,compare,trends,worklist]
    BENCH_SESSIONS         concurrent sessions [10,20,50]
    BENCH_SAMPLES          fresh sessions per concurrent client [2]
    BENCH_REPEATS          timed repeats of AppTest reruns and CLI runs [5]
    BENCH_BROWSER_REPEATS  timed first renders per page [3]
    BENCH_ROWS             rows of the generated wave [900]
    BENCH_WAVES            waves stored for the "many" case [20]
    BENCH_NATIONAL_WAVES   nationwide waves (every municipality x 3) for the national part [20]
    BENCH_HISTORY          waves stored for the history part's "many" case [2000]
    BENCH_HISTORY_FEW      waves stored for its "few" case, the floor [20]
    BENCH_HISTORY_ROWS     rows of each of those waves [30]
    BENCH_NGINX            serve through nginx with this many processes; 0 = one process [0]
    BENCH_RESULTS          where the JSON goes [bench/results.json]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit

from bench import pages as page_list
from bench.load import LoadResult, run_load
from bench.report import table
from bench.timing import ratio
from deploy.serve import free_port, serve, start_streamlit, stop, wait_healthy

PARTS = ("apptest", "national", "browser", "load", "import", "history")
# The pages under load by default: the landing page, the page a shared link most often opens, and
# the heaviest regional and municipality pages (issue #9: "20 sessions on any page").
LOAD_PAGES = ("overview", "compare", "trends", "worklist")
RESULTS = page_list.PROJECT_DIR / "bench" / "results.json"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def settings() -> dict[str, object]:
    return {
        "parts": [p for p in os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",") if p],
        "pages": os.environ.get("BENCH_PAGES", ""),
        "load_pages": os.environ.get("BENCH_LOAD_PAGES", ",".join(LOAD_PAGES)),
        "sessions": [int(n) for n in os.environ.get("BENCH_SESSIONS", "10,20,50").split(",")],
        "samples": _int("BENCH_SAMPLES", 2),
        "repeats": _int("BENCH_REPEATS", 5),
        "browser_repeats": _int("BENCH_BROWSER_REPEATS", 3),
        "rows": _int("BENCH_ROWS", 900),
        "waves": _int("BENCH_WAVES", 20),
        "national_waves": _int("BENCH_NATIONAL_WAVES", 20),
        "history": _int("BENCH_HISTORY", 2000),
        "history_few": _int("BENCH_HISTORY_FEW", 20),
        "history_rows": _int("BENCH_HISTORY_ROWS", 30),
        "nginx": _int("BENCH_NGINX", 0),
        "results": os.environ.get("BENCH_RESULTS", str(RESULTS)),
    }


def machine() -> dict[str, object]:
    """Where the figures came from: they mean little without it."""
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=page_list.PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "commit": commit,
        "load_average_at_start": os.getloadavg(),
    }


@dataclass(frozen=True)
class Served:
    """A running server: its URL, and its streamlit processes (read when asked: the supervisor
    behind nginx may have started one again)."""

    url: str
    processes: Callable[[], list[subprocess.Popen[bytes]]]


@contextmanager
def server(script: Path, nginx_processes: int, runtime: Path) -> Iterator[Served]:
    """One ``streamlit run`` process, or ``nginx_processes`` behind nginx."""
    if nginx_processes:
        with serve(
            processes=nginx_processes, runtime=runtime, script=script, publish=False
        ) as cluster:
            yield Served(cluster.base_url, lambda: [b.process for b in cluster.backends.values()])
        return
    port = free_port()
    runtime.mkdir(parents=True, exist_ok=True)
    process = start_streamlit(script, port, dict(os.environ), runtime / "streamlit.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(f"{base}/_stcore/health", process)
        yield Served(base, lambda: [process])
    finally:
        stop(process)


def _cpu_seconds(processes: list[subprocess.Popen[bytes]]) -> float:
    """User and system CPU time the server processes have used so far (Linux /proc)."""
    total = 0
    for process in processes:
        with open(f"/proc/{process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _rss_mib(processes: list[subprocess.Popen[bytes]]) -> float:
    """Resident memory of the server processes (Linux /proc), in MiB."""
    total = 0
    for process in processes:
        with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return round(total / 1024, 1)


def _under_load(served: Served, address: str, sessions: int, samples: int) -> LoadResult:
    processes = served.processes()
    before = _cpu_seconds(processes)
    result = run_load(served.url, address, sessions, samples)
    result.cpu_seconds = _cpu_seconds(processes) - before
    return result


def load_part(config: dict, app: Served, bare: Served) -> dict[str, dict[str, object]]:
    """Each load's floor is the bare page measured just before and just after the pages, its
    samples taken together, so that a neighbour's burst of work falls on both sides alike. The
    server's CPU time per session is beside the latencies: it is what a page costs, whatever
    else the machine is doing."""
    samples = int(config["samples"])
    pages = page_list.selected(str(config["load_pages"]))
    warm = max(2, int(config["nginx"]) * 2)
    # Every process has run each page once before the clock starts (first runs fill caches).
    run_load(bare.url, "", warm, 1)
    for _, path in pages:
        run_load(app.url, page_list.address(path), warm, 1)
    figures: dict[str, dict[str, object]] = {path or "overview": {} for _, path in pages}
    for sessions in config["sessions"]:
        floor_runs = [_under_load(bare, "", sessions, samples)]
        ours_by_page = {
            path or "overview": _under_load(app, page_list.address(path), sessions, samples)
            for _, path in pages
        }
        floor_runs.append(_under_load(bare, "", sessions, samples))
        floor = LoadResult.merged(floor_runs).summary()
        for page, result in ours_by_page.items():
            ours = result.summary()
            figures[page][str(sessions)] = {
                "page": ours,
                "bare": floor,
                "p50_ratio": ratio(ours["p50_s"], floor["p50_s"]),  # type: ignore[arg-type]
                "p95_ratio": ratio(ours["p95_s"], floor["p95_s"]),  # type: ignore[arg-type]
                "cpu_ratio": ratio(
                    ours["cpu_per_session_s"],  # type: ignore[arg-type]
                    floor["cpu_per_session_s"],  # type: ignore[arg-type]
                ),
            }
    # Memory after every load: no full collection runs after each script run (the production
    # config turns runner.postScriptGC off), so this shows it does not pile up.
    figures["memory_after_mib"] = {
        "app": _rss_mib(app.processes()),
        "bare": _rss_mib(bare.processes()),
    }
    return figures


def national_part(pages: tuple[tuple[str, str], ...], config: dict) -> dict[str, object]:
    """(a) at national size (issue #16): the warm reruns of every page on the newest of N stored
    nationwide waves (every municipality of its year x 3 respondent types, 19 regions), against
    the bare page in the same run."""
    from bench import apptest
    from bench.waves import national_folder
    from tilannekuva.config import DATA_DIR_ENV

    with tempfile.TemporaryDirectory(prefix="tilannekuva-bench-") as temporary:
        folder, wave = national_folder(Path(temporary) / "data", int(config["national_waves"]))
        before = os.environ.get(DATA_DIR_ENV)
        os.environ[DATA_DIR_ENV] = str(folder)
        try:
            figures = apptest.run(pages, int(config["repeats"]), wave=wave)
        finally:
            if before is None:
                os.environ.pop(DATA_DIR_ENV)
            else:
                os.environ[DATA_DIR_ENV] = before
    return {"wave": wave, "waves": int(config["national_waves"]), **figures}


def run(config: dict) -> dict[str, object]:
    results: dict[str, object] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {k: v for k, v in config.items() if k != "results"},
    }
    started = time.perf_counter()
    pages = page_list.selected(str(config["pages"]))
    parts = config["parts"]
    # Each part is imported when it runs: a run of one part needs nothing of the others
    # (Playwright, say).
    if "apptest" in parts:
        from bench import apptest

        results["apptest"] = apptest.run(pages, int(config["repeats"]))
    if "national" in parts:
        results["national"] = national_part(pages, config)
    if "browser" in parts or "load" in parts:
        with tempfile.TemporaryDirectory(prefix="tilannekuva-bench-") as runtime:
            nginx = int(config["nginx"])
            with (
                server(page_list.APP, nginx, Path(runtime) / "app") as app,
                server(page_list.BARE_PAGE, nginx, Path(runtime) / "bare") as bare,
            ):
                if "browser" in parts:
                    from bench import browser

                    repeats = int(config["browser_repeats"])
                    results["browser"] = browser.run(app.url, bare.url, pages, repeats)
                if "load" in parts:
                    results["load"] = load_part(config, app, bare)
    if "import" in parts:
        from bench import imports

        results["import"] = imports.run(
            int(config["rows"]), int(config["waves"]), int(config["repeats"])
        )
    if "history" in parts:
        from bench import history

        results["history"] = history.run(
            int(config["history_few"]),
            int(config["history"]),
            int(config["history_rows"]),
            int(config["repeats"]),
        )
    results["seconds"] = time.perf_counter() - started
    results["load_average_at_end"] = os.getloadavg()
    return results


def main() -> int:
    config = settings()
    unknown = set(config["parts"]) - set(PARTS)  # type: ignore[arg-type]
    if unknown:
        print(f"unknown BENCH_PARTS: {sorted(unknown)}", file=sys.stderr)
        return 2
    results = run(config)
    Path(str(config["results"])).write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(table(results))
    print(f"\nwritten: {config['results']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
