"""The store's cache keys (issue #9): cheap enough for twenty calls a page run, and never stale —
a changed data file is seen on the next call, and a table's content, not its name alone, decides
the cells shown."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tilannekuva import store
from tilannekuva.config import DATA_DIR_ENV, PROJECT_DIR

APP = str(PROJECT_DIR / "app.py")


@pytest.fixture
def counted_fingerprint(monkeypatch: pytest.MonkeyPatch, data_copy: Path) -> list[Path]:
    """The data copy as the data folder; the list of folders db.fingerprint was asked for."""
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    calls: list[Path] = []
    real = store.fingerprint

    def counting(folder: Path) -> str:
        calls.append(folder)
        return real(folder)

    monkeypatch.setattr(store, "fingerprint", counting)
    return calls


def test_the_version_is_fingerprinted_again_only_when_a_file_changes(
    counted_fingerprint: list[Path], data_copy: Path
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
    counted_fingerprint: list[Path], data_copy: Path, folder: str
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
    counted_fingerprint: list[Path], data_copy: Path
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
    from tilannekuva import ui

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
