"""The app's own script and styles (static/app.js, static/app.css), read once per process and
added to every page run by app.py: the page's language on <html>, keyboard-reachable tables that
scroll sideways, and the table and heading styles of issue #8. Shipped with the app, so no page
asks another host for anything."""

from __future__ import annotations

import json
from functools import cache

from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import t

STATIC_DIR = PROJECT_DIR / "static"


@cache
def _read(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


@cache
def script_html(lang: str) -> str:
    """The <script> of one language: static/app.js called with the language and the label of a
    table that scrolls sideways. Values go in as JSON, never as markup: ``lang`` is from the
    LANGUAGES allow-list and the label a catalogue text."""
    settings = {"lang": lang, "tableLabel": t(lang, "a11y.table_scroll_label")}
    return f"<script>({_read('app.js')})({json.dumps(settings)});</script>"


@cache
def style_html() -> str:
    return f"<style>{_read('app.css')}</style>"
