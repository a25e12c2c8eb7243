"""The app's own script and styles (tilannekuva/web/assets.py, static/app.js and app.css)."""

from __future__ import annotations

import json

import pytest

from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.web import assets


def test_the_script_has_no_tag_like_text() -> None:
    """Streamlit parses st.html as HTML before it runs a script: a "<html ...>" in a comment of
    app.js once stopped the script (the page kept lang="en" and tables lost their keyboard
    focus)."""
    assert "<" not in (PROJECT_DIR / "static" / "app.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_script_gets_the_language_and_the_label_as_json(lang: str) -> None:
    html = assets.script_html(lang)
    settings = {"lang": lang, "tableLabel": t(lang, "a11y.table_scroll_label")}
    assert html.startswith("<script>(") and html.endswith(f")({json.dumps(settings)});</script>")


def test_the_styles_are_one_style_element() -> None:
    html = assets.style_html()
    assert html.startswith("<style>") and html.endswith("</style>")
    assert html.count("<") == 2  # nothing but the style element itself
