"""The data folder's layout and the checks that need no database: which response files there are,
whether a file's header is the one expected, and the keys that validating one response file needs.
Apart from db.py so that validating a file does not start DuckDB (issue #9: the CLI imports
nothing it does not need)."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.errors import DataFileError
from tilannekuva.schema import TABLE_FILES, TableFile

RESPONSES_DIR = "responses"
EXAMPLES_DIR = "examples"


# A wave whose id starts with this is fictional wherever it is stored (issue #17: the example
# exports in examples/exports/ import as esimerkki-2014-forms and so on): checked against the
# example register, shown with the example banner, never compared with real waves. The shipped
# example rounds' ids start with it too.
FICTIONAL_PREFIX = "esimerkki"
EXAMPLE_REGISTER_DIR = f"{EXAMPLES_DIR}/register"
# The single example wave (examples/esimerkki.csv), whose regional figures equal the 2009 table.
EXAMPLE_WAVE = "esimerkki"
# The example survey-tool exports (issue #17), made by examples/exports/make_exports.py.
EXAMPLE_EXPORTS_DIR = f"{EXAMPLES_DIR}/exports"
EXAMPLE_EXPORTS = (
    "forms-kunnat.xlsx",
    "webropol-poliisi.xlsx",
    "limesurvey-pelastus.csv",
    "pohja-esimerkki.csv",
)


def is_fictional(wave: str) -> bool:
    return wave.startswith(FICTIONAL_PREFIX)


def response_names(data_dir: Path) -> list[tuple[str, bool]]:
    """The response-level wave files, as names relative to the data folder ("responses/2025.csv"),
    and whether each is fictional. Imported waves live in responses/, the clearly fictional example
    waves in examples/; an imported wave with a fictional id (is_fictional) is fictional too."""
    return [
        (f"{folder}/{name}", folder == EXAMPLES_DIR or is_fictional(name[: -len(".csv")]))
        for folder in (RESPONSES_DIR, EXAMPLES_DIR)
        for name in _csv_names(data_dir / folder)
    ]


def _csv_names(folder: Path) -> list[str]:
    """The names in ``folder`` ending in .csv, sorted: what ``sorted(folder.glob("*.csv"))``
    gives, without building and comparing a Path per file (a third of a load's time spent on
    listing 2,000 waves, issue #22)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries if entry.name.endswith(".csv"))
    except (FileNotFoundError, NotADirectoryError):
        return []


def check_header(path: Path, table: TableFile, name: str) -> None:
    """Name the problem in a file before DuckDB sees it, so the start page can say it plainly."""
    if not path.is_file():
        raise DataFileError(name, "missing")
    try:
        # utf-8-sig: Excel saves a CSV with a byte order mark, which DuckDB's reader skips too.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        raise DataFileError(name, "not UTF-8 text") from None
    if header is None:
        raise DataFileError(name, "empty file")
    expected = list(table.column_names)
    if header != expected:
        raise DataFileError(name, f"header is {','.join(header)}; expected {','.join(expected)}")


def reference_keys(data_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(region codes, waves published as regional tables): what validating one response file
    needs, read from those two files only (their header checked as the loader checks it), so
    that validating does not grow with the waves already stored nor start DuckDB (issue #9).
    DataFileError when either file is missing or damaged."""
    keys = []
    for table in TABLE_FILES:
        if table.table not in ("region_names", "published_region_status"):
            continue
        path = data_dir / table.file
        check_header(path, table, table.file)
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))[1:]
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise DataFileError(table.file, str(error)) from None
        keys.append(frozenset(row[0] for row in rows if row))
    regions, regional_waves = keys
    return regions, regional_waves


@dataclass(frozen=True)
class DeclaredWave:
    """What waves.csv says of a wave that validating its file needs (None or "" where blank)."""

    classification_year: int | None
    area: str
    questionnaire: str


def _rows(data_dir: Path, table_name: str) -> tuple[TableFile, list[list[str]]]:
    """The data rows of one shipped table's file, its header checked as the loader checks it."""
    table = next(table for table in TABLE_FILES if table.table == table_name)
    path = data_dir / table.file
    check_header(path, table, table.file)
    width = len(table.column_names)
    rows = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            # strict, and every row as wide as the header, as the loader reads it: a file the
            # loader refuses (an unclosed quote) is refused here too, before an import writes.
            reader = csv.reader(handle, strict=True)
            next(reader)
            for row in reader:
                if row and len(row) != width:
                    problem = f"line {reader.line_num}: {len(row)} cells, the header has {width}"
                    raise DataFileError(table.file, problem)
                if row:
                    rows.append(row)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataFileError(table.file, str(error)) from None
    return table, rows


def declared_waves(data_dir: Path) -> dict[str, DeclaredWave]:
    """{wave id: its classification year, area and questionnaire} as waves.csv declares them,
    read from that file only (issues #7 and #16)."""
    table, rows = _rows(data_dir, "wave_metadata")
    names = table.column_names
    declared = {}
    for row in rows:
        cells = dict(zip(names, row, strict=False))
        year = cells.get("classification_year", "").strip()
        declared[row[0]] = DeclaredWave(
            int(year) if year.isdigit() else None,
            cells.get("area", "").strip(" "),
            cells.get("questionnaire", "").strip(" "),
        )
    return declared


def declared_classification_years(data_dir: Path) -> dict[str, int | None]:
    """{wave id: classification year} as waves.csv declares it (None where the cell is blank)."""
    return {wave: row.classification_year for wave, row in declared_waves(data_dir).items()}


@dataclass(frozen=True)
class NamedArea:
    """A named area of areas.csv (issue #16): a country or an AVI area by its regions, or a
    wellbeing services county by its code in the register."""

    area_id: str
    kind: str
    regions: frozenset[str]
    wellbeing_county_code: str
    valid_from: int | None = None
    valid_to: int | None = None

    def valid_in(self, year: int) -> bool:
        """Whether the area existed in ``year`` (valid_from and valid_to are inclusive)."""
        return (self.valid_from or year) <= year <= (self.valid_to or year)


def named_areas(data_dir: Path) -> dict[str, NamedArea]:
    """{area id: the area} of areas.csv, read from that file only."""
    _, rows = _rows(data_dir, "named_areas")

    def year(cell: str) -> int | None:
        return int(cell) if cell.strip().isdigit() else None

    return {
        row[0]: NamedArea(
            row[0],
            row[1],
            frozenset(code for code in row[5].split(";") if code),
            row[6],
            year(row[7]),
            year(row[8]),
        )
        for row in rows
        if len(row) >= 9
    }


def area_label(value: str, data_dir: Path, lang: str) -> str:
    """A wave's area (an area id of areas.csv, or region codes joined by ";") by its name in
    ``lang`` for a message: the area's name, or the regions' names; an unknown id or code as is."""
    column = 2 + ("fi", "sv", "en").index(lang)
    _, areas = _rows(data_dir, "named_areas")
    for row in areas:
        if row[0] == value and len(row) > column:
            return row[column]
    _, regions = _rows(data_dir, "region_names")
    names = {row[0]: row[column - 1] for row in regions if len(row) >= column}
    return ", ".join(names.get(code, code) for code in value.split(";"))
