"""The target group and workshops page through AppTest."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text, shown_tables
from tilannekuva.i18n import LANGUAGES, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_target_table_and_text_mark_few_answers(lang: str) -> None:
    app = open_page("target.py", lang=lang, wave="esimerkki-2012")
    table = next(frame for frame in shown_tables(app) if t(lang, "col.few_answers") in frame)
    yes, no = t(lang, "bool.true"), t(lang, "bool.false")
    base = next(column for column in table.columns if column.startswith("N"))
    flags = list(table[t(lang, "col.few_answers")])
    assert flags == [yes if int(n) < 5 else no for n in table[base]]
    assert yes in flags and no in flags  # regions of 3–4 municipalities, the total of 11
    meaning = t(lang, "few_answers.text")
    lines = [line for line in page_text(app).splitlines() if line.startswith("- ")]
    assert sum(line.endswith(meaning) for line in lines) == 3  # the three regions, not the total
