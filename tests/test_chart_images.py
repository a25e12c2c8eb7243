"""Charts as PNG and SVG: rendered offline, with a footer that names the source, the wave, the
filters and the base; made only when a button is clicked."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
from PIL import Image
from playwright.sync_api import Locator, Page
from streamlit.testing.v1 import AppTest

from tests import helpers
from tests.browser import (
    open_menu,
    settled,
    wait_for_run,
)
from tests.helpers import EXAMPLE_2014, KARELIA, OLD_BASE_TEXTS
from tilannekuva import charts
from tilannekuva.chart_images import image_footer, png_bytes, svg_bytes, with_footer
from tilannekuva.config import PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.provenance import HELSINKI, Provenance
from tilannekuva.tables import Selection, build_table
from tilannekuva.web import download_buttons

EXTRACTED = datetime(2026, 11, 28, 9, 30, tzinfo=HELSINKI)
FIGURES = ["Etelä-Savo: valmis 6/17, aloitettu 7/17, aloittamatta 4/17 (N = 17)."]


def provenance_of(
    db: Database, wave: str, regions: tuple[str, ...], lang: str = "fi", artu: str = "all"
) -> Provenance:
    return helpers.provenance_of(db, Selection(wave, regions, lang, artu=artu), EXTRACTED)


def joined(footer: list[str]) -> str:
    return " ".join(line.strip() for line in footer)


@pytest.fixture
def status_chart(shipped_db: Database) -> dict:
    shares = build_table(shipped_db, "measure_shares", Selection("2009", ("10",), "fi"))
    return charts.status_chart(shares, "fi", percent=False, description="x").to_dict()


def test_footer_names_source_wave_filters_base_and_figures(shipped_db: Database) -> None:
    footer = image_footer(provenance_of(shipped_db, "2009", ("10",)), "fi", FIGURES)
    text = joined(footer)
    assert footer[0].startswith("Lähde: Parempaan sisäiseen turvallisuuteen")
    assert "Paikallisen turvallisuussuunnittelun tilannekysely 2009" in text
    assert "Alue: Etelä-Savo" in text and "ARTU: ei rajausta" in text
    assert "Poimittu 28.11.2026 klo 09.30" in text
    assert "N = maakunnan vastausten määrä" in text
    assert "aloittamatta 4/17" in text
    assert all(len(line) <= 100 for line in footer)


def test_footer_of_a_fictional_filtered_wave(shipped_db: Database) -> None:
    prov = provenance_of(shipped_db, "esimerkki", (), "en", artu="in_use")
    footer = image_footer(prov, "en", [])
    assert footer[0] == "FICTIONAL EXAMPLE"
    text = joined(footer)
    assert "Area: Eastern Finland" in text  # the area the example round pretends to cover
    assert "ARTU: in use" in text
    assert "N = the region's municipalities" in text
    assert "examples/" not in text  # a file path is no source to a reader


def test_footer_is_added_without_changing_the_chart(status_chart: dict) -> None:
    spec = with_footer(status_chart, ["a", "b"])
    assert spec["title"]["text"] == ["a", "b"] and spec["title"]["orient"] == "bottom"
    assert "title" not in status_chart


def test_png_is_a_png_and_the_footer_adds_height(status_chart: dict) -> None:
    bare = Image.open(io.BytesIO(png_bytes(status_chart, [])))
    image = Image.open(io.BytesIO(png_bytes(status_chart, ["Lähde: x", "Maakunnat: y", "z"])))
    assert image.format == "PNG"
    assert image.height > bare.height + 40  # three lines of footer at twice the size


def test_svg_carries_the_footer_and_the_figures_as_text(
    shipped_db: Database, status_chart: dict
) -> None:
    footer = image_footer(provenance_of(shipped_db, "2009", ("10",), "sv"), "sv", FIGURES)
    svg = svg_bytes(status_chart, footer).decode("utf-8")
    assert svg.startswith("<svg")
    assert "Etelä-Savo" in svg  # the bar's region label
    assert "Område: Södra Savolax" in svg  # the footer, in Swedish
    assert "Källa:" in svg


def test_downloads_are_made_only_when_clicked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page run draws the image, workbook and pack buttons but makes no bytes for them (issue
    #8: never on every rerun)."""
    calls: list[str] = []

    def counting(chart: object, footer: object) -> bytes:
        calls.append("render")
        return b""

    monkeypatch.setattr(download_buttons, "png_bytes", counting)
    monkeypatch.setattr(download_buttons, "svg_bytes", counting)
    monkeypatch.setattr(download_buttons, "workbook_bytes", counting)
    monkeypatch.setattr("tilannekuva.pack.pack_bytes", counting)
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    overview_labels = [button.proto.label for button in app.get("download_button")]
    app = app.switch_page("app_pages/compare.py").run()
    assert not app.exception
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels.count(t("fi", "chart_image.png")) == labels.count(t("fi", "chart_image.svg")) == 2
    assert t("fi", "download.xlsx") in labels
    assert t("fi", "pack.download") in overview_labels
    assert calls == []


