"""The municipality register (issue #7): Statistics Finland's municipality classification by year.

Four tidy files in ``data/register/`` (sources and derivation in ``data/register/SOURCES.md``;
the first, second and fourth are built by ``data/register/rebuild.py`` from Statistics Finland's
yearly keys and the hand-made rows of 2009–2012):

- ``municipalities.csv``: one row per municipality and year (1 January), 2009–2026;
- ``regions.csv``: the regions (maakunnat) of each year, Itä-Uusimaa (20) in 2009–2010;
- ``changes.csv``: mergers, region moves and renames between the years, each with its date;
- ``wellbeing_counties.csv``: the wellbeing services counties (hyvinvointialueet) of each year
  from 2023, when they took over health, social and rescue services; with Statistics Finland's
  two areas outside them, 90 Helsinki (the city provides those services itself) and 91 Åland.

Every file is checked on load; a damaged one raises :class:`RegisterFileError` naming the file,
the line (the header is line 1) and the column. Sub-regions (seutukunnat) are known only for some
years and regions: within one year and region either every municipality has its sub-region or
none has, so a blank always means "not known for that region and year", never a gap in a list.
Wellbeing services counties go the same way by year: every municipality of a year has its county
(``wellbeing_county_code``) or, before 2023, none has.
The crosswalk follows the changes from one year to a later one. :func:`check_municipality` is
the pure check the response validator will call.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tilannekuva.config import PROJECT_DIR
from tilannekuva.errors import DataFileError

# The register is reference data shipped with the code, not survey data: it does not move with
# TILANNEKUVA_DATA_DIR, so a test or a deployment with its own survey folder still has it.
REGISTER_DIR = PROJECT_DIR / "data" / "register"
MUNICIPALITIES_FILE = "municipalities.csv"
REGIONS_FILE = "regions.csv"
CHANGES_FILE = "changes.csv"
WELLBEING_COUNTIES_FILE = "wellbeing_counties.csv"
CHANGE_KINDS = ("merger", "region_move", "rename")

# Explicit column order and types, so the same files load into DuckDB later with
# ``read_csv(..., header=true, columns={...})`` and no type guessing (codes keep leading zeros).
MUNICIPALITY_COLUMNS = {
    "year": "INTEGER",
    "municipality_code": "VARCHAR",
    "name_fi": "VARCHAR",
    "name_sv": "VARCHAR",
    "region_code": "VARCHAR",
    "sub_region_code": "VARCHAR",
    "sub_region_fi": "VARCHAR",
    "sub_region_sv": "VARCHAR",
    # Added last (issue #16), so files and queries that know the first eight keep their order.
    "wellbeing_county_code": "VARCHAR",
}
REGION_COLUMNS = {
    "year": "INTEGER",
    "region_code": "VARCHAR",
    "name_fi": "VARCHAR",
    "name_sv": "VARCHAR",
}
WELLBEING_COUNTY_COLUMNS = {
    "year": "INTEGER",
    "wellbeing_county_code": "VARCHAR",
    "name_fi": "VARCHAR",
    "name_sv": "VARCHAR",
    "name_en": "VARCHAR",
}
CHANGE_COLUMNS = {
    "date": "DATE",
    "kind": "VARCHAR",
    "from_code": "VARCHAR",
    "from_name_fi": "VARCHAR",
    "to_code": "VARCHAR",
    "to_name_fi": "VARCHAR",
    "from_region_code": "VARCHAR",
    "to_region_code": "VARCHAR",
    "source": "VARCHAR",
}

_MUNICIPALITY_CODE = re.compile(r"\d{3}")
_REGION_CODE = re.compile(r"\d{2}")
# Statistics Finland's hyvinvointialue codes: 01-21 for the counties, 90 Helsinki, 91 Åland.
_WELLBEING_COUNTY_CODE = re.compile(r"\d{2}")


class RegisterFileError(DataFileError):
    """A register file is missing or damaged; ``problem`` names the line and column."""


class UnknownYearError(ValueError):
    """The register has no classification for the year asked for."""


@dataclass(frozen=True)
class Municipality:
    year: int
    code: str
    name_fi: str
    name_sv: str
    region_code: str
    sub_region_code: str  # "" where the source gives no sub-region for that year
    sub_region_fi: str
    sub_region_sv: str
    wellbeing_county_code: str = ""  # "" before 2023 (no wellbeing services counties yet)


@dataclass(frozen=True)
class SubRegion:
    """One sub-region of one year with its member municipality codes, in code order."""

    year: int
    code: str
    name_fi: str
    name_sv: str
    region_code: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    year: int
    code: str
    name_fi: str
    name_sv: str


@dataclass(frozen=True)
class WellbeingCounty:
    """A wellbeing services county (hyvinvointialue) of one year; Statistics Finland's key also
    gives 90 Helsingin kaupunki (Helsinki arranges these services itself) and 91 Ahvenanmaa."""

    year: int
    code: str
    name_fi: str
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: str
    from_code: str
    from_name_fi: str
    to_code: str
    to_name_fi: str
    from_region_code: str
    to_region_code: str
    source: str


@dataclass(frozen=True)
class CrosswalkRow:
    from_code: str
    from_name_fi: str
    from_region_code: str
    to_code: str
    to_name_fi: str
    to_region_code: str


@dataclass(frozen=True)
class RegisterIssue:
    """One thing wrong with a (code, region, name) triple. ``column`` is the response-file column
    it belongs to; ``expected`` is what the register says (empty for an unknown code)."""

    kind: str  # unknown_year | unknown_code | wrong_region | name_differs
    column: str
    value: str
    expected: str = ""


@dataclass(frozen=True)
class Register:
    municipalities: tuple[Municipality, ...]
    regions: tuple[Region, ...]
    changes: tuple[Change, ...]
    wellbeing_counties: tuple[WellbeingCounty, ...] = ()

    @functools.cached_property
    def _years(self) -> tuple[int, ...]:
        return tuple(sorted({m.year for m in self.municipalities}))

    def years(self) -> list[int]:
        return list(self._years)

    def _year(self, year: int) -> int:
        if year not in self.years():
            raise UnknownYearError(f"no register for {year}")
        return year

    def municipalities_of(self, year: int, regions: Sequence[str] = ()) -> list[Municipality]:
        """The register of ``year`` ordered by code; ``regions`` narrows it (empty = all)."""
        self._year(year)
        return sorted(
            (
                m
                for m in self.municipalities
                if m.year == year and (not regions or m.region_code in regions)
            ),
            key=lambda m: m.code,
        )

    def sub_regions_of(self, year: int, regions: Sequence[str] = ()) -> list[SubRegion]:
        """The sub-regions of ``year`` known to the register, ordered by code; ``regions``
        narrows them (empty = all). A region whose sub-regions are not known for that year
        has none here (see data/register/SOURCES.md for what is known)."""
        members: dict[str, list[Municipality]] = {}
        for m in self.municipalities_of(year, regions):
            if m.sub_region_code:
                members.setdefault(m.sub_region_code, []).append(m)
        return [
            SubRegion(
                year,
                code,
                group[0].sub_region_fi,
                group[0].sub_region_sv,
                group[0].region_code,
                tuple(m.code for m in group),
            )
            for code, group in sorted(members.items())
        ]

    def regions_of(self, year: int) -> list[Region]:
        self._year(year)
        return sorted((r for r in self.regions if r.year == year), key=lambda r: r.code)

    def wellbeing_counties_of(self, year: int) -> list[WellbeingCounty]:
        """The wellbeing services counties of ``year`` ordered by code; none before 2023."""
        self._year(year)
        return sorted((c for c in self.wellbeing_counties if c.year == year), key=lambda c: c.code)

    def wellbeing_county(self, year: int, code: str) -> WellbeingCounty | None:
        return next((c for c in self.wellbeing_counties if (c.year, c.code) == (year, code)), None)

    @functools.cached_property
    def _by_year_code(self) -> dict[tuple[int, str], Municipality]:
        return {(m.year, m.code): m for m in self.municipalities}

    def municipality(self, year: int, code: str) -> Municipality | None:
        return self._by_year_code.get((year, code))

    def crosswalk(self, from_year: int, to_year: int) -> list[CrosswalkRow]:
        """One row per municipality of ``from_year``: where it is in ``to_year``.

        A change dated 1 January of year Y is in force in the register of Y, so the changes
        followed are those with ``from_year < date.year <= to_year``, in date order. Mergers
        move a code to its successor; region moves and renames keep the code, and the region and
        name come from the ``to_year`` register. Going back in time is refused: a merged
        municipality has several predecessors, so no one-row-each answer exists.
        """
        self._year(from_year)
        self._year(to_year)
        if to_year < from_year:
            raise ValueError(
                "the crosswalk goes forward in time: FROM_YEAR must not be after TO_YEAR"
            )
        successor: dict[str, str] = {}
        for change in sorted(self.changes, key=lambda c: c.date):
            if change.kind == "merger" and from_year < change.date.year <= to_year:
                successor[change.from_code] = change.to_code
        later = {m.code: m for m in self.municipalities_of(to_year)}
        rows = []
        for m in self.municipalities_of(from_year):
            code = m.code
            while code in successor:
                code = successor[code]
            target = later[code]  # load_register checked that codes only go by mergers
            rows.append(
                CrosswalkRow(
                    m.code,
                    m.name_fi,
                    m.region_code,
                    target.code,
                    target.name_fi,
                    target.region_code,
                )
            )
        return rows


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def accepted_names(municipality: Municipality) -> set[str]:
    """The names a response may use: Finnish or Swedish, and each half of a bilingual official
    form such as "Maarianhamina - Mariehamn"."""
    names = {municipality.name_fi, municipality.name_sv}
    for name in list(names):
        names.update(part for part in name.split(" - ") if part.strip())
    return {_normal(name) for name in names}


def check_municipality(
    register: Register, year: int, municipality_code: str, region_code: str, name: str
) -> list[RegisterIssue]:
    """What is wrong with one response row against the register of ``year`` (empty = nothing).

    An unknown code makes the region and name checks moot, so it is reported alone. A blank name
    is not checked here (whether the name is required is the response schema's business).
    """
    if year not in register.years():
        return [RegisterIssue("unknown_year", "wave", str(year))]
    found = register.municipality(year, municipality_code)
    if found is None:
        return [RegisterIssue("unknown_code", "municipality_code", municipality_code)]
    issues = []
    if region_code != found.region_code:
        issues.append(RegisterIssue("wrong_region", "region_code", region_code, found.region_code))
    if name.strip() and _normal(name) not in accepted_names(found):
        issues.append(RegisterIssue("name_differs", "municipality_name", name, found.name_fi))
    return issues


# Loading ---------------------------------------------------------------------------------------

Check = Callable[[str], str | None]  # returns a problem text, or None when the value is fine


def _pattern(regex: re.Pattern[str], what: str) -> Check:
    return lambda value: None if regex.fullmatch(value) else f"{what}, got {value!r}"


def _year(value: str) -> str | None:
    return None if re.fullmatch(r"(19|20)\d\d", value) else f"a year such as 2009, got {value!r}"


def _date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"a date YYYY-MM-DD, got {value!r}"
    return None


def _text(value: str) -> str | None:
    if not value:
        return "a name, got an empty cell"
    return "no spaces at either end" if value != value.strip() else None


def _optional(check: Check) -> Check:
    return lambda value: None if value == "" else check(value)


def _kind(value: str) -> str | None:
    return None if value in CHANGE_KINDS else f"one of {', '.join(CHANGE_KINDS)}, got {value!r}"


_CODE = _pattern(_MUNICIPALITY_CODE, "a 3-digit municipality code")
_REGION = _pattern(_REGION_CODE, "a 2-digit region code")
_WELLBEING_COUNTY = _pattern(_WELLBEING_COUNTY_CODE, "a 2-digit wellbeing services county code")
_CHECKS: dict[str, dict[str, Check]] = {
    MUNICIPALITIES_FILE: {
        "year": _year,
        "municipality_code": _CODE,
        "name_fi": _text,
        "name_sv": _text,
        "region_code": _REGION,
        "sub_region_code": _optional(_CODE),
        "sub_region_fi": _optional(_text),
        "sub_region_sv": _optional(_text),
        "wellbeing_county_code": _optional(_WELLBEING_COUNTY),
    },
    REGIONS_FILE: {"year": _year, "region_code": _REGION, "name_fi": _text, "name_sv": _text},
    WELLBEING_COUNTIES_FILE: {
        "year": _year,
        "wellbeing_county_code": _WELLBEING_COUNTY,
        "name_fi": _text,
        "name_sv": _text,
        "name_en": _text,
    },
    CHANGES_FILE: {
        "date": _date,
        "kind": _kind,
        "from_code": _CODE,
        "from_name_fi": _text,
        "to_code": _CODE,
        "to_name_fi": _text,
        "from_region_code": _REGION,
        "to_region_code": _REGION,
        "source": _text,
    },
}


def _read(directory: Path, file: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of one file with their line numbers, every cell checked against its column."""
    columns = _CHECKS[file]
    try:
        text = (directory / file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegisterFileError(file, "missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RegisterFileError(file, f"cannot be read as UTF-8 text ({error})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        if header != list(columns):
            raise RegisterFileError(file, f"line 1: the header must be {','.join(columns)}")
        rows = []
        for record in reader:
            line = reader.line_num
            if len(record) != len(columns):
                raise RegisterFileError(
                    file, f"line {line}: {len(record)} fields, the header has {len(columns)}"
                )
            row = dict(zip(columns, record, strict=True))
            for number, (column, check) in enumerate(columns.items(), start=1):
                problem = check(row[column])
                if problem:
                    raise RegisterFileError(
                        file, f"line {line}, column {number} ({column}): expected {problem}"
                    )
            rows.append((line, row))
    except csv.Error as error:
        raise RegisterFileError(file, f"line {reader.line_num}: {error}") from None
    return rows


def _fail(file: str, line: int, column: str, problem: str) -> RegisterFileError:
    number = list(_CHECKS[file]).index(column) + 1
    return RegisterFileError(file, f"line {line}, column {number} ({column}): {problem}")


def _unique(file: str, rows: Iterable[tuple[int, dict[str, str]]], key: tuple[str, ...]) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for line, row in rows:
        value = tuple(row[k] for k in key)
        if value in seen:
            raise _fail(file, line, key[-1], f"{'/'.join(value)} repeats line {seen[value]}")
        seen[value] = line


def _check_change(
    line: int, row: dict[str, str], region_of: dict[tuple[str, str], str], years: set[str]
) -> None:
    """A change must fit the registers either side of its date, where the file has them: the
    old code and region the year before, the new ones that year, a merged code gone."""
    year = int(row["date"][:4])
    if row["date"][4:] != "-01-01":
        raise _fail(CHANGES_FILE, line, "date", "changes take effect on 1 January")
    if row["kind"] != "merger" and row["from_code"] != row["to_code"]:
        raise _fail(CHANGES_FILE, line, "to_code", f"a {row['kind']} keeps the code")
    sides = (
        ("from_code", "from_region_code", str(year - 1)),
        ("to_code", "to_region_code", str(year)),
    )
    for code_column, region_column, wanted in sides:
        if wanted not in years:
            continue
        region = region_of.get((wanted, row[code_column]))
        if region is None:
            raise _fail(
                CHANGES_FILE,
                line,
                code_column,
                f"{row[code_column]} is not in the register of {wanted}",
            )
        if region != row[region_column]:
            raise _fail(
                CHANGES_FILE,
                line,
                region_column,
                f"{row[code_column]} is in region {region} in {wanted}",
            )
    if row["kind"] == "merger" and (str(year), row["from_code"]) in region_of:
        raise _fail(
            CHANGES_FILE,
            line,
            "from_code",
            f"{row['from_code']} merged on {row['date']} but is still in the register of {year}",
        )


def _check_sub_regions(m_rows: list[tuple[int, dict[str, str]]]) -> None:
    """Sub-regions are filled region by region: within one year and region every municipality
    has one or none has (a partial list would read as "these have no sub-region"), one code
    has one pair of names, and one code lies in one region."""
    first_line: dict[tuple[str, str], tuple[int, bool]] = {}
    names: dict[tuple[str, str], tuple[int, str, str, str]] = {}
    for line, row in m_rows:
        key = (row["year"], row["region_code"])
        has = row["sub_region_code"] != ""
        if key not in first_line:
            first_line[key] = (line, has)
        elif first_line[key][1] != has:
            other, _ = first_line[key]
            raise _fail(
                MUNICIPALITIES_FILE,
                line,
                "sub_region_code",
                f"region {row['region_code']} in {row['year']} has sub-regions on some lines "
                f"only (compare line {other}): give every municipality of it one, or none",
            )
        if not has:
            continue
        code_key = (row["year"], row["sub_region_code"])
        seen = (row["region_code"], row["sub_region_fi"], row["sub_region_sv"])
        if code_key not in names:
            names[code_key] = (line, *seen)
            continue
        other, *expected = names[code_key]
        if tuple(expected) != seen:
            columns = ("region_code", "sub_region_fi", "sub_region_sv")
            column = next(c for c, a, b in zip(columns, expected, seen, strict=True) if a != b)
            raise _fail(
                MUNICIPALITIES_FILE,
                line,
                column,
                f"sub-region {row['sub_region_code']} of {row['year']} differs from line {other}"
                f" ({', '.join(expected)})",
            )


def _check_wellbeing_counties(
    m_rows: list[tuple[int, dict[str, str]]], w_rows: list[tuple[int, dict[str, str]]]
) -> None:
    """Every municipality's county is one of its year's, and a year has counties for every
    municipality or for none (Statistics Finland's key gives Åland one too: 91)."""
    counties = {(row["year"], row["wellbeing_county_code"]) for _, row in w_rows}
    first_line: dict[str, tuple[int, bool]] = {}
    for line, row in m_rows:
        code = row["wellbeing_county_code"]
        if code and (row["year"], code) not in counties:
            raise _fail(
                MUNICIPALITIES_FILE,
                line,
                "wellbeing_county_code",
                f"no wellbeing services county {code} in {WELLBEING_COUNTIES_FILE} "
                f"for {row['year']}",
            )
        first, has = first_line.setdefault(row["year"], (line, code != ""))
        if has != (code != ""):
            raise _fail(
                MUNICIPALITIES_FILE,
                line,
                "wellbeing_county_code",
                f"{row['year']} has wellbeing services counties on some lines only (compare "
                f"line {first}): give every municipality of the year one, or none",
            )
    used = {(row["year"], row["wellbeing_county_code"]) for _, row in m_rows}
    for line, row in w_rows:
        if (row["year"], row["wellbeing_county_code"]) not in used:
            raise _fail(
                WELLBEING_COUNTIES_FILE,
                line,
                "wellbeing_county_code",
                f"no municipality of {row['year']} is in county {row['wellbeing_county_code']}",
            )


def _check_continuity(
    m_rows: list[tuple[int, dict[str, str]]], c_rows: list[tuple[int, dict[str, str]]]
) -> None:
    """A code leaves the register only by a merger and a new one enters only as a merger's
    target, so the crosswalk can always follow a municipality to a later year."""
    lines = {(row["year"], row["municipality_code"]): line for line, row in m_rows}
    codes: dict[int, set[str]] = {}
    for year, code in lines:
        codes.setdefault(int(year), set()).add(code)
    merged = [row for _, row in c_rows if row["kind"] == "merger"]
    for year in sorted(codes):
        if year - 1 not in codes:
            continue
        gone = codes[year - 1] - codes[year]
        new = codes[year] - codes[year - 1]
        dated = [row for row in merged if int(row["date"][:4]) == year]
        for code in sorted(gone - {row["from_code"] for row in dated}):
            raise _fail(
                MUNICIPALITIES_FILE,
                lines[(str(year - 1), code)],
                "municipality_code",
                f"{code} is not in {year} and no merger in {CHANGES_FILE} says where it went",
            )
        for code in sorted(new - {row["to_code"] for row in dated}):
            raise _fail(
                MUNICIPALITIES_FILE,
                lines[(str(year), code)],
                "municipality_code",
                f"{code} is new in {year} and no merger in {CHANGES_FILE} forms it",
            )


def load_register(directory: Path = REGISTER_DIR) -> Register:
    """Read and check the four register files; the first problem found raises
    :class:`RegisterFileError` with its file, line and column."""
    m_rows = _read(directory, MUNICIPALITIES_FILE)
    r_rows = _read(directory, REGIONS_FILE)
    c_rows = _read(directory, CHANGES_FILE)
    w_rows = _read(directory, WELLBEING_COUNTIES_FILE)
    _unique(MUNICIPALITIES_FILE, m_rows, ("year", "municipality_code"))
    _unique(REGIONS_FILE, r_rows, ("year", "region_code"))
    _unique(WELLBEING_COUNTIES_FILE, w_rows, ("year", "wellbeing_county_code"))

    regions = {(row["year"], row["region_code"]) for _, row in r_rows}
    for line, row in m_rows:
        if (row["year"], row["region_code"]) not in regions:
            raise _fail(
                MUNICIPALITIES_FILE,
                line,
                "region_code",
                f"no region {row['region_code']} in {REGIONS_FILE} for {row['year']}",
            )
        if (row["sub_region_code"] == "") != (row["sub_region_fi"] == "") or (
            row["sub_region_fi"] == ""
        ) != (row["sub_region_sv"] == ""):
            raise _fail(
                MUNICIPALITIES_FILE,
                line,
                "sub_region_code",
                "a sub-region needs its code and both names, or none of them",
            )
    _check_sub_regions(m_rows)
    _check_wellbeing_counties(m_rows, w_rows)
    region_of = {(row["year"], row["municipality_code"]): row["region_code"] for _, row in m_rows}
    years = {year for year, _ in region_of}
    for line, row in c_rows:
        _check_change(line, row, region_of, years)
    _check_continuity(m_rows, c_rows)

    return Register(
        municipalities=tuple(
            Municipality(
                int(r["year"]),
                r["municipality_code"],
                r["name_fi"],
                r["name_sv"],
                r["region_code"],
                r["sub_region_code"],
                r["sub_region_fi"],
                r["sub_region_sv"],
                r["wellbeing_county_code"],
            )
            for _, r in m_rows
        ),
        regions=tuple(
            Region(int(r["year"]), r["region_code"], r["name_fi"], r["name_sv"]) for _, r in r_rows
        ),
        changes=tuple(
            Change(
                dt.date.fromisoformat(r["date"]),
                r["kind"],
                r["from_code"],
                r["from_name_fi"],
                r["to_code"],
                r["to_name_fi"],
                r["from_region_code"],
                r["to_region_code"],
                r["source"],
            )
            for _, r in c_rows
        ),
        wellbeing_counties=tuple(
            WellbeingCounty(
                int(r["year"]), r["wellbeing_county_code"], r["name_fi"], r["name_sv"], r["name_en"]
            )
            for _, r in w_rows
        ),
    )
