"""A load kept for the next process (tilannekuva/load_cache.py, issue #22): what a kept load
serves is what reading the files serves; a change, a damaged entry, an entry others may write,
an unwritable folder or ``off`` each fall back to reading the files, and nothing half-written is
ever read. The rest of the suite runs with ``off`` (conftest), so these tests set the folder."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from tilannekuva import load_cache
from tilannekuva.config import DEFAULT_DATA_DIR, QUERIES_DIR
from tilannekuva.db import Database, staging_files
from tilannekuva.errors import DataFileError
from tilannekuva.tables import TABLES, Selection, build_table, wave_rows

# The tables a kept load holds (db._KEPT_TABLES) and what the staging SQL makes of them.
LOADED = ("responses", "answers", "response_files", "unavailable_waves")


def everything(db: Database) -> dict[str, pd.DataFrame]:
    """Every loaded and staged table and view, rows in a fixed order."""
    names = [*LOADED, *(file.name for file in staging_files())]
    return {
        name: db._connection.execute(f"select * from {name} order by all").df() for name in names
    }


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "kept"
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def folder_with_a_bad_wave(data_copy: Path) -> Path:
    """The shipped data with an imported wave that loads and one that does not (so the kept
    load has a wave left out, with its problem, to give back)."""
    (data_copy / "responses").mkdir()
    example = (data_copy / "examples" / "esimerkki.csv").read_text(encoding="utf-8")
    header, first = example.splitlines()[:2]
    (data_copy / "responses" / "2010.csv").write_text(
        header + "\n" + first.replace("esimerkki", "2010", 1) + "\n", encoding="utf-8"
    )
    (data_copy / "responses" / "2011.csv").write_text("wave,respondent_type\n", encoding="utf-8")
    return data_copy


def files_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time a load reads the response files."""
    reads: list[int] = []
    original = Database._load_responses

    def counted(self: Database) -> object:
        reads.append(1)
        return original(self)

    monkeypatch.setattr(Database, "_load_responses", counted)
    return reads


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{load_cache.SUFFIX}"))


def test_a_kept_load_serves_what_the_files_serve(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, load_cache.OFF)
    fresh = Database(folder_with_a_bad_wave)
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, str(kept))
    reads = files_read(monkeypatch)
    first = Database(folder_with_a_bad_wave)
    assert reads == [1] and len(entries(kept)) == 1
    restored = Database(folder_with_a_bad_wave)
    assert reads == [1], "the second load read the files again"
    assert restored.unavailable == fresh.unavailable == first.unavailable
    assert [wave.wave for wave in restored.unavailable] == ["2011"]
    expected, got = everything(fresh), everything(restored)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)
    assert len(got["responses"]) > 0 and len(got["chosen_answers"]) > 0
    for wave in ("2009", "2010"):  # a regional wave and the imported one
        selection = Selection(wave, (), "fi")
        for name in TABLES:
            pd.testing.assert_frame_equal(
                build_table(restored, name, selection),
                build_table(fresh, name, selection),
                obj=f"{name} of {wave}",
            )


