"""The map (issue #18): its table against the tables it must agree with, its colours and legend,
its text alternative, the page in every language and the command line's image."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from bench.waves import wave_csv
from tests.helpers import (
    cli_in_process,
    copy_data_folder,
    file_text,
    open_page,
    page_text,
    response,
    start_app,
)
from tilannekuva import borders, map_chart
from tilannekuva.charts import inline_spec
from tilannekuva.db import Database
from tilannekuva.filters import municipality_address
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.importer import import_responses
from tilannekuva.register import load_register
from tilannekuva.tables import Selection, build_table

EXAMPLE = "esimerkki-2014"
WAVE_2026 = "2026-kartta"
# Real 2026 codes: Mikkeli (10), Kuopio (11), Joensuu (12).
ANSWERS_2026 = [
    response("municipality", "491", "ready", region_code="10", wave=WAVE_2026),
    response("municipality", "297", "started", region_code="11", wave=WAVE_2026),
    response("municipality", "167", "not_started", region_code="12", wave=WAVE_2026),
]


def map_rows(db: Database, wave: str, measure: str, **selection: object) -> pd.DataFrame:
    frame = build_table(db, "map_municipalities", Selection(wave, **selection))
    return frame[frame["measure"] == measure].reset_index(drop=True)


def register_codes(year: int, regions: tuple[str, ...]) -> set[str]:
    rows = load_register()
    return {
        row.code for row in rows.municipalities if row.year == year and row.region_code in regions
    }


@pytest.fixture(scope="module")
def folder_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data with a wave of the 2026 classification in the three regions."""
    data = copy_data_folder(tmp_path_factory.mktemp("map") / "data")
    result = import_responses(file_text(*ANSWERS_2026).encode("utf-8"), data)
    assert result.ok, [problem.message("en") for problem in result.all_problems()]
    return data


def test_the_2009_map_draws_every_municipality_of_the_three_regions_with_its_region_s_share(
    shipped_db: Database,
) -> None:
    rows = map_rows(shipped_db, "2009", "plan_ready")
    assert set(rows["municipality_code"]) == register_codes(2009, ("10", "11", "12"))
    assert len(rows) == 54
    shares = build_table(shipped_db, "measure_shares", Selection("2009", total=False))
    ready = shares[shares["measure"] == "plan_ready"].set_index("region_code")
    for code, group in rows.groupby("region_code"):
        assert set(group["n"]) == {ready.loc[code, "n"]}
        assert set(group["responses"]) == {ready.loc[code, "responses"]}
    # A regional table has no municipality answers: no category is made up for them.
    assert rows["value"].isna().all()
    assert rows.groupby("region_code").size().to_dict() == {"10": 17, "11": 23, "12": 14}


def test_a_response_wave_s_map_agrees_with_the_municipalities_and_coverage_tables(
    shipped_db: Database,
) -> None:
    chosen = build_table(shipped_db, "municipalities", Selection(EXAMPLE)).set_index(
        "municipality_code"
    )
    status = map_rows(shipped_db, EXAMPLE, "plan_status").set_index("municipality_code")
    for code, row in status.iterrows():
        expected = chosen.loc[code, "plan_status"] if code in chosen.index else "not_answered"
        assert row["value"] == (expected if isinstance(expected, str) else "unknown"), code
    coverage = build_table(shipped_db, "plan_coverage", Selection(EXAMPLE)).set_index(
        "municipality_code"
    )
    mapped = map_rows(shipped_db, EXAMPLE, "coverage").set_index("municipality_code")
    assert mapped["value"].to_dict() == coverage["coverage"].to_dict()
    answered = map_rows(shipped_db, EXAMPLE, "answered").set_index("municipality_code")
    assert {code for code, value in answered["value"].items() if value == "true"} == set(
        chosen.index
    )


