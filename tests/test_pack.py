"""The meeting pack PDF read back with poppler's pdftotext and pdffonts (Debian poppler-utils):
its figures, its sections and the provenance footer on every page, in fi, sv and en; a
nationwide wave's pack laid out on pages (issue #22), and a pack that fails as one message."""

from __future__ import annotations

import csv
import logging
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bench.waves import wave_csv
from tests.helpers import (
    EXAMPLE_2014,
    KARELIA,
    OLD_BASE_TEXTS,
    area_name,
    cli_in_process,
    copy_data_folder,
    provenance_of,
)
from tilannekuva import cli, pack
from tilannekuva.config import DEFAULT_DATA_DIR
from tilannekuva.db import Database
from tilannekuva.exports import display_frame
from tilannekuva.figures import make
from tilannekuva.formatting import format_n_of_N, format_share
from tilannekuva.hyphenation import SOFT_HYPHEN
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses
from tilannekuva.pack import pack_bytes
from tilannekuva.pdf_layout import CHART_HEIGHT, FRAME_WIDTH, chart_images
from tilannekuva.provenance import HELSINKI, Provenance, footer_lines
from tilannekuva.register import load_register
from tilannekuva.tables import TABLES, Selection, build_table

EXTRACTED = datetime(2026, 11, 28, 16, 45, tzinfo=HELSINKI)


def provenance(db: Database, selection: Selection) -> Provenance:
    return provenance_of(db, selection, EXTRACTED)


def pdf_pages(data: bytes, folder: Path) -> list[str]:
    """The PDF's text page by page (pdftotext ends each page with a form feed), as read: without
    the soft hyphens that mark where a table's header may break (issue #19)."""
    path = folder / "pack.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page.replace(SOFT_HYPHEN, "") for page in text.split("\f") if page.strip()]


def flat(text: str) -> str:
    """Words of the text with single spaces, so a wrapped line reads as one."""
    return " ".join(text.split())


# The packs of the shipped data, by selection: several tests read the same pack (the 2009 pack of
# all regions in each language, Pohjois-Karjala's in Finnish), and the same database, selection
# and provenance (its time fixed: EXTRACTED) make the same pack but for the PDF's record of when
# it was made (the last test of this module checks that), so each is made once in the module
# (issue #20 item 7: 5 of the 22 packs of the shipped data were made a second time, about 1.2 s
# of CPU each). A pack of any other database is made by its test.
_SHIPPED_PACKS: dict[Selection, tuple[bytes, Provenance]] = {}


def pack_data(db: Database, selection: Selection) -> tuple[bytes, Provenance]:
    """The pack of ``selection`` and the provenance it was made with (the module's, EXTRACTED)."""
    shipped = Path(db.data_dir) == DEFAULT_DATA_DIR
    if shipped and selection in _SHIPPED_PACKS:
        return _SHIPPED_PACKS[selection]
    prov = provenance(db, selection)
    made = pack_bytes(db, selection, prov), prov
    if shipped:
        _SHIPPED_PACKS[selection] = made
    return made


def make_pack(db: Database, selection: Selection, folder: Path) -> tuple[list[str], Provenance]:
    data, prov = pack_data(db, selection)
    return pdf_pages(data, folder), prov


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pack_of_all_regions(shipped_db: Database, tmp_path: Path, lang: str) -> None:
    selection = Selection("2009", (), lang)
    pages, prov = make_pack(shipped_db, selection, tmp_path)
    text = flat("\n".join(pages))
    # The area the 2009 survey was sent to, by its name (issue #16).
    assert text.startswith(flat(t(lang, "pack.title", area=area_name("ita-suomi", lang))))
    for row in build_table(shipped_db, "key_figures", selection).to_dict("records"):
        assert t(lang, f"measure.{row['measure']}") in text
        assert flat(format_share(row["share"], lang, decimals=1)) in text
        assert format_n_of_N(row["n"], row["responses"], lang) in text
    for key in ("pack.status_title", "pack.scope_title", "pack.artu_title", "pack.notes_title"):
        assert t(lang, key) in text
    for row in build_table(shipped_db, "workshops", selection).to_dict("records"):
        assert row["region"] in text
    assert t(lang, "pack.worklist_title") not in text  # a regional table has no worklist
    assert t(lang, "pack.unknown") in text  # the blank scope cells, in words
    assert len(pages) >= 2
    assert_footer_on_every_page(pages, prov, lang)


