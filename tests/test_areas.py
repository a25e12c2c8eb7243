"""The next round from anywhere in Finland (issue #16): a wave states the area it was sent to, and
every total, caption, file and chase list follows that area, never Eastern Finland's. A 2026 wave
of Lappi and Kainuu municipalities (the template's columns, real 2026 codes) goes through the
import, the tables, the workbook, the pack and the trend against the real 2009 table."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import (
    area_name,
    cli_in_process,
    copy_data_folder,
    file_text,
    open_page,
    page_text,
    provenance_of,
    snapshot,
)
from tilannekuva import figures
from tilannekuva.areas import view_area
from tilannekuva.db import Database
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses, validate_file
from tilannekuva.pack import pack_bytes
from tilannekuva.provenance import HELSINKI
from tilannekuva.register import load_register
from tilannekuva.tables import TABLES, Selection, build_table
from tilannekuva.workbook import workbook_bytes

WAVE = "2026-lk"
EXTRACTED = datetime(2026, 12, 6, 9, 0, tzinfo=HELSINKI)
LAPPI, KAINUU = "19", "18"
# Answers about three Lappi (698 Rovaniemi, 240 Kemi, 851 Tornio) and two Kainuu municipalities
# (205 Kajaani, 765 Sotkamo), written as a coordinator would: Kajaani reports a ready province-wide
# plan. Columns: respondent type, organisation, code, name, region, sub-region, plan status, year,
# scope, approved, published.
ANSWERS = """
kunta;Rovaniemen kaupunki;698;Rovaniemi;19;Rovaniemi;valmis;2024;kunta;kyllä;kyllä
poliisi;Lapin poliisilaitos;698;Rovaniemi;19;Rovaniemi;valmis;2024;kunta;;
kunta;Kemin kaupunki;240;Kemi;19;Kemi-Tornio;aloitettu;;seutukunta;ei;ei
pelastus;Lapin pelastuslaitos;851;Tornio;19;Kemi-Tornio;aloittamatta;;;;
kunta;Kajaanin kaupunki;205;Kajaani;18;Kajaani;valmis;2023;maakunta;kyllä;ei
kunta;Sotkamon kunta;765;Sotkamo;18;Kajaani;aloitettu;;kunta;;
"""
COLUMNS = (
    "respondent_type",
    "organisation",
    "municipality_code",
    "municipality_name",
    "region_code",
    "sub_region",
    "plan_status",
    "plan_year",
    "plan_scope",
    "council_approved",
    "published",
)
ROWS = [dict(zip(COLUMNS, line.split(";"), strict=True)) for line in ANSWERS.strip().splitlines()]
# Eastern Finland's names: none may appear anywhere about a wave of Lappi and Kainuu.
EASTERN = re.compile(r"Itä-Suomi|Östra Finland|Eastern Finland|Itä-Suome")


def wave_file(wave: str = WAVE, rows: list[dict[str, str]] = ROWS) -> bytes:
    return file_text(*({"wave": wave, **row} for row in rows)).encode("utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data with the Lappi and Kainuu wave imported with its default area."""
    data = copy_data_folder(tmp_path_factory.mktemp("areas") / "data")
    result = import_responses(wave_file(), data)
    assert result.ok, [p.message("en") for p in result.all_problems()]
    return data


@pytest.fixture(scope="module")
def db(folder: Path) -> Database:
    return Database(folder)


def selected_regions(lang: str) -> str:
    names = {"fi": "Kainuu, Lappi", "sv": "Kajanaland, Lappland", "en": "Kainuu, Lapland"}[lang]
    return t(lang, "area.selected_regions", regions=names)


