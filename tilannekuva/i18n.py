"""UI strings in Finnish (default), Swedish and English.

A language's catalogue is every ``locales/<lang>/*.json`` file merged: one file per area of the
app, named after it (``app.json`` the frame and sidebar, ``overview.json``, ``compare.json``,
``upload.json``, ``outputs.json`` for the files the app writes, ``columns.json`` for table
headers, ``files.json`` for the words of download file names, …). A key's prefix says its area,
and all keys of one prefix live in one file (``compare.*`` in compare.json): a new key goes into
the file where its prefix already is. The languages have identical keys, and no key is defined in
two files (tests/test_i18n.py holds them to it). Pages never hard-code a UI string: they ask
:func:`t` by key.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Literal

Lang = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Lang, ...] = ("fi", "sv", "en")
DEFAULT_LANG: Lang = "fi"
LANGUAGE_NAMES: dict[str, str] = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
BABEL_LOCALES: dict[str, str] = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}

_LOCALES_DIR = Path(__file__).resolve().parent / "locales"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of one language; an unknown language falls back to Finnish."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANG
    merged: dict[str, str] = {}
    for part in catalogue_files(lang):
        merged.update(json.loads(part.read_text(encoding="utf-8")))
    return merged


def catalogue_files(lang: str) -> list[Path]:
    """The files of one language's catalogue, in a stable order."""
    return sorted((_LOCALES_DIR / lang).glob("*.json"))


def t(lang: str, key: str, **values: object) -> str:
    """The string ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``.

    An unknown key raises KeyError: a missing translation is a bug that tests must catch, not a
    blank to show users."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


def format_day(day: dt.date, lang: str) -> str:
    """A day: 17.9.2009 (fi, sv), 17 September 2009 (en). Here, not in formatting, so that the
    command line's messages need neither pandas nor Babel."""
    if lang == "en":
        return f"{day.day} {t(lang, f'month.{day.month}')} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"
