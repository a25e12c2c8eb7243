"""Rebuild the municipality register from Statistics Finland's yearly keys (issue #16 item 5).

Two stages, so that the register files can be checked where neither the network nor pyreadr is:

``extract`` (run by hand, with the fetched repositories, pyreadr and openpyxl)::

    python data/register/rebuild.py extract --geofi GEOFI_GIT_DIR --sorvi SORVI_GIT_DIR

  reads rOpenGov/geofi's ``data/municipality_key_2013.rda`` ... ``_2026.rda`` (Statistics
  Finland's classification keys as geofi read them from the classification API) at
  ``GEOFI_COMMIT`` and writes ``keys/municipality_key_YYYY.csv`` with only the columns the register
  uses; and reads three of Statistics Finland's tables kept in rOpenGov/sorvi's ``inst/extdata/``
  at ``SORVI_COMMIT`` into the ``crosscheck_*`` files the tests compare the register with.

``build`` (the default; the csv module only)::

    python data/register/rebuild.py

  writes ``municipalities.csv``, ``regions.csv`` and ``wellbeing_counties.csv`` from the key CSVs
  (2013-2026) and the hand-made rows of 2009-2012 in ``handmade/`` (the keys start in 2013), then
  loads the result with ``tilannekuva.register.load_register`` to check it.
  ``tests/test_register_rebuild.py`` asserts that the build reproduces the committed files byte
  for byte. ``changes.csv`` and ``crosscheck_regions_2005.csv`` are hand-made and not built.

Sources, licences and every choice made here are in ``SOURCES.md`` next to this file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEYS_DIR = HERE / "keys"
HANDMADE_DIR = HERE / "handmade"

GEOFI_COMMIT = "de9392bbeac7ce09d13637ec000b8c9e69ce5c52"  # rOpenGov/geofi, 2026-04-02
SORVI_COMMIT = "65a9a2c57dac4fe54cbbdc695cfa34f180229932"  # rOpenGov/sorvi, 2026-02-17
KEY_YEARS = range(2013, 2027)
# Wellbeing services counties took over health and social services and rescue services on
# 1.1.2023. Statistics Finland's keys carry them from 2021 (the counties were set up by law in
# 2021), and geofi copied its 2022 county columns into its 2018-2020 keys; the register holds
# them from 2023, the first year they are in operation.
WELLBEING_YEARS = range(2023, 2027)

KEY_COLUMNS = (
    "municipality_code",
    "name_fi",
    "name_sv",
    "region_code",
    "region_fi",
    "region_sv",
    "sub_region_code",
    "sub_region_fi",
    "sub_region_sv",
    "wellbeing_county_code",
    "wellbeing_county_fi",
    "wellbeing_county_sv",
    "wellbeing_county_en",
)
MUNICIPALITY_COLUMNS = (
    "year",
    "municipality_code",
    "name_fi",
    "name_sv",
    "region_code",
    "sub_region_code",
    "sub_region_fi",
    "sub_region_sv",
    "wellbeing_county_code",
)
HANDMADE_MUNICIPALITY_COLUMNS = MUNICIPALITY_COLUMNS[:-1]
REGION_COLUMNS = ("year", "region_code", "name_fi", "name_sv")
WELLBEING_COLUMNS = ("year", "wellbeing_county_code", "name_fi", "name_sv", "name_en")
ABOLISHED_COLUMNS = (
    "date",
    "from_code",
    "from_name_fi",
    "from_name_sv",
    "to_code",
    "to_name_fi",
    "to_name_sv",
)
RENAME_COLUMNS = (
    "date",
    "municipality_code",
    "old_name_fi",
    "old_name_sv",
    "new_name_fi",
    "new_name_sv",
)
CROSSCHECK_2022_COLUMNS = (
    "municipality_code",
    "name_fi",
    "name_sv",
    "region_code",
    "sub_region_code",
)


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _read_csv(path: Path, header: Sequence[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file, strict=True)
        found = next(reader)
        if found != list(header):
            raise SystemExit(f"{path}: header {found}, expected {list(header)}")
        return [dict(zip(header, record, strict=True)) for record in reader]


# Build --------------------------------------------------------------------------------------


def _one_name_per_code(
    year: int, what: str, rows: Iterable[tuple[str, tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    """(code, *names) once per code, in code order; a code with two sets of names stops the
    build (the register would have to choose one)."""
    names: dict[str, tuple[str, ...]] = {}
    for code, value in rows:
        if names.setdefault(code, value) != value:
            raise SystemExit(f"{year}: {what} {code} has names {names[code]} and {value}")
    return [(code, *names[code]) for code in sorted(names)]


def build(keys_dir: Path = KEYS_DIR, handmade_dir: Path = HANDMADE_DIR) -> dict[str, bytes]:
    """The register files, by file name, as bytes: 2009-2012 from ``handmade/``, 2013-2026 from
    the key CSVs, each municipality's row as its year's key gives it."""
    municipalities: list[tuple[str, ...]] = []
    regions: list[tuple[str, ...]] = []
    counties: list[tuple[str, ...]] = []
    handmade = _read_csv(
        handmade_dir / "municipalities_2009_2012.csv", HANDMADE_MUNICIPALITY_COLUMNS
    )
    handmade_years = sorted({int(row["year"]) for row in handmade})
    if handmade_years != list(range(2009, KEY_YEARS[0])):
        raise SystemExit(f"handmade/municipalities_2009_2012.csv has the years {handmade_years}")
    # No key for these years: the wellbeing services county column is blank.
    municipalities += [(*(row[c] for c in HANDMADE_MUNICIPALITY_COLUMNS), "") for row in handmade]
    regions += [
        tuple(row[c] for c in REGION_COLUMNS)
        for row in _read_csv(handmade_dir / "regions_2009_2012.csv", REGION_COLUMNS)
    ]
    for year in KEY_YEARS:
        key = _read_csv(keys_dir / f"municipality_key_{year}.csv", KEY_COLUMNS)
        y = str(year)
        for row in sorted(key, key=lambda row: row["municipality_code"]):
            municipalities.append(
                (
                    y,
                    row["municipality_code"],
                    row["name_fi"],
                    row["name_sv"],
                    row["region_code"],
                    row["sub_region_code"],
                    row["sub_region_fi"],
                    row["sub_region_sv"],
                    row["wellbeing_county_code"],
                )
            )
        regions += [
            (y, *names)
            for names in _one_name_per_code(
                year,
                "region",
                ((row["region_code"], (row["region_fi"], row["region_sv"])) for row in key),
            )
        ]
        counties += [
            (y, *names)
            for names in _one_name_per_code(
                year,
                "wellbeing services county",
                (
                    (
                        row["wellbeing_county_code"],
                        (
                            row["wellbeing_county_fi"],
                            row["wellbeing_county_sv"],
                            row["wellbeing_county_en"],
                        ),
                    )
                    for row in key
                    if row["wellbeing_county_code"]
                ),
            )
        ]
    return {
        "municipalities.csv": _csv_bytes(MUNICIPALITY_COLUMNS, municipalities),
        "regions.csv": _csv_bytes(REGION_COLUMNS, regions),
        "wellbeing_counties.csv": _csv_bytes(WELLBEING_COLUMNS, counties),
    }


def write_build(directory: Path = HERE) -> None:
    for name, content in build().items():
        (directory / name).write_bytes(content)
        rows = content.count(b"\n") - 1
        print(f"wrote {directory / name} ({rows} rows)")
    # Check the result as the app will: the loader names the file, line and column of a problem.
    sys.path.insert(0, str(HERE.parent.parent))
    from tilannekuva.register import load_register

    register = load_register(directory)
    print(
        f"load_register: {len(register.municipalities)} municipality rows, years "
        f"{register.years()[0]}-{register.years()[-1]}"
    )


# Extract ------------------------------------------------------------------------------------


def _git_show(git_dir: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def _text(value: object, where: str, stripped: set[str]) -> str:
    """A name as text: geofi's keys end a few names with spaces ("Gustav Adolfs  "), which are
    dropped (and reported); a missing value stops the extract."""
    if not isinstance(value, str) or not value.strip():
        raise SystemExit(f"{where}: no text ({value!r})")
    if value != value.strip():
        stripped.add(repr(value))
    value = value.strip()
    if "  " in value:
        raise SystemExit(f"{where}: two spaces in {value!r}")
    return value


def _code(value: object, digits: int, where: str) -> str:
    """geofi stores Statistics Finland's codes as integers ("005" as 5, "01" as 1); the leading
    zeros come back by the code's width: 3 for a municipality or sub-region, 2 for a region or
    wellbeing services county."""
    number = int(value)  # type: ignore[call-overload]
    if number != value or not 0 < number < 10**digits:
        raise SystemExit(f"{where}: not a {digits}-digit code ({value!r})")
    return f"{number:0{digits}d}"


def extract_keys(geofi: Path, commit: str = GEOFI_COMMIT, keys_dir: Path = KEYS_DIR) -> None:
    import pyreadr  # only the extract needs it; CI and the app never import this

    keys_dir.mkdir(exist_ok=True)
    for year in KEY_YEARS:
        stripped: set[str] = set()
        name = f"municipality_key_{year}"
        with tempfile.TemporaryDirectory() as tmp:
            rda = Path(tmp) / f"{name}.rda"
            rda.write_bytes(_git_show(geofi, commit, f"data/{name}.rda"))
            frame = pyreadr.read_r(str(rda))[name]
        if set(frame["year"]) != {year}:
            raise SystemExit(f"{name}: years {set(frame['year'])}")
        if frame["kunta"].duplicated().any():
            raise SystemExit(f"{name}: a municipality code repeats")
        rows = []
        for record in frame.to_dict("records"):
            code = _code(record["kunta"], 3, f"{name} kunta")
            at = f"{name} {code}"
            county = ("", "", "", "")
            if year in WELLBEING_YEARS:
                county = (
                    _code(record["hyvinvointialue_code"], 2, f"{at} hyvinvointialue_code"),
                    *(
                        _text(record[f"hyvinvointialue_name_{lang}"], f"{at} {lang}", stripped)
                        for lang in ("fi", "sv", "en")
                    ),
                )
            rows.append(
                (
                    code,
                    # name_fi and name_sv are the API's names; geofi shortened only its own
                    # municipality_name_fi ("Maarianhamina - Mariehamn" to "Maarianhamina").
                    _text(record["name_fi"], f"{at} name_fi", stripped),
                    _text(record["name_sv"], f"{at} name_sv", stripped),
                    _code(record["maakunta_code"], 2, f"{at} maakunta_code"),
                    _text(record["maakunta_name_fi"], f"{at} maakunta_name_fi", stripped),
                    _text(record["maakunta_name_sv"], f"{at} maakunta_name_sv", stripped),
                    _code(record["seutukunta_code"], 3, f"{at} seutukunta_code"),
                    _text(record["seutukunta_name_fi"], f"{at} seutukunta_name_fi", stripped),
                    _text(record["seutukunta_name_sv"], f"{at} seutukunta_name_sv", stripped),
                    *county,
                )
            )
        rows.sort()
        (keys_dir / f"{name}.csv").write_bytes(_csv_bytes(KEY_COLUMNS, rows))
        print(f"wrote {keys_dir / name}.csv ({len(rows)} municipalities)")
        if stripped:
            print("  spaces dropped at the ends of", ", ".join(sorted(stripped)))


def _sheet(git_dir: Path, commit: str, path: str) -> list[tuple[object, ...]]:
    import openpyxl  # only the extract needs it

    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "sheet.xlsx"
        xlsx.write_bytes(_git_show(git_dir, commit, path))
        book = openpyxl.load_workbook(xlsx, read_only=True)
        (sheet,) = book.worksheets
        rows = list(sheet.iter_rows(values_only=True))
        book.close()
    return rows


def _cell(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _sorvi_code(value: object) -> str:
    """sorvi's sheets give a code as text ("095") or as a number (424); "-" for none."""
    text = _cell(value)
    return text if text == "-" else f"{int(text):03d}"


