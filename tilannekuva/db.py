"""The one door to the database (Datasette's ``execute``): the only module that imports duckdb.

A :class:`Database` loads the data folder into an in-process DuckDB with explicit column types,
then locks it (no file, network or extension access; configuration frozen). Queries are the named
files in ``queries/``; :meth:`Database.run` refuses an unknown name and a missing or unknown
parameter, and binds every value. No SQL text is ever built from input.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from tilannekuva.config import QUERIES_DIR
from tilannekuva.schema import KINDS, LABEL_KINDS, RESPONSES, TABLE_FILES, Column, TableFile

RESPONSES_DIR = "responses"
EXAMPLES_DIR = "examples"
MACROS_FILE = "_macros.sql"  # shared helpers, created at load; not runnable by name
STAGING_DIR = "staging"  # typed views over the loaded files, created at load before the macros
_PARAM_HEADER = re.compile(r"^--\s*\$([a-z_][a-z0-9_]*)\s*:", re.MULTILINE)
_PARAM_USE = re.compile(r"\$([a-z_][a-z0-9_]*)")
# "-- column share_percent: decimal, %" or "-- column measure: label measure." (kind, then the
# label prefix of a label kind, then after a comma the unit).
_COLUMN_HEADER = re.compile(
    r"^--\s*column\s+([a-z_][a-z0-9_]*)\s*:\s*([a-z]+)(?:\s+([a-z_]+\.))?(?:\s*,\s*(.+?))?\s*$",
    re.MULTILINE,
)


class DataFileError(Exception):
    """A data file is missing or damaged. ``file`` names it; ``problem`` says what is wrong."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class QueryError(Exception):
    """A query was asked for by an unknown name or with missing or unknown parameters."""


@dataclass(frozen=True)
class NamedQuery:
    """A ``queries/*.sql`` file: its parameters and, for a table, the columns it returns."""

    name: str
    sql: str
    parameters: frozenset[str]
    columns: tuple[Column, ...] = ()


def _columns(path: Path, sql: str) -> tuple[Column, ...]:
    columns = []
    for column_id, kind, prefix, unit in _COLUMN_HEADER.findall(sql):
        if kind not in KINDS or bool(prefix) != (kind in LABEL_KINDS):
            raise QueryError(f"{path.name}: column {column_id}: bad kind or label prefix")
        columns.append(Column(column_id, kind, prefix, unit))  # type: ignore[arg-type]
    if len({column.id for column in columns}) != len(columns):
        raise QueryError(f"{path.name}: a column is declared twice")
    return tuple(columns)


