"""Chart specs: colour-blind-safe colours, numbers in the UI language, a description for screen
readers, and a blank source cell never drawn as a bar."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tilannekuva import charts, figures
from tilannekuva.db import Database
from tilannekuva.exports import csv_utf8_bytes
from tilannekuva.i18n import t
from tilannekuva.tables import TABLES, Selection, build_table

OKABE_ITO = set(charts.OKABE_ITO.values())


def spec_of(chart) -> dict:
    return chart.to_dict()


def colours_in(spec: dict) -> set[str]:
    text = json.dumps(spec)
    return {colour for colour in OKABE_ITO if colour in text}


@pytest.fixture
def shares(shipped_db: Database):
    return build_table(shipped_db, "measure_shares", Selection("2009", (), "fi"))


def test_status_chart_uses_okabe_ito_labels_and_the_finnish_locale(shares) -> None:
    spec = spec_of(charts.status_chart(shares, "fi", percent=True, description="kuvaus"))
    assert spec["description"] == "kuvaus"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["percent"] == "\u00a0%"
    ranges = [layer["encoding"]["color"]["scale"]["range"] for layer in spec["layer"][:1]]
    assert set(ranges[0]) <= OKABE_ITO
    rows = next(iter(spec["datasets"].values()))
    assert {row["label"] for row in rows if row["region"] == "Etelä-Savo"} == {
        "35,3\u00a0%",
        "41,2\u00a0%",
        "23,5\u00a0%",
    }


def test_english_charts_use_decimal_points(shares) -> None:
    spec = spec_of(charts.share_bars(shares, "en", charts.MEASURE_COLOURS, description="d"))
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    rows = next(iter(spec["datasets"].values()))
    assert "5/17 · 29.4%" in {row["label"] for row in rows}


def test_blank_scope_cell_is_drawn_as_dots_not_as_a_bar(shipped_db: Database) -> None:
    scope = build_table(shipped_db, "planning_scope", Selection("2009", (), "fi"))
    spec = spec_of(charts.scope_chart(scope, "fi", description="d"))
    layers = spec["layer"]
    bars, missing = layers[0], layers[-1]
    assert bars["mark"]["type"] == "bar"
    assert bars["transform"] == [{"filter": "datum.known"}]
    assert missing["transform"] == [{"filter": "!datum.known"}]
    assert missing["encoding"]["text"] == {"field": "label", "type": "nominal"}
    rows = next(iter(spec["datasets"].values()))
    unknown = [row for row in rows if not row["known"]]
    assert {(row["region"], row["scope"]) for row in unknown} == {
        ("Pohjois-Savo", "province_wide"),
        ("Pohjois-Karjala", "province_wide"),
        ("Itä-Suomi yhteensä", "province_wide"),
    }
    assert all(row["n"] is None for row in unknown)


def test_timeline_keeps_month_periods_as_months(shipped_db: Database) -> None:
    selection = Selection("2009", (), "fi")
    milestones = build_table(shipped_db, "workshop_milestones", selection)
    workshops = build_table(shipped_db, "workshops", selection)
    spec = spec_of(charts.timeline_chart(milestones, workshops, "fi", description="d"))
    datasets = list(spec["datasets"].values())
    periods = next(rows for rows in datasets if "end" in rows[0])
    assert periods[0]["start"].startswith("2009-05-01") and periods[0]["end"].startswith(
        "2009-06-01"
    )
    assert colours_in(spec)


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_every_figure_is_its_chart_with_the_same_figures_as_text(
    shipped_db: Database, waves_2026_db: Database, name: str
) -> None:
    # The example wave has every table but the workshop calendar, which 2009 has, and the other
    # questions, which only a wave of the proposed 2026 questionnaire has.
    wave = {"timeline": "2009", "other_answers": "2026-ps"}.get(name, "esimerkki")
    db = waves_2026_db if name == "other_answers" else shipped_db
    selection = Selection(wave, (), "en")
    figure = figures.make(name, lambda table: build_table(db, table, selection), "en")
    assert figure.alternative and all(isinstance(line, str) for line in figure.alternative)
    assert spec_of(figure.chart)["description"] == " ".join(figure.alternative)


def test_status_figure_draws_the_total_only_in_percent_but_always_says_it(shares) -> None:
    for percent in (False, True):
        figure = figures.status(shares, "fi", percent=percent)
        drawn = {row["region"] for row in next(iter(spec_of(figure.chart)["datasets"].values()))}
        assert ("Itä-Suomi yhteensä" in drawn) is percent
        assert figure.alternative[-1].startswith("Itä-Suomi yhteensä: valmis 16/44")
    assert figure.alternative[0] == (
        "Etelä-Savo: valmis 6/17, aloitettu 7/17, aloittamatta 4/17 (N = 17)."
    )


def test_shares_are_drawn_as_the_fractions_the_table_holds_labelled_in_per_cent(shares) -> None:
    """Issue #20: the chart draws the share 0..1 as SQL gives it; only its axis labels say
    "20 %"."""
    assert shares["share"].between(0, 1).all()
    spec = spec_of(charts.share_bars(shares, "fi", charts.MEASURE_COLOURS, description="d"))
    x = spec["layer"][0]["encoding"]["x"]
    assert (x["field"], x["scale"]["domain"]) == ("share", [0, 1])
    assert x["axis"]["labelExpr"] == "format(datum.value * 100, 'd') + '\u00a0%'"


def _layers_by_filter(spec: dict) -> dict[str, dict]:
    return {layer["transform"][0]["filter"]: layer for layer in spec["layer"]}


@pytest.mark.parametrize("percent", [False, True])
def test_bar_labels_neither_overlap_nor_leave_the_plot(shipped_db: Database, percent) -> None:
    """Issue #8: on the example wave with ARTU in use, a stacked segment of 0 printed its "0"
    over the next figure, and labels after a long bar ran past the plot. Now each figure has a
    bar of its own (side by side, never stacked), and a label sits inside a bar at least half the
    axis long, after a shorter one, so it ends within the plot."""
    selection = Selection("esimerkki", (), "fi", artu="in_use")
    shares = build_table(shipped_db, "measure_shares", selection)
    for chart in (
        charts.status_chart(shares, "fi", percent=percent, description="d"),
        charts.share_bars(shares, "fi", charts.MEASURE_COLOURS, description="d"),
    ):
        spec = spec_of(chart)
        first = spec["layer"][0]
        assert "yOffset" in first["encoding"] and "stack" not in first["encoding"]["x"]
        domain_max = first["encoding"]["x"]["scale"]["domain"][1]
        layers = _layers_by_filter(spec)
        assert layers["datum.inside"]["mark"]["align"] == "right"
        assert layers["datum.known && !datum.inside"]["mark"]["align"] == "left"
        rows = next(iter(spec["datasets"].values()))
        value = first["encoding"]["x"]["field"]
        assert rows and all(
            row["inside"] == (row[value] is not None and row[value] >= domain_max / 2)
            for row in rows
        )
        assert all(row[value] is None or row[value] <= domain_max for row in rows)


def test_heatmap_labels_are_whole(shipped_db: Database) -> None:
    """Issue #8: the row labels and the "Itä-Suomi yhteensä" header were cut."""
    answers = build_table(shipped_db, "yes_no_answers", Selection("esimerkki", (), "fi"))
    spec = spec_of(charts.item_heatmap(figures.theme_rows(answers), "fi", description="d"))
    x = spec["layer"][0]["encoding"]["x"]
    y = spec["layer"][0]["encoding"]["y"]
    assert x["axis"]["labelLimit"] == 0 and x["axis"]["labelAngle"] == 0
    assert y["axis"]["labelLimit"] == 0
    rows = next(iter(spec["datasets"].values()))
    assert "Itä-Suomi yhteensä" in {row["region"] for row in rows}
    assert max(len(line) for row in rows for line in row["item_lines"].split("|")) <= 40


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_heatmap_fits_a_phone_by_wrapping_its_labels(shipped_db: Database, lang: str) -> None:
    """Issue #8 at 390 px: the heatmap's labels left four columns of about 14 px. Question labels
    wrap at ITEM_WRAP characters and region headers at REGION_WRAP (a longer single word stays
    whole), and the headers are lifted by their extra lines so none runs into the grid."""
    answers = build_table(shipped_db, "yes_no_answers", Selection("esimerkki", (), lang))
    spec = spec_of(charts.item_heatmap(figures.theme_rows(answers), lang, description="d"))
    rows = next(iter(spec["datasets"].values()))

    def fits(text: str, width: int) -> bool:
        return all(len(line) <= width or " " not in line for line in text.split("|"))

    assert all(fits(row["item_lines"], charts.ITEM_WRAP) for row in rows)
    assert all(fits(row["region_lines"], charts.REGION_WRAP) for row in rows)
    assert all(row["item_lines"].replace("|", " ") == row["item_label"] for row in rows)
    x = spec["layer"][0]["encoding"]["x"]
    assert x["field"] == "region_lines"
    tallest = max(row["region_lines"].count("|") + 1 for row in rows)
    assert x["axis"]["labelPadding"] >= (tallest - 1) * x["axis"]["labelLineHeight"]


