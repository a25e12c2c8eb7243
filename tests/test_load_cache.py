"""A load kept for the next process (tilannekuva/load_cache.py, issue #22): what a kept load
serves is what reading the files serves; a change, a damaged entry, an entry others may write,
an unwritable folder or ``off`` each fall back to reading the files, and nothing half-written is
ever read. The rest of the suite runs with ``off`` (conftest), so these tests set the folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from tilannekuva import load_cache
from tilannekuva.db import Database, staging_files
from tilannekuva.tables import TABLES, Selection, build_table

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
    for wave in ("2009", "2010", "esimerkki-2014"):
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
    for number in range(load_cache.KEEP + 3):
        path = tmp_path / f"{number:02d}{load_cache.SUFFIX}"
        path.write_bytes(b"")
        os.utime(path, (now - 100 + number, now - 100 + number))
    stale = tmp_path / f".x{load_cache.SUFFIX}.123.tmp"
    fresh = tmp_path / f".y{load_cache.SUFFIX}.456.tmp"
    for path, age in ((stale, 7200), (fresh, 10)):
        path.write_bytes(b"")
        os.utime(path, (now - age, now - age))
    load_cache.prune(tmp_path)
    left = sorted(path.name for path in tmp_path.iterdir())
    newest = [f"{number:02d}{load_cache.SUFFIX}" for number in range(3, load_cache.KEEP + 3)]
    assert left == sorted([fresh.name, *newest])
