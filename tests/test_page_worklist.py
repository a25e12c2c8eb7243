"""The worklist page through AppTest (issue #21 items 1 and 3): the answer first — how many, per
region with the day of its workshop, and the invitation steps — linked to the target page."""

from __future__ import annotations

import pytest

from tests.helpers import open_page, page_text, shown_tables
from tilannekuva.i18n import LANGUAGES, t

# The invitation steps of 2009 at the source's precision (formatting.format_period).
PERIODS = {
    "fi": ("toukokuu 2009", "kesäkuun alussa 2009", "viikko 33/2009 (10.8.2009–16.8.2009)"),
    "sv": ("maj 2009", "i början av juni 2009", "vecka 33/2009 (10.8.2009–16.8.2009)"),
    "en": ("May 2009", "beginning of June 2009", "week 33/2009 (10 August 2009–16 August 2009)"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_worklist_names_each_regions_workshop_and_the_invitations(lang: str) -> None:
    """The single example wave follows the 2009 calendar (data/SOURCES.md): its invitation list
    is for the workshops of 17.9. (Pohjois-Savo), 24.9. (Pohjois-Karjala) and 1.10.2009
    (Etelä-Savo)."""
    app = open_page("worklist.py", lang=lang, wave="esimerkki")
    text = page_text(app)
    assert t(lang, "worklist.count", n=37, total=44) in text
    day = {"fi": "1.10.2009", "sv": "1.10.2009", "en": "1 October 2009"}[lang]
    region = {"fi": "Etelä-Savo", "sv": "Södra Savolax", "en": "South Savo"}[lang]
    workshop = t(lang, "worklist.region_workshop", date=day)
    line = t(lang, "worklist.region_line", region=region, n=15, workshop=workshop)
    assert f"- {line}" in text.splitlines()
    steps = " → ".join(
        t(lang, "target.timeline_text", label=t(lang, f"milestone.{m}"), period=period)
        for m, period in zip(
            ("preliminary_invitations", "programme_invitations", "special_invitations"),
            PERIODS[lang],
            strict=True,
        )
    )
    assert t(lang, "worklist.invitations", steps=steps) in text.splitlines()
    assert t(lang, "worklist.to_target") in [link.label for link in app.get("page_link")]
    table = shown_tables(app)[0]
    assert t(lang, "col.workshop_date") in table.columns


def test_a_wave_without_a_workshop_calendar_says_so() -> None:
    app = open_page("worklist.py", lang="fi", wave="esimerkki-2014")
    text = page_text(app)
    assert t("fi", "worklist.region_no_workshop") in text
    assert t("fi", "milestone.preliminary_invitations") not in text


def test_the_target_page_links_to_the_worklist() -> None:
    app = open_page("target.py", lang="fi", wave="esimerkki")
    assert t("fi", "worklist.to_target") not in page_text(app)
    labels = [link.label for link in app.get("page_link")]
    assert t("fi", "target.to_worklist") in labels
