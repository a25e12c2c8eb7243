"""Trends over waves and the overview's change since the previous comparable wave (issue #7 item
6), against a data folder with several waves: the shipped 2009 table (responses) and example,
two real response-level waves (municipalities), a real wave without a year, and two fictional
rounds with years."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, expect

from tests.browser import (
    SCREENSHOTS,
    axe_violations,
    new_context,
    save_window,
    serious,
    streamlit_server,
    wait_for_run,
)
from tests.helpers import (
    EXAMPLE_2012,
    EXAMPLE_2014,
    KARELIA,
    copy_data_folder,
    open_page,
    records,
    response,
    stored_text,
    titles_of,
)
from tilannekuva import figures, key_figure_change, trend_chart
from tilannekuva.db import Database
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.tables import TABLES, Selection, build_table
from tilannekuva.workbook import counting_rule

WAVE_ROWS = {
    # wave id: (year, folder, fictional)
    "2011": ("2011", "responses", "false"),
    "2013": ("2013", "responses", "false"),
    "esim-2010": ("2010", "examples", "true"),
    "esim-2012": ("2012", "examples", "true"),
}
# Region 10's plan status per wave, one answer per municipality 001.. (ready / started / not).
STATUSES = {
    "2011": ["ready", "ready", "started", "not_started"],  # ready 2/4
    "2013": ["ready", "ready", "ready", "started"],  # ready 3/4
    "uusi": ["ready"],  # no row in waves.csv and no year in its id
    "esim-2010": ["ready", "not_started"],  # ready 1/2
    "esim-2012": ["ready", "ready"],  # ready 2/2
}
FOLDERS = {"uusi": "responses"} | {wave: row[1] for wave, row in WAVE_ROWS.items()}


@pytest.fixture(scope="module")
def waves_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data with the waves above added: its own multi-wave data folder in tmp. The
    shipped fictional rounds (esimerkki-2010…) are taken out, so that the fictional trend is the
    test's own. One for the module: no test changes it (18 tests made it and loaded it again,
    issue #20 item 7)."""
    data_copy = tmp_path_factory.mktemp("trends") / "data"
    copy_data_folder(data_copy)
    for shipped in (data_copy / "examples").glob("esimerkki-*.csv"):
        shipped.unlink()
    waves_csv = data_copy / "waves.csv"
    kept = [
        line
        for line in waves_csv.read_text("utf-8").splitlines(True)
        if not line.startswith("esimerkki-")
    ]
    waves_csv.write_text("".join(kept), encoding="utf-8")
    with (data_copy / "waves.csv").open("a", encoding="utf-8") as waves:
        for wave, (year, _, fictional) in WAVE_ROWS.items():
            classification = "" if fictional == "true" else year
            waves.write(f"{wave},K {wave},O {wave},W {wave},{year},{classification},")
            waves.write("municipalities,,response,")
            # Sent to Itä-Suomi like 2009, so that the totals are over one area (a change of
            # area breaks them too: tests/test_areas.py).
            waves.write(f"{fictional},s,ita-suomi,\n")
    for wave, statuses in STATUSES.items():
        rows = [
            response("municipality", f"00{index}", status, wave=wave, region_code="10")
            for index, status in enumerate(statuses, start=1)
        ]
        folder = data_copy / FOLDERS[wave]
        folder.mkdir(exist_ok=True)
        (folder / f"{wave}.csv").write_text(stored_text(*rows), encoding="utf-8")
    return data_copy


@pytest.fixture(scope="module")
def db(waves_folder: Path) -> Database:
    return Database(waves_folder)


def trend_of(db: Database, wave: str, measure: str = "plan_ready") -> list[tuple]:
    trend = build_table(db, "trends", Selection(wave, ("10",), "fi", total=False))
    rows = trend[trend["measure"] == measure]
    return records(rows[["wave_id", "year", "unit", "segment", "n", "total_n"]])


def test_a_real_trend_orders_real_waves_by_year_and_breaks_where_the_unit_changes(
    db: Database,
) -> None:
    # 2009 counts responses (6 of 17 in Etelä-Savo), the response-level waves municipalities.
    assert trend_of(db, "2013") == [
        ("2009", 2009, "responses", 1, 6, 17),
        ("2011", 2011, "municipalities", 2, 2, 4),
        ("2013", 2013, "municipalities", 2, 3, 4),
    ]
    # Every wave of the trend, whichever wave is selected: the same real waves for 2009.
    assert trend_of(db, "2009") == trend_of(db, "2013")


