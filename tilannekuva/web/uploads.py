"""The upload page's rules, apart from Streamlit: where the password comes from, how it is
checked and throttled, and which data folder an upload goes to."""

from __future__ import annotations

import fcntl
import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from tilannekuva.config import data_dir
from tilannekuva.importer import ImportResult, import_responses, validate_file
from tilannekuva.responses import Report

PASSWORD_ENV = "TILANNEKUVA_UPLOAD_PASSWORD"
PASSWORD_SECRET = "upload_password"
# A password shorter than this (or blank, or spaces) does not turn uploads on (issue #10: one
# space counted as set).
MIN_PASSWORD_LENGTH = 12
LOG = logging.getLogger(__name__)
_warned: set[str] = set()


def password_too_short() -> bool:
    """Whether a password is configured but too short to turn uploads on (the page says so, so
    the operator does not look for a missing setting; issue #21)."""
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        try:
            password = str(st.secrets.get(PASSWORD_SECRET, ""))
        except FileNotFoundError:
            return False
    return bool(password) and len(password.strip()) < MIN_PASSWORD_LENGTH


def configured_password() -> str | None:
    """The upload password from the environment, else from Streamlit secrets; None = uploads
    are off. A blank or too short value counts as none, and the server log says why."""
    password = os.environ.get(PASSWORD_ENV, "")
    source = PASSWORD_ENV
    if not password:
        source = f"secrets {PASSWORD_SECRET}"
        try:
            password = str(st.secrets.get(PASSWORD_SECRET, ""))
        except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
            return None
    if not password:
        return None
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        if source not in _warned:  # once per process, not on every page run
            _warned.add(source)
            LOG.error(
                "uploads stay off: the upload password in %s is blank or shorter than %d "
                "characters",
                source,
                MIN_PASSWORD_LENGTH,
            )
        return None
    return password


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (hmac.compare_digest), on bytes so any text is accepted."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


THROTTLE_FILE_ENV = "TILANNEKUVA_UPLOAD_THROTTLE_FILE"
THROTTLE_FILE_NAME = "upload-throttle.json"
_Record = tuple[int, float]  # failures that count, and when the last one was (time.time())


def server_throttle_file() -> Path:
    """The file the server-wide back-off is kept in, shared by every process that uses it (issue
    #22 item 6): ``$TILANNEKUVA_UPLOAD_THROTTLE_FILE`` (``make serve`` sets it to
    ``<runtime>/upload-throttle.json``), else ``.run/upload-throttle.json`` beside the data folder.
    That default follows the data folder the password guards: every process serving one data
    folder shares one count whoever started it (``make run`` and ``make serve`` of a checkout
    meet in the same ``.run/``, which git ignores), and a test's copy of the data has its own."""
    configured = os.environ.get(THROTTLE_FILE_ENV, "").strip()
    return Path(configured) if configured else data_dir().parent / ".run" / THROTTLE_FILE_NAME


