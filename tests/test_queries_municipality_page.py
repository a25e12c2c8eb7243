"""The municipality page's tables (issue #7 item 4) on the shipped data. Expected values are read
by hand from data/examples/esimerkki-201*.csv and the fictional register in
data/examples/register/ (Tarula 955 merges into Keksitty 954 on 1 January 2013)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tilannekuva.db import QUERIES_DIR, Database
from tilannekuva.provenance import about_rows, make_provenance
from tilannekuva.register import load_register
from tilannekuva.tables import Selection, build_table
from tilannekuva.wave import Wave


def table(db: Database, name: str, wave: str, code: str, lang: str = "fi") -> pd.DataFrame:
    frame = build_table(db, name, Selection(wave, (), lang))
    return frame[frame["municipality_code"] == code].reset_index(drop=True)


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """The rows as plain tuples, unknown as None."""
    picked = frame[list(columns)].astype(object)
    return [tuple(row) for row in picked.where(picked.notna(), None).itertuples(index=False)]


def test_keksitty_shows_tarulas_earlier_answers_under_tarulas_name(shipped_db: Database) -> None:
    answers = table(shipped_db, "municipality_answers", "esimerkki-2014", "954")
    assert rows(answers, "wave_id", "answer_code", "answer_name", "respondent_type") == [
        ("esimerkki-2010", "954", "Keksitty (esimerkki)", "municipality"),
        ("esimerkki-2010", "955", "Tarula (esimerkki)", "municipality"),
        ("esimerkki-2012", "954", "Keksitty (esimerkki)", "municipality"),
        ("esimerkki-2014", "954", "Keksitty (esimerkki)", "municipality"),
        ("esimerkki-2014", "954", "Keksitty (esimerkki)", "rescue"),
    ]
    # esimerkki-2010.csv: Tarulan kunta, not_started, no plan year or scope, approval and
    # publication blank, ARTU false. Blanks stay unknown, never no.
    tarula = answers[answers["answer_code"] == "955"].iloc[0]
    assert tarula["plan_status"] == "not_started" and not tarula["artu_in_use"]
    for blank in ("plan_year", "plan_scope", "council_approved", "published"):
        assert pd.isna(tarula[blank]), blank
    # Keksitty 2010: ready 2008, municipal, approved and published, ARTU blank.
    keksitty = answers.iloc[0]
    assert (keksitty["plan_status"], keksitty["plan_year"], keksitty["plan_scope"]) == (
        "ready",
        2008,
        "municipal",
    )
    assert pd.isna(keksitty["artu_in_use"])


def test_who_answered_in_each_wave_with_the_predecessor_and_the_unmatched_wave(
    shipped_db: Database,
) -> None:
    waves = table(shipped_db, "municipality_waves", "esimerkki-2014", "954", lang="sv")
    columns = (
        "wave_id",
        "followed",
        "answer_code",
        "answer_name",
        "answered_municipality",
        "answered_police",
        "answered_rescue",
        "agree",
    )
    assert rows(waves, *columns) == [
        ("esimerkki-2010", "responses", "954", "Keksitty (exempel)", True, False, False, None),
        ("esimerkki-2010", "responses", "955", "Tarula (exempel)", True, False, False, None),
        ("esimerkki-2012", "responses", "954", "Keksitty (exempel)", True, False, False, None),
        # Tarula did not answer in 2012: a non-respondent, not an unknown.
        ("esimerkki-2012", "responses", "955", "Tarula (exempel)", False, False, False, None),
        # 2014: the municipality and the rescue services, both "ready".
        ("esimerkki-2014", "responses", "954", "Keksitty (exempel)", True, False, True, True),
        # The single example's codes (001-044) follow no register: it cannot tell.
        ("esimerkki", "no_register", None, None, None, None, None, None),
    ]
    # The path across the rounds (issue #21): the status by the answer the regional figures use
    # (own, else rescue, else police) and whose it is; none where nobody answered or it cannot
    # tell. esimerkki-2010.csv: Keksitty ready, Tarula not_started; 2012: Keksitty ready.
    assert rows(waves, "plan_status", "status_by") == [
        ("ready", "municipality"),
        ("not_started", "municipality"),
        ("ready", "municipality"),
        (None, None),
        ("ready", "municipality"),
        (None, None),
    ]
    # Where only the police answered, theirs is the status (esimerkki-2010.csv: Kokeilukoski 958).
    police = table(shipped_db, "municipality_waves", "esimerkki-2014", "958")
    assert rows(police, "wave_id", "answered_municipality", "plan_status", "status_by")[0] == (
        "esimerkki-2010",
        False,
        "not_started",
        "police",
    )


def test_a_municipality_merged_away_later_is_followed_to_its_successor(
    shipped_db: Database,
) -> None:
    waves = table(shipped_db, "municipality_waves", "esimerkki-2010", "955")
    assert rows(waves, "wave_id", "answer_code", "answer_name")[:3] == [
        ("esimerkki-2010", "955", "Tarula (esimerkki)"),
        ("esimerkki-2012", "955", "Tarula (esimerkki)"),
        ("esimerkki-2014", "954", "Keksitty (esimerkki)"),
    ]


def test_respondents_disagree_where_their_plan_statuses_differ(shipped_db: Database) -> None:
    # esimerkki-2014.csv, Esimerkkilä 951: the municipality and the police both say "ready".
    # esimerkki-2012.csv, Kuvitelmala 952: compare with the file's own rows.
    waves = table(shipped_db, "municipality_waves", "esimerkki-2014", "951")
    assert rows(waves, "wave_id", "agree")[:3] == [
        ("esimerkki-2010", True),
        ("esimerkki-2012", None),
        ("esimerkki-2014", True),
    ]
    source = pd.concat(
        pd.read_csv(path, dtype=str)
        for path in sorted(Path("data/examples").glob("esimerkki-201*.csv"))
    )
    for (wave, code), answers in source.groupby(["wave", "municipality_code"]):
        followed = table(shipped_db, "municipality_waves", wave, code)
        own = followed[(followed["wave_id"] == wave) & (followed["answer_code"] == code)]
        expected = None if len(answers) < 2 else answers["plan_status"].nunique() == 1
        got = own["agree"].iloc[0]
        assert (None if pd.isna(got) else bool(got)) == expected, (wave, code)


def test_a_regional_wave_has_no_municipality_answers_and_invents_none(
    shipped_db: Database,
) -> None:
    register = build_table(shipped_db, "municipality_register", Selection("2009", ("10",), "fi"))
    assert ("491", "Mikkeli") in rows(register, "municipality_code", "municipality_name")
    assert len(register) == 17  # Etelä-Savo on 1 January 2009 (data/register)
    waves = table(shipped_db, "municipality_waves", "2009", "491")
    assert rows(waves, "wave_id", "followed", "answered_municipality", "agree") == [
        ("2009", "regional_table", None, None)
    ]
    assert table(shipped_db, "municipality_answers", "2009", "491").empty


def test_real_and_fictional_registers_never_mix(shipped_db: Database) -> None:
    real = build_table(shipped_db, "municipality_register", Selection("2009", (), "fi"))
    fictional = build_table(shipped_db, "municipality_register", Selection("esimerkki-2012", ()))
    assert not set(real["municipality_code"]) & {str(code) for code in range(951, 964)}
    assert set(fictional["municipality_code"]) == {str(code) for code in range(951, 964)}
    waves = build_table(shipped_db, "municipality_waves", Selection("esimerkki-2012", ()))
    assert set(waves["wave_id"]) == {
        "esimerkki",
        "esimerkki-2010",
        "esimerkki-2012",
        "esimerkki-2014",
    }
    real_waves = build_table(shipped_db, "municipality_waves", Selection("2009", ()))
    assert set(real_waves["wave_id"]) == {"2009"}


@pytest.mark.parametrize(("from_year", "to_year"), [(2009, 2021), (2013, 2026)])
def test_the_crosswalk_view_follows_the_registers_own_crosswalk(
    data_copy: Path, from_year: int, to_year: int
) -> None:
    """waves_crosswalk (SQL) and register.Register.crosswalk (Python) give the same successor for
    every municipality of the real register."""
    with (data_copy / "waves.csv").open("a", encoding="utf-8") as waves:
        for year in (from_year, to_year):
            waves.write(f"test-{year},,,,{year},{year},municipalities,,response,false,test,,\n")
    # The view is read through a named query of its own, in a copy of the queries folder.
    queries = data_copy.parent / "queries"
    shutil.copytree(QUERIES_DIR, queries)
    (queries / "crosswalk_probe.sql").write_text(
        "-- crosswalk_probe: the real crosswalk between two years.\n"
        "-- $from_year: integer\n-- $to_year: integer\n"
        "select from_code, to_code from waves_crosswalk\n"
        "where not fictional and from_year = $from_year and to_year = $to_year\n",
        encoding="utf-8",
    )
    database = Database(data_copy, queries)
    probe = database.run("crosswalk_probe", from_year=from_year, to_year=to_year)
    found = set(zip(probe["from_code"], probe["to_code"], strict=True))
    expected = {
        (row.from_code, row.to_code) for row in load_register().crosswalk(from_year, to_year)
    }
    assert found == expected
    assert any(a != b for a, b in expected)  # some mergers between the years


def test_the_workbook_about_sheet_names_the_municipality() -> None:
    wave = Wave.from_record(
        {
            "wave_id": "esimerkki-2014",
            "title": "Esimerkkikierros 2014",
            "year": 2014,
            "classification_year": 2014,
            "target_group": "municipalities",
            "response_rate_percent": None,
            "level": "response",
            "fictional": True,
            "source": "examples/esimerkki-2014.csv",
        }
    )
    named = Selection("esimerkki-2014", (), "fi", municipality="Keksitty (esimerkki) (954)")
    about = about_rows(make_provenance(wave, named, {"10": "Etelä-Savo"}), "fi")
    assert ("Kunta", "Keksitty (esimerkki) (954)") in about
    plain = about_rows(make_provenance(wave, Selection("esimerkki-2014"), {}), "fi")
    assert "Kunta" not in [label for label, _ in plain]


@pytest.mark.parametrize(
    ("name", "wave"),
    [
        ("municipality_waves", "esimerkki-2014"),
        ("municipality_waves", "esimerkki-2010"),
        ("municipality_waves", "2009"),  # a regional table: rows that say it cannot tell
        ("municipality_answers", "esimerkki-2014"),
        ("municipality_answers", "esimerkki-2010"),
    ],
)
def test_one_municipality_read_alone_is_its_rows_of_all(
    shipped_db: Database, name: str, wave: str
) -> None:
    """The page reads one municipality's path across the waves alone (issue #22: with 2,000
    waves stored every municipality x every wave was 600,000 rows); the rows are the same."""
    every = build_table(shipped_db, name, Selection(wave, (), "fi"))
    codes = sorted(set(every["municipality_code"]))[:4]
    assert codes
    for code in codes:
        alone = build_table(shipped_db, name, Selection(wave, (), "fi", municipality_code=code))
        expected = every[every["municipality_code"] == code].reset_index(drop=True)
        # (a column without a blank may come back as bool rather than boolean: values compared)
        pd.testing.assert_frame_equal(alone.reset_index(drop=True), expected, check_dtype=False)


# Given rows (tests/conftest.py's two_rounds): the page's tables of one municipality.


def test_the_register_offers_every_municipality_of_the_region_in_swedish(two_rounds) -> None:
    offered = two_rounds.run("municipality_register", wave="w2", regions=[], lang="sv")
    register = load_register().municipalities_of(2025, ["10"])
    assert sorted(offered["municipality_code"]) == sorted(m.code for m in register)
    names = dict(zip(offered["municipality_code"], offered["municipality_name"], strict=True))
    assert (names["491"], names["178"]) == ("S:t Michel", "Juva")
    assert set(offered["region"]) == {"Södra Savolax"}


def test_the_path_across_rounds_of_one_municipality(two_rounds) -> None:
    waves = two_rounds.run(
        "municipality_waves", wave="w2", regions=[], lang="fi", municipality_code="491"
    )
    columns = ("wave_id", "answered_municipality", "answered_police", "answered_rescue")
    assert rows(waves, *columns, "agree", "plan_status", "status_by") == [
        # One answer in 2024: whether the troika agrees is unknown, never "yes".
        ("w1", True, False, False, None, "started", "municipality"),
        # 2025: the municipality says ready, its police started; the municipality's counts.
        ("w2", True, True, False, False, "ready", "municipality"),
    ]


def test_every_answer_about_one_municipality_side_by_side(two_rounds) -> None:
    answers = two_rounds.run(
        "municipality_answers", wave="w2", regions=[], lang="fi", municipality_code="491"
    )
    columns = ("wave_id", "answer_name", "respondent_type", "plan_status", "plan_year")
    assert rows(answers, *columns, "council_approved", "artu_in_use") == [
        ("w1", "Mikkeli", "municipality", "started", None, None, None),
        ("w2", "Mikkeli", "municipality", "ready", 2008, None, True),
        ("w2", "Mikkeli", "police", "started", None, None, None),
    ]
