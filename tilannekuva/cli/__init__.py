"""The dashboard's tables, its meeting pack, the municipality register and response files on the
command line.

examples:
  python -m tilannekuva export --list
  python -m tilannekuva export region_status --wave 2009 --region 10 --total
  python -m tilannekuva export region_status --wave 2009 --format xlsx -o aluevertailu.xlsx
  python -m tilannekuva pack --wave 2009 --region 10 --lang fi -o etela-savo.pdf
  python -m tilannekuva map --wave 2009 --measure plan_ready --format svg -o kartta.svg
  python -m tilannekuva export region_status --wave 2009 --format json
  python -m tilannekuva publish -o avoin-data
  python -m tilannekuva register --year 2009 --region 10
  python -m tilannekuva register --crosswalk 2009 2026
  python -m tilannekuva validate FILE [--lang fi|sv|en] [--replace]
  python -m tilannekuva import FILE [--replace] [--regions 18,19 | --area lappi-hva]
  python -m tilannekuva mapping suggest EXPORT.xlsx --wave 2026-lappi -o mapping.json
  python -m tilannekuva import EXPORT.xlsx --mapping mapping.json
  python -m tilannekuva import POLICE.xlsx --mapping police.json --add
  python -m tilannekuva questionnaire [--id 2026] [--lang fi|sv|en]
  python -m tilannekuva check

validate and import answer in --lang; without it, in the language of the environment's locale
(LC_ALL, LC_MESSAGES, LANG), and in English when that is none of fi, sv and en. For export and
pack, --lang is the language of the file (default fi, as in the app).

exit codes:
  0  done
  1  a missing or damaged data file, a rejected response file (the problems on stderr), or
     output that could not be written (a full device; a closed pipe ends quietly)
  2  a bad argument, or an unknown table, wave, region or year (one line on stderr)
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import stat
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, NoReturn

from tilannekuva.config import data_dir
from tilannekuva.errors import DataFileError, UsageError, shown
from tilannekuva.i18n import DEFAULT_LANG, LANGUAGES, t
from tilannekuva.output_formats import BINARY_FORMATS, FORMATS

# Each command imports what it needs when it runs: validate and import never load pandas, the
# tables or the exports (issue #9: an import costs little more than the interpreter's start).
# The commands that print data live in cli/outputs.py.

EXIT_DATA = 1
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 1
# An error line quotes at most this much of a problem (its values are cut shorter: errors.shown).
MESSAGE_CHARS = 400


class CommandFailedError(Exception):
    """The command could not do its work for a reason of this program, not of the arguments or
    the data (a meeting pack the layout engine could not make): one line on stderr, exit 1."""


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and the error on several lines; the contract is one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        if message:  # --help and usage: a full or closed stdout is an OutputError like any other
            try:
                (file or sys.stderr).write(message)
                (file or sys.stderr).flush()
            except OSError as error:
                raise OutputError(error, "the output") from None


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
        help="write one table (CSV, Excel CSV, .xlsx or JSON)",
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
        "comma); xlsx: an Excel workbook (needs -o or a pipe); json: the records with each "
        "column's id, label, kind and unit",
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
    map_command = commands.add_parser(
        "map",
        help="draw the map of a measure (SVG or PNG)",
        description="Draw the municipalities of the selected regions coloured by a measure, "
        "with the borders of the wave's classification year, the legend, the figures as text "
        "and the source under it (a fictional wave: a grid of tiles).",
        formatter_class=formatter,
    )
    _selection_arguments(map_command)
    map_command.add_argument(
        "--measure",
        required=True,
        help="what the map colours by, e.g. plan_status or coverage (a response-level wave) "
        "or plan_ready (a regional table); an unknown one lists the wave's",
    )
    map_command.add_argument("--format", choices=("svg", "png"), default="svg")
    publish = commands.add_parser(
        "publish",
        help="write every table as open data files into a folder",
        description="Write every table x real wave x region selection that the pages offer "
        "(all the wave's regions, and each region alone) in CSV (UTF-8), CSV for Finnish "
        "Excel, .xlsx and JSON, in fi, sv and en, with index.json (tables, waves, areas, files, "
        "the data version and the licence). The folder is replaced whole when the new one is "
        "ready; a folder that publish did not write is never replaced.",
        formatter_class=formatter,
    )
    publish.add_argument("-o", "--output", metavar="DIR", required=True, help="the folder")
    publish.add_argument(
        "--lang",
        action="append",
        choices=LANGUAGES,
        help="a language to publish; repeat for several (default: fi, sv and en)",
    )
    publish.add_argument(
        "--licence",
        help="the licence the files are offered under (default: $TILANNEKUVA_DATA_LICENCE, "
        "else CC BY 4.0)",
    )
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
        existing = command.add_mutually_exclusive_group()
        existing.add_argument(
            "--replace", action="store_true", help="replace an existing wave (archived)"
        )
        existing.add_argument(
            "--add",
            action="store_true",
            help="add the file's answers to a wave already imported (a round in several files, "
            "e.g. one per respondent type; the previous file is archived)",
        )
        command.add_argument(
            "--regions",
            metavar="CODES",
            help="the regions the wave was sent to, e.g. 18,19 (default: the regions of the "
            "file's answers, or the area waves.csv gives the wave)",
        )
        command.add_argument(
            "--area",
            metavar="ID",
            help="the named area the wave was sent to: an area_id of data/areas.csv, e.g. "
            "ita-suomi, koko-suomi or lappi-hva",
        )
        command.add_argument(
            "--questionnaire",
            metavar="ID",
            help="the questionnaire the wave asked (data/questionnaires/ID.toml; default: the "
            "one whose columns the file has)",
        )
        command.add_argument(
            "--mapping",
            metavar="MAPPING.json",
            help="FILE is a survey tool's export (.xlsx or .csv): read it through this mapping "
            "(made by 'mapping suggest'; it names the wave, questionnaire and respondent type)",
        )
        command.add_argument("--sheet", help="with --mapping: the workbook's sheet to read")
    commands.add_parser(
        "check", help="load the data folder; name every file that does not load, and why"
    )
    mapping = commands.add_parser(
        "mapping",
        help="map a survey tool's export to a questionnaire",
        description="Suggest how a survey tool's export (Microsoft Forms, Webropol, LimeSurvey; "
        ".xlsx or .csv) maps to a questionnaire: each question to a column, each answer text to "
        "a choice, the municipality and the respondent type. The mapping is written as JSON "
        "(review and edit it), then given to validate and import with --mapping. Exit 0 when "
        "every required question, answer and municipality is matched; 1 with the unmatched ones "
        "on stderr (the mapping is still written, to complete by hand).",
    )
    mapping_commands = mapping.add_subparsers(dest="mapping_command", required=True)
    suggest = mapping_commands.add_parser("suggest", help="suggest a mapping for an export")
    suggest.add_argument("file", help="the export (.xlsx or .csv)")
    suggest.add_argument("--wave", required=True, help="the wave id, e.g. 2026-lappi")
    suggest.add_argument("--questionnaire", help="questionnaire id (default: the newest)")
    suggest.add_argument(
        "--respondent-type",
        help="whose answers the whole file holds: municipality, police or rescue (default: a "
        "column of the export that says it)",
    )
    suggest.add_argument("--sheet", help="the workbook's sheet (default: the first)")
    suggest.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    suggest.add_argument(
        "--lang", choices=LANGUAGES, default=locale_language(), help="language of the messages"
    )
    questionnaire = commands.add_parser(
        "questionnaire",
        help="a questionnaire's questions as CSV (one row per choice)",
        description="Print a questionnaire (data/questionnaires/ID.toml) as CSV with the "
        "columns question_id,type,required,text,choice_id,choice_text: one row per choice; a "
        "question without choices has one row with the choice cells empty.",
    )
    questionnaire.add_argument("--id", help="questionnaire id (default: the newest)")
    questionnaire.add_argument(
        "--lang", default=DEFAULT_LANG, help="language of the texts: fi, sv or en (default: fi)"
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
    from tilannekuva.area_check import option_value
    from tilannekuva.importer import described, import_responses, validate_file
    from tilannekuva.responses import MAX_FILE_BYTES, Problem

    try:
        area = option_value(args.regions, args.area)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.questionnaire is not None and not args.questionnaire.strip():
        raise UsageError("--questionnaire names no questionnaire")
    prepared = None
    questionnaire = args.questionnaire
    if args.mapping is not None:
        from tilannekuva.cli.mapping import prepare

        if args.questionnaire is not None:
            raise UsageError("--questionnaire: with --mapping, the mapping names it")
        prepared = prepare(args.file, args.mapping, args.sheet)
        if prepared.problems:
            for problem in prepared.problems:
                print(problem.message(args.lang), file=sys.stderr)
            return EXIT_REJECTED
        data: bytes | None = prepared.data
        questionnaire = prepared.questionnaire
    elif args.sheet is not None:
        raise UsageError("--sheet needs --mapping")
    else:
        data = read_limited(args.file, MAX_FILE_BYTES)
    if data is None:
        print(
            Problem("too_large", values={"limit": MAX_FILE_BYTES // 1024}).message(args.lang),
            file=sys.stderr,
        )
        return EXIT_REJECTED
    given = {"replace": args.replace, "add": args.add, "area": area}
    if args.command == "validate":
        report = validate_file(data, data_dir(), questionnaire=questionnaire, **given)
        problems, ok = report.problems, report.ok
    else:
        result = import_responses(data, data_dir(), questionnaire=questionnaire, **given)
        report, problems, ok = result.report, result.all_problems(), result.ok
    if not ok:
        for problem in prepared.placed(problems) if prepared else problems:
            print(problem.message(args.lang), file=sys.stderr)
        return EXIT_REJECTED
    mapping_lines = []
    if prepared is not None:
        if args.command == "import":
            from tilannekuva.mapping import save

            if prepared.mapping is not None:
                save(prepared.mapping, data_dir())
        left_out = ", ".join(prepared.left_out) or "-"
        mapping_lines.append(t(args.lang, "mapping.read", left_out=left_out))
    # A mapped export's summary is of the user's file, not of the CSV made from it (which is
    # UTF-8 with commas whatever the export was).
    summary = (
        t(
            args.lang,
            "upload.map.valid",
            rows=len(report.rows),
            wave=report.wave,
            municipalities=len({row["municipality_code"] for row in report.rows}),
        )
        if prepared is not None
        else report.summary(args.lang)
    )
    lines = [
        summary,
        described(report, data_dir(), args.lang),
        t(args.lang, "import.sample_names", names=", ".join(report.sample_names())),
    ]
    lines += mapping_lines
    if report.warnings:  # accepted, but worth a look (a name unlike the register's)
        lines.append(t(args.lang, "import.warnings", n=len(report.warnings)))
        warnings = prepared.placed(report.warnings) if prepared else report.warnings
        lines += [f"- {warning.message(args.lang)}" for warning in warnings]
    _say(*lines)
    return 0


def _check_data() -> int:
    """check: every data file loads, or each one that does not, with what is wrong (the details
    that the app keeps to its log)."""
    from tilannekuva.db import Database

    folder = data_dir()
    database = Database(folder)
    for wave in database.unavailable:
        print(
            f"error: data file {shown(wave.file)}: {shown(wave.problem, MESSAGE_CHARS)} "
            f"(wave {shown(wave.wave)} is not shown)",
            file=sys.stderr,
        )
    if database.unavailable:
        return EXIT_DATA
    _say(f"ok: every data file in {shown(folder)} loads")
    return 0


class OutputError(Exception):
    """The output could not be written: stdout is full or closed, or the -o file failed mid-write
    (issue #22). ``closed`` is a reader that went away (``| head -1``), which ends quietly."""

    def __init__(self, error: OSError, where: str) -> None:
        super().__init__(where)
        self.closed = isinstance(error, BrokenPipeError)
        self.line = f"cannot write {where}: {error.strerror or error}"


def _stdout(output: bytes) -> None:
    """Write to stdout and flush, so a fault shows here and not in the interpreter's exit."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    except OSError as error:
        raise OutputError(error, "the output") from None


def _say(*lines: str) -> None:
    _stdout("".join(f"{line}\n" for line in lines).encode())


def _emit(output: bytes, path: str | None, *, binary: bool) -> None:
    """To stdout, or to the file ``path``. A regular file (or a new one) is written through a
    temporary file and a rename, so a failed write leaves no half file behind; it keeps the mode
    it had (a new one gets the umask's), and a symlink stays a link to the replaced file.
    Anything else — a device, a FIFO — is written into as a shell redirect would: never replaced
    (issue #22: as root, ``-o /dev/null`` replaced the machine's /dev/null).

    A path that cannot be opened is a bad argument (exit 2); a write that fails once the file is
    open — a full device — is an OutputError (exit 1)."""
    if path is None:
        if binary and sys.stdout.isatty():
            raise UsageError("the output is binary: give -o FILE or pipe it to a file")
        _stdout(output)
        return
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"cannot write {path}: it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_into(output, path)
    else:
        _replace(output, Path(os.path.realpath(path)), info, shown_as=path)


def _write_into(output: bytes, path: str) -> None:
    """A device or a FIFO: opened for writing without truncating or creating anything."""
    try:
        handle = open(path, "wb", buffering=0)  # noqa: SIM115 - the two failures differ
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    with handle:
        try:
            view = memoryview(output)
            while view:
                written = handle.write(view)
                view = view[written or len(view) :]
        except OSError as error:
            raise OutputError(error, path) from None


def _replace(output: bytes, target: Path, info: os.stat_result | None, *, shown_as: str) -> None:
    temporary: Path | None = None
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept on success
            dir=target.parent, prefix=f".{target.name}.", delete=False
        )
    except OSError as error:
        raise UsageError(f"cannot write {shown_as}: {error.strerror}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(output)
            handle.flush()
            os.fsync(handle.fileno())
            if info is None:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(handle.fileno(), 0o666 & ~umask)
            else:
                os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
                if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(PermissionError):
                        os.fchown(handle.fileno(), info.st_uid, info.st_gid)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(error, shown_as) from None


def _quiet_stdout() -> None:
    """Nothing more reaches stdout: what is still buffered goes nowhere, so the interpreter's
    final flush cannot fail again (the recipe of Python's signal module docs)."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    # The package logs for the server's log; here every problem is already one line on stderr.
    logging.getLogger("tilannekuva").addHandler(logging.NullHandler())
    args: argparse.Namespace | None = None
    try:
        args = _parser().parse_args(argv)
        if args.command in ("validate", "import"):
            return _problems_or_summary(args)
        if args.command == "check":
            return _check_data()
        if args.command == "mapping":
            from tilannekuva.cli.mapping import print_lines, suggest_command

            body, review, complete = suggest_command(args)
            print_lines(review)
            if not body:
                return EXIT_REJECTED
            _emit(body, args.output, binary=False)
            return 0 if complete else EXIT_REJECTED
        from tilannekuva.cli import outputs

        if args.command == "register":
            _emit(outputs.register_csv(args), None, binary=False)
        elif args.command == "questionnaire":
            _emit(outputs.questionnaire_csv(args), None, binary=False)
        elif args.command == "pack":
            _emit(outputs.pack(args), args.output, binary=True)
        elif args.command == "map":
            _emit(outputs.map_image(args), args.output, binary=args.format == "png")
        elif args.command == "publish":
            _emit(outputs.publish(args), None, binary=False)
        else:
            _emit(outputs.export(args), args.output, binary=args.format in BINARY_FORMATS)
    except UsageError as error:
        print(f"error: {shown(error, MESSAGE_CHARS)}", file=sys.stderr)
        return EXIT_USAGE
    except DataFileError as error:
        problem = shown(error.problem, MESSAGE_CHARS)
        print(f"error: data file {shown(error.file)}: {problem}", file=sys.stderr)
        return EXIT_DATA
    except CommandFailedError as error:
        print(f"error: {shown(error, MESSAGE_CHARS)}", file=sys.stderr)
        return EXIT_OUTPUT
    except OutputError as fault:
        # Issue #22: the exit code tells the truth about the work. validate and import have done
        # theirs when they print (the verdict is the exit code, the wave is saved), so only the
        # summary is lost; for the other commands the output was the work. A reader that went
        # away (``| head -1``) ends quietly, as other command-line tools do; anything else is one
        # line on stderr.
        _quiet_stdout()
        done = args is not None and args.command in ("validate", "import", "check")
        if not fault.closed:
            what = "warning: the summary was not printed: " if done else "error: "
            print(f"{what}{shown(fault.line, MESSAGE_CHARS)}", file=sys.stderr)
        return 0 if done else EXIT_OUTPUT
    return 0
