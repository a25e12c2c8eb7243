"""Importing response files: nothing lost, nothing half-written, one import at a time."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import cli_in_process, file_text, snapshot
from tilannekuva import importer
from tilannekuva.config import PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.importer import TEMP_PREFIX, import_responses, sweep_temporary_files
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.register import load_register
from tilannekuva.responses import read_responses
from tilannekuva.tables import Selection, build_table, wave_rows


def wave_file(*rows: dict[str, str]) -> bytes:
    return file_text(*rows).encode("utf-8")


# Imports are checked against the register of the wave's year (2010 here): real municipalities of
# Etelä-Savo (region 10, as BASE gives).
MIKKELI = {"municipality_code": "491", "municipality_name": "Mikkeli"}
JUVA = {"municipality_code": "178", "municipality_name": "Juva"}
ONE = wave_file(MIKKELI)
TWO = wave_file(MIKKELI, JUVA)


def stored(data_copy: Path, wave: str = "2010") -> bytes:
    return (data_copy / "responses" / f"{wave}.csv").read_bytes()


def stored_answers(db: Database, wave: str = "2010") -> list[tuple[str, str]]:
    """The wave's answers as the database serves them (the municipality page's table of every
    answer): (municipality code, respondent type), sorted."""
    frame = build_table(db, "municipality_answers", Selection(wave, (), "fi"))
    frame = frame[frame["wave_id"] == wave]
    return sorted(zip(frame["municipality_code"], frame["respondent_type"], strict=True))


def test_an_accepted_file_becomes_a_wave(data_copy: Path) -> None:
    result = import_responses(TWO, data_copy)
    assert result.ok, [p.message("en") for p in result.all_problems()]
    assert result.path == data_copy / "responses" / "2010.csv"
    assert stored(data_copy).startswith(b"wave,respondent_type,organisation,")
    db = Database(data_copy)
    assert stored_answers(db) == [("178", "municipality"), ("491", "municipality")]
    assert "2010" in set(wave_rows(db, "fi")["wave_id"])


def test_a_rejected_file_changes_nothing(data_copy: Path) -> None:
    before = snapshot(data_copy)
    result = import_responses(wave_file({"region_code": "99"}), data_copy)
    assert not result.ok
    assert snapshot(data_copy) == before


def test_an_existing_wave_needs_replace_and_the_old_file_is_archived(data_copy: Path) -> None:
    assert import_responses(ONE, data_copy).ok
    first = stored(data_copy)
    before = snapshot(data_copy)
    refused = import_responses(TWO, data_copy)
    assert [p.code for p in refused.all_problems()] == ["wave_exists"]
    assert snapshot(data_copy) == before
    replaced = import_responses(TWO, data_copy, replace=True)
    assert replaced.ok and replaced.archived is not None
    assert replaced.archived.parent == data_copy / "archive"
    assert replaced.archived.read_bytes() == first
    assert stored(data_copy) != first


def test_a_round_in_several_files_is_added_to_one_wave(data_copy: Path) -> None:
    """Issue #17: the municipalities' answers from one form, the police's from another."""
    assert import_responses(ONE, data_copy).ok
    first = stored(data_copy)
    police = wave_file(*({**row, "respondent_type": "poliisi"} for row in (MIKKELI, JUVA)))
    added = import_responses(police, data_copy, add=True)
    assert added.ok, [p.message("en") for p in added.all_problems()]
    assert added.report.kept_rows == 1
    assert added.archived is not None and added.archived.read_bytes() == first
    rows = read_responses(stored(data_copy), ["10", "11", "12"]).rows
    assert [(r["municipality_code"], r["respondent_type"]) for r in rows] == [
        ("491", "municipality"),
        ("491", "police"),
        ("178", "police"),
    ]
    assert stored_answers(Database(data_copy)) == [
        ("178", "police"),
        ("491", "municipality"),
        ("491", "police"),
    ]


