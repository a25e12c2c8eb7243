"""Issue #7 item 5: coverage follows the plan's scope: a ready sub-regional plan covers its
sub-region (the register's where known, else the answers' text), a province-wide one its region;
blanks stay unknown; the covering plan is named."""

from __future__ import annotations

from collections.abc import Callable

from tests.helpers import records, response, stored_text
from tilannekuva.db import Database
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.register import load_register
from tilannekuva.tables import Selection, build_table

REGISTER = load_register()


def coverage(db: Database, wave: str) -> list[tuple]:
    frame = build_table(db, "plan_coverage", Selection(wave, (), "fi"))
    return records(frame[["municipality_code", "coverage", "covered_by_code"]])


def test_the_register_sub_region_decides_where_it_is_known(
    given_rows: Callable[..., Database],
) -> None:
    # 2025: Etelä-Savo's sub-regions are in the register. Mikkeli's ready sub-regional plan
    # covers a member of its sub-region whatever that member's answer writes as its sub-region,
    # and not a municipality of another sub-region that writes the same text.
    mikkeli_sub = REGISTER.municipality(2025, "491").sub_region_code
    members = next(s for s in REGISTER.sub_regions_of(2025, ["10"]) if s.code == mikkeli_sub)
    member = next(code for code in members.members if code != "491")
    other = next(
        m.code for m in REGISTER.municipalities_of(2025, ["10"]) if m.sub_region_code != mikkeli_sub
    )
    rows = stored_text(
        response(
            "municipality",
            "491",
            "ready",
            wave="2025",
            plan_scope="sub_regional",
            sub_region="Mikkelin seutu",
        ),
        response("municipality", member, "not_started", wave="2025", sub_region="Muu teksti"),
        response("municipality", other, "not_started", wave="2025", sub_region="Mikkelin seutu"),
    )
    db = given_rows(responses={"2025": rows})
    got = {code: (kind, by) for code, kind, by in coverage(db, "2025")}
    assert got["491"] == ("sub_regional", "491")
    assert got[member] == ("sub_regional", "491")
    assert got[other] == ("none", None)


def test_the_answer_text_decides_where_the_register_has_no_sub_region(
    given_rows: Callable[..., Database],
) -> None:
    # Wave "w" has no classification year: the text, same region, case and spaces ignored. A blank
    # sub-region joins nothing.
    rows = stored_text(
        response(
            "municipality", "901", "ready", plan_scope="sub_regional", sub_region="Järviseutu"
        ),
        response("municipality", "902", "started", sub_region="  järviseutu "),
        response("municipality", "903", "not_started", sub_region=""),
        response("municipality", "904", "not_started", sub_region="Järviseutu", region_code="11"),
    )
    db = given_rows(responses={"w": rows})
    assert coverage(db, "w") == [
        ("901", "sub_regional", "901"),
        ("902", "sub_regional", "901"),
        ("903", "none", None),
        ("904", "none", None),
    ]


def test_a_province_wide_plan_covers_its_region_only(given_rows: Callable[..., Database]) -> None:
    rows = stored_text(
        response("police", "901", "ready", plan_scope="province_wide", sub_region=""),
        response("municipality", "902", "not_started", sub_region=""),
        response("municipality", "903", "ready", sub_region="", region_code="11"),
        response("municipality", "904", "started", sub_region="", region_code="11"),
    )
    db = given_rows(responses={"w": rows})
    assert coverage(db, "w") == [
        ("901", "province_wide", "901"),
        ("902", "province_wide", "901"),
        ("903", "own", "903"),
        ("904", "none", None),
    ]


def test_the_example_rounds_show_both_wider_scopes(shipped_db: Database) -> None:
    kinds = {kind for _, kind, _ in coverage(shipped_db, "esimerkki-2012")}
    assert {"sub_regional", "province_wide", "own"} <= kinds


def test_the_rule_is_in_the_data_dictionary_in_every_language(shipped_db: Database) -> None:
    dictionary = build_table(shipped_db, "data_dictionary", Selection("2009"))
    row = dictionary[dictionary["measure"] == "coverage"].iloc[0]
    for lang in LANGUAGES:
        assert row[f"definition_{lang}"] == t(lang, "coverage.rule")
