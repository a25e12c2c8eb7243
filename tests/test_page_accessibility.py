"""The accessibility statement through AppTest."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text
from tilannekuva.i18n import LANGUAGES, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accessibility_statement_says_the_pack_is_tagged(lang: str) -> None:
    """The pack's gap is gone from the list since it is tagged PDF/UA-1 (test_pack_tags.py)."""
    app = open_page("accessibility.py", lang=lang)
    text = page_text(app)
    assert t(lang, "a11y.pdf") in text and "PDF/UA-1" in t(lang, "a11y.pdf")
    assert "ReportLab" not in text
