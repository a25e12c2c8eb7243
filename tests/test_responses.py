"""Reading and validating response files: every rule has a file that breaks it and one that
passes; every accepted encoding and separator reads to the same rows."""

from __future__ import annotations

import codecs

import pytest

from tests.helpers import REGIONS, TODAY, file_text
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.responses import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Report,
    clean_csv,
    read_responses,
)
from tilannekuva.schema import RESPONSE_COLUMNS


def read(text: str | bytes) -> Report:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_responses(data, REGIONS, today=TODAY)


def codes(report: Report) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.line, p.column) for p in report.problems]


def test_a_valid_file_passes_in_canonical_form() -> None:
    report = read(
        file_text(
            {"council_approved": "kyllä", "published": "ei", "artu_in_use": ""},
            {
                "respondent_type": "poliisi",
                "plan_status": "aloitettu",
                "plan_year": "",
                "plan_scope": "seutukunta",
                "organisation": "Itä-Suomen poliisi",
            },
        )
    )
    assert report.ok, [p.message("en") for p in report.problems]
    first, second = report.rows
    assert (first["council_approved"], first["published"], first["artu_in_use"]) == (
        "true",
        "false",
        "",
    )
    assert (second["respondent_type"], second["plan_status"], second["plan_scope"]) == (
        "police",
        "started",
        "sub_regional",
    )
    assert report.wave == "2010" and report.data_lines == 2
    assert report.summary("fi").startswith("2 vastausriviä, kierros 2010, 1 kuntaa")


def test_blank_yes_no_stays_unknown_never_no() -> None:
    report = read(file_text({"artu_in_use": ""}))
    assert report.rows[0]["artu_in_use"] == ""


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("cp1252", b""),
    ],
)
@pytest.mark.parametrize("separator", [";", ",", "\t"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_every_encoding_separator_and_line_end_reads_the_same(
    encoding: str, bom: bytes, separator: str, newline: str
) -> None:
    text = file_text(
        {"organisation": "Ääneseudun pelastuslaitos"}, separator=separator, newline=newline
    )
    report = read(bom + text.encode(encoding))
    reference = read(file_text({"organisation": "Ääneseudun pelastuslaitos"}))
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.rows == reference.rows
    assert report.separator == separator


def test_bytes_windows_1252_does_not_define_are_refused_cleanly() -> None:
    data = file_text({}).encode("cp1252").replace(b"Testil\xe4n", b"Testil\x81n")
    assert b"\x81" in data
    assert codes(read(data)) == [("encoding", None, None)]


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02binary", b"wave;x\r\n\x07bell;1\r\n", b"\x89PNG\r\n\x1a\n\x00\x00"],
)
def test_binary_content_is_refused(data: bytes) -> None:
    assert codes(read(data)) == [("binary", None, None)]


@pytest.mark.parametrize("text", ["", "   \r\n\r\n"])
def test_empty_file(text: str) -> None:
    assert codes(read(text)) == [("empty_file", None, None)]


def test_header_only_has_no_data_rows() -> None:
    assert codes(read(file_text())) == [("no_data_rows", None, None)]


def test_header_problems_are_all_listed() -> None:
    header = list(RESPONSE_COLUMNS)
    header.remove("plan_year")
    header += ["region_code", "notes", "sähköposti"]
    report = read(";".join(header) + "\r\n")
    assert codes(report) == [
        ("duplicate_column", 1, "region_code"),
        ("unknown_column", 1, "notes"),
        ("personal_column", 1, "sähköposti"),
        ("missing_column", 1, "plan_year"),
    ]
    assert report.problems[2].message("fi").startswith("Rivi 1, sarake sähköposti: Sarake näyttää")


def test_ragged_rows_and_an_unclosed_quote() -> None:
    text = file_text({}, {})
    lines = text.split("\r\n")
    lines[1] += ";extra"
    lines.append('2010;"rescue;oops')
    report = read("\r\n".join(lines))
    assert codes(report) == [("ragged_row", 2, None), ("unclosed_quote", 5, None)]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"wave": "2010/../x"}, ("bad_wave", "wave")),
        ({"wave": "x" * 33}, ("bad_wave", "wave")),
        ({"respondent_type": "mayor"}, ("bad_choice", "respondent_type")),
        ({"organisation": ""}, ("required", "organisation")),
        ({"municipality_name": " "}, ("required", "municipality_name")),
        ({"municipality_code": "91"}, ("bad_municipality_code", "municipality_code")),
        ({"municipality_code": "09a"}, ("bad_municipality_code", "municipality_code")),
        ({"region_code": "99"}, ("unknown_region", "region_code")),
        ({"plan_status": "done"}, ("bad_choice", "plan_status")),
        ({"plan_year": "1989"}, ("bad_year", "plan_year")),
        ({"plan_year": "2027"}, ("bad_year", "plan_year")),
        ({"plan_year": "20x8"}, ("bad_year", "plan_year")),
        ({"plan_year": ""}, ("required_when", "plan_year")),
        ({"plan_scope": ""}, ("required", "plan_scope")),
        ({"plan_scope": "national"}, ("bad_choice", "plan_scope")),
        (
            {"plan_status": "not_started", "plan_year": "", "plan_scope": "municipal"},
            ("not_asked", "plan_scope"),
        ),
        (
            {"plan_status": "not_started", "plan_scope": "", "council_approved": "yes"},
            ("yes_not_asked", "council_approved"),
        ),
        (
            {"plan_status": "not_started", "plan_scope": "", "published": "kyllä"},
            ("yes_not_asked", "published"),
        ),
        ({"artu_in_use": "maybe"}, ("bad_yes_no", "artu_in_use")),
        ({"partner_vapepa": "2"}, ("bad_yes_no", "partner_vapepa")),
        ({"organisation": "matti.meikalainen@example.fi"}, ("personal_cell_email", "organisation")),
        ({"sub_region": "soita 040 123 4567"}, ("personal_cell_phone", "sub_region")),
        ({"municipality_name": "+358401234567"}, ("personal_cell_phone", "municipality_name")),
    ],
)
def test_each_value_rule_breaks_on_line_2(row: dict[str, str], problem: tuple[str, str]) -> None:
    report = read(file_text(row))
    assert (problem[0], 2, problem[1]) in codes(report)
    assert not report.rows


