"""Response-level survey files: one row per responding organisation about one municipality.

Reading and validation happen here, in Python, before DuckDB sees anything (issue #3). A file is
accepted as Finnish Excel and survey tools write it (UTF-8 with or without BOM, UTF-16 with BOM,
Windows-1252; ``;``, ``,`` or tab; CRLF or LF) and refused with every problem listed at once, each
naming its line (the header is line 1) and column. The columns and the rules of the answers come
from the wave's questionnaire (issue #16: tilannekuva/questionnaire.py; the one named, else the
one whose columns the header has). Accepted rows come out in canonical form (choice ids,
``true``/``false``/blank), the only form written to the data folder; free text is dropped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tilannekuva.errors import SHOWN_CHARS, shown
from tilannekuva.i18n import t
from tilannekuva.questionnaire import Question, Questionnaire, matching, shipped_questionnaires
from tilannekuva.schema import FRAME_COLUMNS

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

# The respondent types in English, Finnish and Swedish (a survey tool in Swedish gives kommun,
# polis, räddningsverk; the word of the rescue services changed with the 2023 reform).
RESPONDENT_TYPES = {
    "municipality": "municipality",
    "kunta": "municipality",
    "kommun": "municipality",
    "police": "police",
    "poliisi": "police",
    "polis": "police",
    "rescue": "rescue",
    "pelastus": "rescue",
    "pelastuslaitos": "rescue",
    "räddningsverk": "rescue",
    "räddningsväsendet": "rescue",
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


# Problem values that list what the app allows (its own words, not the user's).
LISTS = frozenset({"known", "allowed"})


@dataclass(frozen=True)
class Problem:
    """One reason to refuse a file: where (line, column) and what (a catalogue key + values)."""

    code: str
    line: int | None = None
    column: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    # A cell of a workbook, as the user finds it ("Taulukko1!F7"): for an .xlsx export, which has
    # sheets and rows, not lines (issue #17). Set instead of line and column.
    place: str | None = None

    def message(self, lang: str) -> str:
        # A value may quote the user's file or argument: one line, escaped and cut (errors.shown);
        # the lists of what is allowed are the app's own and are shown whole.
        values = {
            key: shown(value, None if key in LISTS else SHOWN_CHARS)
            if isinstance(value, str)
            else value
            for key, value in self.values.items()
        }
        text = t(lang, f"problem.{self.code}", **values)
        if self.place is not None:
            return t(lang, "problem.at_place", place=shown(self.place), text=text)
        if self.line is not None and self.column is not None:
            column = shown(self.column)
            return t(lang, "problem.at_line_column", line=self.line, column=column, text=text)
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
    questionnaire: str = ""  # the id of the questionnaire the file was read against
    # The area the wave was sent to (issue #16), as waves.csv keeps it: an area id of areas.csv or
    # region codes joined by ";"; set by the importer's checks (area_check), "" until then.
    area: str = ""
    # Where the area and the questionnaire came from: "option" (the import was given it), "waves"
    # (waves.csv says so) or "file"/"columns" (derived from the file: never written anywhere).
    area_source: str = ""
    questionnaire_source: str = ""
    # The rows the wave already has when the file is added to it (importer: ``add``).
    kept_rows: int = 0

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


def long_lines(text: str) -> list[Problem]:
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


def _separator(header_line: str, known: frozenset[str]) -> str:
    """The separator that makes the header most like ours (``known``: the columns of every
    questionnaire); ties go to the one with most fields."""

    def score(separator: str) -> tuple[int, int]:
        fields = next(csv.reader([header_line], delimiter=separator), [])
        return sum(name.strip() in known for name in fields), len(fields)

    return max(SEPARATORS, key=score)


def records(text: str, separator: str, problems: list[Problem]) -> Iterable[tuple[int, list[str]]]:
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
        problems.append(Problem(code, line=line, values={"limit": MAX_CELL_CHARS}))


def _header_problems(header: list[str], questionnaire: Questionnaire) -> list[Problem]:
    """The header against the questionnaire's columns: each of the frame and the stored
    questions once (free text may be there too, and is dropped)."""
    problems = []
    names = [name.strip() for name in header]
    expected = questionnaire.file_columns
    allowed = set(expected) | set(questionnaire.free_text_columns)
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("duplicate_column", line=1, column=name))
    for name in names:
        if name in allowed:
            continue
        code = "personal_column" if PERSONAL_COLUMN.search(name) else "unknown_column"
        problems.append(Problem(code, line=1, column=name or "?"))
    for name in expected:
        if name not in names:
            problems.append(Problem("missing_column", line=1, column=name))
    return problems


def _lookup(choices: dict[str, str]) -> dict[str, str]:
    return {word.strip().casefold(): choice for word, choice in choices.items()}


def choice_words(question: Question) -> dict[str, str]:
    """{every word a file may use for a choice (its id, its texts, its aliases), folded: the
    choice's id}."""
    words: dict[str, str] = {}
    for choice in question.choices:
        for word in (choice.id, *choice.text.values(), *choice.aliases):
            words[word] = choice.id
    return _lookup(words)


def allowed_text(question: Question) -> str:
    """The choices as a problem message lists them: each id with its Finnish text."""
    return ", ".join(f"{c.id} / {c.text['fi']}" for c in question.choices)


def _choice(value: str, words: dict[str, str]) -> str | None:
    return words.get(value.strip().casefold())


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


def _canonical(question: Question, value: str, this_year: int) -> tuple[str, Problem | None]:
    """An answer in canonical form (a choice id, ids joined by ";", "true"/"false", a year, ""
    for blank) and the problem with it, if any (line and column are added by the caller)."""
    if not value:
        return "", None
    if question.type == "yes_no":
        canonical = _yes_no(value)
        if canonical is None:
            return value, Problem("bad_yes_no", values={"value": value})
        return canonical, None
    if question.type == "one_choice":
        canonical = _choice(value, choice_words(question))
        if canonical is None:
            return value, Problem(
                "bad_choice", values={"value": value, "allowed": allowed_text(question)}
            )
        return canonical, None
    if question.type == "several_choices":
        words = choice_words(question)
        picked = [part.strip() for part in value.split(";") if part.strip()]
        unknown = [part for part in picked if _choice(part, words) is None]
        if unknown:
            return value, Problem(
                "bad_choice", values={"value": unknown[0], "allowed": allowed_text(question)}
            )
        ids = {_choice(part, words) for part in picked}
        return ";".join(c for c in question.choice_ids() if c in ids), None
    if question.type == "year":
        if not (value.isdigit() and MIN_PLAN_YEAR <= int(value) <= this_year):
            return value, Problem(
                "bad_year", values={"value": value, "low": MIN_PLAN_YEAR, "high": this_year}
            )
        return value, None
    return value, None


def _holds(condition: dict[str, tuple[str, ...]], row: dict[str, str]) -> bool:
    return all(row.get(question) in choices for question, choices in condition.items())


def _condition_text(condition: dict[str, tuple[str, ...]], questionnaire: Questionnaire) -> str:
    """A condition as a problem message says it: "plan_status = valmis / aloitettu"."""
    parts = []
    for question_id, choices in condition.items():
        question = questionnaire.question(question_id)
        texts = {c.id: c.text["fi"] for c in question.choices} | {"true": "kyllä", "false": "ei"}
        parts.append(f"{question_id} = {' / '.join(texts.get(c, c) for c in choices)}")
    return "; ".join(parts)


def _row(
    line: int,
    raw: dict[str, str],
    regions: set[str],
    this_year: int,
    questionnaire: Questionnaire,
) -> tuple[dict[str, str], list[Problem]]:
    """One data row in canonical form (the frame and the stored questions), and its problems."""
    problems: list[Problem] = []
    stored = questionnaire.file_columns

    def problem(column: str, code: str, **values: object) -> None:
        problems.append(Problem(code, line=line, column=column, values=values))

    # Free text is dropped unread (never stored): a long comment, common in a survey export, does
    # not refuse the file; the line and file limits bound it.
    for column in stored:
        value = raw.get(column, "")
        if len(value) > MAX_CELL_CHARS:
            problem(column, "cell_too_long", limit=MAX_CELL_CHARS)
        invisible = _invisible_character(value)
        if invisible:
            problem(column, "invisible_character", character=invisible)
    row = {name: raw[name].strip() for name in stored}
    for column, value in row.items():
        if EMAIL.search(value):
            problem(column, "personal_cell_email")
        elif PHONE.search(value) and sum(ch.isdigit() for ch in value) >= 7:
            problem(column, "personal_cell_phone")
    if not WAVE_PATTERN.fullmatch(row["wave"]):
        problem("wave", "bad_wave")
    respondent = _choice(row["respondent_type"], _lookup(RESPONDENT_TYPES))
    if respondent is None:
        allowed = ", ".join(RESPONDENT_TYPES)
        problem("respondent_type", "bad_choice", value=row["respondent_type"], allowed=allowed)
    else:
        row["respondent_type"] = respondent
    for column in ("organisation", "municipality_name"):
        if not row[column]:
            problem(column, "required")
    if not MUNICIPALITY_CODE.fullmatch(row["municipality_code"]):
        problem("municipality_code", "bad_municipality_code", value=row["municipality_code"])
    if row["region_code"] not in regions:
        problem("region_code", "unknown_region", value=row["region_code"])
    stored_questions = [q for q in questionnaire.questions if q.stored]
    invalid = set()
    for question in stored_questions:
        canonical, found = _canonical(question, row[question.id], this_year)
        row[question.id] = canonical
        if found is not None:
            problem(question.id, found.code, **found.values)
            invalid.add(question.id)
    # When a question is asked and when it is required, once every answer is canonical; a
    # condition on an answer that is itself wrong is not judged (that answer's problem is).
    for question in stored_questions:
        value = row[question.id]
        if invalid & {*question.applies_when, *question.required_when}:
            continue
        if question.applies_when and not _holds(question.applies_when, row):
            if question.type == "yes_no" and value == "true":
                condition = _condition_text(question.applies_when, questionnaire)
                problem(question.id, "yes_not_asked", condition=condition)
            elif question.type != "yes_no" and value:
                condition = _condition_text(question.applies_when, questionnaire)
                problem(question.id, "not_asked", condition=condition)
            continue
        if value:
            continue
        if question.required:
            problem(question.id, "required")
        elif question.required_when and _holds(question.required_when, row):
            condition = _condition_text(question.required_when, questionnaire)
            problem(question.id, "required_when", condition=condition)
    return row, problems


def read_responses(
    data: bytes,
    regions: Iterable[str],
    today: dt.date | None = None,
    *,
    questionnaire: Questionnaire | None = None,
    questionnaires: Mapping[str, Questionnaire] | None = None,
) -> Report:
    """Read and validate a response file against ``questionnaire``, or, when none is given, the
    one of ``questionnaires`` (default: the shipped ones) whose columns its header has. Every
    problem is listed; none raises."""
    known = shipped_questionnaires() if questionnaires is None else questionnaires
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
    report.problems.extend(long_lines(text))
    if report.problems:
        return report
    columns = frozenset(
        column for q in known.values() for column in (*q.file_columns, *q.free_text_columns)
    )
    report.separator = _separator(LINE_END.split(text, maxsplit=1)[0], columns)
    this_year = (today or dt.date.today()).year
    region_set = set(regions)
    rows = records(text, report.separator, report.problems)
    first = next(rows, None)
    if first is None:  # the header itself has an unclosed quote
        return report
    header = first[1]
    if len(header) > MAX_COLUMNS:
        report.problems.append(
            Problem("too_many_columns", line=1, values={"found": len(header), "limit": MAX_COLUMNS})
        )
        return report
    names = [name.strip() for name in header]
    chosen = questionnaire or matching(names, known)
    report.questionnaire = chosen.id
    report.problems.extend(_header_problems(header, chosen))
    header_ok = not report.problems
    first_line_of: dict[tuple[str, str], int] = {}
    for line, cells in rows:
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
        raw = dict(zip(names, cells, strict=True))
        row, problems = _row(line, raw, region_set, this_year, chosen)
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


def clean_csv(rows: Sequence[dict[str, str]], questionnaire: Questionnaire) -> bytes:
    """Accepted rows as the data folder keeps them: UTF-8, comma, LF, canonical values, the
    questionnaire's stored columns (no free text)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=questionnaire.file_columns, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# The template's example row: who answers about which municipality (the questions' examples come
# from the questionnaire).
TEMPLATE_FRAME = {
    "wave": "2010",
    "respondent_type": "kunta",
    "organisation": "Esimerkkilän kunta",
    "municipality_code": "001",
    "municipality_name": "Esimerkkilä",
    "region_code": "10",
    "sub_region": "Esimerkkiseutu",
}


def example_answer(question: Question) -> str:
    """The template's example answer (Finnish): the question's own, else its first choice, else
    yes for a yes/no question."""
    if question.example:
        return question.example
    if question.choices:
        return question.choices[0].text["fi"]
    return "kyllä" if question.type == "yes_no" else ""


def template_bytes(questionnaire: Questionnaire) -> bytes:
    """The downloadable template of a questionnaire as Finnish Excel writes it (UTF-8 with BOM,
    ``;``, CRLF): the header (the frame, then the stored questions) and one example row commented
    out with ``#``, which reading skips."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(questionnaire.file_columns)
    stored = [q for q in questionnaire.questions if q.stored]
    example = [TEMPLATE_FRAME[c] for c in FRAME_COLUMNS] + [example_answer(q) for q in stored]
    writer.writerow(["# " + example[0], *example[1:]])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
