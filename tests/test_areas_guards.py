"""What a wave's area cannot be made to say (issue #16, the independent probe's findings): waves.csv
as Excel or a hand edit leaves it survives an import; a hand-edited area that the answers do not
fit makes that wave unavailable instead of putting its total under another area's name; a region
or a named area that did not exist in the wave's year is refused; the command line refuses an
empty area, a region outside the wave and an unavailable wave in one line each, and quotes no
hostile text raw. The wave is the Lappi and Kainuu one of test_areas.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import cli_in_process, copy_data_folder, snapshot
from tests.test_areas import KAINUU, LAPPI, ROWS, WAVE, wave_file
from tilannekuva.db import Database
from tilannekuva.importer import import_responses, validate_file
from tilannekuva.tables import wave_rows

WAVES_CSV = "waves.csv"


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    yield copy_data_folder(tmp_path / "data")


def set_area(data: Path, wave: str, area: str) -> None:
    """Put ``area`` into the wave's row of waves.csv as a hand edit would (a row for a wave that
    has none)."""
    import csv
    import io

    text = (data / WAVES_CSV).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == wave:
            row[header.index("area")] = area
            break
    else:
        row = [""] * len(header)
        row[0], row[header.index("level")], row[header.index("fictional")] = (
            wave,
            "response",
            "false",
        )
        row[header.index("area")] = area
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (data / WAVES_CSV).write_text(out.getvalue(), encoding="utf-8")


def imported(data: Path, rows: list[dict[str, str]] = ROWS, **options: str | None) -> None:
    result = import_responses(wave_file(rows=rows), data, **options)
    assert result.ok, [p.message("en") for p in result.all_problems()]


# waves.csv as it comes back from Excel or a hand edit ----------------------------------------


def test_a_waves_csv_with_crlf_line_ends_keeps_them_and_still_loads(data: Path) -> None:
    crlf = (data / WAVES_CSV).read_bytes().replace(b"\n", b"\r\n")
    (data / WAVES_CSV).write_bytes(crlf)
    imported(data, area="18;19")
    written = (data / WAVES_CSV).read_bytes()
    assert written == crlf + f"{WAVE},,,,,,,,response,false,,18;19,\r\n".encode()
    database = Database(data)
    assert database.unavailable == ()
    assert WAVE in set(wave_rows(database, "fi")["wave_id"])


@pytest.mark.parametrize(
    "cell",
    ['"Lähde: rivi 1\nrivi 2"', '"Lähde: rivi 1\r\nrivi 2"', "Kysely\u2028 2026", "Kysely\x85"],
    ids=["lf-in-cell", "crlf-in-cell", "u2028", "nel"],
)
def test_the_waves_own_row_with_a_line_break_in_a_cell_is_updated_whole(
    data: Path, cell: str
) -> None:
    """A pre-declared row whose source cell holds a line break (Alt+Enter in Excel) or a
    character str.splitlines would cut at: the row is read and written as one record."""
    before = (data / WAVES_CSV).read_bytes()
    row = f"{WAVE},,,,,,,,response,false,{cell},,\n"
    (data / WAVES_CSV).write_bytes(before + row.encode("utf-8"))
    imported(data, area="18;19")
    written = (data / WAVES_CSV).read_bytes()
    assert written.startswith(before)
    database = Database(data)
    assert database.unavailable == ()
    waves = wave_rows(database, "fi").set_index("wave_id")
    source = cell.strip('"')
    assert waves.loc[WAVE, "source"] == source.replace("\r\n", "\r\n")
    assert written.decode("utf-8").endswith(",18;19,\n")


# An import gives what it was given, and a replacement may correct it -----------------------


def test_a_replacement_with_a_wider_area_corrects_the_area_it_was_first_given(data: Path) -> None:
    lappi = [row for row in ROWS if row["region_code"] == LAPPI]
    imported(data, rows=lappi, area=LAPPI)
    refused = validate_file(wave_file(), data, replace=True)
    assert {p.code for p in refused.problems} == {"outside_area"}
    imported(data, replace=True, area=f"{KAINUU};{LAPPI}")
    lines = (data / WAVES_CSV).read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f"{WAVE},,,,,,,,response,false,,18;19,"
    assert Database(data).unavailable == ()


def test_without_replace_a_different_area_is_still_a_conflict(data: Path) -> None:
    set_area(data, WAVE, "18;19")
    report = validate_file(wave_file(), data, area="koko-suomi")
    assert [p.code for p in report.problems] == ["area_conflict"]


# The area must exist in the wave's year --------------------------------------------------------


def test_a_region_that_is_not_a_region_in_the_waves_year_is_refused(data: Path) -> None:
    """Itä-Uusimaa (20) joined Uusimaa on 1.1.2011: not a region of the 2026 classification."""
    before = snapshot(data)
    report = validate_file(wave_file(), data, area="18;19;20")
    assert [p.code for p in report.problems] == ["area_region_not_in_year"]
    assert report.problems[0].message("en") == (
        "Region code 20 is not a region in the 2026 classification."
    )
    assert snapshot(data) == before


def test_a_named_area_outside_its_valid_years_is_refused(data: Path) -> None:
    """The AVI areas ended with 2025 (Lupa- ja valvontavirasto from 1.1.2026)."""
    report = validate_file(wave_file(), data, area="lappi")
    assert [p.code for p in report.problems] == ["area_not_valid"]
    assert "valid in 2010\u20132025" in report.problems[0].message("en")


# The loader applies the import's rule to what is stored ---------------------------------------


@pytest.mark.parametrize(
    ("area", "why"),
    [
        ("ita-suomi", "waves.csv gives it the area ita-suomi:"),  # not valid in 2026
        ("10;11;12", "answers outside the area 10;11;12"),
        ("20", "Region code 20 is not a region in the 2026 classification"),
        ("lappi-hva", "answers outside the area lappi-hva"),  # Kainuu's answers
        ("helsinki", "answers outside the area helsinki"),
    ],
)
def test_a_hand_edited_area_the_answers_do_not_fit_makes_the_wave_unavailable(
    data: Path, area: str, why: str
) -> None:
    imported(data)
    set_area(data, WAVE, area)
    database = Database(data)
    assert [(w.wave, w.file) for w in database.unavailable] == [(WAVE, f"responses/{WAVE}.csv")]
    assert why in database.unavailable[0].problem
    waves = set(wave_rows(database, "fi")["wave_id"])
    assert WAVE not in waves and "2009" in waves  # the others are served
    check = cli_in_process("check", data_dir=data)
    assert check.returncode == 1
    assert len(check.stderr.decode("utf-8").splitlines()) == 1


def test_a_regional_wave_whose_regions_are_outside_its_area_is_left_out(data: Path) -> None:
    set_area(data, "2009", "18;19")
    database = Database(data)
    assert [(w.wave, w.file) for w in database.unavailable] == [("2009", WAVES_CSV)]
    assert database.unavailable[0].problem == (
        "rows of region_status.csv outside the area 18;19 that waves.csv gives it, the first "
        "with region_code 10"
    )
    assert "2009" not in set(wave_rows(database, "fi")["wave_id"])


def test_exporting_an_unavailable_wave_is_an_error_not_empty_figures(data: Path) -> None:
    imported(data)
    set_area(data, WAVE, "ita-suomi")
    for command in (
        ("export", "region_status", "--wave", WAVE, "--total"),
        ("export", "non_respondents", "--wave", WAVE),
        ("pack", "--wave", WAVE, "-o", str(data.parent / "pack.pdf")),
    ):
        done = cli_in_process(*command, data_dir=data)
        assert done.returncode == 1, command
        assert done.stdout == b""
        lines = done.stderr.decode("utf-8").splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            f"error: data file responses/{WAVE}.csv: wave {WAVE} is unavailable: "
        )
    assert not (data.parent / "pack.pdf").exists()


# The command line ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--regions", ";;", "error: --regions names no region code"),
        ("--regions", "", "error: --regions names no region code"),
        ("--regions", " , ", "error: --regions names no region code"),
        ("--area", "", "error: --area names no area"),
        ("--questionnaire", "", "error: --questionnaire names no questionnaire"),
    ],
)
def test_an_empty_area_option_is_a_usage_error(
    data: Path, tmp_path: Path, option: str, value: str, message: str
) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    before = snapshot(data)
    done = cli_in_process("import", str(path), option, value, data_dir=data)
    assert (done.returncode, done.stderr.decode("utf-8").strip()) == (2, message)
    assert snapshot(data) == before


def test_a_region_outside_the_waves_area_is_a_usage_error(data: Path) -> None:
    imported(data)
    done = cli_in_process(
        "export", "region_status", "--wave", WAVE, "--region", "10", data_dir=data
    )
    assert done.returncode == 2
    assert done.stderr.decode("utf-8").strip() == (
        f"error: region 10 is not in the area of wave {WAVE} (Valitut maakunnat (Kainuu, Lappi))"
    )
    inside = cli_in_process(
        "export", "region_status", "--wave", WAVE, "--region", LAPPI, data_dir=data
    )
    assert inside.returncode == 0


def test_the_import_summary_says_where_the_area_and_questionnaire_came_from(
    data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    done = cli_in_process("validate", str(path), "--lang", "fi", data_dir=data)
    assert done.returncode == 0
    assert done.stdout.decode("utf-8").splitlines()[1] == (
        "Alue: Kainuu, Lappi (maakunnat, joista vastauksia on; ei kirjata). "
        "Kyselylomake: 2009 (tiedoston sarakkeista; ei kirjata)."
    )


@pytest.mark.parametrize(
    "value",
    [
        "lappi-hva\nerror: data file regions.csv: forged\x1b[31mRED",
        "x" * 10_000,
        "koko-suomi\u200b",
    ],
    ids=["newline-and-ansi", "ten-thousand", "zero-width-space"],
)
def test_hostile_area_text_is_quoted_escaped_and_short(
    data: Path, tmp_path: Path, value: str
) -> None:
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    done = cli_in_process("validate", str(path), "--area", value, "--lang", "en", data_dir=data)
    assert done.returncode == 1
    stderr = done.stderr.decode("utf-8")
    assert len(stderr.splitlines()) == 1 and "\x1b" not in stderr and "\u200b" not in stderr
    assert stderr.count("x") < 100
    set_area(data, "2009", value)  # the same text by hand in waves.csv
    check = cli_in_process("check", data_dir=data)
    stderr = check.stderr.decode("utf-8")
    assert check.returncode == 1 and len(stderr.splitlines()) == 1
    assert "\x1b" not in stderr and "\u200b" not in stderr and len(stderr) < 1000


def test_swedish_respondent_types_are_accepted(data: Path) -> None:
    swedish = {"kunta": "kommun", "poliisi": "polis", "pelastus": "räddningsverk"}
    rows = [row | {"respondent_type": swedish[row["respondent_type"]]} for row in ROWS]
    report = validate_file(wave_file(rows=rows), data)
    assert report.ok, [p.message("en") for p in report.problems]
    assert [row["respondent_type"] for row in report.rows] == [
        {"kunta": "municipality", "poliisi": "police", "pelastus": "rescue"}[r["respondent_type"]]
        for r in ROWS
    ]


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("plan_status", "evil"),
        ("plan_status", "ready;started"),  # two answers to a one-choice question
        ("plan_scope", "municipal;municipal"),
        ("plan_scope", "municipal;=HYPERLINK(1)"),
    ],
)
def test_a_stored_answer_that_is_no_choice_makes_its_wave_unavailable(
    data: Path, question: str, value: str
) -> None:
    """A hand edit of a stored file: the value would count as answered and in no choice (shares
    not adding up), so the wave is left out, and check names the question and the value."""
    import csv
    import io

    imported(data)
    path = data / "responses" / f"{WAVE}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    rows[1][rows[0].index(question)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    database = Database(data)
    assert [w.wave for w in database.unavailable] == [WAVE]
    assert (
        f"{question} {value} is not one of the question's choice ids"
        in database.unavailable[0].problem
    )


@pytest.mark.parametrize(
    ("area", "row", "column_value"),
    [
        # Helsinki written under Lappi's region code: the register says region 01.
        ("18;19", {"municipality_code": "091", "municipality_name": "Helsinki"}, "091"),
        # The same in a county wave: Helsinki is not of the Lapland county.
        ("lappi-hva", {"municipality_code": "091", "municipality_name": "Helsinki"}, "091"),
    ],
)
def test_a_stored_row_whose_municipality_is_outside_the_area_is_caught_by_the_register(
    data: Path, area: str, row: dict[str, str], column_value: str
) -> None:
    """The row's region code says Lappi, but the municipality (by the register of the wave's
    year) is not in the area: counted, it would make Lappi 22 municipalities of 21."""
    lappi = [r for r in ROWS if r["region_code"] == LAPPI]
    imported(data, rows=lappi, area=area)
    path = data / "responses" / f"{WAVE}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = dict(zip(header, lines[1].split(","), strict=True))
    first |= row | {"organisation": "Muokattu käsin"}
    path.write_text("\n".join([*lines, ",".join(first.values())]) + "\n", encoding="utf-8")
    database = Database(data)
    assert [w.wave for w in database.unavailable] == [WAVE]
    problem = database.unavailable[0].problem
    assert problem.endswith(f"in data row {len(lines)} with municipality_code {column_value}")


def test_a_waves_csv_row_without_fictional_is_an_integrity_problem(data: Path) -> None:
    with (data / WAVES_CSV).open("a", encoding="utf-8") as waves:
        waves.write(f"{WAVE},,,,,,,,response,,,18;19,\n")
    done = cli_in_process("check", data_dir=data)
    assert done.returncode == 1
    assert done.stderr.decode("utf-8").strip() == (
        f"error: data file waves.csv: wave_id {WAVE}: fictional must be true or false"
    )


def test_an_import_refuses_to_touch_a_waves_csv_the_loader_would_refuse(
    data: Path, tmp_path: Path
) -> None:
    """An unclosed quote in waves.csv: the import stops before writing, so it cannot rewrite the
    damaged row into one that loads with other cells than the coordinator meant."""
    with (data / WAVES_CSV).open("a", encoding="utf-8") as waves:
        waves.write(f'{WAVE},"unterminated,,,,,,,response,false,,,\n')
    before = snapshot(data)
    path = tmp_path / "wave.csv"
    path.write_bytes(wave_file())
    done = cli_in_process("import", str(path), "--regions", "18,19", data_dir=data)
    assert done.returncode == 1
    assert done.stderr.decode("utf-8").startswith("error: data file waves.csv: ")
    assert snapshot(data) == before


def test_a_waves_csv_saved_with_a_byte_order_mark_loads_and_keeps_it(data: Path) -> None:
    """Excel's "CSV UTF-8" starts the file with a byte order mark."""
    with_bom = b"\xef\xbb\xbf" + (data / WAVES_CSV).read_bytes()
    (data / WAVES_CSV).write_bytes(with_bom)
    imported(data, area="18;19")
    assert (data / WAVES_CSV).read_bytes().startswith(with_bom)
    assert Database(data).unavailable == ()
