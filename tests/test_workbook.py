"""The .xlsx download read back cell by cell with openpyxl: values, types and number formats."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.helpers import provenance_of
from tilannekuva.db import Database, QueryError, load_queries
from tilannekuva.formatting import is_unknown
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.provenance import HELSINKI, Provenance
from tilannekuva.tables import (
    COUNTING_RULES,
    TABLES,
    Column,
    Selection,
    TableSpec,
    build_table,
    counting_rule_of,
    wave_rows,
)
from tilannekuva.workbook import (
    COUNT_FORMAT,
    DATE_FORMAT,
    DECIMAL_FORMAT,
    SHARE_FORMAT,
    counting_rule,
    workbook_bytes,
)

SPEC = TableSpec(
    "measure_shares",
    (
        Column("region_code", "code"),
        Column("region", "text"),
        Column("measure", "label", "measure."),
        Column("n", "count"),
        Column("responses", "count"),
        Column("share", "share", of=("n", "responses")),
        Column("change_pp", "decimal", unit="pp"),
        Column("workshop_date", "date"),
    ),
    build=lambda db, selection: pd.DataFrame(),
    counting_rule="change",
)
FRAME = pd.DataFrame(
    {
        "region_code": ["010", "total"],
        "region": ['=HYPERLINK("http://x","y")', "Itä-Suomi yhteensä"],
        "measure": ["plan_ready", "published"],
        "n": pd.array([1234, None], dtype="Int64"),
        "responses": pd.array([3496, None], dtype="Int64"),
        "share": [1234 / 3496, None],
        "change_pp": [-2.5, None],
        "workshop_date": pd.to_datetime(["2009-09-17", None]),
    }
)
EXTRACTED = datetime(2026, 11, 28, 17, 5, tzinfo=HELSINKI)


def provenance(**changes: object) -> Provenance:
    values: dict[str, object] = {
        "wave_id": "2009",
        "wave_title": "Tilannekysely 2009",
        "year": 2009,
        "classification_year": None,
        "level": "region",
        "fictional": False,
        "source": "Dia ”Suunnittelun tilanne”",
        "response_rate_percent": 70.0,
        "area": "Etelä-Savo",
        "artu": "all",
        "extracted": EXTRACTED,
        "version": "0.1.0",
    }
    values.update(changes)
    return Provenance(**values)  # type: ignore[arg-type]


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def about(book: openpyxl.Workbook) -> dict[str, str]:
    sheet = book.worksheets[1]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}


def test_numbers_are_numbers_with_finnish_display_formats() -> None:
    sheet = read(workbook_bytes(SPEC, FRAME, "fi", provenance())).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    assert header[:6] == ["Maakuntakoodi", "Maakunta", "Mittari", "n", "N (vastanneet)", "Osuus, %"]
    code, _region, measure, n, _responses, share, change, day = sheet[3]
    assert (code.value, code.data_type) == ("010", "s")  # a code keeps its leading zero
    assert measure.value == "Suunnitelma valmis"
    assert (n.value, n.data_type, n.number_format) == (1234, "n", COUNT_FORMAT)
    assert (share.value, share.data_type, share.number_format) == ("=D3/E3", "f", SHARE_FORMAT)
    assert (change.value, change.number_format) == (-2.5, DECIMAL_FORMAT)
    assert day.value == datetime(2009, 9, 17) and day.number_format == DATE_FORMAT


def test_unknown_is_dots_as_text_never_zero() -> None:
    sheet = read(workbook_bytes(SPEC, FRAME, "fi", provenance())).worksheets[0]
    unknown = sheet[4][3:]
    assert [(cell.value, cell.data_type) for cell in unknown] == [("..", "s")] * 5


def test_formula_looking_text_is_never_a_formula() -> None:
    data = workbook_bytes(SPEC, FRAME, "fi", provenance())
    cell = read(data).worksheets[0]["B3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        formulas = [
            formula
            for name in sheets
            for formula in re.findall(rb"<f>(.*?)</f>", archive.read(name))
        ]
    # The only formula is the share's over its own n and N cells, never a name's text.
    assert formulas == [b"D3/E3"]


def test_header_row_is_frozen_and_columns_are_sized() -> None:
    sheet = read(workbook_bytes(SPEC, FRAME, "sv", provenance())).worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert sheet["B2"].value == "Landskap" and sheet["B2"].font.bold
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert all(8 <= width <= 62 for width in widths.values()), widths
    assert widths["B"] > widths["D"]  # the long name column is wider than the count column


@pytest.mark.parametrize(
    ("lang", "sheet_name", "labels"),
    [
        ("fi", "Tietoja", ("Lähde", "Alue", "ARTU-rajaus", "Vastausprosentti", "Poimittu")),
        ("sv", "Om uppgifterna", ("Källa", "Område", "ARTU-avgränsning", "Svarsprocent")),
        ("en", "About", ("Source", "Area", "ARTU filter", "Response rate", "App version")),
    ],
)
def test_about_sheet_in_the_ui_language(lang: str, sheet_name: str, labels: tuple[str]) -> None:
    book = read(workbook_bytes(SPEC, FRAME, lang, provenance()))
    assert book.sheetnames[1] == sheet_name
    rows = about(book)
    assert all(label in rows for label in labels)
    assert "Etelä-Savo" in rows[labels[1]]


def test_about_sheet_says_where_the_figures_come_from() -> None:
    rows = about(read(workbook_bytes(SPEC, FRAME, "fi", provenance(artu="in_use"))))
    assert rows["Lähde"] == "Dia ”Suunnittelun tilanne”"
    assert rows["Kyselykierros"] == "Tilannekysely 2009"
    assert rows["Vuosi"] == "2009"
    assert "Kuntaluokituksen vuosi" not in rows  # this wave has none
    assert rows["ARTU-rajaus"] == "kunnat, joissa ARTU: käytössä"
    assert rows["Vastausprosentti"] == "70\xa0%"
    assert rows["Laskentasääntö"].startswith("Osuuden muutos prosenttiyksikköinä")
    assert ".." in rows["Symbolit"]
    assert rows["Poimittu"] == "28.11.2026 klo 17.05 (Suomen aikaa)"
    assert rows["Sovelluksen versio"] == "0.1.0"


def test_classification_year_and_unknown_rate_of_a_response_wave() -> None:
    prov = provenance(
        classification_year=2009,
        response_rate_percent=None,
        level="response",
        area="Eastern Finland",
    )
    rows = about(read(workbook_bytes(SPEC, FRAME, "en", prov)))
    assert rows["Municipality classification year"] == "2009"
    assert rows["Response rate"].startswith("not known (..)")
    assert rows["Area"] == "Eastern Finland"
    assert rows["Source"].startswith("Response-level data")  # never the stored file path


def test_a_fictional_wave_says_so_on_both_sheets() -> None:
    book = read(workbook_bytes(SPEC, FRAME, "fi", provenance(fictional=True)))
    assert book.worksheets[0]["A1"].value.startswith("KUVITTEELLINEN ESIMERKKI")
    assert book.worksheets[1]["A1"].value == "KUVITTEELLINEN ESIMERKKI"
    assert book.worksheets[1]["B1"].value == t("fi", "banner.fictional")


def test_real_wave_has_no_fictional_mark() -> None:
    book = read(workbook_bytes(SPEC, FRAME, "fi", provenance()))
    texts = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert not any("KUVITTEELLINEN" in text for text in texts)


def test_counting_rules_are_read_from_the_sql_header() -> None:
    assert counting_rule(TABLES["region_status"], "region") == "rule.region.counts"
    assert counting_rule(TABLES["measure_shares"], "response") == "rule.response.shares"
    assert counting_rule(TABLES["planning_scope"], "region") == "rule.region.scope"
    assert counting_rule(TABLES["wave_change"], "region") == "rule.change"
    assert counting_rule(TABLES["worklist"], "response") == "rule.municipal"
    assert counting_rule(TABLES["municipalities"], "response") == "rule.answers"
    assert counting_rule(TABLES["workshops"], "region") == "rule.listing"


def test_every_table_declares_a_counting_rule_worded_in_every_language() -> None:
    """Issue #20 item 1: the rule comes from the table's header, never guessed from its column
    ids: a query without the line, with an unknown rule or with it twice does not load."""
    for spec in TABLES.values():
        assert spec.counting_rule in COUNTING_RULES, spec.name
        for level in ("region", "response"):
            key = counting_rule(spec, level)
            for lang in LANGUAGES:
                assert t(lang, key) != key, (spec.name, key, lang)


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("", "must say '-- counting rule: NAME' once"),
        ("-- counting rule: guessed\n", "it says ['guessed']"),
        ("-- counting rule: counts\n-- counting rule: shares\n", "['counts', 'shares']"),
    ],
)
def test_a_table_without_its_counting_rule_does_not_load(
    tmp_path: Path, header: str, problem: str
) -> None:
    (tmp_path / "odd.sql").write_text(
        f"-- odd: a table\n{header}-- column n: count\nselect 1 as n\n", encoding="utf-8"
    )
    with pytest.raises(QueryError, match=re.escape(problem)):
        counting_rule_of(load_queries(tmp_path)["odd"])


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_of_the_shipped_data_reads_back(shipped_db: Database, name: str) -> None:
    waves = wave_rows(shipped_db, "fi")
    for wave in waves.to_dict("records"):
        selection = Selection(wave["wave_id"], (), "fi")
        frame = build_table(shipped_db, name, selection)
        prov = provenance_of(shipped_db, selection, EXTRACTED)
        data = workbook_bytes(TABLES[name], frame, "fi", prov)
        sheet = openpyxl.load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
        assert sheet.max_row == 2 + len(frame)
        for column_number, column in enumerate(TABLES[name].columns, start=1):
            cells = [sheet.cell(row, column_number) for row in range(3, 3 + len(frame))]
            values = frame[column.id].tolist()
            for cell, value in zip(cells, values, strict=True):
                if is_unknown(value):
                    assert cell.value == ".."
                elif column.kind == "count":
                    assert cell.value == int(value) and cell.data_type == "n"
            if column.of:  # a share: the exact n/N of its header's columns (issue #20)
                n, total = (frame[name].tolist() for name in column.of)
                for cell, value, part, whole in zip(cells, values, n, total, strict=True):
                    if is_unknown(value):
                        continue
                    exact = int(part) / int(whole)
                    # The table holds the fraction n/N itself, to the last bit (no per cent
                    # divided back), and the workbook stores the same.
                    assert float(value) == exact, (name, column.id, value, part, whole)
                    assert cell.value == exact, (name, column.id, cell.value, part, whole)


def test_every_share_declares_its_n_and_total() -> None:
    """Issue #20: the SQL header is the one source of what a share is a share of: every share
    names its n and N, and the only per cent is the one a source gives as such."""
    columns = [column for spec in TABLES.values() for column in spec.columns]
    shares = [column for column in columns if column.kind == "share"]
    assert len(shares) >= 15 and all(len(column.of) == 2 for column in shares)
    percents = [column.id for column in columns if column.unit == "%"]
    assert percents == ["response_rate_percent"]  # the wave's published response rate


def test_one_third_is_stored_as_one_third() -> None:
    """284 of 1,770 shares with N < 60 were stored a last bit away from n/N (issue #20)."""
    spec = TableSpec(
        "measure_shares",
        (
            Column("n", "count"),
            Column("responses", "count"),
            Column("share", "share", of=("n", "responses")),
        ),
        build=lambda db, selection: pd.DataFrame(),
    )
    frame = pd.DataFrame(
        {
            "n": pd.array([1, 7, 2], dtype="Int64"),
            "responses": pd.array([3, 17, 0], dtype="Int64"),
            "share": [1 / 3, 7 / 17, None],
        }
    )
    data = workbook_bytes(spec, frame, "fi", provenance())
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    assert [row[2].value for row in cached.iter_rows(min_row=3)] == [1 / 3, 7 / 17, ".."]
    # ... as the share of the row's own n and N, which Excel computes to the same bits.
    formulas = read(data).worksheets[0]
    assert [row[2].value for row in formulas.iter_rows(min_row=3)] == ["=A3/B3", "=A4/B4", ".."]


def test_region_table_of_the_shipped_data(shipped_db: Database) -> None:
    selection = Selection("2009", ("11",), "fi")
    frame = build_table(shipped_db, "region_status", selection)
    prov = provenance_of(shipped_db, selection, EXTRACTED)
    sheet = read(workbook_bytes(TABLES["region_status"], frame, "fi", prov)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    # One region: its row, and no total that would repeat it (issue #21).
    assert rows == [["11", "Pohjois-Savo", 9, 3, 1, 6, 5, 1, 0, 3, ".."]]
    assert about(sheet.parent)["Alue"] == "Pohjois-Savo"
    pair = Selection("2009", ("11", "12"), "fi")
    frame = build_table(shipped_db, "region_status", pair)
    prov = provenance_of(shipped_db, pair, EXTRACTED)
    sheet = read(workbook_bytes(TABLES["region_status"], frame, "fi", prov)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    # The total row has no region code for people (the CSV (UTF-8) keeps the id "total"), and
    # names the area of the view (issue #16).
    area = "Valitut maakunnat (Pohjois-Savo, Pohjois-Karjala)"
    assert rows[2][:2] == ["", f"{area} yhteensä"]
    assert rows[2][-1] == ".."  # a total is unknown where a part is
    assert about(sheet.parent)["Alue"] == area
