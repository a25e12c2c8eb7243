"""The upload page's review step for a survey tool's export (issue #17): the suggested mapping
shown as question → column with its confidence, every answer text not recognised with its count
(to map to a choice or leave refused), the municipalities that did not resolve, and the columns
left out; each can be changed before the file is checked. A mapping saved with an earlier wave
whose columns the file has is offered first.

Only the columns a mapping may use are offered: the survey tool's own columns and anything that
looks like contact data never appear in a choice, so an e-mail address or a name is never shown
(issue #17 item 3)."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from tilannekuva.config import data_dir
from tilannekuva.datafiles import is_fictional
from tilannekuva.i18n import format_day
from tilannekuva.mapping import (
    ANSWERED_BY_CHOICE,
    QuestionMap,
    SurveyMapping,
    apply,
    candidate_headers,
    kept,
    likely_choice,
    read_mapping,
    suggest,
    unrecognised_answers,
    unrecognised_marks,
    unresolved_municipalities,
    wave_year,
)
from tilannekuva.questionnaire import Questionnaire, shipped_questionnaires
from tilannekuva.register import Register
from tilannekuva.register_check import register_for
from tilannekuva.responses import (
    LINE_END,
    WAVE_PATTERN,
    Problem,
    decode,
    long_lines,
)
from tilannekuva.survey_files import (
    MAX_EXPORT_COLUMNS,
    Export,
    header_split,
    is_xlsx,
    read_export,
    sheet_names,
)
from tilannekuva.web import ui

RESPONDENTS = ("municipality", "police", "rescue")


@dataclass(frozen=True)
class Mapped:
    """The export as a response file, ready for the importer's check."""

    data: bytes
    questionnaire: str
    wave: str
    mapping: SurveyMapping
    export: Export
    place: Any  # Callable[[Problem], Problem]


def is_export(data: bytes) -> bool:
    """A workbook (readable or not: its problems are the review's to name, not the template
    check's "not text"), or a readable CSV with named columns whose header is not a template's
    (no wave and municipality_code columns): a survey tool's export, which needs a mapping.
    A CSV that cannot be read as such is left to the template's check, which names the line."""
    if is_xlsx(data):
        return True
    decoded = decode(data)
    if isinstance(decoded, list) or long_lines(decoded[0]):
        return False
    first = LINE_END.split(decoded[0].lstrip("\ufeff"), maxsplit=1)[0]
    try:
        _, names = header_split(first)  # split as the reader splits it
    except csv.Error:
        return False
    named = {name.strip() for name in names} - {""}
    if len(names) > MAX_EXPORT_COLUMNS or len(named) < len(names) / 2:
        return False  # not a header a survey tool writes: the template's check says what it is
    return not {"wave", "municipality_code"} <= named


READ = "upload_map_read"  # session state: the last file read, so a rerun does not read it again


def _read(data: bytes, sheet: str | None = None) -> Export | list[Problem]:
    """The export read once per file and sheet in a session (a workbook is read in a child
    process: about 0.1 s that every widget of the review would otherwise repeat). Kept in this
    session's memory only, replaced by the next file."""
    key = (hashlib.sha256(data).hexdigest(), sheet)
    kept = st.session_state.get(READ)
    if kept is not None and kept[0] == key:
        return kept[1]
    export = read_export(data, sheet=sheet)
    st.session_state[READ] = (key, export)
    return export


