"""``python -m tilannekuva``: the seed table through the command line, and clean failures."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import cli_in_process, file_text, run_cli
from tilannekuva.cli import locale_language, main
from tilannekuva.db import Database
from tilannekuva.importer import import_responses
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.tables import TABLES, Selection, build_table, wave_rows

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
    result = cli_in_process("export", "region_status", "--wave", "2009", "--total")
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
    result = cli_in_process(*args)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert result.stdout == b""


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    env = {"TILANNEKUVA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = run_cli("export", "region_status", "--wave", "2009", env=env)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["error: data file regions.csv: missing"]


def test_help_keeps_the_examples_on_their_own_lines() -> None:
    result = cli_in_process("--help")
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert "  python -m tilannekuva export --list" in lines
    assert "exit codes:" in lines
    assert any(line.startswith("  2  a bad argument") for line in lines)


def test_list_with_a_table_name_is_a_usage_error() -> None:
    result = cli_in_process("export", "--list", "extra")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "error: export --list takes no table name (got extra)"
    ]
    assert result.stdout == b""


# The tables whose header says "-- level: response" (checked against the data below).
RESPONSE_LEVEL_TABLES = sorted(name for name, spec in TABLES.items() if spec.response_level)


@pytest.mark.parametrize("table", RESPONSE_LEVEL_TABLES)
def test_a_response_level_table_on_a_regional_wave_says_so(
    table: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", table, "--wave", "2009"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"error: table {table} needs a response-level wave (one answer per municipality); "
        "2009 is a regional table"
    ]
    assert captured.out == ""


def test_level_headers_agree_with_the_data(shipped_db: Database, data_copy: Path) -> None:
    """A table whose header says "-- level: response" has no rows on any regional wave and has
    rows on every response-level wave that opens a trend; a table without the line that has no
    rows on the regional waves but rows on a response-level one is either a comparison with an
    earlier wave (the regional wave is the first of its trend: no rows on an opener either) or
    follows municipalities across the waves (a municipality's answers: the shipped real waves
    have none per municipality, so it gets rows on 2009 once a real response-level wave is
    stored). Both are found in the data, so a new table needs no line here. A table of the
    questions that are not core measures (issue #16) has rows only where the questionnaire asks
    them: every response-level table has rows on a stored wave of the proposed 2026
    questionnaire, which asks every kind of question, and on all openers or on none."""
    real = file_text(
        {"wave": "2010-testi", "municipality_code": "491", "municipality_name": "Mikkeli"}
    )
    assert import_responses(real.encode("utf-8"), data_copy).ok
    # Mikkeli by its municipality (plan not started: on the worklist) and by the police (a ready
    # plan: the two disagree), with answers to the 2026 questionnaire's other questions.
    mikkeli = {"wave": "2026-testi", "municipality_code": "491", "municipality_name": "Mikkeli"}
    mikkeli |= {"preparedness_plan": "kyllä", "themes_2023": "katujengit"}
    not_started = {
        "plan_status": "aloittamatta",
        "plan_year": "",
        "plan_scope": "",
        "themes_2023": "",
    }
    rows = (mikkeli | not_started, mikkeli | {"respondent_type": "poliisi"})
    columns = shipped_questionnaires()["2026"].file_columns
    assert import_responses(file_text(*rows, columns=columns).encode("utf-8"), data_copy).ok
    with_real_wave = Database(data_copy)
    waves = wave_rows(shipped_db, "fi")
    regional = list(waves.loc[waves["level"] == "region", "wave_id"])
    response = list(waves.loc[waves["level"] == "response", "wave_id"])
    openers = set()
    for wave in response:
        trend = shipped_db.run("trend_waves", wave=wave)
        openers.update(trend.loc[trend["in_trend"], "wave_id"].head(1))
    assert regional and openers <= set(response) and openers

    def has_rows(name: str, wave: str) -> bool:
        return not build_table(shipped_db, name, Selection(wave)).empty

    for name, spec in TABLES.items():
        on_regional = any(has_rows(name, wave) for wave in regional)
        on_response = any(has_rows(name, wave) for wave in response)
        on_openers = [has_rows(name, wave) for wave in sorted(openers)]
        if spec.response_level:
            assert not on_regional and (all(on_openers) or not any(on_openers)), name
            assert not build_table(with_real_wave, name, Selection("2026-testi")).empty, name
        elif on_response and not on_regional and any(on_openers):
            followed = any(
                not build_table(with_real_wave, name, Selection(wave)).empty for wave in regional
            )
            assert followed, f"{name}: needs '-- level: response' in its header"


def test_an_artu_filter_needs_a_response_level_wave() -> None:
    result = cli_in_process("export", "region_status", "--wave", "2009", "--artu", "in_use")
    assert result.returncode == 2
    assert "--artu needs a response-level wave" in result.stderr.decode()


def test_xlsx_export_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "es.xlsx"
    args = ("export", "region_status", "--wave", "esimerkki", "--region", "10", "--artu", "in_use")
    result = cli_in_process(*args, "--format", "xlsx", "--lang", "sv", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[1] == "Om uppgifterna"
    table = book.worksheets[0]
    assert table["B3"].value == "Södra Savolax" and table["C3"].data_type == "n"
    about = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True)}
    assert about["ARTU-avgränsning"] == "kommuner där ARTU: i bruk"
    assert about["Område"] == "Södra Savolax"
    assert book.worksheets[0]["A1"].value.startswith("FIKTIVT EXEMPEL")


def test_a_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.xlsx"
    result = cli_in_process(
        "export", "regions", "--wave", "2009", "--format", "xlsx", "-o", str(target)
    )
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"error: cannot write {target}: No such file or directory"
    ]
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "fi_FI.UTF-8"}, "fi"),
        ({"LANG": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "fi_FI.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, "sv"),
        ({"LC_ALL": "", "LANG": "fi_FI"}, "fi"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_locale_language(environ: dict[str, str], expected: str) -> None:
    assert locale_language(environ) == expected


@pytest.mark.parametrize(("lang", "word"), [("fi_FI.UTF-8", "rivi"), ("C.UTF-8", "line")])
def test_validate_answers_in_the_locales_language(tmp_path: Path, lang: str, word: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("wave,respondent_type\n2010,kunta\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "LANG": lang}
    result = run_cli("validate", str(bad), env=env)
    assert result.returncode == 1
    assert word in result.stderr.decode().lower()


def test_binary_output_is_not_written_to_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["export", "regions", "--wave", "2009", "--format", "xlsx"]) == 2
    assert capsys.readouterr().err == (
        "error: the output is binary: give -o FILE or pipe it to a file\n"
    )


def test_the_cli_export_gives_pohjois_karjala_0_of_its_municipalities() -> None:
    """The reproduction of issue #8 item 1 in the CLI: export measure_shares on the example wave
    with --artu in_use printed 12,Pohjois-Karjala,…,0,0,,true."""

    def karelia(*extra: str) -> dict[str, list[str]]:
        done = cli_in_process(
            "export", "measure_shares", "--wave", "esimerkki", "--region", "12", *extra
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.decode("utf-8").splitlines()[1:]
        return {line.split(",")[2]: line.split(",")[3:] for line in lines}

    every = karelia()
    in_use = karelia("--artu", "in_use")
    for measure, (n, base, share, _few) in in_use.items():
        assert (n, base, share) == ("0", every[measure][1], "0.0")
    assert int(every["plan_ready"][1]) > 0


# Where the output goes (issue #22 items 1 and 4) ---------------------------------------------


def _run_to(stdout: object, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """``python -m tilannekuva ARGS`` with stdout given (a device, a pipe's end)."""
    import subprocess

    from tests.helpers import PROJECT_DIR

    return subprocess.run(
        [sys.executable, "-m", "tilannekuva", *args],
        cwd=PROJECT_DIR,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
        timeout=120,
    )


def _closed_pipe_run(*args: str, data_dir: Path | None = None) -> tuple[int, str]:
    """``python -m tilannekuva ARGS`` with stdout a pipe whose reader has already gone away."""
    import os

    env = dict(os.environ)
    if data_dir is not None:
        env["TILANNEKUVA_DATA_DIR"] = str(data_dir)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = _run_to(write_end, *args, env=env)
    finally:
        os.close(write_end)
    return done.returncode, done.stderr.decode()


def _full_device(tmp_path: Path) -> Path:
    """A character device that refuses every write with ENOSPC, like /dev/full (1, 7), made in
    the test's own folder so a regression cannot replace the machine's /dev/full."""
    import os

    if os.geteuid() != 0:
        pytest.skip("making a device node needs root (CI runs as root)")
    node = tmp_path / "full"
    os.mknod(node, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 7))
    return node


OUTPUT_COMMANDS = [
    ("register", "--year", "2009"),
    ("export", "--list"),
    ("export", "region_status", "--wave", "2009"),
    ("pack", "--wave", "2009", "--region", "10"),
    ("questionnaire",),
    ("--help",),
]


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_a_full_stdout_is_one_line_and_exit_1(tmp_path: Path, args: tuple[str, ...]) -> None:
    with _full_device(tmp_path).open("wb") as full:
        done = _run_to(full, *args)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "error: cannot write the output: No space left on device"
    ]