def test_under_the_artu_filter_the_others_are_outside_it_never_a_no(
    shipped_db: Database,
) -> None:
    every = map_rows(shipped_db, EXAMPLE, "plan_status")
    using = map_rows(shipped_db, EXAMPLE, "plan_status", artu="in_use")
    artu = build_table(shipped_db, "municipalities", Selection(EXAMPLE)).set_index(
        "municipality_code"
    )["artu_in_use"]
    for row in using.itertuples():
        answer = artu.get(row.municipality_code)
        in_use = answer is not None and not pd.isna(answer) and bool(answer)
        assert (row.value != "filtered_out") == in_use, row.municipality_code
    assert len(using) == len(every)


@pytest.mark.parametrize(
    ("share", "fi"),
    [(0.0, "0–19,9\xa0%"), (0.1999, "0–19,9\xa0%"), (0.2, "20–39,9\xa0%"), (1.0, "80–100\xa0%")],
)
def test_a_share_falls_into_its_stated_class(share: float, fi: str) -> None:
    assert map_chart.share_class(share, "fi") == fi
    assert fi in map_chart.share_domain("fi")


def test_an_unknown_share_is_its_own_class_never_the_lowest() -> None:
    assert map_chart.share_class(None, "fi") == t("fi", "map.value_unknown")


