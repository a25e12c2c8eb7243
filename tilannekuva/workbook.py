"""A table as a real Excel workbook (.xlsx, XlsxWriter): the table on the first sheet, where its
figures come from on the second ("Tietoja" / "Om uppgifterna" / "About"). Issue #8.

- Numbers are numbers. Number formats in an .xlsx are stored in Excel's invariant syntax ("."
  decimal, "," grouping) and rendered in the reader's locale, so ``#,##0`` shows "1 234" and
  ``0.0 %`` shows "35,3 %" in Finnish Excel: a format that hard-coded a comma would be text.
- A share is the fraction n/N (0.3529…) as SQL computed it: a formula over the n and N cells its
  SQL header names (``share, of n/responses``: ``=D3/E3``) with the share cached to the last bit,
  in the format ``0.0 %``: Excel's own per-cent type, one decimal shown, the space before "%" as
  Finnish writes it; a formula on the cell computes with the share itself. A change in
  percentage points is not a share: it stays a number with one decimal.
- Unknown is the text ".." (never 0, never an empty cell that a SUM would read as 0).
- Text is always written as a string cell: "=HYPERLINK(…)" in a name stays text and never becomes
  a formula (XlsxWriter's ``write()`` would turn it into one; ``write_string`` does not).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from tilannekuva.exports import headers, localised_text
from tilannekuva.formatting import NOT_AVAILABLE, is_unknown, share_as_percent
from tilannekuva.i18n import t
from tilannekuva.provenance import Provenance, about_rows, extracted_text
from tilannekuva.tables import LEVELLED_RULES, Column, TableSpec

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.0 %"
DECIMAL_FORMAT = "0.0"
DATE_FORMAT = "d.m.yyyy"
# Rows above the table: its title (and the fictional warning), then the header row.
TITLE_ROW = 0
HEADER_ROW = 1
MIN_WIDTH, MAX_WIDTH = 8, 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def counting_rule(spec: TableSpec, level: str) -> str:
    """The locale key of the table's counting rule, as its SQL header declares it (``--
    counting rule: shares``); a levelled rule in its wording for the wave's level."""
    if spec.counting_rule in LEVELLED_RULES:
        where = "response" if level == "response" else "region"
        return f"rule.{where}.{spec.counting_rule}"
    return f"rule.{spec.counting_rule}"


def _sheet_name(text: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    return _SHEET_FORBIDDEN.sub(" ", text)[:31].strip() or "Sheet1"


def _width(texts: Iterable[str]) -> int:
    longest = max((len(line) for text in texts for line in text.split("\n")), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


class _Writer:
    """One workbook's formats, made once (XlsxWriter keeps every format object it is given)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.warning = book.add_format(
            {"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"}
        )
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#E8EEF4"}
        )
        self.count = book.add_format({"num_format": COUNT_FORMAT})
        self.share = book.add_format({"num_format": SHARE_FORMAT})
        self.decimal = book.add_format({"num_format": DECIMAL_FORMAT})
        self.date = book.add_format({"num_format": DATE_FORMAT, "align": "left"})
        self.unknown = book.add_format({"align": "right"})
        self.text = book.add_format({"valign": "top"})
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        self.label = book.add_format({"bold": True, "valign": "top"})

    def cell(
        self, sheet: Any, row: int, col: int, column: Column, value: Any, lang: str, formula: str
    ) -> str:
        """Write one cell; return the text a reader sees (for the column width). ``formula``: a
        share's formula over its n and N cells ("=D3/E3")."""
        if column.kind in ("count", "decimal", "share", "date") and is_unknown(value):
            sheet.write_string(row, col, NOT_AVAILABLE, self.unknown)
            return NOT_AVAILABLE
        if column.kind == "count":
            sheet.write_number(row, col, int(value), self.count)
            return f"{int(value):,}"
        if column.kind == "share":
            # The fraction as SQL computed it (the float of n/N, to the last bit) is the
            # formula's cached value: XlsxWriter would write a number with 16 significant digits
            # only, and 0.3529411764705883 is not 6/17.
            sheet.write_formula(row, col, formula, self.share, float(value))
            return f"{share_as_percent(value)} %"
        if column.kind == "decimal":
            number = float(value)
            sheet.write_number(row, col, number, self.decimal)
            return f"{number:.1f}"
        if column.kind == "date":
            sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), self.date)
            return "00.00.0000"
        text = localised_text(column, value, lang)
        sheet.write_string(row, col, text, self.text)
        return text