def load_queries(queries_dir: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Read every ``queries/*.sql``. The header's ``-- $name:`` lines must list exactly the
    parameters the SQL uses, so the header is a contract that cannot drift; its ``-- column``
    lines (a table's columns, dbt style) are checked against the result by the tests."""
    queries: dict[str, NamedQuery] = {}
    for path in sorted(queries_dir.glob("[!_]*.sql")):
        sql = path.read_text(encoding="utf-8")
        declared = set(_PARAM_HEADER.findall(sql))
        body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
        used = set(_PARAM_USE.findall(body))
        if declared != used:
            raise QueryError(
                f"{path.name}: header declares {sorted(declared)} but the SQL uses {sorted(used)}"
            )
        queries[path.stem] = NamedQuery(path.stem, sql, frozenset(declared), _columns(path, sql))
    return queries


def setup_sql(queries_dir: Path = QUERIES_DIR) -> str:
    """What the database creates once after loading the files: the staging views
    (``queries/staging/*.sql``), then the shared macros (``queries/_macros.sql``)."""
    staging = sorted((queries_dir / STAGING_DIR).glob("*.sql"))
    parts = [path.read_text(encoding="utf-8") for path in staging]
    parts.append((queries_dir / MACROS_FILE).read_text(encoding="utf-8"))
    return "\n".join(parts)


def response_files(data_dir: Path) -> list[tuple[Path, bool]]:
    """The response-level wave files: (path, fictional). Imported waves live in responses/, the
    clearly fictional example waves in examples/."""
    return [
        (path, folder == EXAMPLES_DIR)
        for folder in (RESPONSES_DIR, EXAMPLES_DIR)
        for path in sorted((data_dir / folder).glob("*.csv"))
    ]


@functools.lru_cache(maxsize=256)
def _content_digest(path: str, modified_ns: int, size: int) -> bytes:
    # The file's stat is part of the key only so that an unchanged file is not read again on
    # every page run (the store asks for the fingerprint several times a run); what the
    # fingerprint holds is still the content's hash.
    return hashlib.sha256(Path(path).read_bytes()).digest()


def fingerprint(data_dir: Path) -> str:
    """A hash of the data files' names and contents: the cache key that makes a changed file
    visible on the next run (issue #2: key on content, not on a timer)."""
    digest = hashlib.sha256()
    paths = [data_dir / table.file for table in TABLE_FILES]
    paths += [path for path, _ in response_files(data_dir)]
    for path in paths:
        digest.update(str(path.relative_to(data_dir)).encode() + b"\0")
        if path.is_file():
            stat = path.stat()
            digest.update(_content_digest(str(path), stat.st_mtime_ns, stat.st_size))
        else:
            digest.update(b"\0missing")
    return digest.hexdigest()


def _check_header(path: Path, table: TableFile, name: str) -> None:
    """Name the problem in a file before DuckDB sees it, so the start page can say it plainly."""
    if not path.is_file():
        raise DataFileError(name, "missing")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        raise DataFileError(name, "not UTF-8 text") from None
    if header is None:
        raise DataFileError(name, "empty file")
    expected = list(table.column_names)
    if header != expected:
        raise DataFileError(name, f"header is {','.join(header)}; expected {','.join(expected)}")


def _read_csv(table: TableFile) -> str:
    # Identifiers and types come from schema (code), never from input; the path is bound.
    columns = ", ".join(f"'{name}': '{type_}'" for name, type_ in table.columns)
    return (
        f"read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', strict_mode = true, null_padding = false, encoding = 'utf-8', "
        f"columns = {{{columns}}})"
    )


class Database:
    """The data folder loaded into a locked, in-memory DuckDB."""

    def __init__(self, data_dir: Path, queries_dir: Path = QUERIES_DIR) -> None:
        self.data_dir = data_dir
        self.queries = load_queries(queries_dir)
        self._connection = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        for table in TABLE_FILES:
            self._load(
                f"create table {table.table} as select * from {_read_csv(table)}",
                data_dir / table.file,
                table,
                table.file,
            )
        columns = ", ".join(f"{name} {type_}" for name, type_ in RESPONSES.columns)
        self._connection.execute(f"create table responses ({columns}, fictional boolean)")
        for path, fictional in response_files(data_dir):
            self._load(
                f"insert into responses select *, $fictional from {_read_csv(RESPONSES)}",
                path,
                RESPONSES,
                str(path.relative_to(data_dir)),
                fictional=fictional,
            )
        self._connection.execute(setup_sql(queries_dir))
        self._lock_down()
        self._check_integrity()

    def _load(
        self, statement: str, path: Path, table: TableFile, name: str, **params: object
    ) -> None:
        _check_header(path, table, name)
        try:
            self._connection.execute(statement, {"path": str(path), **params})
        except duckdb.Error as error:
            raise DataFileError(name, str(error).splitlines()[0]) from None

    def _lock_down(self) -> None:
        # The order matters: once lock_configuration is on, nothing can be loosened again.
        self._connection.execute("set allowed_directories = []")
        self._connection.execute("set enable_external_access = false")
        self._connection.execute("set lock_configuration = true")

    def _check_integrity(self) -> None:
        for row in self.run("integrity_problems").itertuples(index=False):
            raise DataFileError(row.file, row.problem)

    def run(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query with bound parameters; the result is materialised at once."""
        query = self.queries.get(name)
        if query is None:
            raise QueryError(f"unknown query: {name}")
        missing = query.parameters - params.keys()
        unknown = params.keys() - query.parameters
        if missing or unknown:
            raise QueryError(
                f"{name}: missing parameters {sorted(missing)}, "
                f"unknown parameters {sorted(unknown)}"
            )
        return self._fetch(query.sql, params)

    def _fetch(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        # A cursor per query: DuckDB refuses concurrent use of one connection. Creating cursors
        # is serialised; each cursor then runs on its own.
        with self._lock:
            cursor = self._connection.cursor()
        try:
            return cursor.execute(sql, dict(params)).df()
        finally:
            cursor.close()
