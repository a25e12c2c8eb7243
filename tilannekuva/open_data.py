"""Open data (issue #19 item 4): a table as JSON for programs, and the whole published folder.

- :func:`json_bytes`: one table of one selection as JSON: its records (the CSV (UTF-8) file's
  values: ids for labels, ``null`` for unknown, never 0; text as it is, without the apostrophe
  the CSV files put before a cell a spreadsheet would run as a formula) and each column's id,
  label, kind and unit from the SQL header, with the provenance every file carries.
- :func:`publish`: every table × wave × region selection the pages offer — each real wave (the
  fictional examples are not data), all its regions and each region alone — in CSV (UTF-8), CSV
  for Finnish Excel, .xlsx and JSON, in each language, and an ``index.json`` that lists the tables,
  waves, areas and files with the data version and the data's licence. The folder is written
  beside the target and then put in its place, so a reader (nginx at ``/avoin-data/``, make
  serve) never sees half of it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from tilannekuva.areas import view_area
from tilannekuva.db import Database, fingerprint
from tilannekuva.errors import UsageError, shown
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes, file_name
from tilannekuva.formatting import is_unknown
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.output_formats import FORMATS
from tilannekuva.provenance import HELSINKI, Provenance, app_version, make_provenance
from tilannekuva.tables import TABLES, Selection, TableSpec, build_table, wave_regions, wave_rows
from tilannekuva.wave import Wave
from tilannekuva.workbook import workbook_bytes

# The licence the published files are offered under unless the publisher names another
# (``publish --licence``, or TILANNEKUVA_DATA_LICENCE for make serve): CC BY 4.0, which the
# public-sector recommendation JHS 189 (avoimen datan lisensointi) advises for open data. The
# register's names and codes are Statistics Finland's, CC BY 4.0 too (data/register/SOURCES.md).
LICENCE_ENV = "TILANNEKUVA_DATA_LICENCE"
DEFAULT_LICENCE = "CC BY 4.0"
LICENCE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}
INDEX = "index.json"


def _json_value(column_kind: str, value: Any) -> Any:
    if is_unknown(value):
        return None
    if column_kind == "count":
        return int(value)
    if column_kind == "decimal":
        return float(f"{float(value):.1f}")  # the one decimal of the CSV files
    if column_kind == "share":
        return float(value)  # the fraction n/N itself; its column names n and N ("of")
    if column_kind == "date":
        return pd.Timestamp(value).date().isoformat()
    if column_kind == "bool":
        return bool(value)
    return str(value)


def _provenance(prov: Provenance) -> dict[str, Any]:
    return {
        "wave": prov.wave_id,
        "wave_title": prov.wave_title,
        "year": prov.year,
        "classification_year": prov.classification_year,
        "level": prov.level,
        "fictional": prov.fictional,
        "area": prov.area,
        "artu": prov.artu,
        "source": prov.source,
        "response_rate_percent": prov.response_rate_percent,
        "extracted": prov.extracted.isoformat(timespec="seconds"),
        "app_version": prov.version,
    }


def columns_of(spec: TableSpec, lang: str) -> list[dict[str, Any]]:
    """Each column's id, label in ``lang``, kind and unit, as the SQL header declares them."""
    return [
        {
            "id": column.id,
            "label": t(lang, f"col.{column.id}"),
            "kind": column.kind,
            "unit": column.unit or None,
            **({"of": list(column.of)} if column.of else {}),
        }
        for column in spec.columns
    ]


