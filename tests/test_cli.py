"""``python -m tilannekuva``: the seed table through the command line, and clean failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli
from tilannekuva.cli import main

SEED_CSV = (
    "region_code,region,plan_ready,plan_started,plan_not_started,council_approved,published,"
    "artu_in_use,in_progress_municipal,in_progress_sub_regional,in_progress_province_wide\r\n"
    "10,Etelä-Savo,6,7,4,5,3,5,4,3,1\r\n"
    "11,Pohjois-Savo,9,3,1,6,5,1,0,3,\r\n"
    "12,Pohjois-Karjala,1,6,7,2,2,0,5,1,\r\n"
)


def test_seed_table_cell_by_cell_through_the_cli() -> None:
    result = run_cli("export", "region_status", "--wave", "2009")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == SEED_CSV


def test_total_row_is_unknown_where_a_part_is() -> None:
    result = run_cli("export", "region_status", "--wave", "2009", "--total")
    assert (
        result.stdout.decode().splitlines()[-1] == "total,Itä-Suomi yhteensä,16,16,12,13,10,6,9,7,"
    )


def test_region_filter_and_excel_format(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code = main(
        ["export", "region_status", "--wave", "2009", "--region", "11", "--format", "excel"]
    )
    out = capsysbinary.readouterr().out
    assert code == 0
    assert out.startswith(b"\xef\xbb\xbfMaakuntakoodi;Maakunta;")
    assert out.decode("utf-8-sig").splitlines()[1] == "11;Pohjois-Savo;9;3;1;6;5;1;0;3;.."


def test_list_names_every_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--list"]) == 0
    assert "region_status\nmeasure_shares\n" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "nope", "--wave", "2009"], "unknown table: nope"),
        (["export", "region_status", "--wave", "1999"], "unknown wave: 1999"),
        (["export", "region_status", "--wave", "2009", "--region", "99"], "unknown region: 99"),
        (["export", "region_status"], "--wave is required"),
        (["export", "region_status", "--wave", "2009", "--format", "xls"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert result.stdout == b""


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    env = {"TILANNEKUVA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = run_cli("export", "region_status", "--wave", "2009", env=env)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["error: data file regions.csv: missing"]
