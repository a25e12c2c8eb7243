"""Open data (issue #19 item 4): ``export --format json`` with each column's id, label, kind and
unit from the SQL header; ``publish -o DIR`` with every table x real wave x region selection in
four formats and an index.json; the folder swapped in whole, and a folder publish did not write
left alone; the Data page's link where the operator set one."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from bench.waves import wave_csv
from tests.helpers import cli_in_process, open_page, page_text
from tilannekuva import cli, open_data
from tilannekuva.db import Database
from tilannekuva.errors import UsageError
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes, file_name
from tilannekuva.i18n import t
from tilannekuva.importer import import_responses
from tilannekuva.output_formats import FORMATS
from tilannekuva.provenance import HELSINKI
from tilannekuva.tables import TABLES, Selection, build_table

WAVE = "2025-avoin"  # a real response-level wave of five municipalities of Uusimaa
PUBLISHED = datetime(2026, 12, 6, 12, 0, tzinfo=HELSINKI)


def exported(capsys: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    assert cli.main(["export", *args]) == 0
    return capsys.readouterr().out


def test_the_cli_offers_every_open_data_format() -> None:
    """export --format offers the formats the open data folder holds (output_formats.FORMATS):
    read from the command's own answer to a format it does not know."""
    answer = cli_in_process("export", "region_status", "--wave", "2009", "--format", "nope")
    assert answer.returncode == 2
    offered = re.findall(r"'([a-z]+)'", answer.stderr.decode().split("choose from", 1)[1])
    assert offered == list(FORMATS) == list(open_data.FORMATS)


