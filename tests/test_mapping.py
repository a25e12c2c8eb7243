"""tilannekuva/mapping.py and the command line's ``mapping suggest`` / ``--mapping``: a Microsoft
Forms-style export with Finnish question texts, e-mail and name columns, about municipalities of
Lappi and Kainuu, goes in unedited; its figures by region are right and its personal data is in
no file of the data folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from tests.exports import HEADER, PEOPLE, QUESTIONNAIRE, TEXT, WAVE, forms_export
from tests.helpers import cli_in_process, copy_data_folder
from tilannekuva.mapping import MappingError, apply, normal, read_mapping, score, suggest
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.register_check import real_register
from tilannekuva.survey_files import Export, read_export


def test_normal_text_and_scores() -> None:
    assert normal("1. Mikä on kunnan TILANNE?") == "mikä on kunnan tilanne"
    assert score("Onko ARTU-ohjelma käytössä?", "onko artu ohjelma käytössä") == 100
    assert score("Onko ARTU-ohjelma käytössä?", "Sähköposti") < 50


def test_the_suggestion_maps_questions_answers_and_leaves_people_out() -> None:
    export = read_export(forms_export())
    assert isinstance(export, Export)
    found = suggest(export, QUESTIONNAIRE, real_register(), 2026, WAVE)
    mapping = found.mapping
    assert found.complete and not found.unmatched_answers, found
    assert (mapping.municipality_column, mapping.municipality_by) == ("Kunta", "name")
    assert mapping.respondent_column == "Vastaajataho"
    assert mapping.questions["plan_status"].column == HEADER[7]
    assert mapping.questions["council_approved"].column == HEADER[10]
    assert mapping.questions["themes_2023"].column == TEXT["themes_2023"]
    assert "comments" not in mapping.questions  # free text is never mapped
    assert set(mapping.left_out) == {
        "Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi", TEXT["comments"],
    }  # fmt: skip
    assert mapping.questions["council_approved"].answers == {"Kyllä": "true", "Ei": "false"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data_folder(tmp_path / "data")


def test_a_forms_export_goes_in_unedited_through_the_command_line(
    data: Path, tmp_path: Path
) -> None:
    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(forms_export())
    mapping = tmp_path / "mapping.json"
    suggested = cli_in_process(
        "mapping", "suggest", str(export), "--wave", WAVE, "-o", str(mapping), data_dir=data
    )
    assert suggested.returncode == 0, suggested.stderr.decode()
    assert suggested.stderr == b""
    body = json.loads(mapping.read_text(encoding="utf-8"))
    assert body["questionnaire"] == "2026" and body["wave"] == WAVE
    checked = cli_in_process("validate", str(export), "--mapping", str(mapping), data_dir=data)
    assert checked.returncode == 0, checked.stderr.decode()
    done = cli_in_process(
        "import", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "left out (not stored): Tunnus, Aloitusaika, Valmistumisaika, Sähköposti, Nimi" in out
    assert (data / "mappings" / f"{WAVE}.json").read_bytes() == mapping.read_bytes()
    # No e-mail address or name of the export is in any file of the data folder.
    for path in data.rglob("*"):
        if path.is_file():
            stored = path.read_bytes()
            for email, name in PEOPLE:
                assert email.encode() not in stored and name.encode() not in stored, path
            assert b"Hei!" not in stored or path.suffix != ".csv", path
    # The figures by region, one answer per municipality (its own, else the rescue service's):
    # Kainuu: Kajaani ready (approved, ARTU), Sotkamo started (municipal plan); Lappi: Rovaniemi
    # ready (approved, published), Kemi started (sub-regional), Tornio not started (rescue).
    table = cli_in_process("export", "region_status", "--wave", WAVE, data_dir=data)
    assert table.returncode == 0, table.stderr.decode()
    assert table.stdout.decode().splitlines()[1:] == [
        "18,Kainuu,1,1,0,1,0,1,1,0,0",
        "19,Lappi,1,1,1,1,1,0,0,1,0",
    ]


def test_a_problem_is_named_at_its_cell_in_the_users_workbook(data: Path, tmp_path: Path) -> None:
    rows = forms_export()
    book = openpyxl.load_workbook(io.BytesIO(rows))
    sheet = book.active
    assert sheet is not None
    sheet["H3"] = "melkein valmis"  # plan status of Rovaniemi's police: no such choice
    sheet["F5"] = "Atlantis"  # no such municipality
    buffer = io.BytesIO()
    book.save(buffer)
    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(buffer.getvalue())
    mapping = tmp_path / "mapping.json"
    clean = tmp_path / "clean.xlsx"
    clean.write_bytes(rows)
    cli_in_process(
        "mapping", "suggest", str(clean), "--wave", WAVE, "-o", str(mapping), data_dir=data
    )
    unknown = cli_in_process(
        "validate", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert unknown.returncode == 1
    assert unknown.stderr.decode().splitlines() == [
        "Taulukko1!F5: The municipality “Atlantis” is not in the 2026 municipality classification."
    ]
    sheet["F5"] = "Tornio"
    buffer = io.BytesIO()
    book.save(buffer)
    export.write_bytes(buffer.getvalue())
    bad = cli_in_process(
        "validate", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert bad.returncode == 1
    lines = bad.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "Taulukko1!H3: The value “melkein valmis” is not allowed."
    )
    assert not (data / "mappings").exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "mapping_too_deep"),
        (b"{" + b'"a":"' + b"x" * (300 * 1024) + b'"}', "mapping_too_large"),
        (b"not json", "mapping_not_json"),
        (b'{"format": 1, "format": 1}', "mapping_duplicate_key"),
        (b'{"format": 1, "evil": 1}', "mapping_unknown_key"),
        (b'{"format": 2}', "mapping_format"),
    ],
    ids=["deep", "10MB-ish", "not-json", "duplicate", "unknown-key", "format"],
)
def test_a_hostile_mapping_is_one_message(body: bytes, code: str) -> None:
    with pytest.raises(MappingError) as raised:
        read_mapping(body, shipped_questionnaires())
    assert raised.value.problem.code == code


def test_a_mapping_naming_a_missing_column_or_one_column_twice(data: Path, tmp_path: Path) -> None:
    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(forms_export())
    mapping = tmp_path / "mapping.json"
    cli_in_process(
        "mapping", "suggest", str(export), "--wave", WAVE, "-o", str(mapping), data_dir=data
    )
    body = json.loads(mapping.read_text(encoding="utf-8"))
    body["questions"]["published"]["column"] = "Ei tällaista saraketta"
    mapping.write_text(json.dumps(body), encoding="utf-8")
    done = cli_in_process(
        "import", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert (done.returncode, done.stderr.decode().splitlines()) == (
        1,
        ["The mapping names the column “Ei tällaista saraketta”, which the file does not have."],
    )
    body["questions"]["published"]["column"] = body["questions"]["plan_status"]["column"]
    mapping.write_text(json.dumps(body), encoding="utf-8")
    done = cli_in_process(
        "import", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert done.returncode == 1
    assert done.stderr.decode().startswith("The mapping points the column “1. Mikä on")
    assert not (data / "responses" / f"{WAVE}.csv").exists()


def _suggested(data: bytes, respondent: str = "") -> tuple[Export, object]:
    export = read_export(data)
    assert isinstance(export, Export), export
    return export, suggest(export, QUESTIONNAIRE, real_register(), 2026, WAVE, respondent)


def test_a_webropol_style_export_in_swedish_with_a_column_per_choice() -> None:
    """Swedish question texts, the police's answers (one value for the file), municipality codes
    as Excel keeps numbers (5 for 005), several choices as one column per choice with 1/0."""
    sv = {q.id: q.text["sv"] for q in QUESTIONNAIRE.questions}
    themes = sv["themes_2023"]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Kommunkod", sv["plan_status"], sv["plan_year"], sv["plan_scope"],
                  f"{themes} - gatugäng", f"{themes} - grovt våld bland unga"])  # fmt: skip
    sheet.append([5, "Klar", 2025, "Kommun", 1, 0])  # Alajärvi
    sheet.append([698, "Påbörjad", None, "Landskap", 0, 1])  # Rovaniemi
    buffer = io.BytesIO()
    book.save(buffer)
    export, found = _suggested(buffer.getvalue(), respondent="police")
    mapping = found.mapping  # type: ignore[attr-defined]
    assert found.complete, found  # type: ignore[attr-defined]
    assert (mapping.municipality_column, mapping.municipality_by) == ("Kommunkod", "code")
    assert mapping.respondent_value == "police"
    assert mapping.questions["themes_2023"].columns == {
        f"{themes} - gatugäng": "street_gangs",
        f"{themes} - grovt våld bland unga": "youth_violence",
    }
    applied = apply(mapping, export, QUESTIONNAIRE, real_register(), 2026)
    assert not applied.problems
    rows = list(csv.DictReader(io.StringIO(applied.data.decode())))
    assert [(r["municipality_code"], r["region_code"], r["respondent_type"]) for r in rows] == [
        ("005", "14", "police"),
        ("698", "19", "police"),
    ]
    assert [r["themes_2023"] for r in rows] == ["street_gangs", "youth_violence"]
    assert [r["plan_status"] for r in rows] == ["Klar", "Påbörjad"]  # the check reads sv texts


def test_a_limesurvey_csv_with_full_question_texts() -> None:
    """LimeSurvey's fixed columns (token, IP address: never candidates, left out), a BOM, full
    question texts, several choices as "Question [choice]" columns holding Kyllä or nothing."""
    themes = TEXT["themes_2023"]
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate",
              "datestamp", "ipaddr", "refurl", "Kunta", "Vastaaja", TEXT["plan_status"],
              TEXT["plan_scope"], f"{themes} [katujengit]",
              f"{themes} [väkivaltainen ekstremismi]"]  # fmt: skip
    lines = [
        ",".join(header),
        "1,2026-03-02,3,fi,123,tok1,2026-03-02,2026-03-02,192.0.2.1,,Kemi,kunta,Aloitettu,"
        "Seutukunta,Kyllä,",
        "2,2026-03-02,3,fi,456,tok2,2026-03-02,2026-03-02,192.0.2.2,,Kajaani,poliisi,Valmis,"
        "Maakunta,,Kyllä",
    ]
    export, found = _suggested(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    mapping = found.mapping  # type: ignore[attr-defined]
    assert found.complete, found  # type: ignore[attr-defined]
    assert mapping.respondent_column == "Vastaaja"
    assert {"token", "ipaddr", "seed"} <= set(mapping.left_out)
    assert set(mapping.questions["themes_2023"].columns.values()) == {
        "street_gangs",
        "violent_extremism",
    }
    applied = apply(mapping, export, QUESTIONNAIRE, real_register(), 2026)
    assert not applied.problems
    assert b"192.0.2" not in applied.data and b"tok1" not in applied.data


def test_limesurvey_question_codes_are_left_to_the_reviewer() -> None:
    """Codes (Q1, Q2[SQ001]) say nothing to match: the suggestion says what it could not find
    instead of guessing."""
    data = b"id,token,Kunta,Vastaaja,Q1,Q2\r\n1,t,Kemi,kunta,A1,A2\r\n"
    _, found = _suggested(data)
    assert "plan_status" in found.unmatched_questions  # type: ignore[attr-defined]
    assert not found.complete  # type: ignore[attr-defined]


def test_a_10_mb_mapping_file_is_one_message_and_changes_nothing(
    data: Path, tmp_path: Path
) -> None:
    from tests.helpers import snapshot

    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(forms_export())
    mapping = tmp_path / "mapping.json"
    mapping.write_bytes(b'{"a": "' + b"x" * (10 * 1024 * 1024) + b'"}')
    before = snapshot(data)
    done = cli_in_process(
        "import", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert (done.returncode, done.stderr.decode().splitlines()) == (
        1,
        ["The mapping file is too large (at most 256 kB)."],
    )
    assert snapshot(data) == before


# What the probe of issue #17 found -------------------------------------------------------------


def test_a_negated_answer_is_never_its_opposite() -> None:
    from tilannekuva.mapping import likely_choice

    status = QUESTIONNAIRE.question("plan_status")
    assert likely_choice("ei aloitettu", status) is None  # was: started
    assert likely_choice("inte påbörjad", status) == "not_started"  # a choice's own text
    assert likely_choice("Valmiss", status) == "ready"  # a typo is alike
    themes = QUESTIONNAIRE.question("themes_2023")
    assert likely_choice("ei katujengit", themes) is None


def test_an_answer_only_like_a_choice_is_left_to_review() -> None:
    book = openpyxl.load_workbook(io.BytesIO(forms_export()))
    sheet = book.active
    assert sheet is not None
    sheet["H2"] = "Valmiss"
    buffer = io.BytesIO()
    book.save(buffer)
    _, found = _suggested(buffer.getvalue())
    assert found.likely_answers == {"plan_status": {"Valmiss": ("ready", 1)}}  # type: ignore[attr-defined]
    assert not found.complete  # type: ignore[attr-defined]


def test_per_choice_marks_are_read_and_an_unknown_mark_is_refused_at_its_cell() -> None:
    from tilannekuva.mapping import choice_mark

    themes = QUESTIONNAIRE.question("themes_2023")
    for cell, mark in [("Kyllä", True), ("Y", True), ("1", True), ("x", True),
                       ("katujengit", True), ("", False), ("Ei valittu", False), ("N", False),
                       ("0", False), ("-", False), ("ehkä", None)]:  # fmt: skip
        assert choice_mark(cell, "street_gangs", themes) is mark, cell
    header = ["Kunta", "Vastaaja", TEXT["plan_status"], f"{TEXT['themes_2023']} [katujengit]"]
    rows = [["Kemi", "kunta", "Aloitettu", "ehkä"]]
    export = read_export(_csv(header, rows))
    assert isinstance(export, Export)
    found = suggest(export, QUESTIONNAIRE, real_register(), 2026, WAVE)
    assert found.unmatched_answers == {"themes_2023": {"ehkä": 1}}
    applied = apply(found.mapping, export, QUESTIONNAIRE, real_register(), 2026)
    assert [(p.code, p.line, p.column, p.values) for p in applied.problems] == [
        ("mapping_bad_mark", 2, header[3], {"value": "ehkä", "choice": "street_gangs"})
    ]
    assert "“ehkä”" in applied.problems[0].message("en")
    # The coordinator's reading of the mark ("marks"), kept in the mapping file.
    body = json.loads(found.mapping.to_json())
    body["questions"]["themes_2023"]["marks"] = {"ehkä": "true"}
    mapping = read_mapping(json.dumps(body).encode(), shipped_questionnaires())
    applied = apply(mapping, export, QUESTIONNAIRE, real_register(), 2026)
    assert not applied.problems
    assert next(csv.DictReader(io.StringIO(applied.data.decode())))["themes_2023"] == (
        "street_gangs"
    )
    for marks in ({"ehkä": "yes"}, ["ehkä"]):
        body["questions"]["themes_2023"]["marks"] = marks
        with pytest.raises(MappingError):
            read_mapping(json.dumps(body).encode(), shipped_questionnaires())
    body["questions"]["plan_status"]["marks"] = {"x": "true"}  # only with a column per choice
    body["questions"]["themes_2023"].pop("marks")
    with pytest.raises(MappingError):
        read_mapping(json.dumps(body).encode(), shipped_questionnaires())


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [";".join(header), *(";".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_an_other_column_is_free_text_never_mapped_or_shown() -> None:
    """LimeSurvey's "Question [Muu]" holds what the respondent wrote: it was mapped as the
    question, the real choice columns left out, and its text printed."""
    themes = TEXT["themes_2023"]
    header = ["Kunta", "Vastaaja", TEXT["plan_status"], f"{themes} [katujengit]",
              f"{themes} [Muu]"]  # fmt: skip
    rows = [["Kemi", "kunta", "Aloitettu", "Kyllä", "Huumeet, ks. Pekka 040-1234567"]]
    export = read_export(_csv(header, rows))
    assert isinstance(export, Export)
    found = suggest(export, QUESTIONNAIRE, real_register(), 2026, WAVE)
    assert found.mapping.questions["themes_2023"].columns == {
        f"{themes} [katujengit]": "street_gangs"
    }
    assert f"{themes} [Muu]" in found.mapping.left_out
    assert "Pekka" not in repr(found.unmatched_answers)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda b: b["municipality"].update(column=""), "mapping_municipality"),
        (lambda b: b["questions"]["plan_status"].update(column=""), "mapping_question"),
        (lambda b: b["questions"].update(themes_2023={"columns": {}}), "mapping_question"),
        (lambda b: b["questions"].update(themes_2023={"columns": {"x": "aliens"}}),
         "mapping_unknown_choice"),
        (lambda b: b.update(format=True), "mapping_format"),
    ],
    ids=["empty-municipality", "empty-column", "no-columns", "unknown-choice", "format-true"],
)  # fmt: skip
def test_a_mapping_that_names_nothing_is_one_message(change, code: str) -> None:  # type: ignore[no-untyped-def]
    export = read_export(forms_export())
    assert isinstance(export, Export)
    body = json.loads(suggest(export, QUESTIONNAIRE, real_register(), 2026, WAVE).mapping.to_json())
    change(body)
    with pytest.raises(MappingError) as raised:
        read_mapping(json.dumps(body).encode(), shipped_questionnaires())
    assert raised.value.problem.code == code
    raised.value.problem.message("fi")  # renders (a value named "key" once broke t())


def test_mapping_messages_render_and_deep_nesting_in_strings_is_caught() -> None:
    for body in (b'{"format": 1, "format": 1}', b'{"format": 1, "evil": 1}'):
        with pytest.raises(MappingError) as raised:
            read_mapping(body, shipped_questionnaires())
        assert "format" in raised.value.problem.message("en") or "evil" in (
            raised.value.problem.message("en")
        )
    bypass = b'{"a": "' + b"]" * 30_000 + b'", "b": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    with pytest.raises(MappingError) as raised:
        read_mapping(bypass, shipped_questionnaires())
    assert raised.value.problem.code in ("mapping_too_deep", "mapping_too_large")


def test_a_mapping_naming_a_contact_column_is_refused(data: Path, tmp_path: Path) -> None:
    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(forms_export())
    mapping = tmp_path / "mapping.json"
    cli_in_process(
        "mapping", "suggest", str(export), "--wave", WAVE, "-o", str(mapping), data_dir=data
    )
    body = json.loads(mapping.read_text(encoding="utf-8"))
    body["organisation"] = {"column": "Nimi"}
    mapping.write_text(json.dumps(body), encoding="utf-8")
    done = cli_in_process(
        "import", str(export), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert (done.returncode, done.stderr.decode().splitlines()) == (
        1,
        ["The mapping names the column “Nimi”, which looks like contact data or free text. It is "
         "not read (personal data)."],
    )  # fmt: skip


def test_a_workbooks_mapping_reads_the_same_surveys_csv(data: Path, tmp_path: Path) -> None:
    """The mapping keeps the workbook's sheet; a CSV of the same survey has none."""
    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(forms_export())
    mapping = tmp_path / "mapping.json"
    cli_in_process(
        "mapping", "suggest", str(export), "--wave", WAVE, "-o", str(mapping), data_dir=data
    )
    book = openpyxl.load_workbook(export)
    sheet = book.active
    assert sheet is not None
    lines = [
        ";".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    ]
    as_csv = tmp_path / "vastaukset.csv"
    as_csv.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    done = cli_in_process(
        "validate", str(as_csv), "--mapping", str(mapping), "--lang", "en", data_dir=data
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("The file is valid: 6 answers")


def test_municipality_names_and_respondents_as_respondents_write_them() -> None:
    """The probe: "Espoon kaupunki", "Helsinki / Helsingfors" or "Poliisilaitos" could not be
    mapped without editing the export. These forms are read; anything else is not guessed."""
    from tilannekuva.mapping import _municipality_index, resolve, respondent_kind

    by_code, by_name = _municipality_index(real_register(), 2026)

    def code(text: str) -> str | None:
        found = resolve(text, "name", by_code, by_name)
        return found.code if found else None

    assert code("Espoon kaupunki") == "049"
    assert code("Närpes stad") == "545"
    assert code("Helsinki / Helsingfors") == "091"
    assert code("Maarianhamina – Mariehamn") == "478"
    assert code("Pedersöre kommun") == "599"
    assert code("Helsinki / Espoo") is None  # two municipalities: not guessed
    assert code("Kemi\u200b") == "240"
    assert code("Atlantis") is None
    assert [respondent_kind(t) for t in ("Poliisilaitos", "Kunta/kaupunki", "pelastus", "x")] == [
        "police", "municipality", "rescue", ""
    ]  # fmt: skip


# A name the register of the wave's year lacks: merged since, or before the register begins.
FORMER_ROWS = [
    ("Nilsiä", "Kunta", "Valmis", 2012, "Kunta", "Kyllä", "Kyllä", "Ei", None),
    ("Valkeala", "Kunta", "Aloitettu", None, "Kunta", None, None, None, None),
    ("Rovaniemi", "Kunta", "Aloitettu", None, "Kunta", None, None, None, None),
]  # fmt: skip


def test_a_merged_municipalitys_name_is_read_as_its_successor_to_check() -> None:
    """Nilsiä was merged into Kuopio on 1.1.2013 (the register's changes): in a 2026 wave it is
    read as Kuopio, named for the coordinator to check. Valkeala was merged into Kouvola on
    1.1.2009, before the register's first year: not known, left to map by hand."""
    from tilannekuva.mapping import former_municipalities

    register = real_register()
    former = former_municipalities(register, 2026)
    assert (former["nilsiä"].successor.code, str(former["nilsiä"].date)) == ("297", "2013-01-01")
    assert former["juankoski"].successor.name_fi == "Kuopio"  # 2017
    assert former["pernå"].successor.code == "434"  # the Swedish name of Pernaja
    assert "valkeala" not in former and "kuopio" not in former
    assert "nilsiä" not in former_municipalities(register, 2012)  # still a municipality then
    export = read_export(forms_export(FORMER_ROWS))
    assert isinstance(export, Export)
    found = suggest(export, QUESTIONNAIRE, register, 2026, WAVE)
    assert found.mapping.municipality_names == {"Nilsiä": "297"}
    assert list(found.former_municipalities) == ["Nilsiä"]
    assert found.unresolved_municipalities == {"Valkeala": 1}
    assert not found.complete  # the coordinator checks the reading
    applied = apply(found.mapping, export, QUESTIONNAIRE, register, 2026)
    assert [(p.code, p.place) for p in applied.problems] == [
        ("mapping_unknown_municipality", "Taulukko1!F3")
    ]
    # Mapped by hand (the page's choice, or the mapping file's "names"), through the file.
    body = json.loads(found.mapping.to_json())
    body["municipality"]["names"]["Valkeala"] = "286"
    mapping = read_mapping(json.dumps(body).encode(), shipped_questionnaires())
    applied = apply(mapping, export, QUESTIONNAIRE, register, 2026)
    assert not applied.problems
    rows = list(csv.DictReader(io.StringIO(applied.data.decode())))
    assert [(r["municipality_code"], r["municipality_name"]) for r in rows] == [
        ("297", "Kuopio"), ("286", "Kouvola"), ("698", "Rovaniemi"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "names", [{"Valkeala": "Kouvola"}, {"Valkeala": 286}, ["Valkeala"]], ids=["name", "int", "list"]
)
def test_a_mapping_reads_a_name_only_as_a_code(names: object) -> None:
    export = read_export(forms_export())
    assert isinstance(export, Export)
    body = json.loads(suggest(export, QUESTIONNAIRE, real_register(), 2026, WAVE).mapping.to_json())
    body["municipality"]["names"] = names
    with pytest.raises(MappingError) as raised:
        read_mapping(json.dumps(body).encode(), shipped_questionnaires())
    raised.value.problem.message("en")


def test_mapping_suggest_names_the_merged_municipality_and_the_unknown_one(
    data: Path, tmp_path: Path
) -> None:
    export = tmp_path / "vastaukset.xlsx"
    export.write_bytes(forms_export(FORMER_ROWS))
    mapping = tmp_path / "mapping.json"
    suggested = cli_in_process(
        "mapping", "suggest", str(export), "--wave", WAVE, "-o", str(mapping), "--lang", "en",
        data_dir=data,
    )  # fmt: skip
    assert suggested.returncode == 1
    assert suggested.stderr.decode().splitlines() == [
        "The municipality “Nilsiä” (1×) was merged or renamed on 1 January 2013; read as Kuopio"
        " (297) — check it and keep it in the mapping if it is right.",
        "The municipality “Valkeala” (1×) is not in the 2026 municipality classification.",
    ]
