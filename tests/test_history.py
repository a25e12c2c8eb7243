"""Issue #22, cost must not grow with history: the loader reads the response files of a
questionnaire together, in one statement, and checks them in statements over all of them. A file
read so is read exactly as on its own: every file below, damaged or not, between two good ones,
gives the same rows and the same problem as when each file is read on its own (as every file
was before), and the good ones around it still load."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.history import add_waves, few_waves_folder, wave_id
from tilannekuva import db
from tilannekuva.db import Database


def _stored(folder: Path, number: int) -> str:
    return (folder / "responses" / f"{wave_id(number)}.csv").read_text(encoding="utf-8")


def _edited(text: str, case: str) -> bytes:
    header, *rows = text.splitlines()
    first = rows[0].split(",")
    edits: dict[str, Any] = {
        "as stored": text,
        "crlf line ends": text.replace("\n", "\r\n"),
        "no line end at the end": text.rstrip("\n"),
        "a blank line inside": "\n".join([header, rows[0], "", *rows[1:]]) + "\n",
        "blank lines at the end": text + "\n\n",
        "a line break in a quoted cell": "\n".join(
            [header, ",".join([*first[:2], '"Kunta\nkaksi"', *first[3:]]), *rows[1:]]
        )
        + "\n",
        "an unclosed quote at the end": text + '"' + rows[-1],
        "an unclosed quote in the middle": "\n".join([header, '"' + rows[0], *rows[1:]]) + "\n",
        "a ragged row": "\n".join([header, rows[0] + ",extra", *rows[1:]]) + "\n",
        "a year that is no number": "\n".join(
            [header, ",".join([*first[:8], "vuosi", *first[9:]]), *rows[1:]]
        )
        + "\n",
        "a row that looks like a mark": text
        + "#tilannekuva-file:1"
        + "," * (len(first) - 1)
        + "\n",
        "only the header": header + "\n",
        "only the header, no line end": header,
        "carriage returns only": text.replace("\n", "\r"),
        "a byte order mark": "\ufeff" + text,
        "a choice that is not one": text.replace(",ready,", ",valmis,", 1),
        "an answer repeated": text + rows[0] + "\n",
    }
    if case == "invalid utf-8":
        return text.encode() + rows[0].replace("Alajärvi", "Alaj\udce4rvi").encode(
            "utf-8", "surrogateescape"
        )
    return edits[case].encode("utf-8")


CASES = [
    "as stored",
    "crlf line ends",
    "no line end at the end",
    "a blank line inside",
    "blank lines at the end",
    "a line break in a quoted cell",
    "an unclosed quote at the end",
    "an unclosed quote in the middle",
    "a ragged row",
    "a year that is no number",
    "a row that looks like a mark",
    "only the header",
    "only the header, no line end",
    "carriage returns only",
    "a byte order mark",
    "a choice that is not one",
    "an answer repeated",
    "invalid utf-8",
]


def _loaded(folder: Path) -> tuple[object, ...]:
    database = Database(folder)
    tables = ("responses", "answers", "response_files")
    rows = [
        sorted(map(repr, database._fetch(f"select * from {table}", {}).itertuples(index=False)))
        for table in tables
    ]
    return (database.unavailable, *rows)


@pytest.fixture(scope="module")
def three_waves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return few_waves_folder(tmp_path_factory.mktemp("history") / "data", 3, 6)


@pytest.mark.parametrize("case", CASES)
def test_a_file_read_with_the_others_reads_as_on_its_own(
    three_waves: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(three_waves, folder)
    (folder / "responses" / f"{wave_id(2)}.csv").write_bytes(_edited(_stored(folder, 2), case))
    together = _loaded(folder)
    monkeypatch.setattr(db, "_body", lambda path: None)  # every file read on its own
    alone = _loaded(folder)
    assert together == alone
    unavailable = {wave.wave for wave in together[0]}  # type: ignore[attr-defined]
    assert unavailable <= {wave_id(2)}
    if case == "as stored":
        assert not unavailable


def test_good_files_are_read_together_and_a_bad_one_alone(
    three_waves: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(three_waves, folder)
    add_waves(folder, 4, 40)
    read_alone: list[str] = []
    real = Database._read_alone

    def counted(self: Database, staged: str, table: Any, file: Any, problems: Any) -> None:
        read_alone.append(file.wave)
        real(self, staged, table, file, problems)

    monkeypatch.setattr(Database, "_read_alone", counted)
    for number in (10, 11):  # saved by Excel: CRLF line ends, read together too
        path = folder / "responses" / f"{wave_id(number)}.csv"
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert Database(folder).unavailable == ()
    assert read_alone == []
    path = folder / "responses" / f"{wave_id(17)}.csv"
    path.write_bytes(_edited(path.read_text(encoding="utf-8"), "an unclosed quote in the middle"))
    unavailable = Database(folder).unavailable
    assert [wave.wave for wave in unavailable] == [wave_id(17)]
    assert unavailable[0].file == f"responses/{wave_id(17)}.csv"
    # Halves are read again down to the bad file: a few files on their own, not forty.
    assert wave_id(17) in read_alone and len(read_alone) <= 8


class _Counting:
    """A DuckDB connection that counts its statements."""

    def __init__(self, connection: Any, counts: list[str]) -> None:
        self._connection = connection
        self._counts = counts

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        self._counts.append(str(args[0])[:40])
        return self._connection.execute(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def test_the_statements_of_a_load_do_not_grow_with_the_waves_stored(
    three_waves: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before issue #22 a load ran about eight statements a response file."""
    few, many = tmp_path / "few", tmp_path / "many"
    shutil.copytree(three_waves, few)
    shutil.copytree(three_waves, many)
    add_waves(many, 4, 60)
    real = db._typed_connection
    counts: dict[Path, list[str]] = {few: [], many: []}
    for folder, statements in counts.items():
        monkeypatch.setattr(db, "_typed_connection", lambda s=statements: _Counting(real(), s))
        assert Database(folder).unavailable == ()
    assert len(counts[many]) == len(counts[few])


def test_the_waves_written_as_the_importer_writes_them_are_what_it_writes(
    three_waves: Path, tmp_path: Path
) -> None:
    """The bench's many-waves folder (bench/history.py) is what importing each wave gives."""
    from bench.waves import wave_csv
    from tilannekuva.importer import import_responses

    written, imported = tmp_path / "written", tmp_path / "imported"
    shutil.copytree(three_waves, written)
    shutil.copytree(three_waves, imported)
    add_waves(written, 4, 5)
    for number in (4, 5):
        area = "koko-suomi" if number % 2 else None
        assert import_responses(wave_csv(wave_id(number), 6), imported, area=area).ok
    for name in ("waves.csv", f"responses/{wave_id(4)}.csv", f"responses/{wave_id(5)}.csv"):
        assert (written / name).read_bytes() == (imported / name).read_bytes()
