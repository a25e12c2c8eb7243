"""Importing a response file into the data folder: nothing lost, nothing half-written.

A file is validated first (responses.read_responses); a rejected file changes nothing in the data
folder. An accepted one is written as clean UTF-8 to ``responses/<wave>.csv`` through a temporary
file, fsync, ``os.replace`` and an fsync of the folder, so a crash at any point leaves the old file
or the new one. An existing wave is replaced only when asked, and the previous file is kept in
``archive/`` with a timestamp. Imports are serialised by a lock file; temporary files left by a
crash are swept at the start of the next import. The imported row count is reconciled against the
file's own count of data lines by reading the written wave back through the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tilannekuva.db import RESPONSES_DIR, Database, DataFileError
from tilannekuva.responses import Problem, Report, clean_csv, read_responses

ARCHIVE_DIR = "archive"
LOCK_FILE = ".import.lock"
TEMP_PREFIX = ".tmp-"


@dataclass
class ImportResult:
    report: Report
    problems: list[Problem] = field(default_factory=list)
    path: Path | None = None
    archived: Path | None = None

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.problems

    def all_problems(self) -> list[Problem]:
        return self.report.problems + self.problems


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def import_lock(data_dir: Path) -> Iterator[None]:
    """One import at a time per data folder (an advisory lock held for the whole import)."""
    with (data_dir / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sweep_temporary_files(folder: Path) -> list[Path]:
    """Remove temporary files that an interrupted import left behind."""
    swept = sorted(folder.glob(f"{TEMP_PREFIX}*")) if folder.is_dir() else []
    for path in swept:
        path.unlink(missing_ok=True)
    return swept


def write_atomically(target: Path, body: bytes) -> None:
    """Write ``body`` to ``target`` so that a reader or a crash sees the old file or the new one."""
    temporary = target.with_name(f"{TEMP_PREFIX}{target.name}.{os.getpid()}")
    with temporary.open("wb") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _fsync_dir(target.parent)


def count_stored_rows(data_dir: Path, wave: str) -> int:
    """The wave's rows as the database reads the data folder back; -1 if it cannot be read."""
    try:
        return int(Database(data_dir).run("response_count", wave=wave)["rows"].iloc[0])
    except DataFileError:
        return -1


def validate_file(data: bytes, data_dir: Path) -> Report:
    """Validate against the regions of the data folder (which must itself load)."""
    db = Database(data_dir)
    return read_responses(data, list(db.run("regions", lang="fi")["region_code"]))


def import_responses(
    data: bytes,
    data_dir: Path,
    *,
    replace: bool = False,
    now: dt.datetime | None = None,
    count_rows: Callable[[Path, str], int] = count_stored_rows,
) -> ImportResult:
    """Validate ``data`` and, when it passes, write it as the wave's file in ``data_dir``.
    ``count_rows(data_dir, wave)`` counts the wave's rows as the database reads them back."""
    db = Database(data_dir)
    report = read_responses(data, list(db.run("regions", lang="fi")["region_code"]))
    result = ImportResult(report)
    if not report.ok:
        return result
    wave = report.wave  # letters, digits, '-' and '_' only: safe as a file name
    if wave in set(db.run("regional_waves")["wave_id"]):
        result.problems.append(Problem("wave_is_regional", values={"wave": wave}))
        return result
    folder = data_dir / RESPONSES_DIR
    target = folder / f"{wave}.csv"
    if target.exists() and not replace:  # refused before anything in the folder is touched
        result.problems.append(Problem("wave_exists", values={"wave": wave}))
        return result
    folder.mkdir(exist_ok=True)
    with import_lock(data_dir):
        sweep_temporary_files(folder)
        previous = target.read_bytes() if target.exists() else None
        if previous is not None and not replace:  # another import got there first
            result.problems.append(Problem("wave_exists", values={"wave": wave}))
            return result
        if previous is not None:
            archive = data_dir / ARCHIVE_DIR
            archive.mkdir(exist_ok=True)
            stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
            result.archived = archive / f"{wave}-{stamp}.csv"
            shutil.copyfile(target, result.archived)
            _fsync_dir(archive)
        write_atomically(target, clean_csv(report.rows))
        imported = count_rows(data_dir, wave)
        if imported != report.data_lines:
            # Put back what was there: the import is all or nothing.
            if previous is None:
                target.unlink()
                _fsync_dir(folder)
            else:
                write_atomically(target, previous)
            result.problems.append(
                Problem("count_mismatch", values={"read": report.data_lines, "stored": imported})
            )
            return result
        result.path = target
    return result