def test_export_json_has_the_columns_of_the_sql_header(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    body = exported(capsysbinary, "planning_scope", "--wave", "2009", "--format", "json")
    document = json.loads(body)
    spec = TABLES["planning_scope"]
    assert document["table"] == "planning_scope" and document["lang"] == "fi"
    assert [c["id"] for c in document["columns"]] == spec.column_ids
    for column, declared in zip(document["columns"], spec.columns, strict=True):
        assert column["kind"] == declared.kind
        assert column["unit"] == (declared.unit or None)
        assert column["label"] == t("fi", f"col.{declared.id}")
    selection = Selection("2009", total=False)  # export gives no total row unless --total
    frame = build_table(Database(Path("data")), "planning_scope", selection)
    assert len(document["records"]) == len(frame)
    for record, row in zip(document["records"], frame.to_dict("records"), strict=True):
        for column in spec.column_ids:
            value = row[column]
            if value is None or value != value:  # unknown: null, never 0
                assert record[column] is None
            elif isinstance(record[column], int):
                assert record[column] == int(value)
    # The blank scope cells of the 2009 table stay unknown.
    assert any(record["n"] is None for record in document["records"])
    assert document["provenance"]["wave"] == "2009"


def test_export_json_of_a_share_names_its_parts(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    body = exported(capsysbinary, "key_figures", "--wave", "2009", "--format", "json")
    share = next(c for c in json.loads(body)["columns"] if c["id"] == "share")
    assert share == {
        "id": "share",
        "label": t("fi", "col.share"),
        "kind": "share",
        "unit": None,
        "of": ["n", "responses"],
    }
    # ... and each record gives the fraction n/N itself (issue #20), not a rounded per cent.
    for record in json.loads(body)["records"]:
        assert record["share"] == record["n"] / record["responses"]


@pytest.fixture(scope="module")
def folder_with_a_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.helpers import copy_data_folder

    folder = copy_data_folder(tmp_path_factory.mktemp("open") / "data")
    result = import_responses(wave_csv(WAVE, 15, 2025), folder)
    assert result.ok
    return folder


@pytest.fixture(scope="module")
def published(folder_with_a_round: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site") / "avoin-data"
    open_data.publish(Database(folder_with_a_round), target, languages=("fi",), extracted=PUBLISHED)
    return target


def test_publish_writes_every_table_wave_and_region_in_four_formats(
    folder_with_a_round: Path, published: Path
) -> None:
    db = Database(folder_with_a_round)
    index = json.loads((published / "index.json").read_text(encoding="utf-8"))
    assert [wave["id"] for wave in index["waves"]] == [WAVE, "2009"]  # no fictional example
    assert index["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert index["data_version"] and index["published"] == "2026-12-06T12:00:00+02:00"
    listed = {entry["path"]: entry for entry in index["files"]}
    on_disk = {str(path.relative_to(published)) for path in published.rglob("*.*")}
    assert on_disk == {*listed, "index.json"}
    for path, entry in listed.items():
        assert hashlib.sha256((published / path).read_bytes()).hexdigest() == entry["sha256"]
    # What the pages offer: a response-level table for the response-level wave only, each table
    # for all of a wave's regions and for each region alone, four formats of each.
    selections = {(e["table"], e["wave"], tuple(e["regions"])) for e in index["files"]}
    assert ("worklist", WAVE, ()) in selections and ("worklist", WAVE, ("01",)) in selections
    assert not any(table == "worklist" and wave == "2009" for table, wave, _ in selections)
    assert ("region_status", "2009", ("12",)) in selections
    assert ("waves", None, ()) in selections  # a table of all waves, once
    assert len(index["files"]) == 4 * len(selections)
    assert {wave for _, wave, _ in selections} == {WAVE, "2009", None}
    assert len(selections) == len(list(open_data.items(db, open_data.real_waves(db, "fi"))))


def test_the_published_files_are_the_exported_ones(
    folder_with_a_round: Path, published: Path
) -> None:
    db = Database(folder_with_a_round)
    selection = Selection("2009", ("10",), "fi")
    spec = TABLES["region_status"]
    frame = build_table(db, "region_status", selection)
    folder = published / "fi"
    plain = file_name("fi", "2009", "region_status", ("10",), utf8=True)
    assert (folder / plain).read_bytes() == csv_utf8_bytes(spec, frame)
    excel = file_name("fi", "2009", "region_status", ("10",))
    assert (folder / excel).read_bytes() == excel_fi_bytes(spec, frame, "fi")
    document = json.loads((folder / plain.replace("_utf8.csv", ".json")).read_text("utf-8"))
    assert document["regions"] == ["10"]
    assert document["provenance"]["area"] == "Etelä-Savo"
    assert [r["plan_ready"] for r in document["records"]] == list(frame["plan_ready"])
    assert (folder / plain.replace("_utf8.csv", ".xlsx")).read_bytes()[:2] == b"PK"


def test_publish_again_swaps_the_folder_whole(shipped_db: Database, tmp_path: Path) -> None:
    target = tmp_path / "avoin-data"
    db = shipped_db
    open_data.publish(db, target, languages=("sv",), extracted=PUBLISHED)
    (target / "sv" / "stale.csv").write_text("old", encoding="utf-8")
    index = open_data.publish(db, target, languages=("en",), licence="CC0 1.0")
    assert sorted(path.name for path in target.iterdir()) == ["en", "index.json"]
    assert index["licence"] == {"name": "CC0 1.0", "url": None}
    # Nothing left beside it: no temporary folder, no lock file.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["avoin-data"]


@pytest.mark.parametrize(
    "contents",
    [
        {"tärkeä.txt": "ei saa kadota"},
        # index.json is a common name: a web app's folder with one is not a published folder
        {"index.json": '{"name": "my-app"}', "src.js": "code"},
        {"index.json": '{"name": "my-app"}'},
    ],
)
def test_a_folder_publish_did_not_write_is_left_alone(
    shipped_db: Database, tmp_path: Path, contents: dict[str, str]
) -> None:
    target = tmp_path / "kotikansio"
    target.mkdir()
    for name, text in contents.items():
        (target / name).write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder that publish wrote"):
        open_data.publish(shipped_db, target, languages=("fi",))
    assert cli.main(["publish", "-o", str(target), "--lang", "fi"]) == 2
    assert {p.name: p.read_text("utf-8") for p in target.iterdir()} == contents


def test_publish_stays_out_of_the_data_folder(data_copy: Path, tmp_path: Path) -> None:
    """A folder inside the data folder (or holding it) would be replaced whole by the next
    publish, imported waves and all."""
    db = Database(data_copy)
    for target in (data_copy / "responses", data_copy, data_copy.parent):
        with pytest.raises(UsageError, match="data folder"):
            open_data.publish(db, target, languages=("fi",))
    assert (data_copy / "region_status.csv").is_file()


@pytest.mark.parametrize(
    ("target", "reason"),
    [("/proc/tilannekuva-avoin", "cannot write"), ("{file}/alikansio", "cannot write")],
)
def test_a_folder_that_cannot_be_written_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str, reason: str
) -> None:
    afile = tmp_path / "tiedosto"
    afile.write_text("x", encoding="utf-8")
    assert cli.main(["publish", "-o", target.format(file=afile), "--lang", "fi"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and reason in line


def test_a_symlink_keeps_pointing_at_the_published_folder(
    shipped_db: Database, tmp_path: Path
) -> None:
    real = tmp_path / "julkaisu"
    link = tmp_path / "avoin-data"
    link.symlink_to(real, target_is_directory=True)
    open_data.publish(shipped_db, link, languages=("fi",))
    open_data.publish(shipped_db, link, languages=("fi",))
    assert link.is_symlink() and (real / "index.json").is_file()
    # no lock file or temporary folder is left beside it
    assert sorted(path.name for path in tmp_path.iterdir()) == ["avoin-data", "julkaisu"]


@pytest.mark.parametrize("licence", ["CC BY 4.0\nFAKE LINE", "x" * 201, "CC\x1b[2J"])
def test_a_licence_is_one_plain_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, licence: str
) -> None:
    licence = licence.encode().decode("unicode_escape")
    assert cli.main(["publish", "-o", str(tmp_path / "o"), "--licence", licence]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: --licence: one line") and "\x1b" not in line
    assert not (tmp_path / "o").exists()


def test_the_licence_address_is_known_in_any_case(shipped_db: Database, tmp_path: Path) -> None:
    index = open_data.publish(shipped_db, tmp_path / "o", languages=("fi",), licence="cc by 4.0")
    assert index["licence"] == {
        "name": "cc by 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }


def test_every_table_has_a_file_name_of_its_own() -> None:
    """Two tables of one file name would overwrite each other in the published folder (and in
    a downloads folder): municipalities and municipality_register were both "kunnat"."""
    for lang in ("fi", "sv", "en"):
        words = [t(lang, f"file.{name}") for name in TABLES]
        assert len(set(words)) == len(words), lang


def test_publish_on_the_command_line(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(open_data.LICENCE_ENV, "CC BY 4.0 (Itä-Suomen aluehallinto)")
    target = tmp_path / "out"
    assert cli.main(["publish", "-o", str(target), "--lang", "sv"]) == 0
    line = capsysbinary.readouterr().out.decode()
    index = json.loads((target / "index.json").read_text(encoding="utf-8"))
    assert line == (
        f"{len(index['files'])} files of {len(index['tables'])} tables (waves: 2009; "
        f"languages: sv; licence: CC BY 4.0 (Itä-Suomen aluehallinto)) in {target}\n"
    )
    assert index["generator"] == "tilannekuva publish"
    assert index["languages"] == ["sv"] and index["waves"][0]["area"] == {"sv": "Östra Finland"}
    assert (target / "sv" / "lagesenkat_2009_landskapsjamforelse_10.csv").is_file()


@pytest.mark.parametrize(
    ("address", "shown"),
    [("/avoin-data/", True), ("https://data.example.fi/avoin/", True), ("javascript:x", False)],
)
def test_the_data_page_links_to_the_published_folder(
    monkeypatch: pytest.MonkeyPatch, address: str, shown: bool
) -> None:
    monkeypatch.setenv("TILANNEKUVA_OPEN_DATA_URL", address)
    app = open_page("data.py", lang="fi")
    assert (t("fi", "data.open_text") in page_text(app)) is shown
    buttons = [b for b in app.get("link_button") if b.proto.label == t("fi", "data.open_link")]
    assert [b.proto.url for b in buttons] == ([address] if shown else [])


def test_without_an_address_the_data_page_says_nothing_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TILANNEKUVA_OPEN_DATA_URL", raising=False)
    assert t("fi", "data.open_text") not in page_text(open_page("data.py", lang="fi"))
