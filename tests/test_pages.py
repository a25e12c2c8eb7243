"""Every page through Streamlit's AppTest: renders in fi, sv and en, follows the filters, restores
the view from the address, and fails politely on bad data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import area_name, file_text, open_page, page_text, snapshot, start_app
from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.page_list import PAGES as LISTED

PAGES = sorted(path.name for path in (PROJECT_DIR / "app_pages").glob("*.py"))


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_every_page_file_is_in_the_navigation() -> None:
    assert PAGES and sorted(page.file for page in LISTED) == PAGES


RESPONSE_ONLY = {page.file for page in LISTED if page.response_level}


@pytest.mark.parametrize("wave", ["2009", "esimerkki"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(page: str, lang: str, wave: str) -> None:
    app = open_page(page, lang=lang, wave=wave)
    assert not app.exception, [e.message for e in app.exception]
    assert app.title, "every page has a title"
    assert app.sidebar.selectbox(key="lang").value == lang
    assert app.sidebar.selectbox(key="wave").value == wave
    if page == "upload.py":
        assert app.info[0].body.startswith(t(lang, "upload.off"))
    elif page == "accessibility.py":
        assert app.header[0].value == t(lang, "a11y.status_title")
    elif page == "municipality.py" and wave == "2009":
        # "{wave} is a regional table: …": the words after the wave's title
        after = t(lang, "municipality.regional_no_rounds", wave="\0").split("\0")[1]
        assert app.info[0].body.endswith(after)
        assert not app.table, "a regional table has no municipality answers to tabulate"
    elif page in RESPONSE_ONLY and wave == "2009":
        assert app.info[0].body == t(lang, "response_only.text")
        assert app.get("download_button"), "the template is offered"
    elif page == "questions.py":
        # The example asked the 2009 questionnaire: no questions besides the core measures
        # (tests/test_questionnaires.py opens the page on a wave of the proposed 2026 one).
        assert app.info[0].body == t(lang, "questions.none")
    else:
        assert app.table or app.dataframe, "every page shows at least one table"
    fictional_banner = [w for w in app.warning if w.body == t(lang, "banner.fictional")]
    assert len(fictional_banner) == (1 if wave == "esimerkki" else 0)


def test_overview_headline_figures_for_all_regions() -> None:
    app = start_app()
    label = t("fi", "measure.plan_ready")
    assert metric(app, label) == "36,4\xa0%"
    assert "n/N = 16/44" in page_text(app)
    assert metric(app, t("fi", "measure.artu_in_use")) == "13,6\xa0%"
    assert "70\xa0%" in page_text(app)


def test_changing_the_region_filter_changes_the_figures() -> None:
    app = start_app()
    app.sidebar.multiselect(key="region").select("12").run()
    assert not app.exception
    assert metric(app, t("fi", "measure.plan_ready")) == "7,1\xa0%"
    assert "n/N = 1/14" in page_text(app)
    assert app.query_params["region"] == "12"
    app.sidebar.multiselect(key="region").select("10").run()
    assert app.query_params["region"] == ["10", "12"]
    assert metric(app, t("fi", "measure.plan_ready")) == "22,6\xa0%"


def test_the_address_restores_the_view() -> None:
    app = start_app(lang="sv", wave="2009", region=["12", "10"])
    assert app.sidebar.selectbox(key="lang").value == "sv"
    assert app.sidebar.multiselect(key="region").value == ["10", "12"]
    # 6 + 1 plans ready of 17 + 14 responses.
    assert metric(app, t("sv", "measure.plan_ready")) == "22,6\xa0%"
    assert app.title[0].value == t("sv", "app.title")


def test_unknown_address_values_are_dropped_with_a_notice() -> None:
    app = start_app(lang="de", wave="1999", region=["10", "99", "<b>x</b>"])
    assert not app.exception
    notices = [warning.body for warning in app.warning]
    assert len(notices) == 1  # one notice for every dropped value (issue #10)
    assert "`lang=de`" in notices[0] and "`region=<b>x</b>`" in notices[0]
    assert app.sidebar.selectbox(key="lang").value == "fi"
    assert app.sidebar.multiselect(key="region").value == ["10"]
    assert metric(app, t("fi", "measure.plan_ready")) == "35,3\xa0%"


def test_compare_page_shows_counts_and_percent() -> None:
    app = open_page("compare.py", lang="en")
    assert "South Savo: ready 6/17, started 7/17, not started 4/17 (N = 17)." in page_text(app)
    app.segmented_control(key="compare_mode").set_value("percent").run()
    assert not app.exception
    assert len(app.get("vega_lite_chart")) == 2


def test_scope_page_shows_blank_cells_as_dots_with_the_note() -> None:
    app = open_page("scope.py", lang="fi")
    text = page_text(app)
    assert "Pohjois-Karjala: kuntakohtainen 5, seutukuntakohtainen 1, maakunnan kattava .." in text
    assert (
        "Itä-Suomi yhteensä: kuntakohtainen 9, seutukuntakohtainen 7, maakunnan kattava .." in text
    )
    assert len(app.info) == 1  # the cell notes in one box, one line per cell


def test_a_changed_data_file_is_seen_on_the_next_run(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    app = start_app()
    assert metric(app, t("fi", "measure.plan_ready")) == "36,4\xa0%"
    status = data_copy / "region_status.csv"
    status.write_text(status.read_text().replace("2009,10,6,7,4,", "2009,10,7,6,4,"), "utf-8")
    app.run()
    assert metric(app, t("fi", "measure.plan_ready")) == "38,6\xa0%"  # 17/44


def test_a_damaged_data_file_gives_a_clear_page(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    (data_copy / "waves.csv").write_text("wave_id,title\n2009,x\n", encoding="utf-8")
    app = start_app(lang="en")
    assert not app.exception
    assert app.title[0].value == t("en", "error.data_title")
    # The details (file, folder, header) go to the server log, not to visitors (issue #10).
    assert app.error[0].body == t("en", "error.data_unavailable")


def test_the_artu_filter_narrows_a_response_level_wave() -> None:
    app = start_app(wave="esimerkki")
    assert metric(app, t("fi", "measure.plan_ready")) == "36,4\xa0%"  # 16/44, as in 2009
    app.sidebar.radio(key="artu").set_value("in_use").run()
    assert not app.exception
    # The example's ARTU users: 6 municipalities, 3 with a plan ready; N stays all 44 (issue #8).
    assert metric(app, t("fi", "measure.plan_ready")) == "6,8\xa0%"
    assert app.query_params["artu"] == "in_use"
    assert any(info.body.startswith("Rajaus: luku n kattaa vain kunnat") for info in app.info)


def test_the_address_restores_the_artu_filter_and_a_regional_wave_ignores_it() -> None:
    app = start_app(wave="esimerkki", artu="not_in_use")
    assert app.sidebar.radio(key="artu").value == "not_in_use"
    regional = start_app(wave="2009", artu="in_use")
    assert not [radio for radio in regional.sidebar.radio if radio.key == "artu"]
    assert t("fi", "sidebar.artu_help_region") in regional.sidebar.caption[0].value
    assert metric(regional, t("fi", "measure.plan_ready")) == "36,4\xa0%"
    assert "artu" not in regional.query_params


def test_worklist_follows_the_year_and_offers_the_example_on_a_regional_wave() -> None:
    app = open_page("worklist.py", wave="2009")
    app.button(key="try_example").click().run()
    # The newest example round (issue #7: the examples are three rounds 2010, 2012, 2014).
    assert app.sidebar.selectbox(key="wave").value == "esimerkki-2014"
    counts = []
    for year in (2013, 2010):
        app.number_input(key="worklist_year").set_value(year).run()
        counts.append(len(app.table[0].value))
    assert counts[0] > counts[1] > 0


@pytest.fixture
def upload_folder(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    monkeypatch.setenv("TILANNEKUVA_UPLOAD_PASSWORD", "oikea salasana")
    return data_copy


def test_upload_needs_the_right_password(upload_folder: Path) -> None:
    app = open_page("upload.py")
    assert not app.get("file_uploader")
    app.text_input(key="upload_password").input("väärä").run()
    assert app.error[0].body == t("fi", "upload.password_wrong")
    assert not app.get("file_uploader")
    app.text_input(key="upload_password").input("oikea salasana").run()
    assert app.get("file_uploader")


def test_a_valid_upload_becomes_a_wave_without_a_restart(upload_folder: Path) -> None:
    app = open_page("upload.py")
    app.text_input(key="upload_password").input("oikea salasana").run()
    # Real municipalities of 2010 in region 10 (the register check); "Testilä" is not Mikkeli's
    # name, a warning shown before confirming that does not stop the import.
    juva = {"municipality_code": "178", "municipality_name": "Juva"}
    data = file_text({"municipality_code": "491"}, juva).encode("utf-8")
    app.get("file_uploader")[0].set_value(("../../etc/passwd.csv", data, "text/csv")).run()
    assert app.success[0].body.startswith("Tiedosto kelpaa: 2 vastausriviä, kierros 2010")
    assert "Testilä" in app.warning[0].body and "Mikkeli" in app.warning[0].body
    app.button(key="upload_confirm").click().run()
    assert not app.exception
    assert app.success[0].body.startswith("Kierros 2010 on tuotu (2 riviä)")
    assert t("fi", "wave.untitled", wave="2010") in app.sidebar.selectbox(key="wave").options
    assert (upload_folder / "responses" / "2010.csv").exists()
    assert not (upload_folder.parent / "etc").exists()
    # The area defaults to the regions of the file's answers, derived, not written anywhere.
    assert "\n2010," not in (upload_folder / "waves.csv").read_text("utf-8")


def test_an_upload_takes_the_area_the_wave_was_sent_to(upload_folder: Path) -> None:
    """Issue #16: the coordinator names the area on the page; an answer outside it refuses the
    file with its line, and a named area is written into waves.csv."""
    app = open_page("upload.py", lang="en")
    app.text_input(key="upload_password").input("oikea salasana").run()
    area = app.selectbox(key="upload_area")
    assert area.options[0] == t("en", "upload.area_from_file")
    area.set_value("lappi").run()  # the AVI area of Lappi (19): Mikkeli is outside it
    data = file_text({"municipality_code": "491"}).encode("utf-8")  # Mikkeli, Etelä-Savo
    app.get("file_uploader")[0].set_value(("kysely.csv", data, "text/csv")).run()
    assert "outside the wave's area" in app.markdown[-1].value
    app.selectbox(key="upload_area").set_value("ita-suomi").run()
    said = t(
        "en",
        "import.described",
        area="Eastern Finland",
        area_source=t("en", "import.source.option"),
        questionnaire="2009",
        questionnaire_source=t("en", "import.source.columns"),
    )
    assert said in [c.value for c in app.caption]
    app.button(key="upload_confirm").click().run()
    # What the coordinator chose is written; the questionnaire of the columns is not.
    assert (
        (upload_folder / "waves.csv")
        .read_text("utf-8")
        .endswith("2010,,,,,,,,response,false,,ita-suomi,\n")
    )


def test_an_invalid_upload_lists_the_problems_and_changes_nothing(upload_folder: Path) -> None:
    before = snapshot(upload_folder)
    app = open_page("upload.py", lang="en")
    app.text_input(key="upload_password").input("oikea salasana").run()
    data = file_text({"region_code": "99"}, {"plan_status": "x", "municipality_code": "902"})
    data = data.encode("utf-8")
    app.get("file_uploader")[0].set_value(("bad.csv", data, "text/csv")).run()
    assert app.error[0].body == t("en", "upload.invalid", n=2)
    assert "Line 2, column region_code" in app.markdown[-1].value.replace("\\", "")
    assert not [button for button in app.button if button.key == "upload_confirm"]
    assert snapshot(upload_folder) == before


def test_the_accessibility_statement_names_the_feedback_channel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = open_page("accessibility.py", lang="en")
    assert t("en", "a11y.feedback_missing") in page_text(missing)
    monkeypatch.setenv("TILANNEKUVA_FEEDBACK_CONTACT", "saavutettavuus@example.fi")
    given = open_page("accessibility.py", lang="sv")
    assert "meddela tjänstens förvaltare: saavutettavuus@example.fi" in page_text(given)
    assert "streamlit/streamlit#1353" in page_text(given)


def test_a_rerun_redoes_no_figure_and_writes_no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit reruns the page on every click: the figures of an unchanged view come from the
    cache, and the download files are written only when a button is clicked (issue #9)."""
    from tilannekuva import figures
    from tilannekuva.web import ui

    calls: list[str] = []
    real_make = figures.make

    def counting_make(name: str, *args: object, **kwargs: object) -> figures.Figure:
        calls.append(name)
        return real_make(name, *args, **kwargs)

    def no_download(*args: object) -> bytes:
        calls.append("download")
        return b""

    monkeypatch.setattr(figures, "make", counting_make)
    monkeypatch.setattr(ui, "excel_fi_bytes", no_download)
    monkeypatch.setattr(ui, "csv_utf8_bytes", no_download)
    app = open_page("compare.py", lang="sv", region=["11"])
    assert "download" not in calls
    calls.clear()
    app.run()
    assert not app.exception
    assert len(app.get("vega_lite_chart")) == 2
    assert calls == []


