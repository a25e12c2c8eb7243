"""The one door to the database: named queries, bound parameters, the lock, data file errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.helpers import cli_in_process, totals
from tilannekuva.config import QUERIES_DIR
from tilannekuva.db import Database, DataFileError, QueryError, fingerprint, load_queries
from tilannekuva.tables import wave_rows


def test_every_query_declares_exactly_the_parameters_it_uses() -> None:
    queries = load_queries()
    named = {path.stem for path in QUERIES_DIR.glob("*.sql") if not path.stem.startswith("_")}
    assert named == set(queries)
    assert "_macros" not in queries
    assert queries["region_status"].parameters == {
        *("wave", "regions", "artu", "lang"),
        *("total", "total_label", "regions_label"),
    }


def test_a_header_that_drifts_from_the_sql_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_text("-- bad: x\n-- $wave: text\nselect $wave, $regions\n")
    with pytest.raises(QueryError, match=r"bad\.sql"):
        load_queries(tmp_path)


def test_unknown_query_and_wrong_parameters_are_refused(shipped_db: Database) -> None:
    with pytest.raises(QueryError, match="unknown query"):
        shipped_db.run("drop_everything")
    with pytest.raises(QueryError, match="missing parameters"):
        shipped_db.run("region_status", artu="all", wave="2009", lang="fi")
    with pytest.raises(QueryError, match="unknown parameters"):
        shipped_db.run("regions", lang="fi", limit=1)


def test_a_query_asked_again_is_answered_once_and_each_caller_gets_its_own_frame(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The locked database cannot change: the same query with the same parameters is run once
    (issue #20 item 7), and a caller that changes its frame changes no later answer."""
    db = Database(data_copy)
    fetched: list[dict[str, object]] = []
    real_fetch = db._fetch

    def counting_fetch(sql: str, params: dict[str, object]) -> object:
        fetched.append(dict(params))
        return real_fetch(sql, params)

    monkeypatch.setattr(db, "_fetch", counting_fetch)
    view = {"artu": "all", "wave": "2009", "lang": "fi", **totals()}
    first = db.run("region_status", regions=["11", "10"], **view)
    expected = first.copy()
    first.loc[:, "plan_ready"] = -1  # a caller changes its copy
    again = db.run("region_status", regions=["11", "10"], **view)
    assert len(fetched) == 1
    assert again.equals(expected)
    other = db.run("region_status", regions=["10"], **view)  # other parameters: asked anew
    assert len(fetched) == 2 and len(other) < len(again)
    # Bounded: past the limit the oldest answer is dropped and asked anew when wanted again.
    monkeypatch.setattr("tilannekuva.db.KEPT_ANSWERS", 2)
    db.run("regions", lang="fi")
    assert len(db._answers) == 2 and len(fetched) == 3
    db.run("region_status", regions=["11", "10"], **view)
    assert len(fetched) == 4


@pytest.mark.parametrize(
    "hostile", ["x' or 1=1 --", "Côte d'Ivoire", "10'; drop table regions; --"]
)
def test_hostile_filter_values_give_no_rows_and_no_error(
    shipped_db: Database, hostile: str
) -> None:
    no_total = {"total": False, "total_label": "T", "regions_label": "T"}
    assert shipped_db.run(
        "region_status", artu="all", wave=hostile, regions=[], lang="fi", **no_total
    ).empty
    assert shipped_db.run(
        "region_status", artu="all", wave="2009", regions=[hostile], lang="fi", **no_total
    ).empty
    assert len(shipped_db.run("regions", lang="fi")) == 3


@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('/etc/passwd')",
        "copy regions to '/tmp/tilannekuva-leak.csv'",
        "attach '/tmp/tilannekuva-other.db' as other",
        "install httpfs",
        "set enable_external_access = true",
        "set lock_configuration = false",
    ],
)
def test_after_the_lock_files_extensions_and_settings_are_out_of_reach(
    shipped_db: Database, statement: str
) -> None:
    with pytest.raises(duckdb.Error):
        shipped_db._fetch(statement, {})
    assert not Path("/tmp/tilannekuva-leak.csv").exists()


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "region_status.csv").unlink()
    with pytest.raises(DataFileError) as caught:
        Database(data_copy)
    assert (caught.value.file, caught.value.problem) == ("region_status.csv", "missing")