def test_the_total_rows_follow_the_same_waves(db: Database) -> None:
    trend = build_table(db, "trends", Selection("2013", (), "fi"))
    total = trend[(trend["region_code"] == "total") & (trend["measure"] == "plan_ready")]
    assert records(total[["wave_id", "n", "total_n"]]) == [
        ("2009", 16, 44),
        ("2011", 2, 4),
        ("2013", 3, 4),
    ]
    assert list(total["region"].unique()) == [t("fi", "total.of_area", area="Itä-Suomi")]


def test_a_wave_without_a_year_is_left_out_and_named(db: Database) -> None:
    assert "uusi" not in {row[0] for row in trend_of(db, "uusi")}
    assert trend_of(db, "uusi") == trend_of(db, "2013")
    listed = build_table(db, "trend_waves", Selection("2013"))
    assert records(listed) == [
        ("2009", 2009, "responses", 1, True),
        ("2011", 2011, "municipalities", 2, True),
        ("2013", 2013, "municipalities", 2, True),
        ("uusi", None, "municipalities", None, False),
    ]


def test_fictional_and_real_waves_are_never_mixed(db: Database) -> None:
    assert trend_of(db, "esim-2012") == [
        ("esim-2010", 2010, "municipalities", 1, 1, 2),
        ("esim-2012", 2012, "municipalities", 1, 2, 2),
    ]
    # The shipped example has no year: it is named as left out of the fictional trend only.
    fictional = build_table(db, "trend_waves", Selection("esim-2010"))
    assert records(fictional[["wave_id", "in_trend"]]) == [
        ("esim-2010", True),
        ("esim-2012", True),
        ("esimerkki", False),
    ]
    assert trend_of(db, "esimerkki") == trend_of(db, "esim-2012")


def test_the_artu_filter_leaves_the_published_table_out(db: Database) -> None:
    trend = build_table(db, "trends", Selection("2013", ("10",), artu="not_in_use"))
    assert "2009" not in set(trend["wave_id"])


def change_of(db: Database, wave: str) -> pd.DataFrame:
    return build_table(db, "key_figure_change", Selection(wave, ("10",), "fi"))


def test_the_key_figures_change_since_the_previous_wave_of_the_same_unit(db: Database) -> None:
    change = change_of(db, "2013")
    ready = change[change["measure"] == "plan_ready"]
    assert records(
        ready[["previous_wave", "n_previous", "total_n_previous", "n", "total_n", "change_pp"]]
    ) == [("2011", 2, 4, 3, 4, pytest.approx(25.0))]
    assert list(change["measure"]) == [
        "plan_ready",
        "council_approved",
        "published",
        "artu_in_use",
    ]
    deltas = key_figure_change.metric_deltas(change, "fi", titles_of(db, "fi"))
    assert deltas["plan_ready"].text == "+25,0 %-yks."
    # The previous wave by its title (K 2011 in this data's waves.csv), as the sidebar names it.
    assert deltas["plan_ready"].caption == "Muutos edellisestä kierroksesta – K 2011: 2/4 → 3/4."
    # Nobody answered approval in either wave: 0/4 and 0/4 is no change, shown without an arrow.
    assert (deltas["council_approved"].text, deltas["council_approved"].arrow) == (
        "0,0 %-yks.",
        "off",
    )
    assert key_figure_change.change_note(change, "fi", titles_of(db, "fi")) is None


def test_no_change_is_computed_across_a_change_of_unit(db: Database) -> None:
    change = change_of(db, "2011")
    assert set(change["previous_wave"]) == {"2009"}
    assert change["change_pp"].isna().all()
    titles = titles_of(db, "en")
    assert key_figure_change.metric_deltas(change, "en", titles) == {}
    assert key_figure_change.change_note(change, "en", titles) == t(
        "en",
        "trends.unit_differs",
        previous="Status survey of local safety planning 2009",
        previous_unit="responses",
        unit="municipalities",
    )