def test_the_view_is_summed_up_in_the_main_area() -> None:
    """Issue #8: the headline never said which survey and year is shown, and on a phone the
    closed sidebar hid the filters. One line in the main area says them."""
    app = start_app(lang="sv", wave="esimerkki", region="10", artu="in_use")
    summary = re.sub(r"\\(.)", r"\1", app.caption[0].value)
    title = app.sidebar.selectbox(key="wave").format_func("esimerkki")
    artu = t("sv", "sidebar.filters_artu", artu=t("sv", "artu_filter.in_use"))
    parts = " · ".join([title, "Södra Savolax", artu])
    assert summary == t("sv", "sidebar.filters_summary", parts=parts)
    regional = start_app(lang="fi").caption[0].value
    # No region chosen: the area the wave was sent to, by its name (issue #16).
    assert "2009" in regional and area_name("ita-suomi", "fi") in regional
    assert "ARTU" not in regional  # the filter does not apply to a regional table


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_of_a_response_level_wave_says_unknowns_in_words(lang: str) -> None:
    """Issue #8: "Vuosi: None" (later ".."), a file path as the source and a response-rate
    sentence without its number."""
    app = start_app(lang=lang, wave="esimerkki")
    text = page_text(app)
    assert "None" not in text and "examples/" not in text
    metadata = next(m.value for m in app.markdown if m.value.startswith("- **"))
    assert ".." not in metadata
    assert t(lang, "overview.not_known") in metadata
    assert t(lang, "overview.intro_response", target="x").split("x")[-1] in text


