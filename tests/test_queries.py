"""Each named query against given rows with expected rows (dbt jaffle-shop style), and the shipped
2009 table against the source deck, cell by cell."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import (
    EXAMPLE_2014,
    KARELIA,
    area_name,
    records,
    response,
    stored_text,
    totals,
)
from tilannekuva.db import Database, QueryError, load_queries
from tilannekuva.i18n import LANGUAGES, catalogue, t
from tilannekuva.tables import (
    TABLES,
    Column,
    Selection,
    build_table,
    query_parameters,
    run_table,
    wave_rows,
)

STATUS = "2009,10,6,7,4,5,3,5,4,3,1\n2009,11,9,3,1,6,5,1,0,3,\n2009,12,1,6,7,2,2,0,5,1,\n"


def test_region_status_filters_by_wave_and_regions(given_rows: Callable[..., Database]) -> None:
    db = given_rows(region_status=STATUS)
    rows = db.run(
        "region_status",
        artu="all",
        wave="2009",
        regions=["12", "10"],
        lang="en",
        **totals(total=False),
    )
    assert records(rows) == [
        ("10", "South Savo", 6, 7, 4, 5, 3, 5, 4, 3, 1),
        ("12", "North Karelia", 1, 6, 7, 2, 2, 0, 5, 1, None),
    ]
    no_total = totals(total=False)
    assert (
        len(db.run("region_status", artu="all", wave="2009", regions=[], lang="fi", **no_total))
        == 3
    )
    assert db.run("region_status", artu="all", wave="2010", regions=[], lang="fi", **no_total).empty


def test_total_is_unknown_where_any_part_is_unknown(given_rows: Callable[..., Database]) -> None:
    db = given_rows(region_status=STATUS)
    rows = db.run("region_status", artu="all", wave="2009", regions=[], lang="fi", **totals("Yht"))
    assert records(rows)[-1] == ("total", "Yht", 16, 16, 12, 13, 10, 6, 9, 7, None)
    with_unknown = db.run(
        "region_status", artu="all", wave="2009", regions=["10", "11"], lang="fi", **totals()
    )
    assert records(with_unknown)[-1][0] == "total" and records(with_unknown)[-1][-1] is None


def test_a_view_of_one_region_or_none_has_no_total_row(given_rows: Callable[..., Database]) -> None:
    """Issue #21: the total of one region repeated its row under another name; a view of no
    region of the wave has nothing to total (never a row of zeros)."""
    db = given_rows(region_status=STATUS)
    for regions in (["10"], ["10", "99"], ["99"]):
        rows = db.run(
            "region_status", artu="all", wave="2009", regions=regions, lang="fi", **totals()
        )
        assert "total" not in set(rows["region_code"]), regions
    assert db.run(
        "region_status", artu="all", wave="2009", regions=["99"], lang="fi", **totals()
    ).empty


def test_measure_shares_are_n_over_region_responses(given_rows: Callable[..., Database]) -> None:
    db = given_rows(region_status="2009,10,6,7,4,5,3,5,4,3,1\n2009,11,9,3,1,6,5,,0,3,\n")
    shares = db.run(
        "measure_shares", artu="all", wave="2009", regions=[], lang="fi", **totals("Yht.")
    )
    by_key = {(r.region_code, r.measure): r for r in shares.itertuples()}
    ready_10 = by_key[("10", "plan_ready")]
    # The share is the fraction itself, to the last bit (issue #20), not a per cent.
    assert (ready_10.n, ready_10.responses, ready_10.share) == (6, 17, 6 / 17)
    total_ready = by_key[("total", "plan_ready")]
    assert (total_ready.n, total_ready.responses) == (15, 30)
    assert total_ready.share == 15 / 30
    # Region 11 does not report ARTU: its share and the total are unknown, never 0.
    assert pd.isna(by_key[("11", "artu_in_use")].n)
    assert pd.isna(by_key[("11", "artu_in_use")].share)
    assert pd.isna(by_key[("total", "artu_in_use")].n)
    assert list(shares["region_code"].unique()) == ["10", "11", "total"]
    assert list(shares["measure"][:3]) == ["plan_ready", "plan_started", "plan_not_started"]


def test_share_is_unknown_when_the_base_is_unknown(given_rows: Callable[..., Database]) -> None:
    db = given_rows(region_status="2009,10,6,,4,5,3,5,4,3,1\n")
    shares = db.run(
        "measure_shares", artu="all", wave="2009", regions=["10"], lang="fi", **totals()
    )
    ready = shares[(shares.region_code == "10") & (shares.measure == "plan_ready")].iloc[0]
    assert ready.n == 6
    assert pd.isna(ready.responses) and pd.isna(ready.share)


def test_planning_scope_keeps_blank_cells_blank(given_rows: Callable[..., Database]) -> None:
    db = given_rows(region_status=STATUS)
    scope = db.run(
        "planning_scope", artu="all", wave="2009", regions=["11", "12"], lang="fi", **totals()
    )
    assert records(scope) == [
        ("11", "Pohjois-Savo", "municipal", 0),
        ("11", "Pohjois-Savo", "sub_regional", 3),
        ("11", "Pohjois-Savo", "province_wide", None),
        ("12", "Pohjois-Karjala", "municipal", 5),
        ("12", "Pohjois-Karjala", "sub_regional", 1),
        ("12", "Pohjois-Karjala", "province_wide", None),
        ("total", "T", "municipal", 5),
        ("total", "T", "sub_regional", 4),
        ("total", "T", "province_wide", None),
    ]


def test_data_notes_in_the_chosen_language(given_rows: Callable[..., Database]) -> None:
    db = given_rows(
        region_status=STATUS,
        data_notes="2009,12,in_progress_province_wide,tyhjä,tom,blank\n"
        "2009,11,in_progress_province_wide,tyhjä 2,tom 2,blank 2\n",
    )
    notes = db.run("data_notes", wave="2009", regions=["12"], lang="sv")
    assert records(notes) == [("12", "Norra Karelen", "in_progress_province_wide", "tom")]


def test_workshops_in_date_order(given_rows: Callable[..., Database]) -> None:
    db = given_rows(workshops="2009,10,2009-10-01\n2009,11,2009-09-17\n2009,12,2009-09-24\n")
    workshops = db.run("workshops", wave="2009", regions=[], lang="fi")
    assert list(workshops["region_code"]) == ["11", "12", "10"]
    assert str(workshops["workshop_date"].iloc[0].date()) == "2009-09-17"


def test_milestones_in_order_with_their_precision(given_rows: Callable[..., Database]) -> None:
    db = given_rows(
        workshop_milestones="2009,2,b,2009-06-01,2009-06-30,early_month\n"
        "2009,1,a,2009-05-01,2009-05-31,month\n"
    )
    milestones = db.run("workshop_milestones", wave="2009")
    assert list(milestones["milestone"]) == ["a", "b"]
    assert list(milestones["precision"]) == ["month", "early_month"]


def test_waves_and_regions_in_each_language(given_rows: Callable[..., Database]) -> None:
    # The regions listed are those a wave has data for (regions.csv names all of Finland).
    status = "".join(f"2009,{code},1,1,1,1,1,1,1,1,1\n" for code in ("12", "10", "11"))
    db = given_rows(region_status=status)
    assert list(db.run("regions", lang="sv")["region"]) == [
        "Södra Savolax",
        "Norra Savolax",
        "Norra Karelen",
    ]
    waves = wave_rows(db, "en")
    real = waves[~waves["fictional"].astype(bool)]
    assert records(real[["wave_id", "response_rate_percent", "level", "fictional"]]) == [
        ("2009", 70, "region", False)
    ]
    # waves.csv also describes the fictional example rounds (issue #7), newest first.
    fictional = waves[waves["fictional"].astype(bool)]
    assert list(fictional["wave_id"]) == ["esimerkki-2014", "esimerkki-2012", "esimerkki-2010"]


def test_integrity_problems_is_empty_on_the_shipped_data(shipped_db: Database) -> None:
    assert shipped_db.run("integrity_problems").empty


# The slide "Suunnittelun tilanne" of the source deck, as printed there ("-" = nil; a missing
# trailing cell = blank in the source). Columns: ready, started, not started | approved |
# published | ARTU | in progress: municipal, sub-regional, province-wide.
SOURCE_SLIDE = {
    "Etelä-Savo": "6 7 4|5|3|5|4 3 1",
    "Pohjois-Karjala": "1 6 7|2|2|-|5 1",
    "Pohjois-Savo": "9 3 1|6|5|1|- 3",
}


def _source_cells(text: str) -> list[int | None]:
    cells = [cell for group in text.split("|") for cell in group.split()]
    cells += [None] * (9 - len(cells))  # values fill from the left; the rest is blank
    return [None if cell is None else 0 if cell == "-" else int(cell) for cell in cells]


def test_shipped_table_reproduces_the_source_slide_cell_by_cell(shipped_db: Database) -> None:
    rows = shipped_db.run(
        "region_status", artu="all", wave="2009", regions=[], lang="fi", **totals(total=False)
    )
    shipped = {r[1]: list(r[2:]) for r in records(rows)}
    assert shipped == {region: _source_cells(text) for region, text in SOURCE_SLIDE.items()}


def test_the_example_wave_reproduces_the_2009_figures_except_scope(shipped_db: Database) -> None:
    """Its plan status, approval, publication and ARTU equal the deck's; the deck's scope cells do
    not add up to its 'started' column, so they are not copied (issue #3)."""
    columns = [
        "region_code",
        "plan_ready",
        "plan_started",
        "plan_not_started",
        "council_approved",
        "published",
        "artu_in_use",
    ]

    def status(wave: str) -> list[tuple]:
        rows = shipped_db.run(
            "region_status", wave=wave, regions=[], lang="fi", artu="all", **totals(total=False)
        )
        return records(rows[columns])

    assert status("esimerkki") == status("2009")
    waves = wave_rows(shipped_db, "fi").set_index("wave_id")
    assert (
        bool(waves.loc["esimerkki", "fictional"]) and waves.loc["esimerkki", "level"] == "response"
    )


def test_one_answer_per_municipality_own_then_rescue_then_police(
    given_rows: Callable[..., Database],
) -> None:
    body = stored_text(
        response("police", "001", "ready", artu_in_use="true"),
        response("rescue", "001", "started", artu_in_use="false"),
        response("police", "002", "not_started"),
        response("municipality", "003", "started", artu_in_use="true"),
        response("police", "003", "ready", artu_in_use="false"),
    )
    db = given_rows(responses={"w": body})
    no_total = totals(total=False)
    rows = db.run("region_status", wave="w", regions=[], lang="fi", artu="all", **no_total)
    assert records(rows[["plan_ready", "plan_started", "plan_not_started", "artu_in_use"]]) == [
        (0, 2, 1, 1)
    ]
    in_use = db.run("region_status", wave="w", regions=[], lang="fi", artu="in_use", **no_total)
    assert records(in_use[["plan_started", "artu_in_use"]]) == [(1, 1)]
    not_in_use = db.run(
        "region_status", wave="w", regions=[], lang="fi", artu="not_in_use", **no_total
    )
    assert records(not_in_use[["plan_started", "plan_not_started"]]) == [(1, 0)]
    assert db.run(
        "region_status", wave="2009", regions=[], lang="fi", artu="in_use", **no_total
    ).empty


@pytest.mark.parametrize("wave", ["2009", "esimerkki"])
@pytest.mark.parametrize("name", [name for name, spec in TABLES.items() if spec.build is None])
def test_every_sql_header_declares_the_columns_the_query_returns(
    shipped_db: Database, name: str, wave: str
) -> None:
    """The header is the table's contract (dbt's schema.yml beside the model): the query returns
    exactly the declared columns, in the declared order."""
    frame = run_table(shipped_db, name, Selection(wave, ("10", "12"), "sv", artu="all"))
    assert list(frame.columns) == TABLES[name].column_ids


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_has_its_locale_keys(name: str, lang: str) -> None:
    """A table's title, its file name part and a header for each column, in every language."""
    keys = [f"table.{name}", f"file.{name}"] + [f"col.{c}" for c in TABLES[name].column_ids]
    assert [key for key in keys if key not in catalogue(lang)] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_total_label_names_the_area_of_the_view(shipped_db: Database, lang: str) -> None:
    """Issue #16: the total row names the area the view covers: the wave's named area (2009 was
    sent to Itä-Suomi, areas.csv), one region by its name, any other set by its regions."""

    def total_row(regions: tuple[str, ...]) -> str:
        frame = build_table(shipped_db, "region_status", Selection("2009", regions, lang))
        return frame["region"].iloc[-1]

    names = dict(shipped_db.run("regions", lang=lang)[["region_code", "region"]].values)
    eastern = area_name("ita-suomi", lang)
    assert total_row(()) == t(lang, "total.of_area", area=eastern)
    assert total_row(("12", "10", "11")) == t(lang, "total.of_area", area=eastern)
    pair = t(lang, "area.selected_regions", regions=f"{names['10']}, {names['12']}")
    assert total_row(("10", "12")) == t(lang, "total.of_area", area=pair)
    # One region: no total row (issue #21), the last row is the region's own.
    assert total_row(("12",)) == names["12"]


def test_parameters_are_filled_from_the_selection_by_name() -> None:
    selection = Selection("2009", ("10",), "sv", total=False, artu="in_use", before_year=2001)
    assert query_parameters(frozenset({"wave", "regions", "before_year"}), selection) == {
        "wave": "2009",
        "regions": ["10"],
        "before_year": 2001,
    }
    assert query_parameters(frozenset({"total_label", "regions_label"}), selection) == {
        "total_label": t("sv", "total.of_area"),
        "regions_label": t("sv", "area.selected_regions"),
    }
    with pytest.raises(QueryError, match=r"\$nonsense"):
        query_parameters(frozenset({"nonsense"}), selection)


@pytest.mark.parametrize(
    "column",
    [
        "-- column x: number",
        "-- column x: label",
        "-- column x: count item.",
        "-- column x: share",  # a share without its n and N
        "-- column x: share, %",
        "-- column x: decimal, of n/responses",  # only a share names them
    ],
)
def test_a_column_header_with_a_bad_kind_is_refused(tmp_path: Path, column: str) -> None:
    (tmp_path / "bad.sql").write_text(f"-- bad: x\n{column}\nselect 1 as x\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"bad\.sql: column x"):
        load_queries(tmp_path)


def test_a_column_header_gives_kind_label_prefix_and_unit(tmp_path: Path) -> None:
    (tmp_path / "good.sql").write_text(
        "-- good: x\n-- column m: label measure.\n-- column c: decimal, pp\n"
        "-- column n: count\n-- column t: count\n-- column s: share, of n/t\nselect 1\n",
        encoding="utf-8",
    )
    assert load_queries(tmp_path)["good"].columns == (
        Column("m", "label", "measure."),
        Column("c", "decimal", unit="pp"),
        Column("n", "count"),
        Column("t", "count"),
        Column("s", "share", of=("n", "t")),
    )


# Region 10: three municipalities, two of them ARTU users; region 12: two, neither uses ARTU
# (one says no, one leaves the question blank).
ANSWERS = stored_text(
    response("municipality", "001", "ready", region_code="10", artu_in_use="true"),
    response("municipality", "002", "started", region_code="10", artu_in_use="true"),
    response("municipality", "003", "not_started", region_code="10", artu_in_use="false"),
    response("municipality", "004", "ready", region_code="12", artu_in_use="false"),
    response("municipality", "005", "started", region_code="12"),
)


def shares(db: Database, artu: str, name: str = "measure_shares") -> list[tuple]:
    rows = db.run(name, wave="w", regions=[], lang="fi", artu=artu, **totals("Yht."))
    columns = ["region_code", "measure", "n", "responses", "share"]
    return records(rows[rows["measure"].isin(["plan_ready", "artu_in_use"])][columns])


def test_a_region_without_a_matching_municipality_shows_0_of_all_its_municipalities(
    given_rows: Callable[..., Database],
) -> None:
    """ARTU "in use" narrows n; N stays every answering municipality of the region, so region 12
    reads 0/2, not 0/0, on the same base as region 10 and the total."""
    db = given_rows(responses={"w": ANSWERS})
    assert shares(db, "in_use") == [
        ("10", "plan_ready", 1, 3, 1 / 3),
        ("10", "artu_in_use", 2, 3, 2 / 3),
        ("12", "plan_ready", 0, 2, 0.0),
        ("12", "artu_in_use", 0, 2, 0.0),
        ("total", "plan_ready", 1, 5, 0.2),
        ("total", "artu_in_use", 2, 5, 0.4),
    ]
    # Without the filter the same N: the filter never changes the base.
    assert [row[3] for row in shares(db, "all")] == [3, 3, 2, 2, 5, 5]
    # "Not in use": the unanswered ARTU question of 005 is never "not in use", but it is in N.
    assert shares(db, "not_in_use")[2:4] == [
        ("12", "plan_ready", 1, 2, 0.5),
        ("12", "artu_in_use", 0, 2, 0.0),
    ]


@pytest.mark.parametrize("name", ["key_figures", "target_group"])
def test_the_other_share_tables_use_the_same_base_under_the_filter(
    given_rows: Callable[..., Database], name: str
) -> None:
    db = given_rows(responses={"w": ANSWERS})
    params = {"wave": "w", "regions": [], "lang": "fi", **totals("Yht.")}
    if name == "key_figures":
        params.pop("total")
    for artu in ("in_use", "not_in_use"):
        rows = db.run(name, artu=artu, **params)
        assert set(rows.loc[rows["region_code"] == "total", "responses"]) == {5}


def test_artu_rest_is_never_the_regions_artu_users(given_rows: Callable[..., Database]) -> None:
    """ "Not in use or not reported" counts the same municipalities whatever the filter: under
    "not in use", N − n would count region 10's two ARTU users as not using it."""
    db = given_rows(responses={"w": ANSWERS})
    for artu in ("all", "in_use", "not_in_use"):
        rows = db.run("artu_adoption", wave="w", regions=[], lang="fi", artu=artu, **totals())
        rest = ["region_code", "responses", "not_in_use_or_not_reported"]
        assert records(rows[[*rest, "not_in_use_or_not_reported_share"]]) == [
            ("10", 3, 1, 1 / 3),
            ("12", 2, 2, 1.0),
            ("total", 5, 3, 3 / 5),
        ]


def test_the_example_counts_the_municipalities_that_answered(shipped_db: Database) -> None:
    """The case of the probe: N = 3 in Pohjois-Karjala, not the register's 4."""
    figures_2014 = build_table(shipped_db, "key_figures", Selection(EXAMPLE_2014, KARELIA, "fi"))
    assert set(figures_2014["responses"]) == {3}


def test_the_waves_of_given_rows_newest_first_with_their_area(two_rounds: Database) -> None:
    waves = two_rounds.run("waves", lang="sv", regions_label="R {regions}", fictional_source="F")
    columns = ["wave_id", "title", "year", "classification_year", "level", "area"]
    assert records(waves[[*columns, "response_rate_percent", "questionnaire"]]) == [
        ("w2", "Omgång 2", 2025, 2025, "response", "Södra Savolax", None, "2009"),
        ("w1", "Omgång 1", 2024, 2024, "response", "Södra Savolax", None, "2009"),
    ]


# The fixtures that write a test's rows in the test code (dbt style): a test that asks for one
# of them, directly or through another fixture, is a given-rows test.
GIVEN_ROWS_FIXTURES = frozenset({"given_rows", "waves_2026_folder"})
TESTS = Path(__file__).parent


def _strings(node: ast.AST, helpers: dict[str, ast.FunctionDef], seen: set[str]) -> set[str]:
    """The string constants in ``node`` and in the module's ``helpers`` it calls."""
    found = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            found.add(part.value)
        call = part.func if isinstance(part, ast.Call) else None
        if isinstance(call, ast.Name) and call.id in helpers and call.id not in seen:
            seen.add(call.id)
            found |= _strings(helpers[call.id], helpers, seen)
    return found


def _given_rows_tables() -> dict[str, list[str]]:
    """{table: the given-rows tests that name it}: the table's name as a string in the test, its
    parametrize decorator, or a helper function of its module that it calls."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in TESTS.glob("*.py")}
    functions = [node for tree in trees.values() for node in ast.walk(tree)]
    functions = [node for node in functions if isinstance(node, ast.FunctionDef)]
    given = set(GIVEN_ROWS_FIXTURES)
    grown = True
    while grown:  # fixtures built on fixtures
        found = {
            node.name
            for node in functions
            if any("fixture" in ast.unparse(d) for d in node.decorator_list)
            and any(argument.arg in given for argument in node.args.args)
        }
        grown = bool(found - given)
        given |= found
    named: dict[str, list[str]] = {}
    for path, tree in trees.items():
        helpers = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}

        for test in helpers.values():
            if test.name.startswith("test_") and {a.arg for a in test.args.args} & given:
                for table in _strings(test, helpers, set()) & set(TABLES):
                    named.setdefault(table, []).append(f"{path.name}::{test.name}")
    return named


def test_every_table_has_a_given_rows_test() -> None:
    """Issue #20 item 7: every SQL table is tested with rows written in the test and the rows it
    must give, not only on the shipped data; a new table without such a test fails here."""
    named = _given_rows_tables()
    assert sorted(set(TABLES) - set(named)) == []
    # The finder finds: the region table's test above is one of them.
    assert (
        "test_queries.py::test_measure_shares_are_n_over_region_responses"
        in named["measure_shares"]
    )