@pytest.mark.browser
def test_the_new_downloads_in_a_real_browser(server: str, page: Page) -> None:
    """The callables behind the .xlsx, image and pack buttons run only in a real server (in a
    thread of their own): click each in Debian's chromium and read what arrives. On the shared
    server (tests/conftest.py: a copy of the shipped data) in the module's tab."""
    page.goto(f"{server}/?lang=sv&wave=esimerkki&region=10&artu=in_use")
    wait_for_run(page)
    name, pdf = clicked(page, page.get_by_role("button", name=t("sv", "pack.download")))
    assert name == "fiktiv_lagesenkat_esimerkki_motesmaterial_10_artu_i_bruk.pdf"
    assert pdf.startswith(b"%PDF")
    # One download menu per table (issue #21): opened, then its workbook chosen.
    button = open_menu(page, "download_menu_key_figures", "download_xlsx_key_figures")
    name, xlsx = clicked(page, button)
    assert name == "fiktiv_lagesenkat_esimerkki_nyckeltal_10_artu_i_bruk.xlsx"
    about = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[1]
    assert about["A1"].value == "FIKTIVT EXEMPEL"
    page.goto(f"{server}/compare?lang=fi")
    settled(page)
    # One image menu per chart (issue #21): each opened, then its PNG chosen.
    menus = page.get_by_role("button", name=t("fi", "chart_image.menu"))
    png = page.get_by_role("button", name=t("fi", "chart_image.png"))
    menus.first.click()
    name, image = clicked(page, png.first)
    # The chart in the file name is Finnish, like the rest of it (was "status_counts").
    assert name == "tilannekysely_2009_kaavio_suunnitelmien_tila_lukumaarat_10-12.png"
    assert Image.open(io.BytesIO(image)).format == "PNG"
    page.keyboard.press("Escape")
    menus.nth(1).click()
    second, _ = clicked(page, png.first)
    assert second != name  # two charts of one page never share a file name


def clicked(page: Page, button: Locator) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.suggested_filename, info.value.path().read_bytes()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_image_footer_says_what_n_counts_as_the_page_does(
    shipped_db: Database, lang: str
) -> None:
    prov = provenance_of(shipped_db, EXAMPLE_2014, KARELIA, lang)
    footer = " ".join(line.strip() for line in image_footer(prov, lang, []))
    assert t(lang, "caption.counts_response") in footer
    assert OLD_BASE_TEXTS[lang] not in footer


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_regional_table_s_base_is_unchanged(shipped_db: Database, lang: str) -> None:
    prov = provenance_of(shipped_db, "2009", KARELIA, lang)
    footer = " ".join(line.strip() for line in image_footer(prov, lang, []))
    assert t(lang, "prov.base_region") in footer
    assert t(lang, "caption.counts_response") not in footer


def test_an_image_has_a_heading_above_the_chart(status_chart: dict) -> None:
    """Issue #21: a chart's PNG had no title; cut out of its page it did not say what it shows."""
    from tilannekuva.chart_images import image_heading

    heading = image_heading("status", "fi", "Itä-Suomi")
    assert heading == "Turvallisuussuunnitelmien tila – Itä-Suomi"
    spec = with_footer(status_chart, ["a"], heading)
    assert spec["vconcat"][0]["title"]["text"] == [heading] and spec["title"]["text"] == ["a"]
    svg = svg_bytes(status_chart, ["Lähde: x"], heading).decode("utf-8")
    assert heading in svg and "Lähde: x" in svg
    plain = Image.open(io.BytesIO(png_bytes(status_chart, ["Lähde: x"])))
    titled = Image.open(io.BytesIO(png_bytes(status_chart, ["Lähde: x"], heading)))
    assert titled.height > plain.height + 30 and titled.width >= plain.width


def test_every_figure_has_an_image_heading_in_every_language() -> None:
    from tilannekuva.figures import FIGURES
    from tilannekuva.i18n import LANGUAGES

    for lang in LANGUAGES:
        for name in FIGURES:
            assert t(lang, f"figure.title_{name}") != f"figure.title_{name}", (lang, name)
