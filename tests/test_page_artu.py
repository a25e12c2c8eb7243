"""The ARTU page through AppTest."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text
from tilannekuva.i18n import LANGUAGES, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_artu_page_says_what_n_and_n_are_under_the_artu_filter(lang: str) -> None:
    """With the filter "not in use", the ARTU page's adoption reads "in use 0/17" for
    Etelä-Savo: true under the rule that the filter narrows n only, and misleading unless the page
    says so beside the figures, as the comparison, overview and target pages do."""
    caption = t(lang, "artu_filter.base", filter=t(lang, "artu_filter.not_in_use"))
    filtered = page_text(open_page("artu.py", lang=lang, wave="esimerkki", artu="not_in_use"))
    assert caption in filtered
    assert "0/17" in filtered
    unfiltered = page_text(open_page("artu.py", lang=lang, wave="esimerkki"))
    assert t(lang, "artu_filter.base", filter="")[:40] not in unfiltered
