"""Where a checked load of the response files is kept for the next process (issue #22: cost must
not grow with history).

Reading and checking every response file, and the staging tables made of them, are the part of
a load that grows with the number of waves stored: 0.6 s of a 0.9 s load with 2,000 waves. Each
command, each server process and each restart paid it again, although the files had not
changed. ``db.Database`` keeps what that part produced (the responses, answers and
response_files tables, the staging tables, and the waves left out with their problems) in one
DuckDB file here, named by a key of everything the result depends on: the data folder's
fingerprint (every data file's name and content), the code and shipped files that read and check
it, and the DuckDB and Python versions. A changed file is a new key, so a stale entry is never read;
an entry that does not read is ignored and the files are read as before.

The folder is ``$TILANNEKUVA_LOAD_CACHE`` (``off`` keeps nothing), else ``tilannekuva`` under
``$XDG_CACHE_HOME`` or ``~/.cache``. An entry is trusted as the checked files it stands for, so it
is read only from a folder and file of this process's user that nobody else can write (made 0700);
a folder that cannot be made or written is no error, the load just is not kept. This module
decides names and places only: db.py alone reads and writes the entries (only it imports duckdb).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import secrets
import stat
import time
from pathlib import Path

from tilannekuva.config import PROJECT_DIR

LOG = logging.getLogger(__name__)

LOAD_CACHE_ENV = "TILANNEKUVA_LOAD_CACHE"
OFF = "off"
SUFFIX = ".duckdb"
# The names this module gives an entry and its temporary file (and DuckDB's log of it): prune
# removes nothing else.
_ENTRY = re.compile(r"[0-9a-f]{64}" + re.escape(SUFFIX))
_TEMPORARY = re.compile(
    r"\.[0-9a-f]{64}" + re.escape(SUFFIX) + r"\.[0-9]+\.[0-9a-f]{16}\.tmp(\.wal)?"
)
# Entries kept per folder, the most recently used: a data folder changes by one import at a
# time, and a few folders (the shipped one, a test copy) may share a cache.
KEEP = 8

# What a load's result depends on besides the data folder: the code that reads and checks the
# files, the shipped register and questionnaires it checks them against (the staging SQL that
# makes tables of them is part of the name db.py gives, from the queries folder it reads).
_CODE = (
    ("tilannekuva", "**/*.py"),
    ("data/register", "*.csv"),
    ("data/questionnaires", "**/*"),
)


def cache_dir() -> Path | None:
    """The folder entries are kept in; None when ``$TILANNEKUVA_LOAD_CACHE`` is ``off``."""
    configured = os.environ.get(LOAD_CACHE_ENV, "").strip()
    if configured.lower() == OFF:
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "tilannekuva"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code and shipped files a load's result depends on, once per process."""
    digest = hashlib.sha256()
    for folder, pattern in _CODE:
        for path in sorted((PROJECT_DIR / folder).glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def entry_name(*parts: str) -> str:
    """The file name of the entry for a load whose result depends on ``parts``."""
    return hashlib.sha256("\0".join((code_version(), *parts)).encode()).hexdigest() + SUFFIX


def _private(path: Path) -> bool:
    """Whether ``path`` belongs to this process's user and nobody else may write it."""
    try:
        status = path.lstat()
    except OSError:
        return False
    owner = getattr(os, "geteuid", None)
    if owner is not None and status.st_uid != owner():
        return False
    if stat.S_ISLNK(status.st_mode):
        return False
    return not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def readable_entry(folder: Path, name: str) -> Path | None:
    """The entry ``name`` when it exists in ``folder`` and both are private to this user."""
    path = folder / name
    if _private(folder) and path.is_file() and _private(path):
        return path
    return None


def writable_folder(folder: Path) -> Path | None:
    """``folder``, made 0700 when missing; None (and a line in the log) when it cannot be made
    or is not private to this user."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        LOG.warning("the load is not kept for the next process: %s", error.strerror or error)
        return None
    if not _private(folder):
        LOG.warning(
            "the load is not kept: %s is not a folder of this user that only it may write "
            "(a symbolic link, another owner, or group or other write permission)",
            folder,
        )
        return None
    return folder


def used(path: Path) -> None:
    """Mark an entry as used now, so that pruning keeps it."""
    with contextlib.suppress(OSError):
        os.utime(path)


def temporary_name(name: str) -> str:
    """Where an entry is written before it is renamed to ``name``: no reader sees it half done.
    Unique per process and call (two threads of a server may keep the same load at once)."""
    return f".{name}.{os.getpid()}.{secrets.token_hex(8)}.tmp"


def prune(folder: Path, keep: int = KEEP) -> None:
    """Remove all but the ``keep`` most recently used entries, and the temporary files of a
    process killed while writing one (older than an hour). Only files named as this module names
    them: the folder may be one the operator shares with other files."""
    try:
        entries, stale = [], []
        hour_ago = time.time() - 3600
        for path in folder.iterdir():
            if _ENTRY.fullmatch(path.name):
                entries.append((path.lstat().st_mtime, path))
            elif _TEMPORARY.fullmatch(path.name) and path.lstat().st_mtime < hour_ago:
                stale.append(path)
        entries.sort(reverse=True)
        for path in [path for _, path in entries[keep:]] + stale:
            path.unlink(missing_ok=True)
    except OSError:
        pass