def review(view: ui.View, data: bytes, show_problems: Any) -> Mapped | None:
    """Draw the review step; the mapped file when the mapping is complete, else None (the page
    says what is missing)."""
    t = view.t
    st.info(t("upload.map.intro"), icon=":material/table_view:")
    # The sheet is chosen before it is read: the first one may be instructions (the probe of
    # issue #17 found such a workbook could never be imported on the page).
    sheets = sheet_names(data) if is_xlsx(data) else ()
    sheet = None
    if len(sheets) > 1:
        sheet = st.selectbox(t("upload.map.sheet"), sheets, key="upload_map_sheet")
    export = _read(data, sheet)
    if isinstance(export, list):
        show_problems(export)
        return None
    questionnaires = shipped_questionnaires()
    saved = _matching_saved(export, questionnaires)
    start: SurveyMapping | None = None
    if saved:

        def saved_label(name: str) -> str:
            if not name:
                return t("upload.map.saved_none")
            mapping = saved[name]  # one respondent type's file: "2026-lappi (Poliisin)"
            if not mapping.respondent_value:
                return mapping.wave
            return f"{mapping.wave} ({t(f'upload.map.respondent.{mapping.respondent_value}')})"

        chosen = st.selectbox(
            t("upload.map.saved"),
            ["", *saved],
            format_func=saved_label,
            key="upload_map_saved",
        )
        start = saved.get(chosen)
    wave = st.text_input(
        t("upload.map.wave"), key="upload_map_wave", help=t("upload.map.wave_help")
    )
    wave = wave.strip()
    if not wave:
        return None
    if not WAVE_PATTERN.fullmatch(wave):
        st.error(t("problem.bad_wave"))
        return None
    if is_fictional(wave):
        st.caption(t("upload.map.fictional"))
    ids = list(questionnaires)
    default = ids.index(start.questionnaire) if start else len(ids) - 1
    questionnaire_id = st.selectbox(
        t("upload.map.questionnaire"),
        ids,
        index=default,
        format_func=lambda q: questionnaires[q].title[view.lang],
        key="upload_map_questionnaire",
    )
    questionnaire = questionnaires[questionnaire_id]
    respondent = st.selectbox(
        t("upload.map.respondent"),
        ["", *RESPONDENTS],
        format_func=lambda r: t(f"upload.map.respondent.{r or 'column'}"),
        key="upload_map_respondent",
    )
    year = wave_year(wave, data_dir())
    if year is None:
        years = register_for(wave, data_dir()).years()
        values = {"wave": wave, "first": years[0], "last": years[-1]}
        message = Problem("no_classification_year", values=values)
        st.error(ui.escape_markdown(message.message(view.lang)))
        return None
    if start is not None and start.questionnaire == questionnaire_id:
        suggested = replace(start, wave=wave, respondent_value=respondent or start.respondent_value)
        found_answers: dict[str, Counter[str]] = {}
    else:
        register = register_for(wave, data_dir())
        found = suggest(export, questionnaire, register, year, wave, respondent)
        suggested, found_answers = found.mapping, found.unmatched_answers
    register = register_for(wave, data_dir())
    mapping = _edit(view, export, questionnaire, suggested, found_answers, (register, year))
    if mapping is None:
        return None
    applied = apply(mapping, export, questionnaire, register, year)
    left_out = [h for h in export.header if h not in mapping.used_columns()]
    st.caption(t("upload.map.left_out", columns=ui.escape_markdown(", ".join(left_out) or "-")))
    if applied.problems:
        show_problems(applied.problems)
        return None
    return Mapped(
        data=applied.data,
        questionnaire=questionnaire_id,
        wave=wave,
        mapping=mapping,
        export=export,
        place=lambda problem: applied.place(problem, export),
    )


def _matching_saved(
    export: Export, questionnaires: dict[str, Questionnaire] | Any
) -> dict[str, SurveyMapping]:
    """Saved mappings whose every column this export has (the next file of the same survey)."""
    found = {}
    header = set(export.header)
    for wave, raw in kept(data_dir()).items():
        try:
            mapping = read_mapping(raw, questionnaires)
        except ValueError:
            continue
        if mapping.used_columns() <= header:
            found[wave] = mapping
    return found