def test_a_region_with_no_matching_municipality_stays(shipped_db: Database) -> None:
    """Issue #8: with ARTU in use on the example wave, Pohjois-Karjala (no municipality with ARTU
    in use) vanished from the comparison, then showed 0/0. It stays with 0 of all its
    municipalities: the ARTU filter narrows n, never N (the same base as without the filter)."""
    selection = Selection("esimerkki", (), "fi", artu="in_use")
    shares = build_table(shipped_db, "measure_shares", selection)
    karelia = shares[shares["region_code"] == "12"].set_index("measure")
    unfiltered = build_table(shipped_db, "measure_shares", Selection("esimerkki", (), "fi"))
    base = set(unfiltered.loc[unfiltered["region_code"] == "12", "responses"])
    assert list(karelia["n"]) == [0] * 6 and set(karelia["responses"]) == base
    assert base and min(base) > 0 and set(karelia["share"]) == {0.0}
    drawn = next(
        iter(spec_of(figures.status(shares, "fi", percent=False).chart)["datasets"].values())
    )
    assert "Pohjois-Karjala" in {row["region"] for row in drawn}
    status = build_table(shipped_db, "region_status", selection)
    assert "12" in set(status["region_code"])


def test_one_region_keeps_the_all_regions_total_as_a_benchmark(shipped_db: Database) -> None:
    """Issue #8: with one region selected the comparison lost the total of all regions. It has
    no total of its own (issue #21: that only repeated the region under another name)."""
    one = build_table(shipped_db, "measure_shares", Selection("2009", ("11",), "fi"))
    every = build_table(shipped_db, "measure_shares", Selection("2009", (), "fi"))
    assert list(one["region_code"].unique()) == ["11", "total_all"]
    benchmark = one[one["region_code"] == "total_all"].reset_index(drop=True)
    total = every[every["region_code"] == "total"].reset_index(drop=True)
    assert benchmark.drop(columns="region_code").equals(total.drop(columns="region_code"))
    assert "total_all" not in set(every["region_code"])  # all regions: the total is the one
    drawn = spec_of(figures.status(one, "fi", percent=True).chart)
    assert "Itä-Suomi yhteensä" in {r["region"] for r in next(iter(drawn["datasets"].values()))}


