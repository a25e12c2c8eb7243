"""The comparison page through AppTest."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text
from tilannekuva.db import Database
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.tables import Selection, build_table


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compare_page_shows_a_region_without_artu_users_as_0_of_its_municipalities(
    shipped_db: Database, lang: str
) -> None:
    """Issue #8: the example wave with ARTU "in use": Pohjois-Karjala read 0/0. Now 0 of all its
    answering municipalities, and the page says beside the shares what N is under the filter."""
    every = build_table(shipped_db, "measure_shares", Selection("esimerkki", (), lang))
    karelia = every[every["region_code"] == "12"]
    base = int(karelia["responses"].iloc[0])
    app = open_page("compare.py", lang=lang, wave="esimerkki", artu="in_use")
    text = page_text(app)
    assert t(lang, "artu_filter.base", filter=t(lang, "artu_filter.in_use")) in text
    line = next(
        line for line in text.splitlines() if line.startswith(f"- {karelia['region'].iloc[0]}:")
    )
    assert f"0/{base}" in line and "0/0" not in text