def _edit(
    view: ui.View,
    export: Export,
    questionnaire: Questionnaire,
    suggested: SurveyMapping,
    unmatched: dict[str, Counter[str]],
    classification: tuple[Register, int],
) -> SurveyMapping | None:
    """The review: the suggestion as a table, and a widget for each thing that can change.
    ``classification``: the register and the wave's year, which the municipalities resolve in."""
    t = view.t
    headers = candidate_headers(export)
    options = ["", *headers]

    def column_choice(label: str, value: str, key: str) -> str:
        index = options.index(value) if value in options else 0
        return st.selectbox(
            label,
            options,
            index=index,
            format_func=lambda h: h or t("upload.map.no_column"),
            key=key,
        )

    municipality_column = column_choice(
        t("upload.map.municipality"), suggested.municipality_column, "upload_map_municipality"
    )
    by = st.radio(
        t("upload.map.municipality_by"),
        ["name", "code"],
        index=0 if suggested.municipality_by != "code" else 1,
        format_func=lambda b: t(f"upload.map.by.{b}"),
        horizontal=True,
        key="upload_map_by",
    )
    names = (
        _municipality_names(view, export, municipality_column, suggested, *classification)
        if municipality_column and by == "name"
        else {}
    )
    respondent_column = suggested.respondent_column
    if not suggested.respondent_value:
        respondent_column = column_choice(
            t("upload.map.respondent_column"), respondent_column, "upload_map_respondent_column"
        )
    # The questions: the suggestion as a table (question, column, confidence), changed below.
    rows = []
    for question in questionnaire.questions:
        if not question.stored:
            continue
        q = suggested.questions.get(question.id)
        column = (q.column or ", ".join(q.columns)) if q else ""
        confidence = f"{q.score} %" if q else ""
        rows.append(
            {
                t("upload.map.col.question"): question.label[view.lang],
                t("upload.map.col.column"): column or t("upload.map.no_column"),
                t("upload.map.col.confidence"): confidence,
            }
        )
    # The questions that have a column first: the ones left without stay below, to look at.
    rows.sort(key=lambda row: row[t("upload.map.col.confidence")] == "")
    st.dataframe(rows, hide_index=True, key="upload_map_table")
    questions: dict[str, QuestionMap] = {}
    with st.expander(t("upload.map.change_columns")):
        for question in questionnaire.questions:
            if not question.stored:
                continue
            q = suggested.questions.get(question.id) or QuestionMap()
            if q.columns:  # one column per choice: kept as suggested, its marks read below
                questions[question.id] = q
                columns = ui.escape_markdown(", ".join(q.columns))
                st.caption(f"{question.label[view.lang]}: {columns}")
                continue
            column = column_choice(
                question.label[view.lang], q.column, f"upload_map_q_{question.id}"
            )
            if column:
                keep = column == q.column
                questions[question.id] = QuestionMap(
                    column=column, answers=dict(q.answers) if keep else {}, score=q.score
                )
    # Marks in a column per choice that say neither chosen nor not ("✓", "Kyllä, valittu"):
    # each read as chosen or not chosen, or left to be refused at its cell.
    for question in questionnaire.questions:
        q = questions.get(question.id)
        if q is None or not q.columns:
            continue
        reading = {"true": t("upload.map.mark_chosen"), "false": t("upload.map.mark_not_chosen")}
        marks = dict(q.marks)  # a kept mapping's reading is preselected
        unknown = unrecognised_marks(export, question, replace(q, marks={}))
        for text, count in sorted(unknown.items()):
            label = t(
                "upload.map.mark",
                question=question.label[view.lang],
                value=ui.escape_markdown(text),
                n=count,
            )
            digest = hashlib.sha256(f"{question.id}\0{text}".encode()).hexdigest()[:16]
            chosen = marks.get(text, "")
            picked = _pick(
                view, label, ["", "true", "false"], reading, chosen, f"upload_map_k_{digest}"
            )
            _read_as(marks, text, picked)
        questions[question.id] = replace(q, marks=marks)
    # Answer texts that are no choice as they are: each to a choice (the likely one preselected),
    # or left to be refused at its cell.
    for question in questionnaire.questions:
        q = questions.get(question.id)
        if q is None or not q.column or question.type not in ANSWERED_BY_CHOICE:
            continue
        texts = unrecognised_answers(export, question, q)
        if not texts:
            continue
        choices = ["", *question.choice_ids()]
        labels = {c.id: c.text[view.lang] for c in question.choices}
        labels |= {"true": t("upload.map.yes"), "false": t("upload.map.no")}
        answers = dict(q.answers)
        for number, (text, count) in enumerate(sorted(texts.items())):
            # Nothing is chosen for the coordinator: a text only like a choice is named as the
            # closest one, to pick or leave refused (the probe of issue #17: "ei aloitettu" was
            # preselected as started).
            label = t(
                "upload.map.answer",
                question=question.label[view.lang],
                value=ui.escape_markdown(text),
                n=count,
            )
            likely = likely_choice(text, question)
            if likely:
                label += f" — {t('upload.map.likely', choice=labels.get(likely, likely))}"
            picked = _pick(view, label, choices, labels, "", f"upload_map_a_{question.id}_{number}")
            _read_as(answers, text, picked)
        questions[question.id] = replace(q, answers=answers)
    missing = [
        q.label[view.lang]
        for q in questionnaire.questions
        if q.stored and q.required and q.id not in questions
    ]
    if not municipality_column:
        missing.insert(0, t("upload.map.municipality"))
    if not (suggested.respondent_value or respondent_column):
        missing.insert(0, t("upload.map.respondent"))
    if missing:
        st.warning(t("upload.map.missing", items=ui.escape_markdown(", ".join(missing))))
        return None
    used = _used(questions, municipality_column, respondent_column)
    return replace(
        suggested,
        municipality_column=municipality_column,
        municipality_by=by,
        municipality_names=names,
        respondent_column="" if suggested.respondent_value else respondent_column,
        questions=questions,
        left_out=tuple(h for h in export.header if h not in used),
    )


