"""From a survey tool's export to a questionnaire's answers (issue #17): which column answers which
question, which answer text is which choice, whose answers they are and about which municipality.

A mapping is suggested from the export and the questionnaire's fi/sv/en texts (normalised text,
rapidfuzz scores as a confidence), reviewed by the coordinator, saved as JSON beside the wave
(data/mappings/<wave>.json; <wave>.police.json for a file of one respondent type's answers) and
applied to the export: the result is the project's own response file (the template CSV, choice
ids as cells), which the importer checks and stores exactly as a template file. A problem the
importer finds is put back at its place in the user's file (``Taulukko1!F7``).

Personal data stays out: only the columns the mapping names are read from the export; every other
column — e-mail, name, IP address, token, times, free text — is dropped unread, and only its
header is listed (as "left out"). A free-text question is never mapped.

The mapping file (JSON, UTF-8, at most 256 kB):

    {"format": 1, "wave": "2026-lappi", "questionnaire": "2026", "sheet": "Taulukko1",
     "municipality": {"column": "Kunta", "by": "name",           # by "code" or "name"
                      "names": {"Nilsiä": "297"}},   # optional: a name -> the code it is read as
     "respondent_type": {"value": "police"},                      # or {"column": "Vastaaja"}
     "organisation": {"column": "Organisaatio"},                  # optional; or {"value": "..."}
     "questions": {
       "plan_status": {"column": "Mikä on ...?", "answers": {"Valmis": "ready", ...}},
       "themes_2023": {"column": "...", "separator": ";", "answers": {...}},
       "themes_2023": {"columns": {"... [Jengit]": "street_gangs", ...},   # one per choice
                       "marks": {"✓": "true"}},   # optional: a mark that is no known one
     },
     "left_out": ["ID", "Sähköposti", "Nimi"]}

``answers`` maps an answer text as it is in the export to a choice id (``true``/``false`` for a
yes/no question); a text not in it is read as the template reads a cell (choice id, text or
alias in fi/sv/en), else refused at its place.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from tilannekuva.questionnaire import Question, Questionnaire
from tilannekuva.register import Municipality, Register, accepted_names
from tilannekuva.responses import (
    NO,
    PERSONAL_COLUMN,
    RESPONDENT_TYPES,
    YES,
    Problem,
    choice_words,
)
from tilannekuva.schema import FRAME_COLUMNS
from tilannekuva.survey_files import Export, cell_reference, column_letter, sheet_reference

FORMAT = 1
MAX_MAPPING_BYTES = 256 * 1024
MAPPINGS_DIR = "mappings"  # in the data folder: each imported wave's mapping, <wave>.json
MAX_DEPTH = 6
CONFIDENT = 85  # a suggestion at or above this is taken; below CHECK it is not made at all
CHECK = 70
RESPONDENT_WORDS = {"municipality": "kunta", "police": "poliisi", "rescue": "pelastuslaitos"}
MUNICIPALITY_HEADERS = (
    "kunta",
    "kunnan nimi",
    "kuntakoodi",
    "kommun",
    "municipality",
    "kunta/kommun",
)
# The columns a survey tool adds to every export (Microsoft Forms in English and Finnish,
# LimeSurvey): never suggested for a question, always left out.
TOOL_COLUMNS = frozenset(
    {
        "id", "start time", "completion time", "email", "name", "last modified time",
        "tunnus", "aloitusaika", "valmistumisaika", "sähköposti", "nimi", "viimeksi muokattu",
        "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp",
        "ipaddr", "refurl", "response id", "date submitted", "last page", "ip address",
    }
)  # fmt: skip
TOP_LEVEL = {
    "format",
    "wave",
    "questionnaire",
    "sheet",
    "municipality",
    "respondent_type",
    "organisation",
    "questions",
    "left_out",
}


@dataclass(frozen=True)
class QuestionMap:
    column: str = ""  # one column (one choice, yes/no, year; several choices joined)
    answers: dict[str, str] = field(default_factory=dict)
    separator: str = ";"
    columns: dict[str, str] = field(default_factory=dict)  # several choices: header -> choice
    # With ``columns``: a mark the tool wrote that is no known one ("✓") -> "true" (the choice
    # was made) or "false", as the coordinator read it.
    marks: dict[str, str] = field(default_factory=dict)
    score: int = 100  # the suggestion's confidence (100 for a reviewed mapping)


@dataclass(frozen=True)
class SurveyMapping:
    wave: str
    questionnaire: str
    municipality_column: str
    municipality_by: str  # "code" or "name"
    # A municipality name as the export has it -> the code it is read as: a name the register of
    # the wave's year lacks (a municipality merged since, a spelling of one's own), as the
    # coordinator chose it (suggested for a merged one: its successor).
    municipality_names: dict[str, str] = field(default_factory=dict)
    respondent_column: str = ""
    respondent_value: str = ""
    organisation_column: str = ""
    organisation_value: str = ""
    sheet: str | None = None
    questions: dict[str, QuestionMap] = field(default_factory=dict)
    left_out: tuple[str, ...] = ()

    def used_columns(self) -> set[str]:
        used = {self.municipality_column, self.respondent_column, self.organisation_column}
        for question in self.questions.values():
            used.add(question.column)
            used.update(question.columns)
        return used - {""}

    def to_json(self) -> bytes:
        questions: dict[str, Any] = {}
        for question_id, q in self.questions.items():
            if q.columns:
                questions[question_id] = {"columns": q.columns}
                if q.marks:
                    questions[question_id]["marks"] = q.marks
            else:
                entry: dict[str, Any] = {"column": q.column}
                if q.answers:
                    entry["answers"] = q.answers
                if q.separator != ";":
                    entry["separator"] = q.separator
                questions[question_id] = entry
        body: dict[str, Any] = {"format": FORMAT, "wave": self.wave}
        body["questionnaire"] = self.questionnaire
        if self.sheet:
            body["sheet"] = self.sheet
        body["municipality"] = {"column": self.municipality_column, "by": self.municipality_by}
        if self.municipality_names:
            body["municipality"]["names"] = self.municipality_names
        body["respondent_type"] = (
            {"column": self.respondent_column}
            if self.respondent_column
            else {"value": self.respondent_value}
        )
        if self.organisation_column:
            body["organisation"] = {"column": self.organisation_column}
        elif self.organisation_value:
            body["organisation"] = {"value": self.organisation_value}
        body["questions"] = questions
        body["left_out"] = list(self.left_out)
        return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass
class Suggestion:
    """What ``suggest`` found: the mapping, and what it could not match (to review)."""

    mapping: SurveyMapping
    unmatched_questions: list[str] = field(default_factory=list)  # required ones not found
    unmatched_answers: dict[str, Counter[str]] = field(default_factory=dict)  # question: texts
    unresolved_municipalities: Counter[str] = field(default_factory=Counter)
    respondent_missing: bool = False
    # Answer texts mapped because they are like a choice, not the same: to be checked.
    likely_answers: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)
    # Names of municipalities merged (or renamed) by the wave's year, read as the one they became:
    # {text: (its change, count)}, to be checked.
    former_municipalities: dict[str, tuple[Former, int]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not (
            self.unmatched_questions
            or self.respondent_missing
            or not self.mapping.municipality_column
            or self.likely_answers
            or self.former_municipalities
        )


# Text matching ---------------------------------------------------------------------------------


def normal(text: str) -> str:
    """Text for matching: NFKC, case folded, punctuation and numbering (``1.``, ``Q2``) gone."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"^\s*(\d+[.)]|q\d+[.:)]?)\s*", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def score(a: str, b: str) -> int:
    """0–100: how alike two texts are, word order and small differences forgiven."""
    x, y = normal(a), normal(b)
    if not x or not y:
        return 0
    if x == y:
        return 100
    return round(max(fuzz.token_sort_ratio(x, y), fuzz.ratio(x, y)))


