"""The planning scope page through AppTest."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text
from tilannekuva.i18n import LANGUAGES, t


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
