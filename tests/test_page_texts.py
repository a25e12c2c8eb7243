"""Texts on the pages that a user probe found wrong for the fictional example waves (2026-12-04):
each says only what is true of the wave shown."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.test_outputs_left import open_page, page_text
from tilannekuva import store
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.ui import View, scope_sum_lines


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("wave", ["esimerkki-2014", "esimerkki"])
def test_overview_names_the_source_of_a_response_wave_in_words(lang: str, wave: str) -> None:
    """The source of a shipped example is "examples/esimerkki-2014.csv: kuvitteellinen esimerkki
    (fictional example; ...)": the overview showed its last path part, ")"."""
    text = page_text(open_page("overview.py", lang=lang, wave=wave))
    source = f"- **{t(lang, 'col.source')}:** {t(lang, 'prov.source_example', wave=wave)}"
    assert source in text.splitlines()
    assert "examples/" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_cites_the_publication_of_the_2009_table(lang: str) -> None:
    text = page_text(open_page("overview.py", lang=lang, wave="2009"))
    assert "Suunnittelun tilanne" in text  # the slide's title, as waves.csv cites it


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scope_page_states_the_2009_sum_that_does_not_add_up(lang: str) -> None:
    """Etelä-Savo's plans in progress by scope in the 2009 table: 4 + 3 + 1 = 8, started 7. The
    other two regions have a blank scope cell, so no sum is claimed for them."""
    text = page_text(open_page("scope.py", lang=lang, wave="2009"))
    line = t(lang, "scope.sum_line", region="", parts="4 + 3 + 1", sum="8", started="7")
    assert line.removeprefix(": ") in text
    assert text.count(line.removeprefix(": ").split(" = ")[0]) == 1


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("wave", ["esimerkki-2010", "esimerkki-2012", "esimerkki-2014"])
def test_scope_page_claims_no_mismatch_where_the_figures_add_up(lang: str, wave: str) -> None:
    """The 2009 note ("for example Etelä-Savo: 4 + 3 + 1 = 8, started 7") was shown on every
    wave, also where the figures add up."""
    text = page_text(open_page("scope.py", lang=lang, wave=wave))
    assert t(lang, "scope.sum_mismatch", lines="")[:25] not in text
    assert "4 + 3 + 1" not in text


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
    view = View("fi", None, (), None)  # type: ignore[arg-type]  # only t() is used
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