def workbook_bytes(spec: TableSpec, frame: pd.DataFrame, lang: str, prov: Provenance) -> bytes:
    """The table and its About sheet as .xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: only write_string/write_number are used, but no string is ever to
            # be read as a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {
            "title": t(lang, f"table.{spec.name}"),
            "subject": prov.wave_title,
            "comments": extracted_text(prov, lang),
        }
    )
    writer = _Writer(book)
    _table_sheet(writer, spec, frame, lang, prov)
    _about_sheet(writer, spec, lang, prov)
    book.close()
    return buffer.getvalue()


def _title(prov: Provenance, spec: TableSpec, lang: str) -> str:
    title = f"{t(lang, f'table.{spec.name}')} — {prov.wave_title}"
    return f"{t(lang, 'prov.fictional_short')}: {title}" if prov.fictional else title


def _table_sheet(
    writer: _Writer, spec: TableSpec, frame: pd.DataFrame, lang: str, prov: Provenance
) -> None:
    sheet = writer.book.add_worksheet(_sheet_name(t(lang, f"table.{spec.name}")))
    title_format = writer.warning if prov.fictional else writer.title
    sheet.write_string(TITLE_ROW, 0, _title(prov, spec, lang), title_format)
    names = headers(spec, lang)
    seen: list[list[str]] = [[name] for name in names]
    for col, name in enumerate(names):
        sheet.write_string(HEADER_ROW, col, name, writer.header)
    records = frame[spec.column_ids].itertuples(index=False, name=None)
    for offset, record in enumerate(records, start=HEADER_ROW + 1):
        for col, (column, value) in enumerate(zip(spec.columns, record, strict=True)):
            formula = (
                "="
                + "/".join(
                    xl_rowcol_to_cell(offset, spec.column_ids.index(name)) for name in column.of
                )
                if column.of
                else ""
            )
            seen[col].append(writer.cell(sheet, offset, col, column, value, lang, formula))
    for col, texts in enumerate(seen):
        sheet.set_column(col, col, _width(texts))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if len(frame):
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(frame), len(names) - 1)


def _about_sheet(writer: _Writer, spec: TableSpec, lang: str, prov: Provenance) -> None:
    sheet = writer.book.add_worksheet(_sheet_name(t(lang, "prov.sheet_about")))
    rows = [(t(lang, "prov.table"), t(lang, f"table.{spec.name}"))]
    rows += about_rows(prov, lang)
    rows += [
        (t(lang, "prov.rule"), t(lang, counting_rule(spec, prov.level))),
        (t(lang, "prov.symbols"), t(lang, "prov.symbols_text")),
        (t(lang, "prov.extracted"), extracted_text(prov, lang)),
        (t(lang, "prov.version"), prov.version),
    ]
    start = 0
    if prov.fictional:
        sheet.write_string(0, 0, t(lang, "prov.fictional_short"), writer.warning)
        sheet.write_string(0, 1, t(lang, "banner.fictional"), writer.warning)
        start = 1
    for row, (label, value) in enumerate(rows, start=start):
        sheet.write_string(row, 0, label, writer.label)
        sheet.write_string(row, 1, value, writer.wrapped)
    sheet.set_column(0, 0, _width(label for label, _ in rows))
    sheet.set_column(1, 1, 90)
