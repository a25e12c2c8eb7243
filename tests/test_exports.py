"""Downloads compared as whole byte strings (Datasette style): a change in one byte fails."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import EXAMPLE_2014, KARELIA
from tilannekuva.config import PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.exports import (
    csv_utf8_bytes,
    display_frame,
    excel_fi_bytes,
    file_name,
    neutralise,
    region_part,
)
from tilannekuva.i18n import t
from tilannekuva.tables import TABLES, Column, Selection, TableSpec, build_table
from tilannekuva.web import ui

SPEC = TableSpec(
    "example",
    (
        Column("region", "text"),
        Column("measure", "label", "measure."),
        Column("n", "count"),
        Column("share", "decimal"),
        Column("workshop_date", "date"),
    ),
    build=lambda db, selection: pd.DataFrame(),
)
FRAME = pd.DataFrame(
    {
        "region": ["Etelä-Savo", '=HYPERLINK("http://x")', "-1+2", 'Côte d\'Ivoire; "x"'],
        "measure": ["plan_ready", "published", "artu_in_use", "plan_started"],
        "n": pd.array([6, None, -3, 1234], dtype="Int64"),
        "share": [35.29411, None, 0.0, 100.0],
        "workshop_date": pd.to_datetime(["2009-09-17", None, "2009-10-01", "2009-09-24"]),
    }
)


def test_excel_fi_bytes() -> None:
    assert excel_fi_bytes(SPEC, FRAME, "fi") == (
        b"\xef\xbb\xbf"
        + "Maakunta;Mittari;n;Osuus, %;Työkokous\r\n"
        "Etelä-Savo;Suunnitelma valmis;6;35,3;17.9.2009\r\n"
        '"\'=HYPERLINK(""http://x"")";Julkistettu;..;..;..\r\n'
        "'-1+2;ARTU-ohjelma käytössä;-3;0,0;1.10.2009\r\n"
        '"Côte d\'Ivoire; ""x""";Suunnitelma aloitettu;1234;100,0;24.9.2009\r\n'.encode()
    )


def test_excel_headers_follow_the_ui_language() -> None:
    first_line = excel_fi_bytes(SPEC, FRAME, "sv").split(b"\r\n")[0]
    assert first_line == b"\xef\xbb\xbf" + "Landskap;Mått;n;Andel, %;Arbetsmöte".encode()


def test_csv_utf8_bytes() -> None:
    assert csv_utf8_bytes(SPEC, FRAME) == (
        "region,measure,n,share,workshop_date\r\n"
        "Etelä-Savo,plan_ready,6,35.3,2009-09-17\r\n"
        '"\'=HYPERLINK(""http://x"")",published,,,\r\n'
        "'-1+2,artu_in_use,-3,0.0,2009-10-01\r\n"
        '"Côte d\'Ivoire; ""x""",plan_started,1234,100.0,2009-09-24\r\n'.encode()
    )


def test_display_frame_is_localised_and_shows_unknown_as_dots() -> None:
    shown = display_frame(SPEC, FRAME, "fi")
    assert list(shown.columns) == ["Maakunta", "Mittari", "n", "Osuus, %", "Työkokous"]
    assert shown.iloc[0].tolist() == ["Etelä-Savo", "Suunnitelma valmis", "6", "35,3", "17.9.2009"]
    assert shown.iloc[1].tolist()[2:] == ["..", "..", ".."]
    assert shown.iloc[3, 2] == "1\xa0234"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("Etelä-Savo", "Etelä-Savo"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [(["10", "11", "12"], "10-12"), (["12", "10"], "10+12"), (["11"], "11"), ([], "")],
)
def test_region_part(codes: list[str], expected: str) -> None:
    assert region_part(codes) == expected


def test_file_names_say_what_is_inside() -> None:
    assert (
        file_name("fi", "2009", "region_status", ["10", "11", "12"])
        == "tilannekysely_2009_aluevertailu_10-12.csv"
    )
    assert (
        file_name("en", "2009", "planning_scope", ["12"], utf8=True)
        == "status_survey_2009_scope_12_utf8.csv"
    )
    assert file_name("fi", "../../etc/x", "waves", []) == "tilannekysely_______etc_x_kierrokset.csv"


def test_region_table_download_of_the_shipped_data(shipped_db: Database) -> None:
    spec = TABLES["region_status"]
    frame = build_table(shipped_db, "region_status", Selection("2009", (), "fi"))
    assert excel_fi_bytes(spec, frame, "fi").decode("utf-8") == (
        "\ufeffMaakuntakoodi;Maakunta;Valmis;Aloitettu;Aloittamatta;Valtuuston vahvistama;"
        "Julkistettu;ARTU käytössä;Tekeillä: kuntakohtainen;Tekeillä: seutukuntakohtainen;"
        "Tekeillä: maakunnan kattava\r\n"
        "10;Etelä-Savo;6;7;4;5;3;5;4;3;1\r\n"
        "11;Pohjois-Savo;9;3;1;6;5;1;0;3;..\r\n"
        "12;Pohjois-Karjala;1;6;7;2;2;0;5;1;..\r\n"
        # The total row has no region code for people; the CSV (UTF-8) keeps the id "total".
        ";Itä-Suomi yhteensä;16;16;12;13;10;6;9;7;..\r\n"
    )
    assert csv_utf8_bytes(spec, frame).decode("utf-8").splitlines()[-1].startswith("total,")


