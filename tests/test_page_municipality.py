"""The municipality page (issue #7 item 4) through Streamlit's AppTest: fi, sv and en, the
municipality in the address, a bad municipality in the address, and a regional wave."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import shown_tables, stored_text
from tilannekuva.config import PROJECT_DIR
from tilannekuva.filters import Choices, view_state
from tilannekuva.i18n import LANGUAGES, t

APP = str(PROJECT_DIR / "app.py")
EXAMPLE_NAMES = {
    "fi": "Keksitty (esimerkki)",
    "sv": "Keksitty (exempel)",
    "en": "Keksitty (example)",
}
TARULA = {"fi": "Tarula (esimerkki)", "sv": "Tarula (exempel)", "en": "Tarula (example)"}


def start(**query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def open_municipality(**query: str) -> AppTest:
    return start(**query).switch_page("app_pages/municipality.py").run()


def text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [i.body for i in app.info] + [h.value for h in app.header]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keksittys_page_shows_tarulas_answers_in_every_language(lang: str) -> None:
    app = open_municipality(lang=lang, wave="esimerkki-2014", municipality="954")
    assert not app.exception, [e.message for e in app.exception]
    assert app.title[0].value == t(lang, "page.municipality")
    assert app.selectbox(key="municipality").value == "954"
    shown = text(app)
    assert EXAMPLE_NAMES[lang] in app.header[0].value
    # 2012: Tarula did not answer; said in words, not only as a cell.
    missing = t(lang, "municipality.wave_line_none", wave=wave_title(lang, 2012), name=TARULA[lang])
    assert missing in shown
    answers = next(
        table
        for table in shown_tables(app)
        if t(lang, "col.respondent_type") in table.columns
        and t(lang, "col.organisation") in table.columns
    )
    names = list(answers[t(lang, "col.answer_name")])
    assert names.count(TARULA[lang]) == 1 and names.count(EXAMPLE_NAMES[lang]) == 4
    # A blank answer is "..", never "no" or 0 (Tarula 2010: approval blank).
    tarula = answers[answers[t(lang, "col.answer_name")] == TARULA[lang]].iloc[0]
    assert tarula[t(lang, "col.council_approved")] == ".."
    assert app.query_params["municipality"] == "954"
    fictional = [w for w in app.warning if w.body == t(lang, "banner.fictional")]
    assert len(fictional) == 1
    assert app.get("download_button"), "every table has its downloads"


def wave_title(lang: str, year: int) -> str:
    return {
        "fi": f"Esimerkkikierros {year} (kuvitteellinen)",
        "sv": f"Exempelomgång {year} (fiktiv)",
        "en": f"Example round {year} (fictional)",
    }[lang]


def test_picking_another_municipality_keeps_it_in_the_address() -> None:
    app = open_municipality(wave="esimerkki-2012")
    assert app.selectbox(key="municipality").value == "951"  # the first by name: Esimerkkilä
    app.selectbox(key="municipality").set_value("955").run()
    assert app.query_params["municipality"] == "955"
    assert "Tarula (esimerkki)" in app.header[0].value
    app.sidebar.selectbox(key="lang").set_value("sv").run()
    assert app.selectbox(key="municipality").value == "955"
    assert "Tarula (exempel)" in app.header[0].value


@pytest.mark.parametrize("bad", ["999", "x' or 1=1 --", "491"])
def test_a_bad_municipality_in_the_address_is_dropped_with_the_one_notice(bad: str) -> None:
    """491 (Mikkeli) is a real municipality: it is no choice on a fictional wave."""
    app = start(lang="fi", wave="esimerkki-2014", municipality=bad, region="99")
    assert not app.exception
    notice = [w.body for w in app.warning if "municipality=" in w.body]
    assert len(notice) == 1 and "region=99" in notice[0]
    assert "municipality" not in app.query_params
    app.switch_page("app_pages/municipality.py").run()
    assert not app.exception
    assert app.selectbox(key="municipality").value == "951"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_regional_wave_says_it_has_no_municipality_answers(lang: str) -> None:
    """One line, not a table of ".." (issue #21): the shipped data has no real round with
    answers, so none is offered."""
    app = open_municipality(lang=lang, wave="2009", municipality="491")
    assert not app.exception
    assert app.selectbox(key="municipality").value == "491"
    title = {
        "fi": "Paikallisen turvallisuussuunnittelun tilannekysely 2009",
        "sv": "Lägesenkät om den lokala säkerhetsplaneringen 2009",
        "en": "Status survey of local safety planning 2009",
    }[lang]
    assert [i.body for i in app.info] == [t(lang, "municipality.regional_no_rounds", wave=title)]
    assert not app.table and not app.dataframe and not app.get("download_button")


def test_a_regional_wave_offers_the_rounds_with_the_municipalitys_answers(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.exports import WAVE, forms_export
    from tests.helpers import cli_in_process

    export = tmp_path / "vastaukset.xlsx"
    mikkeli = ("Mikkeli", "Kunta", "Aloitettu", None, "Kunta", None, None, None, None)
    export.write_bytes(forms_export([mikkeli]))
    mapping = tmp_path / "m.json"
    cli_in_process("mapping", "suggest", str(export), "--wave", WAVE, "-o", str(mapping),
            data_dir=data_copy)  # fmt: skip
    done = cli_in_process("import", str(export), "--mapping", str(mapping), data_dir=data_copy)
    assert done.returncode == 0, done.stderr.decode()
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    app = open_municipality(lang="en", wave="2009", municipality="491")
    link = f"[Survey wave {WAVE}](municipality?lang=en&wave={WAVE}&municipality=491)"
    said = app.info[0].body.replace("\\", "")
    assert said.endswith(f"There are answers about the municipality in the waves: {link}."), said


def test_the_profile_says_where_the_municipality_stands_before_the_tables() -> None:
    """Keksitty in 2014, in words: its own answer, approved, published, ARTU, coverage, who
    answered, the invitation list; its path across the rounds marks Tarula, merged into it."""
    app = open_municipality(lang="en", wave="esimerkki-2014", municipality="954")
    assert not app.exception, [e.message for e in app.exception]
    profile = next(m.value for m in app.markdown if m.value.startswith("- **Safety plan:**"))
    assert profile.splitlines() == [
        "- **Safety plan:** ready (2013) – the municipality's own answer",
        "- **Approved by the council:** yes · **Published:** yes · **ARTU in use:** ..",
        "- **Coverage:** own plan: the ready plan was reported by Keksitty (example) (954).",
        "- **Answered:** municipality, rescue services · **no answer:** police",
        "- **Invitation list:** " + t("en", "municipality.worklist_none", year=2005),
    ]
    intro = t("en", "municipality.path_intro")
    path = next(m.value for m in app.markdown if m.value.startswith(intro))
    assert path.endswith(
        "Example round 2010 (fictional): ready → Example round 2010 (fictional): not started (as"
        " Tarula (example)) → Example round 2012 (fictional): ready → Example round 2012"
        " (fictional): no answer (as Tarula (example)) → Example round 2014 (fictional): ready"
    ), path
    # The tables follow, folded.
    assert [e.label for e in app.expander][:2] == [
        t("en", "municipality.waves_title"),
        t("en", "municipality.answers_title"),
    ]


def test_the_municipality_is_read_from_the_address_and_the_widgets() -> None:
    def known(wave: str, regions: tuple[str, ...]) -> list[str]:
        return {"a": ["491", "178"], "b": ["954"]}[wave] if not regions else ["178"]

    choices = Choices(["a", "b"], ["10"], {"a", "b"}, known)
    state = view_state(
        {}, lambda name: {"wave": ["a"], "municipality": ["491"]}.get(name, []), choices
    )
    assert state.municipality == "491" and state.dropped == ()
    dropped = view_state(
        {}, lambda name: {"wave": ["b"], "municipality": ["491", "954"]}.get(name, []), choices
    )
    assert dropped.municipality == "954" and dropped.dropped == (("municipality", "491"),)
    assert view_state({"wave": "a", "municipality": "178"}, None, choices).municipality == "178"
    # A municipality outside the selected regions, or of another wave, is no longer a choice.
    outside = {"wave": "a", "region": ["10"], "municipality": "491"}
    assert view_state(outside, None, choices).municipality == ""
    assert view_state({"wave": "b", "municipality": 954}, None, choices).municipality == ""


@pytest.mark.parametrize("page", ["worklist", "municipalities", "respondents"])
def test_pages_that_name_municipalities_link_to_their_pages(page: str) -> None:
    app = start(lang="sv", wave="esimerkki-2012", region="10")
    app.switch_page(f"app_pages/{page}.py").run()
    start_of_line = t("sv", "municipality.links", links="")
    lines = [m.value for m in app.markdown if m.value.startswith(start_of_line)]
    assert len(lines) == 1
    links = re.findall(r"\]\((municipality\?[^)]*)\)", lines[0])
    assert links and all(
        link.startswith("municipality?lang=sv&wave=esimerkki-2012&region=10&municipality=")
        for link in links
    )
    # Tarula (955) did not answer in 2012: on the chase list and in the coverage table (as not
    # answered, issue #16), and not on the worklist.
    tarula = "municipality?lang=sv&wave=esimerkki-2012&region=10&municipality=955"
    assert (tarula in links) == (page in ("respondents", "municipalities"))


def test_a_hostile_name_stays_text_on_the_page(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wave without a classification year lists the names its answers give: a name written as
    markup or a link is shown as the text it is."""
    hostile = "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    with (data_copy / "waves.csv").open("a", encoding="utf-8") as waves:
        waves.write("vihamielinen,,,,,,municipalities,,response,false,test,,\n")
    (data_copy / "responses").mkdir(exist_ok=True)
    (data_copy / "responses" / "vihamielinen.csv").write_text(
        stored_text(
            {"wave": "vihamielinen", "municipality_code": "901", "municipality_name": hostile}
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    app = open_municipality(wave="vihamielinen")
    assert not app.exception, [e.message for e in app.exception]
    heading = app.header[0].value
    assert "\\[x\\]" in heading and "\\<img" in heading  # escaped: no link, no tag
    assert re.sub(r"\\(.)", r"\1", heading).startswith(hostile)


def test_the_page_shows_the_latest_rounds_and_its_downloads_hold_every_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page reads what it shows (issue #22): the path, the lines and the table of the latest
    ROUNDS_SHOWN rounds, a caption saying how many there are, the downloads with every round."""
    from tilannekuva.web import municipality_view, ui

    monkeypatch.setattr(municipality_view, "ROUNDS_SHOWN", 2)
    tables: dict[str, tuple[int, int]] = {}
    show_table = ui.show_table

    def recorded(view: ui.View, name: str, frame: pd.DataFrame, **options: Any) -> None:
        if name == "municipality_waves":
            whole = options.get("whole", frame)
            tables[name] = (frame["wave_id"].nunique(), whole["wave_id"].nunique())
        show_table(view, name, frame, **options)

    monkeypatch.setattr(ui, "show_table", recorded)
    app = open_municipality(lang="en", wave="esimerkki-2014", municipality="954")
    assert not app.exception, [e.message for e in app.exception]
    note = t("en", "municipality.rounds_shown", shown="2", total="4")
    assert [caption.value for caption in app.caption].count(note) == 2  # path and table
    assert tables["municipality_waves"] == (2, 4)
    shown = text(app)
    assert wave_title("en", 2014) in shown and wave_title("en", 2012) not in shown
    monkeypatch.setattr(municipality_view, "ROUNDS_SHOWN", 4)
    app = open_municipality(lang="en", wave="esimerkki-2014", municipality="954")
    assert tables["municipality_waves"] == (4, 4)
    assert not [c for c in app.caption if c.value.startswith("The latest")]
    assert wave_title("en", 2012) in text(app)


def test_the_latest_rounds_keep_a_rounds_rows_whole_and_the_caption_counts_rounds() -> None:
    """Fifteen rounds, the oldest with two rows (a merger's predecessors): the latest twelve,
    their rows whole, counted as rounds, not rows; the rounds with answers likewise."""
    from tilannekuva.web.municipality_view import answered_rounds, latest_rounds, rounds_caption
    from tilannekuva.web.ui import View

    rounds = [f"r{number:02d}" for number in range(1, 16)]
    waves = pd.DataFrame(
        {
            "wave_id": [rounds[0], *rounds],
            "followed": "responses",
            "answered_municipality": [True, False, *([True] * 14)],
            "answered_police": pd.array([None] * 16, dtype="boolean"),
            "answered_rescue": [False] * 16,
        }
    )
    view = View("fi", None, None, None)  # type: ignore[arg-type]  # only t() is used
    latest = latest_rounds(waves)
    assert list(latest["wave_id"]) == rounds[3:]
    assert rounds_caption(view, latest, waves) == t(
        "fi", "municipality.rounds_shown", shown="12", total="15"
    )
    assert latest_rounds(waves, 1)["wave_id"].tolist() == ["r15"]
    assert latest_rounds(waves, 0).empty
    assert latest_rounds(waves, 15) is waves and rounds_caption(view, waves, waves) is None
    # The oldest round: one predecessor answered, the other did not; both rows stay together.
    assert latest_rounds(waves, 15)["wave_id"].tolist()[:2] == ["r01", "r01"]
    answered = answered_rounds(waves)
    assert answered["wave_id"].tolist() == rounds
    assert latest_rounds(answered, 14)["wave_id"].tolist() == rounds[1:]
