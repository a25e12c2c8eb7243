"""Questionnaires as data (issue #16 item 4): the questions of a survey round, one TOML file per
questionnaire in ``data/questionnaires/`` (the format is described at the top of 2009.toml).

A wave names its questionnaire (waves.csv ``questionnaire``; a response file without one is
matched by its header). The questionnaire decides the response file's columns and their types,
the validator's rules (choices, when a question is asked, when it is required), the template,
the printable questionnaire and the labels of the questions that are not among the core measures.

The core measures (plan status, year and scope, approval, publication, ARTU, the 2009 themes and
partners) are the columns the SQL reads (schema.CORE_QUESTIONS): a questionnaire that asks one
must ask it with the same type. Every other question is shown on its own page ("Muut
kysymykset"). Free text is read from a file and never stored, shown or logged.

Pure and free of DuckDB, so that validating a file stays fast (issue #9).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from tilannekuva.config import PROJECT_DIR
from tilannekuva.errors import DataFileError
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.schema import CORE_QUESTIONS, FRAME_COLUMNS

# Questionnaires are reference data shipped with the code, like the register: they do not move
# with TILANNEKUVA_DATA_DIR.
QUESTIONNAIRES_DIR = PROJECT_DIR / "data" / "questionnaires"
QuestionType = Literal["one_choice", "yes_no", "several_choices", "year", "free_text"]
TYPES: tuple[str, ...] = get_args(QuestionType)
STATUSES = ("used", "proposed")
# A question id is a column of the response file and of the database: plain, and never one of
# the frame's columns.
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
_QUESTIONNAIRE_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
YES_NO_IDS = ("true", "false")
# The types the database reads a stored column as.
DUCKDB_TYPES = {"year": "integer", "yes_no": "boolean"}


@dataclass(frozen=True)
class Choice:
    id: str
    text: Mapping[str, str]  # fi, sv, en
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    required: bool
    text: Mapping[str, str]
    label: Mapping[str, str]
    choices: tuple[Choice, ...] = ()
    applies_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required_when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    same_as: tuple[str, ...] = ()
    example: str = ""

    @property
    def stored(self) -> bool:
        """Whether answers are kept: free text never is."""
        return self.type != "free_text"

    @property
    def core(self) -> bool:
        """One of the core measures that the SQL reads as a column of its own."""
        return self.id in CORE_QUESTIONS

    def choice_ids(self) -> tuple[str, ...]:
        return YES_NO_IDS if self.type == "yes_no" else tuple(c.id for c in self.choices)

    def required_text(self) -> str:
        """How required the question is, in words for the questionnaire's CSV: "true", "false",
        or the condition ("when plan_status=ready")."""
        if self.required and not self.applies_when:
            return "true"
        condition = self.required_when or (self.applies_when if self.required else None)
        if not condition:
            return "false"
        return "when " + " and ".join(f"{q}={'|'.join(c)}" for q, c in condition.items())


@dataclass(frozen=True)
class Questionnaire:
    id: str
    status: str  # "used" or "proposed"
    title: Mapping[str, str]
    sources: tuple[str, ...]
    questions: tuple[Question, ...]

    @property
    def proposed(self) -> bool:
        return self.status == "proposed"

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    # Cached (the questionnaire is immutable): the loader asks for them once per stored response
    # file, 2,000 times with 2,000 waves stored (issue #22).
    @functools.cached_property
    def stored_columns(self) -> tuple[str, ...]:
        """The question columns of a stored response file, in the questionnaire's order."""
        return tuple(q.id for q in self.questions if q.stored)

    @functools.cached_property
    def file_columns(self) -> tuple[str, ...]:
        """Every column of a stored response file: the frame, then the stored questions."""
        return (*FRAME_COLUMNS, *self.stored_columns)

    @property
    def free_text_columns(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions if not q.stored)

    @property
    def other_questions(self) -> tuple[Question, ...]:
        """The stored questions that are not core measures: the "Muut kysymykset" page's."""
        return tuple(q for q in self.questions if q.stored and not q.core)

    def column_types(self) -> tuple[tuple[str, str], ...]:
        """(column, DuckDB type) of a stored response file, for reading it typed."""
        return self._column_types

    @functools.cached_property
    def _column_types(self) -> tuple[tuple[str, str], ...]:
        frame = tuple((name, "varchar") for name in FRAME_COLUMNS)
        questions = tuple(
            (q.id, DUCKDB_TYPES.get(q.type, "varchar")) for q in self.questions if q.stored
        )
        return frame + questions


