"""The accessibility statement through AppTest."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text
from tilannekuva.i18n import LANGUAGES, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accessibility_statement_names_the_untagged_pdf_and_its_equivalents(lang: str) -> None:
    app = open_page("accessibility.py", lang=lang)
    gap = t(lang, "a11y.gap_pdf")
    assert f"- {gap}" in page_text(app).splitlines()
    assert "PDF/UA" in gap and ".xlsx" in gap and "CSV" in gap
