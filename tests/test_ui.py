"""What every page shares (tilannekuva/web/ui.py): a region table shows the region's name first,
and the scope sums that do not add up are stated, leaving out what is not known."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import open_page
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.web import store
from tilannekuva.web.ui import View, scope_sum_lines


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
    first = app.table[0].value
    assert list(first.columns[:2]) == [t(lang, "col.region"), t(lang, "col.region_code")]
    names = store.names(lang).region_names
    assert list(first.iloc[:3, 0]) == [names[code] for code in ("10", "11", "12")]
    assert list(first.iloc[:3, 1]) == ["10", "11", "12"]
    assert first.iloc[-1, 0]  # the total row names itself in the pinned column