UNKNOWN_AT_SENTENCE_END = re.compile(r"\.\.[)”\"]?\.|\.\.$", re.MULTILINE)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("page", ["scope.py", "data.py", "overview.py"])
def test_unknowns_never_end_a_sentence(page: str, lang: str) -> None:
    """Issue #8: ".." at the end of a sentence read as "...", a cut sentence."""
    for wave in ("2009", "esimerkki"):
        text = page_text(open_page(page, lang=lang, wave=wave))
        assert not UNKNOWN_AT_SENTENCE_END.search(text), UNKNOWN_AT_SENTENCE_END.search(text)


def test_shares_state_one_unit_for_the_waves_level() -> None:
    """Issue #8: the caption said N = responses while the counting rules said N =
    municipalities. The caption beside the shares says the unit of the wave's level."""
    regional = page_text(open_page("compare.py", lang="fi"))
    assert t("fi", "caption.counts", rate="70\xa0%") in regional
    responses = page_text(open_page("compare.py", lang="fi", wave="esimerkki"))
    assert t("fi", "caption.counts_response") in responses
    assert t("fi", "caption.counts", rate="..") not in responses


def test_scope_notes_say_which_cells_are_a_reading_of_the_source() -> None:
    """Issue #8: the short rows "5 1" and "- 3" are read from the left; the note is beside each
    of their cells, not only beside the blank one."""
    text = page_text(open_page("scope.py", lang="fi"))
    for region in ("Pohjois-Karjala", "Pohjois-Savo"):
        for measure in ("in_progress_municipal", "in_progress_sub_regional"):
            assert f"{region} – {t('fi', 'measure.' + measure)}:" in text


