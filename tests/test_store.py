"""The store's cache keys (issue #9): cheap enough for twenty calls a page run, and never stale —
a changed data file is seen on the next call, and a table's content, not its name alone, decides
the cells shown."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tilannekuva.config import DATA_DIR_ENV, PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.tables import wave_rows
from tilannekuva.web import store

APP = str(PROJECT_DIR / "app.py")


def counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    """The first argument of each call of the store's function ``name``, from now on."""
    calls: list[object] = []
    real = getattr(store, name)

    def counting(first: object) -> object:
        calls.append(first)
        return real(first)

    monkeypatch.setattr(store, name, counting)
    return calls


@pytest.fixture
def counted_fingerprint(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> list[object]:
    """The data copy as the data folder; the list of folders db.fingerprint was asked for."""
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    return counted(monkeypatch, "fingerprint")


def test_the_version_is_fingerprinted_again_only_when_a_file_changes(
    counted_fingerprint: list[object], data_copy: Path
) -> None:
    first = store._version()
    assert store._version() == first
    assert len(counted_fingerprint) == 1

    notes = data_copy / "data_notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = store._version()
    assert changed != first
    assert store._version() == changed
    assert len(counted_fingerprint) == 2


@pytest.mark.parametrize("folder", ["", "responses", "examples", "examples/register"])
def test_a_file_added_or_removed_in_any_fingerprinted_folder_is_seen(
    counted_fingerprint: list[object], data_copy: Path, folder: str
) -> None:
    (data_copy / folder).mkdir(parents=True, exist_ok=True)
    before = store._version()
    added = data_copy / folder / "extra.csv"
    added.write_text("x\n", encoding="utf-8")
    store._version()
    added.unlink()
    store._version()
    assert len(counted_fingerprint) == 3
    assert store._version() == before


def test_a_file_rewritten_with_its_old_time_but_another_size_is_seen(
    counted_fingerprint: list[object], data_copy: Path
) -> None:
    waves = data_copy / "waves.csv"
    before = store._version()
    stat = waves.stat()
    waves.write_bytes(waves.read_bytes() + b"\n")
    os.utime(waves, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert store._version() != before


def test_frame_keys_tell_apart_what_a_shown_table_could_differ_by() -> None:
    frame = pd.DataFrame({"region": ["Etelä-Savo", "Pohjois-Savo"], "n": [6, 9]})
    keys = {
        store.frame_key(frame),
        store.frame_key(frame.iloc[:1]),  # a part of the table
        store.frame_key(frame.assign(n=[6.0, 9.0])),  # the same numbers as floats
        store.frame_key(frame.assign(n=pd.array([6, None], dtype="Int32"))),  # unknown
        store.frame_key(frame.assign(n=[6, 0])),  # nil
        store.frame_key(frame.rename(columns={"n": "ready"})),
    }
    assert len(keys) == 6
    assert store.frame_key(frame) == store.frame_key(frame.copy())


def test_a_rerun_formats_no_table_and_a_changed_view_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Formatting cells in the UI language was most of a warm rerun (issue #9); a rerun of the
    same view takes them from the cache, a view showing other figures formats them anew."""
    from tilannekuva.web import ui

    formatted: list[str] = []
    real = ui.display_frame

    def counting(spec: object, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
        formatted.append(f"{spec.name}:{lang}")  # type: ignore[attr-defined]
        return real(spec, frame, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(ui, "display_frame", counting)
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["lang"] = "en"
    app.query_params["region"] = ["12"]
    app.run()
    app.switch_page("app_pages/compare.py").run()
    assert not app.exception
    assert formatted  # the first run of this view formatted its tables
    # The cells' cache key is not the download buttons' key (their key is the page's suffix).
    buttons = {button.key for button in app.get("download_button")}
    assert {"download_excel_region_status", "download_csv_measure_shares"} <= buttons
    shown = [table.value.to_dict() for table in app.table]
    formatted.clear()
    app.run()
    assert formatted == []
    assert [table.value.to_dict() for table in app.table] == shown

    app.sidebar.multiselect(key="region").set_value(["10"]).run()
    assert not app.exception
    assert "region_status:en" in formatted
    assert [table.value.to_dict() for table in app.table] != shown


@pytest.fixture
def counted_listings(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> list[object]:
    """The data copy as the data folder; one entry each time the data folders are listed."""
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    return counted(monkeypatch, "_stat_signature")


def test_the_data_folders_are_listed_once_per_script_run(
    monkeypatch: pytest.MonkeyPatch, counted_listings: list[object], data_copy: Path
) -> None:
    """Listing the folders on each of a run's twenty asks was about 40 % of the server's CPU for
    a new session (issue #9). One run reads the version once; the next run reads it again."""
    runs = [object(), object()]
    current: list[object | None] = [runs[0]]
    monkeypatch.setattr(store, "_run_marker", lambda: current[0])
    first = store._version()
    assert store._version() == store._version() == first
    assert len(counted_listings) == 1

    notes = data_copy / "data_notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store._version() == first  # the same run keeps the version it started with
    current[0] = runs[1]
    assert store._version() != first  # the next run sees the change
    assert len(counted_listings) == 2

    current[0] = None  # outside a script run (the CLI): every call reads
    store._version()
    store._version()
    assert len(counted_listings) == 4


def test_a_real_script_run_lists_the_data_folders_once(counted_listings: list[object]) -> None:
    """The run marker is Streamlit's: a page run (app.py and the page, about twenty asks) lists
    the folders once, and a rerun of the same session once more."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("app_pages/compare.py").run()
    assert not app.exception
    assert len(app.table) >= 2
    before = len(counted_listings)
    app.run()
    assert len(counted_listings) == before + 1


def test_names_are_the_waves_and_regions_tables_and_cannot_be_changed(
    monkeypatch: pytest.MonkeyPatch, data_copy: Path
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    for lang in ("fi", "sv", "en"):
        names = store.names(lang)
        database = Database(data_copy)
        waves = wave_rows(database, lang)
        regions = database.run("regions", lang=lang)
        assert list(names.wave_ids) == list(waves["wave_id"])
        assert names.wave_titles() == dict(zip(waves["wave_id"], waves["title"], strict=True))
        assert set(names.response_waves) == set(waves.loc[waves["level"] == "response", "wave_id"])
        assert [w.fictional for w in names.waves] == list(waves["fictional"].astype(bool))
        assert dict(names.region_names) == dict(
            zip(regions["region_code"], regions["region"], strict=True)
        )
    assert store.names("sv").region_names["12"] != store.names("fi").region_names["12"]
    shared = store.names("fi")
    assert store.names("fi") is shared  # shared between runs, so it must not change:
    with pytest.raises(TypeError):
        shared.region_names["10"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        shared.by_id["2009"] = shared.waves[0]  # type: ignore[index]


def test_navigation_pages_are_made_once_and_each_run_gets_its_own_copy() -> None:
    """st.Page resolves its script's path when made (a fifth of a new session's CPU, issue #9);
    st.navigation marks the page objects it is given, so runs must not share them."""
    from tilannekuva.web import ui

    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.switch_page("app_pages/compare.py").run()
    made = dict(ui._PAGES)
    assert len(made) >= 14
    second = AppTest.from_file(APP, default_timeout=60)  # another session, same language
    second.run()
    second.switch_page("app_pages/compare.py").run()
    assert not second.exception
    assert second.title[0].value == app.title[0].value
    assert dict(ui._PAGES) == made  # nothing made again

    script, title, icon, url_path, default = next(iter(made))
    one = ui.page(script, title=title, icon=icon, url_path=url_path, default=default)
    other = ui.page(script, title=title, icon=icon, url_path=url_path, default=default)
    assert one is not other
    assert one.title == other.title == title
    one._can_be_called = True  # what st.navigation does to the page it runs
    assert other._can_be_called is False
