"""Errors shared by the loader and the command line, apart from db.py so that catching one does
not import DuckDB (the CLI's start-up stays small; issue #9)."""

from __future__ import annotations


class DataFileError(Exception):
    """A data file is missing or damaged. ``file`` names it; ``problem`` says what is wrong."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class UsageError(Exception):
    """A bad command-line argument, or an unknown table, wave, region or year: one line, exit 2."""
