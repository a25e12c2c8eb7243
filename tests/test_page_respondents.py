"""The answered and not answered page through AppTest, in every language."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import example_silent, shown_tables
from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import LANGUAGES, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_in_every_language(lang: str) -> None:
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    app.query_params["lang"] = lang
    app.query_params["wave"] = "esimerkki-2012"
    app.run()
    app.switch_page("app_pages/respondents.py").run()
    assert not app.exception
    assert app.title[0].value == t(lang, "page.respondents")
    # Tables of up to 60 rows are shown whole (st.table, issue #8); both of the example's are.
    assert len(app.table) == 2 and not app.dataframe
    chase = shown_tables(app)[1]
    assert len(chase) == len(example_silent("esimerkki-2012", 2012))
    app.selectbox(key="respondents_type").set_value("police").run()
    assert len(app.table[1].value) > len(chase)
    buttons = [b.key for b in app.get("download_button")]
    assert "download_excel_respondents" in buttons and "download_csv_non_respondents" in buttons


def test_the_page_on_the_regional_table_offers_the_example() -> None:
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    app.query_params["wave"] = "2009"
    app.run()
    app.switch_page("app_pages/respondents.py").run()
    assert not app.exception and not app.dataframe
    assert app.button(key="try_example")