def test_an_import_given_no_area_writes_no_guess_into_waves_csv(folder: Path, db: Database) -> None:
    """The area taken from the file (the regions answered) and the questionnaire taken from its
    columns stay derived: waves.csv is as shipped, and the wave's area is its data's regions."""
    shipped = (Path(__file__).parent.parent / "data" / "waves.csv").read_bytes()
    assert (folder / "waves.csv").read_bytes() == shipped
    assert view_area(db, Selection(WAVE, (), "fi")).region_codes == (KAINUU, LAPPI)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_view_names_the_area_of_lappi_and_kainuu(db: Database, lang: str) -> None:
    area = view_area(db, Selection(WAVE, (), lang))
    assert area.name == selected_regions(lang) and area.region_codes == (KAINUU, LAPPI)
    assert not area.named
    lappi = view_area(db, Selection(WAVE, (LAPPI, "10"), lang))  # 10: not the wave's region
    assert lappi.region_codes == (LAPPI,)
    assert lappi.name == {"fi": "Lappi", "sv": "Lappland", "en": "Lapland"}[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_of_the_wave_names_its_area_and_never_eastern_finland(
    db: Database, lang: str
) -> None:
    total = t(lang, "total.of_area", area=selected_regions(lang))
    for name, spec in TABLES.items():
        frame = build_table(db, name, Selection(WAVE, (), lang))
        if "wave_id" in frame:  # the trend holds 2009 too, named by its own area: the wave's rows
            frame = frame[frame["wave_id"] == WAVE]
        for body in (excel_fi_bytes(spec, frame, lang), csv_utf8_bytes(spec, frame)):
            text = body.decode("utf-8-sig")
            assert not EASTERN.search(text), (name, lang)
        if "region_code" in frame and "total" in set(frame["region_code"]):
            assert set(frame.loc[frame["region_code"] == "total", "region"]) >= {total}, name


def test_the_chase_list_holds_only_lappi_and_kainuu(folder: Path) -> None:
    done = cli_in_process("export", "non_respondents", "--wave", WAVE, data_dir=folder)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"))))
    register = load_register().municipalities_of(2026, [KAINUU, LAPPI])
    silent = {m.code for m in register} - {row["municipality_code"] for row in ROWS}
    anyone = {row["municipality_code"] for row in rows if row["respondent_type"] == "any"}
    assert anyone == silent and len(anyone) == 29 - 5
    assert {row["region"] for row in rows} == {"Kainuu", "Lappi"}


def test_a_province_wide_plan_covers_every_municipality_of_its_region(db: Database) -> None:
    """Kajaani's ready province-wide plan covers all eight Kainuu municipalities, also the six
    that nobody answered about; a Lappi municipality that nobody answered about and that no wider
    plan reaches is "not answered", never "none"."""
    coverage = build_table(db, "plan_coverage", Selection(WAVE, (), "fi"))
    kainuu = coverage[coverage["region"] == "Kainuu"]
    assert len(kainuu) == 8 and set(kainuu["coverage"]) == {"province_wide"}
    assert set(kainuu["covered_by_code"]) == {"205"}
    by_code = dict(zip(coverage["municipality_code"], coverage["coverage"], strict=True))
    assert (by_code["698"], by_code["240"], by_code["851"]) == ("own", "none", "none")
    assert by_code["047"] == "not_answered"  # Enontekiö
    assert len(coverage) == 29


def test_the_trend_over_2009_and_the_wave_breaks_where_the_area_changes(db: Database) -> None:
    trend = build_table(db, "trends", Selection(WAVE, (), "en"))
    total = trend[(trend["region_code"] == "total") & (trend["measure"] == "plan_ready")]
    labels = dict(zip(total["wave_id"], total["region"], strict=True))
    assert labels == {
        "2009": t("en", "total.of_area", area=area_name("ita-suomi", "en")),
        WAVE: t("en", "total.of_area", area=selected_regions("en")),
    }
    assert total["segment"].nunique() == 2
    figure = figures.make("trends", lambda name: trend, "en", "plan_ready")
    expected = t(
        "en",
        "trends.text_alt_area_break",
        before="2009",
        after="2026",
        area_before=labels["2009"],
        area_after=labels[WAVE],
    )
    assert expected in figure.alternative
    # Two series, never one line: no point of one label is joined to the other's.
    data = next(iter(figure.chart.to_dict()["datasets"].values()))
    series = {row["region"] for row in data if row["kind"] == "point"}
    assert {labels["2009"], labels[WAVE]} <= series


def test_no_change_is_computed_against_another_area(db: Database) -> None:
    """2009 was sent to Itä-Suomi: it is no previous wave of a Lappi and Kainuu total."""
    assert build_table(db, "key_figure_change", Selection(WAVE, (), "fi")).empty
    change = build_table(db, "wave_change", Selection(WAVE, (), "fi"))
    assert "total" not in set(change["region_code"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_and_the_pack_name_the_area(db: Database, tmp_path: Path, lang: str) -> None:
    selection = Selection(WAVE, (), lang)
    prov = provenance_of(db, selection, EXTRACTED)
    assert prov.area == selected_regions(lang)
    spec = TABLES["region_status"]
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes(spec, build_table(db, spec.name, selection), lang, prov))
    )
    about = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True) if row[0]}
    assert about[t(lang, "prov.area")] == selected_regions(lang)
    cells = [
        str(c)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
    ]
    assert not any(EASTERN.search(cell) for cell in cells)
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pack_bytes(db, selection, prov))
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert flat.startswith(" ".join(t(lang, "pack.title", area=selected_regions(lang)).split()))
    assert not EASTERN.search(flat)


# Import options and what they refuse --------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    yield copy_data_folder(tmp_path / "data")