def _pick(
    view: ui.View, label: str, options: list[str], labels: dict[str, str], chosen: str, key: str
) -> str:
    """How one text of the file is read: an option (``labels`` names them), or "" to leave it
    refused at its cell; ``chosen`` preselected when it is an option."""
    return st.selectbox(
        label,
        options,
        index=options.index(chosen) if chosen in options else 0,
        format_func=lambda option: labels.get(option) or view.t("upload.map.refuse"),
        key=key,
    )


def _read_as(reading: dict[str, str], text: str, picked: str) -> None:
    """``text`` read as ``picked`` in the mapping's ``reading``, or left out of it ("")."""
    if picked:
        reading[text] = picked
    else:
        reading.pop(text, None)


MAX_NAME_CHOICES = 30  # more unknown names than this: most likely the wrong column


def _municipality_names(
    view: ui.View,
    export: Export,
    column: str,
    suggested: SurveyMapping,
    register: Register,
    year: int,
) -> dict[str, str]:
    """Each name in the municipality column that the register of the wave's year lacks, to a
    municipality of that year or left to be refused at its cells: a merged municipality's
    successor, a fact of the register, is preselected and named in the label; any other name
    (a misspelling, a municipality merged before the register's first year) is the
    coordinator's to choose. {text: code} of the chosen ones."""
    t = view.t
    found = unresolved_municipalities(export, column, "name", register, year)
    if not found:
        return {}
    municipalities = register.municipalities_of(year)
    options = ["", *(m.code for m in municipalities)]
    labels = {
        m.code: f"{(m.name_sv if view.lang == 'sv' else '') or m.name_fi} ({m.code})"
        for m in municipalities
    }
    names: dict[str, str] = {}
    for text, (count, former) in list(found.items())[:MAX_NAME_CHOICES]:
        label = t("upload.map.municipality_name", value=ui.escape_markdown(text), n=count)
        if former is not None:
            date = format_day(former.date, view.lang)
            successor = labels[former.successor.code]
            label += f" — {t('upload.map.former', date=date, successor=successor)}"
        chosen = suggested.municipality_names.get(text, "")
        # Keyed by the text: another column's names never inherit this one's choices.
        key = "upload_map_m_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        _read_as(names, text, _pick(view, label, options, labels, chosen, key))
    if len(found) > MAX_NAME_CHOICES:
        st.caption(t("upload.map.more_names", n=len(found) - MAX_NAME_CHOICES))
    return names


def _used(questions: dict[str, QuestionMap], *columns: str) -> set[str]:
    used = {c for c in columns if c}
    for q in questions.values():
        used |= {q.column} - {""}
        used |= set(q.columns)
    return used
