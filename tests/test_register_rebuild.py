"""The register files are what data/register/rebuild.py builds from the committed key CSVs and
the hand-made rows of 2009-2012, byte for byte: neither the files nor the script can drift."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tilannekuva.register import REGISTER_DIR


@pytest.fixture(scope="module")
def rebuild() -> ModuleType:
    spec = importlib.util.spec_from_file_location("register_rebuild", REGISTER_DIR / "rebuild.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_build_reproduces_the_committed_register(rebuild: ModuleType) -> None:
    built = rebuild.build()
    assert set(built) == {"municipalities.csv", "regions.csv", "wellbeing_counties.csv"}
    for name, content in built.items():
        committed = (REGISTER_DIR / name).read_bytes()
        assert content == committed, f"{name}: run python data/register/rebuild.py"


def test_the_build_needs_no_third_party_module(rebuild: ModuleType) -> None:
    """CI has neither pyreadr nor openpyxl: only the extract stage imports them, inside."""
    assert "pyreadr" not in vars(rebuild)
    assert "openpyxl" not in vars(rebuild)


def test_there_is_a_key_for_every_year_from_2013(rebuild: ModuleType) -> None:
    keys = sorted(path.name for path in (REGISTER_DIR / "keys").glob("*.csv"))
    assert keys == [f"municipality_key_{year}.csv" for year in range(2013, 2027)]
    assert list(rebuild.KEY_YEARS) == list(range(2013, 2027))


def test_a_changed_key_changes_the_build(rebuild: ModuleType, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    for path in (REGISTER_DIR / "keys").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        if path.name == "municipality_key_2026.csv":
            text = text.replace("260,Kitee,Kides,", "260,Kitee,Kitee,", 1)
        (keys / path.name).write_text(text, encoding="utf-8")
    built = rebuild.build(keys_dir=keys)
    assert b"2026,260,Kitee,Kitee," in built["municipalities.csv"]
    assert built["municipalities.csv"] != (REGISTER_DIR / "municipalities.csv").read_bytes()