@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    code, stderr = _closed_pipe_run(*args)
    assert (code, stderr) == (1, "")  # the output was the work, and it was cut


def test_an_import_whose_summary_cannot_be_printed_still_says_it_imported(
    tmp_path: Path,
) -> None:
    """``import FILE > /dev/full`` saved the wave and exited 1: a script believed it failed."""
    from tests.helpers import copy_data_folder

    data = copy_data_folder(tmp_path / "data")
    wave = tmp_path / "wave.csv"
    from bench.waves import wave_csv
    from tilannekuva.importer import RESPONSES_DIR

    wave.write_bytes(wave_csv("2009-cli", 3))
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TILANNEKUVA_DATA_DIR": str(data)}
    with _full_device(tmp_path).open("wb") as full:
        done = _run_to(full, "import", str(wave), env=env)
    assert done.returncode == 0
    assert done.stderr.decode().splitlines() == [
        "warning: the summary was not printed: cannot write the output: No space left on device"
    ]
    assert (data / RESPONSES_DIR / "2009-cli.csv").is_file()
    # A closed pipe: the import is done, quietly (a second wave, so it is not "already imported").
    wave.write_bytes(wave_csv("2009-cli2", 3))
    assert _closed_pipe_run("import", str(wave), data_dir=data) == (0, "")
    assert (data / RESPONSES_DIR / "2009-cli2.csv").is_file()