def test_file_names_carry_the_artu_filter() -> None:
    """Two downloads of one table that differ only by the ARTU filter once had the same name."""
    names = {
        artu: file_name("fi", "esimerkki", "municipalities", ["10"], fictional=True, artu=artu)
        for artu in ("all", "in_use", "not_in_use")
    }
    assert names == {
        "all": "kuvitteellinen_tilannekysely_esimerkki_kunnat_10.csv",
        "in_use": "kuvitteellinen_tilannekysely_esimerkki_kunnat_10_artu_kaytossa.csv",
        "not_in_use": "kuvitteellinen_tilannekysely_esimerkki_kunnat_10_artu_ei_kaytossa.csv",
    }
    assert (
        file_name("sv", "esimerkki", "municipalities", [], artu="in_use", utf8=True)
        == "lagesenkat_esimerkki_kommuner_artu_i_bruk_utf8.csv"
    )


def test_workbook_file_name() -> None:
    assert (
        file_name("en", "2009", "region_status", ["10", "12"], extension="xlsx")
        == "status_survey_2009_region_comparison_10+12.xlsx"
    )


def test_downloads_of_different_filters_have_different_names(shipped_db: Database) -> None:
    """Every (regions, ARTU) choice on the example wave that gives a different file gives a
    different file name."""
    by_name: dict[str, bytes] = {}
    for regions in ((), ("10",), ("10", "12")):
        for artu in ("all", "in_use", "not_in_use"):
            selection = Selection("esimerkki", regions, "fi", artu=artu)
            frame = build_table(shipped_db, "region_status", selection)
            body = csv_utf8_bytes(TABLES["region_status"], frame)
            codes = regions or ("10", "11", "12")
            name = file_name("fi", "esimerkki", "region_status", codes, artu=artu, utf8=True)
            assert by_name.setdefault(name, body) == body, name
    assert len(by_name) == 9


def test_pages_name_parts_and_options_of_a_table_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worklist at two year limits, and the yes/no table's parts on the comparison and the
    themes page, are different files: their names differ too."""
    names: list[str] = []

    def recording(*args: object, **options: object) -> str:
        names.append(file_name(*args, **options))  # type: ignore[arg-type]
        return names[-1]

    monkeypatch.setattr(ui, "file_name", recording)
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    app.query_params["wave"] = "esimerkki"
    app = app.run().switch_page("app_pages/worklist.py").run()
    app.number_input(key="worklist_year").set_value(2000).run()
    app.switch_page("app_pages/compare.py").run()
    app.switch_page("app_pages/themes.py").run()
    csv_names = {name for name in names if name.endswith("utf8.csv")}
    assert {
        "kuvitteellinen_tilannekysely_esimerkki_kutsulista_ennen_2005_10-12_utf8.csv",
        "kuvitteellinen_tilannekysely_esimerkki_kutsulista_ennen_2000_10-12_utf8.csv",
        "kuvitteellinen_tilannekysely_esimerkki_kylla_ei_vahvistus_julkistus_artu_10-12_utf8.csv",
        "kuvitteellinen_tilannekysely_esimerkki_kylla_ei_teemat_kumppanit_10-12_utf8.csv",
    } <= csv_names


@pytest.mark.parametrize(
    ("lang", "header"),
    [("fi", "N (vastanneet)"), ("sv", "N (svarande)"), ("en", "N (respondents)")],
)
@pytest.mark.parametrize("wave", ["2009", EXAMPLE_2014])
def test_the_n_column_is_named_for_both_levels(
    shipped_db: Database, lang: str, header: str, wave: str
) -> None:
    """N counts responses in the 2009 table and answering municipalities in a response-level
    wave: "respondents" is true of both, "responses" only of the first."""
    frame = build_table(shipped_db, "key_figures", Selection(wave, KARELIA, lang))
    first_line = excel_fi_bytes(TABLES["key_figures"], frame, lang).decode("utf-8-sig")
    assert first_line.split("\r\n")[0].split(";")[4] == header
    assert t(lang, "col.responses") == header


def test_the_key_figures_of_the_example_byte_for_byte(shipped_db: Database) -> None:
    frame = build_table(shipped_db, "key_figures", Selection(EXAMPLE_2014, KARELIA, "en"))
    assert excel_fi_bytes(TABLES["key_figures"], frame, "en").decode("utf-8") == (
        "\ufeffRegion code;Region;Measure;n;N (respondents);Share, %;Few answers (N < 5)\r\n"
        ";North Karelia total;Plan ready;2;3;66,7;yes\r\n"
        ";North Karelia total;Approved by the council;2;3;66,7;yes\r\n"
        ";North Karelia total;Published;2;3;66,7;yes\r\n"
        ";North Karelia total;ARTU tool in use;1;3;33,3;yes\r\n"
    )
    # The UTF-8 CSV keeps the column ids: its header does not change with the label.
    header = csv_utf8_bytes(TABLES["key_figures"], frame).decode("utf-8").splitlines()[0]
    assert header == "region_code,region,measure,n,responses,share,few_answers"