def assert_footer_on_every_page(pages: list[str], prov: Provenance, lang: str) -> None:
    for number, page in enumerate(pages, start=1):
        body = flat(page)
        for line in footer_lines(prov, lang):
            assert flat(line) in body, (number, line)
        assert t(lang, "pack.page", page=number, pages=len(pages)) in body


def test_footer_names_the_area(shipped_db: Database, tmp_path: Path) -> None:
    pages, prov = make_pack(shipped_db, Selection("2009", ("10", "12"), "sv"), tmp_path)
    assert_footer_on_every_page(pages, prov, "sv")
    area = "Område: Valda landskap (Södra Savolax, Norra Karelen)"
    assert all(area in flat(page) for page in pages)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("region", ["10", "11", "12"])
def test_pack_of_each_region_in_each_language(
    shipped_db: Database, tmp_path: Path, region: str, lang: str
) -> None:
    """A region's pack names that region in its title and footer, gives its figures as text, and
    says nothing of the other regions."""
    selection = Selection("2009", (region,), lang)
    pages, prov = make_pack(shipped_db, selection, tmp_path)
    text = flat("\n".join(pages))
    names = dict(shipped_db.run("regions", lang=lang)[["region_code", "region"]].values)
    assert text.startswith(flat(t(lang, "pack.title", area=names[region])))
    for row in build_table(shipped_db, "artu_adoption", selection).to_dict("records"):
        assert f"{row['region']}: " in text
        assert format_n_of_N(row["n"], row["responses"], lang) in text
    for workshop in build_table(shipped_db, "workshops", selection)["region"]:
        assert workshop == names[region] and workshop in text
    assert not any(name in text for code, name in names.items() if code != region)
    assert_footer_on_every_page(pages, prov, lang)


def test_pack_of_one_region_in_finnish(shipped_db: Database, tmp_path: Path) -> None:
    pages, _ = make_pack(shipped_db, Selection("2009", ("12",), "fi"), tmp_path)
    text = flat("\n".join(pages))
    assert text.startswith("Turvallisuussuunnittelun tilannekuva: Pohjois-Karjala")
    assert "Pohjois-Karjala: valmis 1/14, aloitettu 6/14, aloittamatta 7/14 (N = 14)." in text
    assert "Työkokous, Pohjois-Karjala: 24.9.2009" in text


def test_fictional_filtered_pack_says_so_and_has_the_worklist(
    shipped_db: Database, tmp_path: Path
) -> None:
    selection = Selection("esimerkki", ("10",), "en", artu="in_use")
    pages, _ = make_pack(shipped_db, selection, tmp_path)
    assert t("en", "banner.fictional") in flat(pages[0])
    assert all("FICTIONAL EXAMPLE" in page for page in pages)
    text = flat("\n".join(pages))
    assert "ARTU: in use" in text
    assert t("en", "pack.worklist_title") in text
    for name in build_table(shipped_db, "worklist", selection)["municipality_name"]:
        assert flat(name).split(" (")[0] in text
    assert "examples/esimerkki.csv" not in text


def test_fonts_are_embedded(shipped_db: Database, tmp_path: Path) -> None:
    selection = Selection("2009", (), "sv")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack_data(shipped_db, selection)[0])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    listed = fonts.stdout.splitlines()[2:]
    assert len(listed) == 2  # DejaVu Sans and its bold face, nothing else
    assert all("DejaVuSans" in line and " yes yes yes " in line for line in listed)