def _question_texts(question: Question) -> list[str]:
    return [question.id.replace("_", " "), *question.text.values(), *question.label.values()]


def _best(texts: Iterable[str], headers: Iterable[str]) -> tuple[str, int]:
    found, best = "", 0
    for header in headers:
        value = max((score(text, header) for text in texts), default=0)
        if value > best:
            found, best = header, value
    return found, best


# Suggesting ------------------------------------------------------------------------------------

ANSWERED_BY_CHOICE = ("one_choice", "yes_no", "several_choices")


def candidate_headers(export: Export) -> list[str]:
    """The headers a mapping may use, in the file's order: never the survey tool's own columns
    or anything that looks like contact data (they stay unread and unshown)."""
    return [
        h for h in dict.fromkeys(export.header) if h and not contact_like(h) and not other_answer(h)
    ]


def other_answer(header: str) -> bool:
    """A "Question [Other]" column: the free text of an "other" choice (issue #17 probe: it was
    mapped as the question and its text printed)."""
    parts = _split_choice_header(header)
    return parts is not None and normal(parts[1]) in OTHER_WORDS


# A short header with one of these words is about the respondent, not an answer ("Sähköposti",
# "Vastaajan nimi", "Contact person", "IP-osoite"); a question's text is longer, so "äldre
# personers säkerhet" in a question stays a question.
CONTACT_WORDS = re.compile(
    r"nimi|name|namn|mail|posti|puhelin|phone|telefon|henkilö|person|kontakt|contact|\bip\b|"
    r"token|tunniste|osoite|address|adress",
    re.IGNORECASE,
)
SHORT_HEADER_WORDS = 4


