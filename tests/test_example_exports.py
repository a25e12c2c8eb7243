"""The example exports of issue #17 (data/examples/exports/): made by their script, byte for byte,
and each imported as it is through ``mapping suggest`` and ``import --mapping`` as a fictional
wave, with the figures the script's answers give."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.helpers import PROJECT_DIR, cli_in_process, copy_data_folder

EXPORTS = PROJECT_DIR / "data" / "examples" / "exports"
# (file, wave, respondent type given on the command line or "" for a column of the file)
CASES = [
    ("forms-kunnat.xlsx", "esimerkki-2014-forms", ""),
    ("webropol-poliisi.xlsx", "esimerkki-2014-webropol", "police"),
    ("limesurvey-pelastus.csv", "esimerkki-2014-limesurvey", "rescue"),
]
# The script's seven answers by region (codes 951, 952, 954 in 10; 956, 958 in 11; 960, 962 in
# 12): ready / started / not started, approved, published, ARTU, started by scope. A question an
# export does not carry (Webropol: approval and publication; LimeSurvey: publication and ARTU)
# is unanswered, and an unanswered yes/no is never counted as yes.
EXPECTED = {
    "forms": ["10,Etelä-Savo,1,1,1,1,1,0,0,1,0", "11,Pohjois-Savo,1,1,0,1,0,1,1,0,0",
              "12,Pohjois-Karjala,1,0,1,1,1,1,0,0,0"],
    "webropol": ["10,Etelä-Savo,1,1,1,0,0,0,0,1,0", "11,Pohjois-Savo,1,1,0,0,0,1,1,0,0",
                 "12,Pohjois-Karjala,1,0,1,0,0,1,0,0,0"],
    "limesurvey": ["10,Etelä-Savo,1,1,1,1,0,0,0,1,0", "11,Pohjois-Savo,1,1,0,1,0,0,1,0,0",
                   "12,Pohjois-Karjala,1,0,1,1,0,0,0,0,0"],
}  # fmt: skip


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_exports", EXPORTS / "make_exports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_exports_are_the_scripts() -> None:
    script = _script()
    for name, make in script.FILES.items():
        assert (EXPORTS / name).read_bytes() == make(), name


@pytest.mark.parametrize(("name", "wave", "respondent"), CASES, ids=[c[0] for c in CASES])
def test_each_example_export_imports_as_it_is(
    tmp_path: Path, name: str, wave: str, respondent: str
) -> None:
    data = copy_data_folder(tmp_path / "data")
    mapping = tmp_path / "mapping.json"
    given = ("--respondent-type", respondent) if respondent else ()
    suggested = cli_in_process(
        "mapping", "suggest", str(EXPORTS / name), "--wave", wave, *given, "-o", str(mapping),
        data_dir=data,
    )  # fmt: skip
    assert (suggested.returncode, suggested.stderr) == (0, b""), suggested.stderr.decode()
    done = cli_in_process("import", str(EXPORTS / name), "--mapping", str(mapping), data_dir=data)
    assert done.returncode == 0, done.stderr.decode()
    table = cli_in_process("export", "region_status", "--wave", wave, data_dir=data)
    assert table.stdout.decode().splitlines()[1:] == EXPECTED[wave.rsplit("-", 1)[1]]
    # A fictional wave: written as such, its downloads marked, the people nowhere.
    assert f"\n{wave},,,,,,,,response,true,,,2026\n" in (data / "waves.csv").read_text("utf-8")
    # (The data copy has the example exports themselves in examples/exports/: not looked at.)
    written = [p for p in data.rglob("*") if p.is_file() and "exports" not in p.parts]
    stored = b"".join(p.read_bytes() for p in written)
    for person in ("Mallikas", "Testaaja", "Kokeilija", "example.invalid", "192.0.2."):
        assert person.encode() not in stored


def test_the_filled_template_validates_and_imports_as_it_is(tmp_path: Path) -> None:
    """Issue #21: no shipped sample could be imported as it is (the examples' waves are loaded).
    The filled template needs no mapping; its answers are the Forms export's."""
    data = copy_data_folder(tmp_path / "data")
    sample = str(EXPORTS / "pohja-esimerkki.csv")
    assert cli_in_process("validate", sample, data_dir=data).returncode == 0
    done = cli_in_process("import", sample, data_dir=data)
    assert done.returncode == 0, done.stderr.decode()
    table = cli_in_process(
        "export", "region_status", "--wave", "esimerkki-2014-pohja", data_dir=data
    )
    assert table.stdout.decode().splitlines()[1:] == EXPECTED["forms"]


def test_the_three_exports_are_one_round_in_three_files(tmp_path: Path) -> None:
    """Issue #17: a round whose respondent types answered in forms of their own is one wave —
    the municipalities' Forms export imported first, the police's and the rescue services'
    added to it (``--add``), each mapping kept beside the wave for its own next file."""
    data = copy_data_folder(tmp_path / "data")
    wave = "esimerkki-2014-kierros"
    for number, (name, _, respondent) in enumerate(CASES):
        mapping = tmp_path / f"{number}.json"
        given = ("--respondent-type", respondent) if respondent else ()
        suggested = cli_in_process(
            "mapping", "suggest", str(EXPORTS / name), "--wave", wave, *given, "-o", str(mapping),
            data_dir=data,
        )  # fmt: skip
        assert suggested.returncode == 0, suggested.stderr.decode()
        added = ("--add",) if number else ()
        done = cli_in_process("import", str(EXPORTS / name), "--mapping", str(mapping), *added,
                       data_dir=data)  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
    kept = sorted(path.name for path in (data / "mappings").iterdir())
    assert kept == [f"{wave}.json", f"{wave}.police.json", f"{wave}.rescue.json"]
    answered = cli_in_process(
        "export", "respondents", "--wave", wave, data_dir=data
    ).stdout.decode()
    assert "10,Etelä-Savo,police,3,," in answered.splitlines()
    assert "12,Pohjois-Karjala,rescue,2,," in answered.splitlines()
    # The plan figures are the municipalities' own answers, as in a one-file round.
    table = cli_in_process("export", "region_status", "--wave", wave, data_dir=data)
    assert table.stdout.decode().splitlines()[1:] == EXPECTED["forms"]
    # The police's file again: refused at its rows, in Excel's reference for a whole row.
    police = str(EXPORTS / CASES[1][0])
    again = cli_in_process(
        "import", police, "--mapping", str(tmp_path / "1.json"), "--add", "--lang", "en",
        data_dir=data,
    )  # fmt: skip
    assert again.returncode == 1
    first = again.stderr.decode().splitlines()[0]
    assert first.startswith("Svar!2:2: Wave esimerkki-2014-kierros already has an answer"), first
