"""Concurrent sessions over Streamlit's websocket (/_stcore/stream), as the browser speaks it: a
BackMsg ``rerun_script`` with the page and the address, then ForwardMsgs to ``script_finished``.

Each sample is a fresh session (connect, first run of a page, disconnect). A client that reuses a
session without sending its widget states back is, from the second run on, a client whose widgets
are gone (Streamlit drops their values), which is not what a reader does; a fresh session is what
every new reader of a shared link costs, and it needs no widget bookkeeping here.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
# A stuck run counts as an error, not as a long sample that hides the rest. Generous: on two busy
# cores, 50 sessions of a heavy page take a minute or more each, and a reader would wait.
SAMPLE_TIMEOUT = 300.0


@dataclass
class LoadResult:
    sessions: int
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu_seconds: float | None = None  # the server's, over the whole run, when measured

    @classmethod
    def merged(cls, runs: list[LoadResult]) -> LoadResult:
        """Runs at the same load as one: every sample, every error, the CPU time summed."""
        cpu = [run.cpu_seconds for run in runs]
        return cls(
            runs[0].sessions,
            [seconds for run in runs for seconds in run.seconds],
            [error for run in runs for error in run.errors],
            None if None in cpu else sum(cpu),  # type: ignore[arg-type]
        )

    def percentile(self, share: float) -> float | None:
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    def summary(self) -> dict[str, object]:
        return {
            "sessions": self.sessions,
            "samples": len(self.seconds) + len(self.errors),
            "p50_s": self.percentile(0.5),
            "p95_s": self.percentile(0.95),
            "mean_s": statistics.fmean(self.seconds) if self.seconds else None,
            "cpu_per_session_s": (
                None
                if self.cpu_seconds is None or not self.seconds
                else self.cpu_seconds / (len(self.seconds) + len(self.errors))
            ),
            "errors": len(self.errors),
            "first_errors": self.errors[:3],
        }


def rerun_message(address: str) -> bytes:
    """The first BackMsg of a browser tab opening ``address`` (``compare?lang=sv``)."""
    path, _, query = address.partition("?")
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = path
    return message.SerializeToString()


async def one_session(base_url: str, address: str, cookie: str | None = None) -> float:
    """Seconds from opening the websocket to the end of the page's first run. Raises on an
    exception element, a run that does not finish successfully, or a closed connection."""
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    headers = {"Cookie": cookie} if cookie else None
    started = time.perf_counter()
    async with connect(
        f"{scheme}://{parts.netloc}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        additional_headers=headers,
        max_size=None,
        compression=None,
        proxy=None,
        # A browser neither pings nor gives up on a slow handshake: without these, a server busy
        # with fifty runs misses the client's 20 s pong deadline and the sample is lost as an
        # error the browser would not see (seen in the first runs of make bench).
        ping_interval=None,
        open_timeout=None,
    ) as socket:
        await socket.send(rerun_message(address))
        async for raw in socket:
            message = ForwardMsg()
            message.ParseFromString(raw)  # type: ignore[arg-type]
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(f"{address}: {message.delta.new_element.exception.message}")
            if kind == "page_not_found":
                raise RuntimeError(f"{address}: page not found")
            if kind == "script_finished":
                if message.script_finished != FINISHED:
                    raise RuntimeError(f"{address}: run ended with {message.script_finished}")
                return time.perf_counter() - started
    raise RuntimeError(f"{address}: the connection closed before the run finished")


async def _client(base_url: str, address: str, samples: int, result: LoadResult) -> None:
    for _ in range(samples):
        try:
            seconds = await asyncio.wait_for(one_session(base_url, address), SAMPLE_TIMEOUT)
        except Exception as error:  # every failure is a counted error, the run goes on
            result.errors.append(f"{type(error).__name__}: {error}"[:300])
        else:
            result.seconds.append(seconds)


async def _load(base_url: str, address: str, sessions: int, samples: int) -> LoadResult:
    result = LoadResult(sessions)
    await asyncio.gather(*(_client(base_url, address, samples, result) for _ in range(sessions)))
    return result


def run_load(base_url: str, address: str, sessions: int, samples: int) -> LoadResult:
    """``sessions`` clients at once, each opening ``samples`` fresh sessions one after another."""
    # In a thread of its own: the caller may already run an event loop (Playwright's sync API
    # does), and asyncio.run refuses to start inside one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, _load(base_url, address, sessions, samples)).result()