def test_page_options_come_from_and_go_to_the_address() -> None:
    """Issue #8: the comparison's mode and the worklist's year limit are kept in the address."""
    app = open_page("compare.py", mode="percent")
    assert not app.exception
    assert app.segmented_control(key="compare_mode").value == "percent"
    app.segmented_control(key="compare_mode").set_value("counts").run()
    assert "mode" not in app.query_params
    app = open_page("worklist.py", wave="esimerkki", before="2003")
    assert app.number_input(key="worklist_year").value == 2003
    app.number_input(key="worklist_year").set_value(2001).run()
    assert app.query_params["before"] == "2001"


@pytest.mark.parametrize(("page", "wave"), [("worklist.py", "esimerkki"), ("data.py", "2009")])
def test_tables_are_shown_whole(page: str, wave: str) -> None:
    """Issue #8: wide tables hid columns behind a scroll, long ones scrolled in a 10-row box, and
    the worklist's reasons and the data dictionary were cut. A table of up to 60 rows is a plain
    table (every row and column, long texts wrapped)."""
    app = open_page(page, wave=wave)
    assert app.table and not app.dataframe
    assert all(len(table.value) <= 60 for table in app.table)


def test_the_sidebar_names_the_pages_that_need_response_level_data() -> None:
    """Issue #8: the worklist, themes and municipalities pages were dead ends on the default
    wave with nothing in the navigation saying so; issue #21: the note left out the page of
    who answered, which is one too."""
    needing = ("worklist", "themes", "questions", "municipalities", "respondents")
    pages = ", ".join(t("sv", f"page.{p}") for p in needing)
    note = t("sv", "sidebar.nav_response_note", pages=pages)
    assert note in [c.value for c in start_app(lang="sv").sidebar.caption]
    assert note not in [c.value for c in start_app(lang="sv", wave="esimerkki").sidebar.caption]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_source_sentence_has_no_nested_quotes(lang: str) -> None:
    """Issue #8: /data wrapped the source, which quotes slide titles itself, in quotes of its
    own. The source now follows its label, quoted only as it quotes itself."""
    text = page_text(open_page("data.py", lang=lang))
    source = next(line for line in text.splitlines() if "Parempaan" in line)
    assert re.search(r"(Lähde|Källa|Source): Parempaan", source)
    assert not re.search(r"tuloksista\"[”“]", source)  # no quote closing around the source