def legend(spec: dict) -> tuple[list[str], list[str]]:
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    return scale["domain"], scale["range"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_category_has_its_own_named_swatch(shipped_db: Database, lang: str) -> None:
    frame = build_table(shipped_db, "map_municipalities", Selection(EXAMPLE, (), lang))
    for measure in map_chart.measures_of(frame):
        chart, lines = map_chart.figure(frame, measure, lang)
        domain, colours = legend(chart.to_dict())
        assert len(set(domain)) == len(domain) and len(set(colours)) == len(colours)
        data = map_chart.map_data(frame, measure, lang)
        assert set(data.rows["category"]) <= set(domain), measure
        # "No answer" is a swatch of its own when a municipality has none.
        if (data.rows["value"] == "not_answered").any():
            assert t(lang, "map.value_not_answered") in domain
        assert len(lines) == data.rows["region_code"].nunique()


def test_the_text_alternative_counts_each_region_s_municipalities(shipped_db: Database) -> None:
    frame = build_table(shipped_db, "map_municipalities", Selection(EXAMPLE))
    data = map_chart.map_data(frame, "plan_status", "fi")
    lines = map_chart.alternative(data, "Suunnitelman tila", "fi")
    for line, (region, rows) in zip(lines, data.rows.groupby("region", sort=False), strict=True):
        assert line.startswith(f"{region} ({len(rows)} kuntaa): ")
        counts = rows["category"].value_counts()
        for category, n in counts.items():
            assert f"{category} {n}" in line


def test_a_real_wave_is_drawn_from_its_year_s_borders_a_fictional_one_as_tiles(
    shipped_db: Database,
) -> None:
    real = build_table(shipped_db, "map_municipalities", Selection("2009"))
    spec = inline_spec(map_chart.figure(real, "plan_ready", "fi")[0])
    layers = spec["layer"]
    assert layers[0]["data"]["format"] == {"type": "topojson", "feature": "municipalities"}
    assert layers[0]["data"]["values"]["type"] == "Topology"
    assert layers[1]["data"]["format"]["feature"] == "regions"
    assert '["10", "11", "12"]' in layers[1]["transform"][0]["filter"]
    fictional = build_table(shipped_db, "map_municipalities", Selection(EXAMPLE))
    tiles = json.dumps(inline_spec(map_chart.figure(fictional, "plan_status", "fi")[0]))
    assert "topojson" not in tiles and "Topology" not in tiles


def test_a_municipality_on_the_map_links_to_its_page(shipped_db: Database) -> None:
    frame = build_table(shipped_db, "map_municipalities", Selection("2009", (), "sv"))
    spec = inline_spec(map_chart.figure(frame, "plan_ready", "sv")[0])
    values = spec["layer"][0]["transform"][0]["from"]["data"]["values"]
    assert {row["href"] for row in values} == {
        municipality_address("sv", "2009", code) for code in frame["municipality_code"]
    }
    assert spec["layer"][0]["encoding"]["href"] == {"field": "href", "type": "nominal"}


def shape_counts(svg: str) -> list[int]:
    """The number of shapes in each geoshape layer of a Vega SVG."""
    counts = []
    for match in re.finditer(r'<g class="mark-shape role-mark[^>]*>', svg):
        rest = svg[match.end() :]
        counts.append(rest[: rest.find("</g>")].count("<path"))
    return counts


def test_the_command_line_draws_the_54_municipalities_of_2009(tmp_path: Path) -> None:
    out = tmp_path / "kartta.svg"
    done = cli_in_process(
        "map", "--wave", "2009", "--measure", "plan_ready", "--format", "svg", "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    assert shape_counts(svg)[0] == 54
    assert "Maanmittauslaitos" in svg or "FinnONTO" in svg  # the borders' source, in the image


def test_a_2026_wave_draws_the_43_municipalities_of_the_three_regions(
    folder_2026: Path, tmp_path: Path
) -> None:
    out = tmp_path / "kartta.png"
    args = (
        "map",
        "--wave",
        WAVE_2026,
        "--measure",
        "plan_status",
        "--format",
        "png",
        "-o",
        str(out),
    )
    done = cli_in_process(*args, data_dir=folder_2026)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
    svg_out = tmp_path / "kartta.svg"
    svg_args = (*args[:-4], "--format", "svg", "-o", str(svg_out))
    assert cli_in_process(*svg_args, data_dir=folder_2026).returncode == 0
    assert shape_counts(svg_out.read_text(encoding="utf-8"))[0] == 43
    assert len(register_codes(2026, ("10", "11", "12"))) == 43


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--wave", "2009", "--measure", "plan_status"), "unknown measure for wave 2009"),
        (("--wave", "ei-ole", "--measure", "plan_ready"), "unknown wave: ei-ole"),
        (("--wave", "2009", "--region", "99", "--measure", "plan_ready"), "unknown region: 99"),
    ],
)
def test_an_unknown_measure_wave_or_region_is_one_line_and_exit_2(
    args: tuple[str, ...], message: str
) -> None:
    done = cli_in_process("map", *args, "--format", "svg")
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert done.stdout == b""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("wave", ["2009", EXAMPLE])
def test_the_map_page_in_every_language(lang: str, wave: str) -> None:
    app = open_page("map.py", lang=lang, wave=wave)
    text = page_text(app)
    assert app.title[0].value == t(lang, "map.title")
    if wave == "2009":
        assert t(lang, "map.regional_note") in text
        assert "FinnONTO" in text or "Maanmittauslaitos" in text
    else:
        assert t(lang, "map.fictional_note") in text
    assert app.selectbox(key="measure").value == ("plan_ready" if wave == "2009" else "plan_status")
    assert len(app.get("vega_lite_chart")) == 1


def test_the_measure_is_kept_in_the_address_and_an_unknown_one_is_dropped() -> None:
    app = open_page("map.py", lang="fi", wave=EXAMPLE, measure="coverage")
    assert app.selectbox(key="measure").value == "coverage"
    assert app.query_params["measure"] == ["coverage"] or app.query_params["measure"] == "coverage"
    # 2009 is a regional table: no coverage. Said on the first run, as every dropped value is.
    first = start_app(lang="fi", wave="2009", measure="coverage")
    assert any("measure=coverage" in warning.body for warning in first.warning)
    dropped = first.switch_page("app_pages/map.py").run()
    assert dropped.selectbox(key="measure").value == "plan_ready"


