"""The trends page through AppTest."""

from __future__ import annotations

from tests.helpers import EXAMPLE_2014, open_page
from tilannekuva.i18n import t


def test_the_trends_page_names_the_left_out_wave_by_its_title() -> None:
    app = open_page("trends.py", wave=EXAMPLE_2014, lang="en")
    assert not app.exception, [e.message for e in app.exception]
    info = app.info[0].body
    assert "Fictional example data" in info
    assert ": esimerkki." not in info


def test_the_trends_page_has_no_artu_note_on_a_fictional_wave() -> None:
    app = open_page("trends.py", wave=EXAMPLE_2014, lang="fi", artu="in_use")
    assert not app.exception, [e.message for e in app.exception]
    assert t("fi", "trends.artu_note") not in [c.value for c in app.caption]
