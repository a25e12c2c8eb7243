"""Imports on a full disk and into a read-only folder (issue #10): one clear line (CLI, exit 1) or
message (app), no temporary file left, an archive copy that counts only when complete, and the
live data untouched. A real small tmpfs and a real read-only bind mount: chmod does not stop root,
and CI runs as root. Where mounting is impossible (not root, no CAP_SYS_ADMIN) the tests skip and
say why."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import copy_data_folder, file_text, run_cli, snapshot
from tilannekuva import importer
from tilannekuva.config import PROJECT_DIR
from tilannekuva.i18n import t
from tilannekuva.importer import TEMP_PREFIX, import_responses
from tilannekuva.register import load_register
from tilannekuva.web import uploads

# Real municipalities of both 2010 and 2011 in the same region (BIG is imported as either wave):
# imports are checked against the register of the wave's year.
_REGISTER = load_register()
_BOTH_YEARS = [
    m
    for m in _REGISTER.municipalities_of(2010)
    if (later := _REGISTER.municipality(2011, m.code)) and later.region_code == m.region_code
]
ROWS = [
    {"municipality_code": m.code, "region_code": m.region_code, "respondent_type": kind}
    for m in _BOTH_YEARS[:200]
    for kind in ("municipality", "police", "rescue")
]
BIG = file_text(*ROWS).encode()  # about 80 kB as the data folder stores it


def mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs or a read-only bind mount needs root (CI runs as root)")
    result = subprocess.run(["mount", *args], capture_output=True, check=False)
    if result.returncode != 0 and b"permission denied" in result.stderr.lower():
        pytest.skip(f"root without CAP_SYS_ADMIN cannot mount: {result.stderr.decode().strip()}")
    assert result.returncode == 0, result.stderr.decode()


@contextlib.contextmanager
def mounted(target: Path, *args: str) -> Iterator[Path]:
    target.mkdir(parents=True, exist_ok=True)
    mount(*args, str(target))
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A copy of the shipped data with one wave imported, on a 512 kB tmpfs."""
    with mounted(tmp_path / "disk", "-t", "tmpfs", "-o", "size=512k", "tmpfs") as disk:
        data = disk / "data"
        copy_data_folder(data)
        assert import_responses(BIG, data).ok
        yield data


def fill(disk: Path, leave: int) -> None:
    """Fill the file system of ``disk`` until only about ``leave`` bytes are free."""
    filler = disk.parent / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(descriptor, b"\0" * 4096)
    finally:
        os.close(descriptor)
    os.truncate(filler, max(0, filler.stat().st_size - leave))


def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.rglob(f"{TEMP_PREFIX}*")]


def test_a_full_disk_is_one_line_from_the_cli_and_changes_nothing(
    small_disk: Path, tmp_path: Path
) -> None:
    fill(small_disk, leave=16 * 1024)
    before = snapshot(small_disk)
    free = os.statvfs(small_disk).f_bavail
    source = tmp_path / "new.csv"
    source.write_bytes(BIG.replace(b"2010", b"2011"))
    result = run_cli("import", str(source), "--lang", "en", data_dir=small_disk)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [t("en", "problem.disk_full")]
    assert snapshot(small_disk) == before and no_temporary_files(small_disk)
    assert os.statvfs(small_disk).f_bavail == free


def test_a_disk_that_fills_during_the_write_leaves_no_temporary_file(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process fills the disk between the check and the write: the write itself fails.
    monkeypatch.setattr(importer, "storage_problems", lambda *args: [])
    fill(small_disk, leave=16 * 1024)
    before = snapshot(small_disk)
    free = os.statvfs(small_disk).f_bavail
    result = import_responses(BIG.replace(b"2010", b"2011"), small_disk)
    assert [p.code for p in result.all_problems()] == ["disk_full"]
    assert snapshot(small_disk) == before and no_temporary_files(small_disk)
    assert os.statvfs(small_disk).f_bavail == free, "a partial file keeps the disk full"


def test_a_replace_whose_archive_copy_does_not_fit_keeps_no_empty_backup(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "storage_problems", lambda *args: [])
    fill(small_disk, leave=16 * 1024)
    before = snapshot(small_disk)
    result = import_responses(BIG.replace(b"Testil", b"Testiv"), small_disk, replace=True)
    assert [p.code for p in result.all_problems()] == ["disk_full"]
    assert result.archived is None
    archive = small_disk / "archive"
    assert not archive.exists() or not list(archive.iterdir()), "a partial backup was kept"
    assert snapshot(small_disk) == before and no_temporary_files(small_disk)


@pytest.fixture
def read_only_data(tmp_path: Path) -> Iterator[Path]:
    """A data folder with one wave imported, seen through a read-only bind mount."""
    source = tmp_path / "source"
    copy_data_folder(source)
    assert import_responses(BIG, source).ok
    with mounted(tmp_path / "ro", "--bind", str(source)) as view:
        mount("-o", "remount,bind,ro", str(view))
        with pytest.raises(OSError) as caught:
            (view / "probe").write_bytes(b"")
        assert caught.value.errno == errno.EROFS
        yield view


def test_a_read_only_folder_is_one_line_from_the_cli(read_only_data: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.csv"
    source.write_bytes(BIG.replace(b"2010", b"2011"))
    for command in ("validate", "import"):
        result = run_cli(command, str(source), "--lang", "sv", data_dir=read_only_data)
        assert result.returncode == 1
        assert result.stderr.decode().splitlines() == [t("sv", "problem.read_only")]


def test_a_write_refused_by_a_read_only_folder_is_a_problem_not_a_traceback(
    read_only_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "storage_problems", lambda *args: [])
    before = snapshot(read_only_data)
    result = import_responses(BIG.replace(b"Testil", b"Testiv"), read_only_data, replace=True)
    assert [p.code for p in result.all_problems()] == ["read_only"]
    assert snapshot(read_only_data) == before


def test_the_upload_preview_says_why_before_confirm(
    read_only_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(read_only_data))
    monkeypatch.setenv(uploads.PASSWORD_ENV, "oikea salasana")
    app = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    app.query_params["lang"] = "en"
    app.run()
    app.switch_page("app_pages/upload.py").run()
    app.text_input(key="upload_password").input("oikea salasana").run()
    new = BIG.replace(b"2010", b"2011")
    app.get("file_uploader")[0].set_value(("new.csv", new, "text/csv")).run()
    assert not app.success, "the preview must not say valid"
    assert t("en", "problem.read_only") in app.markdown[-1].value
    assert not [button for button in app.button if button.key == "upload_confirm"]