def contact_like(header: str) -> bool:
    """The survey tool's own columns and short headers that name the respondent or a way to
    reach them: never offered for a question, never read."""
    words = normal(header).split()
    if normal(header) in TOOL_COLUMNS:
        return True
    short = len(words) <= SHORT_HEADER_WORDS
    return short and bool(CONTACT_WORDS.search(header) or PERSONAL_COLUMN.search(header))


def unrecognised_answers(export: Export, question: Question, q: QuestionMap) -> Counter[str]:
    """The answer texts of ``q``'s column that the template's check would not take as they are
    (not a choice's id, text or alias, not a yes/no word) and that the mapping does not map."""
    words = choice_words(question)
    index = export.header.index(q.column)
    texts: Counter[str] = Counter()
    for _, cells in export.rows:
        value = cells[index].strip()
        parts = value.split(q.separator) if question.type == "several_choices" else [value]
        for part in (p.strip() for p in parts if p.strip()):
            folded = part.casefold()
            exact = folded in (YES | NO) if question.type == "yes_no" else folded in words
            if not exact:
                texts[part] += 1
    return texts


def unrecognised_marks(export: Export, question: Question, q: QuestionMap) -> Counter[str]:
    """The cells of ``q``'s per-choice columns that say neither chosen nor not chosen as they are
    and that the mapping does not read (``marks``)."""
    texts: Counter[str] = Counter()
    for header, choice in q.columns.items():
        for text, count in _values(export, header).items():
            if choice_mark(text, choice, question) is None and text not in q.marks:
                texts[text] += count
    return texts


def wave_year(wave: str, data_dir: Path) -> int | None:
    """The classification year of a wave id: waves.csv's, else its leading year, among the years
    of the wave's register (register_check; a fictional wave's is the example register)."""
    from tilannekuva.importer import declared_waves
    from tilannekuva.register_check import classification_year, register_for

    declared = {w: row.classification_year for w, row in declared_waves(data_dir).items()}
    return classification_year(wave, declared, register_for(wave, data_dir).years())


def _values(export: Export, header: str) -> Counter[str]:
    index = export.header.index(header)
    return Counter(cells[index].strip() for _, cells in export.rows if cells[index].strip())


# Words that turn an answer into its opposite: "ei aloitettu" is not "aloitettu" however alike
# the texts score (the probe of issue #17 found it mapped to started).
NEGATIONS = frozenset(
    {"ei", "en", "et", "eivät", "inte", "ej", "icke", "ingen", "inget", "not", "no", "non",
     "none", "never", "without", "ilman", "utan", "koskaan"}
)  # fmt: skip


def _negated(text: str, word: str) -> bool:
    """Whether one text has a negation the other lacks."""
    a, b = set(normal(text).split()), set(normal(word).split())
    return bool((a ^ b) & NEGATIONS)


def likely_choice(text: str, question: Question) -> str | None:
    """The choice an answer text is: exactly (id, text, alias in any language), else the one it
    is clearly like (rapidfuzz ≥ CONFIDENT, never across a negation); for yes/no, "true" or
    "false" by the template's words only."""
    folded = text.strip().casefold()
    if question.type == "yes_no":
        if folded in YES:
            return "true"
        if folded in NO:
            return "false"
        return None
    words = choice_words(question)
    if folded in words:
        return words[folded]
    best, best_score = None, 0
    for word, choice in words.items():
        if _negated(text, word):
            continue
        value = score(word, text)
        if value > best_score:
            best, best_score = choice, value
    return best if best_score >= CONFIDENT else None


# A cell of a one-column-per-choice export says whether the choice was made: LimeSurvey writes
# Y or the answer text, Webropol 1/0, a hand-made sheet x. Anything else is not guessed.
CHOSEN = frozenset({"y", "x", "1", "valittu", "selected", "checked", "vald", "on"}) | YES
NOT_CHOSEN = (
    frozenset({"", "n", "0", "-", "ei valittu", "not selected", "inte vald", "unchecked", "off"})
    | NO
)


def choice_mark(cell: str, choice: str, question: Question) -> bool | None:
    """True when a per-choice cell marks its choice, False when it does not, None when it says
    something else (to be reviewed, never counted)."""
    folded = " ".join(cell.split()).casefold()
    if folded in NOT_CHOSEN:
        return False
    texts = {choice.casefold()} | {
        text.casefold() for c in question.choices if c.id == choice for text in c.text.values()
    }
    if folded in CHOSEN or folded in texts:
        return True
    return None


# The choice part of a "Question [Other]" header: a free-text answer, never read.
OTHER_WORDS = frozenset(
    {"muu", "muu mikä", "muut", "other", "others", "annat", "övrigt", "comment", "kommentti"}
)


def _split_choice_header(header: str) -> tuple[str, str] | None:
    """A one-column-per-choice header: "Question [Choice]" (LimeSurvey) or "Question - Choice"
    (Forms' matrix style) into (question part, choice part)."""
    found = re.fullmatch(r"(.+?)\s*\[(.+)\]\s*", header) or re.fullmatch(r"(.+)\s+-\s+(.+)", header)
    return (found.group(1), found.group(2)) if found else None


