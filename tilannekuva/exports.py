"""Tables written for people and for programs.

- :func:`display_frame`: strings for the page, numbers in the UI language, ".." for unknown.
- :func:`excel_fi_bytes`: "Excel (fi)": ``;`` separator, decimal comma, UTF-8 with BOM, headers in
  the UI language, ".." for unknown — opens in Finnish Excel as columns, not one long line.
- :func:`csv_utf8_bytes`: "CSV (UTF-8)": comma, dot decimals, no BOM, stable English column ids,
  an empty field for unknown.

In both files a text cell that begins with ``=``, ``+``, ``-``, ``@``, tab, CR or LF is neutralised
with a leading apostrophe (OWASP, CSV injection); numbers are left as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from tilannekuva.formatting import (
    NIL,
    NOT_AVAILABLE,
    format_count,
    format_date,
    format_decimal_number,
    is_unknown,
    share_as_percent,
)
from tilannekuva.i18n import t
from tilannekuva.tables import Column, TableSpec

UTF8_BOM = b"\xef\xbb\xbf"
# The total rows' region code. The CSV (UTF-8) is a machine table: it keeps this stable id, so a
# program can tell the total row from a region without reading a label, and an empty field there
# already means "unknown". Files and tables for people (page, Excel (fi), .xlsx) leave the cell
# empty: a total has no region code, and "total" is an English word in every language (issue #8).
# "total_all" is the all-regions benchmark beside a total of some regions (measure_shares).
TOTAL_CODES = frozenset({"total", "total_all"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_TEXT_KINDS = {"code", "text", "label", "labels", "bool"}


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _text_value(column: Column, value: Any, lang: str | None) -> str:
    """A text-like cell: a label is translated when ``lang`` is given, else kept as its id."""
    if column.kind == "code" and value in TOTAL_CODES and lang is not None:
        return ""
    if column.kind == "label" and lang is not None:
        return t(lang, f"{column.label_prefix}{value}")
    if column.kind == "labels" and lang is not None:
        return ", ".join(t(lang, f"{column.label_prefix}{item}") for item in str(value).split(";"))
    if column.kind == "bool":
        return t(lang, f"bool.{str(bool(value)).lower()}") if lang else str(bool(value)).lower()
    return str(value)


def localised_text(column: Column, value: Any, lang: str) -> str:
    """A text-like cell in the UI language as the page shows it; ".." for unknown."""
    return NOT_AVAILABLE if is_unknown(value) else _text_value(column, value, lang)


def _localised_cell(column: Column, value: Any, lang: str, *, grouping: bool) -> str:
    if is_unknown(value):
        return NOT_AVAILABLE
    if column.kind == "count":
        return format_count(value, lang) if grouping else str(int(value))
    if column.kind == "decimal":
        return format_decimal_number(value, lang) if grouping else _plain_decimal(value, ",")
    if column.kind == "share":  # "35,3" under "Osuus, %": a fraction shown as a per cent
        percent = share_as_percent(value)
        return format_decimal_number(percent, lang) if grouping else _plain_decimal(percent, ",")
    if column.kind == "date":
        return format_date(value, lang) if grouping else _finnish_date(value)
    return _text_value(column, value, lang)


def _plain_decimal(value: Any, separator: str) -> str:
    return f"{float(value):.1f}".replace(".", separator)


def _finnish_date(value: Any) -> str:
    day = pd.Timestamp(value).date()
    return f"{day.day}.{day.month}.{day.year}"


def _csv_cell(column: Column, value: Any) -> str:
    if is_unknown(value):
        return ""
    if column.kind == "count":
        return str(int(value))
    if column.kind == "decimal":
        return _plain_decimal(value, ".")
    if column.kind == "share":
        return _plain_decimal(share_as_percent(value), ".")
    if column.kind == "date":
        return pd.Timestamp(value).date().isoformat()
    return _text_value(column, value, None)


def _rows(
    spec: TableSpec, frame: pd.DataFrame, cell: Callable[[Column, Any], str]
) -> Iterable[list[str]]:
    for record in frame[spec.column_ids].itertuples(index=False, name=None):
        yield [
            neutralise(text) if column.kind in _TEXT_KINDS else text
            for column, text in ((c, cell(c, v)) for c, v in zip(spec.columns, record, strict=True))
        ]


def _write(header: list[str], rows: Iterable[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def headers(spec: TableSpec, lang: str) -> list[str]:
    return [t(lang, f"col.{column.id}") for column in spec.columns]


def excel_fi_bytes(spec: TableSpec, frame: pd.DataFrame, lang: str) -> bytes:
    """Excel (fi). pandas' ``to_csv(encoding="utf-8-sig")`` without a path returns a str with no
    BOM, so the bytes are encoded here, BOM first."""
    rows = _rows(spec, frame, lambda c, v: _localised_cell(c, v, lang, grouping=False))
    text = _write([neutralise(h) for h in headers(spec, lang)], rows, ";")
    return UTF8_BOM + text.encode("utf-8")


def csv_utf8_bytes(spec: TableSpec, frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8): English column ids, no BOM, an empty field for unknown."""
    return _write(spec.column_ids, _rows(spec, frame, _csv_cell), ",").encode("utf-8")


def display_frame(spec: TableSpec, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as the page shows it: every cell a string in the UI language, ".." for unknown."""
    cells = [
        [_localised_cell(c, v, lang, grouping=True) for c, v in zip(spec.columns, r, strict=True)]
        for r in frame[spec.column_ids].itertuples(index=False, name=None)
    ]
    return pd.DataFrame(cells, columns=headers(spec, lang))


def region_part(codes: Iterable[str]) -> str:
    """Region codes for a file name: runs of consecutive codes as "10-12", others joined by "+"
    ("10+12"), so "10-12" always means 10, 11 and 12."""
    numbers = sorted({int(code) for code in codes})
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return "+".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else "+".join(map(str, run)) for run in runs
    )


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_+-]")


def file_word(text: str) -> str:
    """A name for a file name's detail: lower case, letters without their accents (ä → a, å → a),
    words joined by "_": "Suunnitelman tila" → "suunnitelman_tila"."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "_".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def file_name(
    lang: str,
    wave: str,
    table: str,
    region_codes: Iterable[str],
    *,
    utf8: bool = False,
    fictional: bool = False,
    artu: str = "all",
    detail: str = "",
    extension: str = "csv",
) -> str:
    """E.g. ``tilannekysely_2009_aluevertailu_10-12.csv``: wave, table, regions and the ARTU
    filter, in the UI language; a fictional wave says so first. Only safe characters: never a
    path. The ARTU filter is in the name because two files of one table that differ only by it
    once got the same name (issue #8). ``detail`` tells two files of one kind apart (two charts
    of one page)."""
    parts = [t(lang, "file.survey"), wave, t(lang, f"file.{table}")]
    if detail:
        parts.append(detail)
    if fictional:
        parts.insert(0, t(lang, "file.fictional"))
    regions = region_part(region_codes)
    if regions:
        parts.append(regions)
    if artu != "all":
        parts.append(t(lang, f"file.artu_{artu}"))
    if utf8:
        parts.append("utf8")
    return _SAFE_NAME.sub("_", "_".join(part for part in parts if part)) + "." + extension


def with_source_symbols(spec: TableSpec, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as the source prints it: a nil count as "-", not "0" (unknown stays "..")."""
    shown = display_frame(spec, frame, lang)
    for column, header in zip(spec.columns, shown.columns, strict=True):
        if column.kind == "count":
            shown[header] = shown[header].where(shown[header] != "0", NIL)
    return shown
