"""A questionnaire as files (issue #16 item 4): the CSV the command line prints (``python -m
tilannekuva questionnaire``), and the printable questionnaire (.xlsx) for setting a round up in a
survey tool. Both are made from the questionnaire's own file, as the response template is
(responses.template_bytes), so the three never disagree."""

from __future__ import annotations

import csv
import io

import xlsxwriter

from tilannekuva.i18n import t
from tilannekuva.questionnaire import Question, Questionnaire
from tilannekuva.schema import FRAME_COLUMNS

CSV_COLUMNS = ("question_id", "type", "required", "text", "choice_id", "choice_text")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def questionnaire_csv(questionnaire: Questionnaire, lang: str) -> bytes:
    """One row per choice (a question without choices: one row with the choice cells empty):
    ``question_id,type,required,text,choice_id,choice_text``; UTF-8, comma, CRLF like export."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for question in questionnaire.questions:
        first = [question.id, question.type, question.required_text(), question.text[lang]]
        if not question.choices:
            writer.writerow([*first, "", ""])
        for choice in question.choices:
            writer.writerow([*first, choice.id, choice.text[lang]])
    return out.getvalue().encode("utf-8")


def _condition_words(question: Question, questionnaire: Questionnaire, lang: str) -> str:
    """When the question is asked, in words: "Suunnitelman tila: valmis, aloitettu"."""
    parts = []
    for other_id, choices in question.applies_when.items():
        other = questionnaire.question(other_id)
        texts = {c.id: c.text[lang] for c in other.choices}
        texts |= {"true": t(lang, "bool.true"), "false": t(lang, "bool.false")}
        parts.append(f"{other.label[lang]}: {', '.join(texts[c] for c in choices)}")
    return "; ".join(parts)


def _required_words(question: Question, questionnaire: Questionnaire, lang: str) -> str:
    if question.required:
        return t(lang, "questionnaire.required_yes")
    if question.required_when:
        other_id, choices = next(iter(question.required_when.items()))
        other = questionnaire.question(other_id)
        texts = {c.id: c.text[lang] for c in other.choices}
        return t(
            lang,
            "questionnaire.required_when",
            question=other.label[lang],
            choices=", ".join(texts.get(c, c) for c in choices),
        )
    return t(lang, "questionnaire.required_no")


def questionnaire_workbook(questionnaire: Questionnaire, lang: str) -> bytes:
    """The printable questionnaire: the questions in order with their choices, type, whether
    they are required and when they are asked, the response file's column of each; then the
    columns every file starts with; a second sheet with the questionnaire's status and sources.
    Every cell is written as a string (never a formula)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    title = questionnaire.title[lang]
    book.set_properties({"title": title})
    bold = book.add_format({"bold": True, "font_size": 13})
    warning = book.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"})
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#E8EEF4"}
    )
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(t(lang, "questionnaire.sheet")[:31])
    sheet.write_string(0, 0, title, bold)
    row = 1
    if questionnaire.proposed:
        sheet.write_string(row, 0, t(lang, "questionnaire.proposed_note"), warning)
        row += 1
    columns = ("number", "column", "question", "choices", "type", "required", "asked_when")
    for col, key in enumerate(columns):
        sheet.write_string(row + 1, col, t(lang, f"questionnaire.col_{key}"), header)
    line = row + 2
    for number, question in enumerate(questionnaire.questions, start=1):
        choices = "\n".join(f"{c.text[lang]} ({c.id})" for c in question.choices)
        if question.type == "yes_no":
            choices = f"{t(lang, 'bool.true')} / {t(lang, 'bool.false')}"
        cells = (
            str(number),
            question.id if question.stored else t(lang, "questionnaire.not_stored"),
            question.text[lang],
            choices,
            t(lang, f"questionnaire.type_{question.type}"),
            _required_words(question, questionnaire, lang),
            _condition_words(question, questionnaire, lang),
        )
        for col, text in enumerate(cells):
            sheet.write_string(line, col, text, wrapped)
        line += 1
    line += 1
    sheet.write_string(line, 0, t(lang, "questionnaire.frame_title"), bold)
    sheet.write_string(line + 1, 0, t(lang, "questionnaire.frame_text"), wrapped)
    sheet.write_string(line + 2, 0, ", ".join(FRAME_COLUMNS), wrapped)
    for col, width in enumerate((6, 24, 60, 36, 18, 28, 30)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(row + 2, 0)
    about = book.add_worksheet(t(lang, "prov.sheet_about")[:31])
    rows = [
        (t(lang, "questionnaire.id"), questionnaire.id),
        (t(lang, "questionnaire.status"), t(lang, f"questionnaire.status_{questionnaire.status}")),
        *((t(lang, "questionnaire.source"), source) for source in questionnaire.sources),
    ]
    for number, (label, value) in enumerate(rows):
        about.write_string(number, 0, label, header)
        about.write_string(number, 1, value, wrapped)
    about.set_column(0, 0, 22)
    about.set_column(1, 1, 100)
    book.close()
    return buffer.getvalue()