@dataclass
class Throttle:
    """Back-off after failed attempts: ``free`` failures cost nothing, each one after that
    doubles the wait (``base`` seconds up to ``longest``). Failures older than ``forget_after``
    seconds no longer count. Keys are a session or the whole server.

    With ``shared`` (a function giving a file), the counts live in that file, read and written
    under an exclusive ``fcntl.flock``, so every process that uses the same file sees one count;
    it holds only counts and times per key, never a guess. A file that cannot be opened leaves
    the counts in this process's memory (logged once). The clock is the wall clock, which every
    process shares (a monotonic clock restarts at boot, and the file outlives a reboot); a wait
    is never longer than its delay, so a clock set back does not lock anyone out."""

    free: int
    base: float = 2.0
    longest: float = 300.0
    forget_after: float = 900.0
    clock: Callable[[], float] = time.time
    shared: Callable[[], Path] | None = None
    _failures: dict[str, _Record] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 = now."""
        with self._records() as records:
            return self._wait(records, key, self.clock())

    def admit(self, key: str) -> tuple[float, int]:
        """An attempt for ``key``: ``(seconds to wait, failures)`` when it must wait, and then
        nothing is counted; else ``(0, failures)`` with the attempt already counted as a failure
        (``succeeded`` clears it). Looked at and counted in one step under the lock, so
        attempts arriving at once in several processes cannot all pass the last free one."""
        with self._records() as records:
            now = self.clock()
            wait = self._wait(records, key, now)
            count, _ = self._current(records, key, now)
            if wait > 0:
                return wait, count
            self._store(records, key, (count + 1, now))
            return 0.0, count + 1

    def failed(self, key: str) -> int:
        """Count a failure; the number of failures that now count for ``key``."""
        with self._records() as records:
            now = self.clock()
            count, _ = self._current(records, key, now)
            self._store(records, key, (count + 1, now))
            return count + 1

    def succeeded(self, key: str) -> None:
        with self._records() as records:
            records.pop(key, None)

    def _wait(self, records: dict[str, _Record], key: str, now: float) -> float:
        count, last = self._current(records, key, now)
        if count < self.free:
            return 0.0
        delay = min(self.longest, self.base * 2 ** (count - self.free))
        return min(delay, max(0.0, last + delay - now))

    def _current(self, records: dict[str, _Record], key: str, now: float) -> _Record:
        count, last = records.get(key, (0, 0.0))
        if count and abs(now - last) > self.forget_after:
            return 0, 0.0
        return count, last

    def _store(self, records: dict[str, _Record], key: str, record: _Record) -> None:
        if len(records) > 10_000:  # many sessions: keep memory bounded
            records.clear()
        records[key] = record

    @contextmanager
    def _records(self) -> Iterator[dict[str, _Record]]:
        """The counts to read and change: this process's, or the shared file's under its lock
        (written back only when changed)."""
        with self._lock:
            handle = self._open_shared()
            if handle is None:
                yield self._failures
                return
            with os.fdopen(handle, "r+b") as file:
                fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
                records = _parse_records(file.read())
                before = dict(records)
                yield records
                if records != before:
                    file.seek(0)
                    file.truncate()
                    file.write(json.dumps({k: list(v) for k, v in records.items()}).encode())

    def _open_shared(self) -> int | None:
        if self.shared is None:
            return None
        path = self.shared()
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as error:
            if str(path) not in _warned:
                _warned.add(str(path))
                LOG.error(
                    "upload password: the shared back-off file %s cannot be used (%s); "
                    "failures are counted in this process only",
                    path,
                    error.strerror or error,
                )
            return None


def _parse_records(raw: bytes) -> dict[str, _Record]:
    """The file's counts; an empty or damaged file counts as none."""
    try:
        loaded = json.loads(raw or b"{}")
    except ValueError:
        return {}
    if not isinstance(loaded, dict):
        return {}
    records: dict[str, _Record] = {}
    for key, value in loaded.items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], int)
            and isinstance(value[1], int | float)
        ):
            records[str(key)] = (value[0], float(value[1]))
    return records


SERVER = "server"
# One session gets three free guesses; the whole server ten (guesses spread over many sessions).
# A session lives in one process (nginx routes a browser to one process by a cookie), so its
# count stays in memory; the server's is shared by every process through a file.
SESSION_THROTTLE = Throttle(free=3)
SERVER_THROTTLE = Throttle(free=10, shared=server_throttle_file)


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    retry_after: int = 0  # seconds to wait before the next attempt is even looked at


def check_password(given: str, expected: str, session: str) -> PasswordCheck:
    """Check a password attempt under the session's and the server's back-off. A throttled
    attempt is not compared at all: the server's count is looked at and raised before the
    comparison, in one step shared by all processes. Failed attempts are logged (never the
    guess)."""
    wait = SESSION_THROTTLE.wait(session)
    if wait > 0:
        return PasswordCheck(False, max(1, round(wait + 0.5)))
    wait, on_server = SERVER_THROTTLE.admit(SERVER)
    if wait > 0:
        return PasswordCheck(False, max(1, round(wait + 0.5)))
    if password_matches(given, expected):
        SESSION_THROTTLE.succeeded(session)
        SERVER_THROTTLE.succeeded(SERVER)
        return PasswordCheck(True)
    in_session = SESSION_THROTTLE.failed(session)
    LOG.warning(
        "upload password: failed attempt (session %s: %d failed, server: %d failed)",
        session[:8],
        in_session,
        on_server,
    )
    wait = max(SESSION_THROTTLE.wait(session), SERVER_THROTTLE.wait(SERVER))
    return PasswordCheck(False, round(wait + 0.5) if wait > 0 else 0)


def preview(
    data: bytes,
    *,
    replace: bool,
    add: bool = False,
    area: str | None = None,
    questionnaire: str | None = None,
) -> Report:
    return validate_file(
        data, data_dir(), replace=replace, add=add, area=area, questionnaire=questionnaire
    )


def save(
    data: bytes,
    *,
    replace: bool,
    add: bool = False,
    area: str | None = None,
    questionnaire: str | None = None,
) -> ImportResult:
    return import_responses(
        data, data_dir(), replace=replace, add=add, area=area, questionnaire=questionnaire
    )
