"""Questionnaires as data (issue #16 item 4): the files and their checks, the template, the
printable questionnaire and the command line made from them, a response file read against its
questionnaire, and the proposed 2026 questionnaire's other questions through the tables, the
page, the municipality page and the data dictionary."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import WAVES_2026, wave_2026_file
from tests.helpers import cli_in_process, open_page, page_text, snapshot
from tilannekuva.db import Database
from tilannekuva.errors import DataFileError
from tilannekuva.exports import csv_utf8_bytes
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses, validate_file
from tilannekuva.questionnaire import (
    load_questionnaires,
    read_questionnaire,
    same_meaning,
    shipped_questionnaires,
)
from tilannekuva.questionnaire_files import CSV_COLUMNS, questionnaire_workbook
from tilannekuva.responses import read_responses, template_bytes
from tilannekuva.schema import CORE_QUESTIONS, FRAME_COLUMNS, RESPONSE_COLUMNS
from tilannekuva.tables import TABLES, Selection, build_table, wave_rows

Q2009, Q2026 = shipped_questionnaires()["2009"], shipped_questionnaires()["2026"]
OTHER_2026 = (
    "wellbeing_report_link",
    "preparedness_plan",
    "preparedness_plan_year",
    "safety_network",
    "partner_rescue_department",
    "themes_2023",
)


def test_the_2009_questionnaire_is_the_core_measures_in_todays_order() -> None:
    """Its stored columns are the columns every shipped and imported 2009 file has, so reading
    and writing them changes no byte."""
    assert Q2009.file_columns == RESPONSE_COLUMNS
    assert {q.id: q.type for q in Q2009.questions} == CORE_QUESTIONS
    assert Q2009.status == "used" and not Q2009.other_questions


def test_the_proposed_2026_questionnaire_adds_to_the_2009_one() -> None:
    assert Q2026.proposed
    assert Q2026.file_columns[: len(RESPONSE_COLUMNS)] == RESPONSE_COLUMNS
    assert tuple(q.id for q in Q2026.other_questions) == OTHER_2026
    assert Q2026.free_text_columns == ("comments",)
    # The 2009 questions keep their meaning; the new ones have none earlier.
    assert same_meaning(Q2009, Q2026, "plan_status")
    assert not same_meaning(Q2009, Q2026, "safety_network")
    assert len(Q2026.sources) >= 5


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ('type = "one_choice"\nrequired = true', "question plan_status: type must be"),
        ('id = "plan_status"\ntype = "yes_no"', "a core measure: its type is one_choice"),
        ("[title]\nfi", "Expected"),  # a TOML error names its line and column
    ],
)
def test_a_damaged_questionnaire_names_its_file_and_the_place(
    tmp_path: Path, change: str, problem: str
) -> None:
    text = (Path(__file__).parent.parent / "data/questionnaires/2009.toml").read_text("utf-8")
    original = {
        'type = "one_choice"\nrequired = true': 'type = "one"\nrequired = true',
        'id = "plan_status"\ntype = "yes_no"': None,
        "[title]\nfi": "[title]\nfi fi",
    }
    if change.startswith('id = "plan_status"'):
        damaged = text.replace('id = "plan_status"\ntype = "one_choice"', change, 1)
    else:
        damaged = text.replace(change, original[change], 1)
    assert damaged != text
    (tmp_path / "2009.toml").write_text(damaged, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        read_questionnaire(tmp_path / "2009.toml")
    assert raised.value.file == "questionnaires/2009.toml"
    assert problem in raised.value.problem


def test_a_condition_must_name_an_earlier_question_and_its_choices(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "data/questionnaires/2009.toml").read_text("utf-8")
    damaged = text.replace(
        'required_when = { plan_status = ["ready"] }', 'required_when = { plan_status = ["done"] }'
    )
    (tmp_path / "2009.toml").write_text(damaged, encoding="utf-8")
    with pytest.raises(DataFileError, match="plan_status has no choice done"):
        load_questionnaires(tmp_path)


def test_the_2009_template_is_byte_for_byte_what_it_was() -> None:
    """The template before the questionnaires were data: the header and the example row."""
    example = "# 2010;kunta;Esimerkkilän kunta;001;Esimerkkilä;10;Esimerkkiseutu;valmis;2008;kunta"
    expected = ";".join(RESPONSE_COLUMNS) + "\r\n" + example + ";kyllä" * 14 + "\r\n"
    assert template_bytes(Q2009) == codecs.BOM_UTF8 + expected.encode("utf-8")


def test_the_2026_template_reads_back_as_a_file_of_its_questionnaire() -> None:
    template = template_bytes(Q2026)
    header = template.decode("utf-8-sig").splitlines()[0].split(";")
    assert header == list(Q2026.file_columns)  # no free text in the template
    filled = read_responses(template.replace(b"\r\n# ", b"\r\n"), ["10"])
    assert filled.ok and filled.questionnaire == "2026"
    assert filled.rows[0]["wellbeing_report_link"] == "part_of"
    assert filled.rows[0]["preparedness_plan_year"] == "2024"


def test_the_command_line_prints_a_questionnaire_as_csv() -> None:
    done = cli_in_process("questionnaire", "--id", "2026", "--lang", "fi")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_question: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        by_question.setdefault(row[0], []).append(row)
    assert list(by_question) == [q.id for q in Q2026.questions]
    assert [row[4:] for row in by_question["themes_2023"]] == [
        ["youth_violence", "nuorten vakava väkivalta"],
        ["street_gangs", "katujengit"],
        ["violent_extremism", "väkivaltainen ekstremismi"],
        ["older_people_safety", "ikääntyneiden turvallisuus"],
    ]
    # A question without choices: one row, the choice cells empty.
    text = Q2026.question("preparedness_plan").text["fi"]
    assert by_question["preparedness_plan"] == [
        ["preparedness_plan", "yes_no", "false", text, "", ""]
    ]
    assert by_question["plan_year"][0][2] == "when plan_status=ready"
    assert by_question["comments"][0][1] == "free_text"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--id", "1999"), "error: unknown questionnaire: 1999 (known: 2009 2026)"),
        (("--lang", "de"), "error: unknown language: de (fi, sv or en)"),
    ],
)
def test_an_unknown_questionnaire_or_language_is_one_line_and_exit_2(
    args: tuple[str, ...], message: str
) -> None:
    done = cli_in_process("questionnaire", *args)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode("utf-8").strip() == message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_printable_questionnaire(lang: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(questionnaire_workbook(Q2026, lang)))
    sheet = book.worksheets[0]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == Q2026.title[lang]
    assert cells[1][0] == t(lang, "questionnaire.proposed_note")
    questions = [row for row in cells if row[0] and str(row[0]).isdigit()]
    assert [row[2] for row in questions] == [q.text[lang] for q in Q2026.questions]
    themes = next(row for row in questions if row[1] == "themes_2023")
    assert f"{t(lang, 'questionnaire.type_several_choices')}" == themes[4]
    assert "(street_gangs)" in themes[3]
    free_text = questions[-1]
    assert free_text[1] == t(lang, "questionnaire.not_stored")
    assert all(isinstance(c, str) for row in cells for c in row if c is not None)
    about = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    assert about[t(lang, "questionnaire.status")] == t(lang, "questionnaire.status_proposed")


def test_a_file_is_read_against_its_questionnaire() -> None:
    report = read_responses(wave_2026_file("2026-ps"), ["11"])
    assert report.ok and report.questionnaire == "2026"
    kuopio = report.rows[0]
    # Several choices in the questionnaire's order, as ids; texts and words made canonical.
    assert kuopio["themes_2023"] == "youth_violence;street_gangs"
    assert kuopio["wellbeing_report_link"] == "part_of"
    assert kuopio["preparedness_plan"] == "true"
    assert "comments" not in kuopio  # free text is never kept


def test_a_long_free_text_answer_does_not_refuse_the_file() -> None:
    """A comment of 3,000 characters over several lines (common in a survey export) is dropped
    like any other: the file is accepted. A stored cell that long is still refused."""
    first = dict(WAVES_2026["2026-ps"][0])
    WAVES_2026["test"] = [first | {"comments": "Pitkä palaute.\n" * 200}]
    try:
        report = read_responses(wave_2026_file("test"), ["11"])
        assert report.ok, [p.message("en") for p in report.problems]
        WAVES_2026["test"] = [first | {"sub_region": "x" * 600}]
        long_stored = read_responses(wave_2026_file("test"), ["11"])
    finally:
        del WAVES_2026["test"]
    assert [(p.code, p.column) for p in long_stored.problems] == [("cell_too_long", "sub_region")]


# A plan not started: neither the scope nor the link to the wellbeing report is asked.
NOT_STARTED = {"plan_status": "aloittamatta", "plan_scope": "", "wellbeing_report_link": ""}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"themes_2023": "katujengit; huumeet"}, ("bad_choice", "themes_2023")),
        ({"preparedness_plan": "ei", "preparedness_plan_year": "2020"}, ("not_asked", None)),
        (NOT_STARTED | {"themes_2023": ""}, None),
        (NOT_STARTED, ("not_asked", "themes_2023")),
        ({"safety_network": "ehkä"}, ("bad_yes_no", "safety_network")),
    ],
)
def test_the_questionnaires_rules_refuse_with_line_and_column(
    change: dict[str, str], problem: tuple[str, str | None] | None
) -> None:
    first = dict(WAVES_2026["2026-ps"][0])
    WAVES_2026["test"] = [first | change]
    try:
        report = read_responses(wave_2026_file("test"), ["11"])
    finally:
        del WAVES_2026["test"]
    found = [(p.code, p.line, p.column) for p in report.problems]
    if problem is None:
        assert found == [] and report.ok
    else:
        code, column = problem
        column = column or "preparedness_plan_year"
        assert found == [(code, 2, column)]
        assert report.problems[0].message("fi")  # worded in every language
        assert report.problems[0].message("sv") and report.problems[0].message("en")


def test_free_text_and_the_e_mail_in_it_reach_no_file(waves_2026_folder: Path) -> None:
    """Issue #16: free text is read and never stored; the comment with a name and an e-mail
    address is in no file of the data folder."""
    files = snapshot(waves_2026_folder)
    stored = b"".join(files.values())
    assert b"Meik\xc3\xa4l\xc3\xa4inen" not in stored and b"example.fi" not in stored
    assert "responses/2026-ps.csv" in files
    header = files["responses/2026-ps.csv"].split(b"\n")[0].decode("utf-8")
    assert header == ",".join(Q2026.file_columns)


def test_the_import_writes_the_questionnaire_it_was_given_and_nothing_it_derived(
    waves_2026_folder: Path, waves_2026_db: Database
) -> None:
    """2026-ps was imported naming its questionnaire: waves.csv gets a row with it (the area
    left blank: the regions answered). The pilot was not: it gets no row, and its questionnaire
    is still the one of its columns."""
    lines = (waves_2026_folder / "waves.csv").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "2026-ps,,,,,,,,response,false,,,2026"
    assert not any(line.startswith("2025-pilotti,") for line in lines)
    waves = wave_rows(waves_2026_db, "en").set_index("wave_id")
    assert waves.loc["2025-pilotti", "questionnaire"] == "2026"


def test_a_file_of_another_questionnaire_than_waves_csv_names_is_refused(
    waves_2026_folder: Path, tmp_path: Path
) -> None:
    """waves.csv says 2026-ps asked the 2026 questionnaire: a file of the 2009 columns for it
    is refused, and nothing changes."""
    from tests.helpers import copy_data_folder, file_text

    folder = copy_data_folder(tmp_path / "data")
    (folder / "waves.csv").write_text(
        (waves_2026_folder / "waves.csv").read_text("utf-8"), encoding="utf-8"
    )
    before = snapshot(folder)
    old_shape = file_text({"wave": "2026-ps", "municipality_code": "297", "region_code": "11"})
    report = validate_file(old_shape.encode("utf-8"), folder)
    assert [p.code for p in report.problems] == ["questionnaire_conflict"]
    assert "2026" in report.problems[0].message("en")
    assert snapshot(folder) == before


def test_a_replacement_naming_its_questionnaire_corrects_waves_csv(tmp_path: Path) -> None:
    """A wave first imported naming the wrong questionnaire (2009, with a file of those columns)
    is not stuck: the right file is refused on its own, and accepted as a replacement that names
    its questionnaire, which waves.csv then says."""
    from tests.helpers import copy_data_folder, file_text

    folder = copy_data_folder(tmp_path / "data")
    old_shape = file_text({"wave": "2026-ps", "municipality_code": "297", "region_code": "11"})
    assert import_responses(old_shape.encode("utf-8"), folder, questionnaire="2009").ok
    right = wave_2026_file("2026-ps")
    refused = import_responses(right, folder, replace=True)
    assert [p.code for p in refused.all_problems()] == ["questionnaire_conflict"]
    assert "--questionnaire 2026" in refused.all_problems()[0].message("en")
    assert import_responses(right, folder, replace=True, questionnaire="2026").ok
    lines = (folder / "waves.csv").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "2026-ps,,,,,,,,response,false,,,2026"
    assert "2026-ps" in set(wave_rows(Database(folder), "fi")["wave_id"])


def test_the_other_answers_against_the_hand_count(waves_2026_db: Database) -> None:
    """2026-ps: Kuopio (own answer; the police's not chosen), Siilinjärvi and Iisalmi. The link
    to the wellbeing report was asked of Kuopio and Siilinjärvi only (Iisalmi has not started:
    not asked, not "unanswered"); all three answered the preparedness plan, 2 yes."""
    frame = build_table(waves_2026_db, "other_answers", Selection("2026-ps", (), "fi"))
    # The wave was sent to Pohjois-Savo alone: its row, and no total repeating it (issue #21).
    assert "total" not in set(frame["region_code"])
    total = frame[frame["region_code"] == "11"]

    def row(question: str, choice: str) -> tuple:
        found = total[(total["question_id"] == question) & (total["choice_id"] == choice)]
        return tuple(found[["n", "answered", "unanswered"]].iloc[0])

    assert row("wellbeing_report_link", "part_of") == (1, 2, 0)
    assert row("wellbeing_report_link", "linked") == (1, 2, 0)
    assert row("preparedness_plan", "true") == (2, 3, 0)
    assert row("partner_rescue_department", "true") == (1, 1, 2)  # Siilinjärvi, Iisalmi blank
    assert row("themes_2023", "street_gangs") == (1, 2, 0)
    assert row("themes_2023", "older_people_safety") == (1, 2, 0)
    assert set(total["region"]) == {"Pohjois-Savo"}
    assert set(frame["question_id"]) == set(OTHER_2026) - {"preparedness_plan_year"}
    shares = total[total["question_id"] == "preparedness_plan"]["share"]
    assert list(shares) == [2 / 3, 1 / 3]


def test_the_other_questions_across_rounds(waves_2026_db: Database) -> None:
    trend = build_table(waves_2026_db, "other_trends", Selection("2026-ps", (), "en"))
    gangs = trend[trend["choice_id"] == "street_gangs"]
    assert list(zip(gangs["wave_id"], gangs["n"], gangs["answered"], strict=True)) == [
        ("2025-pilotti", 1, 1),
        ("2026-ps", 1, 2),
    ]
    # A 2009 wave never asked it: the shipped example rounds are not in this trend.
    assert set(trend["wave_id"]) == {"2025-pilotti", "2026-ps"}


def test_the_municipality_page_table_and_the_data_dictionary(waves_2026_db: Database) -> None:
    answers = build_table(
        waves_2026_db, "municipality_other_answers", Selection("2026-ps", (), "sv")
    )
    kuopio = answers[
        (answers["municipality_code"] == "297") & (answers["respondent_type"] == "municipality")
    ]
    assert dict(zip(kuopio["question_id"], kuopio["answer"], strict=True)) == {
        "wellbeing_report_link": "del av välfärdsberättelsen",
        "preparedness_plan": "ja",
        "preparedness_plan_year": "2023",
        "safety_network": "ja",
        "partner_rescue_department": "ja",
        "themes_2023": "grovt våld bland unga, gatugäng",
    }
    dictionary = build_table(waves_2026_db, "data_dictionary", Selection("2026-ps"))
    assert set(OTHER_2026) <= set(dictionary["measure"])
    assert "data_dictionary" in TABLES
    shipped = build_table(waves_2026_db, "data_dictionary", Selection("2009"))
    assert not set(OTHER_2026) & set(shipped["measure"])


def test_the_other_answers_download_is_stable(waves_2026_db: Database) -> None:
    spec = TABLES["other_answers"]
    frame = build_table(waves_2026_db, spec.name, Selection("2026-ps", (), "en"))
    lines = csv_utf8_bytes(spec, frame).decode("utf-8").splitlines()
    assert lines[0] == (
        "region_code,region,question_id,question,choice_id,choice,n,answered,unanswered,share"
    )
    assert lines[1] == (
        "11,North Savo,wellbeing_report_link,Link to the wellbeing report,part_of,"
        "part of the wellbeing report,1,2,0,50.0"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_other_questions_page(
    waves_2026_folder: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(waves_2026_folder))
    app = open_page("questions.py", lang=lang, wave="2026-ps")
    text = page_text(app)
    title = Q2026.title[lang]
    assert t(lang, "questionnaire.proposed_mark") in title  # the loader holds it to it
    assert t(lang, "questionnaire.of_wave", title=title) in text
    label = Q2026.question("preparedness_plan").label[lang]
    assert any(
        line.startswith(f"- {label}: {t(lang, 'bool.true')} 2/3") for line in text.split("\n")
    )
    tables = [frame.value for frame in app.table]
    assert len(tables) == 2  # the shares, and the trend over the pilot and the round
    keys = [button.key for button in app.get("download_button")]
    assert "download_excel_other_answers" in keys and "download_xlsx_other_trends" in keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_municipality_page_shows_the_other_answers(
    waves_2026_folder: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(waves_2026_folder))
    app = open_page("municipality.py", lang=lang, wave="2026-ps", municipality="297")
    assert t(lang, "questions.municipality_title") in [e.label for e in app.expander]
    shown = [frame.value for frame in app.table]
    question = Q2026.question("themes_2023").label[lang]
    assert any(question in frame.to_csv() for frame in shown)


def test_the_data_page_offers_every_questionnaire() -> None:
    app = open_page("data.py", lang="fi")
    keys = {button.key for button in app.get("download_button")}
    for questionnaire in ("2009", "2026"):
        assert f"download_template_{questionnaire}_data" in keys
        assert f"download_questionnaire_{questionnaire}_data" in keys
    assert FRAME_COLUMNS[0] == "wave"


@pytest.mark.parametrize(
    "value", ["street_gangs;street_gangs", "street_gangs;", "street_gangs;drugs"]
)
def test_a_stored_several_choices_answer_not_as_the_import_writes_it_is_refused_at_load(
    waves_2026_folder: Path, tmp_path: Path, value: str
) -> None:
    """A hand edit of a stored 2026 file: a repeated, empty or unknown choice id in a
    several-choices cell would count in no choice (or twice); the wave is left out."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(waves_2026_folder, folder)
    path = folder / "responses" / "2026-ps.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    rows[1][rows[0].index("themes_2023")] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    database = Database(folder)
    assert [w.wave for w in database.unavailable] == ["2026-ps"]
    assert f"themes_2023 {value} is not distinct ones" in database.unavailable[0].problem
