"""tilannekuva/survey_files.py: a survey tool's .xlsx or CSV export read as it is, every problem
at its place in the user's own file, hostile workbooks refused before they cost anything."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from tilannekuva.survey_files import (
    MAX_EXPORT_COLUMNS,
    Export,
    cell_reference,
    column_letter,
    read_export,
)

FORMS_HEADER = ["ID", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi", "Kunta", "Tila"]


def workbook(rows: list[list[object]], sheet: str = "Taulukko1") -> bytes:
    book = openpyxl.Workbook()
    worksheet = book.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(result: Export | list, lang: str = "fi") -> list[str]:
    assert isinstance(result, list), result
    return [problem.message(lang) for problem in result]


def test_column_letters_and_places_are_excels() -> None:
    assert [column_letter(i) for i in (0, 5, 25, 26, 27, 701, 702)] == [
        "A", "F", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip
    assert cell_reference("Taulukko1", 7, 5) == "Taulukko1!F7"
    assert cell_reference("Form 1", 2, 0) == "'Form 1'!A2"
    assert cell_reference("Bob's", 2, 0) == "'Bob''s'!A2"


def test_a_forms_workbook_is_read_as_text_cells() -> None:
    data = workbook(
        [
            FORMS_HEADER,
            [
                1,
                "2026-03-02 09:00",
                "2026-03-02 09:14",
                "a@b.example",
                "Testi Henkilö",
                91,
                "Valmis",
            ],
            [2, None, None, None, None, "Rovaniemi", "Aloitettu"],
        ]
    )
    export = read_export(data)
    assert isinstance(export, Export)
    assert (export.kind, export.sheet, export.header_row) == ("xlsx", "Taulukko1", 1)
    assert export.header == tuple(FORMS_HEADER)
    # 91 stays 91 (Excel keeps it as 91.0); an empty cell is "", never 0.
    assert export.rows[0] == (2, ("1", "2026-03-02 09:00", "2026-03-02 09:14", "a@b.example",
                                 "Testi Henkilö", "91", "Valmis"))  # fmt: skip
    assert export.rows[1] == (3, ("2", "", "", "", "", "Rovaniemi", "Aloitettu"))
    assert export.place(3, 6) == "Taulukko1!G3"


def test_a_named_sheet_and_an_unknown_one() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Ohje"
    first.append(["Tämä on ohje"])
    answers = book.create_sheet("Vastaukset")
    answers.append(["Kunta", "Tila"])
    answers.append(["Kemi", "Valmis"])
    buffer = io.BytesIO()
    book.save(buffer)
    export = read_export(buffer.getvalue(), sheet="Vastaukset")
    assert isinstance(export, Export) and export.rows == ((2, ("Kemi", "Valmis")),)
    assert export.sheets == ("Ohje", "Vastaukset")
    assert messages(read_export(buffer.getvalue(), sheet="Sheet9")) == [
        "Työkirjassa ei ole taulukkoa ”Sheet9”. Taulukot: Ohje, Vastaukset."
    ]


def test_a_limesurvey_csv_with_bom_and_its_places() -> None:
    text = "id,submitdate,token,Q1,Q2[SQ001]\r\n1,2026-03-02,abc,A1,Y\r\n2,,,A2,\r\n"
    export = read_export(b"\xef\xbb\xbf" + text.encode())
    assert isinstance(export, Export)
    assert (export.kind, export.encoding) == ("csv", "utf-8-sig")
    assert export.header == ("id", "submitdate", "token", "Q1", "Q2[SQ001]")
    assert export.rows[1] == (3, ("2", "", "", "A2", ""))
    # A long free-text answer is read (the mapping never reads it; Excel's own cell limit holds).
    long = "Kunta;Tila;Kommentti\r\nKemi;Valmis;" + "x" * 5000 + "\r\n"
    read = read_export(long.encode())
    assert isinstance(read, Export) and len(read.rows[0][1][2]) == 5000


def test_formulas_are_never_evaluated_only_their_cached_value_read() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("Taulukko1")
    sheet.write_row(0, 0, ["Kunta", "Tila", "Laskettu"])
    sheet.write(1, 0, "Kemi")
    sheet.write_formula(1, 1, '=HYPERLINK("http://evil.example/","Valmis")', None, "Valmis")
    sheet.write_formula(1, 2, "=1+1", None, 2)
    sheet.write(2, 0, "Tornio")
    sheet.write_formula(2, 1, "=1+1")  # XlsxWriter caches 0: the 0 is read, never a computed 2
    book.close()
    export = read_export(buffer.getvalue())
    assert isinstance(export, Export)
    assert export.rows == ((2, ("Kemi", "Valmis", "2")), (3, ("Tornio", "0", "")))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "export_encrypted"),
        (b"PK\x03\x04" + b"broken" * 50, "export_damaged"),
    ],
    ids=["password-protected", "damaged"],
)
def test_an_encrypted_or_damaged_workbook_is_one_message(data: bytes, code: str) -> None:
    result = read_export(data)
    assert isinstance(result, list) and [p.code for p in result] == [code]


def test_a_zip_bomb_is_refused_by_its_declared_size_before_reading() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (80 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024  # small on disk
    assert messages(read_export(data), "en") == [
        "The workbook unpacks to too large a size (over 64 MB)."
    ]


def test_too_many_columns_and_a_long_header_name_their_cell() -> None:
    wide = read_export(workbook([[f"Q{i}" for i in range(2000)], ["x"] * 2000]))
    assert messages(wide, "en") == [
        f"Taulukko1!{column_letter(MAX_EXPORT_COLUMNS)}1: The header has too many columns "
        f"(> {MAX_EXPORT_COLUMNS}, at most {MAX_EXPORT_COLUMNS})."
    ]
    long = read_export(workbook([["Kunta", "x" * 100_000], ["Kemi", "Valmis"]]))
    assert messages(long, "en") == [
        "Taulukko1!B1: The header cell is too long (at most 1000 characters)."
    ]
    # A cell holds at most Excel's own 32,767 characters (openpyxl and XlsxWriter cut a longer
    # one when they write it; a hand-made file with more is refused at the cell, as the header).
    cell = read_export(workbook([["Kunta", "Tila"], ["Kemi", "y" * 100_000]]))
    assert isinstance(cell, Export) and len(cell.rows[0][1][1]) == 32_767


def test_a_stray_cell_far_away_is_refused_and_a_near_one_read() -> None:
    """A cell in XFD1048576 makes calamine ask for a 512 GB grid and abort: in the reading child,
    under its memory limit, so the app gets one message. A stray cell some way below the answers
    is read like any row."""

    def with_stray(row: int, column: int) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer)
        sheet = book.add_worksheet("Taulukko1")
        sheet.write_row(0, 0, ["Kunta", "Tila"])
        sheet.write_row(1, 0, ["Kemi", "Valmis"])
        sheet.write(row, column, "kaukana")
        book.close()
        return buffer.getvalue()

    assert messages(read_export(with_stray(1_048_575, 16_383)), "en") == [
        "The sheet cannot be read: it has cells far below or to the right of the answers. "
        "Delete the rows and columns after the answers and save it again."
    ]
    # Some way below, after 1,000 blank rows: said, never dropped in silence (the probe put an
    # answer in row 1500 and it was gone).
    assert messages(read_export(with_stray(5_000, 3)), "en") == [
        "The sheet has data below row 2, after more than 1,000 blank rows. Delete the extra rows "
        "or move the answers into one block."
    ]
    near = read_export(with_stray(600, 1))  # a note under the answers, within the blank run
    assert isinstance(near, Export) and near.rows[-1] == (601, ("", "kaukana"))


def test_data_outside_the_header_and_empty_files() -> None:
    outside = read_export(workbook([["Kunta", "Tila"], ["Kemi", "Valmis", "mitä tämä on"]]))
    assert messages(outside, "en") == [
        "Taulukko1!C2: The cell holds data in a column that has no header."
    ]
    assert [p.code for p in read_export(workbook([]))] == ["empty_file"]  # type: ignore[union-attr]
    header_only = read_export(workbook([["Kunta", "Tila"]]))
    assert [p.code for p in header_only] == ["no_data_rows"]  # type: ignore[union-attr]
    assert [p.code for p in read_export(b"Kunta;Tila\r\n", sheet="x")] == [  # type: ignore[union-attr]
        "export_sheet_in_csv"
    ]