def test_wrong_header_is_named(data_copy: Path) -> None:
    path = data_copy / "regions.csv"
    path.write_text(path.read_text().replace("name_fi", "nimi"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions\.csv: header is"):
        Database(data_copy)


def test_a_value_of_the_wrong_type_is_named_not_sniffed(data_copy: Path) -> None:
    path = data_copy / "region_status.csv"
    path.write_text(path.read_text().replace("2009,10,6,", "2009,10,six,"), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        Database(data_copy)
    assert caught.value.file == "region_status.csv"


def test_a_ragged_row_is_named(data_copy: Path) -> None:
    path = data_copy / "workshops.csv"
    path.write_text(path.read_text() + "2009,10,2009-10-02,extra\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        Database(data_copy)
    assert caught.value.file == "workshops.csv"


def test_a_region_that_does_not_exist_is_named(data_copy: Path) -> None:
    path = data_copy / "region_status.csv"
    path.write_text(path.read_text() + "2009,99,1,1,1,1,1,1,1,1,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown wave or region: 2009, 99"):
        Database(data_copy)


def test_a_duplicate_row_is_named(data_copy: Path) -> None:
    path = data_copy / "region_status.csv"
    path.write_text(path.read_text() + "2009,10,6,7,4,5,3,5,4,3,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="appears twice"):
        Database(data_copy)


def test_fingerprint_follows_content_not_time(data_copy: Path) -> None:
    before = fingerprint(data_copy)
    path = data_copy / "regions.csv"
    path.touch()
    assert fingerprint(data_copy) == before
    path.write_text(path.read_text().replace("South Savo", "Southern Savo"), encoding="utf-8")
    assert fingerprint(data_copy) != before


@pytest.mark.parametrize(
    "statement",
    [
        "select * from read_csv('.tmp/secret.csv')",
        "copy regions to '.tmp/leak.csv'",
        "attach '.tmp/other.db' as other",
    ],
)
def test_duckdbs_temp_directory_is_out_of_reach_too(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, statement: str
) -> None:
    # DuckDB allows its temp directory (.tmp in the working directory) even when external
    # access is off (issue #10); the database must reach nothing on disk after the lock.
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".tmp").mkdir()
    (tmp_path / ".tmp" / "secret.csv").write_text("a\n1\n")
    db = Database(data_copy)
    with pytest.raises(duckdb.Error):
        db._fetch(statement, {})
    assert sorted(p.name for p in (tmp_path / ".tmp").iterdir()) == ["secret.csv"]


def damaged_response_file(data_copy: Path, body: str) -> Database:
    (data_copy / "responses").mkdir()
    example = (data_copy / "examples" / "esimerkki.csv").read_text(encoding="utf-8")
    header, first = example.splitlines()[:2]
    (data_copy / "responses" / "2010.csv").write_text(
        header + "\n" + first.replace("esimerkki", "2010", 1) + "\n", encoding="utf-8"
    )
    (data_copy / "responses" / "2011.csv").write_text(body, encoding="utf-8")
    return Database(data_copy)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("root:x:0:0:root:/root:/bin/bash\n", "unknown root:x:0:0:root:/root:/bin/bash"),
        ("wave,respondent_type\n2011,kunta\n", "missing organisation, municipality_code"),
        (None, "rows of another wave"),  # a file named 2011.csv holding 2010's rows
        ("", "empty file"),
    ],
)
def test_one_damaged_response_file_leaves_every_other_wave_served(
    data_copy: Path, caplog: pytest.LogCaptureFixture, body: str | None, problem: str
) -> None:
    if body is None:
        example = (data_copy / "examples" / "esimerkki.csv").read_text(encoding="utf-8")
        header, first = example.splitlines()[:2]
        body = header + "\n" + first.replace("esimerkki", "2010", 1) + "\n"
    db = damaged_response_file(data_copy, body)
    assert [(w.wave, w.file) for w in db.unavailable] == [("2011", "responses/2011.csv")]
    assert problem in db.unavailable[0].problem
    waves = set(wave_rows(db, "fi")["wave_id"])
    assert {"2009", "2010", "esimerkki"} <= waves and "2011" not in waves
    regions_2009 = db.run(
        "region_status", wave="2009", regions=[], artu="all", lang="fi", **totals(total=False)
    )
    assert len(regions_2009) == 3
    assert "wave 2011 is unavailable" in caplog.text


def test_the_cli_check_names_the_damaged_file_and_what_is_wrong(data_copy: Path) -> None:
    damaged_response_file(data_copy, "wave,respondent_type\n2011,kunta\n")
    result = cli_in_process("check", data_dir=data_copy)
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines == [
        "error: data file responses/2011.csv: the header is not that of any questionnaire "
        "(closest: 2009): missing organisation, municipality_code, municipality_name, "
        "region_code, sub_region and 17 more (wave 2011 is not shown)"
    ]
    (data_copy / "responses" / "2011.csv").unlink()
    assert cli_in_process("check", data_dir=data_copy).returncode == 0
