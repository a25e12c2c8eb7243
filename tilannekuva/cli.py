"""The dashboard's tables, its meeting pack and response files on the command line.

examples:
  python -m tilannekuva export --list
  python -m tilannekuva export region_status --wave 2009 --region 10 --total
  python -m tilannekuva export region_status --wave 2009 --format xlsx -o aluevertailu.xlsx
  python -m tilannekuva pack --wave 2009 --region 10 --lang fi -o etela-savo.pdf
  python -m tilannekuva validate FILE [--lang fi|sv|en]
  python -m tilannekuva import FILE [--replace]

validate and import answer in --lang; without it, in the language of the environment's locale
(LC_ALL, LC_MESSAGES, LANG), and in English when that is none of fi, sv and en. For export and
pack, --lang is the language of the file (default fi, as in the app).

exit codes:
  0  done
  1  a missing or damaged data file, or a rejected response file (the problems on stderr)
  2  a bad argument, or an unknown table, wave or region (one line on stderr)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tilannekuva.config import data_dir
from tilannekuva.db import Database, DataFileError
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes
from tilannekuva.i18n import DEFAULT_LANG, LANGUAGES
from tilannekuva.importer import import_responses, validate_file
from tilannekuva.provenance import make_provenance
from tilannekuva.tables import TABLES, Selection, build_table, titled_waves
from tilannekuva.workbook import workbook_bytes

EXIT_DATA = 1
EXIT_REJECTED = 1
EXIT_USAGE = 2
FORMATS = ("csv", "excel", "xlsx")
BINARY_FORMATS = ("xlsx",)
# Tables made from response rows (one answer per municipality): a regional table has none, so on
# such a wave they are empty, and an empty file would read as "nothing to report" (issue #8).
RESPONSE_LEVEL_TABLES = frozenset(
    {
        "municipalities",
        "artu_by_plan_status",
        "worklist",
        "yes_no_answers",
        "themes_partners_by_municipality",
        "respondent_agreement",
        "plan_coverage",
    }
)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and the error on several lines; the contract is one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def locale_language(environ: Mapping[str, str] = os.environ) -> str:
    """The UI language of the environment's locale, as POSIX ranks it: LC_ALL, then LC_MESSAGES,
    then LANG (the first that is set and not empty). "fi_FI.UTF-8" is fi; C, POSIX or anything
    else is English, the language of --help."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            lang = value.split("_")[0].split(".")[0].lower()
            return lang if lang in LANGUAGES else "en"
    return "en"


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="python -m tilannekuva", description=__doc__, formatter_class=formatter)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    export = commands.add_parser(
        "export",
        help="write one table (CSV, Excel CSV or .xlsx)",
        description="Write one table to stdout or to a file (-o). The .xlsx workbook has a "
        "second sheet that says where the figures come from and which filters made them.",
        formatter_class=formatter,
    )
    export.add_argument("table", nargs="?", help="table name; see --list")
    export.add_argument("--list", action="store_true", help="list the table names")
    _selection_arguments(export)
    export.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv: UTF-8, comma, English column ids; excel: Finnish Excel CSV (; and decimal "
        "comma); xlsx: an Excel workbook (needs -o or a pipe)",
    )
    export.add_argument("--total", action="store_true", help="append the total row(s)")
    pack = commands.add_parser(
        "pack",
        help="write the region meeting pack (A4 PDF)",
        description="Write the meeting pack of the selected regions as an A4 PDF: key figures "
        "with n/N, charts with their figures as text, workshops, the worklist of a "
        "response-level wave, data notes; every page names its source and filters.",
        formatter_class=formatter,
    )
    _selection_arguments(pack)
    for name, help_text in (
        ("validate", "check a response file; exit 0 when valid, 1 with the problems when not"),
        ("import", "validate a response file and add its wave to the data folder"),
    ):
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("file", help="the response file (CSV)")
        command.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=locale_language(),
            help="language of the messages (default: the locale's, else en)",
        )
        if name == "import":
            command.add_argument(
                "--replace", action="store_true", help="replace an existing wave (archived)"
            )
    return parser


