"""A survey tool's export as it is (issue #17): an .xlsx workbook or a CSV file read into a header
and rows of text cells, each cell with its place in the user's own file.

Microsoft Forms and Webropol give .xlsx, LimeSurvey .csv (UTF-8 with BOM) or .xlsx. Nothing here
knows what the columns mean: tilannekuva/mapping.py says which column answers which question, and
the columns it does not use (e-mail, name, IP address, times) are dropped there, before anything
is stored.

An .xlsx is read by python-calamine in a child process (tilannekuva/xlsx_child.py) under a
memory and CPU limit: calamine is fast but builds a sheet as one dense grid, so one stray cell in
XFD1048576 would abort the process that reads it; there it aborts only the child, and the sheet is
refused as too large. The app's processes never parse a workbook themselves. A formula is never
evaluated: only the value Excel cached for it is read, and the text of ``=HYPERLINK(...)`` never
reaches us. Before the child sees the file, the zip container is checked: an encrypted workbook
(a CFB file, not a zip), a damaged zip, or one whose parts declare more than
``MAX_UNPACKED_BYTES`` unpacked (a zip bomb) is refused before anything is unpacked.

Limits: the file's size and rows are those of the template CSV (responses.MAX_FILE_BYTES,
MAX_ROWS); a survey tool's export has more columns than the template (fixed columns, one per
choice of a several-choices question), so up to ``MAX_EXPORT_COLUMNS``; a header cell (a question's
text) up to ``MAX_HEADER_CHARS``; any cell up to ``MAX_EXPORT_CELL_CHARS`` (the mapping holds the
cells it uses to the template's own, shorter limit). A CSV line is held to responses.MAX_LINE_CHARS
as a template line is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.responses import (
    LINE_END,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SEPARATORS,
    Problem,
    decode,
    long_lines,
    records,
)

MAX_EXPORT_COLUMNS = 256
MAX_HEADER_CHARS = 1_000
# Excel's own limit of a cell: a long free-text answer in a column that is never read does not
# refuse the file (the template's limit holds the cells the mapping reads, in the import's check).
MAX_EXPORT_CELL_CHARS = 32_767
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ZIP_ENTRIES = 1_000
# A sheet's rows are read until this many blank rows in a row: a stray cell far below the answers
# (or a hostile one in row 1,048,576) does not make us walk a million empty rows.
MAX_BLANK_RUN = 1_000
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx, or an old .xls
ZIP_MAGIC = b"PK\x03\x04"
PLAIN_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
CHILD = Path(__file__).with_name("xlsx_child.py")
CHILD_SECONDS = 30
# The most text the reading child may hand back: a full template-sized sheet of long answers
# is far below it (3,000 rows x 30 columns x 100 characters = 9 M).
MAX_OUTPUT_CHARS = 32_000_000


@dataclass(frozen=True)
class Export:
    """The export as read: ``rows`` are (line of a CSV file, or row of the sheet; cells), each row
    as wide as the header; every cell is text as the user sees it."""

    kind: str  # "csv" or "xlsx"
    sheet: str  # the sheet read ("" for CSV)
    header: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str = ""
    sheets: tuple[str, ...] = ()

    def place(self, row: int, index: int) -> str:
        """Where a cell is, as the user finds it: ``Taulukko1!F7`` in a workbook (the sheet's name
        quoted as Excel quotes it), ``line 7, column "Kunta"`` is the CSV's (made by Problem)."""
        return cell_reference(self.sheet, row, index)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (Excel's column names)."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sheet_reference(sheet: str) -> str:
    """A sheet's name as a cell reference starts with it: quoted as Excel quotes it."""
    return sheet if PLAIN_SHEET_NAME.fullmatch(sheet) else "'" + sheet.replace("'", "''") + "'"


def cell_reference(sheet: str, row: int, index: int) -> str:
    return f"{sheet_reference(sheet)}!{column_letter(index)}{row}"


def is_xlsx(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC) or data.startswith(CFB_MAGIC)


def read_export(data: bytes, sheet: str | None = None) -> Export | list[Problem]:
    """The export, or the problems that stop reading it (each with its place where it has one)."""
    if len(data) > MAX_FILE_BYTES:
        return [Problem("too_large", values={"limit": MAX_FILE_BYTES // 1024})]
    if is_xlsx(data):
        return _read_xlsx(data, sheet)
    if sheet:
        return [Problem("export_sheet_in_csv")]
    return _read_csv(data)


def _zip_problems(data: bytes) -> list[Problem]:
    if data.startswith(CFB_MAGIC):
        return [Problem("export_encrypted")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return [Problem("export_damaged")]
    if len(entries) > MAX_ZIP_ENTRIES:
        return [Problem("export_damaged")]
    if any(entry.flag_bits & 0x1 for entry in entries):
        return [Problem("export_encrypted")]
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        return [Problem("export_unpacks_too_large", values={"limit": limit})]
    return []


def sheet_names(data: bytes) -> tuple[str, ...]:
    """The sheets of a workbook, in its order (() when it cannot be read): for choosing one
    before reading it, since the first may be an instructions sheet."""
    if not data.startswith(ZIP_MAGIC) or _zip_problems(data):
        return ()
    result = _child(data, {"sheet": None, "rows": 1, "columns": 1, "chars": MAX_OUTPUT_CHARS})
    return tuple(result.get("sheets", ())) if isinstance(result, dict) else ()


def _child(data: bytes, options: dict[str, object]) -> dict[str, object] | Problem:
    """The reading child's answer, or the problem when it was stopped by its limits."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(CHILD), json.dumps(options)],
            input=data,
            capture_output=True,
            timeout=CHILD_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Problem("export_sheet_too_large")
    if done.returncode != 0:  # the memory or CPU limit: a sheet reaching far beyond its answers
        return Problem("export_sheet_too_large")
    return json.loads(done.stdout)


def _read_xlsx(data: bytes, sheet: str | None) -> Export | list[Problem]:
    problems = _zip_problems(data)
    if problems:
        return problems
    options = {
        "sheet": sheet,
        "rows": MAX_ROWS + MAX_BLANK_RUN + 1,
        "columns": MAX_EXPORT_COLUMNS + 1,
        "chars": MAX_OUTPUT_CHARS,
    }
    result = _child(data, options)
    if isinstance(result, Problem):
        return [result]
    error = result.get("error")
    if error == "no_sheet":
        names = ", ".join(result.get("sheets", []))
        return [Problem("export_no_sheet", values={"sheet": sheet or "", "known": names})]
    if error == "too_large":
        return [Problem("export_output_too_large")]
    if error is not None:
        return [Problem("export_encrypted" if error == "encrypted" else "export_damaged")]
    rows = list(_sheet_rows(result["rows"]))
    # A cell below the rows read (after a long blank run, or past the row limit) is never
    # dropped in silence (issue #17 probe: an answer in row 1500 after 1,000 blank rows was).
    last_read = rows[-1][0] if rows else 0
    if result.get("height", 0) > last_read and last_read:
        tail_blank = len(result["rows"]) - last_read
        if tail_blank >= MAX_BLANK_RUN or len(result["rows"]) < result["height"]:
            return [Problem("export_rows_beyond", values={"row": last_read})]
    return _export("xlsx", result["sheet"], rows, names=tuple(result["sheets"]))


def _sheet_rows(rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of the sheet's rows that have anything in them, until a long run of
    blank rows."""
    blank_run = 0
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                return
            continue
        blank_run = 0
        yield number, cells


def _read_csv(data: bytes) -> Export | list[Problem]:
    decoded = decode(data)
    if isinstance(decoded, list):
        return decoded
    text, encoding = decoded
    problems = long_lines(text)
    if problems:
        return problems
    separator, _ = header_split(LINE_END.split(text, maxsplit=1)[0])
    found: list[Problem] = []
    rows = [
        (line, cells)
        for line, cells in records(text, separator, found)
        if any(cell.strip() for cell in cells)
    ]
    if found:
        return found
    return _export("csv", "", rows, encoding=encoding)


def header_split(line: str) -> tuple[str, list[str]]:
    """A CSV header line by the separator that splits it into most cells (a survey tool writes
    ";", "," or tab; its header names no column the app knows, unlike the template's): the
    separator and the cells. csv.Error for a line the csv module cannot split."""
    splits = [
        (separator, next(csv.reader([line], delimiter=separator), [])) for separator in SEPARATORS
    ]
    return max(splits, key=lambda split: len(split[1]))


def _export(
    kind: str,
    sheet: str,
    rows: list[tuple[int, list[str]]],
    *,
    names: tuple[str, ...] = (),
    encoding: str = "",
) -> Export | list[Problem]:
    """The header (the first row with anything in it) and the rows under it, checked against the
    limits; every problem has the place of its cell."""

    def problem(code: str, row: int, index: int | None, **values: object) -> Problem:
        if kind == "xlsx":
            place = cell_reference(sheet, row, index or 0)
            return Problem(code, place=place, values=values)
        # A CSV's column by its header text, as the template's problems name it; past the
        # header, by its letter, as a spreadsheet shows it.
        if index is None:
            return Problem(code, line=row, values=values)
        column = header[index] if index < len(header) and header[index].strip() else None
        return Problem(code, line=row, column=column or column_letter(index), values=values)

    if not rows:
        return [Problem("empty_file")]
    header_row, header = rows[0]
    while header and not header[-1].strip():
        header.pop()
    if len(header) > MAX_EXPORT_COLUMNS:
        return [
            problem(
                "too_many_columns",
                header_row,
                MAX_EXPORT_COLUMNS,
                found=len(header) if kind == "csv" else f"> {MAX_EXPORT_COLUMNS}",
                limit=MAX_EXPORT_COLUMNS,
            )
        ]
    problems = [
        problem("export_header_too_long", header_row, index, limit=MAX_HEADER_CHARS)
        for index, name in enumerate(header)
        if len(name) > MAX_HEADER_CHARS
    ]
    data_rows = rows[1:]
    if len(data_rows) > MAX_ROWS:
        return [Problem("too_many_rows", values={"limit": MAX_ROWS})]
    width = len(header)
    shaped: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in data_rows:
        if any(cell.strip() for cell in cells[width:]):
            index = next(i for i, cell in enumerate(cells) if i >= width and cell.strip())
            problems.append(problem("export_cell_outside_header", number, index))
            continue
        cells = (cells + [""] * width)[:width]
        for index, cell in enumerate(cells):
            if len(cell) > MAX_EXPORT_CELL_CHARS:
                problems.append(
                    problem("cell_too_long", number, index, limit=MAX_EXPORT_CELL_CHARS)
                )
        shaped.append((number, tuple(cells)))
    if problems:
        return problems[:50]
    if not shaped:
        return [Problem("no_data_rows")]
    return Export(
        kind=kind,
        sheet=sheet,
        header=tuple(name.strip() for name in header),
        header_row=header_row,
        rows=tuple(shaped),
        encoding=encoding,
        sheets=names,
    )