@pytest.mark.parametrize(
    "row",
    [
        {"plan_status": "not_started", "plan_year": "", "plan_scope": ""},
        {"plan_status": "started", "plan_year": "", "plan_scope": "maakunta"},
        {"plan_year": "1990"},
        {"plan_year": "2026"},
        {"municipality_code": "091", "sub_region": "Helsingin seutu"},
        {"organisation": "Pelastuslaitos 112"},
        {"council_approved": "1", "published": "0", "artu_in_use": "ja", "partner_vapepa": "nej"},
        {"wave": "kevät_2010-b"[:32].replace("ä", "a")},
    ],
)
def test_each_value_rule_passes(row: dict[str, str]) -> None:
    report = read(file_text(row))
    assert report.ok, [p.message("en") for p in report.problems]


def test_mixed_waves_and_duplicate_answers() -> None:
    report = read(
        file_text(
            {},
            {"wave": "2011", "municipality_code": "902"},
            {"respondent_type": "kunta"},
            {"respondent_type": "rescue"},
        )
    )
    assert codes(report) == [("mixed_wave", 3, "wave"), ("duplicate_answer", 4, None)]
    assert "rivillä 2" in report.problems[1].message("fi")


def test_every_problem_is_listed_not_only_the_first() -> None:
    report = read(file_text({"region_code": "99", "plan_year": "1800"}, {"respondent_type": "x"}))
    assert len(report.problems) == 3


def test_comment_and_blank_lines_are_counted_not_read() -> None:
    text = file_text({}) + "# esimerkki;ohita\r\n;;;\r\n"
    report = read(text)
    assert report.ok and (report.comment_lines, report.blank_lines, report.data_lines) == (1, 1, 1)


def test_size_and_row_limits() -> None:
    assert codes(read(b"x" * (MAX_FILE_BYTES + 1))) == [("too_large", None, None)]
    kinds = ["municipality", "police", "rescue"]
    rows = [
        {"municipality_code": f"{i // 3 % 1000:03d}", "respondent_type": kinds[i % 3]}
        for i in range(MAX_ROWS + 1)
    ]
    report = read(file_text(*rows))
    assert ("too_many_rows", None, None) in codes(report)


def test_a_nationwide_wave_fits_the_limits() -> None:
    types = ["municipality", "police", "rescue"]
    rows = [
        {"municipality_code": f"{i:03d}", "respondent_type": kind}
        for i in range(1, 309)
        for kind in types
    ]
    data = file_text(*rows).encode("utf-8")
    assert len(data) < MAX_FILE_BYTES / 2
    report = read(data)
    assert report.ok and len(report.rows) == 924


def test_messages_in_every_language() -> None:
    report = read(file_text({"region_code": "99"}))
    messages = {lang: report.problems[0].message(lang) for lang in ("fi", "sv", "en")}
    assert messages == {
        "fi": "Rivi 2, sarake region_code: Maakuntakoodia ”99” ei ole maakuntataulukossa.",
        "sv": "Rad 2, kolumn region_code: Landskapskoden ”99” finns inte i landskapstabellen.",
        "en": "Line 2, column region_code: The region code “99” is not in the regions table.",
    }


def test_clean_csv_is_utf8_comma_lf_canonical() -> None:
    report = read(file_text({"council_approved": "kyllä"}))
    body = clean_csv(report.rows, shipped_questionnaires()["2009"]).decode("utf-8")
    assert body.splitlines()[0] == ",".join(RESPONSE_COLUMNS)
    assert body.splitlines()[1].startswith("2010,municipality,Testilän kunta,901,Testilä,10,")
    assert "\r" not in body and ",true," in body
    assert read(clean_csv(report.rows, shipped_questionnaires()["2009"])).rows == report.rows