def _selection_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--wave", help="survey wave id, e.g. 2009")
    command.add_argument(
        "--region", action="append", default=[], help="region code; repeat for several"
    )
    command.add_argument(
        "--artu",
        choices=("all", "in_use", "not_in_use"),
        default="all",
        help="ARTU filter (response-level waves only)",
    )
    command.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=DEFAULT_LANG,
        help="language of names and headers in the output (default: fi, as in the app)",
    )
    command.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


def _read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _check(args: argparse.Namespace) -> int:
    """validate and import: the summary on stdout, or the problems on stderr and exit 1."""
    data = _read_input(args.file)
    if args.command == "validate":
        report = validate_file(data, data_dir())
        problems, ok = report.problems, report.ok
    else:
        result = import_responses(data, data_dir(), replace=args.replace)
        report, problems, ok = result.report, result.all_problems(), result.ok
    if not ok:
        for problem in problems:
            print(problem.message(args.lang), file=sys.stderr)
        return EXIT_REJECTED
    print(report.summary(args.lang))
    return 0


def _selection(db: Database, args: argparse.Namespace) -> tuple[dict[str, Any], Selection]:
    """The wave's row and the selection of ``--wave``, ``--region``, ``--artu``, ``--lang``;
    UsageError for an unknown wave or region, or an ARTU filter on a regional table."""
    if not args.wave:
        raise UsageError(f"{args.command}: --wave is required")
    waves = titled_waves(db.run("waves", lang=args.lang), args.lang)
    rows = waves[waves["wave_id"] == args.wave]
    if rows.empty:
        raise UsageError(f"unknown wave: {args.wave}")
    wave = rows.iloc[0].to_dict()
    known_regions = set(db.run("regions", lang=args.lang)["region_code"])
    for code in args.region:
        if code not in known_regions:
            raise UsageError(f"unknown region: {code}")
    if args.artu != "all" and wave["level"] != "response":
        raise UsageError(f"--artu needs a response-level wave; {args.wave} is a regional table")
    regions = tuple(dict.fromkeys(args.region))
    total = getattr(args, "total", True)
    return wave, Selection(args.wave, regions, args.lang, total, artu=args.artu)


def _region_names(db: Database, lang: str) -> dict[str, str]:
    regions = db.run("regions", lang=lang)
    return dict(zip(regions["region_code"], regions["region"], strict=True))


def _export(args: argparse.Namespace) -> bytes:
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
    if spec.name in RESPONSE_LEVEL_TABLES and wave["level"] != "response":
        raise UsageError(
            f"table {spec.name} needs a response-level wave (one answer per municipality); "
            f"{args.wave} is a regional table"
        )
    frame = build_table(db, spec.name, selection)
    if args.format == "xlsx":
        prov = make_provenance(wave, selection, _region_names(db, args.lang))
        return workbook_bytes(spec, frame, args.lang, prov)
    if args.format == "excel":
        return excel_fi_bytes(spec, frame, args.lang)
    return csv_utf8_bytes(spec, frame)


def _pack(args: argparse.Namespace) -> bytes:
    # Imported here: the PDF and chart libraries are needed by this command only.
    from tilannekuva.pack import pack_bytes

    db = Database(data_dir())
    wave, selection = _selection(db, args)
    prov = make_provenance(wave, selection, _region_names(db, args.lang))
    return pack_bytes(db, selection, prov)


def _emit(output: bytes, path: str | None, *, binary: bool) -> None:
    """To stdout, or to ``path`` through a temporary file and a rename, so a failed write leaves
    no half file behind."""
    if path is None:
        if binary and sys.stdout.isatty():
            raise UsageError("the output is binary: give -o FILE or pipe it to a file")
        sys.stdout.buffer.write(output)
        sys.stdout.flush()
        return
    target = Path(path)
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=f".{target.name}.", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(output)
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command in ("validate", "import"):
            return _check(args)
        if args.command == "pack":
            _emit(_pack(args), args.output, binary=True)
        else:
            _emit(_export(args), args.output, binary=args.format in BINARY_FORMATS)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DataFileError as error:
        print(f"error: data file {error.file}: {error.problem}", file=sys.stderr)
        return EXIT_DATA
    return 0
