"""The Data page (issue #21 item 4): the example text names the round its button opens, and the
example survey-tool exports are offered to try on the import page."""

from __future__ import annotations

from tests.helpers import open_page, page_text
from tilannekuva.datafiles import EXAMPLE_EXPORTS
from tilannekuva.i18n import t


def test_the_example_text_names_the_round_the_button_opens() -> None:
    """It said the example's figures equal the 2009 table, and its button opened
    esimerkki-2014 (8 plans ready, not 16)."""
    app = open_page("data.py", lang="en")
    app.button(key="try_example").click().run()
    opened = app.sidebar.selectbox(key="wave")
    title = opened.format_func(opened.value)
    assert opened.value == "esimerkki-2014"
    text = page_text(app)
    assert f"The button opens the round “{title}”" in text
    assert title == "Example round 2014 (fictional)"


def test_the_example_exports_are_offered_for_download() -> None:
    app = open_page("data.py", lang="fi")
    keys = {b.key for b in app.get("download_button")}
    assert {f"download_example_{name.split('-')[0]}" for name in EXAMPLE_EXPORTS} <= keys
    assert t("fi", "data.exports_text") in page_text(app)


def test_a_fictional_waves_source_is_said_in_the_ui_language(shipped_db) -> None:  # type: ignore[no-untyped-def]
    """Issue #21: the Finnish sources table said "(fictional example; register in …)", a note
    for the developers in waves.csv, half Finnish and half English."""
    from tilannekuva.tables import Selection, build_table

    for lang in ("fi", "sv", "en"):
        waves = build_table(shipped_db, "waves", Selection("2009", (), lang))
        fictional = waves[waves["fictional"]]
        assert len(fictional) >= 4
        assert set(fictional["source"]) == {t(lang, "source.fictional")}
        real = waves[~waves["fictional"]]
        assert real["source"].str.startswith("Parempaan").all()  # a citation stays as written