@pytest.mark.parametrize("wave", ["2009", "uusi", "esimerkki", "esim-2010"])
def test_no_change_without_a_previous_comparable_wave(db: Database, wave: str) -> None:
    change = change_of(db, wave)
    assert change.empty
    titles = titles_of(db, "sv")
    assert key_figure_change.change_note(change, "sv", titles) == t("sv", "trends.no_previous")
    no_year = key_figure_change.change_note(change, "sv", titles, year_known=False)
    assert no_year == t("sv", "trends.no_year")


def test_the_overview_says_why_a_wave_without_a_year_has_no_change(
    waves_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(waves_folder))
    app = open_page("overview.py", wave="uusi", lang="sv")
    assert not any(m.delta for m in app.metric)
    assert t("sv", "trends.no_year") in [c.value for c in app.caption]


def test_the_fictional_rounds_compare_with_each_other(db: Database) -> None:
    ready = change_of(db, "esim-2012").iloc[0]
    assert (ready["previous_wave"], ready["change_pp"]) == ("esim-2010", pytest.approx(50.0))


def test_a_line_never_joins_across_a_change_of_unit_or_an_unknown_share() -> None:
    rows = pd.DataFrame(
        {"segment": [1, 1, 2, 2, 2, 3], "share": [10.0, 20.0, 30.0, None, 40.0, 50.0]}
    )
    # The unknown share is not drawn; the point after it starts a piece of its own (2), so 30 and
    # 40 are never joined over the gap.
    assert trend_chart.line_pieces(rows) == [0, 0, 1, 2, 2, 3]


def test_the_trend_figure_draws_pieces_and_marks_the_break(db: Database) -> None:
    trend = build_table(db, "trends", Selection("2013", ("10",), "en"))
    figure = figures.make("trends", lambda name: trend, "en", "plan_ready")
    spec = figure.chart.to_dict()
    data = next(iter(spec["datasets"].values()))
    points = [row for row in data if row["kind"] == "point" and row["region_code"] == "10"]
    assert [(row["year"], row["piece"], row["label"]) for row in points] == [
        (2009, 0, "6/17"),
        (2011, 1, "2/4"),
        (2013, 1, "3/4"),
    ]
    breaks = [row for row in data if row["kind"] == "break"]
    # One region: its line, and no total line repeating it (issue #21).
    assert [(row["region"], row["year"]) for row in breaks] == [("South Savo", 2010.0)]
    assert figure.alternative[0] == (
        "South Savo: 2009 6/17 (35.3%, responses); 2011 2/4 (50.0%, municipalities); "
        "2013 3/4 (75.0%, municipalities) – the selected wave."
    )
    assert [row["selected"] for row in points] == [False, False, True]
    assert figure.alternative[-1] == t(
        "en",
        "trends.text_alt_break",
        before="2009",
        after="2011",
        unit_before="responses",
        unit_after="municipalities",
    )
    assert spec["description"] == " ".join(figure.alternative)


def test_the_overview_shows_the_change_beside_each_headline_figure(
    waves_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(waves_folder))
    app = open_page("overview.py", wave="2013", region="10")
    assert not app.exception, [e.message for e in app.exception]
    ready = next(m for m in app.metric if m.label == t("fi", "measure.plan_ready"))
    assert (ready.value, ready.delta) == ("75,0\xa0%", "+25,0 %-yks.")
    assert "Muutos edellisestä kierroksesta – K 2011: 2/4 → 3/4." in [c.value for c in app.caption]
    app = open_page("overview.py", wave="2011", region="10", lang="en")
    assert not any(m.delta for m in app.metric)
    expected = t(
        "en",
        "trends.unit_differs",
        previous="Status survey of local safety planning 2009",
        previous_unit="responses",
        unit="municipalities",
    )
    assert expected in [c.value for c in app.caption]


def test_the_trends_page_shows_the_break_and_the_left_out_wave(
    waves_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(waves_folder))
    app = open_page("trends.py", wave="2013", lang="en")
    assert not app.exception, [e.message for e in app.exception]
    assert app.title[0].value == t("en", "page.trends")
    captions = [c.value for c in app.caption]
    assert t("en", "trends.break_note") in captions
    assert "uusi" in app.info[0].body
    assert "South Savo: 2009 6/17 (35.3%, responses)" in "\n".join(m.value for m in app.markdown)
    app.segmented_control(key="trends_measure").set_value("plan_not_started").run()
    assert "2011 1/4 (25.0%, municipalities)" in "\n".join(m.value for m in app.markdown)


