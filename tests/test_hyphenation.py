"""Soft hyphens in table headers (issue #19 item 3): Voikko for Finnish, pyphen for Swedish,
English as it is; the page's plain tables carry them, the downloads never."""

from __future__ import annotations

import logging
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import open_page, provenance_of
from tilannekuva import hyphenation
from tilannekuva.db import Database
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes
from tilannekuva.hyphenation import SOFT_HYPHEN, hyphenated
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.pack import pack_bytes
from tilannekuva.provenance import HELSINKI
from tilannekuva.tables import TABLES, Selection, build_table

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=HELSINKI)


def breaks(text: str) -> list[str]:
    return text.split(SOFT_HYPHEN)


@pytest.mark.parametrize(
    ("lang", "text", "parts"),
    [
        # Finnish compounds break at their parts and syllables, as Voikko knows them.
        ("fi", "Vastausprosentti", ["Vas", "taus", "pro", "sent", "ti"]),
        ("fi", "Maakuntakoodi", ["Maa", "kun", "ta", "koo", "di"]),
        ("fi", "Valmis", ["Val", "mis"]),
        # Never a single letter alone on a line: "O-suus", "A-loittamatta".
        ("fi", "Osuus", ["Osuus"]),
        ("fi", "Aloittamatta", ["Aloit", "ta", "mat", "ta"]),
        ("sv", "Svarsprocent", ["Svars", "pro", "cent"]),
        ("en", "Municipalities", ["Municipalities"]),
    ],
)
def test_a_header_breaks_at_its_language_s_hyphenation_points(
    lang: str, text: str, parts: list[str]
) -> None:
    assert breaks(hyphenated(text, lang)) == parts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figures_and_short_words_are_never_touched(lang: str) -> None:
    for text in ("n", "N (vastanneet)", "Osuus, %", "13 / 44", "2009", "share"):
        shown = hyphenated(text, lang)
        assert shown.replace(SOFT_HYPHEN, "") == text
        for figure in ("13", "44", "2009", "%"):
            if figure in text:
                assert figure in shown


def test_without_voikko_the_text_is_as_it_was_and_the_log_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import libvoikko

    def missing(*args: object, **kwargs: object) -> None:
        raise OSError("libvoikko.so.1: cannot open shared object file")

    monkeypatch.setattr(libvoikko, "Voikko", missing)
    hyphenation._hyphenator.cache_clear()
    hyphenated.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="tilannekuva.hyphenation"):
            assert hyphenated("Vastausprosentti", "fi") == "Vastausprosentti"
            assert hyphenated("Maakuntakoodi", "fi") == "Maakuntakoodi"
        assert sum("Voikko is not available" in r.message for r in caplog.records) == 1
    finally:
        hyphenation._hyphenator.cache_clear()
        hyphenated.cache_clear()


def test_the_page_s_table_headers_carry_soft_hyphens_and_its_downloads_do_not(
    shipped_db: Database,
) -> None:
    app = open_page("compare.py", lang="fi", wave="2009")
    headers = [str(column) for table in app.table for column in table.value.columns]
    assert hyphenated(t("fi", "col.region_code"), "fi") in headers
    assert any(SOFT_HYPHEN in header for header in headers)
    # The files are made from the table, not from the page's cells.
    spec = TABLES["region_status"]
    frame = build_table(shipped_db, "region_status", Selection("2009", (), "fi"))
    for body in (excel_fi_bytes(spec, frame, "fi"), csv_utf8_bytes(spec, frame)):
        assert SOFT_HYPHEN.encode() not in body


def test_the_pack_s_table_headers_break_at_hyphenation_points_only(
    shipped_db: Database, tmp_path: Path
) -> None:
    """The worklist's header row in the meeting pack: a header word that breaks there breaks
    at one of its Finnish hyphenation points, with a visible hyphen."""
    selection = Selection("esimerkki-2014", (), "fi")
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pack_bytes(shipped_db, selection, provenance_of(shipped_db, selection, NOW)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    headers = [t("fi", f"col.{column}") for column in TABLES["worklist"].column_ids]
    allowed = {
        SOFT_HYPHEN.join(parts[:cut])
        for header in headers
        for word in header.split()
        for parts in [breaks(hyphenated(word, "fi"))]
        for cut in range(1, len(parts))
    }
    # The soft hyphens are in the text (a reader skips them); a word broken at the end of a line
    # ends with one, drawn as a hyphen. Only the header rows have them, never a figure.
    lines = text.splitlines()
    plain_lines = [line.replace(SOFT_HYPHEN, "") for line in lines]
    row = lines[
        plain_lines.index(
            next(
                line
                for line in plain_lines
                if t("fi", "col.municipality_name") in line and t("fi", "col.region") in line
            )
        )
    ]
    broken = [token.rstrip(SOFT_HYPHEN) for token in row.split() if token.endswith(SOFT_HYPHEN)]
    broken = [word.replace(SOFT_HYPHEN, "") for word in broken]
    assert broken, "a header of the narrow columns breaks (Suunnitelman vuosi)"
    assert not re.search(f"\\d{SOFT_HYPHEN}|{SOFT_HYPHEN}\\d", text)  # a figure never breaks
    plain = {prefix.replace(SOFT_HYPHEN, "") for prefix in allowed}
    assert all(word in plain for word in broken), broken
