"""The upload page with a survey tool's export (issue #17): the review step — question → column with
its confidence, answer texts to choices, the columns left out — then the usual check and import;
the mapping is kept and offered for the next file. Personal data is never shown or stored."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.exports import HEADER, PEOPLE, WAVE, forms_export
from tests.helpers import PROJECT_DIR, open_page, snapshot
from tilannekuva.i18n import t


@pytest.fixture
def upload_folder(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    monkeypatch.setenv("TILANNEKUVA_UPLOAD_PASSWORD", "oikea salasana")
    return data_copy


def shown_text(app: AppTest) -> str:
    """Everything the page shows as text, widget labels and options included."""
    parts = [e.value for e in app.markdown] + [e.value for e in app.caption]
    parts += [e.body for e in (*app.info, *app.success, *app.warning, *app.error)]
    parts += [e.label for e in app.selectbox] + [str(o) for e in app.selectbox for o in e.options]
    parts += [e.value.to_csv() for e in app.dataframe]
    return "\n".join(parts).replace("\\", "").replace("\u200b", "")


def uploaded(lang: str = "en", data: bytes | None = None) -> AppTest:
    app = open_page("upload.py", lang=lang)
    app.text_input(key="upload_password").input("oikea salasana").run()
    name, kind = "vastaukset.xlsx", "application/vnd.ms-excel"
    app.get("file_uploader")[0].set_value((name, data or forms_export(), kind)).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_an_export_is_reviewed_then_imported_and_its_mapping_kept(upload_folder: Path) -> None:
    app = uploaded()
    assert t("en", "upload.map.intro") in [e.body for e in app.info]
    assert not [b for b in app.button if b.key == "upload_confirm"]  # no wave id yet
    app.text_input(key="upload_map_wave").input(WAVE).run()
    assert not app.exception, [e.message for e in app.exception]
    table = app.dataframe[0].value
    row = table[table["Question"] == "Plan status"].iloc[0]
    assert (row["Column"], row["Confidence"]) == (HEADER[7], "100 %")
    text = shown_text(app)
    assert "Left out (not read, not stored): Tunnus, Aloitusaika, Valmistumisaika, Sähköposti" in (
        text
    )
    for email, name in PEOPLE:
        assert email not in text and name not in text
    assert app.success[0].body == t("en", "upload.map.valid", rows=6, wave=WAVE, municipalities=5)
    app.button(key="upload_confirm").click().run()
    assert not app.exception
    assert app.success[0].body == t("en", "upload.done", wave=WAVE, rows=6)
    assert (upload_folder / "mappings" / f"{WAVE}.json").is_file()
    for path in upload_folder.rglob("*"):
        if path.is_file():
            for email, name in PEOPLE:
                assert email.encode() not in path.read_bytes(), path
                assert name.encode() not in path.read_bytes(), path
    # The next file of the same survey: the kept mapping is offered.
    again = uploaded()
    assert again.selectbox(key="upload_map_saved").options == [
        t("en", "upload.map.saved_none"),
        WAVE,
    ]


def test_an_unknown_answer_is_mapped_on_the_page_or_refused_at_its_cell(
    upload_folder: Path,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(forms_export()))
    sheet = book.active
    assert sheet is not None
    sheet["H3"] = "Lähes valmis"  # not a choice, not like one
    buffer = io.BytesIO()
    book.save(buffer)
    before = snapshot(upload_folder)
    app = uploaded(data=buffer.getvalue())
    app.text_input(key="upload_map_wave").input(WAVE).run()
    answer = app.selectbox(key="upload_map_a_plan_status_0")
    assert (
        answer.label.replace("\\", "").replace("\u200b", "") == "Plan status: “Lähes valmis” (1×)"
    )
    assert answer.value == ""  # nothing likely: refused unless the coordinator maps it
    assert "Taulukko1!H3: The value “Lähes valmis” is not allowed" in shown_text(app)
    assert snapshot(upload_folder) == before
    answer.set_value("started").run()
    assert app.success[0].body == t("en", "upload.map.valid", rows=6, wave=WAVE, municipalities=5)
    assert snapshot(upload_folder) == before  # nothing is written before the confirmation


# What new users tripped on (issue #21 item 4) ------------------------------------------------


def test_the_page_says_how_to_turn_uploads_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TILANNEKUVA_UPLOAD_PASSWORD", raising=False)
    app = open_page("upload.py", lang="en")
    said = app.info[0].body
    assert said.startswith(t("en", "upload.off"))
    assert "`TILANNEKUVA_UPLOAD_PASSWORD`" in said and "`upload_password`" in said
    assert "at least 12 characters" in said and "restart the server" in said


def test_a_short_password_is_named_as_too_short(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILANNEKUVA_UPLOAD_PASSWORD", "lyhyt")
    app = open_page("upload.py", lang="fi")
    assert not app.info  # not "no password is set"
    said = app.warning[0].body
    assert said.startswith(t("fi", "upload.too_short", n=12))
    assert "TILANNEKUVA_UPLOAD_PASSWORD" in said


def test_after_an_import_the_file_leaves_the_uploader(upload_folder: Path) -> None:
    """The imported file stayed in the uploader and was checked again: "wave already
    imported" under the success message."""
    from tests.helpers import file_text

    app = open_page("upload.py", lang="en")
    app.text_input(key="upload_password").input("oikea salasana").run()
    juva = {"municipality_code": "178", "municipality_name": "Juva"}
    data = file_text({"municipality_code": "491"}, juva).encode("utf-8")
    app.get("file_uploader")[0].set_value(("kysely.csv", data, "text/csv")).run()
    app.button(key="upload_confirm").click().run()
    assert app.success[0].body == t("en", "upload.done", wave="2010", rows=2)
    assert not app.error, [e.body for e in app.error]
    assert not [b for b in app.button if b.key == "upload_confirm"]


