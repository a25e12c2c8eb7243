"""Importing a response file into the data folder: nothing lost, nothing half-written.

A file is validated first (responses.read_responses); a rejected file changes nothing in the data
folder. An accepted one is written as clean UTF-8 to ``responses/<wave>.csv`` through a temporary
file, fsync, ``os.replace`` and an fsync of the folder, so a crash at any point leaves the old file
or the new one. An existing wave is replaced only when asked, and the previous file is kept in
``archive/`` with a timestamp. Imports are serialised by a lock file; temporary files left by a
crash are swept at the start of the next import. The imported row count is reconciled against the
file's own count of data lines by reading the written wave back through the database.

A round may come in several files, one per respondent type (the municipalities' answers from one
form, the police's from another: issue #17). ``add`` joins a file to a wave already imported: the
stored rows and the file's are written as one wave (the previous file archived), checked as one
file would be — the same questionnaire, and no municipality answered twice by the same respondent
type.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import fcntl
import io
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tilannekuva.datafiles import (
    EXAMPLES_DIR,
    RESPONSES_DIR,
    DeclaredWave,
    area_label,
    declared_waves,
    is_fictional,
    named_areas,
    reference_keys,
)
from tilannekuva.errors import shown
from tilannekuva.i18n import t
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.responses import MAX_ROWS, Problem, Report, clean_csv, read_responses
from tilannekuva.schema import TABLE_FILES

ARCHIVE_DIR = "archive"
WAVES_TABLE = next(table for table in TABLE_FILES if table.table == "wave_metadata")
LOCK_FILE = ".import.lock"
TEMP_PREFIX = ".tmp-"
# Room kept free beyond the file itself: a disk filled to the last block fails the fsync of the
# folder or the next write of anything else on it.
FREE_SPACE_MARGIN = 64 * 1024
LOG = logging.getLogger(__name__)


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
    """Write ``body`` to ``target`` so that a reader or a crash sees the old file or the new one.
    A failed write (a full disk) removes its temporary file at once, so it does not keep the
    disk full."""
    temporary = target.with_name(f"{TEMP_PREFIX}{target.name}.{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def archive_copy(body: bytes, target: Path) -> None:
    """Keep ``body`` (the wave's file as it is now) as ``target``; the copy counts only once read
    back equal. A failed or short copy (a full disk once left a 0-byte backup) is removed."""
    try:
        write_atomically(target, body)
        if target.read_bytes() != body:
            raise OSError(errno.EIO, "the archive copy does not read back equal")
    except OSError:
        target.unlink(missing_ok=True)
        raise


def count_stored_rows(data_dir: Path, wave: str) -> int | None:
    """The wave's rows as the database reads its file back; None if it cannot be read so."""
    from tilannekuva.db import count_wave_rows  # DuckDB only once there is a file to read back

    return count_wave_rows(data_dir / RESPONSES_DIR / f"{wave}.csv", wave)


def storage_problem(error: OSError) -> Problem:
    """A write that failed, said plainly (no path, no traceback)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Problem("disk_full")
    if error.errno == errno.EROFS:
        return Problem("read_only")
    if error.errno in (errno.EACCES, errno.EPERM):
        return Problem("no_permission")
    return Problem("write_failed", values={"reason": os.strerror(error.errno or errno.EIO)})


def storage_problems(data_dir: Path, needed: int) -> list[Problem]:
    """Whether the folders an import writes can take ``needed`` bytes, asked before anything is
    written (statvfs: root is not stopped by permissions, only by a read-only or full file
    system)."""
    for folder in (data_dir / RESPONSES_DIR, data_dir / ARCHIVE_DIR, data_dir):
        if not folder.is_dir():
            continue
        try:
            stat = os.statvfs(folder)
        except OSError as error:
            return [storage_problem(error)]
        if stat.f_flag & os.ST_RDONLY:
            return [Problem("read_only")]
        if stat.f_bavail * stat.f_frsize < needed + FREE_SPACE_MARGIN:
            return [Problem("disk_full")]
    return []


def stored_waves(data_dir: Path) -> dict[str, str]:
    """{wave id: folder} of the response files in the data folder: a listing, no file read."""
    return {
        path.stem: folder
        for folder in (EXAMPLES_DIR, RESPONSES_DIR)
        for path in (data_dir / folder).glob("*.csv")
    }


def wave_problems(
    wave: str, data_dir: Path, regional: frozenset[str], replace: bool, add: bool = False
) -> list[Problem]:
    """A wave id that would collide with one the data folder already has (issue #10: refused at
    validation, before anything is written), or, to ``add`` a file to, one it does not have."""
    if wave in regional:
        return [Problem("wave_is_regional", values={"wave": wave})]
    folder = stored_waves(data_dir).get(wave)
    if folder == EXAMPLES_DIR:
        return [Problem("wave_is_example", values={"wave": wave})]
    if add and folder != RESPONSES_DIR:
        return [Problem("add_no_wave", values={"wave": wave})]
    if folder == RESPONSES_DIR and not (replace or add):
        return [Problem("wave_exists", values={"wave": wave})]
    return []


def stored_rows(report: Report, data_dir: Path, regions: frozenset[str]) -> Report:
    """The rows of the stored wave ``report`` is added to, read against the report's
    questionnaire (a wave that asked another one does not read: its problems say so)."""
    questionnaire = shipped_questionnaires()[report.questionnaire]
    target = data_dir / RESPONSES_DIR / f"{report.wave}.csv"
    return read_responses(target.read_bytes(), sorted(regions), questionnaire=questionnaire)


def added_problems(report: Report, stored: Report) -> list[Problem]:
    """What refuses adding ``report``'s rows to the ``stored`` wave: another questionnaire, a
    municipality the same respondent type already answered for, or more rows than a file may
    have."""
    if not stored.ok:
        values = {"wave": report.wave, "questionnaire": report.questionnaire}
        return [Problem("add_other_questionnaire", values=values)]
    there = {(row["municipality_code"], row["respondent_type"]) for row in stored.rows}
    problems = [
        Problem(
            "add_already_answered",
            line=line,
            values={
                "wave": report.wave,
                "municipality": f"{row['municipality_name']} ({row['municipality_code']})",
            },
        )
        for line, row in zip(report.lines, report.rows, strict=True)
        if (row["municipality_code"], row["respondent_type"]) in there
    ]
    if not problems and len(stored.rows) + len(report.rows) > MAX_ROWS:
        problems.append(Problem("too_many_rows", values={"limit": MAX_ROWS}))
    return problems


def validate_file(
    data: bytes,
    data_dir: Path,
    *,
    replace: bool = False,
    add: bool = False,
    area: str | None = None,
    questionnaire: str | None = None,
) -> Report:
    """Everything an import would check before writing: the file's own rules against the data
    folder's regions and the wave's questionnaire (``questionnaire`` as the command line gives
    it, else the one whose columns the file has; waves.csv's must agree), its wave id against
    the waves there, its municipalities against the register of the wave's classification year
    (register_check) and against the wave's area (area_check: ``area`` as the command line or
    the upload page gives it, else waves.csv's, else the regions of the file), and room to write
    it. Reads the regions, waves, areas and regional table only, and the stored wave only when
    the file is to be added to it (``add``: see the module's docstring)."""
    from tilannekuva.register_check import register_findings, register_for

    if replace and add:
        raise ValueError("a file either replaces a wave or is added to it")
    regions, regional = reference_keys(data_dir)
    questionnaires = shipped_questionnaires()
    if questionnaire is not None and questionnaire not in questionnaires:
        values = {"value": questionnaire, "known": ", ".join(questionnaires)}
        return Report(problems=[Problem("questionnaire_unknown", values=values)])
    chosen = questionnaires.get(questionnaire) if questionnaire else None
    report = read_responses(data, sorted(regions), questionnaire=chosen)
    if report.ok:
        report.problems.extend(wave_problems(report.wave, data_dir, regional, replace, add))
    stored = Report()
    if report.ok and add:
        stored = stored_rows(report, data_dir, regions)
        report.problems.extend(added_problems(report, stored))
        report.kept_rows = len(stored.rows)
    declared = declared_waves(data_dir)
    if report.ok:
        report.questionnaire_source = "option" if questionnaire else "columns"
        named = declared[report.wave].questionnaire if report.wave in declared else ""
        if named == report.questionnaire and not questionnaire:
            report.questionnaire_source = "waves"
        # A replacement that names its questionnaire may correct waves.csv's (issue #16).
        if named and named != report.questionnaire and not (replace and questionnaire):
            values = {"wave": report.wave, "declared": named, "found": report.questionnaire}
            report.problems.append(Problem("questionnaire_conflict", values=values))
    if report.ok:
        years = {wave: row.classification_year for wave, row in declared.items()}
        register = register_for(report.wave, data_dir)
        problems, warnings = register_findings(report, register, years)
        report.problems.extend(problems)
        report.warnings.extend(warnings)
    if report.ok:
        report.problems.extend(
            _area_problems(
                report, data_dir, declared, regions, area, replace=replace, stored=stored
            )
        )
    if report.ok:
        target = data_dir / RESPONSES_DIR / f"{report.wave}.csv"
        previous = target.stat().st_size if target.is_file() else 0
        report.problems.extend(storage_problems(data_dir, 2 * len(data) + previous))
    if not report.ok:
        report.rows = []
        report.warnings = []
    return report


def _area_problems(
    report: Report,
    data_dir: Path,
    declared: dict[str, DeclaredWave],
    regions: frozenset[str],
    option: str | None,
    *,
    replace: bool,
    stored: Report,
) -> list[Problem]:
    """The wave's area (issue #16): ``option`` when given (one that differs from waves.csv's
    refuses the file, unless it replaces the wave), else waves.csv's, else the regions of the
    file and of the ``stored`` rows it is added to; set on the report with where it came from,
    and every row checked against it."""
    from tilannekuva.area_check import area_findings, present_regions, resolve
    from tilannekuva.register_check import classification_year, register_for

    register = register_for(report.wave, data_dir)
    row = declared.get(report.wave)
    written = row.area if row is not None else ""
    if option and written and option != written and not replace:
        values = {"wave": report.wave, "declared": written, "given": option}
        return [Problem("area_conflict", values=values)]
    if option:
        report.area, report.area_source = option, "option"
    elif written:
        report.area, report.area_source = written, "waves"
    else:
        joined = Report(rows=stored.rows + report.rows)
        report.area, report.area_source = present_regions(joined), "file"
    years = {wave: row.classification_year for wave, row in declared.items()}
    year = classification_year(report.wave, years, register.years())
    area = resolve(report.area, named_areas(data_dir), regions, register, year)
    if isinstance(area, Problem):
        return [area]
    return area_findings(report, area, register, year)


def _records(text: str) -> list[tuple[list[str], str]]:
    """waves.csv's records as (cells, the record's text as the file has it): a record is one
    physical line, or several where a quoted cell holds a line break. Lines end only at \\n, \\r
    or \\r\\n (as the CSV readers see them), never at U+2028 and the like."""
    lines = io.StringIO(text, newline="").readlines()
    taken: list[str] = []

    def feed() -> Iterator[str]:
        for line in lines:
            taken.append(line)
            yield line

    records = []
    for cells in csv.reader(feed()):
        records.append((cells, "".join(taken)))
        taken.clear()
    if taken:  # a blank last line the reader yields nothing for
        records.append(([], "".join(taken)))
    return records


def waves_csv_with(data_dir: Path, wave: str, values: dict[str, str]) -> bytes | None:
    """waves.csv with the wave's ``values`` (its area and questionnaire as the import was given
    them, issue #16) written in: a new row at the end for a wave it does not list (the other
    cells blank: the loader derives them from the data), or the wave's row with those cells set.
    None when the file already says so. Every other record is kept byte for byte, and the row
    written ends as the file's lines do (CRLF from Excel stays CRLF)."""
    columns = WAVES_TABLE.column_names
    text = (data_dir / WAVES_TABLE.file).read_bytes().decode("utf-8")
    records = _records(text)
    ending = "\r\n" if records and records[0][1].endswith("\r\n") else "\n"
    for index, (cells, raw) in enumerate(records[1:], start=1):
        if cells and cells[0] == wave:
            row = dict(zip(columns, cells, strict=False))
            if all(row.get(key, "").strip() == value for key, value in values.items()):
                return None
            row.update(values)
            terminator = ending if raw.endswith(("\n", "\r")) else ""
            line = _csv_line([row.get(column, "") for column in columns], terminator)
            records[index] = (cells, line)
            return "".join(raw for _, raw in records).encode("utf-8")
    new = dict.fromkeys(columns, "") | {
        "wave_id": wave,
        "level": "response",
        "fictional": "true" if is_fictional(wave) else "false",
        **values,
    }
    separator = "" if not text or text.endswith(("\n", "\r")) else ending
    line = _csv_line([new[column] for column in columns], ending)
    return (text + separator + line).encode("utf-8")


def _csv_line(cells: list[str], terminator: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=terminator).writerow(cells)
    return buffer.getvalue()


def described(report: Report, data_dir: Path, lang: str) -> str:
    """The wave's area and questionnaire, and where each came from (issue #16), and the rows it
    already has when the file is added to it: what the import summary and the upload page say
    before the wave is written."""
    text = t(
        lang,
        "import.described",
        area=shown(area_label(report.area, data_dir, lang), None),
        area_source=t(lang, f"import.source.{report.area_source}"),
        questionnaire=report.questionnaire,
        questionnaire_source=t(lang, f"import.source.{report.questionnaire_source}"),
    )
    if report.kept_rows:
        total = report.kept_rows + len(report.rows)
        added = t(lang, "import.added", wave=report.wave, kept=report.kept_rows, total=total)
        text = f"{text} {added}"
    return text


def import_responses(
    data: bytes,
    data_dir: Path,
    *,
    replace: bool = False,
    add: bool = False,
    area: str | None = None,
    questionnaire: str | None = None,
    now: dt.datetime | None = None,
    count_rows: Callable[[Path, str], int | None] = count_stored_rows,
) -> ImportResult:
    """Validate ``data`` and, when it passes, write it as the wave's file in ``data_dir``, and
    the ``area`` and ``questionnaire`` it was given (see validate_file) into the wave's row of
    waves.csv.
    ``count_rows(data_dir, wave)`` counts the wave's rows as the database reads them back.
    A write that fails (full disk, read-only folder) is a problem, and leaves the data as it was."""
    result = ImportResult(
        validate_file(
            data, data_dir, replace=replace, add=add, area=area, questionnaire=questionnaire
        )
    )
    if not result.report.ok:
        return result
    try:
        # Only what the import was given goes into waves.csv; what it derived from the file (the
        # regions answered, the questionnaire of the columns) stays derived, so that a later,
        # fuller file is not held to it (issue #16).
        given = {"area": area, "questionnaire": questionnaire}
        described = {key: value for key, value in given.items() if value}
        moment = now or dt.datetime.now(dt.UTC)
        _write(result, data_dir, replace, add, moment, count_rows, described)
    except OSError as error:
        LOG.error("import of wave %s failed: %s", result.report.wave, error)
        result.problems.append(storage_problem(error))
        result.path = None
    return result


def _write(
    result: ImportResult,
    data_dir: Path,
    replace: bool,
    add: bool,
    now: dt.datetime,
    count_rows: Callable[[Path, str], int | None],
    described: dict[str, str],
) -> None:
    report = result.report
    wave = report.wave  # letters, digits, '-' and '_' only: safe as a file name
    folder = data_dir / RESPONSES_DIR
    target = folder / f"{wave}.csv"
    folder.mkdir(exist_ok=True)
    with import_lock(data_dir):
        sweep_temporary_files(folder)
        previous = target.read_bytes() if target.exists() else None
        if previous is not None and not (replace or add):  # another import got there first
            result.problems.append(Problem("wave_exists", values={"wave": wave}))
            return
        rows = report.rows
        if add:  # read again under the lock: another file may have been added meanwhile
            if previous is None:
                result.problems.append(Problem("add_no_wave", values={"wave": wave}))
                return
            regions, _ = reference_keys(data_dir)
            stored = stored_rows(report, data_dir, regions)
            problems = added_problems(report, stored)
            if problems:
                result.problems.extend(problems)
                return
            rows = stored.rows + report.rows
        if previous is not None:
            archive = data_dir / ARCHIVE_DIR
            archive.mkdir(exist_ok=True)
            sweep_temporary_files(archive)
            result.archived = archive / f"{wave}-{now.strftime('%Y%m%dT%H%M%S%fZ')}.csv"
            try:
                archive_copy(previous, result.archived)
            except OSError:
                result.archived = None
                raise
        questionnaire = shipped_questionnaires()[report.questionnaire]
        write_atomically(target, clean_csv(rows, questionnaire))

        def put_back() -> None:
            # The import is all or nothing: what was there before comes back.
            if previous is None:
                target.unlink()
                _fsync_dir(folder)
            else:
                write_atomically(target, previous)

        imported = count_rows(data_dir, wave)
        expected = len(rows) - len(report.rows) + report.data_lines
        if imported != expected:
            put_back()
            result.problems.append(
                Problem("count_unreadable", values={"read": expected})
                if imported is None
                else Problem("count_mismatch", values={"read": expected, "stored": imported})
            )
            return
        waves = waves_csv_with(data_dir, wave, described) if described else None
        if waves is not None:
            try:
                write_atomically(data_dir / WAVES_TABLE.file, waves)
            except OSError:
                put_back()
                raise
        result.path = target
