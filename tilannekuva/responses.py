"""Response-level survey files: one row per responding organisation about one municipality.

Reading and validation happen here, in Python, before DuckDB sees anything (issue #3). A file is
accepted as Finnish Excel and survey tools write it (UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1252; ``;``, ``,`` or tab; CRLF or LF) and refused with every problem listed at once, each
naming its line (the header is line 1) and column. Accepted rows come out in canonical form
(English ids, ``true``/``false``/blank), the only form written to the data folder.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tilannekuva.i18n import t
from tilannekuva.schema import (  # noqa: F401 - the column lists live in schema; re-exported
    PARTNER_COLUMNS,
    RESPONSE_COLUMNS,
    THEME_COLUMNS,
    YES_NO_COLUMNS,
)

# Limits, stated in the README and on the upload page. A nationwide wave — every Finnish
# municipality (308 in 2025) answered by all three respondent types — is 924 rows.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 3_000
MIN_PLAN_YEAR = 1990
# Hostile-input limits (issue #10): the header of our 24 columns is about 450 characters and no
# answer is longer than an organisation's name. Past these, a file is refused with what is wrong
# before the csv module sees it (whose own 128 KiB field limit would raise from inside).
MAX_LINE_CHARS = 16 * 1024
MAX_CELL_CHARS = 500
MAX_COLUMNS = 64
MAX_LISTED = 10  # at most this many problems of one kind that stops reading (long lines, bytes)

WAVE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")
MUNICIPALITY_CODE = re.compile(r"\d{3}")
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]{2,}")
PHONE = re.compile(r"\+?\d[\d\s()/-]{5,}\d")
# Column names that look like contact data: refused (data minimisation), whatever else they hold.
PERSONAL_COLUMN = re.compile(
    r"e-?mail|s[äa]hk[öo]posti|phone|puhelin|\bpuh\b|gsm|mobile|matkapuhelin|yhteyshenkil|"
    r"contact|kontakt|telefon|person|henkil[öo]|first_?name|last_?name|etunimi|sukunimi",
    re.IGNORECASE,
)

RESPONDENT_TYPES = {"municipality": "municipality", "kunta": "municipality"} | {
    "police": "police",
    "poliisi": "police",
    "rescue": "rescue",
    "pelastus": "rescue",
}
PLAN_STATUSES = {
    "ready": "ready",
    "valmis": "ready",
    "started": "started",
    "aloitettu": "started",
    "not_started": "not_started",
    "aloittamatta": "not_started",
}
PLAN_SCOPES = {
    "municipal": "municipal",
    "kunta": "municipal",
    "sub_regional": "sub_regional",
    "seutukunta": "sub_regional",
    "province_wide": "province_wide",
    "maakunta": "province_wide",
}
YES = {"yes", "kyllä", "ja", "true", "1"}
NO = {"no", "ei", "nej", "false", "0"}
SEPARATORS = (";", ",", "\t")
# A physical line end as the csv module sees it (newline=""): not str.splitlines, which would
# also split at U+2028, U+0085 and other characters that are data to the csv module.
LINE_END = re.compile(r"\r\n|\r|\n")
# Valid UTF-8 multi-byte sequences: a file with these and a few invalid bytes is UTF-8 with damage,
# not Windows-1252 (where "ä" would become "Ã¤" in every name).
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Invisible characters that change how a name reads or breaks: bidirectional overrides and other
# format characters (Cf), line and paragraph separators (Zl, Zp), C1 controls such as U+0085.
INVISIBLE_CATEGORIES = {"Cf", "Zl", "Zp"}


@dataclass(frozen=True)
class Problem:
    """One reason to refuse a file: where (line, column) and what (a catalogue key + values)."""

    code: str
    line: int | None = None
    column: str | None = None
    values: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        text = t(lang, f"problem.{self.code}", **self.values)
        if self.line is not None and self.column is not None:
            return t(lang, "problem.at_line_column", line=self.line, column=self.column, text=text)
        if self.line is not None:
            return t(lang, "problem.at_line", line=self.line, text=text)
        return text


@dataclass
class Report:
    """What reading a file found: canonical rows, or the problems that refuse it."""

    rows: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Things worth a look that do not refuse the file (a name that differs from the register's).
    warnings: list[Problem] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the file line of each row in ``rows``
    encoding: str = ""
    separator: str = ""
    comment_lines: int = 0
    blank_lines: int = 0
    data_lines: int = 0  # counted independently of validation, for reconciliation
    # The area the wave was sent to (issue #16), as waves.csv keeps it: an area id of areas.csv or
    # region codes joined by ";"; set by the importer's checks (area_check), "" until then.
    area: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def wave(self) -> str:
        return self.rows[0]["wave"] if self.rows else ""

    def summary(self, lang: str) -> str:
        return t(
            lang,
            "import.summary",
            rows=len(self.rows),
            wave=self.wave,
            municipalities=len({row["municipality_code"] for row in self.rows}),
            encoding=self.encoding,
            separator={"\t": "tab"}.get(self.separator, self.separator),
        )

    def sample_names(self, count: int = 3) -> list[str]:
        """A few municipality names as read, to see before confirming that the letters are right
        (a wrong encoding shows as "Ã¤" here)."""
        names = dict.fromkeys(row["municipality_name"] for row in self.rows)
        return list(names)[:count]


def _damaged_utf8(data: bytes) -> list[Problem]:
    """Invalid bytes in a file that is otherwise UTF-8 (it has more valid multi-byte sequences
    than invalid bytes), each named by line and byte; [] for valid UTF-8 or for another encoding."""
    bad: list[int] = []
    position = 0
    while len(bad) <= MAX_LISTED:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as error:
            bad.append(position + error.start)
            position += error.end
    if not bad or len(UTF8_SEQUENCE.findall(data)) < len(bad):
        return []
    problems = []
    for offset in bad[:MAX_LISTED]:
        line_start = data.rfind(b"\n", 0, offset) + 1
        problems.append(
            Problem(
                "bad_utf8_byte",
                line=data.count(b"\n", 0, offset) + 1,
                values={"byte": f"0x{data[offset]:02X}", "position": offset - line_start + 1},
            )
        )
    return problems


def decode(data: bytes) -> tuple[str, str] | list[Problem]:
    """The text of a file and the encoding it was read as, or the problems."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        candidates: Sequence[str] = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif b"\x00" in data:
        return [Problem("binary")]
    else:
        damaged = _damaged_utf8(data)
        if damaged:
            return damaged
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
            return [Problem("binary")]
        return text, {"cp1252": "windows-1252"}.get(encoding, encoding)
    return [Problem("encoding")]


