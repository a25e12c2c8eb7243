"""What every page shares (tilannekuva/web/ui.py): a region table shows the region's name first,
the scope sums that do not add up are stated, leaving out what is not known, and text from data
is shown as written, never as a link or markup (issue #22 item 3)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.helpers import open_page, shown_tables
from tilannekuva.db import Database
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.tables import TABLES, Selection, build_table
from tilannekuva.web import store
from tilannekuva.web.ui import View, escape_markdown, markdown_cell, scope_sum_lines


def test_scope_sum_lines_leave_out_unknown_cells_and_sums_that_add_up() -> None:
    status = pd.DataFrame(
        {
            "region": ["A", "B", "C", "D"],
            "plan_started": pd.array([7, 3, 2, None], dtype="Int64"),
            "in_progress_municipal": pd.array([4, 0, 1, 1], dtype="Int64"),
            "in_progress_sub_regional": pd.array([3, 3, 1, 0], dtype="Int64"),
            "in_progress_province_wide": pd.array([1, None, 1, 0], dtype="Int64"),
        }
    )
    view = View("fi", None, None, None)  # type: ignore[arg-type]  # only t() is used
    assert scope_sum_lines(view, status) == [
        t("fi", "scope.sum_line", region="A", parts="4 + 3 + 1", sum="8", started="7"),
        t("fi", "scope.sum_line", region="C", parts="1 + 1 + 1", sum="3", started="2"),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_region_tables_show_the_name_first_on_the_page(lang: str) -> None:
    """On a phone the first column stays in place while the others scroll: it showed the region
    codes, and nothing on the total row (user probe, 2026-12-04). The downloads keep the code
    first (test_exports, test_workbook)."""
    app = open_page("compare.py", lang=lang, wave="2009")
    first = shown_tables(app)[0]
    assert list(first.columns[:2]) == [t(lang, "col.region"), t(lang, "col.region_code")]
    names = store.names(lang).region_names
    assert list(first.iloc[:3, 0]) == [names[code] for code in ("10", "11", "12")]
    assert list(first.iloc[:3, 1]) == ["10", "11", "12"]
    assert first.iloc[-1, 0]  # the total row names itself in the pinned column


def test_on_the_worklist_the_name_leads_with_the_reasons_beside_it() -> None:
    """Issue #21: on a phone the pinned first column is the name, and the reasons and the
    workshop follow it, not the code; the download keeps the table's order (test_exports)."""
    app = open_page("worklist.py", lang="fi", wave="esimerkki")
    columns = list(shown_tables(app)[0].columns[:3])
    assert columns == [
        t("fi", f"col.{c}") for c in ("municipality_name", "reasons", "workshop_date")
    ]


# Data text that Streamlit's markdown made into links or markup (issue #22 item 3), and what
# else its markdown does with plain text.
HOSTILE_TEXTS = (
    "http://evil.example",
    "HTTPS://evil.example/login?x=1",
    "www.evil.example",
    "WWW.evil.example",
    '=HYPERLINK("http://evil.example/x")',
    '<link href="http://evil.example">',
    ":red[ALERT]",
    ":blue-background[x] :small[y] :help[z]",
    "kunta@evil.example",
    "mailto:kunta@evil.example",
    ":material/home: :streamlit: :smile: :+1:",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "[x](javascript:alert(1)) ![i](http://evil.example/i.png) <img src=x onerror=alert(1)>",
    "*a* _b_ ~~c~~ `d` $e$ # f | g |",
    "&lt;b&gt; &#60;i&#62; &amp;",
    "- a",
    "+ a",
    "1. a",
    "12) a",
    "a\n===",
    "a\n---",
    "a\n> b",
)
ZERO_WIDTH_SPACE = "\u200b"
# What the markdown parser leaves of a backslash escape (CommonMark: any ASCII punctuation).
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# What Streamlit 1.67 does to the text of a parsed paragraph (its markdown bundle): remark-gfm's
# autolink literals, its icons, logo and emoji short codes, and its arrows and dashes.
AFTER_PARSING = {
    "autolink": re.compile(r"(?i)(https?://|www\.)[-.\w]+"),
    "e-mail": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+"),
    "short code": re.compile(r":[\w+-]+:|:material_"),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_data_text_in_markdown_is_shown_as_written_and_nothing_else(text: str) -> None:
    escaped = escape_markdown(text)
    shown = ESCAPE.sub(r"\1", escaped)
    # Every character is shown; what was added is not (a zero-width space).
    assert shown.replace(ZERO_WIDTH_SPACE, "") == text
    for name, transform in AFTER_PARSING.items():
        assert transform.search(shown) is None, name
    # Before parsing: Streamlit replaces ":material/" in the source; a directive is ":" and a
    # letter; markup starts with these characters unless they are escaped.
    assert ":material/" not in escaped
    unescaped = ESCAPE.sub("", escaped)
    assert re.search(r":[A-Za-z]", unescaped) is None
    assert re.search(r"[\[\]<>`*_~$#|]|&\S+;", unescaped) is None
    assert re.search(r"(?m)^([-+=>]|\d+[.)])", escaped) is None  # a list, heading or quote


def test_a_table_cell_is_escaped_text_and_other_cells_stay_as_they_are() -> None:
    assert markdown_cell("-") == "\\-"  # the nil symbol, not a list
    assert markdown_cell("www.evil.example") == escape_markdown("www.evil.example")
    assert markdown_cell(7) == 7
    assert markdown_cell(None) is None


def test_a_name_without_markup_is_left_as_it_is() -> None:
    for name in ("Etelä-Savo", "Pieksämäki (593)", "VTT: tutkimus", "klo 12:30", "A & B"):
        assert escape_markdown(name) == name


def test_a_table_shown_in_part_gives_the_whole_table_in_its_downloads(
    shipped_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """show_table(frame, whole=...): the page shows ``frame``, the three files hold ``whole``
    (the municipality page's latest rounds, issue #22)."""
    from tests.test_download_buttons import Place, example_view
    from tilannekuva.web import ui

    whole = build_table(shipped_db, "region_status", Selection("esimerkki", (), "fi"))
    part = whole.head(1)
    place, shown = Place(), []
    monkeypatch.setattr(ui.st, "popover", lambda label, **options: place.popover(label, **options))
    monkeypatch.setattr(ui, "_show_cells", shown.append)
    monkeypatch.setattr(ui.download_buttons, "workbook_bytes", lambda spec, frame, *r: frame)
    view = example_view("fi", (), "all")
    ui.show_table(view, "region_status", part, whole=whole)
    assert len(whole) > 1 and [len(cells) for cells in shown] == [1]
    files = {key: button["data"]() for key, button in place.buttons.items()}
    assert files["download_excel_region_status"] == excel_fi_bytes(
        TABLES["region_status"], whole, "fi"
    )
    assert files["download_csv_region_status"] == csv_utf8_bytes(TABLES["region_status"], whole)
    assert files["download_xlsx_region_status"] is whole