def test_output_to_a_device_or_fifo_is_written_into_never_replaced(tmp_path: Path) -> None:
    import os
    import stat
    import threading

    full = _full_device(tmp_path)
    args = ("export", "region_status", "--wave", "2009", "-o")
    done = cli_in_process(*args, str(full))
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        f"error: cannot write {full}: No space left on device"
    ]
    assert stat.S_ISCHR(full.stat().st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = cli_in_process(*args, str(fifo))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received == [SEED_CSV.encode()]


def test_output_keeps_a_files_mode_and_a_symlink(tmp_path: Path) -> None:
    import os
    import stat

    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    done = cli_in_process("export", "region_status", "--wave", "2009", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == SEED_CSV.encode()
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    # A new file gets the umask's mode, as a shell redirect gives it (not the temporary's 0600).
    new = tmp_path / "new.csv"
    umask = os.umask(0o027)
    try:
        done = cli_in_process("export", "region_status", "--wave", "2009", "-o", str(new))
    finally:
        os.umask(umask)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "new.csv", "real.csv"]


def test_a_newline_in_an_argument_stays_on_one_line() -> None:
    """``--region $'10\\nerror: fake'`` printed a second stderr line chosen by the caller."""
    done = cli_in_process("register", "--year", "2009", "--region", "10\nerror: fake")
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unknown region for 2009: 10\\u000a")