def test_data_text_stays_text(data_copy: Path, tmp_path: Path) -> None:
    """A note with markup characters prints as written, not as Paragraph markup."""
    notes = data_copy / "data_notes.csv"
    with notes.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["note_fi"] = "<b>lihava</b> & <img src=x> ..."
    with notes.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    pages, _ = make_pack(Database(data_copy), Selection("2009", (), "fi"), tmp_path)
    assert "<b>lihava</b> & <img src=x> ..." in flat("\n".join(pages))


def test_pack_through_the_cli(tmp_path: Path) -> None:
    target = tmp_path / "es.pdf"
    result = cli_in_process(
        "pack", "--wave", "2009", "--region", "10", "--lang", "sv", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(target.read_bytes(), tmp_path)
    assert flat(pages[0]).startswith("Lägesbild över säkerhetsplaneringen: Södra Savolax")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pack", "--wave", "1999", "-o", "x.pdf"], "unknown wave: 1999"),
        (["pack", "--wave", "2009", "--region", "99", "-o", "x.pdf"], "unknown region: 99"),
        (["pack", "-o", "x.pdf"], "pack: --wave is required"),
    ],
)
def test_pack_bad_arguments(args: list[str], message: str, tmp_path: Path) -> None:
    result = cli_in_process(*args)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"error: {message}"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pack_marks_few_answers_and_says_what_n_is(
    shipped_db: Database, tmp_path: Path, lang: str
) -> None:
    """Issue #8: the headline figures over fewer than 5 answers carry the mark as on the page;
    under the ARTU filter the pack says what N is."""
    selection = Selection("esimerkki-2012", ("12",), lang, artu="in_use")
    text = flat("\n".join(make_pack(shipped_db, selection, tmp_path)[0]))
    for row in build_table(shipped_db, "key_figures", selection).to_dict("records"):
        assert row["few_answers"]
        n_of_n = format_n_of_N(row["n"], row["responses"], lang)
        assert f"{n_of_n} {t(lang, 'few_answers.mark')}" in text
    # under the headline figures, and after each line of the status and ARTU figures' text,
    # as on the page (figures.make): Pohjois-Karjala twice (one region: no total, issue #21)
    assert text.count(flat(t(lang, "few_answers.text"))) == 1 + 2
    artu = t(lang, "artu_filter.in_use")
    assert flat(t(lang, "artu_filter.base", filter=artu)) in text
    many = flat("\n".join(make_pack(shipped_db, Selection("2009", (), lang), tmp_path)[0]))
    assert t(lang, "few_answers.mark") not in many


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pack_says_what_n_counts_as_the_page_does(
    shipped_db: Database, tmp_path: Path, lang: str
) -> None:
    selection = Selection(EXAMPLE_2014, KARELIA, lang)
    prov = provenance_of(shipped_db, selection, EXTRACTED)
    text = flat("\n".join(pdf_pages(pack_bytes(shipped_db, selection, prov), tmp_path)))
    # The caption beside every regional figure on the page (ui.counts_text), word for word.
    assert flat(t(lang, "caption.counts_response")) in text
    assert flat(OLD_BASE_TEXTS[lang]) not in text


NATIONAL = "2025-kansallinen"
WORKLIST_IDS = TABLES["worklist"].column_ids


