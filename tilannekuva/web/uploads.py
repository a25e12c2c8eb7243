"""The upload page's rules, apart from Streamlit: where the password comes from, how it is
checked and throttled, and which data folder an upload goes to."""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass
class Throttle:
    """Back-off after failed attempts: ``free`` failures cost nothing, each one after that
    doubles the wait (``base`` seconds up to ``longest``). Failures older than ``forget_after``
    seconds no longer count. Keys are a session or the whole server."""

    free: int
    base: float = 2.0
    longest: float = 300.0
    forget_after: float = 900.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 = now."""
        with self._lock:
            count, last = self._current(key)
        if count < self.free:
            return 0.0
        delay = min(self.longest, self.base * 2 ** (count - self.free))
        return max(0.0, last + delay - self.clock())

    def failed(self, key: str) -> int:
        """Count a failure; the number of failures that now count for ``key``."""
        with self._lock:
            count, _ = self._current(key)
            if len(self._failures) > 10_000:  # many sessions: keep memory bounded
                self._failures.clear()
            self._failures[key] = (count + 1, self.clock())
            return count + 1

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _current(self, key: str) -> tuple[int, float]:
        count, last = self._failures.get(key, (0, 0.0))
        if count and self.clock() - last > self.forget_after:
            return 0, 0.0
        return count, last


SERVER = "server"
# One session gets three free guesses; the whole server ten (guesses spread over many sessions).
SESSION_THROTTLE = Throttle(free=3)
SERVER_THROTTLE = Throttle(free=10)


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    retry_after: int = 0  # seconds to wait before the next attempt is even looked at


def check_password(given: str, expected: str, session: str) -> PasswordCheck:
    """Check a password attempt under the session's and the server's back-off. A throttled
    attempt is not compared at all. Failed attempts are logged (never the guess)."""
    wait = max(SESSION_THROTTLE.wait(session), SERVER_THROTTLE.wait(SERVER))
    if wait > 0:
        return PasswordCheck(False, max(1, round(wait + 0.5)))
    if password_matches(given, expected):
        SESSION_THROTTLE.succeeded(session)
        SERVER_THROTTLE.succeeded(SERVER)
        return PasswordCheck(True)
    in_session = SESSION_THROTTLE.failed(session)
    on_server = SERVER_THROTTLE.failed(SERVER)
    LOG.warning(
        "upload password: failed attempt (session %s: %d failed, server: %d failed)",
        session[:8],
        in_session,
        on_server,
    )
    wait = max(SESSION_THROTTLE.wait(session), SERVER_THROTTLE.wait(SERVER))
    return PasswordCheck(False, round(wait + 0.5) if wait > 0 else 0)


def preview(data: bytes, *, replace: bool, area: str | None = None) -> Report:
    return validate_file(data, data_dir(), replace=replace, area=area)


def save(data: bytes, *, replace: bool, area: str | None = None) -> ImportResult:
    return import_responses(data, data_dir(), replace=replace, area=area)
