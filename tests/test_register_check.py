"""Issue #7 item 2: every wave says its classification year; response files are checked against
the register of that year (unknown code and wrong region refuse, a different name warns)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.helpers import cli_in_process, file_text, previous_wave
from tilannekuva.config import PROJECT_DIR
from tilannekuva.datafiles import declared_classification_years
from tilannekuva.db import Database
from tilannekuva.importer import import_responses, validate_file
from tilannekuva.register import load_register
from tilannekuva.register_check import classification_year, register_findings
from tilannekuva.responses import read_responses
from tilannekuva.tables import wave_rows

MIKKELI = {"municipality_code": "491", "municipality_name": "Mikkeli"}


def data(*rows: dict[str, str]) -> bytes:
    return file_text(*rows).encode("utf-8")


def test_the_year_comes_from_waves_csv_else_from_the_wave_id() -> None:
    years = list(range(2009, 2027))
    assert classification_year("kevat", {"kevat": 2015}, years) == 2015
    assert classification_year("2025-syksy", {}, years) == 2025
    assert classification_year("2025", {"2025": None}, years) == 2025
    assert classification_year("2030", {}, years) is None
    assert classification_year("20251", {}, years) is None
    assert classification_year("kevat", {}, years) is None


def test_the_shipped_2009_table_uses_the_2009_classification(shipped_db: Database) -> None:
    waves = wave_rows(shipped_db, "fi").set_index("wave_id")
    assert waves.loc["2009", "classification_year"] == 2009


def test_a_real_municipality_of_the_right_region_is_accepted(data_copy: Path) -> None:
    report = validate_file(data(MIKKELI), data_copy)
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.warnings == []


def test_an_unknown_code_is_refused_with_its_line_and_column(data_copy: Path) -> None:
    # 901 was never a municipality code; 992 (Äänekoski) is one, in region 13.
    report = validate_file(data(MIKKELI, {"municipality_code": "901"}), data_copy)
    assert [(p.code, p.line, p.column) for p in report.problems] == [
        ("register_unknown_code", 3, "municipality_code")
    ]
    assert "2010" in report.problems[0].message("fi")


def test_a_code_in_another_region_is_refused(data_copy: Path) -> None:
    wrong = {"municipality_code": "992", "municipality_name": "Äänekoski", "region_code": "10"}
    report = validate_file(data(wrong), data_copy)
    [problem] = report.problems
    assert (problem.code, problem.line, problem.column) == (
        "register_wrong_region",
        2,
        "region_code",
    )
    assert problem.values["expected"] == "13"
    for lang in ("fi", "sv", "en"):
        assert "13" in problem.message(lang)


def test_a_merged_code_is_refused_in_a_later_year(data_copy: Path) -> None:
    # Ristiina (696) merged into Mikkeli on 1 January 2013 (data/register/changes.csv).
    ristiina = {"municipality_code": "696", "municipality_name": "Ristiina"}
    assert validate_file(data(ristiina), data_copy).ok  # wave 2010
    later = validate_file(data(ristiina | {"wave": "2013"}), data_copy)
    assert [p.code for p in later.problems] == ["register_unknown_code"]


def test_a_different_name_is_a_warning_not_a_problem(data_copy: Path) -> None:
    report = validate_file(
        data({"municipality_code": "491", "municipality_name": "Mikkelin kaupunki"}), data_copy
    )
    assert report.ok
    [warning] = report.warnings
    assert (warning.code, warning.line, warning.column) == (
        "register_name_differs",
        2,
        "municipality_name",
    )
    assert "Mikkeli" in warning.message("sv")
    swedish = validate_file(
        data({"municipality_code": "491", "municipality_name": "S:t Michel"}), data_copy
    )
    assert swedish.ok and swedish.warnings == []


def test_a_wave_without_a_classification_year_is_refused(data_copy: Path) -> None:
    report = validate_file(data(MIKKELI | {"wave": "kevat"}), data_copy)
    assert [(p.code, p.column) for p in report.problems] == [("no_classification_year", "wave")]


def test_a_wave_row_in_waves_csv_gives_the_year(data_copy: Path) -> None:
    waves = data_copy / "waves.csv"
    waves.write_text(
        waves.read_text(encoding="utf-8")
        + "kevat,K,K,K,2013,2013,municipalities,,response,false,test,,\n",
        encoding="utf-8",
    )
    ristiina = {"municipality_code": "696", "municipality_name": "Ristiina", "wave": "kevat"}
    assert [p.code for p in validate_file(data(ristiina), data_copy).problems] == [
        "register_unknown_code"
    ]
    assert validate_file(data(MIKKELI | {"wave": "kevat"}), data_copy).ok


def test_the_cli_shows_the_warnings_of_an_accepted_file(data_copy: Path, tmp_path: Path) -> None:
    source = tmp_path / "wave.csv"
    source.write_bytes(data({"municipality_code": "491", "municipality_name": "Mikkelin kaupunki"}))
    result = cli_in_process("validate", str(source), "--lang", "en", data_dir=data_copy)
    assert result.returncode == 0, result.stderr
    assert b"Notes (1)" in result.stdout and b"Mikkelin kaupunki" in result.stdout


def test_a_wave_of_any_region_imports_and_its_region_is_listed(data_copy: Path) -> None:
    # Helsinki (091) in Uusimaa (01): regions.csv names every region of 2009–2026, and the
    # region lists show the regions that some wave has data for.
    helsinki = {"municipality_code": "091", "municipality_name": "Helsinki", "region_code": "01"}
    assert "01" not in set(Database(data_copy).run("regions", lang="fi")["region_code"])
    result = import_responses(data(helsinki | {"wave": "2025"}), data_copy)
    assert result.ok, [p.message("en") for p in result.all_problems()]
    regions = Database(data_copy).run("regions", lang="en").set_index("region_code")["region"]
    assert regions["01"] == "Uusimaa"


def test_regions_csv_names_every_region_of_the_register() -> None:
    # Finnish and Swedish names as the register gives them for 2009 and 2026; English added.
    register = load_register()
    with (PROJECT_DIR / "data" / "regions.csv").open(encoding="utf-8") as handle:
        rows = {row["region_code"]: row for row in csv.DictReader(handle)}
    regions = [region for year in (2009, 2026) for region in register.regions_of(year)]
    assert set(rows) == {region.code for region in regions}
    for region in regions:
        row = rows[region.code]
        assert (row["name_fi"], row["name_sv"]) == (region.name_fi, region.name_sv)
        assert row["name_en"]


# Issue #7 item 7: the fictional example rounds and their own fictional register.

EXAMPLES = PROJECT_DIR / "data" / "examples"
ROUNDS = ("esimerkki-2010", "esimerkki-2012", "esimerkki-2014")


def test_each_example_round_passes_against_the_fictional_register() -> None:
    register = load_register(EXAMPLES / "register")
    declared = declared_classification_years(PROJECT_DIR / "data")
    for wave in ROUNDS:
        report = read_responses((EXAMPLES / f"{wave}.csv").read_bytes(), ["10", "11", "12"])
        assert report.ok, [p.message("en") for p in report.problems]
        assert declared[wave] == int(wave[-4:])
        assert register_findings(report, register, declared) == ([], [])


def test_the_fictional_register_cannot_be_mistaken_for_the_real_one() -> None:
    real = load_register()
    fictional = load_register(EXAMPLES / "register")
    real_codes = {m.code for m in real.municipalities}
    for municipality in fictional.municipalities:
        assert municipality.code not in real_codes, municipality
        assert "(esimerkki)" in municipality.name_fi and "(exempel)" in municipality.name_sv
    # And the real register refuses the example: its codes are unknown there.
    report = read_responses((EXAMPLES / "esimerkki-2010.csv").read_bytes(), ["10", "11", "12"])
    problems, _ = register_findings(report, real, {"esimerkki-2010": 2010})
    assert {p.code for p in problems} == {"register_unknown_code"}


def test_the_example_rounds_are_fictional_and_ordered_by_year(shipped_db: Database) -> None:
    waves = wave_rows(shipped_db, "en").set_index("wave_id")
    assert [bool(waves.loc[wave, "fictional"]) for wave in ROUNDS] == [True, True, True]
    assert [int(waves.loc[wave, "classification_year"]) for wave in ROUNDS] == [2010, 2012, 2014]
    for wave in ROUNDS:
        assert previous_wave(shipped_db, wave) is None  # never compared with a real wave
    # The register tables keep the two kinds apart by their fictional column.
    examples = shipped_db._fetch(
        "select count(*) as n from register_municipalities where fictional and year = 2010", {}
    )
    assert int(examples["n"].iloc[0]) == 13


def test_the_example_has_what_it_is_for() -> None:
    # Non-respondents, a merger, a plan going from not started to ready, both wider scopes.
    register = load_register(EXAMPLES / "register")
    rows = {
        wave: list(csv.DictReader((EXAMPLES / f"{wave}.csv").open(encoding="utf-8")))
        for wave in ROUNDS
    }
    for wave in ROUNDS:
        year = int(wave[-4:])
        answered = {row["municipality_code"] for row in rows[wave]}
        assert {m.code for m in register.municipalities_of(year)} - answered
    assert [c.kind for c in register.changes] == ["merger"]
    status = [
        next(
            r["plan_status"]
            for r in rows[wave]
            if r["municipality_code"] == "951" and r["respondent_type"] == "municipality"
        )
        for wave in ROUNDS
    ]
    assert status == ["not_started", "started", "ready"]
    scopes = {row["plan_scope"] for wave in ROUNDS for row in rows[wave]}
    assert {"sub_regional", "province_wide"} <= scopes
