"""The municipality-level queries of response waves, against given responses (dbt style)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import previous_wave, records, response, stored_text, totals
from tilannekuva.db import Database
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.responses import read_responses, template_bytes
from tilannekuva.tables import Selection, build_table

ROWS = stored_text(
    response("municipality", "001", "not_started"),
    response("municipality", "002", "ready", plan_year="2001", council_approved="true"),
    response("police", "002", "started"),
    response("municipality", "003", "ready", council_approved="false", published="false"),
    response("rescue", "003", "ready", plan_scope="sub_regional"),
    response(
        "municipality",
        "004",
        "ready",
        plan_year="2009",
        council_approved="true",
        published="true",
        artu_in_use="true",
    ),
    response(
        "rescue",
        "005",
        "started",
        region_code="12",
        plan_scope="province_wide",
        artu_in_use="false",
    ),
    response("police", "006", "ready", region_code="12", plan_scope="province_wide"),
)


@pytest.fixture
def db(given_rows: Callable[..., Database]) -> Database:
    return given_rows(responses={"w": ROWS})


def run(db: Database, name: str, **extra: object):
    return db.run(name, wave="w", regions=[], artu="all", lang="fi", **extra)


def test_worklist_lists_each_municipality_with_its_reasons(db: Database) -> None:
    worklist = run(db, "worklist", before_year=2005)
    assert records(worklist[["municipality_code", "answered_by", "reasons"]]) == [
        ("001", "municipality", "not_started"),
        ("002", "municipality;police", "plan_older"),
        ("003", "municipality;rescue", "not_approved;not_published"),
    ]
    later = run(db, "worklist", before_year=2010)
    assert "004" in set(later["municipality_code"])


def test_the_worklist_names_the_workshop_of_each_municipalitys_region(
    given_rows: Callable[..., Database],
) -> None:
    """Issue #21 item 3: the workshop of the wave's calendar for the region; unknown, never a
    date of another wave, where the wave has none for that region."""
    workshops = "w,10,2026-10-01\nw,11,2026-09-17\n2009,12,2009-09-24\n"
    db = given_rows(responses={"w": ROWS}, workshops=workshops)
    worklist = run(db, "worklist", before_year=2005)
    assert [
        (row.municipality_code, f"{row.workshop_date:%Y-%m-%d}") for row in worklist.itertuples()
    ] == [
        ("001", "2026-10-01"),
        ("002", "2026-10-01"),
        ("003", "2026-10-01"),
    ]
    twelve = stored_text(response("municipality", "005", "not_started", region_code="12"))
    none = run(
        given_rows(responses={"w": twelve}, workshops=workshops), "worklist", before_year=2005
    )
    assert none["workshop_date"].isna().all() and len(none) == 1


def test_the_examples_workshop_calendar_is_the_2009_one() -> None:
    """data/SOURCES.md: the single example wave's calendar repeats the 2009 rows."""
    from tilannekuva.config import DEFAULT_DATA_DIR

    for name in ("workshops.csv", "workshop_milestones.csv"):
        lines = (DEFAULT_DATA_DIR / name).read_text("utf-8").splitlines()[1:]
        of = {
            wave: sorted(line.split(",", 1)[1] for line in lines if line.startswith(f"{wave},"))
            for wave in ("2009", "esimerkki")
        }
        assert of["esimerkki"] == of["2009"] and of["2009"], name


def test_yes_no_answers_keep_unanswered_apart(db: Database) -> None:
    answers = run(db, "yes_no_answers", **totals())
    approved = answers[answers["item"] == "council_approved"]
    assert records(approved[["region_code", "n", "no", "unanswered", "municipalities"]]) == [
        ("10", 2, 1, 1, 4),
        ("12", 0, 0, 2, 2),
        ("total", 2, 1, 3, 6),
    ]


def test_agreement_lists_municipalities_with_several_answers(db: Database) -> None:
    agreement = run(db, "respondent_agreement")
    assert records(
        agreement[["municipality_code", "municipality_status", "police_status", "agree"]]
    ) == [("002", "ready", "started", False), ("003", "ready", None, True)]


def test_coverage_is_the_best_ready_plan_over_all_answers(db: Database) -> None:
    # Wave "w" has no classification year, so sub-regions come from the answers' text: every row
    # says "Testiseutu". 003's rescue service reports a ready sub-regional plan in region 10's
    # Testiseutu: it covers 001; 006's province-wide plan covers all of region 12, 005 too.
    coverage = run(db, "plan_coverage")
    got = coverage.set_index("municipality_code")[["coverage", "covered_by_code"]]
    assert records(got.reset_index()) == [
        ("001", "sub_regional", "003"),
        ("002", "own", "002"),
        ("003", "own", "003"),
        ("004", "own", "004"),
        ("005", "province_wide", "006"),
        ("006", "province_wide", "006"),
    ]