def test_adding_refuses_a_wave_not_there_an_answer_there_and_another_questionnaire(
    data_copy: Path,
) -> None:
    before = snapshot(data_copy)
    nothing = import_responses(ONE, data_copy, add=True)
    assert [p.code for p in nothing.all_problems()] == ["add_no_wave"]
    assert snapshot(data_copy) == before
    assert import_responses(ONE, data_copy).ok
    before = snapshot(data_copy)
    # Juva's answer is new, Mikkeli's municipality answer is already in: refused at its line.
    twice = import_responses(wave_file(JUVA, MIKKELI), data_copy, add=True)
    assert [(p.code, p.line) for p in twice.all_problems()] == [("add_already_answered", 3)]
    assert "Mikkeli (491)" in twice.all_problems()[0].message("fi")
    columns = shipped_questionnaires()["2026"].file_columns
    other = file_text({**JUVA, "respondent_type": "poliisi"}, columns=columns).encode("utf-8")
    refused = import_responses(other, data_copy, add=True)
    assert [p.code for p in refused.all_problems()] == ["add_other_questionnaire"]
    assert snapshot(data_copy) == before
    with pytest.raises(ValueError, match="replaces a wave or is added"):
        import_responses(ONE, data_copy, add=True, replace=True)


def test_a_published_regional_wave_cannot_be_shadowed(data_copy: Path) -> None:
    before = snapshot(data_copy)
    result = import_responses(wave_file({"wave": "2009"}), data_copy)
    assert [p.code for p in result.all_problems()] == ["wave_is_regional"]
    assert snapshot(data_copy) == before


def test_a_count_that_does_not_reconcile_undoes_the_import(data_copy: Path) -> None:
    assert import_responses(ONE, data_copy).ok
    first = stored(data_copy)
    result = import_responses(TWO, data_copy, replace=True, count_rows=lambda folder, wave: 1)
    assert [p.code for p in result.problems] == ["count_mismatch"]
    assert stored(data_copy) == first
    fresh = import_responses(
        wave_file(MIKKELI | {"wave": "2011"}), data_copy, count_rows=lambda folder, wave: 0
    )
    assert not fresh.ok and not (data_copy / "responses" / "2011.csv").exists()
    # A stored file that cannot be read back is said as such, not as "-1 rows stored".
    unreadable = import_responses(TWO, data_copy, replace=True, count_rows=lambda f, w: None)
    assert [p.code for p in unreadable.problems] == ["count_unreadable"]
    assert "-1" not in unreadable.problems[0].message("fi")
    assert stored(data_copy) == first


