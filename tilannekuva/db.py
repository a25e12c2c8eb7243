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
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from tilannekuva.area_check import outside, resolve
from tilannekuva.config import QUERIES_DIR
from tilannekuva.datafiles import (
    EXAMPLES_DIR,
    DeclaredWave,
    NamedArea,
    check_header,
    named_areas,
    response_files,
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
# "-- column share_percent: decimal, %" or "-- column measure: label measure." (kind, then the
# label prefix of a label kind, then after a comma the unit).
_COLUMN_HEADER = re.compile(
    r"^--\s*column\s+([a-z_][a-z0-9_]*)\s*:\s*([a-z]+)(?:\s+([a-z_]+\.))?(?:\s*,\s*(.+?))?\s*$",
    re.MULTILINE,
)


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
    """What the database creates once after loading the files: the staging tables
    (``queries/staging/*.sql``, in the order of their number prefixes: what every query reads,
    derived once per load rather than at every query, as views were: a view of the waves' areas
    was recomputed several times per table), then the shared macros (``queries/_macros.sql``)."""
    staging = sorted((queries_dir / STAGING_DIR).glob("*.sql"))
    parts = [path.read_text(encoding="utf-8") for path in staging]
    parts.append((queries_dir / MACROS_FILE).read_text(encoding="utf-8"))
    return "\n".join(parts)


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
    paths += [data_dir / EXAMPLE_REGISTER_DIR / table.file for table in REGISTER_TABLES]
    for path in paths:
        digest.update(str(path.relative_to(data_dir)).encode() + b"\0")
        if path.is_file():
            stat = path.stat()
            digest.update(_content_digest(str(path), stat.st_mtime_ns, stat.st_size))
        else:
            digest.update(b"\0missing")
    return digest.hexdigest()


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


def count_wave_rows(path: Path, wave: str) -> int:
    """The rows of one response file as the database reads it (typed, as the app loads it), all
    of them of ``wave``; -1 when the file cannot be read so or holds another wave's rows."""
    connection = _typed_connection()
    try:
        table, _ = response_table(path, path.name, shipped_questionnaires())
        statement = f"select count(*), count(*) filter (where wave = $wave) from {_read_csv(table)}"
        rows, of_wave = connection.execute(statement, {"path": str(path), "wave": wave}).fetchone()
    except DataFileError:
        return -1
    except duckdb.Error:
        return -1
    finally:
        connection.close()
    return int(rows) if rows == of_wave else -1


class Database:
    """The data folder loaded into a locked, in-memory DuckDB. A response file that does not load
    is left out and listed in :attr:`unavailable` (and the server log); every other wave is
    served. A damaged shared file (regions, waves, ...) is a :class:`DataFileError`."""

    def __init__(self, data_dir: Path, queries_dir: Path = QUERIES_DIR) -> None:
        self.data_dir = data_dir
        self.queries = load_queries(queries_dir)
        self._connection = _typed_connection()
        self._lock = threading.Lock()
        for table in TABLE_FILES:
            _load_table(
                self._connection,
                f"create table {table.table} as select * from {_read_csv(table)}",
                data_dir / table.file,
                table,
                table.file,
            )
        self._registers: dict[bool, Register] = {}
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
        self.unavailable: tuple[UnavailableWave, ...] = (
            *self._load_responses(),
            *self._regional_outside_area(),
        )
        # The waves left out are not offered at all (2_waves.sql), so no page or export shows a
        # wave that waves.csv lists but whose answers did not load as empty figures.
        self._connection.execute("create table unavailable_waves (wave_id varchar)")
        for left_out in self.unavailable:
            self._connection.execute("insert into unavailable_waves values (?)", [left_out.wave])
        self._connection.execute(setup_sql(queries_dir))
        _lock_down(self._connection)
        self._check_integrity()

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

    def _load_responses(self) -> tuple[UnavailableWave, ...]:
        regional = {
            wave
            for (wave,) in self._connection.execute(
                "select distinct wave_id from published_region_status"
            ).fetchall()
        }
        declared = self._declared()
        loaded: set[str] = set()
        unavailable = []
        for path, fictional in response_files(self.data_dir):
            name = str(path.relative_to(self.data_dir))
            row = declared.get(path.stem, DeclaredWave(None, "", ""))
            staged = self._stage(path, name, loaded | regional, row.questionnaire)
            if isinstance(staged, Questionnaire) and row.area:
                codes = self._connection.execute(
                    "select region_code, municipality_code from staged"
                ).fetchall()
                problem = self._outside_area(path.stem, row, fictional, codes)
                staged = problem or staged
            if isinstance(staged, Questionnaire):
                self._insert_staged(staged, fictional, path.stem)
                self._connection.execute(
                    "insert into response_files values ($wave, $file, $fictional, $questionnaire)",
                    {
                        "wave": path.stem,
                        "file": name,
                        "fictional": fictional,
                        "questionnaire": staged.id,
                    },
                )
                loaded.add(path.stem)
            else:
                LOG.error("wave %s is unavailable: %s: %s", path.stem, path, staged)
                unavailable.append(UnavailableWave(path.stem, name, staged))
            self._connection.execute("drop table if exists staged")
        return tuple(unavailable)

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
    ) -> str | None:
        """Why the wave's answers (``codes``: region and municipality code of each) do not fit the
        area waves.csv gives it, or None when they do: the import's rule (area_check), applied
        to what is stored, so that a hand edit of waves.csv cannot put a total under the name of
        an area its answers are not from (issue #16)."""
        register = self._registers.get(fictional)
        if register is None:  # example waves in a folder without the examples' register
            return None
        year = classification_year(wave, {wave: row.classification_year}, register.years())
        area = resolve(row.area, self._named_areas, self._region_codes, register, year)
        if isinstance(area, Problem):
            return f"waves.csv gives it the area {shown(row.area)}: {area.message('en')}"
        for index, column, value in outside(codes, area, register, year):
            position = f" in data row {index + 1}" if rows_of == "answers" else ""
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
        unavailable = []
        for wave, row in self._declared().items():
            codes = self._connection.execute(
                "select region_code, null from published_region_status where wave_id = $wave",
                {"wave": wave},
            ).fetchall()
            if not row.area or not codes:
                continue
            problem = self._outside_area(wave, row, False, codes, "rows of region_status.csv")
            if problem is not None:
                LOG.error("wave %s is unavailable: %s", wave, problem)
                unavailable.append(UnavailableWave(wave, "waves.csv", problem))
        return unavailable

    def _insert_staged(
        self, questionnaire: Questionnaire, fictional: bool, staged_wave: str
    ) -> None:
        """The staged file's core measures into responses (a core question the questionnaire does
        not ask stays NULL), its other questions into answers, one row per question."""
        core = [name for name in RESPONSE_COLUMNS if name in questionnaire.file_columns]
        self._connection.execute(
            f"insert into responses by name select {', '.join(map(_identifier, core))}, "
            "$fictional as fictional from staged",
            {"fictional": fictional},
        )
        others = [_identifier(question.id) for question in questionnaire.other_questions]
        if not others:
            return
        as_text = ", ".join(f"{column}::varchar as {column}" for column in others)
        self._connection.execute(
            "insert into answers (wave, respondent_type, municipality_code, question_id, value) "
            "select wave, respondent_type, municipality_code, question_id, value from (select "
            f"wave, respondent_type, municipality_code, {as_text} from staged) unpivot include "
            f"nulls (value for question_id in ({', '.join(others)}))"
        )
        for question in questionnaire.other_questions:
            for other, choices in question.applies_when.items():
                # Not asked where the answer the question depends on is not one of the choices.
                self._connection.execute(
                    "update answers set asked = false where wave = $wave and question_id = "
                    "$question and exists (select 1 from staged where staged.municipality_code "
                    "= answers.municipality_code and staged.respondent_type = "
                    "answers.respondent_type and not coalesce(list_contains($choices, "
                    f"staged.{_identifier(other)}::varchar), false))",
                    {"wave": staged_wave, "question": question.id, "choices": list(choices)},
                )

    def _stage(self, path: Path, name: str, taken: set[str], declared: str) -> Questionnaire | str:
        """Stage one response file as the temp table ``staged``: its questionnaire when it may
        join the others, else what is wrong."""
        wave = path.stem
        if not WAVE_PATTERN.fullmatch(wave):
            return "the file name is not a wave id"
        if wave in taken:
            return f"wave {wave} is already published or loaded from another file"
        try:
            table, questionnaire = response_table(path, name, self.questionnaires, declared)
            _load_table(
                self._connection,
                f"create temp table staged as select * from {_read_csv(table)}",
                path,
                table,
                name,
            )
        except DataFileError as error:
            return error.problem
        other_wave, unknown_region, repeated = self._connection.execute(
            "select count(*) filter (where wave is distinct from $wave), "
            "count(*) filter (where region_code not in (select region_code from region_names)), "
            "count(*) - count(distinct (municipality_code, respondent_type)) from staged",
            {"wave": wave},
        ).fetchone()
        if other_wave:
            return f"{other_wave} rows of another wave than the file name says"
        if unknown_region:
            return f"{unknown_region} rows with an unknown region code"
        if repeated:
            return f"{repeated} repeated answers (same municipality and respondent type)"
        return self._unknown_choice(questionnaire) or questionnaire

    def _unknown_choice(self, questionnaire: Questionnaire) -> str | None:
        """The first stored answer that is not as the import writes it (a hand edit of a stored
        file), or None: a one-choice answer is one choice id, a several-choices one distinct
        choice ids joined by ";". Another value would count as answered and in no choice, so the
        shares would not add up: the wave is left out instead."""
        checked = [
            question
            for question in questionnaire.questions
            if question.stored and question.type in ("one_choice", "several_choices")
        ]
        if not checked:
            return None
        # One statement over every choice question (a statement each cost 2 ms a question).
        parts, params = [], {}
        for index, question in enumerate(checked):
            column = _identifier(question.id)
            parts.append(
                f"(select {index} as question, {column} as cell, string_split({column}, ';') "
                f"as ids, $one{index} as one, $allowed{index} as allowed from staged "
                f"where {column} is not null)"
            )
            params[f"allowed{index}"] = [choice.id for choice in question.choices]
            params[f"one{index}"] = question.type == "one_choice"
        found = self._connection.execute(
            f"select question, cell from ({' union all '.join(parts)}) where not "
            "list_has_all(allowed, ids) or len(list_distinct(ids)) <> len(ids) "
            "or (one and len(ids) <> 1) order by question limit 1",
            params,
        ).fetchone()
        if found is None:
            return None
        question = checked[found[0]]
        what = "one" if question.type == "one_choice" else "distinct ones"
        return f"{question.id} {shown(found[1])} is not {what} of the question's choice ids"

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