def _long_lines(text: str) -> list[Problem]:
    """Physical lines longer than any line of a real response file, by line number."""
    problems = []
    for number, line in enumerate(LINE_END.split(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            problems.append(
                Problem(
                    "line_too_long",
                    line=number,
                    values={"length": len(line), "limit": MAX_LINE_CHARS},
                )
            )
            if len(problems) == MAX_LISTED:
                break
    return problems


def _separator(header_line: str) -> str:
    """The separator that makes the header most like ours; ties go to the one with most fields."""

    def score(separator: str) -> tuple[int, int]:
        fields = next(csv.reader([header_line], delimiter=separator), [])
        return sum(name.strip() in RESPONSE_COLUMNS for name in fields), len(fields)

    return max(SEPARATORS, key=score)


def _records(text: str, separator: str, report: Report) -> Iterable[tuple[int, list[str]]]:
    """(first line of the record, cells); an unclosed quote or a quoted cell that runs past the
    csv module's field limit ends the file with a problem."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        # The csv module says "field larger than field limit" for a quoted cell over 128 KiB
        # that spans many short lines; anything else it raises here is a quote left open.
        code = "cell_too_long" if "field limit" in str(error) else "unclosed_quote"
        report.problems.append(Problem(code, line=line, values={"limit": MAX_CELL_CHARS}))


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    names = [name.strip() for name in header]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("duplicate_column", line=1, column=name))
    for name in names:
        if name in RESPONSE_COLUMNS:
            continue
        code = "personal_column" if PERSONAL_COLUMN.search(name) else "unknown_column"
        problems.append(Problem(code, line=1, column=name or "?"))
    for name in RESPONSE_COLUMNS:
        if name not in names:
            problems.append(Problem("missing_column", line=1, column=name))
    return problems


def _choice(value: str, choices: dict[str, str]) -> str | None:
    return choices.get(value.strip().lower())


def _yes_no(value: str) -> str | None:
    """'true', 'false', '' (not answered: unknown, never "no"), or None when not a yes/no."""
    word = value.strip().lower()
    if not word:
        return ""
    if word in YES:
        return "true"
    if word in NO:
        return "false"
    return None


def _invisible_character(value: str) -> str:
    """The first invisible or line-breaking character in a cell as U+XXXX, or ''."""
    if value.isprintable():  # none of these is printable: the usual cell needs no closer look
        return ""
    for character in value:
        if unicodedata.category(character) in INVISIBLE_CATEGORIES or "\x80" <= character <= "\x9f":
            return f"U+{ord(character):04X}"
    return ""


def _row(
    line: int, raw: dict[str, str], regions: set[str], this_year: int
) -> tuple[dict[str, str], list[Problem]]:
    """One data row in canonical form, and its problems."""
    problems: list[Problem] = []
    row = {name: raw[name].strip() for name in RESPONSE_COLUMNS}

    def problem(column: str, code: str, **values: object) -> None:
        problems.append(Problem(code, line=line, column=column, values=values))

    for column in RESPONSE_COLUMNS:
        value = raw[column]
        if len(value) > MAX_CELL_CHARS:
            problem(column, "cell_too_long", limit=MAX_CELL_CHARS)
        invisible = _invisible_character(value)
        if invisible:
            problem(column, "invisible_character", character=invisible)
    for column, value in row.items():
        if EMAIL.search(value):
            problem(column, "personal_cell_email")
        elif PHONE.search(value) and sum(ch.isdigit() for ch in value) >= 7:
            problem(column, "personal_cell_phone")
    if not WAVE_PATTERN.fullmatch(row["wave"]):
        problem("wave", "bad_wave")
    for column, choices in (
        ("respondent_type", RESPONDENT_TYPES),
        ("plan_status", PLAN_STATUSES),
    ):
        canonical = _choice(row[column], choices)
        if canonical is None:
            problem(column, "bad_choice", value=row[column], allowed=", ".join(choices))
        else:
            row[column] = canonical
    for column in ("organisation", "municipality_name"):
        if not row[column]:
            problem(column, "required")
    if not MUNICIPALITY_CODE.fullmatch(row["municipality_code"]):
        problem("municipality_code", "bad_municipality_code", value=row["municipality_code"])
    if row["region_code"] not in regions:
        problem("region_code", "unknown_region", value=row["region_code"])
    for column in YES_NO_COLUMNS:
        canonical = _yes_no(row[column])
        if canonical is None:
            problem(column, "bad_yes_no", value=row[column])
        else:
            row[column] = canonical
    status = row["plan_status"]
    year = row["plan_year"]
    if year:
        if not (year.isdigit() and MIN_PLAN_YEAR <= int(year) <= this_year):
            problem("plan_year", "bad_year", value=year, low=MIN_PLAN_YEAR, high=this_year)
    elif status == "ready":
        problem("plan_year", "year_required")
    scope = row["plan_scope"]
    if status == "not_started":
        if scope:
            problem("plan_scope", "scope_must_be_blank")
        for column in ("council_approved", "published"):
            if row[column] == "true":
                problem(column, "yes_when_not_started")
    elif status in ("ready", "started"):
        canonical = _choice(scope, PLAN_SCOPES)
        if not scope:
            problem("plan_scope", "scope_required")
        elif canonical is None:
            problem("plan_scope", "bad_choice", value=scope, allowed=", ".join(PLAN_SCOPES))
        else:
            row["plan_scope"] = canonical
    return row, problems


def read_responses(data: bytes, regions: Iterable[str], today: dt.date | None = None) -> Report:
    """Read and validate a response file. Every problem is listed; none raises."""
    report = Report()
    if len(data) > MAX_FILE_BYTES:
        report.problems.append(Problem("too_large", values={"limit": MAX_FILE_BYTES // 1024}))
        return report
    decoded = decode(data)
    if isinstance(decoded, list):
        report.problems.extend(decoded)
        return report
    text, report.encoding = decoded
    if not text.strip():
        report.problems.append(Problem("empty_file"))
        return report
    report.problems.extend(_long_lines(text))
    if report.problems:
        return report
    report.separator = _separator(LINE_END.split(text, maxsplit=1)[0])
    this_year = (today or dt.date.today()).year
    region_set = set(regions)
    records = _records(text, report.separator, report)
    first = next(records, None)
    if first is None:  # the header itself has an unclosed quote
        return report
    header = first[1]
    if len(header) > MAX_COLUMNS:
        report.problems.append(
            Problem("too_many_columns", line=1, values={"found": len(header), "limit": MAX_COLUMNS})
        )
        return report
    report.problems.extend(_header_problems(header))
    header_ok = not report.problems
    names = [name.strip() for name in header]
    first_line_of: dict[tuple[str, str], int] = {}
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            report.blank_lines += 1
            continue
        if cells[0].lstrip().startswith("#"):
            report.comment_lines += 1
            continue
        report.data_lines += 1
        if report.data_lines > MAX_ROWS:
            continue
        if len(cells) != len(header):
            report.problems.append(
                Problem(
                    "ragged_row", line=line, values={"expected": len(header), "found": len(cells)}
                )
            )
            continue
        if not header_ok:
            continue
        row, problems = _row(line, dict(zip(names, cells, strict=True)), region_set, this_year)
        report.problems.extend(problems)
        if report.rows and row["wave"] != report.rows[0]["wave"] and not problems:
            report.problems.append(
                Problem("mixed_wave", line=line, column="wave", values={"first": report.wave})
            )
        key = (row["municipality_code"], row["respondent_type"])
        if key in first_line_of:
            report.problems.append(
                Problem("duplicate_answer", line=line, values={"first": first_line_of[key]})
            )
        first_line_of.setdefault(key, line)
        report.rows.append(row)
        report.lines.append(line)
    if report.data_lines > MAX_ROWS:
        report.problems.append(Problem("too_many_rows", values={"limit": MAX_ROWS}))
    elif report.data_lines == 0 and header_ok and not report.problems:
        report.problems.append(Problem("no_data_rows"))
    if report.problems:
        report.rows = []
        report.lines = []
    return report


def clean_csv(rows: Sequence[dict[str, str]]) -> bytes:
    """Accepted rows as the data folder keeps them: UTF-8, comma, LF, canonical values."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RESPONSE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


TEMPLATE_EXAMPLE = {
    "wave": "2010",
    "respondent_type": "kunta",
    "organisation": "Esimerkkilän kunta",
    "municipality_code": "001",
    "municipality_name": "Esimerkkilä",
    "region_code": "10",
    "sub_region": "Esimerkkiseutu",
    "plan_status": "valmis",
    "plan_year": "2008",
    "plan_scope": "kunta",
} | {column: "kyllä" for column in YES_NO_COLUMNS}


def template_bytes() -> bytes:
    """The downloadable template as Finnish Excel writes it (UTF-8 with BOM, ``;``, CRLF): the
    header and one example row commented out with ``#``, which reading skips."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESPONSE_COLUMNS)
    example = [TEMPLATE_EXAMPLE[column] for column in RESPONSE_COLUMNS]
    writer.writerow(["# " + example[0], *example[1:]])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