def _municipality_index(
    register: Register, year: int
) -> tuple[dict[str, Municipality], dict[str, Municipality]]:
    municipalities = register.municipalities_of(year)
    by_code = {m.code: m for m in municipalities}
    by_name = {name: m for m in municipalities for name in accepted_names(m)}
    return by_code, by_name


def _code(text: str) -> str:
    text = text.strip()
    return text.zfill(3) if text.isdigit() and len(text) <= 3 else text


# How a survey's respondents write their municipality beyond its register name: with the word
# for the organisation ("Espoon kaupunki", "Närpes stad") or in both languages ("Helsinki /
# Helsingfors", "Maarianhamina – Mariehamn"). Only these forms are read; nothing is guessed.
ORGANISATION_WORDS = re.compile(r"\s+(kaupunki|kunta|stad|kommun)$", re.IGNORECASE)
NAME_SEPARATORS = re.compile(r"\s*[/–—]\s*|\s+-\s+")


@dataclass(frozen=True)
class Former:
    """A municipality name the register of a year no longer has, and the municipality of that
    year it became (by a merger, or a rename) on ``date``."""

    name: str
    date: dt.date
    successor: Municipality


def former_municipalities(register: Register, year: int) -> dict[str, Former]:
    """{casefolded name: Former} of the municipalities merged or renamed from the register's
    first year up to ``year``, each followed through later mergers to the municipality of
    ``year`` (Nilsiä, merged into Kuopio on 1.1.2013, is Kuopio in 2026). A name the register of
    ``year`` still has is not here. From the register's own changes only: a municipality merged
    before its first year (Valkeala, 2009) is not known, and is mapped by hand."""
    changes = sorted(
        (c for c in register.changes if c.kind in ("merger", "rename") and c.date.year <= year),
        key=lambda c: c.date,
    )
    successor = {c.from_code: c.to_code for c in changes if c.kind == "merger"}
    current = {m.code: m for m in register.municipalities_of(year)}
    taken = {name for m in current.values() for name in accepted_names(m)}
    found: dict[str, Former] = {}
    for change in changes:
        code = change.to_code
        seen = {code}
        while code in successor and successor[code] not in seen:
            code = successor[code]
            seen.add(code)
        if code not in current:
            continue
        before = register.municipality(change.date.year - 1, change.from_code)
        names = accepted_names(before) if before else {" ".join(change.from_name_fi.split())}
        for name in names:
            key = name.casefold()
            if key not in taken:
                found.setdefault(key, Former(change.from_name_fi, change.date, current[code]))
    return found


def resolve(
    text: str,
    by: str,
    by_code: Mapping[str, Municipality],
    by_name: Mapping[str, Municipality],
    names: Mapping[str, str] | None = None,
) -> Municipality | None:
    """The municipality of the year ``text`` names (``by`` code or name; ``names``: the
    mapping's own reading of a name), or None."""
    if names and text.strip() in names:
        return by_code.get(names[text.strip()])
    if by == "code":
        return by_code.get(_code(text))
    name = " ".join(text.replace("\u200b", "").split())
    found = by_name.get(name.casefold())
    if found is not None:
        return found
    parts = [part for part in NAME_SEPARATORS.split(name) if part]
    candidates = {by_name.get(part.casefold()) for part in parts} - {None}
    if len(candidates) == 1:  # every part names the same municipality (or only one part does)
        return candidates.pop()
    bare = ORGANISATION_WORDS.sub("", name)
    if bare != name:
        genitive = bare[:-1] if bare.endswith("n") else bare  # "Espoon" -> "Espoo"
        for guess in (bare, genitive):
            found = by_name.get(guess.casefold())
            if found is not None:
                return found
    return None


def unresolved_municipalities(
    export: Export, column: str, by: str, register: Register, year: int
) -> dict[str, tuple[int, Former | None]]:
    """{text: (count, the municipality it was merged into or None)} of the ``column``'s values
    that name no municipality of ``year`` as they are (by code or name), in the file's order."""
    by_code, by_name = _municipality_index(register, year)
    former = former_municipalities(register, year) if by == "name" else {}
    return {
        value: (count, former.get(" ".join(value.split()).casefold()))
        for value, count in _values(export, column).items()
        if not resolve(value, by, by_code, by_name)
    }


