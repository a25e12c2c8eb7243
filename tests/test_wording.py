"""What the files and the pages say about the shipped fictional example rounds (a user probe): N is
the region's municipalities that ANSWERED (Pohjois-Karjala has four municipalities in the 2014
example register, N = 3), said in the meeting pack and the chart images as on the screen; the N
column is named for both levels; and a wave is named by its title or year, never by its id."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import provenance_of
from tests.test_pack import flat, pdf_pages
from tilannekuva import figures, key_figure_change, trend_chart
from tilannekuva.chart_images import image_footer
from tilannekuva.config import PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.pack import pack_bytes
from tilannekuva.provenance import HELSINKI
from tilannekuva.tables import TABLES, Selection, build_table, titled_waves

EXTRACTED = datetime(2026, 12, 4, 12, 0, tzinfo=HELSINKI)
WAVE = "esimerkki-2014"
PREVIOUS = "esimerkki-2012"
KARELIA = ("12",)  # Pohjois-Karjala: 4 municipalities in the 2014 register, 3 answered

# The old footer text said N is every municipality of the region; none of these may come back.
ALL_MUNICIPALITIES = {
    "fi": "N = maakunnan kuntien määrä",
    "sv": "N = antalet kommuner i landskapet",
    "en": "N = the region's municipalities,",
}


def titles_of(db: Database, lang: str) -> dict[str, str]:
    waves = titled_waves(db.run("waves", lang=lang), lang)
    return dict(zip(waves["wave_id"], waves["title"], strict=True))


def test_the_example_counts_the_municipalities_that_answered(shipped_db: Database) -> None:
    """The case of the probe: N = 3 in Pohjois-Karjala, not the register's 4."""
    figures_2014 = build_table(shipped_db, "key_figures", Selection(WAVE, KARELIA, "fi"))
    assert set(figures_2014["responses"]) == {3}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pack_says_what_n_counts_as_the_page_does(
    shipped_db: Database, tmp_path: Path, lang: str
) -> None:
    selection = Selection(WAVE, KARELIA, lang)
    prov = provenance_of(shipped_db, selection, EXTRACTED)
    text = flat("\n".join(pdf_pages(pack_bytes(shipped_db, selection, prov), tmp_path)))
    # The caption beside every regional figure on the page (ui.counts_text), word for word.
    assert flat(t(lang, "ux.caption_counts_response")) in text
    assert flat(ALL_MUNICIPALITIES[lang]) not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_image_footer_says_what_n_counts_as_the_page_does(
    shipped_db: Database, lang: str
) -> None:
    prov = provenance_of(shipped_db, Selection(WAVE, KARELIA, lang), EXTRACTED)
    footer = " ".join(line.strip() for line in image_footer(prov, lang, []))
    assert t(lang, "ux.caption_counts_response") in footer
    assert ALL_MUNICIPALITIES[lang] not in footer


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_regional_table_s_base_is_unchanged(shipped_db: Database, lang: str) -> None:
    prov = provenance_of(shipped_db, Selection("2009", KARELIA, lang), EXTRACTED)
    footer = " ".join(line.strip() for line in image_footer(prov, lang, []))
    assert t(lang, "prov.base_region") in footer
    assert t(lang, "ux.caption_counts_response") not in footer


@pytest.mark.parametrize(
    ("lang", "header"),
    [("fi", "N (vastanneet)"), ("sv", "N (svarande)"), ("en", "N (respondents)")],
)
@pytest.mark.parametrize("wave", ["2009", WAVE])
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
    frame = build_table(shipped_db, "key_figures", Selection(WAVE, KARELIA, "en"))
    assert excel_fi_bytes(TABLES["key_figures"], frame, "en").decode("utf-8") == (
        "\ufeffRegion code;Region;Measure;n;N (respondents);Share, %;Few answers (N < 5)\r\n"
        ";Selected regions total;Plan ready;2;3;66,7;yes\r\n"
        ";Selected regions total;Approved by the council;2;3;66,7;yes\r\n"
        ";Selected regions total;Published;2;3;66,7;yes\r\n"
        ";Selected regions total;ARTU tool in use;1;3;33,3;yes\r\n"
    )
    # The UTF-8 CSV keeps the column ids: its header does not change with the label.
    header = csv_utf8_bytes(TABLES["key_figures"], frame).decode("utf-8").splitlines()[0]
    assert header == "region_code,region,measure,n,responses,share_percent,few_answers"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_change_caption_names_the_previous_wave_by_its_title(
    shipped_db: Database, lang: str
) -> None:
    change = build_table(shipped_db, "key_figure_change", Selection(WAVE, KARELIA, lang))
    title = titles_of(shipped_db, lang)[PREVIOUS]
    # Without titles (as the overview page calls it) the loaded data's titles are used.
    for deltas in (
        key_figure_change.metric_deltas(change, lang),
        key_figure_change.metric_deltas(change, lang, titles_of(shipped_db, lang)),
    ):
        caption = deltas["plan_ready"].caption
        assert caption == t(lang, "trends.delta_caption", previous=title, n_previous="1/3", n="2/3")
        assert PREVIOUS not in caption