def test_an_unreadable_workbook_is_named_as_such_not_as_not_text(upload_folder: Path) -> None:
    """The probe of issue #17: every unreadable workbook was "not text" on the page."""
    app = uploaded(data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    text = shown_text(app)
    assert t("en", "problem.export_encrypted") in text
    assert t("en", "problem.binary") not in text


def test_the_sheet_is_chosen_before_it_is_read(upload_folder: Path) -> None:
    """A workbook whose first sheet is instructions could never be imported on the page."""
    answers = openpyxl.load_workbook(io.BytesIO(forms_export())).active
    assert answers is not None
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Ohje"
    first.append(["Täytä vastaukset taulukkoon Vastaukset."])
    sheet = book.create_sheet("Vastaukset")
    for row in answers.iter_rows(values_only=True):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    app = uploaded(data=buffer.getvalue())
    chooser = app.selectbox(key="upload_map_sheet")
    assert chooser.options == ["Ohje", "Vastaukset"]
    chooser.set_value("Vastaukset").run()
    app.text_input(key="upload_map_wave").input(WAVE).run()
    assert app.success[0].body == t("en", "upload.map.valid", rows=6, wave=WAVE, municipalities=5)


def test_the_police_file_of_a_round_is_added_to_its_wave(upload_folder: Path) -> None:
    """Issue #17: a round in one file per respondent type. The municipalities' Forms export is
    imported, then the police's Webropol export is added to the same wave on the page; its
    mapping is kept as the police's, offered by that name."""
    exports = PROJECT_DIR / "data" / "examples" / "exports"
    wave = "esimerkki-2014-sivu"
    app = uploaded(data=(exports / "forms-kunnat.xlsx").read_bytes())
    app.text_input(key="upload_map_wave").input(wave).run()
    app.button(key="upload_confirm").click().run()
    assert app.success[0].body == t("en", "upload.done", wave=wave, rows=7)
    police = uploaded(data=(exports / "webropol-poliisi.xlsx").read_bytes())
    police.text_input(key="upload_map_wave").input(wave).run()
    police.selectbox(key="upload_map_respondent").set_value("police").run()
    before = snapshot(upload_folder)
    assert t("en", "problem.wave_exists", wave=wave) in shown_text(police)
    police.radio(key="upload_existing").set_value("add").run()
    added = t("en", "import.added", wave=wave, kept=7, total=14)
    assert added in shown_text(police)
    assert snapshot(upload_folder) == before  # nothing written before the confirmation
    police.button(key="upload_confirm").click().run()
    assert not police.exception and not police.error, [e.body for e in police.error]
    stored = (upload_folder / "responses" / f"{wave}.csv").read_text("utf-8").splitlines()
    assert len(stored) == 1 + 14
    assert sorted({line.split(",")[1] for line in stored[1:]}) == ["municipality", "police"]
    assert (upload_folder / "mappings" / f"{wave}.police.json").is_file()
    offered = uploaded(data=(exports / "webropol-poliisi.xlsx").read_bytes())
    assert f"{wave} (The police's)" in offered.selectbox(key="upload_map_saved").options


def test_a_merged_or_unknown_municipality_name_is_chosen_on_the_page(upload_folder: Path) -> None:
    """Nilsiä (merged into Kuopio 1.1.2013) comes preselected as Kuopio, named as a merger;
    Valkeala (merged before the register's first year) is refused at its cell until the
    coordinator picks Kouvola."""
    from tests.test_mapping import FORMER_ROWS

    app = uploaded(data=forms_export(FORMER_ROWS))
    app.text_input(key="upload_map_wave").input(WAVE).run()
    boxes = {
        box.label.replace("\\", "").replace("\u200b", ""): box
        for box in app.selectbox
        if box.key and box.key.startswith("upload_map_m_")
    }
    nilsia = "Municipality: “Nilsiä” (1×) — merged or renamed on 1 January 2013: now Kuopio (297)"
    assert sorted(boxes) == [nilsia, "Municipality: “Valkeala” (1×)"]
    assert boxes[nilsia].value == "297"
    assert boxes["Municipality: “Valkeala” (1×)"].value == ""
    assert "Taulukko1!F3: The municipality “Valkeala” is not" in shown_text(app)
    boxes["Municipality: “Valkeala” (1×)"].set_value("286").run()
    assert app.success[0].body == t("en", "upload.map.valid", rows=3, wave=WAVE, municipalities=3)
    app.button(key="upload_confirm").click().run()
    kept = json.loads((upload_folder / "mappings" / f"{WAVE}.json").read_text("utf-8"))
    assert kept["municipality"]["names"] == {"Nilsiä": "297", "Valkeala": "286"}


def test_an_unknown_mark_in_a_column_per_choice_is_read_on_the_page(upload_folder: Path) -> None:
    """A column per choice holding a mark that is no known one ("✓") was refused at its cell
    with nothing on the page to read it: now chosen, not chosen, or refused."""
    from tests.exports import QUESTIONNAIRE, TEXT

    header = ["Kunta", "Vastaaja", TEXT["plan_status"], TEXT["plan_scope"],
              f"{TEXT['themes_2023']} [katujengit]"]  # fmt: skip
    rows = [
        ["Kemi", "kunta", "Aloitettu", "Kunta", "✓"],
        ["Tornio", "kunta", "Aloitettu", "Kunta", ""],
    ]
    data = "\r\n".join(";".join(row) for row in [header, *rows]).encode("utf-8")
    app = uploaded(data=data)
    app.text_input(key="upload_map_wave").input(WAVE).run()
    label = QUESTIONNAIRE.question("themes_2023").label["en"] + ": the mark “✓” (1×)"
    box = next(b for b in app.selectbox if b.label.replace("\u200b", "") == label)
    assert box.value == ""
    assert "The cell holds “✓”" in shown_text(app)
    box.set_value("true").run()
    assert app.success[0].body == t("en", "upload.map.valid", rows=2, wave=WAVE, municipalities=2)
    app.button(key="upload_confirm").click().run()
    kept = json.loads((upload_folder / "mappings" / f"{WAVE}.json").read_text("utf-8"))
    assert kept["questions"]["themes_2023"]["marks"] == {"✓": "true"}
    stored = (upload_folder / "responses" / f"{WAVE}.csv").read_text("utf-8").splitlines()
    themes = stored[0].split(",").index("themes_2023")
    assert [line.split(",")[themes] for line in stored[1:]] == ["street_gangs", ""]