def test_artu_cross_tabulation_and_filter(db: Database) -> None:
    crosstab = db.run("artu_by_plan_status", wave="w", regions=[], artu="all")
    assert records(crosstab[["artu", "plan_ready", "plan_started", "municipalities"]]) == [
        ("in_use", 1, 0, 1),
        ("not_in_use", 0, 1, 1),
        ("unanswered", 3, 0, 4),
    ]
    in_use = db.run("municipalities", wave="w", regions=[], artu="in_use", lang="fi")
    assert list(in_use["municipality_code"]) == ["004"]
    assert list(run(db, "municipalities")["respondent_type"]) == [
        "municipality",
        "municipality",
        "municipality",
        "municipality",
        "rescue",
        "police",
    ]


def test_the_previous_wave_is_the_newest_older_real_one(
    given_rows: Callable[..., Database],
) -> None:
    """The rule queries/staging/6_previous_waves.sql makes once at load: of two real waves of the
    newest older year, the one of the smaller id; a fictional wave is never one, nor has one; a
    wave without a year has none."""
    waves = "".join(
        f"{wave},t,t,t,{year},{year},municipalities,,region,{fictional},s,,\n"
        for wave, year, fictional in [
            ("2009", "2009", "false"),
            ("2011-b", "2011", "false"),
            ("2011-a", "2011", "false"),
            ("esim-2012", "2012", "true"),
            ("2013", "2013", "false"),
            ("vuosi-puuttuu", "", "false"),
        ]
    )
    db = given_rows(waves=waves)
    assert previous_wave(db, "2013") == "2011-a"
    assert previous_wave(db, "2011-a") == previous_wave(db, "2011-b") == "2009"
    for wave in ("2009", "esim-2012", "vuosi-puuttuu", "no-such-wave"):
        assert previous_wave(db, wave) is None, wave


def test_wave_change_compares_with_the_previous_real_wave(
    given_rows: Callable[..., Database],
) -> None:
    waves = (
        "2009,a,a,a,2009,2009,municipalities,70,region,false,s,,\n"
        "2011,b,b,b,2011,2011,municipalities,,response,false,s,,\n"
        "2013,c,c,c,2013,2013,municipalities,,response,false,s,,\n"
    )
    status = "2009,10,6,7,4,5,3,5,4,3,1\n"
    # 2013: municipality 001 has a ready plan now; region 10 had 3 of 4 ready in 2011, now 4 of 4.
    later = ROWS.replace("\nw,", "\n2013,").replace(
        "2013,municipality,org 001,001,Kunta 001,10,Testiseutu,not_started,,",
        "2013,municipality,org 001,001,Kunta 001,10,Testiseutu,ready,2010,municipal",
    )
    db = given_rows(
        waves=waves,
        region_status=status,
        responses={"2011": ROWS.replace("\nw,", "\n2011,"), "2013": later},
    )
    assert previous_wave(db, "2011") == "2009"
    assert previous_wave(db, "2009") is None
    # 2009 counts responses, 2011 municipalities: no change across a change of unit (#7 item 6).
    assert build_table(db, "wave_change", Selection("2011", ("10",), "fi")).empty
    change = build_table(db, "wave_change", Selection("2013", ("10",), "fi"))
    ready = change[(change["region_code"] == "10") & (change["measure"] == "plan_ready")].iloc[0]
    assert ready["previous_wave"] == "2011"
    assert (ready["n_previous"], ready["responses_previous"], ready["n"], ready["responses"]) == (
        3,
        4,
        4,
        4,
    )
    assert ready["change_pp"] == pytest.approx(100.0 - 75.0)


def test_template_has_the_header_and_a_commented_example() -> None:
    template = template_bytes(shipped_questionnaires()["2009"])
    assert template.startswith(b"\xef\xbb\xbfwave;respondent_type;")
    report = read_responses(template, ["10"])
    assert report.comment_lines == 1
    assert [p.code for p in report.problems] == ["no_data_rows"]
    filled = read_responses(template.replace(b"\r\n# ", b"\r\n"), ["10"])
    assert filled.ok and filled.rows[0]["respondent_type"] == "municipality"


def test_themes_and_partners_of_each_municipality_keep_blanks_unknown(two_rounds: Database) -> None:
    """Given rows (conftest's two_rounds): each answering municipality's chosen answer, a blank
    theme or partner unknown, never "no"."""
    frame = two_rounds.run(
        "themes_partners_by_municipality", wave="w2", regions=[], lang="fi", artu="all"
    )
    columns = ["municipality_code", "municipality_name", "region", "theme_home_leisure"]
    assert records(frame[[*columns, "partner_red_cross", "theme_exclusion_alcohol"]]) == [
        ("178", "Juva", "Etelä-Savo", False, True, None),
        ("491", "Mikkeli", "Etelä-Savo", True, None, None),
    ]
    # Under the ARTU filter only Mikkeli, whose ARTU is in use.
    using = two_rounds.run(
        "themes_partners_by_municipality", wave="w2", regions=[], lang="fi", artu="in_use"
    )
    assert list(using["municipality_code"]) == ["491"]