def test_regions_given_on_the_command_line_are_the_waves_area(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    done = cli_in_process("import", str(path), "--regions", "19,18", "--lang", "en", data_dir=data)
    assert done.returncode == 0, done.stderr
    # Only what was given is written: the questionnaire of the columns stays derived.
    assert (
        (data / "waves.csv")
        .read_text(encoding="utf-8")
        .endswith(f"{WAVE},,,,,,,,response,false,,18;19,\n")
    )
    summary = done.stdout.decode("utf-8").splitlines()
    assert summary[1] == (
        "Area: Kainuu, Lapland (given; saved with the wave's details). "
        "Questionnaire: 2009 (from the file's columns; not written)."
    )


def test_an_answer_outside_the_given_regions_refuses_the_file_and_changes_nothing(
    data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    before = snapshot(data)
    done = cli_in_process("import", str(path), "--regions", "19", "--lang", "en", data_dir=data)
    assert done.returncode == 1
    lines = done.stderr.decode("utf-8").splitlines()
    # Kajaani and Sotkamo (Kainuu) on lines 6 and 7 of the file (the header is line 1).
    assert [line.split(":")[0] for line in lines] == ["Line 6, column region_code"] * 1 + [
        "Line 7, column region_code"
    ]
    assert "Traceback" not in done.stderr.decode("utf-8")
    assert snapshot(data) == before


def test_a_wellbeing_services_county_is_checked_by_its_municipalities(data: Path) -> None:
    """Lapin hyvinvointialue (areas.csv) is made of Lappi's municipalities in the register: the
    Kainuu answers are outside it (their region is not the county's). In a region split into
    counties (Uusimaa), a municipality of another county is outside by its municipality code:
    Espoo (049) is in Länsi-Uusimaa, not Itä-Uusimaa."""
    report = validate_file(wave_file(), data, area="lappi-hva")
    assert [(p.code, p.line, p.column) for p in report.problems] == [
        ("outside_area", 6, "region_code"),
        ("outside_area", 7, "region_code"),
    ]
    porvoo = {"municipality_code": "638", "municipality_name": "Porvoo", "region_code": "01"}
    espoo = porvoo | {"municipality_code": "049", "municipality_name": "Espoo"}
    uusimaa = [ROWS[0] | porvoo, ROWS[2] | espoo]
    split = validate_file(wave_file(rows=uusimaa), data, area="ita-uusimaa-hva")
    assert [(p.code, p.line, p.column) for p in split.problems] == [
        ("outside_area", 3, "municipality_code")
    ]
    lappi_only = [row for row in ROWS if row["region_code"] == LAPPI]
    assert import_responses(wave_file(rows=lappi_only), data, area="lappi-hva").ok
    county = Database(data)
    area = view_area(county, Selection(WAVE, (), "sv"))
    assert area.name == "Lapplands välfärdsområde" and area.region_codes == (LAPPI,)
    chase = build_table(county, "non_respondents", Selection(WAVE, (), "fi"))
    assert set(chase["region"]) == {"Lappi"}


def test_an_unknown_area_and_a_conflicting_one_are_refused(data: Path) -> None:
    unknown = validate_file(wave_file(), data, area="atlantis")
    assert [p.code for p in unknown.problems] == ["area_unknown"]
    assert "koko-suomi" in unknown.problems[0].message("en")
    with (data / "waves.csv").open("a", encoding="utf-8") as waves:
        waves.write(f"{WAVE},,,,,,,,response,false,,18;19,2009\n")
    conflict = validate_file(wave_file(), data, area="koko-suomi")
    assert [p.code for p in conflict.problems] == ["area_conflict"]
    assert validate_file(wave_file(), data).ok  # waves.csv's own area


def test_both_options_at_once_are_a_usage_error(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    done = cli_in_process(
        "validate", str(path), "--regions", "19", "--area", "lappi-hva", data_dir=data
    )
    assert done.returncode == 2
    assert done.stderr.decode("utf-8").strip() == "error: give --regions or --area, not both"


PAGES = sorted(path.name for path in (Path(__file__).parent.parent / "app_pages").glob("*.py"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_wave_names_its_area_and_never_eastern_finland(
    folder: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(folder))
    app = open_page(page, lang=lang, wave=WAVE)
    tables = [frame.value.to_csv() for frame in (*app.table, *app.dataframe)]
    text = "\n".join([page_text(app), *tables, *(c.value for c in app.sidebar.caption)])
    if page == "data.py":
        # The sources list every wave with its area: 2009's is Itä-Suomi.
        assert selected_regions(lang) in text
        return
    if page == "trends.py":
        # The trend goes over 2009 too, named by its own area, and says where the area changes.
        break_start = t(lang, "trends.text_alt_area_break").split("{")[0]
        assert break_start in text and t(lang, "total.of_area", area=selected_regions(lang)) in text
        return
    assert not EASTERN.search(text), page
    if page == "overview.py":
        assert t(lang, "app.subtitle", area=selected_regions(lang)) in text


def test_the_counties_of_areas_csv_are_the_registers() -> None:
    """areas.csv names each wellbeing services county as Statistics Finland's key of 2026 does
    (data/register/wellbeing_counties.csv), and every county of the register is an area."""
    data = Path(__file__).parent.parent / "data"
    with (data / "areas.csv").open(encoding="utf-8", newline="") as handle:
        areas = {
            row["wellbeing_county_code"]: (row["name_fi"], row["name_sv"], row["name_en"])
            for row in csv.DictReader(handle)
            if row["kind"] == "wellbeing_county"
        }
    register = load_register()
    counties = {
        c.code: (c.name_fi, c.name_sv, c.name_en)
        for c in register.wellbeing_counties_of(2026)
        if c.code != "91"  # Åland is a region of its own (21), not a county
    }
    assert areas == counties and len(areas) == 22