def test_a_view_s_borders_are_its_regions_only_with_the_arcs_they_use() -> None:
    """The browser gets the borders of the view's regions, not all of Finland's (issue #18)."""
    whole = borders.topology(2009)
    cut = borders.named_topology(borders.data_name(2009, ("12", "10"), borders.MUNICIPALITIES))
    assert cut is not None
    codes = [g["properties"]["code"] for g in cut["objects"]["municipalities"]["geometries"]]
    assert set(codes) == register_codes(2009, ("10", "12")) and len(codes) == 17 + 14
    assert [g["properties"]["code"] for g in cut["objects"]["regions"]["geometries"]] == [
        "10",
        "12",
    ]
    indices = {
        index if index >= 0 else ~index
        for objects in cut["objects"].values()
        for geometry in objects["geometries"]
        for index in borders._arc_indices(geometry)
    }
    assert indices == set(range(len(cut["arcs"])))  # every arc used, every index in range
    assert len(cut["arcs"]) < len(whole["arcs"]) / 3
    # Each kept arc is one of the whole's, unchanged (the same points, the same transform).
    assert all(arc in whole["arcs"] for arc in cut["arcs"])
    assert cut["transform"] == whole["transform"]
    assert borders.named_topology("borders_2009_10_unknown") is None


NATIONAL = "2025-kartta"


@pytest.fixture(scope="module")
def national_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A nationwide wave: every municipality of the 2025 register, sent to all of Finland."""
    folder = copy_data_folder(tmp_path_factory.mktemp("national-map") / "data")
    rows = len(load_register().municipalities_of(2025))
    result = import_responses(wave_csv(NATIONAL, rows, 2025), folder, area="koko-suomi")
    assert result.ok, [problem.message("en") for problem in result.all_problems()[:3]]
    return folder


def test_a_nationwide_wave_s_map_draws_all_finland(
    national_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(national_folder)
    frame = build_table(db, "map_municipalities", Selection(NATIONAL))
    rows = frame[frame["measure"] == "plan_status"]
    assert len(rows) == len(load_register().municipalities_of(2025)) == 308
    spec = inline_spec(map_chart.figure(frame, "plan_status", "fi")[0])
    topology = spec["layer"][0]["data"]["values"]
    assert len(topology["objects"]["municipalities"]["geometries"]) == 308
    assert len(topology["objects"]["regions"]["geometries"]) == 19
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(national_folder))
    for lang in LANGUAGES:
        app = open_page("map.py", lang=lang, wave=NATIONAL)
        assert app.sidebar.selectbox(key="wave").value == NATIONAL
        assert len(app.get("vega_lite_chart")) == 1
        regions = [line for line in page_text(app).splitlines() if line.startswith("- ")]
        assert len(regions) >= 19  # the text alternative: a line for each region


def test_given_rows_colour_each_municipality_by_its_own_answer(two_rounds: Database) -> None:
    """Given rows (conftest's two_rounds, 2025): Mikkeli's plan is ready, Juva's not started,
    Enonkoski did not answer; approval does not apply to a plan not started, a blank is unknown;
    a yes/no measure carries the region's n/N beside each municipality's answer."""
    frame = two_rounds.run(
        "map_municipalities",
        wave="w2",
        regions=[],
        lang="fi",
        artu="all",
    )
    assert len(frame[frame["measure"] == "plan_status"]) == len(
        load_register().municipalities_of(2025, ["10"])
    )

    def value(measure: str, code: str) -> tuple:
        row = frame[(frame["measure"] == measure) & (frame["municipality_code"] == code)]
        return tuple(
            None if pd.isna(v) else v for v in row[["value", "n", "responses", "share"]].iloc[0]
        )

    assert value("plan_status", "491") == ("ready", None, None, None)
    assert value("plan_status", "178") == ("not_started", None, None, None)
    assert value("plan_status", "046") == ("not_answered", None, None, None)
    assert value("council_approved", "178") == ("not_asked", 0, 2, 0.0)
    assert value("council_approved", "491") == ("unknown", 0, 2, 0.0)
    assert value("artu_in_use", "491") == ("true", 1, 2, 1 / 2)
    assert value("artu_in_use", "178") == ("unknown", 1, 2, 1 / 2)