def test_table_cells_stay_text() -> None:
    """A plain table reads cells as markdown: the nil symbol "-" once showed as a bullet."""
    app = open_page("data.py")
    symbols = next(table.value for table in app.table if len(table.value) == 2)
    assert symbols.iloc[0, 0] == "\\-"  # shown as "-", escaped for markdown


@pytest.mark.parametrize("page", ["overview.py", "compare.py"])
def test_regions_without_answers_in_the_wave_are_said_not_drawn(
    page: str, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An imported wave sent to Etelä-Savo and Pohjois-Karjala with answers from Etelä-Savo only,
    # viewed for Pohjois-Karjala: this broke the overview's row of metrics (st.columns(0)) and
    # the comparison's chart.
    mikkeli = {"municipality_code": "491", "municipality_name": "Mikkeli", "region_code": "10"}
    with (data_copy / "waves.csv").open("a", encoding="utf-8") as waves:
        waves.write("2010,,,,,,,,response,false,,10;12,\n")
    (data_copy / "responses").mkdir(exist_ok=True)
    stored = file_text({"wave": "2010", **mikkeli}, separator=",", newline="\n")
    (data_copy / "responses" / "2010.csv").write_text(stored, encoding="utf-8")
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    app = open_page(page, lang="en", wave="2010", region="12")
    assert not app.exception
    assert t("en", "notice.no_answers") in [element.body for element in app.info]
    assert not app.metric