def suggest(
    export: Export,
    questionnaire: Questionnaire,
    register: Register,
    year: int,
    wave: str,
    respondent_type: str = "",
) -> Suggestion:
    """The mapping a coordinator would make, with its confidence, and what is left to review."""
    by_code, by_name = _municipality_index(register, year)
    headers = list(export.header)
    # Contact data and the tool's own columns are never candidates: they stay unread.
    free = set(candidate_headers(export))
    # The municipality: the column whose values resolve best (by code, else by name; the name of
    # a municipality merged since counts).
    former = former_municipalities(register, year)

    def known(value: str, by: str) -> bool:
        if resolve(value, by, by_code, by_name):
            return True
        return by == "name" and " ".join(value.split()).casefold() in former

    municipality_column, municipality_by, resolved_best = "", "name", 0.0
    for header in sorted(free, key=headers.index):
        values = _values(export, header)
        if not values:
            continue
        total = sum(values.values())
        for by in ("code", "name"):
            share = sum(n for v, n in values.items() if known(v, by)) / total
            named = max(score(word, header) for word in MUNICIPALITY_HEADERS)
            if share >= 0.5 and (share, named) > (resolved_best, 0):
                municipality_column, municipality_by, resolved_best = header, by, share
    free.discard(municipality_column)
    # Whose answers: one value for the file, or the column whose values are respondent types.
    respondent_column = ""
    if not respondent_type:
        for header in sorted(free, key=headers.index):
            values = _values(export, header)
            if values and all(respondent_kind(v) for v in values):
                respondent_column = header
                break
    free.discard(respondent_column)
    suggestion = Suggestion(
        SurveyMapping(
            wave=wave, questionnaire=questionnaire.id, municipality_column="", municipality_by=""
        )
    )
    questions: dict[str, QuestionMap] = {}
    # Each question to the header most like one of its texts, the most certain pairs first.
    candidates = []
    for question in questionnaire.questions:
        if not question.stored:
            continue
        header, value = _best(_question_texts(question), free)
        candidates.append((value, question.id, header))
    taken: set[str] = set()
    for value, question_id, _ in sorted(candidates, reverse=True):
        question = questionnaire.question(question_id)
        header, value = _best(_question_texts(question), free - taken)
        if question.type == "several_choices":
            per_choice = _per_choice_columns(question, free - taken)
            if per_choice:  # one column per choice, where the export has them
                questions[question_id] = QuestionMap(columns=per_choice, score=CONFIDENT)
                taken.update(per_choice)
                marks = unrecognised_marks(export, question, questions[question_id])
                if marks:
                    suggestion.unmatched_answers[question_id] = marks
                continue
        if value < CHECK:
            if question.required:
                suggestion.unmatched_questions.append(question_id)
            continue
        taken.add(header)
        answers: dict[str, str] = {}
        if question.type in ("one_choice", "yes_no", "several_choices"):
            unmatched: Counter[str] = Counter()
            for text, count in _values(export, header).items():
                parts = text.split(";") if question.type == "several_choices" else [text]
                for part in (p.strip() for p in parts if p.strip()):
                    choice = likely_choice(part, question)
                    exact = part.casefold() in choice_words(question) or question.type == "yes_no"
                    if choice is None:
                        unmatched[part] += count
                    elif not exact:  # alike, not the same: in the mapping, and to be checked
                        answers[part] = choice
                        likely = suggestion.likely_answers.setdefault(question_id, {})
                        _, before = likely.get(part, (choice, 0))
                        likely[part] = (choice, before + count)
                    elif question.type == "yes_no":
                        answers[part] = choice
            if unmatched:
                suggestion.unmatched_answers[question_id] = unmatched
        questions[question_id] = QuestionMap(column=header, answers=answers, score=value)
    used = {municipality_column, respondent_column} | taken
    names: dict[str, str] = {}
    if municipality_column:
        found = unresolved_municipalities(
            export, municipality_column, municipality_by, register, year
        )
        for value, (count, merged) in found.items():
            if merged is not None:  # read as its successor, to be checked
                names[value] = merged.successor.code
                suggestion.former_municipalities[value] = (merged, count)
            else:
                suggestion.unresolved_municipalities[value] = count
    suggestion.respondent_missing = not (respondent_type or respondent_column)
    suggestion.mapping = SurveyMapping(
        wave=wave,
        questionnaire=questionnaire.id,
        sheet=export.sheet or None,
        municipality_column=municipality_column,
        municipality_by=municipality_by if municipality_column else "",
        municipality_names=names,
        respondent_column=respondent_column,
        respondent_value=respondent_type,
        questions={q.id: questions[q.id] for q in questionnaire.questions if q.id in questions},
        left_out=tuple(h for h in headers if h not in used),
    )
    return suggestion


def _per_choice_columns(question: Question, headers: Iterable[str]) -> dict[str, str]:
    """Headers "Question [Choice]" whose question part is this question's and whose choice part
    is one of its choices."""
    found: dict[str, str] = {}
    for header in headers:
        parts = _split_choice_header(header)
        if parts is None:
            continue
        asked, choice_text = parts
        if max(score(text, asked) for text in _question_texts(question)) < CONFIDENT:
            continue
        choice = likely_choice(choice_text, question)
        if choice is not None:
            found[header] = choice
    return found


