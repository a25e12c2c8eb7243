"""The download buttons of download_buttons.py as Streamlit is asked to draw them: label, file
name, type, key and icon follow the view, and each button's bytes are made by its own renderer
when clicked (a place that records the calls stands in for Streamlit)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from tilannekuva.db import Database
from tilannekuva.i18n import t
from tilannekuva.tables import TABLES, Selection, build_table
from tilannekuva.web import download_buttons, store
from tilannekuva.web.ui import View
from tilannekuva.workbook import XLSX_MIME


class Place:
    """Records the download buttons drawn in it, and in the containers made in it."""

    def __init__(self) -> None:
        self.buttons: dict[str, dict[str, Any]] = {}
        self.menus: dict[str, str] = {}  # key: label of each menu (st.popover) made in it

    def popover(self, label: str, **options: Any) -> Place:
        self.menus[options["key"]] = label
        return self

    def download_button(self, label: str, **options: Any) -> None:
        self.buttons[options["key"]] = {"label": label, **options}


def example_view(lang: str, regions: tuple[str, ...], artu: str) -> View:
    wave = store.names(lang).by_id["esimerkki"]
    selection = Selection("esimerkki", regions, lang, artu=artu)
    return View(lang, selection, wave, store.area(selection))


def drawn(button: dict[str, Any]) -> tuple[object, ...]:
    """What the user sees of a button and the file it gives, without its bytes."""
    return tuple(button.get(part) for part in ("label", "file_name", "mime", "type", "icon"))


def test_chart_image_buttons_follow_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download_buttons, "png_bytes", lambda chart, *rest: b"png " + chart)
    monkeypatch.setattr(download_buttons, "svg_bytes", lambda chart, *rest: b"svg " + chart)
    place = Place()
    view = example_view("sv", ("10",), "in_use")
    download_buttons.chart_images(view, place, lambda: b"chart", ["a", "b"])
    download_buttons.chart_images(view, place, lambda: b"status chart", ["a"], name="status")
    name = "fiktiv_lagesenkat_esimerkki_diagram_{}_10_artu_i_bruk.{}"
    png, svg = t("sv", "chart_image.png"), t("sv", "chart_image.svg")
    assert {key: drawn(button) for key, button in place.buttons.items()} == {
        "chart_png_7e18f737": (
            png,
            name.format("7e18f737", "png"),
            "image/png",
            None,
            ":material/image:",
        ),
        "chart_svg_7e18f737": (
            svg,
            name.format("7e18f737", "svg"),
            "image/svg+xml",
            None,
            ":material/image:",
        ),
        "chart_png_status": (
            png,
            name.format("status", "png"),
            "image/png",
            None,
            ":material/image:",
        ),
        "chart_svg_status": (
            svg,
            name.format("status", "svg"),
            "image/svg+xml",
            None,
            ":material/image:",
        ),
    }
    # Each button renders with its own renderer, the chart made at the click.
    assert place.buttons["chart_png_status"]["data"]() == b"png status chart"
    assert place.buttons["chart_svg_status"]["data"]() == b"svg status chart"
    assert place.buttons["chart_svg_7e18f737"]["data"]() == b"svg chart"
    assert all(button["on_click"] == "ignore" for button in place.buttons.values())
    assert {button["help"] for button in place.buttons.values()} == {t("sv", "chart_image.help")}


def test_pack_and_workbook_buttons_follow_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Selection] = []
    monkeypatch.setattr(download_buttons, "workbook_bytes", lambda spec, *rest: spec.name.encode())
    monkeypatch.setattr(
        "tilannekuva.pack.pack_bytes", lambda db, selection, prov: made.append(selection) or b"pdf"
    )
    place = Place()
    view = example_view("fi", ("11", "12"), "all")
    download_buttons.meeting_pack(view, place)
    spec = TABLES["key_figures"]
    download_buttons.workbook(view, place, spec, pd.DataFrame(), file_name="a.xlsx", key="xlsx_k")
    assert {key: drawn(button) for key, button in place.buttons.items()} == {
        "download_meeting_pack": (
            t("fi", "pack.download"),
            "kuvitteellinen_tilannekysely_esimerkki_kokousaineisto_11+12.pdf",
            "application/pdf",
            "primary",
            ":material/picture_as_pdf:",
        ),
        "xlsx_k": (t("fi", "download.xlsx"), "a.xlsx", XLSX_MIME, None, ":material/table_view:"),
    }
    assert place.buttons["download_meeting_pack"]["help"] == t("fi", "pack.download_help")
    assert place.buttons["xlsx_k"]["help"] == t("fi", "download.help_xlsx")
    assert place.buttons["xlsx_k"]["data"]() == b"key_figures"
    assert made == []  # nothing is made before the click
    assert place.buttons["download_meeting_pack"]["data"]() == b"pdf"
    assert made == [view.selection]


def test_chart_image_files_name_the_chart_in_the_ui_language() -> None:
    """The images were named by the figures' code names (``status_counts``) in every language;
    the widget keys keep the code names."""
    from tilannekuva.web.ui import figure_file_word

    place = Place()
    view = example_view("sv", ("10",), "in_use")
    detail = figure_file_word("sv", "status", "percent")
    download_buttons.chart_images(
        view, place, lambda: b"", ["a"], name="status_percent", detail=detail
    )
    button = place.buttons["chart_png_status_percent"]
    assert (
        button["file_name"]
        == "fiktiv_lagesenkat_esimerkki_diagram_planernas_lage_procent_10_artu_i_bruk.png"
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_chart_has_a_file_word_safe_in_a_file_name(shipped_db: Database, lang: str) -> None:
    """Every figure, with every mode a page shows it in: the comparison's counts and percent,
    and each measure the trends page offers (the measures of the trends table)."""
    import re

    from tilannekuva.figures import FIGURES
    from tilannekuva.filters import MODES
    from tilannekuva.web.ui import figure_file_word

    trend = build_table(shipped_db, "trends", Selection("esimerkki-2014", (), lang))
    modes = {"status": MODES, "trends": tuple(dict.fromkeys(trend["measure"]))}
    assert len(modes["trends"]) == 6
    words = [
        figure_file_word(lang, name, mode) for name in FIGURES for mode in modes.get(name, ("",))
    ]
    assert all(re.fullmatch(r"[a-z0-9_]+", word) for word in words), words
    assert len(set(words)) == len(words)