@pytest.fixture(scope="module")
def national_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data and a valid nationwide wave, imported: every municipality of the 2025
    register answered by all three respondent types (924 rows), sent to all of Finland."""
    folder = copy_data_folder(tmp_path_factory.mktemp("national") / "data")
    rows = 3 * len(load_register().municipalities_of(2025))
    result = import_responses(wave_csv(NATIONAL, rows, 2025), folder, area="koko-suomi")
    assert result.ok, [problem.message("en") for problem in result.all_problems()[:3]]
    return folder


@pytest.fixture(scope="module")
def national_db(national_folder: Path) -> Database:
    return Database(national_folder)


def test_nationwide_pack_of_all_regions(national_db: Database, tmp_path: Path) -> None:
    """Issue #22: 19 regions × 3 bars are taller than a page, and the pack ended in ReportLab's
    LayoutError. Now every chart is on the pages in parts by region, every region's figures are
    in the text, and the worklist runs over pages under its header row."""
    selection = Selection(NATIONAL, (), "fi")
    prov = provenance(national_db, selection)
    data = pack_bytes(national_db, selection, prov)
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data, tmp_path)
    text = flat("\n".join(pages))
    assert text.startswith(flat(t("fi", "pack.title", area=area_name("koko-suomi", "fi"))))
    for key in (
        "pack.headline",
        "pack.status_title",
        "figure.title_map",  # issue #18: the map of all Finland's 308 municipalities
        "pack.scope_title",
        "pack.artu_title",
        "pack.workshops_title",
        "pack.worklist_title",
        "pack.notes_title",
    ):
        assert t("fi", key) in text, key
    regions = build_table(national_db, "measure_shares", selection)["region"].unique()
    assert len(regions) == 20  # the 19 regions of 2025 and the total
    for region in regions:
        assert f"{region}: valmis " in text, region  # the status figures as text
        assert f"{region}: ARTU " in text, region
    assert_footer_on_every_page(pages, prov, "fi")
    # The worklist runs over pages, each under its header row (the column names).
    columns = display_frame(TABLES["worklist"], pd.DataFrame(columns=WORKLIST_IDS), "fi").columns
    header = [columns[WORKLIST_IDS.index(name)] for name in ("region", "sub_region", "reasons")]
    worklist = build_table(national_db, "worklist", selection)
    first = next(n for n, page in enumerate(pages) if t("fi", "pack.worklist_title") in page)
    last = next(n for n, page in enumerate(pages) if t("fi", "pack.notes_title") in page)
    assert last - first >= 5  # 288 of the 308 municipalities, a dozen on a page
    for page in pages[first : last + 1]:
        assert all(name in page for name in header)
    assert worklist["municipality_name"].iloc[-1] in pages[last]


def test_nationwide_pack_of_one_region_through_the_cli(
    national_folder: Path, tmp_path: Path
) -> None:
    target = tmp_path / "uusimaa.pdf"
    result = cli_in_process(
        "pack",
        "--wave",
        NATIONAL,
        "--region",
        "01",
        "--lang",
        "sv",
        "-o",
        str(target),
        data_dir=national_folder,
    )
    assert (result.returncode, result.stderr) == (0, b"")
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    text = flat("\n".join(pdf_pages(data, tmp_path)))
    assert text.startswith("Lägesbild över säkerhetsplaneringen: Nyland")
    for key in ("pack.status_title", "pack.artu_title", "pack.worklist_title"):
        assert t("sv", key) in text
    assert "Egentliga Finland" not in text  # another region's name


def test_a_tall_chart_is_drawn_in_parts_that_fit_a_page(national_db: Database) -> None:
    """The status chart of 19 regions in parts by region, each at its natural size (legible) and
    within a page; a chart that fits stays one image."""
    selection = Selection(NATIONAL, (), "en")
    shares = build_table(national_db, "measure_shares", selection)
    status = make("status", lambda name: shares, "en", "count").chart
    parts = chart_images(status)
    # as few as fit half a page each (a part shares its page with a heading, the key figures or
    # another part): the legend and the axis take room in each
    assert 3 <= len(parts) <= 6
    for image in parts:
        assert image.height <= CHART_HEIGHT and image.width <= FRAME_WIDTH
        assert image.height >= 0.99 * image.natural_height  # hardly scaled down
    one_region = shares[shares["region_code"] == "01"]
    assert len(chart_images(make("status", lambda name: one_region, "en", "count").chart)) == 1


def failing_pack(*args: object) -> bytes:
    raise RuntimeError("the layout broke\nTraceback (most recent call last)")


def test_a_pack_that_fails_is_one_line_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(pack, "pack_bytes", failing_pack)
    target = tmp_path / "x.pdf"
    assert cli.main(["pack", "--wave", "2009", "-o", str(target)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: the meeting pack of wave 2009 could not be made: "
        "RuntimeError: the layout broke\\u000aTraceback (most recent call last)"
    ]
    assert not target.exists()


class Page:
    """Records what meeting_pack draws: its messages and its button."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.button: dict[str, Any] = {}

    def error(self, body: str, **options: object) -> None:
        self.errors.append(body)

    def download_button(self, label: str, **options: Any) -> None:
        self.button = {"label": label, **options}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_pack_that_fails_in_the_app_is_one_message_on_the_page(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, lang: str
) -> None:
    """The click's download fails; its rerun (the button's callback, then the page) shows one
    error in the UI language, without the exception; the traceback goes to the server log."""
    from tilannekuva.web import download_buttons, store
    from tilannekuva.web.ui import View

    monkeypatch.setattr(pack, "pack_bytes", failing_pack)
    selection = Selection("2009", ("10",), lang)
    view = View(lang, selection, store.names(lang).by_id["2009"], store.area(selection))
    clicked = Page()
    download_buttons.meeting_pack(view, clicked)
    assert clicked.errors == []
    with caplog.at_level(logging.ERROR, logger="tilannekuva"), pytest.raises(RuntimeError):
        clicked.button["data"]()  # Streamlit's download thread
    clicked.button["on_click"]()  # the click's rerun, before the page
    rerun, later = Page(), Page()
    download_buttons.meeting_pack(view, rerun)
    download_buttons.meeting_pack(view, later)
    assert rerun.errors == [t(lang, "pack.failed")]
    assert "layout broke" not in rerun.errors[0]
    assert rerun.button["key"] == "download_meeting_pack"  # the button stays, to try again
    assert later.errors == []  # said once
    [record] = [r for r in caplog.records if r.name.startswith("tilannekuva")]
    assert record.exc_info is not None and "layout broke" in str(record.exc_info[1])


