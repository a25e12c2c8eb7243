"""The one door to the database (Datasette's ``execute``): the only module that imports duckdb.

A :class:`Database` loads the data folder into an in-process DuckDB with explicit column types,
then locks it (no file, network or extension access; configuration frozen). Queries are the named
files in ``queries/``; :meth:`Database.run` refuses an unknown name and a missing or unknown
parameter, and binds every value. No SQL text is ever built from input.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import logging
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from tilannekuva import load_cache
from tilannekuva.area_check import WaveArea, outside, resolve
from tilannekuva.config import QUERIES_DIR
from tilannekuva.datafiles import (
    EXAMPLES_DIR,
    DeclaredWave,
    NamedArea,
    check_header,
    named_areas,
    response_names,
)
from tilannekuva.errors import DataFileError, shown
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.questionnaire import (
    YES_NO_IDS,
    Question,
    Questionnaire,
    shipped_questionnaires,
)
from tilannekuva.register import (
    CHANGE_COLUMNS,
    MUNICIPALITY_COLUMNS,
    REGION_COLUMNS,
    REGISTER_DIR,
    Register,
    load_register,
)
from tilannekuva.register_check import classification_year, real_register
from tilannekuva.responses import WAVE_PATTERN, Problem
from tilannekuva.schema import (
    KINDS,
    LABEL_KINDS,
    RESPONSE_COLUMNS,
    RESPONSES,
    TABLE_FILES,
    Column,
    TableFile,
)

if TYPE_CHECKING:  # pandas is DuckDB's to import when a result is fetched; the CLI's import
    import pandas as pd  # path never fetches a frame and so never pays for pandas (issue #9)

LOG = logging.getLogger(__name__)

MACROS_FILE = "_macros.sql"  # shared helpers, created at load; not runnable by name
# Tables derived from the loaded files, created at load before the macros, in the order of their
# file names: a table's number prefix (1_, 2_, ...) is higher than that of every table it reads.
STAGING_DIR = "staging"
_PARAM_HEADER = re.compile(r"^--\s*\$([a-z_][a-z0-9_]*)\s*:", re.MULTILINE)
_PARAM_USE = re.compile(r"\$([a-z_][a-z0-9_]*)")
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# "-- column n: count, responses", "-- column measure: label measure." or "-- column share:
# share, of n/responses" (kind, then the label prefix of a label kind, then after a comma the
# unit, or a share's numerator and denominator).
_COLUMN_HEADER = re.compile(
    r"^--\s*column\s+([a-z_][a-z0-9_]*)\s*:\s*([a-z]+)(?:\s+([a-z_]+\.))?(?:\s*,\s*(.+?))?\s*$",
    re.MULTILINE,
)

_SHARE_OF = re.compile(r"of\s+([a-z_][a-z0-9_]*)\s*/\s*([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class UnavailableWave:
    """A response file that could not be loaded: the other waves are served without it (issue
    #10). ``wave`` is the file's name without .csv; ``problem`` is for the log and the CLI's
    check only: it may quote the file, so visitors never see it."""

    wave: str
    file: str
    problem: str


# The municipality register (issue #7) as three tables, each holding the real register's rows
# (fictional = false) and the example rounds' own fictional register (data/examples/register/,
# fictional = true) apart by that column: a query joins a wave to the rows of its own kind only.
EXAMPLE_REGISTER_DIR = f"{EXAMPLES_DIR}/register"
REGISTER_TABLES = (
    TableFile(
        "register_municipalities",
        "municipalities.csv",
        tuple((name, type_.lower()) for name, type_ in MUNICIPALITY_COLUMNS.items()),
    ),
    TableFile(
        "register_regions",
        "regions.csv",
        tuple((name, type_.lower()) for name, type_ in REGION_COLUMNS.items()),
    ),
    TableFile(
        "register_changes",
        "changes.csv",
        tuple((name, type_.lower()) for name, type_ in CHANGE_COLUMNS.items()),
    ),
)


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
        # A share names its n and N ("share, of n/responses") and nothing else; no other kind
        # names them.
        of: tuple[str, ...] = ()
        if kind == "share":
            found = _SHARE_OF.fullmatch(unit.strip())
            if found is None:
                raise QueryError(f"{path.name}: column {column_id}: write 'share, of n/total'")
            of, unit = found.groups(), ""
        elif _SHARE_OF.match(unit.strip()):
            raise QueryError(f"{path.name}: column {column_id}: only a share names 'of n/total'")
        columns.append(Column(column_id, kind, prefix, unit, of))  # type: ignore[arg-type]
    if len({column.id for column in columns}) != len(columns):
        raise QueryError(f"{path.name}: a column is declared twice")
    declared = {column.id for column in columns}
    for column in columns:
        if set(column.of) - declared:
            raise QueryError(f"{path.name}: column {column.id}: 'of' names an undeclared column")
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


@dataclass(frozen=True)
class StagingFile:
    """One file of ``queries/staging/``: the table or view it creates, and its SQL."""

    name: str
    kind: str  # "table" or "view"
    sql: str


_STAGED = re.compile(r"^create (table|view) ([a-z_][a-z0-9_]*) as\b", re.MULTILINE)


def staging_files(queries_dir: Path = QUERIES_DIR) -> tuple[StagingFile, ...]:
    """What the database creates once after loading the files, before the shared macros
    (``queries/_macros.sql``): the staging tables (``queries/staging/*.sql``, in the order of
    their number prefixes: what every query reads, derived once per load rather than at every
    query, as views were: a view of the waves' areas was recomputed several times per table; two
    of them, per wave and asked about one wave at a time, stay views: issue #22). Each file
    creates one table or view."""
    files = []
    for path in sorted((queries_dir / STAGING_DIR).glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        created = _STAGED.findall(sql)
        if len(created) != 1:
            raise QueryError(f"{path.name}: a staging file creates one table or view")
        kind, name = created[0]
        files.append(StagingFile(name, kind, sql))
    return tuple(files)


@functools.lru_cache(maxsize=8192)
def _content_digest(path: str, modified_ns: int, size: int) -> bytes:
    # The file's stat is part of the key only so that an unchanged file is not read again on
    # every page run (the store asks for the fingerprint several times a run); what the
    # fingerprint holds is still the content's hash. Room for every file of a folder of
    # thousands of waves (issue #22): with 256 places, a fingerprint of 2,000 files read all
    # of them again after any change, not just the changed one.
    return hashlib.sha256(Path(path).read_bytes()).digest()


# The example register's names in English (issue #21: "Tarula (esimerkki)" on the English page):
# the Finnish name as the register writes it, and its English. Only the fictional register has
# them; a real municipality's name is the same in English as in Finnish (register_name).
EXAMPLE_NAMES_EN = TableFile(
    "register_names_en", "names_en.csv", (("name_fi", "varchar"), ("name_en", "varchar"))
)


def fingerprint(data_dir: Path) -> str:
    """A hash of the data files' names and contents: the cache key that makes a changed file
    visible on the next run (issue #2: key on content, not on a timer)."""
    digest = hashlib.sha256()
    names = [table.file for table in TABLE_FILES]
    names += [name for name, _ in response_names(data_dir)]
    names += [
        f"{EXAMPLE_REGISTER_DIR}/{table.file}" for table in (*REGISTER_TABLES, EXAMPLE_NAMES_EN)
    ]
    base = str(data_dir)
    for name in names:
        digest.update(name.encode() + b"\0")
        path = os.path.join(base, name)
        try:
            status = os.stat(path)
        except OSError:
            status = None
        if status is not None and stat.S_ISREG(status.st_mode):
            digest.update(_content_digest(path, status.st_mtime_ns, status.st_size))
        else:
            digest.update(b"\0missing")
    return digest.hexdigest()


# How many answers of run() a database keeps, room for the tables of many views; the oldest is
# dropped first.
KEPT_ANSWERS = 256


def _frozen(value: Any) -> Any:
    """A parameter value as a key: lists (the regions) as tuples."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def _read_csv(table: TableFile) -> str:
    # Identifiers and types come from schema (code), never from input; the path is bound.
    columns = ", ".join(f"'{name}': '{type_}'" for name, type_ in table.columns)
    return (
        f"read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', strict_mode = true, null_padding = false, encoding = 'utf-8', "
        f"columns = {{{columns}}})"
    )


def _typed_connection() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    # DuckDB keeps its temp directory (".tmp" in the working directory) reachable even after
    # enable_external_access is off: COPY TO, ATTACH and read_csv could use it (issue #10). No
    # spilling here: the data is small and lives in memory.
    connection.execute("set temp_directory = ''")
    return connection


def _lock_down(connection: duckdb.DuckDBPyConnection) -> None:
    # The order matters: once lock_configuration is on, nothing can be loosened again.
    connection.execute("set allowed_directories = []")
    connection.execute("set enable_external_access = false")
    connection.execute("set lock_configuration = true")


def _load_table(
    connection: duckdb.DuckDBPyConnection, statement: str, path: Path, table: TableFile, name: str
) -> None:
    check_header(path, table, name)
    try:
        connection.execute(statement, {"path": str(path)})
    except duckdb.Error as error:
        raise DataFileError(name, str(error).splitlines()[0]) from None


def response_table(
    path: Path, name: str, questionnaires: Mapping[str, Questionnaire], declared: str = ""
) -> tuple[TableFile, Questionnaire]:
    """How to read a response file typed (issue #16): the columns of the questionnaire waves.csv
    names for its wave (``declared``), else of the questionnaire whose columns its header has.
    DataFileError naming the file when it has neither."""
    if declared and declared not in questionnaires:
        raise DataFileError(name, f"waves.csv names an unknown questionnaire {declared}")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataFileError(name, str(error)) from None
    if not header:
        raise DataFileError(name, "empty file")
    candidates = [questionnaires[declared]] if declared else list(questionnaires.values())
    for questionnaire in candidates:
        if header == list(questionnaire.file_columns):
            return TableFile("responses", name, questionnaire.column_types()), questionnaire
    raise DataFileError(name, header_mismatch(header, candidates, declared=bool(declared)))


def header_mismatch(
    header: Sequence[str], candidates: Sequence[Questionnaire], *, declared: bool
) -> str:
    """What is wrong with a response file's header, against the closest of ``candidates``: the
    columns missing and the unknown ones (a few of each), or the order. One short line."""

    def listed(names: list[str]) -> str:
        return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")

    def distance(questionnaire: Questionnaire) -> int:
        return len(set(header) ^ set(questionnaire.file_columns))

    closest = min(candidates, key=distance)
    expected = list(closest.file_columns)
    whose = (
        f"questionnaire {closest.id}, which waves.csv names for the wave"
        if declared
        else f"any questionnaire (closest: {closest.id})"
    )
    missing = [column for column in expected if column not in header]
    unknown = [column for column in header if column not in expected]
    if not missing and not unknown:
        return f"the columns are those of {whose} in another order or repeated"
    found = [f"missing {listed(missing)}"] if missing else []
    found += [f"unknown {listed(unknown)}"] if unknown else []
    return f"the header is not that of {whose}: {'; '.join(found)}"


def _choice_texts(question: Question) -> list[tuple[str, list[str]]]:
    """(choice id, its texts in fi, sv, en) of a question: its own choices, or for a yes/no
    question 'true' and 'false' in the words the app uses for them."""
    if question.type == "yes_no":
        return [(value, [t(lang, f"bool.{value}") for lang in LANGUAGES]) for value in YES_NO_IDS]
    return [(c.id, [c.text[lang] for lang in LANGUAGES]) for c in question.choices]


def _identifier(name: str) -> str:
    """A column name for SQL text, checked: the columns of a response file come from the shipped
    questionnaires, whose loader allows only plain lower-case names."""
    if not _PLAIN_NAME.fullmatch(name):
        raise QueryError(f"not a plain column name: {name!r}")
    return f'"{name}"'


def count_wave_rows(path: Path, wave: str) -> int | None:
    """The rows of one response file as the database reads it (typed, as the app loads it), all
    of them of ``wave``; None when the file cannot be read so or holds another wave's rows."""
    connection = _typed_connection()
    try:
        table, _ = response_table(path, path.name, shipped_questionnaires())
        statement = f"select count(*), count(*) filter (where wave = $wave) from {_read_csv(table)}"
        rows, of_wave = connection.execute(statement, {"path": str(path), "wave": wave}).fetchone()
    except DataFileError:
        return None
    except duckdb.Error:
        return None
    finally:
        connection.close()
    return int(rows) if rows == of_wave else None


# Response files are read together (issue #22): DuckDB's CSV reader costs a few milliseconds a
# file, even for a list of files in one statement, which with 2,000 waves stored was most of the
# 20 s every command took. The files of one questionnaire are joined into one CSV in memory, each
# file's rows after a mark row of its own (this text and the file's index in the first column,
# every other cell empty), and read in one statement of up to this many bytes.
_FILE_MARK = "#tilannekuva-file:"
_BATCH_BYTES = 32 * 2**20
# The tables _load_responses fills: what a load keeps for the next process (load_cache).
_KEPT_TABLES = ("responses", "answers", "response_files")

_TAKEN = "wave {wave} is already published or loaded from another file"


class _MarksMissingError(Exception):
    """Files read together did not come back each after its own mark."""


@dataclass(frozen=True)
class _ResponseFile:
    """A response file as the loader sees it: its place among response_names, its path and
    name (relative to the data folder), its kind, and what waves.csv says of its wave."""

    index: int
    path: Path
    name: str
    fictional: bool
    declared: DeclaredWave
    wave: str  # the file name without .csv


def _body(path: Path) -> tuple[bytes, bytes] | None:
    """A response file's rows without its header line, ending with a line end, and the header's
    line end (DuckDB reads a file's lines as its header's end: files of each kind are read
    together); None when the file is not read so simply (no line end after the header, or a lone
    carriage return in it): such a file is read on its own."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    end = data.find(b"\n")
    header = data[:end].removesuffix(b"\r")
    if end < 0 or b"\r" in header:
        return None
    newline = b"\r\n" if data[:end].endswith(b"\r") else b"\n"
    body = data[end + 1 :]
    return (body if not body or body.endswith(b"\n") else body + newline), newline


def _chunks(
    files: list[tuple[_ResponseFile, bytes]], limit: int
) -> Iterator[list[tuple[_ResponseFile, bytes]]]:
    """``files`` in runs of at most ``limit`` bytes (a larger file is a run of its own)."""
    chunk: list[tuple[_ResponseFile, bytes]] = []
    size = 0
    for file, body in files:
        if chunk and size + len(body) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append((file, body))
        size += len(body)
    if chunk:
        yield chunk


@contextlib.contextmanager
def _readable(content: bytes) -> Iterator[str]:
    """A path DuckDB reads ``content`` from: a file in memory (Linux memfd), else a temporary
    file, removed afterwards. Nothing is written into the data folder."""
    if hasattr(os, "memfd_create"):
        descriptor = os.memfd_create("tilannekuva-responses", os.MFD_CLOEXEC)
        try:
            with os.fdopen(descriptor, "wb", closefd=False) as handle:
                handle.write(content)
            yield f"/proc/self/fd/{descriptor}"
        finally:
            os.close(descriptor)
        return
    with tempfile.NamedTemporaryFile(prefix="tilannekuva-", suffix=".csv") as handle:
        handle.write(content)
        handle.flush()
        yield handle.name


class Database:
    """The data folder loaded into a locked, in-memory DuckDB. A response file that does not load
    is left out and listed in :attr:`unavailable` (and the server log); every other wave is
    served. A damaged shared file (regions, waves, ...) is a :class:`DataFileError`."""

    def __init__(self, data_dir: Path, queries_dir: Path = QUERIES_DIR) -> None:
        self.data_dir = data_dir
        self.queries = load_queries(queries_dir)
        staging = staging_files(queries_dir)
        # The kept load (load_cache) is named by the files as they are before any is read: a
        # file changed during the load is then seen by the fingerprint taken after it.
        folder = load_cache.cache_dir()
        version = entry_name = ""
        if folder is not None:
            version = fingerprint(data_dir)
            sql = (f"{file.name}\0{file.sql}" for file in staging)
            entry_name = load_cache.entry_name(version, duckdb.__version__, sys.version, *sql)
        self._connection = _typed_connection()
        self._lock = threading.Lock()
        # The answers of run(): the database cannot change once it is locked, so a query asked
        # again with the same parameters has the same answer. Publishing the open data asked 63
        # of its 264 queries again, and the tests a third of theirs (issue #20 item 7).
        self._answers: dict[tuple[str, Any], pd.DataFrame] = {}
        for table in TABLE_FILES:
            _load_table(
                self._connection,
                f"create table {table.table} as select * from {_read_csv(table)}",
                data_dir / table.file,
                table,
                table.file,
            )
        self._registers: dict[bool, Register] = {}
        self._areas: dict[tuple[str, bool, int | None], WaveArea | Problem] = {}
        self._load_register()
        columns = ", ".join(f"{name} {type_}" for name, type_ in RESPONSES.columns)
        self._connection.execute(f"create table responses ({columns}, fictional boolean)")
        # Which file each loaded wave came from, and of which questionnaire (the waves view).
        self._connection.execute(
            "create table response_files (wave_id varchar, file varchar, fictional boolean, "
            "questionnaire_id varchar)"
        )
        # The answers to the questions that are not core measures, one row per answer and
        # question (issue #16): a choice id, ids joined by ";", 'true'/'false' or a year; asked
        # is false where the question's applies_when did not hold (a blank there is no answer
        # left out: the question was not asked).
        self._connection.execute(
            "create table answers (wave varchar, respondent_type varchar, "
            "municipality_code varchar, question_id varchar, value varchar, "
            "asked boolean default true)"
        )
        self.questionnaires = shipped_questionnaires()
        self._load_questionnaires()
        staged_tables = [file.name for file in staging if file.kind == "table"]
        # What grows with the waves stored (issue #22): the response files read and checked and
        # the staging tables made of them, or what an earlier process kept of the same (load_cache).
        entry = None if folder is None else load_cache.readable_entry(folder, entry_name)
        restored = None if entry is None else self._restore(entry, entry_name, staged_tables)
        if restored is None:
            self.unavailable = (*self._load_responses(), *self._regional_outside_area())
        else:
            load_cache.used(entry)
            self.unavailable = restored
            for wave in restored:
                LOG.error("wave %s is unavailable: %s: %s", wave.wave, wave.file, wave.problem)
        # The waves left out are not offered at all (2_waves.sql), so no page or export shows a
        # wave that waves.csv lists but whose answers did not load as empty figures.
        self._connection.execute("create table unavailable_waves (wave_id varchar)")
        self._insert_rows("unavailable_waves", [[left_out.wave] for left_out in self.unavailable])
        for file in staging:
            if restored is None or file.kind == "view":
                self._connection.execute(file.sql)
        self._connection.execute((queries_dir / MACROS_FILE).read_text(encoding="utf-8"))
        self._check_integrity()
        # Kept only when whole and sound (the integrity check passed) and when no file changed
        # while it was read; before the lock-down, which closes every file.
        if (
            restored is None
            and folder is not None
            and fingerprint(data_dir) == version
            and load_cache.writable_folder(folder)
        ):
            self._keep(folder, entry_name, self.unavailable, staged_tables)
        _lock_down(self._connection)

    def _load_register(self) -> None:
        """The real register, and the examples' fictional one where the data folder has it; each
        folder is checked by register.load_register first (line and column of a damaged file)."""
        folders = [(REGISTER_DIR, False)]
        example = self.data_dir / EXAMPLE_REGISTER_DIR
        if example.is_dir():
            folders.append((example, True))
        for table in REGISTER_TABLES:
            columns = ", ".join(f"{name} {type_}" for name, type_ in table.columns)
            self._connection.execute(f"create table {table.table} ({columns}, fictional boolean)")
        for folder, fictional in folders:
            try:
                # The shipped register is checked once per process; the example's each load.
                self._registers[fictional] = load_register(folder) if fictional else real_register()
            except DataFileError as error:
                where = f"{EXAMPLE_REGISTER_DIR}/" if fictional else "register/"
                raise DataFileError(where + error.file, error.problem) from None
            for table in REGISTER_TABLES:
                self._connection.execute(
                    f"insert into {table.table} select *, $fictional from {_read_csv(table)}",
                    {"path": str(folder / table.file), "fictional": fictional},
                )
        # Named apart from the register's columns (finnish, english): register_name looks a name
        # up here, and a bare name_fi in its caller must not be read as this table's column.
        names = EXAMPLE_NAMES_EN
        self._connection.execute(f"create table {names.table} (finnish varchar, english varchar)")
        if (example / names.file).is_file():
            _load_table(
                self._connection,
                f"insert into {names.table} select name_fi, name_en from {_read_csv(names)}",
                example / names.file,
                names,
                f"{EXAMPLE_REGISTER_DIR}/{names.file}",
            )

    def _load_questionnaires(self) -> None:
        """The shipped questionnaires as four tables: their titles, their questions (texts and
        short labels in fi/sv/en, type, order), the questions' choices, and which earlier
        questionnaire's question of the same id each question means the same as."""
        execute = self._connection.execute
        execute(
            "create table questionnaires (questionnaire_id varchar, status varchar, "
            "title_fi varchar, title_sv varchar, title_en varchar)"
        )
        execute(
            "create table questions (questionnaire_id varchar, question_id varchar, "
            "position integer, type varchar, core boolean, text_fi varchar, text_sv varchar, "
            "text_en varchar, label_fi varchar, label_sv varchar, label_en varchar)"
        )
        execute(
            "create table question_choices (questionnaire_id varchar, question_id varchar, "
            "choice_id varchar, position integer, text_fi varchar, text_sv varchar, "
            "text_en varchar)"
        )
        execute(
            "create table question_links (questionnaire_id varchar, question_id varchar, "
            "same_as varchar)"
        )
        rows: dict[str, list[list[Any]]] = {
            "questionnaires": [],
            "questions": [],
            "question_choices": [],
            "question_links": [],
        }
        for q in self.questionnaires.values():
            rows["questionnaires"].append(
                [q.id, q.status, q.title["fi"], q.title["sv"], q.title["en"]]
            )
            for position, question in enumerate(q.questions, start=1):
                if not question.stored:
                    continue
                texts = [question.text[lang] for lang in ("fi", "sv", "en")]
                labels = [question.label[lang] for lang in ("fi", "sv", "en")]
                rows["questions"].append(
                    [q.id, question.id, position, question.type, question.core, *texts, *labels]
                )
                for number, (choice_id, texts) in enumerate(_choice_texts(question), start=1):
                    rows["question_choices"].append([q.id, question.id, choice_id, number, *texts])
                for other in question.same_as:
                    rows["question_links"].append([q.id, question.id, other])
        for table, table_rows in rows.items():
            self._insert_rows(table, table_rows)

    def _insert_rows(self, table: str, rows: list[list[Any]]) -> None:
        """``rows`` into ``table`` (a name from this module) in one statement: each column as one
        bound list, unnested side by side (a statement per row made the load 0.15 s slower)."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        unnested = ", ".join(f"unnest(${index})" for index in range(1, len(columns) + 1))
        self._connection.execute(
            f"insert into {_identifier(table)} select {unnested}", [list(c) for c in columns]
        )

    def _restore(
        self, entry: Path, name: str, staged_tables: Sequence[str]
    ) -> tuple[UnavailableWave, ...] | None:
        """The loaded tables and the staging tables copied in from ``entry``, and its waves left
        out; None, and nothing copied, when the entry does not read (damaged, of another shape,
        or kept under another ``name``: a file copied or renamed by hand)."""
        execute = self._connection.execute
        try:
            execute("attach $path as kept (read_only)", {"path": str(entry)})
        except duckdb.Error as error:
            LOG.warning("a kept load was not read: %s", str(error).splitlines()[0])
            return None
        try:
            execute("begin transaction")
            (kept_as,) = execute("select name from kept.entry").fetchone() or ("",)
            if kept_as != name:
                raise duckdb.InvalidInputException(f"kept as {kept_as}, read as {name}")
            for table in _KEPT_TABLES:
                execute(f"insert into {table} select * from kept.{table}")
            for table in staged_tables:
                execute(f"create table {table} as select * from kept.{table}")
            rows = execute(
                "select wave, file, problem from kept.unavailable_files order by position"
            ).fetchall()
            execute("commit")
        except duckdb.Error as error:
            execute("rollback")
            LOG.warning("a kept load was not read: %s", str(error).splitlines()[0])
            return None
        finally:
            execute("detach kept")
        return tuple(UnavailableWave(wave, file, problem) for wave, file, problem in rows)

    def _keep(
        self,
        folder: Path,
        name: str,
        unavailable: Sequence[UnavailableWave],
        staged_tables: Sequence[str],
    ) -> None:
        """The loaded tables, the staging tables and ``unavailable`` written to
        ``folder``/``name`` for the next process: into a temporary file renamed over it when
        whole, so that no reader finds a half-written entry. A failure is logged, never raised:
        the load itself succeeded."""
        temporary = folder / load_cache.temporary_name(name)
        execute = self._connection.execute
        try:
            execute("attach $path as kept", {"path": str(temporary)})
            try:
                execute("create table kept.entry as select $name as name", {"name": name})
                for table in (*_KEPT_TABLES, *staged_tables):
                    execute(f"create table kept.{table} as select * from {table}")
                execute(
                    "create table kept.unavailable_files (position integer, wave varchar, "
                    "file varchar, problem varchar)"
                )
                if unavailable:
                    execute(
                        "insert into kept.unavailable_files select unnest($positions), "
                        "unnest($waves), unnest($files), unnest($problems)",
                        {
                            "positions": list(range(len(unavailable))),
                            "waves": [wave.wave for wave in unavailable],
                            "files": [wave.file for wave in unavailable],
                            "problems": [wave.problem for wave in unavailable],
                        },
                    )
            finally:
                execute("detach kept")
            os.replace(temporary, folder / name)
        except (duckdb.Error, OSError) as error:
            LOG.warning("the load is not kept for the next process: %s", error)
            for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
                leftover.unlink(missing_ok=True)
            return
        load_cache.prune(folder)

    def _load_responses(self) -> tuple[UnavailableWave, ...]:
        """Every response file's rows into responses and answers, or the file into the list of
        unavailable waves with what is wrong. Decided in the order of response_names: a wave id
        is taken by a regional table or by an earlier file that loaded. The files of one
        questionnaire are read and checked together (issue #22: a statement per file made a
        command take 20 s with 2,000 waves stored), each rule over all of them at once."""
        regional = {
            wave
            for (wave,) in self._connection.execute(
                "select distinct wave_id from published_region_status"
            ).fetchall()
        }
        problems: dict[int, str] = {}
        groups: dict[str, tuple[TableFile, Questionnaire, list[_ResponseFile]]] = {}
        unknown = DeclaredWave(None, "", "")
        files = []
        for index, (name, fictional) in enumerate(response_names(self.data_dir)):
            wave = name[name.index("/") + 1 : -len(".csv")]
            declared = self._declared.get(wave, unknown)
            path = self.data_dir / name
            files.append(_ResponseFile(index, path, name, fictional, declared, wave))
        for file in files:
            if not WAVE_PATTERN.fullmatch(file.wave):
                problems[file.index] = "the file name is not a wave id"
                continue
            if file.wave in regional:
                problems[file.index] = _TAKEN.format(wave=file.wave)
                continue
            try:
                table, questionnaire = response_table(
                    file.path, file.name, self.questionnaires, file.declared.questionnaire
                )
            except DataFileError as error:
                problems[file.index] = error.problem
                continue
            groups.setdefault(questionnaire.id, (table, questionnaire, []))[2].append(file)
        staged = {}
        of_questionnaire = {}
        for number, (table, questionnaire, members) in enumerate(groups.values()):
            staged[questionnaire.id] = f"staged_{number}"
            problems |= self._stage(staged[questionnaire.id], table, questionnaire, members)
            of_questionnaire |= {file.index: questionnaire.id for file in members}
        loaded: dict[str, list[_ResponseFile]] = {}
        loaded_waves: set[str] = set()
        unavailable = []
        for file in files:
            if file.wave in loaded_waves:
                problem: str | None = _TAKEN.format(wave=file.wave)
            else:
                problem = problems.get(file.index)
            if problem is None:
                loaded.setdefault(of_questionnaire[file.index], []).append(file)
                loaded_waves.add(file.wave)
            else:
                LOG.error("wave %s is unavailable: %s: %s", file.wave, file.path, problem)
                unavailable.append(UnavailableWave(file.wave, file.name, problem))
        for questionnaire_id, name in staged.items():
            self._insert_staged(name, groups[questionnaire_id][1], loaded.get(questionnaire_id, []))
            self._connection.execute(f"drop table {name}")
        self._connection.execute("drop table if exists batch")
        self._connection.execute("drop table if exists batch_marks")
        self._insert_rows(
            "response_files",
            [[f.wave, f.name, f.fictional, q] for q, members in loaded.items() for f in members],
        )
        return tuple(unavailable)

    @functools.cached_property
    def _declared(self) -> dict[str, DeclaredWave]:
        """{wave id: its classification year, area and questionnaire} as the loaded waves.csv
        says (blank cells as "")."""
        rows = self._connection.execute(
            "select wave_id, classification_year, coalesce(trim(area), ''), "
            "coalesce(trim(questionnaire), '') from wave_metadata"
        ).fetchall()
        return {
            wave: DeclaredWave(year, area, questionnaire)
            for wave, year, area, questionnaire in rows
        }

    def _outside_area(
        self,
        wave: str,
        row: DeclaredWave,
        fictional: bool,
        codes: list[tuple[str, str | None]],
        rows_of: str = "answers",
        positions: Sequence[int] | None = None,
    ) -> str | None:
        """Why the wave's answers (``codes``: region and municipality code of each, at
        ``positions`` among the data rows, by default one after another) do not fit the area
        waves.csv gives it, or None when they do: the import's rule (area_check), applied to
        what is stored, so that a hand edit of waves.csv cannot put a total under the name of an
        area its answers are not from (issue #16)."""
        register = self._registers.get(fictional)
        if register is None:  # example waves in a folder without the examples' register
            return None
        year = classification_year(wave, {wave: row.classification_year}, register.years())
        key = (row.area, fictional, year)
        if key not in self._areas:  # many waves share an area and a year
            self._areas[key] = resolve(
                row.area, self._named_areas, self._region_codes, register, year
            )
        area = self._areas[key]
        if isinstance(area, Problem):
            return f"waves.csv gives it the area {shown(row.area)}: {area.message('en')}"
        for index, column, value in outside(codes, area, register, year):
            row_number = index if positions is None else positions[index]
            position = f" in data row {row_number + 1}" if rows_of == "answers" else ""
            return (
                f"{rows_of} outside the area {shown(row.area)} that waves.csv gives it, the "
                f"first{position} with {column} {shown(value)}"
            )
        return None

    @functools.cached_property
    def _named_areas(self) -> dict[str, NamedArea]:
        return named_areas(self.data_dir)

    @functools.cached_property
    def _region_codes(self) -> frozenset[str]:
        rows = self._connection.execute("select region_code from region_names").fetchall()
        return frozenset(code for (code,) in rows)

    def _regional_outside_area(self) -> list[UnavailableWave]:
        """The published regional waves whose regions do not fit the area waves.csv gives them:
        left out like a response file that does not load."""
        codes: dict[str, list[tuple[str, str | None]]] = {}
        rows = self._connection.execute("select wave_id, region_code from published_region_status")
        for wave, region_code in rows.fetchall():
            codes.setdefault(wave, []).append((region_code, None))
        unavailable = []
        for wave, row in self._declared.items():
            if not row.area or not codes.get(wave):
                continue
            problem = self._outside_area(wave, row, False, codes[wave], "rows of region_status.csv")
            if problem is not None:
                LOG.error("wave %s is unavailable: %s", wave, problem)
                unavailable.append(UnavailableWave(wave, "waves.csv", problem))
        return unavailable

    def _stage(
        self,
        staged: str,
        table: TableFile,
        questionnaire: Questionnaire,
        files: list[_ResponseFile],
    ) -> dict[int, str]:
        """Read ``files`` (all of ``questionnaire``) into the temp table ``staged``, each row
        with its file's index and its place in the file (``_file``, ``_row``), and check them
        as the import would: what is wrong with each file that may not join the others."""
        columns = ", ".join(f"{_identifier(name)} {type_}" for name, type_ in table.columns)
        self._connection.execute(
            f"create temp table {staged} (_file integer, _row bigint, {columns})"
        )
        problems: dict[int, str] = {}
        plain: dict[bytes, list[tuple[_ResponseFile, bytes]]] = {b"\n": [], b"\r\n": []}
        for file in files:
            read = _body(file.path)
            if read is None:
                self._read_alone(staged, table, file, problems)
            else:
                plain[read[1]].append((file, read[0]))
        for newline, bodies in plain.items():
            for chunk in _chunks(bodies, _BATCH_BYTES):
                self._read_together(staged, table, chunk, newline, problems)
        read = [file for file in files if file.index not in problems]
        counts = self._connection.execute(
            "select _file, count(*) filter (where wave is distinct from expected), "
            "count(*) filter (where region_code not in (select region_code from region_names)), "
            "count(*) - count(distinct (municipality_code, respondent_type)) "
            f"from {staged} join (select unnest($files) as _file, unnest($waves) as expected) "
            "using (_file) group by _file",
            {"files": [f.index for f in read], "waves": [f.wave for f in read]},
        ).fetchall()
        for index, other_wave, unknown_region, repeated in counts:
            if other_wave:
                problems[index] = f"{other_wave} rows of another wave than the file name says"
            elif unknown_region:
                problems[index] = f"{unknown_region} rows with an unknown region code"
            elif repeated:
                problems[index] = (
                    f"{repeated} repeated answers (same municipality and respondent type)"
                )
        problems |= {
            index: problem
            for index, problem in self._unknown_choices(staged, questionnaire).items()
            if index not in problems
        }
        with_area = [f for f in read if f.index not in problems and f.declared.area]
        return problems | self._staged_outside_area(staged, with_area)

    def _read_together(
        self,
        staged: str,
        table: TableFile,
        files: Sequence[tuple[_ResponseFile, bytes]],
        newline: bytes,
        problems: dict[int, str],
    ) -> None:
        """``files`` read in one statement into ``staged``: their rows (without their headers)
        one after another, each file's after a mark row naming its index. A file read so is
        read exactly as on its own: each starts at the start of a line after a whole mark row.
        Should the statement fail, or a mark be missing (an unclosed quote swallows the next
        file's mark), each half is read again, down to a file on its own, which names its own
        problem as it always did."""
        if len(files) == 1:
            self._read_alone(staged, table, files[0][0], problems)
            return
        first = _identifier(table.columns[0][0])
        rest = ", ".join(f"{_identifier(name)}::varchar" for name, _ in table.columns[1:])
        empty = b"," * (len(table.columns) - 1)
        parts = [",".join(table.column_names).encode() + newline]
        for file, body in files:
            parts += [f"{_FILE_MARK}{file.index}".encode() + empty + newline, body]
        execute = self._connection.execute
        try:
            with _readable(b"".join(parts)) as path:
                # One thread: the rows keep the file's order, which places each after its mark.
                execute("set threads = 1")
                try:
                    execute(
                        f"create or replace temp table batch as select * from {_read_csv(table)}",
                        {"path": path},
                    )
                finally:
                    execute("reset threads")
            execute(
                "create or replace temp table batch_marks as select rowid as mark_row, "
                f"try_cast(substr({first}, $start) as integer) as _file from batch "
                f"where starts_with({first}, $mark) and coalesce({rest}) is null",
                {"mark": _FILE_MARK, "start": len(_FILE_MARK) + 1},
            )
            marks = [
                index
                for (index,) in execute(
                    "select _file from batch_marks order by mark_row"
                ).fetchall()
            ]
            if marks != [file.index for file, _ in files]:
                raise _MarksMissingError
            execute(
                f"insert into {staged} select marks._file, batch.rowid - marks.mark_row - 1, "
                "batch.* "
                "from batch asof join batch_marks as marks on batch.rowid >= marks.mark_row "
                "where batch.rowid <> marks.mark_row"
            )
        except (duckdb.Error, OSError, _MarksMissingError):
            half = len(files) // 2
            self._read_together(staged, table, files[:half], newline, problems)
            self._read_together(staged, table, files[half:], newline, problems)

    def _read_alone(
        self, staged: str, table: TableFile, file: _ResponseFile, problems: dict[int, str]
    ) -> None:
        """One response file read into ``staged`` on its own, as every file was before issue
        #22; its problem when it does not read."""
        try:
            _load_table(
                self._connection,
                f"create or replace temp table batch as select * from {_read_csv(table)}",
                file.path,
                table,
                file.name,
            )
        except DataFileError as error:
            problems[file.index] = error.problem
            return
        self._connection.execute(
            f"insert into {staged} select $file, rowid, * from batch", {"file": file.index}
        )

    def _staged_outside_area(self, staged: str, files: list[_ResponseFile]) -> dict[int, str]:
        """The staged files whose answers do not fit the area waves.csv gives their wave. Each
        distinct (region, municipality) of a file once, at its first row: whether a row is
        outside depends on those two codes only."""
        if not files:
            return {}
        codes: dict[int, tuple[list[tuple[str, str | None]], list[int]]] = {}
        rows = self._connection.execute(
            "select _file, region_code, municipality_code, min(_row) as first "
            f"from {staged} where list_contains($files, _file) group by all order by _file, first",
            {"files": [f.index for f in files]},
        ).fetchall()
        for index, region_code, municipality_code, first in rows:
            pairs, positions = codes.setdefault(index, ([], []))
            pairs.append((region_code, municipality_code))
            positions.append(first)
        problems = {}
        for file in files:
            pairs, positions = codes.get(file.index, ([], []))
            problem = self._outside_area(
                file.wave, file.declared, file.fictional, pairs, positions=positions
            )
            if problem is not None:
                problems[file.index] = problem
        return problems

    def _insert_staged(
        self, staged: str, questionnaire: Questionnaire, files: list[_ResponseFile]
    ) -> None:
        """The loaded files' core measures into responses (a core question the questionnaire
        does not ask stays NULL), their other questions into answers, one row per question: not
        asked where an answer the question depends on (applies_when) is not one of its choices."""
        if not files:
            return
        loaded = (
            f"(select * from {staged} join (select unnest($files) as _file, "
            "unnest($fictional) as fictional) using (_file))"
        )
        params: dict[str, Any] = {
            "files": [f.index for f in files],
            "fictional": [f.fictional for f in files],
        }
        core = [name for name in RESPONSE_COLUMNS if name in questionnaire.file_columns]
        self._connection.execute(
            f"insert into responses by name select {', '.join(map(_identifier, core))}, "
            f"fictional from {loaded}",
            params,
        )
        parts = []
        for number, question in enumerate(questionnaire.other_questions):
            asked = ["true"]
            for other, choices in question.applies_when.items():
                name = f"choices{number}_{len(params)}"
                params[name] = list(choices)
                asked.append(
                    "(municipality_code is null or respondent_type is null or coalesce("
                    f"list_contains(${name}, {_identifier(other)}::varchar), false))"
                )
            params[f"question{number}"] = question.id
            parts.append(
                f"select wave, respondent_type, municipality_code, $question{number}, "
                f"{_identifier(question.id)}::varchar, {' and '.join(asked)} from {loaded}"
            )
        if parts:
            self._connection.execute(
                "insert into answers (wave, respondent_type, municipality_code, question_id, "
                f"value, asked) {' union all '.join(parts)}",
                params,
            )

    def _unknown_choices(self, staged: str, questionnaire: Questionnaire) -> dict[int, str]:
        """For each staged file, its first stored answer that is not as the import writes it (a
        hand edit of a stored file): a one-choice answer is one choice id, a several-choices
        one distinct choice ids joined by ";". Another value would count as answered and in no
        choice, so the shares would not add up: the wave is left out instead."""
        checked = [
            question
            for question in questionnaire.questions
            if question.stored and question.type in ("one_choice", "several_choices")
        ]
        if not checked:
            return {}
        # Whether a cell is as the import writes it depends on the question and the cell only:
        # the rule runs over each question's distinct cells (a few, fetched first: over the rows
        # DuckDB would apply it to every cell), and the rows are looked up only for a cell that
        # breaks it (a statement each question cost 2 ms; the rule over every cell of 2,000
        # waves 0.1 s).
        distinct = self._connection.execute(
            " union all ".join(
                f"(select distinct {index} as question, {_identifier(question.id)} as cell "
                f"from {staged} where {_identifier(question.id)} is not null)"
                for index, question in enumerate(checked)
            )
        ).fetchall()
        if not distinct:
            return {}
        bad = self._connection.execute(
            "select question, cell from (select question, cell, one, allowed, "
            "string_split(cell, ';') as ids from (select unnest($questions) as question, "
            "unnest($cells) as cell) join (select unnest($numbers) as question, unnest($ones) "
            "as one, unnest($allowed) as allowed) using (question)) where not "
            "list_has_all(allowed, ids) or len(list_distinct(ids)) <> len(ids) "
            "or (one and len(ids) <> 1)",
            {
                "questions": [question for question, _ in distinct],
                "cells": [cell for _, cell in distinct],
                "numbers": list(range(len(checked))),
                "ones": [question.type == "one_choice" for question in checked],
                "allowed": [[choice.id for choice in question.choices] for question in checked],
            },
        ).fetchall()
        if not bad:
            return {}
        rows, params = [], {}
        for number, (index, cell) in enumerate(bad):
            params[f"cell{number}"] = cell
            rows.append(
                f"(select _file, _row, {index} as question, {_identifier(checked[index].id)} "
                f"as cell from {staged} where {_identifier(checked[index].id)} = $cell{number})"
            )
        found = self._connection.execute(
            "select _file, question, cell from (select *, row_number() over (partition by "
            f"_file order by question, _row) as place from ({' union all '.join(rows)})) "
            "where place = 1",
            params,
        ).fetchall()
        problems = {}
        for index, number, cell in found:
            question = checked[number]
            what = "one" if question.type == "one_choice" else "distinct ones"
            problems[index] = (
                f"{question.id} {shown(cell)} is not {what} of the question's choice ids"
            )
        return problems

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
        key = (name, tuple(sorted((param, _frozen(value)) for param, value in params.items())))
        kept = self._answers.get(key)
        if kept is None:
            kept = self._fetch(query.sql, params)
            # Under the lock: a server's sessions share one database, each on its own thread, and
            # finding the oldest answer iterates the dict while another thread may be adding one
            # ("dictionary changed size during iteration").
            with self._lock:
                while len(self._answers) >= KEPT_ANSWERS:
                    self._answers.pop(next(iter(self._answers)))
                self._answers[key] = kept
        # A copy: a caller that changes its frame changes no later caller's.
        return kept.copy()

    def _fetch(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        # A cursor per query: DuckDB refuses concurrent use of one connection. Creating cursors
        # is serialised; each cursor then runs on its own.
        with self._lock:
            cursor = self._connection.cursor()
        try:
            return cursor.execute(sql, dict(params)).df()
        finally:
            cursor.close()
