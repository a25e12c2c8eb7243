"""Every page through Streamlit's AppTest: renders in fi, sv and en, follows the filters, restores
the view from the address, and fails politely on bad data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import LANGUAGES, t

APP = str(PROJECT_DIR / "app.py")
PAGES = sorted(path.name for path in (PROJECT_DIR / "app_pages").glob("*.py"))


def start(**query: str | list[str]) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def open_page(page: str, **query: str | list[str]) -> AppTest:
    app = start(**query)
    return app.switch_page(f"app_pages/{page}").run()


def page_text(app: AppTest) -> str:
    parts = [element.value for element in app.markdown]
    parts += [element.value for element in app.caption]
    parts += [element.body for element in app.info]
    parts += [str(element.value) for element in app.metric]
    # Data in markdown is backslash-escaped (ui.escape_markdown); read it as the user sees it.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(part) for part in parts))


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_every_page_file_is_in_the_navigation() -> None:
    source = (PROJECT_DIR / "app.py").read_text(encoding="utf-8")
    assert PAGES and all(f'("{page}", ' in source for page in PAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(page: str, lang: str) -> None:
    app = open_page(page, lang=lang)
    assert not app.exception, [e.message for e in app.exception]
    assert app.title, "every page has a title"
    assert app.sidebar.selectbox(key="lang").value == lang
    assert app.dataframe, "every page shows at least one table"


def test_overview_headline_figures_for_all_regions() -> None:
    app = start()
    label = t("fi", "measure.plan_ready")
    assert metric(app, label) == "36,4\xa0%"
    assert "n/N = 16/44" in page_text(app)
    assert metric(app, t("fi", "measure.artu_in_use")) == "13,6\xa0%"
    assert "70\xa0%" in page_text(app)


def test_changing_the_region_filter_changes_the_figures() -> None:
    app = start()
    app.sidebar.multiselect(key="region").select("12").run()
    assert not app.exception
    assert metric(app, t("fi", "measure.plan_ready")) == "7,1\xa0%"
    assert "n/N = 1/14" in page_text(app)
    assert app.query_params["region"] == "12"
    app.sidebar.multiselect(key="region").select("10").run()
    assert app.query_params["region"] == ["10", "12"]
    assert metric(app, t("fi", "measure.plan_ready")) == "22,6\xa0%"


def test_the_address_restores_the_view() -> None:
    app = start(lang="sv", wave="2009", region=["12", "10"])
    assert app.sidebar.selectbox(key="lang").value == "sv"
    assert app.sidebar.multiselect(key="region").value == ["10", "12"]
    # 6 + 1 plans ready of 17 + 14 responses.
    assert metric(app, t("sv", "measure.plan_ready")) == "22,6\xa0%"
    assert app.title[0].value == t("sv", "app.title")


def test_unknown_address_values_are_dropped_with_a_notice() -> None:
    app = start(lang="de", wave="1999", region=["10", "99", "<b>x</b>"])
    assert not app.exception
    notices = [warning.body for warning in app.warning]
    assert len(notices) == 4
    assert any("de" in notice and "lang" in notice for notice in notices)
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
    assert len(app.info) == 2


def test_a_changed_data_file_is_seen_on_the_next_run(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_copy))
    app = start()
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
    app = start(lang="en")
    assert not app.exception
    assert app.title[0].value == t("en", "error.data_title")
    assert "**waves.csv**" in app.error[0].body and "header is" in app.error[0].body