def test_a_share_over_few_answers_is_marked_in_text_chart_and_file(shipped_db: Database) -> None:
    """Issue #8: a share over fewer than 5 answers carries a visible mark, as statistical
    offices flag small numbers."""
    selection = Selection("esimerkki-2012", (), "fi")  # 4, 4 and 3 municipalities
    shares = build_table(shipped_db, "measure_shares", selection)
    few = shares.set_index("region_code")["few_answers"]
    assert bool(few[["10", "11", "12"]].all()) and not bool(few["total"].any())
    figure = figures.make("measures", lambda name: build_table(shipped_db, name, selection), "fi")
    rows = next(iter(spec_of(figure.chart)["datasets"].values()))
    marked = {row["region"] for row in rows if row["label"].endswith("(N < 5)")}
    assert marked == {"Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala"}
    text = {line.split(":")[0]: line for line in figure.alternative}
    assert text["Pohjois-Savo"].endswith(t("fi", "few_answers.text"))
    assert not text["Itä-Suomi yhteensä"].endswith(t("fi", "few_answers.text"))
    plain = csv_utf8_bytes(TABLES["measure_shares"], shares).decode("utf-8").splitlines()
    assert plain[0].endswith(",few_answers")
    assert plain[7] == "11,Pohjois-Savo,plan_ready,2,4,50.0,true"