# Reading a mapping file -----------------------------------------------------------------------


class MappingError(ValueError):
    """A mapping file that cannot be used, with one message key and its values."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.problem = Problem(f"mapping_{code}", values=values)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise MappingError("duplicate_key", name=key)
        seen[key] = value
    return seen


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise MappingError("not_text", where=where)
    return value


def _texts(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise MappingError("not_object", where=where)
    return {_text(k, where): _text(v, f"{where}.{k}") for k, v in value.items()}


def read_mapping(data: bytes, questionnaires: Mapping[str, Questionnaire]) -> SurveyMapping:
    """A mapping file, checked in itself (its columns are checked against an export by
    ``apply``); MappingError for anything it does not allow."""
    if len(data) > MAX_MAPPING_BYTES:
        raise MappingError("too_large", limit=MAX_MAPPING_BYTES // 1024)
    # A deeply nested file is refused before json builds it (Python's parser recurses).
    depth = level = 0
    for byte in data:
        if byte in b"[{":
            level += 1
            depth = max(depth, level)
        elif byte in b"]}":
            level -= 1
    if depth > MAX_DEPTH:
        raise MappingError("too_deep", limit=MAX_DEPTH)
    try:
        raw = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_no_duplicates)
    except RecursionError:  # brackets inside strings passed the count above
        raise MappingError("too_deep", limit=MAX_DEPTH) from None
    except (UnicodeDecodeError, ValueError) as error:
        if isinstance(error, MappingError):
            raise
        raise MappingError("not_json") from None
    if not isinstance(raw, dict):
        raise MappingError("not_object", where="(top)")
    unknown = set(raw) - TOP_LEVEL
    if unknown:
        raise MappingError("unknown_key", name=sorted(unknown)[0])
    if type(raw.get("format")) is not int or raw.get("format") != FORMAT:
        raise MappingError("format", expected=FORMAT)
    questionnaire_id = _text(raw.get("questionnaire"), "questionnaire")
    if questionnaire_id not in questionnaires:
        raise MappingError("questionnaire", value=questionnaire_id, known=", ".join(questionnaires))
    questionnaire = questionnaires[questionnaire_id]
    municipality_raw = raw.get("municipality")
    if not isinstance(municipality_raw, dict):
        raise MappingError("not_object", where="municipality")
    municipality_raw = dict(municipality_raw)
    names = _texts(municipality_raw.pop("names", {}), "municipality.names")
    if any(not re.fullmatch(r"[0-9]{3}", code) for code in names.values()):
        raise MappingError("municipality")
    municipality = _texts(municipality_raw, "municipality")
    if set(municipality) != {"column", "by"} or municipality["by"] not in ("code", "name"):
        raise MappingError("municipality")
    if not municipality["column"].strip():
        raise MappingError("municipality")
    respondent = _texts(raw.get("respondent_type"), "respondent_type")
    if len(respondent) != 1 or not ({"column", "value"} & set(respondent)):
        raise MappingError("respondent")
    if "value" in respondent and respondent["value"].casefold() not in RESPONDENT_TYPES:
        raise MappingError("respondent")
    if not next(iter(respondent.values())).strip():
        raise MappingError("respondent")
    organisation = _texts(raw.get("organisation", {}), "organisation")
    if len(organisation) > 1 or set(organisation) - {"column", "value"}:
        raise MappingError("organisation")
    questions_raw = raw.get("questions")
    if not isinstance(questions_raw, dict):
        raise MappingError("not_object", where="questions")
    questions: dict[str, QuestionMap] = {}
    for question_id, entry in questions_raw.items():
        known = {q.id: q for q in questionnaire.questions if q.stored}
        if question_id not in known:
            raise MappingError("unknown_question", question=question_id)
        if not isinstance(entry, dict) or set(entry) - {
            "column",
            "columns",
            "answers",
            "separator",
            "marks",
        }:
            raise MappingError("question", question=question_id)
        marks = _texts(entry.get("marks", {}), f"{question_id}.marks")
        if marks and ("columns" not in entry or set(marks.values()) - {"true", "false"}):
            raise MappingError("question", question=question_id)
        if ("column" in entry) == ("columns" in entry):
            raise MappingError("question", question=question_id)
        if "columns" in entry and known[question_id].type != "several_choices":
            raise MappingError("question", question=question_id)
        separator = _text(entry.get("separator", ";"), f"{question_id}.separator")
        if len(separator) != 1:
            raise MappingError("question", question=question_id)
        q = QuestionMap(
            column=_text(entry.get("column", ""), f"{question_id}.column"),
            answers=_texts(entry.get("answers", {}), f"{question_id}.answers"),
            separator=separator,
            columns=_texts(entry.get("columns", {}), f"{question_id}.columns"),
            marks=marks,
        )
        if not (q.column.strip() or q.columns) or any(not h.strip() for h in q.columns):
            raise MappingError("question", question=question_id)
        unknown_choices = set(q.columns.values()) - set(known[question_id].choice_ids())
        if unknown_choices:
            values = {"question": question_id, "choice": sorted(unknown_choices)[0]}
            raise MappingError("unknown_choice", **values)
        questions[question_id] = q
    left_out = raw.get("left_out", [])
    if not isinstance(left_out, list):
        raise MappingError("not_object", where="left_out")
    sheet = raw.get("sheet")
    return SurveyMapping(
        wave=_text(raw.get("wave"), "wave"),
        questionnaire=questionnaire_id,
        sheet=None if sheet is None else _text(sheet, "sheet"),
        municipality_column=municipality["column"],
        municipality_by=municipality["by"],
        municipality_names=names,
        respondent_column=respondent.get("column", ""),
        respondent_value=respondent.get("value", ""),
        organisation_column=organisation.get("column", ""),
        organisation_value=organisation.get("value", ""),
        questions=questions,
        left_out=tuple(_text(h, "left_out") for h in left_out),
    )


# Applying a mapping ---------------------------------------------------------------------------


@dataclass
class Applied:
    """The export as the project's response file, and where each of its cells came from."""

    data: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    source_rows: list[int] = field(default_factory=list)  # template data line i+2 -> export row
    source_columns: dict[str, int] = field(default_factory=dict)  # template column -> index

    def place(self, problem: Problem, export: Export) -> Problem:
        """A problem of the template file at its place in the export."""
        if problem.line is None or problem.line < 2 or problem.line - 2 >= len(self.source_rows):
            return problem
        row = self.source_rows[problem.line - 2]
        index = self.source_columns.get(problem.column or "")
        if problem.column is None:  # the whole row: Excel's own reference for it ("Svar!7:7")
            if export.kind == "xlsx":
                place = f"{sheet_reference(export.sheet)}!{row}:{row}"
                return Problem(problem.code, place=place, values=problem.values)
            return Problem(problem.code, line=row, values=problem.values)
        if index is None:
            # Not a cell of the file (the mapping gave the value, or no column answers the
            # question): the row, and the question or field by its id ("Taulukko1!7 (plan_scope)").
            values = problem.values
            if export.kind == "xlsx":
                place = f"{sheet_reference(export.sheet)}!{row} ({problem.column})"
                return Problem(problem.code, place=place, values=values)
            return Problem(problem.code, line=row, column=f"({problem.column})", values=values)
        if export.kind == "xlsx":
            place = cell_reference(export.sheet, row, index)
            return Problem(problem.code, place=place, values=problem.values)
        return Problem(problem.code, line=row, column=export.header[index], values=problem.values)