def test_the_overview_names_the_previous_wave_by_its_title() -> None:
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    for key, value in {"wave": WAVE, "region": "12", "lang": "sv"}.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    captions = [c.value for c in app.caption]
    expected = "Förändring från föregående omgång – Exempelomgång 2012 (fiktiv): 1/3 → 2/3."
    assert expected in captions
    assert not any(PREVIOUS in caption for caption in captions)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_trend_text_names_the_waves_by_year(shipped_db: Database, lang: str) -> None:
    trend = build_table(shipped_db, "trends", Selection(WAVE, KARELIA, lang))
    figure = figures.make("trends", lambda name: trend, lang, "plan_ready")
    region = shipped_db.run("regions", lang=lang).set_index("region_code").loc["12", "region"]
    assert figure.alternative[0].startswith(f"{region}: 2010 0/2 (")
    assert not any("esimerkki" in line for line in figure.alternative)
    tooltips = figure.chart.to_dict()["spec"]["layer"][3]["encoding"]["tooltip"]
    assert tooltips[0] == {
        "field": "year",
        "format": "d",
        "title": t(lang, "col.year"),
        "type": "quantitative",
    }


def test_two_waves_of_one_year_keep_their_ids() -> None:
    rows = pd.DataFrame(
        {"wave_id": ["a-2010", "b-2010", "c", "c"], "year": [2010, 2010, 2012, 2012]}
    )
    assert trend_chart.wave_labels(rows) == {
        "a-2010": "2010 (a-2010)",
        "b-2010": "2010 (b-2010)",
        "c": "2012",
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_left_out_wave_is_named_by_its_title(shipped_db: Database, lang: str) -> None:
    """The shipped example "esimerkki" has no year: the trends page names it by its title."""
    trend_waves = build_table(shipped_db, "trend_waves", Selection(WAVE, (), lang))
    titles = titles_of(shipped_db, lang)
    note = trend_chart.left_out_note(trend_waves, titles, lang)
    assert note == t(lang, "trends.left_out", waves=titles["esimerkki"])
    assert trend_chart.left_out_note(trend_waves[trend_waves["in_trend"]], titles, lang) is None


def open_trends(**query: str) -> AppTest:
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    return app.switch_page("app_pages/trends.py").run()


def test_the_trends_page_names_the_left_out_wave_by_its_title() -> None:
    app = open_trends(wave=WAVE, lang="en")
    assert not app.exception, [e.message for e in app.exception]
    info = app.info[0].body
    assert "Fictional example data" in info
    assert ": esimerkki." not in info


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_artu_note_on_a_fictional_trend(shipped_db: Database, lang: str) -> None:
    """A fictional trend never has the real 2009 table: no note that it is left out."""
    trend_waves = build_table(shipped_db, "trend_waves", Selection(WAVE, (), lang))
    assert trend_chart.artu_note(trend_waves, "in_use", lang) is None
    real = build_table(shipped_db, "trend_waves", Selection("2009", (), lang))
    assert trend_chart.artu_note(real, "in_use", lang) == t(lang, "trends.artu_note")
    assert trend_chart.artu_note(real, "all", lang) is None


def test_the_trends_page_has_no_artu_note_on_a_fictional_wave() -> None:
    app = open_trends(wave=WAVE, lang="fi", artu="in_use")
    assert not app.exception, [e.message for e in app.exception]
    assert t("fi", "trends.artu_note") not in [c.value for c in app.caption]