def _problem(file: str, where: str, text: str) -> DataFileError:
    return DataFileError(f"questionnaires/{file}", f"{where}: {text}")


def _texts(value: Any, file: str, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise _problem(file, where, "needs a text in each of fi, sv and en")
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        raise _problem(file, where, "a text is empty")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _choice(raw: Any, file: str, where: str) -> Choice:
    if not isinstance(raw, dict) or not _ID.fullmatch(str(raw.get("id", ""))):
        raise _problem(file, where, "a choice needs an id of lower-case letters, digits and _")
    texts = _texts({lang: raw.get(lang) for lang in LANGUAGES}, file, f"{where} {raw['id']}")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise _problem(file, where, "aliases must be a list of texts")
    return Choice(raw["id"], texts, tuple(aliases))


def _condition(raw: Any, file: str, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(
        isinstance(v, list) and v and all(isinstance(c, str) for c in v) for v in raw.values()
    ):
        raise _problem(file, where, "a condition is {question id = [choice ids]}")
    return {question: tuple(choices) for question, choices in raw.items()}


def _question(raw: Any, file: str, index: int) -> Question:
    where = f"question {index}"
    if not isinstance(raw, dict):
        raise _problem(file, where, "is not a table")
    question_id = str(raw.get("id", ""))
    if not _ID.fullmatch(question_id) or question_id in FRAME_COLUMNS:
        raise _problem(file, where, f"id {question_id!r} is not a plain column name of its own")
    where = f"question {question_id}"
    kind = raw.get("type")
    if kind not in TYPES:
        raise _problem(file, where, f"type must be one of {', '.join(TYPES)}")
    core_type = CORE_QUESTIONS.get(question_id)
    if core_type is not None and kind != core_type:
        raise _problem(file, where, f"a core measure: its type is {core_type}")
    if not isinstance(raw.get("required", False), bool):
        raise _problem(file, where, "required is true or false")
    text = _texts(raw.get("text"), file, f"{where} text")
    label = _texts(raw["label"], file, f"{where} label") if "label" in raw else text
    choices = tuple(_choice(choice, file, f"{where} choice") for choice in raw.get("choices", []))
    if (kind in ("one_choice", "several_choices")) != bool(choices):
        raise _problem(file, where, "one_choice and several_choices have choices, others none")
    if len({c.id for c in choices}) != len(choices):
        raise _problem(file, where, "a choice id repeats")
    same_as = raw.get("same_as", [])
    if not isinstance(same_as, list) or not all(isinstance(q, str) for q in same_as):
        raise _problem(file, where, "same_as is a list of questionnaire ids")
    return Question(
        question_id,
        kind,
        bool(raw.get("required", False)),
        text,
        label,
        choices,
        _condition(raw.get("applies_when"), file, f"{where} applies_when"),
        _condition(raw.get("required_when"), file, f"{where} required_when"),
        tuple(same_as),
        str(raw.get("example", "")),
    )


def _check_conditions(questionnaire: Questionnaire, file: str) -> None:
    """A condition names an earlier one-choice or yes/no question of the same questionnaire, and
    choices it has."""
    seen: dict[str, Question] = {}
    for question in questionnaire.questions:
        for name, condition in (
            ("applies_when", question.applies_when),
            ("required_when", question.required_when),
        ):
            for other, choices in condition.items():
                earlier = seen.get(other)
                if earlier is None or earlier.type not in ("one_choice", "yes_no"):
                    raise _problem(
                        file,
                        f"question {question.id} {name}",
                        f"{other} is not an earlier one-choice or yes/no question",
                    )
                unknown = set(choices) - set(earlier.choice_ids())
                if unknown:
                    raise _problem(
                        file,
                        f"question {question.id} {name}",
                        f"{other} has no choice {', '.join(sorted(unknown))}",
                    )
        if question.id in seen:
            raise _problem(file, f"question {question.id}", "the id repeats")
        seen[question.id] = question


def read_questionnaire(path: Path) -> Questionnaire:
    """One questionnaire file, checked; DataFileError naming the file and what is wrong (a TOML
    error with its line and column)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"questionnaires/{path.name}", str(error)) from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"questionnaires/{path.name}", str(error)) from None
    file = path.name
    questionnaire_id = str(raw.get("id", ""))
    if not _QUESTIONNAIRE_ID.fullmatch(questionnaire_id) or f"{questionnaire_id}.toml" != file:
        raise _problem(file, "id", "must be the file's name without .toml")
    if raw.get("status") not in STATUSES:
        raise _problem(file, "status", f"must be one of {', '.join(STATUSES)}")
    sources = raw.get("sources", [])
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise _problem(file, "sources", "name at least one source")
    questions = raw.get("question", [])
    if not isinstance(questions, list) or not questions:
        raise _problem(file, "question", "a questionnaire has questions")
    questionnaire = Questionnaire(
        questionnaire_id,
        raw["status"],
        _texts(raw.get("title"), file, "title"),
        tuple(sources),
        tuple(_question(question, file, index) for index, question in enumerate(questions, 1)),
    )
    if questionnaire.proposed:
        # Marked "proposed" everywhere it shows: its title says so in every language.
        for lang in LANGUAGES:
            if t(lang, "questionnaire.proposed_mark") not in questionnaire.title[lang]:
                mark = t(lang, "questionnaire.proposed_mark")
                raise _problem(file, f"title {lang}", f"a proposed questionnaire's says {mark!r}")
    _check_conditions(questionnaire, file)
    return questionnaire


def load_questionnaires(folder: Path = QUESTIONNAIRES_DIR) -> dict[str, Questionnaire]:
    """Every questionnaire of ``folder`` by id, in id order; ``same_as`` checked across them."""
    questionnaires = {
        q.id: q for q in (read_questionnaire(path) for path in sorted(folder.glob("*.toml")))
    }
    for questionnaire in questionnaires.values():
        for question in questionnaire.questions:
            for other in question.same_as:
                known = questionnaires.get(other)
                if known is None or question.id not in {q.id for q in known.questions}:
                    raise _problem(
                        f"{questionnaire.id}.toml",
                        f"question {question.id} same_as",
                        f"questionnaire {other} has no question {question.id}",
                    )
    return questionnaires


@functools.lru_cache(maxsize=1)
def shipped_questionnaires() -> Mapping[str, Questionnaire]:
    """The shipped questionnaires, read once per process."""
    return load_questionnaires()


def same_meaning(a: Questionnaire, b: Questionnaire, question_id: str) -> bool:
    """Whether ``question_id`` means the same in both: the same questionnaire, or one names the
    other in its question's ``same_as``."""
    if a.id == b.id:
        return True
    ids_a = {q.id: q for q in a.questions}
    ids_b = {q.id: q for q in b.questions}
    if question_id not in ids_a or question_id not in ids_b:
        return False
    return b.id in ids_a[question_id].same_as or a.id in ids_b[question_id].same_as


def matching(header: list[str], questionnaires: Mapping[str, Questionnaire]) -> Questionnaire:
    """The questionnaire whose columns a file's header has: exactly its stored columns (free
    text may be there too), else the closest one (fewest columns missing or unknown), so that a
    file's problems are named against it."""

    def distance(questionnaire: Questionnaire) -> tuple[int, str]:
        given = set(header) - set(questionnaire.free_text_columns)
        expected = set(questionnaire.file_columns)
        return len(given ^ expected), questionnaire.id

    return min(questionnaires.values(), key=distance)
