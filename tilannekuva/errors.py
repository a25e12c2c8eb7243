"""Errors shared by the loader and the command line, apart from db.py so that catching one does
not import DuckDB (the CLI's start-up stays small; issue #9)."""

from __future__ import annotations

import unicodedata

# A value quoted from a user's file or argument is shown at most this long.
SHOWN_CHARS = 80


def shown(value: object, limit: int | None = SHOWN_CHARS) -> str:
    """``value`` as text that is safe to put in a one-line message: control and format characters
    (a line break, U+2028, an ANSI escape, a zero-width space, a bidi override) written as
    ``\\uXXXX``, and longer than ``limit`` cut with "…". A message quoting a file then stays one
    line, cannot forge another, and shows what an invisible character hides."""
    text = "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch
        for ch in str(value)
    )
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


class DataFileError(Exception):
    """A data file is missing or damaged. ``file`` names it; ``problem`` says what is wrong."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class UsageError(Exception):
    """A bad command-line argument, or an unknown table, wave, region or year: one line, exit 2."""