@pytest.mark.parametrize("failing_call", range(1, 9))
def test_an_import_interrupted_at_any_step_leaves_the_old_or_the_new_file(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    assert import_responses(ONE, data_copy).ok
    old = stored(data_copy)
    new = read_responses(TWO, ["10", "11", "12"])
    calls = {"n": 0}

    def interrupt(real):
        def wrapped(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == failing_call:
                raise KeyboardInterrupt("simulated crash")
            return real(*args, **kwargs)

        return wrapped

    for name in ("fsync", "replace"):
        monkeypatch.setattr(importer.os, name, interrupt(getattr(os, name)))
    with contextlib.suppress(KeyboardInterrupt):
        import_responses(TWO, data_copy, replace=True)
    monkeypatch.undo()
    assert stored(data_copy) in (
        old,
        importer.clean_csv(new.rows, shipped_questionnaires()["2009"]),
    )
    Database(data_copy)  # the folder still loads
    assert import_responses(ONE, data_copy, replace=True).ok
    assert not list((data_copy / "responses").glob(f"{TEMP_PREFIX}*"))


def test_an_import_killed_at_a_random_moment(data_copy: Path) -> None:
    rows = [
        {"municipality_code": m.code, "region_code": m.region_code, "respondent_type": kind}
        for m in load_register().municipalities_of(2010)[:308]
        for kind in ("municipality", "police", "rescue")
    ]
    big = data_copy.parent / "big.csv"
    big.write_bytes(file_text(*rows).encode("utf-8"))
    assert import_responses(ONE, data_copy).ok
    old = stored(data_copy)
    env = {**os.environ, "TILANNEKUVA_DATA_DIR": str(data_copy)}
    command = [sys.executable, "-m", "tilannekuva", "import", str(big), "--replace"]
    for delay in random.Random(33).sample([x / 100 for x in range(5, 150)], 4):
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        body = stored(data_copy)
        assert body == old or body.count(b"\n") == 925
        Database(data_copy)


def test_two_imports_at_once_are_serialised(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert import_responses(ONE, data_copy).ok
    spans: list[tuple[float, float]] = []
    real_write = importer.write_atomically

    def slow_write(target: Path, body: bytes) -> None:
        start = time.monotonic()
        time.sleep(0.3)
        real_write(target, body)
        if target.parent.name == "responses":  # not the archive copy, also written atomically
            spans.append((start, time.monotonic()))

    monkeypatch.setattr(importer, "write_atomically", slow_write)
    results = []
    threads = [
        threading.Thread(
            target=lambda data=data: results.append(import_responses(data, data_copy, replace=True))
        )
        for data in (ONE, TWO)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result.ok for result in results)
    (_, first_end), (second_start, _) = sorted(spans)
    assert second_start >= first_end, "the two writes overlapped"
    assert len(list((data_copy / "archive").glob("2010-*.csv"))) == 2


def test_leftover_temporary_files_are_swept(data_copy: Path) -> None:
    folder = data_copy / "responses"
    folder.mkdir()
    (folder / f"{TEMP_PREFIX}2010.csv.123").write_bytes(b"half")
    assert import_responses(ONE, data_copy).ok
    assert sweep_temporary_files(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == ["2010.csv"]


def run_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    return cli_in_process(*args, data_dir=data_dir)


def test_cli_validate_and_import(data_copy: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(TWO)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(wave_file({"region_code": "99", "plan_year": "1800"}))
    valid = run_cli("validate", str(good), "--lang", "fi", data_dir=data_copy)
    assert (valid.returncode, valid.stderr) == (0, b"")
    assert valid.stdout.decode().startswith("2 vastausriviä, kierros 2010")
    invalid = run_cli("validate", str(bad), "--lang", "en", data_dir=data_copy)
    assert invalid.returncode == 1
    assert invalid.stderr.decode().splitlines() == [
        "Line 2, column region_code: The region code “99” is not in the regions table.",
        f"Line 2, column plan_year: The year must be 1990–{dt.date.today().year} (here “1800”).",
    ]
    before = snapshot(data_copy)
    assert run_cli("import", str(bad), data_dir=data_copy).returncode == 1
    assert snapshot(data_copy) == before
    assert run_cli("import", str(good), data_dir=data_copy).returncode == 0
    again = run_cli("import", str(good), data_dir=data_copy)
    assert again.returncode == 1 and b"--replace" in again.stderr
    assert run_cli("import", str(good), "--replace", data_dir=data_copy).returncode == 0
    missing = run_cli("validate", str(tmp_path / "nope.csv"), data_dir=data_copy)
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1
    assert b"Traceback" not in missing.stderr + invalid.stderr


def test_the_cli_imports_nothing_it_does_not_need(data_copy: Path, tmp_path: Path) -> None:
    # Issue #9: an import costs little more than the interpreter's start. Validating needs no
    # database; importing needs DuckDB only to read the one written file back.
    source = tmp_path / "wave.csv"
    source.write_bytes(TWO)
    loaded = {}
    for command in ("validate", "import"):
        code = (
            "import sys; from tilannekuva.cli import main; code = main(sys.argv[1:]); "
            "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, command, str(source)],
            cwd=PROJECT_DIR,
            env={**os.environ, "TILANNEKUVA_DATA_DIR": str(data_copy)},
            capture_output=True,
            check=True,
        )
        loaded[command] = set(result.stdout.decode().splitlines()[-1].split())
    for heavy in ("pandas", "altair", "streamlit", "numpy", "pyarrow"):
        assert heavy not in loaded["validate"] | loaded["import"], heavy
    assert "duckdb" not in loaded["validate"] and "duckdb" in loaded["import"]


def test_an_import_reads_only_the_wave_it_imports(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stored wave damaged by hand does not stop importing another: validation and the read-back
    # never open the stored waves (issue #9: imports that do not grow with history).
    (data_copy / "responses").mkdir()
    (data_copy / "responses" / "1999.csv").write_text("not a response file\n")
    opened: list[str] = []
    real_open = Path.open

    def watching_open(self: Path, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watching_open)
    assert import_responses(TWO, data_copy).ok
    assert "1999.csv" not in opened and "esimerkki.csv" not in opened
