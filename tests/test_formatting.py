from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tilannekuva.formatting import (
    format_count,
    format_date,
    format_n_of_N,
    format_percent_value,
    format_period,
    format_share,
    is_unknown,
    share_as_percent,
)


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT])
def test_every_kind_of_missing_is_unknown_and_shown_as_dots(value: object) -> None:
    assert is_unknown(value)
    assert format_count(value, "fi") == ".."
    assert format_share(value, "fi") == ".."


def test_zero_is_a_number_not_unknown() -> None:
    assert not is_unknown(0)
    assert format_count(0, "fi") == "0"
    assert format_share(0.0, "fi") == "0,0\xa0%"


@pytest.mark.parametrize(
    ("lang", "share", "rate", "count"),
    [
        ("fi", "35,3\xa0%", "70\xa0%", "1\xa0234"),
        ("sv", "35,3\xa0%", "70\xa0%", "1\xa0234"),
        ("en", "35.3%", "70%", "1,234"),
    ],
)
def test_numbers_per_language(lang: str, share: str, rate: str, count: str) -> None:
    assert format_share(6 / 17, lang) == share
    assert format_percent_value(70, lang) == rate
    assert format_count(1234, lang) == count
    assert format_n_of_N(6, 17, lang) == "6/17"


def test_share_as_percent_rounds_as_the_chart_does() -> None:
    """Issue #20: a table cell's "35,3" and a chart's or a sentence's "35,3 %" are the same
    rounding of the same fraction, for every n/N with N up to 200: half to even on the decimal
    of the float. 100 * (23 / 80) as a float is 28.749999999999996 and would say 28,7 where the
    chart says 28,8 %."""
    for total in range(1, 201):
        for n in range(total + 1):
            share = n / total
            assert f"{share_as_percent(share)}%" == format_share(share, "en"), (n, total)
    assert str(share_as_percent(6 / 17)) == "35.3"
    assert str(share_as_percent(23 / 80)) == "28.8" != f"{100 * (23 / 80):.1f}"


def test_dates() -> None:
    assert format_date(dt.date(2009, 9, 17), "fi") == "17.9.2009"
    assert format_date(pd.Timestamp("2009-10-01"), "en") == "1 October 2009"


def test_periods_keep_the_source_precision() -> None:
    assert format_period("2009-05-01", "2009-05-31", "month", "fi") == "toukokuu 2009"
    assert format_period("2009-06-01", "2009-06-30", "early_month", "fi") == "kesäkuun alussa 2009"
    assert (
        format_period("2009-06-01", "2009-06-30", "early_month", "en") == "beginning of June 2009"
    )
    assert (
        format_period("2009-08-10", "2009-08-16", "iso_week", "fi")
        == "viikko 33/2009 (10.8.2009–16.8.2009)"
    )


def test_week_33_of_2009_is_the_shipped_special_invitation_week() -> None:
    milestones = pd.read_csv("data/workshop_milestones.csv", dtype=str)
    week = milestones[milestones.precision == "iso_week"].iloc[0]
    assert (week.period_start, week.period_end) == (
        dt.date.fromisocalendar(2009, 33, 1).isoformat(),
        dt.date.fromisocalendar(2009, 33, 7).isoformat(),
    )
