"""F6: every municipality-level table names a municipality and its sub-region by the register of
the wave's classification year in the UI language (Swedish in Swedish, Finnish in Finnish and
English; the fictional examples' English names from names_en.csv, issue #21), as the respondents
and municipality pages do, not as the response file writes it; the file's text only where the
register does not know the name. The expected names are read from the example register's own
files (data/examples/register/), not from the database."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import provenance_of, response, stored_text
from tilannekuva.config import PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.pack import pack_bytes
from tilannekuva.provenance import HELSINKI
from tilannekuva.tables import Selection, build_table

EXAMPLES = PROJECT_DIR / "data" / "examples"
ROUNDS = {"esimerkki-2010": 2010, "esimerkki-2012": 2012, "esimerkki-2014": 2014}
# Every table that lists municipalities of one wave by name: (table, its columns that hold a
# municipality code and the name of that municipality).
NAMED = {
    "municipalities": [("municipality_code", "municipality_name")],
    "worklist": [("municipality_code", "municipality_name")],
    "plan_coverage": [
        ("municipality_code", "municipality_name"),
        ("covered_by_code", "covered_by"),
    ],
    "respondent_agreement": [("municipality_code", "municipality_name")],
    "themes_partners_by_municipality": [("municipality_code", "municipality_name")],
    "non_respondents": [("municipality_code", "municipality_name")],
    "municipality_register": [("municipality_code", "municipality_name")],
}
WITH_SUB_REGION = ("municipalities", "worklist")


def register_rows(year: int) -> dict[str, dict[str, str]]:
    """The example register's rows of one year by municipality code, from its CSV file."""
    with (EXAMPLES / "register" / "municipalities.csv").open(encoding="utf-8") as handle:
        return {
            row["municipality_code"]: row
            for row in csv.DictReader(handle)
            if int(row["year"]) == year
        }