def extract_sorvi(sorvi: Path, commit: str = SORVI_COMMIT, directory: Path = HERE) -> None:
    """Statistics Finland's lists in sorvi's inst/extdata/, cut to 2009 onwards (the register's
    span) and to the columns the tests compare: municipalities abolished, name changes, and the
    municipalities of 2022 with their region and sub-region."""
    base = "inst/extdata/"
    start = dt.datetime(2009, 1, 1)

    rows = _sheet(sorvi, commit, base + "lakkautetut_kunnat_vuoteen_2022_asti.xlsx")
    header = tuple(_cell(c) for c in rows[2])
    if header[:4] != (
        "Lakkautettu kunta",
        "Lakkautettu kunta ruotsiksi",
        "Lakkautetun kunnan koodi",
        "Ajankohta",
    ):
        raise SystemExit(f"lakkautetut_kunnat: header {header}")
    abolished = sorted(
        (
            row[3].date().isoformat(),
            _sorvi_code(row[2]),
            _cell(row[0]),
            _cell(row[1]),
            _sorvi_code(row[4]),
            _cell(row[5]),
            _cell(row[6]),
        )
        for row in rows[3:]
        if isinstance(row[3], dt.datetime) and row[3] >= start
    )
    (directory / "crosscheck_abolished_2009_2022.csv").write_bytes(
        _csv_bytes(ABOLISHED_COLUMNS, abolished)
    )

    rows = _sheet(sorvi, commit, base + "kuntien_nimenmuutokset_vuoteen_2022_asti.xlsx")
    header = tuple(_cell(c) for c in rows[1])
    if header[:4] != (
        "Muuttuneen kunnan koodi",
        "Muuttuneen kunnan nimi",
        "Muuttuneen kunnan nimi ruotsiksi",
        "Ajankohta",
    ):
        raise SystemExit(f"kuntien_nimenmuutokset: header {header}")
    renames = sorted(
        (
            row[3].date().isoformat(),
            _sorvi_code(row[0]),
            *(_cell(c) for c in row[1:3]),
            *(_cell(c) for c in row[4:6]),
        )
        for row in rows[2:]
        if isinstance(row[3], dt.datetime) and row[3] >= start
    )
    (directory / "crosscheck_renames_2009_2022.csv").write_bytes(
        _csv_bytes(RENAME_COLUMNS, renames)
    )

    sheet_2022 = "kunnat_ja_kuntapohjaiset_alueet_2022_suomeksi_ruotsiksi_englanniksi.xlsx"
    rows = _sheet(sorvi, commit, base + sheet_2022)
    header = tuple(_cell(c) for c in rows[1])
    wanted = {
        "Kunta": 0,
        "Kunnan numero": 1,
        "Kunnan nimi ruotsiksi": 2,
        "Maakunnan koodi": 4,
        "Seutukuntakoodi": 16,
    }
    if any(header[i] != label for label, i in wanted.items()):
        raise SystemExit(f"kunnat_ja_kuntapohjaiset_alueet_2022: header {header}")
    municipalities = sorted(
        (
            _sorvi_code(row[1]),
            _cell(row[0]),
            _cell(row[2]),
            f"{int(_cell(row[4])):02d}",
            f"{int(_cell(row[16])):03d}",
        )
        for row in rows[2:]
        if row[1] is not None
    )
    (directory / "crosscheck_municipalities_2022.csv").write_bytes(
        _csv_bytes(CROSSCHECK_2022_COLUMNS, municipalities)
    )
    print(
        f"sorvi: {len(abolished)} abolished, {len(renames)} renames, "
        f"{len(municipalities)} municipalities of 2022"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="write the register files from keys/ and handmade/")
    extract = commands.add_parser("extract", help="write keys/ and crosscheck_* from the mirrors")
    extract.add_argument("--geofi", type=Path, required=True, help="rOpenGov/geofi git directory")
    extract.add_argument("--sorvi", type=Path, required=True, help="rOpenGov/sorvi git directory")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract_keys(args.geofi)
        extract_sorvi(args.sorvi)
    else:
        write_build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