def test_a_pack_that_is_made_shows_no_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from tilannekuva.web import download_buttons, store
    from tilannekuva.web.ui import View

    monkeypatch.setattr(pack, "pack_bytes", lambda *args: b"%PDF-")
    selection = Selection("2009", (), "fi")
    view = View("fi", selection, store.names("fi").by_id["2009"], store.area(selection))
    clicked, rerun = Page(), Page()
    download_buttons.meeting_pack(view, clicked)
    assert clicked.button["data"]() == b"%PDF-"
    clicked.button["on_click"]()
    download_buttons.meeting_pack(view, rerun)
    assert rerun.errors == []


def test_a_pack_made_again_is_the_same_but_for_when_it_was_made(shipped_db: Database) -> None:
    """What lets this module's tests share a pack of the shipped data (pack_data): nothing goes
    into it but the data, the selection and the provenance, and the PDF's own record of when it
    was made: Typst writes the clock's time to the second, and an instance id for that making
    (in the XMP metadata and the file's /ID). Everything else is the same bytes."""
    selection = Selection("2009", (), "fi")
    first, prov = pack_data(shipped_db, selection)
    made_again = pack_bytes(shipped_db, selection, prov)
    making = re.compile(
        rb"D:\d{14}Z"  # /CreationDate, /ModDate
        rb"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)?"  # XMP's dates
        rb"|<xmpMM:InstanceID>[^<]*<"
        rb"|/ID\[\([^)]*\)\([^)]*\)\]"
    )
    assert len(making.findall(made_again)) >= 4
    assert making.sub(b"", made_again) == making.sub(b"", first)
