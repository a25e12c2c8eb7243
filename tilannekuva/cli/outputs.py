"""The commands that print data: ``export``, ``publish``, ``pack``, ``map`` and ``register`` (see
cli/__init__.py).
Imported only when one of them runs, so validate and import do not pay for pandas and DuckDB."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from tilannekuva import open_data
from tilannekuva.areas import view_area
from tilannekuva.cli import CommandFailedError
from tilannekuva.config import data_dir
from tilannekuva.db import Database
from tilannekuva.errors import DataFileError, UsageError, shown
from tilannekuva.i18n import LANGUAGES
from tilannekuva.open_data import licence_from_environment, table_bytes
from tilannekuva.provenance import make_provenance
from tilannekuva.tables import TABLES, Selection, build_table, wave_regions, wave_rows
from tilannekuva.wave import Wave


def _selection(db: Database, args: argparse.Namespace) -> tuple[Wave, Selection]:
    """The wave and the selection of ``--wave``, ``--region``, ``--artu``, ``--lang``;
    UsageError for an unknown wave or region, or an ARTU filter on a regional table."""
    if not args.wave:
        raise UsageError(f"{args.command}: --wave is required")
    for left_out in db.unavailable:
        if left_out.wave == args.wave:  # listed in waves.csv, but its data did not load
            problem = f"wave {left_out.wave} is unavailable: {left_out.problem}"
            raise DataFileError(left_out.file, problem)
    waves = wave_rows(db, args.lang)
    rows = waves[waves["wave_id"] == args.wave]
    if rows.empty:
        raise UsageError(f"unknown wave: {args.wave}")
    wave = Wave.from_record(rows.iloc[0].to_dict())
    known_regions = set(db.run("regions", lang=args.lang)["region_code"])
    own = wave_regions(db, args.wave)
    for code in args.region:
        if code not in known_regions:
            raise UsageError(f"unknown region: {code}")
        if own and code not in own:  # a region outside the wave's area has no figures in it
            area = view_area(db, Selection(args.wave, (), args.lang)).name
            raise UsageError(f"region {code} is not in the area of wave {args.wave} ({area})")
    if args.artu != "all" and not wave.response_level:
        raise UsageError(f"--artu needs a response-level wave; {args.wave} is a regional table")
    regions = tuple(dict.fromkeys(args.region))
    total = getattr(args, "total", True)
    return wave, Selection(args.wave, regions, args.lang, total, artu=args.artu)


def export(args: argparse.Namespace) -> bytes:
    if args.list:
        if args.table:
            raise UsageError(f"export --list takes no table name (got {args.table})")
        return "".join(f"{name}\n" for name in TABLES).encode()
    if not args.table:
        raise UsageError("export: a table name or --list is required")
    spec = TABLES.get(args.table)
    if spec is None:
        raise UsageError(f"unknown table: {args.table} (see export --list)")
    db = Database(data_dir())
    wave, selection = _selection(db, args)
    if spec.response_level and not wave.response_level:
        raise UsageError(
            f"table {spec.name} needs a response-level wave (one answer per municipality); "
            f"{args.wave} is a regional table"
        )
    frame = build_table(db, spec.name, selection)
    prov = make_provenance(wave, selection, view_area(db, selection).name)
    return table_bytes(spec, frame, selection, prov, args.format)


def publish(args: argparse.Namespace) -> bytes:
    """publish -o DIR: the open data folder (open_data.publish); one line saying what it wrote."""
    db = Database(data_dir())
    languages = tuple(dict.fromkeys(args.lang or LANGUAGES))
    licence = open_data.checked_licence((args.licence or "").strip() or licence_from_environment())
    index = open_data.publish(db, Path(args.output), languages=languages, licence=licence)
    waves = ", ".join(shown(wave["id"]) for wave in index["waves"]) or "none"
    return (
        f"{len(index['files'])} files of {len(index['tables'])} tables (waves: {waves}; "
        f"languages: {', '.join(languages)}; licence: {licence}) in {shown(args.output, None)}\n"
    ).encode()


def pack(args: argparse.Namespace) -> bytes:
    """The meeting pack as PDF bytes. A pack that cannot be made — a fault of this program, not
    of the arguments or the data, which are checked before — is one line on stderr and exit 1,
    never a traceback (issue #22: a nationwide wave ended in ReportLab's LayoutError)."""
    # Imported here: the PDF and chart libraries are needed by this command only.
    from tilannekuva.pack import pack_bytes

    db = Database(data_dir())
    wave, selection = _selection(db, args)
    prov = make_provenance(wave, selection, view_area(db, selection).name)
    try:
        return pack_bytes(db, selection, prov)
    except Exception as error:  # any fault: one line (main), not a traceback
        reason = f"{type(error).__name__}: {error}"
        raise CommandFailedError(
            f"the meeting pack of wave {args.wave} could not be made: {reason}"
        ) from None


def map_image(args: argparse.Namespace) -> bytes:
    """The map of one measure as SVG or PNG, with the chart images' heading and footer (issue
    #18): UsageError for a measure the wave's map does not have."""
    # Imported here: the chart libraries are needed by this command only.
    from tilannekuva import map_chart
    from tilannekuva.chart_images import image_footer, image_heading, png_bytes, svg_bytes

    db = Database(data_dir())
    wave, selection = _selection(db, args)
    frame = build_table(db, "map_municipalities", selection)
    if frame.empty:
        raise UsageError(f"wave {args.wave} has no map: its classification year is not known")
    known = map_chart.measures_of(frame)
    if args.measure not in known:
        raise UsageError(
            f"unknown measure for wave {args.wave}: {args.measure} (one of: {', '.join(known)})"
        )
    chart, lines = map_chart.figure(frame, args.measure, args.lang, links=False)
    area = view_area(db, selection).name
    prov = make_provenance(wave, selection, area)
    name = map_chart.measure_name(frame, args.measure, args.lang)
    heading = f"{image_heading('map', args.lang, area)}: {name}"
    draw = png_bytes if args.format == "png" else svg_bytes
    return draw(chart, image_footer(prov, args.lang, lines), heading)


REGISTER_COLUMNS = (
    "municipality_code",
    "name_fi",
    "name_sv",
    "region_code",
    "sub_region_code",
    "sub_region_fi",
)
CROSSWALK_COLUMNS = (
    "from_code",
    "from_name_fi",
    "from_region_code",
    "to_code",
    "to_name_fi",
    "to_region_code",
)


def register_csv(args: argparse.Namespace) -> bytes:
    """register --year / --crosswalk: the register as CSV (UTF-8, comma, CRLF like export)."""
    if (args.year is None) == (args.crosswalk is None):
        raise UsageError("register: give --year YEAR or --crosswalk FROM_YEAR TO_YEAR")
    from tilannekuva.register import load_register

    register = load_register()
    years = register.years()
    span = f"the register has {years[0]}-{years[-1]}"
    for year in [args.year] if args.crosswalk is None else args.crosswalk:
        if year not in years:
            raise UsageError(f"unknown year: {year} ({span})")
    out = io.StringIO()
    writer = csv.writer(out)
    if args.crosswalk is not None:
        if args.region:
            raise UsageError("register: --region goes with --year, not --crosswalk")
        from_year, to_year = args.crosswalk
        if to_year < from_year:
            raise UsageError("register: the crosswalk goes forward: FROM_YEAR <= TO_YEAR")
        writer.writerow(CROSSWALK_COLUMNS)
        for row in register.crosswalk(from_year, to_year):
            writer.writerow([getattr(row, column) for column in CROSSWALK_COLUMNS])
        return out.getvalue().encode()
    known = [region.code for region in register.regions_of(args.year)]
    for code in args.region:
        if code not in known:
            raise UsageError(f"unknown region for {args.year}: {code} (known: {' '.join(known)})")
    writer.writerow(REGISTER_COLUMNS)
    for m in register.municipalities_of(args.year, tuple(args.region)):
        writer.writerow(
            [m.code, m.name_fi, m.name_sv, m.region_code, m.sub_region_code, m.sub_region_fi]
        )
    return out.getvalue().encode()


def questionnaire_csv(args: argparse.Namespace) -> bytes:
    """questionnaire [--id ID] [--lang]: the questionnaire as CSV (questionnaire_files)."""
    from tilannekuva.questionnaire import shipped_questionnaires
    from tilannekuva.questionnaire_files import questionnaire_csv as as_csv

    questionnaires = shipped_questionnaires()
    if args.lang not in LANGUAGES:
        raise UsageError(f"unknown language: {args.lang} (fi, sv or en)")
    if args.id is not None and not args.id.strip():
        raise UsageError("--id names no questionnaire")
    chosen = args.id or max(questionnaires)
    if chosen not in questionnaires:
        raise UsageError(f"unknown questionnaire: {chosen} (known: {' '.join(questionnaires)})")
    return as_csv(questionnaires[chosen], args.lang)