def file_sub_regions(wave: str) -> dict[str, str]:
    """The sub_region text of each municipality's answers in the round's response file (all of
    one municipality's answers write the same one in the examples)."""
    with (EXAMPLES / f"{wave}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts: dict[str, set[str]] = {}
    for row in rows:
        texts.setdefault(row["municipality_code"], set()).add(row["sub_region"])
    assert all(len(found) == 1 for found in texts.values()), texts
    return {code: found.pop() for code, found in texts.items()}


def english_names() -> dict[str, str]:
    with (EXAMPLES / "register" / "names_en.csv").open(encoding="utf-8") as handle:
        return {row["name_fi"]: row["name_en"] for row in csv.DictReader(handle)}


ENGLISH = english_names()


def expected(row: dict[str, str], part: str, lang: str) -> str:
    """A register name (``part``: name or sub_region) in a UI language: Swedish in Swedish,
    Finnish in Finnish, and in English the examples' English name of the Finnish one."""
    if lang == "sv":
        return row[f"{part}_sv"]
    finnish = row[f"{part}_fi"]
    return ENGLISH.get(finnish, finnish) if lang == "en" and finnish else finnish


def test_every_example_name_has_its_english_and_says_it_is_an_example() -> None:
    """No example name is left in Finnish on the English pages: every name and sub-region of
    the example register has an English one, each "(example)" where the Finnish says
    "(esimerkki)", and the file lists no name the register lacks."""
    with (EXAMPLES / "register" / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    finnish = {row[part] for row in rows for part in ("name_fi", "sub_region_fi") if row[part]}
    assert set(ENGLISH) == finnish
    for name_fi, name_en in ENGLISH.items():
        assert name_fi.endswith(" (esimerkki)") and name_en.endswith(" (example)")
        assert "esimerkki" not in name_en


def table(db: Database, name: str, wave: str, lang: str) -> pd.DataFrame:
    return build_table(db, name, Selection(wave, (), lang, total=False))


@pytest.mark.parametrize("lang", ["sv", "fi", "en"])
@pytest.mark.parametrize("name", sorted(NAMED))
def test_municipality_names_are_the_registers_in_the_ui_language(
    shipped_db: Database, name: str, lang: str
) -> None:
    checked = 0
    for wave, year in ROUNDS.items():
        register = register_rows(year)
        frame = table(shipped_db, name, wave, lang)
        for code_column, name_column in NAMED[name]:
            for code, shown in zip(frame[code_column], frame[name_column], strict=True):
                if pd.isna(code):  # plan_coverage: no plan covers it, so no one is named
                    assert pd.isna(shown)
                    continue
                assert shown == expected(register[code], "name", lang), (wave, code_column, code)
                checked += 1
    assert checked > 0, f"{name} has no named municipality in any example round"


@pytest.mark.parametrize("lang", ["sv", "fi", "en"])
@pytest.mark.parametrize("name", WITH_SUB_REGION)
def test_sub_regions_are_the_registers_else_the_files(
    shipped_db: Database, name: str, lang: str
) -> None:
    """The register names sub-regions only in Etelä-Savo (990, 991); elsewhere the answers' own
    sub_region text stays (the register does not know it), never a blank for a known one."""
    from_register = from_file = 0
    for wave, year in ROUNDS.items():
        register = register_rows(year)
        written = file_sub_regions(wave)
        frame = table(shipped_db, name, wave, lang)
        for code, shown in zip(frame["municipality_code"], frame["sub_region"], strict=True):
            if register[code][f"sub_region_{'sv' if lang == 'sv' else 'fi'}"]:
                assert shown == expected(register[code], "sub_region", lang), (wave, code)
                from_register += 1
            elif written[code]:
                assert shown == written[code], (wave, code)
                from_file += 1
            else:
                assert pd.isna(shown), (wave, code)
    assert from_register > 0 and from_file > 0


def test_swedish_names_differ_from_the_file_so_the_check_can_fail() -> None:
    # The file writes the Finnish name ("… (esimerkki)"); the register's Swedish one is
    # "… (exempel)": the tests above tell the two apart.
    with (EXAMPLES / "esimerkki-2014.csv").open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    register = register_rows(2014)[row["municipality_code"]]
    assert row["municipality_name"] == register["name_fi"] != register["name_sv"]
    assert row["sub_region"] == register["sub_region_fi"] != register["sub_region_sv"]


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_every_page_names_a_municipality_alike(shipped_db: Database, lang: str) -> None:
    """The worklist names a municipality as the respondents' chase list and the municipality page
    do (the probe's finding: `Esimerkkilä (esimerkki)` beside `Esimerkkilä (exempel)`)."""
    for wave in ROUNDS:
        offered = table(shipped_db, "municipality_register", wave, lang)
        names = dict(zip(offered["municipality_code"], offered["municipality_name"], strict=True))
        listed = table(shipped_db, "municipalities", wave, lang)
        assert len(listed) > 0
        for code, shown in zip(
            listed["municipality_code"], listed["municipality_name"], strict=True
        ):
            assert shown == names[code]


def test_a_wave_without_a_classification_year_keeps_the_files_names(
    shipped_db: Database,
) -> None:
    """The single example has no classification year: no register names its municipalities, so
    the file's names stay, in every language, and none is blank."""
    with (EXAMPLES / "esimerkki.csv").open(encoding="utf-8") as handle:
        written = {
            row["municipality_code"]: row["municipality_name"] for row in csv.DictReader(handle)
        }
    for lang in ("sv", "fi", "en"):
        for name in (
            "municipalities",
            "worklist",
            "plan_coverage",
            "themes_partners_by_municipality",
        ):
            frame = table(shipped_db, name, "esimerkki", lang)
            assert len(frame) > 0
            assert [written[code] for code in frame["municipality_code"]] == list(
                frame["municipality_name"]
            ), (name, lang)


def test_the_swedish_meeting_pack_names_the_worklist_by_the_register(
    shipped_db: Database, tmp_path: Path
) -> None:
    """The pack's worklist is the worklist table: in Swedish its municipalities carry the
    register's Swedish names."""
    selection = Selection("esimerkki-2014", ("10",), "sv")
    prov = provenance_of(shipped_db, selection, datetime(2026, 12, 4, 12, 0, tzinfo=HELSINKI))
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack_bytes(shipped_db, selection, prov))
    # Without -layout: a table cell's wrapped lines stay together, not between other columns'.
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # A word Typst hyphenated at a line's end ends with a soft hyphen: read it whole.
    text = " ".join(text.replace("\u00ad\n", "").split())
    worklist = build_table(shipped_db, "worklist", selection)
    register = register_rows(2014)
    assert len(worklist) > 0
    for code in worklist["municipality_code"]:
        assert register[code]["name_sv"] in text
        assert register[code]["name_fi"] not in text
    assert register["951"]["sub_region_sv"] in text
    assert register["951"]["sub_region_fi"] not in text


def test_a_real_wave_names_by_its_register_and_keeps_the_file_where_it_has_none(
    given_rows: Callable[..., Database],
) -> None:
    """A 2025 wave whose file writes Mikkeli (491) its own way and names a code the 2025 register
    does not have (999): Mikkeli by the register (S:t Michel in Swedish, its sub-region too), the
    unknown code by the file's name and sub-region, never blank."""
    db = given_rows(
        responses={
            "2025": stored_text(
                *(
                    response(
                        "municipality",
                        code,
                        "not_started",
                        wave="2025",
                        region_code="10",
                        municipality_name=written,
                        sub_region="Oma seutu",
                    )
                    for code, written in (("491", "Mikkelin kaupunki"), ("999", "Tuntematon"))
                )
            )
        }
    )
    expected = {
        "sv": [("S:t Michel", "491", "S:t Michel"), ("Tuntematon", "999", "Oma seutu")],
        "fi": [("Mikkeli", "491", "Mikkeli"), ("Tuntematon", "999", "Oma seutu")],
        "en": [("Mikkeli", "491", "Mikkeli"), ("Tuntematon", "999", "Oma seutu")],
    }
    for lang, rows in expected.items():
        for name in WITH_SUB_REGION:
            frame = table(db, name, "2025", lang)
            shown = frame[["municipality_name", "municipality_code", "sub_region"]]
            assert sorted(shown.itertuples(index=False, name=None)) == sorted(rows), (name, lang)
        coverage = table(db, "plan_coverage", "2025", lang)
        answered = coverage[coverage["coverage"] != "not_answered"]
        assert sorted(answered["municipality_name"]) == sorted(row[0] for row in rows)


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("municipality.py", {"wave": "esimerkki-2014", "municipality": "954"}),
        ("worklist.py", {"wave": "esimerkki-2014"}),
        ("respondents.py", {"wave": "esimerkki-2014"}),
    ],
)
def test_the_english_pages_name_the_examples_in_english(page: str, query: dict[str, str]) -> None:
    """Issue #21: "Tarula (esimerkki)" on the English page. In English every example name says
    "(example)", in the page's text and its tables."""
    from tests.helpers import open_page, page_text, shown_tables

    app = open_page(page, lang="en", **query)
    cells = [str(v) for frame in shown_tables(app) for v in frame.to_numpy().ravel()]
    text = page_text(app) + " ".join(cells)
    assert "(example)" in text
    # (a wave's id may say "esimerkki": the untitled single example is "Fictional example data
    # (esimerkki)"; no municipality or sub-region is named in Finnish or Swedish)
    assert not [name for name in ENGLISH if name in text]
    assert "(exempel)" not in text