def test_a_time_without_an_end_keeps_the_sources_precision(shipped_db: Database) -> None:
    """Issue #8: "beginning of June 2009" was stored as 1.6.–30.6.2009, so the files showed an
    end no source gives and the chart drew all of June. It has no end in the data and the files,
    and is drawn as where it begins, with the source's words."""
    selection = Selection("2009", (), "fi")
    milestones = build_table(shipped_db, "workshop_milestones", selection)
    early = milestones[milestones["precision"] == "early_month"].iloc[0]
    assert str(early["period_start"])[:10] == "2009-06-01" and pd.isna(early["period_end"])
    plain = csv_utf8_bytes(TABLES["workshop_milestones"], milestones).decode("utf-8")
    assert "programme_invitations,2009-06-01,,early_month" in plain
    workshops = build_table(shipped_db, "workshops", selection)
    spec = spec_of(charts.timeline_chart(milestones, workshops, "fi", description="d"))
    periods = next(rows for rows in spec["datasets"].values() if "open" in rows[0])
    drawn_open = [row for row in periods if row["open"]]
    assert [row["label"] for row in drawn_open] == ["kesäkuun alussa 2009"]
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    assert bars["transform"] == [{"filter": "!datum.open"}]


def test_a_count_axis_has_whole_ticks(shipped_db: Database) -> None:
    """A count axis up to 2 (one region of the 2012 example) read "0 1 1 2 2" in the meeting
    pack: the ticks fell at halves and the format rounded them."""
    shares = build_table(shipped_db, "measure_shares", Selection("esimerkki-2012", ("12",), "fi"))
    scope = build_table(shipped_db, "planning_scope", Selection("esimerkki-2012", ("12",), "fi"))
    for chart in (
        charts.status_chart(shares, "fi", percent=False, description="d"),
        charts.scope_chart(scope, "fi", description="d"),
    ):
        x = spec_of(chart)["layer"][0]["encoding"]["x"]
        top = int(x["scale"]["domain"][1])
        assert x["axis"]["format"] == "d" and x["axis"]["values"] == list(range(top + 1))


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_bars_follow_the_legends_order(shipped_db: Database, lang: str) -> None:
    """Issue #21: the target page's legend said not started, started; its bars came started,
    not started (the table's order)."""
    selection = Selection("2009", (), lang)
    frame = build_table(shipped_db, "target_group", selection)
    figure = figures.target(frame, lang)
    spec = spec_of(figure.chart)
    first = spec["layer"][0]["encoding"]
    legend = first["color"]["sort"]
    assert legend == [t(lang, "measure.plan_not_started"), t(lang, "measure.plan_started")]
    assert first["yOffset"]["sort"] == legend


def test_a_wrong_chart_still_fails_where_the_page_makes_its_spec() -> None:
    """charts.py turns off Altair's check of each schema object as it is made (issue #20 item
    7); the spec is still checked whole where the page makes it (Streamlit's converter, as
    store._figure calls it), so a wrong chart is never drawn."""
    import altair as alt
    from altair.utils import schemapi

    from tilannekuva.web import internals

    assert schemapi.DEBUG_MODE is False
    wrong = alt.Chart(pd.DataFrame({"n": [1]})).mark_bar(size="leveä").encode(x="n:Q")
    with pytest.raises(schemapi.SchemaValidationError):
        internals.vega_lite_spec(wrong)
    with pytest.raises(schemapi.SchemaValidationError):
        wrong.to_dict()
