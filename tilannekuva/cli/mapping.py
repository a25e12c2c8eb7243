"""The command line of survey tools' exports (issue #17): ``mapping suggest`` and the
``--mapping`` of validate and import. The export is read (survey_files), mapped (mapping) to the
project's own response file, and that file goes through the importer as a template file would;
the importer's problems are put back at their places in the user's file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tilannekuva.config import data_dir
from tilannekuva.errors import UsageError
from tilannekuva.i18n import format_day, t
from tilannekuva.responses import MAX_FILE_BYTES, Problem

if TYPE_CHECKING:  # imported when a command needs it (validate stays light)
    from tilannekuva.mapping import SurveyMapping


@dataclass
class Prepared:
    """An export made into a response file: ``data`` to validate or import, or ``problems``."""

    data: bytes = b""
    rows: int = 0
    problems: list[Problem] | None = None
    questionnaire: str = ""
    wave: str = ""
    left_out: tuple[str, ...] = ()
    mapping: SurveyMapping | None = None  # kept with the wave on import
    place: object = None  # Callable[[Problem], Problem]

    def placed(self, problems: list[Problem]) -> list[Problem]:
        return [self.place(problem) for problem in problems] if self.place else problems


def _read(path: str, limit: int) -> bytes | None:
    from tilannekuva.cli import read_limited

    return read_limited(path, limit)


def _year(wave: str) -> int | None:
    from tilannekuva.mapping import wave_year

    return wave_year(wave, data_dir())


def _no_year(wave: str) -> Problem:
    from tilannekuva.register_check import register_for

    years = register_for(wave, data_dir()).years()
    values = {"wave": wave, "first": years[0], "last": years[-1]}
    return Problem("no_classification_year", values=values)


def prepare(file: str, mapping_file: str, sheet: str | None) -> Prepared:
    """validate/import FILE --mapping MAPPING: the export as a response file."""
    from tilannekuva.mapping import MAX_MAPPING_BYTES, MappingError, apply, read_mapping
    from tilannekuva.questionnaire import shipped_questionnaires
    from tilannekuva.register_check import register_for
    from tilannekuva.survey_files import read_export

    raw = _read(mapping_file, MAX_MAPPING_BYTES)
    if raw is None:
        return Prepared(
            problems=[Problem("mapping_too_large", values={"limit": MAX_MAPPING_BYTES // 1024})]
        )
    questionnaires = shipped_questionnaires()
    try:
        mapping = read_mapping(raw, questionnaires)
    except MappingError as error:
        return Prepared(problems=[error.problem])
    data = _read(file, MAX_FILE_BYTES)
    if data is None:
        return Prepared(problems=[Problem("too_large", values={"limit": MAX_FILE_BYTES // 1024})])
    # The mapping's sheet is the workbook's it was made from; the same survey's CSV has none.
    from tilannekuva.survey_files import is_xlsx

    if sheet is None and is_xlsx(data):
        sheet = mapping.sheet
    export = read_export(data, sheet=sheet)
    if isinstance(export, list):
        return Prepared(problems=export)
    year = _year(mapping.wave)
    if year is None:
        return Prepared(problems=[_no_year(mapping.wave)])
    questionnaire = questionnaires[mapping.questionnaire]
    register = register_for(mapping.wave, data_dir())
    applied = apply(mapping, export, questionnaire, register, year)
    if applied.problems:
        return Prepared(problems=applied.problems)
    return Prepared(
        rows=len(applied.source_rows),
        data=applied.data,
        questionnaire=mapping.questionnaire,
        wave=mapping.wave,
        left_out=tuple(h for h in export.header if h not in mapping.used_columns()),
        mapping=mapping,
        place=lambda problem: applied.place(problem, export),
    )


def suggest_command(args: argparse.Namespace) -> tuple[bytes, list[str], bool]:
    """mapping suggest: (the mapping's JSON, the review lines for stderr, complete?)."""
    from tilannekuva.mapping import suggest
    from tilannekuva.questionnaire import shipped_questionnaires
    from tilannekuva.register_check import register_for
    from tilannekuva.responses import RESPONDENT_TYPES, WAVE_PATTERN
    from tilannekuva.survey_files import read_export

    questionnaires = shipped_questionnaires()
    chosen = args.questionnaire or max(questionnaires)
    if chosen not in questionnaires:
        raise UsageError(f"unknown questionnaire: {chosen} (known: {' '.join(questionnaires)})")
    if not WAVE_PATTERN.fullmatch(args.wave or ""):
        raise UsageError("--wave: letters, digits, '-' and '_' only (at most 32)")
    respondent = ""
    if args.respondent_type is not None:
        respondent = RESPONDENT_TYPES.get(args.respondent_type.casefold(), "")
        if not respondent:
            raise UsageError("--respondent-type: municipality, police or rescue")
    data = _read(args.file, MAX_FILE_BYTES)
    if data is None:
        problem = Problem("too_large", values={"limit": MAX_FILE_BYTES // 1024})
        return b"", [problem.message(args.lang)], False
    export = read_export(data, sheet=args.sheet)
    if isinstance(export, list):
        return b"", [problem.message(args.lang) for problem in export], False
    year = _year(args.wave)
    if year is None:
        return b"", [_no_year(args.wave).message(args.lang)], False
    questionnaire = questionnaires[chosen]
    register = register_for(args.wave, data_dir())
    found = suggest(export, questionnaire, register, year, args.wave, respondent)
    lang = args.lang
    lines = []
    for question_id in found.unmatched_questions:
        text = questionnaire.question(question_id).text.get(lang, question_id)
        lines.append(t(lang, "mapping.unmatched_question", question=question_id, text=text))
    for question_id, texts in found.unmatched_answers.items():
        for value, count in texts.most_common():
            lines.append(
                t(lang, "mapping.unmatched_answer", question=question_id, value=value, n=count)
            )
    for question_id, likely in found.likely_answers.items():
        for value, (choice, count) in likely.items():
            values = {"question": question_id, "value": value, "n": count, "choice": choice}
            lines.append(t(lang, "mapping.likely_answer", **values))
    for value, (former, count) in found.former_municipalities.items():
        values = {"value": value, "n": count, "date": format_day(former.date, lang)}
        successor = f"{former.successor.name_fi} ({former.successor.code})"
        lines.append(t(lang, "mapping.former_municipality", successor=successor, **values))
    for value, count in found.unresolved_municipalities.most_common():
        lines.append(t(lang, "mapping.unresolved_municipality", value=value, n=count, year=year))
    if not found.mapping.municipality_column:
        lines.append(t(lang, "mapping.no_municipality_column"))
    if found.respondent_missing:
        lines.append(t(lang, "mapping.respondent_missing"))
    complete = found.complete and not found.unmatched_answers
    complete = complete and not found.unresolved_municipalities
    return found.mapping.to_json(), lines, complete


def print_lines(lines: list[str]) -> None:
    from tilannekuva.errors import shown

    for line in lines:
        print(shown(line, 400), file=sys.stderr)