@pytest.mark.parametrize(("wave", "shown"), [("2013", True), ("esim-2012", False)])
def test_the_artu_note_only_where_a_regional_table_is_left_out(
    waves_folder: Path, monkeypatch: pytest.MonkeyPatch, wave: str, shown: bool
) -> None:
    """The real trend of 2013 would have the 2009 table in it; the fictional one never does."""
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(waves_folder))
    app = open_page("trends.py", wave=wave, lang="sv", region="10", artu="not_in_use")
    assert not app.exception, [e.message for e in app.exception]
    assert (t("sv", "trends.artu_note") in [c.value for c in app.caption]) is shown


@pytest.mark.parametrize("name", ["trends", "key_figure_change", "trend_waves"])
def test_a_trend_workbook_states_the_trend_rule_not_one_wave_s(name: str) -> None:
    # A regional wave's rule would say N counts responses: untrue for a response-level point.
    assert counting_rule(TABLES[name], "region") == "rule.trend"


@pytest.mark.browser
def test_the_trends_page_in_chromium_is_drawn_and_axe_clean(
    browser: Browser, waves_folder: Path
) -> None:
    """A trend over several waves, in Finnish and English on one server; axe once (the structure
    does not change with the language, issue #20 item 7). In the test process's Chromium
    (tests/conftest.py), in a tab of its own."""
    found: list[str] = []
    with streamlit_server({"TILANNEKUVA_DATA_DIR": str(waves_folder)}) as base:
        # Closed whatever happens: the test process's Chromium outlives this module.
        context = new_context(browser, viewport={"width": 1400, "height": 2200})
        try:
            page = context.new_page()
            for lang in ("fi", "en"):
                page.goto(f"{base}/trends?lang={lang}&wave=2013&region=10")
                wait_for_run(page)
                heading = page.locator("h1").filter(has_text=t(lang, "page.trends")).first
                expect(heading).to_be_visible()
                chart = page.get_by_test_id("stVegaLiteChart").first
                expect(chart.locator("svg, canvas").first).to_be_visible()
                expect(page.get_by_text(t(lang, "trends.break_note"))).to_be_visible()
                assert page.get_by_test_id("stException").count() == 0
                save_window(page, SCREENSHOTS / f"trends_multiwave_{lang}.png")
                if lang == "fi":
                    found = serious(axe_violations(page))
        finally:
            context.close()
    assert found == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_change_caption_names_the_previous_wave_by_its_title(
    shipped_db: Database, lang: str
) -> None:
    change = build_table(shipped_db, "key_figure_change", Selection(EXAMPLE_2014, KARELIA, lang))
    title = titles_of(shipped_db, lang)[EXAMPLE_2012]
    deltas = key_figure_change.metric_deltas(change, lang, titles_of(shipped_db, lang))
    caption = deltas["plan_ready"].caption
    assert caption == t(lang, "trends.delta_caption", previous=title, n_previous="1/3", n="2/3")
    assert EXAMPLE_2012 not in caption


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_trend_text_names_the_waves_by_year(shipped_db: Database, lang: str) -> None:
    trend = build_table(shipped_db, "trends", Selection(EXAMPLE_2014, KARELIA, lang))
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
    trend_waves = build_table(shipped_db, "trend_waves", Selection(EXAMPLE_2014, (), lang))
    titles = titles_of(shipped_db, lang)
    note = trend_chart.left_out_note(trend_waves, titles, lang)
    assert note == t(lang, "trends.left_out", waves=titles["esimerkki"])
    assert trend_chart.left_out_note(trend_waves[trend_waves["in_trend"]], titles, lang) is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_artu_note_on_a_fictional_trend(shipped_db: Database, lang: str) -> None:
    """A fictional trend never has the real 2009 table: no note that it is left out."""
    trend_waves = build_table(shipped_db, "trend_waves", Selection(EXAMPLE_2014, (), lang))
    assert trend_chart.artu_note(trend_waves, "in_use", lang) is None
    real = build_table(shipped_db, "trend_waves", Selection("2009", (), lang))
    assert trend_chart.artu_note(real, "in_use", lang) == t(lang, "trends.artu_note")
    assert trend_chart.artu_note(real, "all", lang) is None
