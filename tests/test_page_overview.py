"""The overview page through AppTest: the headline figures, their few-answers mark and change
since the previous wave, and the survey's source in words."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import EXAMPLE_2012, EXAMPLE_2014, open_page, page_text
from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import LANGUAGES, t


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_marks_headline_figures_over_few_answers(lang: str) -> None:
    """Issue #8: the comparison marked a share over fewer than 5 answers, the overview's headline
    figures did not. Pohjois-Karjala in the 2012 example has 3 municipalities."""
    mark, meaning = t(lang, "few_answers.mark"), t(lang, "few_answers.text")
    few = open_page("overview.py", lang=lang, wave="esimerkki-2012", region="12")
    captions = [caption.value.replace("\\", "") for caption in few.caption]
    metric_captions = [c for c in captions if c.startswith("n/N")]
    assert len(metric_captions) == len(few.metric) == 4
    assert all(c.endswith(f"**{mark}**") for c in metric_captions)
    assert meaning in captions
    many = open_page("overview.py", lang=lang, wave="esimerkki-2012")  # 11 municipalities
    text = page_text(many)
    assert mark not in text and meaning not in text


def test_the_overview_names_the_previous_wave_by_its_title() -> None:
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    for key, value in {"wave": EXAMPLE_2014, "region": "12", "lang": "sv"}.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    captions = [c.value for c in app.caption]
    expected = "Förändring från föregående omgång – Exempelomgång 2012 (fiktiv): 1/3 → 2/3."
    assert expected in captions
    assert not any(EXAMPLE_2012 in caption for caption in captions)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("wave", ["esimerkki-2014", "esimerkki"])
def test_overview_names_the_source_of_a_response_wave_in_words(lang: str, wave: str) -> None:
    """The source of a shipped example is "examples/esimerkki-2014.csv: kuvitteellinen esimerkki
    (fictional example; ...)": the overview showed its last path part, ")"."""
    text = page_text(open_page("overview.py", lang=lang, wave=wave))
    source = f"- **{t(lang, 'col.source')}:** {t(lang, 'prov.source_example', wave=wave)}"
    assert source in text.splitlines()
    assert "examples/" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_cites_the_publication_of_the_2009_table(lang: str) -> None:
    text = page_text(open_page("overview.py", lang=lang, wave="2009"))
    assert "Suunnittelun tilanne" in text  # the slide's title, as waves.csv cites it
