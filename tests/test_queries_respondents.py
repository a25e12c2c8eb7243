"""Issue #7 item 3: who answered and who did not, against the register of the wave's year: the two
tables (given rows, expected rows) and the page in every language."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.helpers import EXAMPLES, example_silent, records, stored_text
from tilannekuva.db import Database
from tilannekuva.register import load_register
from tilannekuva.tables import TABLES, Selection, build_table

# A 2025 wave about two municipalities of Etelä-Savo (10): Mikkeli (491) by its municipality and
# the police, Juva (178) by the rescue service only.
ANSWERS = [
    {"wave": "2025", "respondent_type": kind, "municipality_code": code, "municipality_name": name}
    for kind, code, name in (
        ("municipality", "491", "Mikkeli"),
        ("police", "491", "Mikkeli"),
        ("rescue", "178", "Juva"),
    )
]
ETELA_SAVO_2025 = len(load_register().municipalities_of(2025, ["10"]))


@pytest.fixture
def wave_2025(given_rows: Callable[..., Database]) -> Database:
    """The wave was sent to Etelä-Savo and Pohjois-Savo (waves.csv's area, issue #16); nobody
    answered from Pohjois-Savo."""
    return given_rows(
        waves="2025,,,,,,,,response,false,,10;11,\n",
        responses={"2025": stored_text(*ANSWERS)},
    )


def test_only_the_waves_area_is_expected(given_rows: Callable[..., Database]) -> None:
    """Issue #16: a wave with no area in waves.csv was sent to the regions of its answers
    (Etelä-Savo here): the chase list holds that region's municipalities and no others, where it
    once listed every municipality of Finland."""
    db = given_rows(responses={"2025": stored_text(*ANSWERS)})
    chase = build_table(db, "non_respondents", Selection("2025", (), "fi"))
    assert set(chase["region"]) == {"Etelä-Savo"}
    any_type = chase[chase["respondent_type"] == "any"]
    assert len(any_type) == ETELA_SAVO_2025 - 2  # all but Mikkeli and Juva
    assert set(build_table(db, "respondents", Selection("2025", (), "fi"))["region_code"]) == {"10"}


def test_answered_of_expected_per_region_and_respondent_type(wave_2025: Database) -> None:
    frame = build_table(wave_2025, "respondents", Selection("2025", ("10",), "en"))
    assert records(frame) == [
        ("10", "South Savo", "any", 2, ETELA_SAVO_2025, 2 / ETELA_SAVO_2025),
        ("10", "South Savo", "municipality", 1, ETELA_SAVO_2025, 1 / ETELA_SAVO_2025),
        ("10", "South Savo", "police", 1, ETELA_SAVO_2025, 1 / ETELA_SAVO_2025),
        ("10", "South Savo", "rescue", 1, ETELA_SAVO_2025, 1 / ETELA_SAVO_2025),
    ]


def test_expected_is_the_register_of_the_year_not_the_answers(wave_2025: Database) -> None:
    # Every region of the selection has its row even where nobody answered: Pohjois-Savo (11).
    frame = build_table(wave_2025, "respondents", Selection("2025", ("11",), "fi"))
    assert set(frame["answered"]) == {0} and set(frame["share"]) == {0.0}
    assert frame["expected"].iloc[0] > 0


def test_the_chase_list_names_who_did_not_answer(wave_2025: Database) -> None:
    frame = build_table(wave_2025, "non_respondents", Selection("2025", ("10",), "sv"))
    by_type = frame.groupby("respondent_type")["municipality_code"].apply(list).to_dict()
    assert "491" not in by_type["any"] and "178" not in by_type["any"]
    assert len(by_type["any"]) == ETELA_SAVO_2025 - 2
    assert "178" in by_type["municipality"] and "491" not in by_type["municipality"]
    assert "491" in by_type["rescue"] and "178" not in by_type["rescue"]
    mikkeli = frame[frame["municipality_code"] == "491"]["municipality_name"].iloc[0]
    assert mikkeli == "S:t Michel"  # the Swedish name in Swedish


def test_a_wave_without_a_classification_year_keeps_expected_unknown(
    given_rows: Callable[..., Database],
) -> None:
    # Wave "w" has no classification year: the answered counts stand, expected and the share
    # are unknown (never zero), and there is no chase list.
    db = given_rows(responses={"w": stored_text(*[row | {"wave": "w"} for row in ANSWERS])})
    frame = build_table(db, "respondents", Selection("w", (), "fi"))
    assert records(frame[["region_code", "respondent_type", "answered", "expected"]]) == [
        ("10", "any", 2, None),
        ("10", "municipality", 1, None),
        ("10", "police", 1, None),
        ("10", "rescue", 1, None),
    ]
    assert frame["share"].isna().all()
    assert build_table(db, "non_respondents", Selection("w", (), "fi")).empty


def test_the_example_rounds_use_their_fictional_register(shipped_db: Database) -> None:
    frame = build_table(shipped_db, "respondents", Selection("esimerkki-2014", (), "fi"))
    fictional = load_register(EXAMPLES / "register")
    expected = len(fictional.municipalities_of(2014))
    assert frame[frame["respondent_type"] == "any"]["expected"].sum() == expected
    chase = build_table(shipped_db, "non_respondents", Selection("esimerkki-2014", (), "fi"))
    silent = chase[chase["respondent_type"] == "any"]["municipality_code"]
    assert set(silent) == example_silent("esimerkki-2014", 2014)


def test_both_tables_are_in_the_registry() -> None:
    assert {"respondents", "non_respondents"} <= set(TABLES)
