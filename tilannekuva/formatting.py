"""Numbers, shares and dates written the way each language writes them (Babel).

Unknown values (NULL, NaN, pd.NA) are written as ".." (Statistics Finland's symbol for "not
available"), never as 0 or as an empty string that could be read as zero.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pandas as pd
from babel import Locale
from babel.numbers import format_decimal, format_percent

from tilannekuva.i18n import BABEL_LOCALES, format_day, t

NOT_AVAILABLE = ".."
NIL = "-"


def is_unknown(value: Any) -> bool:
    """True for None, NaN, pd.NA and NaT: every way pandas or DuckDB can say "no value"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES["fi"])


def format_count(value: Any, lang: str) -> str:
    """A count: "1 234" in Finnish, ".." when unknown."""
    if is_unknown(value):
        return NOT_AVAILABLE
    return format_decimal(int(value), locale=_locale(lang))


def format_decimal_number(value: Any, lang: str, decimals: int = 1) -> str:
    """A decimal number with a fixed number of decimals: "35,3" in Finnish."""
    if is_unknown(value):
        return NOT_AVAILABLE
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(float(value), format=pattern, locale=_locale(lang))


def format_share(share: Any, lang: str, decimals: int = 1) -> str:
    """A share 0..1 as a percentage: "35,3 %" in Finnish and Swedish, "35.3%" in English."""
    if is_unknown(share):
        return NOT_AVAILABLE
    # Take the locale's own percent pattern (space or no space, sign position) and only set the
    # number of decimals.
    base = Locale.parse(_locale(lang)).percent_formats[None].pattern
    digits = "0." + "0" * decimals if decimals else "0"
    pattern = base.replace("0", digits, 1) if decimals else base
    return format_percent(float(share), format=pattern, locale=_locale(lang))


def share_as_percent(share: Any, decimals: int = 1) -> Decimal:
    """A share 0..1 as the per-cent number a table cell shows (0.35294… → 35.3): the decimal
    of the float moved two places and rounded half to even, exactly as Babel rounds
    :func:`format_share`, so a table's "35,3" and a chart's "35,3 %" never differ in the last
    digit. With :func:`format_share`, the only places a share becomes a per cent (issue #20):
    the value stays a fraction until it is shown."""
    return (Decimal(repr(float(share))).scaleb(2)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN
    )


def format_percent_value(percent: Any, lang: str, decimals: int = 0) -> str:
    """A percentage a source gives as 0..100, such as a wave's response rate of 70: "70 %" in
    Finnish. A share the tables compute is a fraction: :func:`format_share`."""
    if is_unknown(percent):
        return NOT_AVAILABLE
    return format_share(float(percent) / 100, lang, decimals=decimals)


def format_n_of_N(n: Any, total: Any, lang: str) -> str:  # noqa: N802 - n/N is the notation
    """ "6/17", with ".." for an unknown side."""
    return t(lang, "unit.n_of_N", n=format_count(n, lang), N=format_count(total, lang))


def format_date(value: Any, lang: str) -> str:
    """A day: 17.9.2009 (fi, sv), 17 September 2009 (en)."""
    if is_unknown(value):
        return NOT_AVAILABLE
    return format_day(pd.Timestamp(value).date(), lang)


def format_period(start: Any, end: Any, precision: str, lang: str) -> str:
    """A period at the precision the source gives: a month stays a month, the beginning of a month
    stays the beginning of a month, an ISO week is named with its days (issue #2)."""
    first = pd.Timestamp(start).date()
    last = pd.Timestamp(end).date()
    month = t(lang, f"month.{first.month}")
    if precision == "month":
        return t(lang, "period.month", month=month, year=first.year)
    if precision == "early_month":
        return t(lang, "period.early_month", month=month, year=first.year)
    if precision == "iso_week":
        year, week, _ = first.isocalendar()
        return t(
            lang,
            "period.iso_week",
            week=week,
            year=year,
            start=format_date(first, lang),
            end=format_date(last, lang),
        )
    return format_date(first, lang)