def test_a_changed_file_is_read_again(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database(folder_with_a_bad_wave)
    reads = files_read(monkeypatch)
    # The broken wave mended by hand: the same name, other content.
    broken = folder_with_a_bad_wave / "responses" / "2011.csv"
    mended = (folder_with_a_bad_wave / "responses" / "2010.csv").read_text(encoding="utf-8")
    broken.write_text(mended.replace("2010,", "2011,", 1), encoding="utf-8")
    db = Database(folder_with_a_bad_wave)
    assert reads == [1] and db.unavailable == ()
    assert len(entries(kept)) == 2


def test_a_damaged_entry_is_read_past_and_replaced(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database(folder_with_a_bad_wave)
    (entry,) = entries(kept)
    entry.write_bytes(b"not a database" * 1000)
    reads = files_read(monkeypatch)
    db = Database(folder_with_a_bad_wave)
    assert reads == [1] and [wave.wave for wave in db.unavailable] == ["2011"]
    Database(folder_with_a_bad_wave)
    assert reads == [1], "the entry written again was not read"


def test_an_entry_of_another_shape_is_read_past_and_nothing_of_it_stays(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry without the answers table (as other code might have kept): the responses it
    does hold are copied in first, then the copy fails; none of them may stay beside the rows
    the files give."""
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, load_cache.OFF)
    fresh = everything(Database(folder_with_a_bad_wave))
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, str(kept))
    with monkeypatch.context() as patched:
        patched.setattr("tilannekuva.db._KEPT_TABLES", ("responses",))
        Database(folder_with_a_bad_wave)
    assert len(entries(kept)) == 1
    reads = files_read(monkeypatch)
    db = Database(folder_with_a_bad_wave)
    assert reads == [1]
    got = everything(db)
    for name in LOADED:
        pd.testing.assert_frame_equal(got[name], fresh[name], obj=name)


def test_an_entry_others_may_write_is_not_trusted(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database(folder_with_a_bad_wave)
    (entry,) = entries(kept)
    reads = files_read(monkeypatch)
    entry.chmod(0o666)
    Database(folder_with_a_bad_wave)
    assert reads == [1]
    entry.chmod(0o644)
    kept.chmod(0o777)
    Database(folder_with_a_bad_wave)
    assert reads == [1, 1]
    kept.chmod(0o700)
    Database(folder_with_a_bad_wave)
    assert reads == [1, 1]


def test_a_symlinked_entry_is_not_read(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    Database(folder_with_a_bad_wave)
    (entry,) = entries(kept)
    elsewhere = tmp_path / "elsewhere.duckdb"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    reads = files_read(monkeypatch)
    Database(folder_with_a_bad_wave)
    assert reads == [1]


def test_off_keeps_nothing(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, "off")
    reads = files_read(monkeypatch)
    Database(folder_with_a_bad_wave)
    Database(folder_with_a_bad_wave)
    assert reads == [1, 1] and not kept.exists()


def test_a_folder_that_cannot_be_made_is_no_error(
    folder_with_a_bad_wave: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, str(a_file / "kept"))
    db = Database(folder_with_a_bad_wave)
    assert [wave.wave for wave in db.unavailable] == ["2011"]


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tilannekuva.db.os.replace", refused)
    db = Database(folder_with_a_bad_wave)
    assert [wave.wave for wave in db.unavailable] == ["2011"]
    assert list(kept.iterdir()) == []


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(load_cache.LOAD_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert load_cache.cache_dir() == Path("/somewhere/cache/tilannekuva")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert load_cache.cache_dir() == Path.home() / ".cache" / "tilannekuva"
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, " OFF ")
    assert load_cache.cache_dir() is None


def test_pruning_keeps_the_latest_entries_and_old_temporary_files_go(tmp_path: Path) -> None:
    now = time.time()
    names = [f"{number:064x}{load_cache.SUFFIX}" for number in range(load_cache.KEEP + 3)]
    for number, name in enumerate(names):
        (tmp_path / name).write_bytes(b"")
        os.utime(tmp_path / name, (now - 100 + number, now - 100 + number))
    stale = tmp_path / load_cache.temporary_name(names[0])
    fresh = tmp_path / load_cache.temporary_name(names[1])
    for path, age in ((stale, 7200), (fresh, 10)):
        path.write_bytes(b"")
        os.utime(path, (now - age, now - age))
    load_cache.prune(tmp_path)
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted([fresh.name, *names[3:]])


def test_a_file_changed_while_it_is_read_keeps_nothing(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load is named by the files before any is read; a file replaced during the load (an
    import beside a server's start) would have filed one state under another's name."""
    broken = folder_with_a_bad_wave / "responses" / "2011.csv"
    mended = (folder_with_a_bad_wave / "responses" / "2010.csv").read_text(encoding="utf-8")
    original = Database._load_responses

    def changed_meanwhile(self: Database) -> object:
        result = original(self)
        replacement = broken.with_name("new.tmp")
        replacement.write_text(mended.replace("2010,", "2011,", 1), encoding="utf-8")
        replacement.replace(broken)
        return result

    monkeypatch.setattr(Database, "_load_responses", changed_meanwhile)
    during = Database(folder_with_a_bad_wave)
    assert [wave.wave for wave in during.unavailable] == ["2011"]
    assert entries(kept) == []
    monkeypatch.undo()
    monkeypatch.setenv(load_cache.LOAD_CACHE_ENV, str(kept))
    assert Database(folder_with_a_bad_wave).unavailable == ()


def test_another_queries_folder_is_another_entry_and_a_failed_check_keeps_nothing(
    folder_with_a_bad_wave: Path, kept: Path, tmp_path: Path
) -> None:
    queries = tmp_path / "queries"
    shutil.copytree(QUERIES_DIR, queries)
    waves = queries / "staging" / "2_waves.sql"
    Database(folder_with_a_bad_wave)
    waves.write_text(waves.read_text(encoding="utf-8") + "\n-- a comment\n", encoding="utf-8")
    Database(folder_with_a_bad_wave, queries)
    assert len(entries(kept)) == 2
    # Staging SQL that breaks the integrity check: the load fails and nothing is kept for it.
    sql = (QUERIES_DIR / "staging" / "2_waves.sql").read_text(encoding="utf-8")
    waves.write_text(sql.rstrip().removesuffix(";") + "\nlimit 1;\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        Database(folder_with_a_bad_wave, queries)
    assert len(entries(kept)) == 2
    assert len(wave_rows(Database(folder_with_a_bad_wave), "fi")) > 1


def test_an_entry_copied_under_another_name_is_read_past(
    folder_with_a_bad_wave: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database(DEFAULT_DATA_DIR)  # the shipped data as it is: no imported waves
    shipped = entries(kept)
    Database(folder_with_a_bad_wave)
    (other,) = set(entries(kept)) - set(shipped)
    # The shipped data's entry under the other folder's name, as a hand copy would put it.
    other.write_bytes(shipped[0].read_bytes())
    reads = files_read(monkeypatch)
    db = Database(folder_with_a_bad_wave)
    assert reads == [1] and [wave.wave for wave in db.unavailable] == ["2011"]


def test_threads_keeping_the_same_load_at_once(folder_with_a_bad_wave: Path, kept: Path) -> None:
    assert load_cache.temporary_name("a") != load_cache.temporary_name("a")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        loads = list(pool.map(lambda _: Database(folder_with_a_bad_wave), range(4)))
    assert {tuple(db.unavailable) for db in loads} == {loads[0].unavailable}
    assert [path.name for path in kept.iterdir()] == [entries(kept)[0].name]


def test_pruning_leaves_files_it_did_not_make(tmp_path: Path) -> None:
    """The folder may be shared with other files: only entries and their temporary files go."""
    others = ["notes.duckdb", ".bashrc.tmp", ".tmp_notes", "a" * 64 + ".duckdb.bak"]
    hour_ago = time.time() - 7200
    for name in others:
        (tmp_path / name).write_bytes(b"")
        os.utime(tmp_path / name, (hour_ago, hour_ago))
    load_cache.prune(tmp_path, keep=0)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(others)
