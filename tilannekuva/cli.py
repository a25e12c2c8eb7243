"""``python -m tilannekuva``: the tables of the dashboard on the command line.

    python -m tilannekuva export region_status --wave 2009 --region 10 --total
    python -m tilannekuva export --list
    python -m tilannekuva validate FILE [--lang fi|sv|en] [--replace]
    python -m tilannekuva import FILE [--replace]
    python -m tilannekuva check
    python -m tilannekuva register --year 2009 [--region 10]...
    python -m tilannekuva register --crosswalk 2009 2026

A bad argument, an unknown table, wave or region: exit code 2 and one line on stderr; a missing or
damaged data file: exit code 1 and one line. Never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import os
import stat
import sys
from collections.abc import Sequence
from typing import NoReturn

from tilannekuva.config import data_dir
from tilannekuva.errors import DataFileError
from tilannekuva.i18n import LANGUAGES, t

# Each command imports what it needs when it runs: validate and import never load pandas, the
# tables or the exports (issue #9: an import costs little more than the interpreter's start).

EXIT_DATA = 1
EXIT_REJECTED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and the error on several lines; the contract is one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m tilannekuva", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    export = commands.add_parser("export", help="write one table to stdout")
    export.add_argument("table", nargs="?", help="table name; see --list")
    export.add_argument("--list", action="store_true", help="list the table names")
    export.add_argument("--wave", help="survey wave id, e.g. 2009")
    export.add_argument(
        "--region", action="append", default=[], help="region code; repeat for several"
    )
    export.add_argument("--format", choices=("csv", "excel"), default="csv")
    export.add_argument("--total", action="store_true", help="append the total row(s)")
    export.add_argument("--lang", choices=LANGUAGES, default="fi", help="language of names")
    for name, help_text in (
        ("validate", "check a response file; exit 0 when valid, 1 with the problems when not"),
        ("import", "validate a response file and add its wave to the data folder"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("file", help="the response file (CSV)")
        command.add_argument("--lang", choices=LANGUAGES, default="fi")
        command.add_argument(
            "--replace", action="store_true", help="replace an existing wave (archived)"
        )
    commands.add_parser(
        "check", help="load the data folder; name every file that does not load, and why"
    )
    register = commands.add_parser("register", help="the municipality register of a year, as CSV")
    register.add_argument("--year", type=int, help="classification year, e.g. 2009")
    register.add_argument(
        "--region", action="append", default=[], help="region code; repeat for several"
    )
    register.add_argument(
        "--crosswalk",
        nargs=2,
        type=int,
        metavar=("FROM_YEAR", "TO_YEAR"),
        help="where each municipality of FROM_YEAR is in TO_YEAR",
    )
    return parser


def read_limited(path: str, limit: int) -> bytes | None:
    """The file's bytes, or None when it is larger than ``limit``. The size is checked before
    reading and at most ``limit`` + 1 bytes are read, so /dev/zero or a FIFO cannot fill memory
    (issue #10: ``validate /dev/zero`` grew to 24 GB)."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise UsageError(f"cannot read {path}: it is a folder")
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                return None
            data = handle.read(limit + 1)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    return data if len(data) <= limit else None


def _problems_or_summary(args: argparse.Namespace) -> int:
    """validate and import: the summary on stdout, or the problems on stderr and exit 1."""
    from tilannekuva.importer import import_responses, validate_file
    from tilannekuva.responses import MAX_FILE_BYTES, Problem

    data = read_limited(args.file, MAX_FILE_BYTES)
    if data is None:
        print(
            Problem("too_large", values={"limit": MAX_FILE_BYTES // 1024}).message(args.lang),
            file=sys.stderr,
        )
        return EXIT_REJECTED
    if args.command == "validate":
        report = validate_file(data, data_dir(), replace=args.replace)
        problems, ok = report.problems, report.ok
    else:
        result = import_responses(data, data_dir(), replace=args.replace)
        report, problems, ok = result.report, result.all_problems(), result.ok
    if not ok:
        for problem in problems:
            print(problem.message(args.lang), file=sys.stderr)
        return EXIT_REJECTED
    print(report.summary(args.lang))
    print(t(args.lang, "import.sample_names", names=", ".join(report.sample_names())))
    return 0


def _check_data() -> int:
    """check: every data file loads, or each one that does not, with what is wrong (the details
    that the app keeps to its log)."""
    from tilannekuva.db import Database

    folder = data_dir()
    database = Database(folder)
    for wave in database.unavailable:
        print(
            f"error: data file {wave.file}: {wave.problem} (wave {wave.wave} is not shown)",
            file=sys.stderr,
        )
    if database.unavailable:
        return EXIT_DATA
    print(f"ok: every data file in {folder} loads")
    return 0


def _export(args: argparse.Namespace) -> bytes:
    from tilannekuva.db import Database
    from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes
    from tilannekuva.tables import TABLES, Selection, build_table

    if args.list:
        return "".join(f"{name}\n" for name in TABLES).encode()
    if not args.table:
        raise UsageError("export: a table name or --list is required")
    spec = TABLES.get(args.table)
    if spec is None:
        raise UsageError(f"unknown table: {args.table} (see export --list)")
    if not args.wave:
        raise UsageError("export: --wave is required")
    db = Database(data_dir())
    if args.wave not in set(db.run("waves", lang=args.lang)["wave_id"]):
        raise UsageError(f"unknown wave: {args.wave}")
    known_regions = set(db.run("regions", lang=args.lang)["region_code"])
    for code in args.region:
        if code not in known_regions:
            raise UsageError(f"unknown region: {code}")
    selection = Selection(args.wave, tuple(dict.fromkeys(args.region)), args.lang, args.total)
    frame = build_table(db, spec.name, selection)
    if args.format == "excel":
        return excel_fi_bytes(spec, frame, args.lang)
    return csv_utf8_bytes(spec, frame)


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


def _register(args: argparse.Namespace) -> bytes:
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


def main(argv: Sequence[str] | None = None) -> int:
    # The package logs for the server's log; here every problem is already one line on stderr.
    logging.getLogger("tilannekuva").addHandler(logging.NullHandler())
    try:
        args = _parser().parse_args(argv)
        if args.command in ("validate", "import"):
            return _problems_or_summary(args)
        if args.command == "check":
            return _check_data()
        output = _register(args) if args.command == "register" else _export(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DataFileError as error:
        print(f"error: data file {error.file}: {error.problem}", file=sys.stderr)
        return EXIT_DATA
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    return 0