def json_bytes(
    spec: TableSpec, frame: pd.DataFrame, selection: Selection, prov: Provenance
) -> bytes:
    """The table as JSON (UTF-8): what it is, its columns and its records."""
    kinds = [column.kind for column in spec.columns]
    records = [
        {
            column_id: _json_value(kind, value)
            for column_id, kind, value in zip(spec.column_ids, kinds, row, strict=True)
        }
        for row in frame[spec.column_ids].itertuples(index=False, name=None)
    ]
    document = {
        "table": spec.name,
        "title": t(selection.lang, f"table.{spec.name}"),
        "lang": selection.lang,
        "regions": list(selection.regions),
        "provenance": _provenance(prov),
        "columns": columns_of(spec, selection.lang),
        "records": records,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def table_bytes(
    spec: TableSpec, frame: pd.DataFrame, selection: Selection, prov: Provenance, output: str
) -> bytes:
    """The table in one of FORMATS: the bytes ``export --format`` writes."""
    if output == "xlsx":
        return workbook_bytes(spec, frame, selection.lang, prov)
    if output == "excel":
        return excel_fi_bytes(spec, frame, selection.lang)
    if output == "json":
        return json_bytes(spec, frame, selection, prov)
    return csv_utf8_bytes(spec, frame)


def takes_wave(spec: TableSpec, db: Database) -> bool:
    """Whether the table is of one wave (most) or of all of them (waves, regions, the data
    dictionary): the latter is published once per language."""
    query = db.queries.get(spec.name)
    return query is not None and "wave" in query.parameters


@dataclass(frozen=True)
class Item:
    """One selection of one table; ``wave`` is empty for a table of all waves."""

    table: str
    wave: str
    regions: tuple[str, ...]


def items(db: Database, waves: Sequence[Wave]) -> Iterator[Item]:
    """What the pages offer of each table: each wave whose level the table reads, with all its
    regions and with each region alone (a table without regions once)."""
    if not waves:
        return
    for spec in TABLES.values():
        if not takes_wave(spec, db):
            yield Item(spec.name, "", ())
            continue
        for wave in waves:
            if spec.response_level and not wave.response_level:
                continue  # a regional table has no answers: the pages do not offer it either
            yield Item(spec.name, wave.wave_id, ())
            if spec.regional:
                for region in sorted(wave_regions(db, wave.wave_id)):
                    yield Item(spec.name, wave.wave_id, (region,))


def real_waves(db: Database, lang: str) -> list[Wave]:
    """The waves to publish: the real ones that loaded, newest first (the fictional examples
    are invented, not data)."""
    left_out = {wave.wave for wave in db.unavailable}
    return [
        wave
        for wave in (Wave.from_record(row) for row in wave_rows(db, lang).to_dict("records"))
        if not wave.fictional and wave.wave_id not in left_out
    ]


def _extension(output: str) -> str:
    return "csv" if output in ("csv", "excel") else output


def _write_files(
    db: Database, root: Path, languages: Sequence[str], extracted: datetime
) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = []
    areas: dict[Selection, str] = {}  # a view's area, asked once per selection, not per table
    for lang in languages:
        (root / lang).mkdir()
        waves = real_waves(db, lang)
        by_id = {wave.wave_id: wave for wave in waves}
        for item in items(db, waves):
            # A table of all waves says it was read beside the newest wave, as on the Data page.
            wave = by_id[item.wave] if item.wave else waves[0]
            selection = Selection(wave.wave_id, item.regions, lang)
            spec = TABLES[item.table]
            frame = build_table(db, item.table, selection)
            if selection not in areas:
                areas[selection] = view_area(db, selection).name
            prov = make_provenance(wave, selection, areas[selection], extracted)
            for output in FORMATS:
                name = file_name(
                    lang,
                    item.wave,
                    item.table,
                    item.regions,
                    utf8=output == "csv",
                    extension=_extension(output),
                )
                path = root / lang / name
                if path.exists():  # two tables of one name would overwrite each other
                    raise ValueError(f"two published files are named {lang}/{name}")
                data = table_bytes(spec, frame, selection, prov, output)
                path.write_bytes(data)
                files.append(
                    {
                        "path": f"{lang}/{name}",
                        "lang": lang,
                        "table": item.table,
                        "wave": item.wave or None,
                        "regions": list(item.regions),
                        "format": output,
                        "bytes": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                )
    return files


def _index(
    db: Database,
    languages: Sequence[str],
    licence: str,
    extracted: datetime,
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    # Each wave in each language: its title and the name of its area (the waves table's).
    by_lang = {lang: {w.wave_id: w for w in real_waves(db, lang)} for lang in languages}
    first = list(by_lang[languages[0]].values())
    regions = {
        lang: dict(db.run("regions", lang=lang)[["region_code", "region"]].values)
        for lang in languages
    }
    published_regions = sorted({code for wave in first for code in wave_regions(db, wave.wave_id)})
    tables = sorted({entry["table"] for entry in files}, key=list(TABLES).index)
    return {
        "generator": GENERATOR,
        "title": {lang: t(lang, "app.title") for lang in languages},
        "published": extracted.isoformat(timespec="seconds"),
        "data_version": fingerprint(Path(db.data_dir)),
        "app_version": app_version(),
        "licence": {"name": licence, "url": _licence_url(licence)},
        "sources": sorted({wave.source for wave in first if wave.source}),
        "languages": list(languages),
        "formats": {
            "csv": "CSV (UTF-8): comma, dot decimals, column ids, a share as a per cent with "
            "one decimal, empty = not available",
            "excel": "CSV for Finnish Excel: semicolon, decimal comma, UTF-8 with BOM, headers in "
            "the file's language, '..' = not available",
            "xlsx": "Excel workbook: the table and an About sheet (source, wave, counting rule)",
            "json": "JSON: columns (id, label, kind, unit; a share's n and N in 'of') and "
            "records, a share as the fraction n/N (0..1), null = not available",
        },
        "waves": [
            {
                "id": wave.wave_id,
                "title": {lang: by_lang[lang][wave.wave_id].title for lang in languages},
                "year": wave.year,
                "classification_year": wave.classification_year,
                "level": wave.level,
                "area": {lang: by_lang[lang][wave.wave_id].area for lang in languages},
                "regions": sorted(wave_regions(db, wave.wave_id)),
            }
            for wave in first
        ],
        "regions": [
            {"code": code, "name": {lang: regions[lang].get(code) for lang in languages}}
            for code in published_regions
        ],
        "tables": [
            {
                "id": name,
                "title": {lang: t(lang, f"table.{name}") for lang in languages},
                "of_one_wave": takes_wave(TABLES[name], db),
                "response_level": TABLES[name].response_level,
                "columns": columns_of(TABLES[name], languages[0]),
            }
            for name in tables
        ],
        "files": files,
    }


GENERATOR = "tilannekuva publish"  # index.json says so: the mark of a folder publish wrote
LICENCE_CHARS = 200


def _is_published(folder: Path) -> bool:
    """Whether ``folder`` is empty, or what publish writes: its index.json (with the generator
    mark) and language folders, nothing else. Only such a folder is ever replaced."""
    entries = {path.name for path in folder.iterdir()}
    if not entries:
        return True
    if not entries <= {INDEX, *LANGUAGES}:
        return False
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(index, dict) and index.get("generator") == GENERATOR


def _check_target(target: Path, data: Path) -> None:
    """UsageError unless ``target`` may be (re)written: absent, empty or one that publish wrote,
    and apart from the data folder (inside it, a later publish would delete imported waves)."""
    data = data.resolve()
    if target == data or target.is_relative_to(data) or data.is_relative_to(target):
        raise UsageError(f"{shown(target)} is in the data folder or holds it: choose another")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{shown(target)} is not a folder")
    if target.is_dir() and not _is_published(target):
        raise UsageError(
            f"{shown(target)} is not a folder that publish wrote (only {INDEX} and the language "
            "folders): left as it is"
        )


def checked_licence(licence: str) -> str:
    """The licence's name as given: one line of at most LICENCE_CHARS characters, no control
    characters (it goes into index.json and the summary line); UsageError otherwise."""
    name = licence.strip()
    if len(name) > LICENCE_CHARS or shown(name, None) != name:
        raise UsageError(
            f"--licence: one line of at most {LICENCE_CHARS} characters without control "
            f"characters, not {shown(name, 60)}"
        )
    return name


def _licence_url(licence: str) -> str | None:
    known = {name.lower(): url for name, url in LICENCE_URLS.items()}
    return known.get(licence.lower())


@contextmanager
def _turn(folder: Path) -> Iterator[None]:
    """Two publishers into one folder take turns: an exclusive lock on the parent folder itself
    (flock on its descriptor), so no lock file is left behind."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def publish(
    db: Database,
    target: Path,
    *,
    languages: Sequence[str] = LANGUAGES,
    licence: str = DEFAULT_LICENCE,
    extracted: datetime | None = None,
) -> dict[str, Any]:
    """Write the open data folder at ``target`` and return its index.

    The files are written into a new folder beside ``target``, which then takes its place: a
    reader sees the old folder or the new one, never a half-written one. Two publishers (two
    imports close together) take turns. ``target`` (a symlink is followed: the folder it points
    to is replaced) must be absent, empty or a folder this function wrote, and apart from the
    data folder; anything else is left alone (UsageError), as is a folder that cannot be written
    (UsageError with the system's reason)."""
    licence = checked_licence(licence)
    target = target.resolve()
    extracted = (extracted or datetime.now(HELSINKI)).astimezone(HELSINKI)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _turn(target.parent):
            _check_target(target, Path(db.data_dir))
            with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as work:
                root = Path(work) / "new"
                root.mkdir()  # with the umask's mode, unlike the 0700 of the temporary folder
                files = _write_files(db, root, languages, extracted)
                index = _index(db, languages, licence, extracted, files)
                text = json.dumps(index, ensure_ascii=False, indent=1) + "\n"
                (root / INDEX).write_text(text, encoding="utf-8")
                if target.exists():
                    os.rename(target, Path(work) / "old")
                os.rename(root, target)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UsageError(f"cannot write {shown(target)}: {reason}") from None
    return index


def licence_from_environment() -> str:
    return os.environ.get(LICENCE_ENV, "").strip() or DEFAULT_LICENCE