# Respondent texts beyond the template's words: the organisation's own name for itself.
RESPONDENT_WORDS_MORE = {
    "poliisilaitos": "police",
    "polisinrättning": "police",
    "kaupunki": "municipality",
    "stad": "municipality",
    "pelastustoimi": "rescue",
    "räddningsverket": "rescue",
    "pelastuslaitos": "rescue",
}


def respondent_kind(text: str) -> str:
    """The respondent type a cell names ("kunta", "Kunta/kaupunki", "Poliisilaitos"), or ""."""
    words = RESPONDENT_TYPES | RESPONDENT_WORDS_MORE
    folded = " ".join(text.split()).casefold()
    if folded in words:
        return words[folded]
    kinds = {words.get(part.strip()) for part in re.split(r"[/,]", folded) if part.strip()}
    return kinds.pop() if len(kinds) == 1 and None not in kinds else ""


def _placed(code: str, export: Export, row: int, index: int, values: dict[str, object]) -> Problem:
    """A problem at a cell of the user's file: Taulukko1!F7, or a CSV's line and column."""
    if export.kind == "xlsx":
        return Problem(code, place=cell_reference(export.sheet, row, index), values=values)
    column = export.header[index] or column_letter(index)
    return Problem(code, line=row, column=column, values=values)


def apply(
    mapping: SurveyMapping,
    export: Export,
    questionnaire: Questionnaire,
    register: Register,
    year: int,
) -> Applied:
    """The export's rows as template rows, reading only the mapped columns."""
    applied = Applied()
    header = list(export.header)
    used = sorted(mapping.used_columns())
    missing = [column for column in used if column not in header]
    if missing:
        applied.problems.append(Problem("mapping_no_column", values={"column": missing[0]}))
        return applied
    duplicated = [h for h, n in Counter(header).items() if n > 1 and h in used]
    if duplicated:
        applied.problems.append(
            Problem("mapping_ambiguous_column", values={"column": duplicated[0]})
        )
        return applied
    pointed: Counter[str] = Counter()
    for question in mapping.questions.values():
        pointed.update({question.column} - {""})
        pointed.update(list(question.columns))
    twice = [column for column, n in pointed.items() if n > 1]
    if twice:
        applied.problems.append(Problem("mapping_column_twice", values={"column": twice[0]}))
        return applied
    personal = [column for column in used if contact_like(column) or other_answer(column)]
    if personal:  # a hand-edited mapping naming e-mail, name or free text: never read
        applied.problems.append(Problem("mapping_personal_column", values={"column": personal[0]}))
        return applied
    index = {name: header.index(name) for name in used}
    by_code, by_name = _municipality_index(register, year)
    columns = questionnaire.file_columns
    applied.source_columns = {
        "municipality_code": index[mapping.municipality_column],
        "municipality_name": index[mapping.municipality_column],
        "region_code": index[mapping.municipality_column],
    }
    if mapping.respondent_column:
        applied.source_columns["respondent_type"] = index[mapping.respondent_column]
    if mapping.organisation_column:
        applied.source_columns["organisation"] = index[mapping.organisation_column]
    for question_id, q in mapping.questions.items():
        if q.column:
            applied.source_columns[question_id] = index[q.column]
        elif q.columns:
            applied.source_columns[question_id] = index[next(iter(q.columns))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for number, cells in export.rows:

        def cell(column: str, cells: tuple[str, ...] = cells) -> str:
            return cells[index[column]].strip()

        place_text = cell(mapping.municipality_column)
        municipality = resolve(
            place_text, mapping.municipality_by, by_code, by_name, mapping.municipality_names
        )
        if municipality is None:
            where = index[mapping.municipality_column]
            code = "mapping_no_municipality" if not place_text else "mapping_unknown_municipality"
            values = {"value": place_text, "year": year}
            applied.problems.append(_placed(code, export, number, where, values))
            continue
        respondent = (
            cell(mapping.respondent_column)
            if mapping.respondent_column
            else mapping.respondent_value
        )
        canonical = respondent_kind(respondent)
        respondent = canonical or respondent
        organisation = (
            cell(mapping.organisation_column)
            if mapping.organisation_column
            else mapping.organisation_value or RESPONDENT_WORDS.get(canonical, respondent)
        )
        row = {
            "wave": mapping.wave,
            "respondent_type": respondent,
            "organisation": organisation,
            "municipality_code": municipality.code,
            "municipality_name": municipality.name_fi,
            "region_code": municipality.region_code,
            "sub_region": municipality.sub_region_fi,
        }
        for question in questionnaire.questions:
            q = mapping.questions.get(question.id)
            if q is None or not question.stored:
                continue
            if q.columns:
                chosen = set()
                for header_name, choice in q.columns.items():
                    mark = choice_mark(cell(header_name), choice, question)
                    if mark is None and cell(header_name) in q.marks:  # the coordinator's reading
                        mark = q.marks[cell(header_name)] == "true"
                    if mark is None:  # not a mark we know: at its cell, never counted
                        where = index[header_name]
                        values = {"value": cell(header_name), "choice": choice}
                        applied.problems.append(_placed("mapping_bad_mark", export, number,
                                                        where, values))  # fmt: skip
                    elif mark:
                        chosen.add(choice)
                row[question.id] = ";".join(c for c in question.choice_ids() if c in chosen)
                continue
            value = cell(q.column)
            if question.type == "several_choices":
                parts = [p.strip() for p in value.split(q.separator) if p.strip()]
                row[question.id] = ";".join(q.answers.get(p, p) for p in parts)
            else:
                row[question.id] = q.answers.get(value, value)
        writer.writerow([row.get(column, "") for column in columns])
        applied.source_rows.append(number)
    assert set(FRAME_COLUMNS) <= set(columns)
    applied.data = buffer.getvalue().encode("utf-8")
    return applied


# The mappings kept with the waves --------------------------------------------------------------


def save(mapping: SurveyMapping, data_dir: Path) -> None:
    """The mapping beside its wave (data/mappings/<wave>.json), offered again for the next file
    of the same survey; written atomically like every file of the data folder. A file of one
    respondent type's answers keeps its own (<wave>.police.json): a round may come in one file
    per respondent type, each from its own form (a wave id has no dots)."""
    from tilannekuva.importer import write_atomically

    folder = data_dir / MAPPINGS_DIR
    folder.mkdir(exist_ok=True)
    name = ".".join(filter(None, (mapping.wave, mapping.respondent_value)))
    write_atomically(folder / f"{name}.json", mapping.to_json())


def kept(data_dir: Path) -> dict[str, bytes]:
    """{wave: the bytes of its kept mapping} (at most one byte over the size limit of each, so a
    huge file is refused by read_mapping without being read whole)."""
    folder = data_dir / MAPPINGS_DIR
    found: dict[str, bytes] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            with path.open("rb") as handle:
                found[path.stem] = handle.read(MAX_MAPPING_BYTES + 1)
        except OSError:
            continue
    return found
