"""Open data (issue #19 item 4): a table as JSON for programs, and the whole published folder.

- :func:`json_bytes`: one table of one selection as JSON: its records (the CSV (UTF-8) file's
  values: ids for labels, ``null`` for unknown, never 0) and each column's id, label, kind and unit
  from the SQL header, with the provenance every file carries.
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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from tilannekuva.areas import view_area
from tilannekuva.db import Database, fingerprint
from tilannekuva.errors import UsageError
from tilannekuva.exports import csv_utf8_bytes, excel_fi_bytes, file_name
from tilannekuva.formatting import is_unknown
from tilannekuva.i18n import LANGUAGES, t
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
FORMATS = ("csv", "excel", "xlsx", "json")
INDEX = "index.json"


def _json_value(column_kind: str, value: Any) -> Any:
    if is_unknown(value):
        return None
    if column_kind == "count":
        return int(value)
    if column_kind == "decimal":
        return float(f"{float(value):.1f}")  # the one decimal of the CSV files
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
                data = table_bytes(spec, frame, selection, prov, output)
                (root / lang / name).write_bytes(data)
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
    by_lang = {lang: real_waves(db, lang) for lang in languages}
    first = by_lang[languages[0]]
    areas = {
        lang: {
            wave.wave_id: view_area(db, Selection(wave.wave_id, (), lang)).name for wave in waves
        }
        for lang, waves in by_lang.items()
    }
    regions = {
        lang: dict(db.run("regions", lang=lang)[["region_code", "region"]].values)
        for lang in languages
    }
    published_regions = sorted({code for wave in first for code in wave_regions(db, wave.wave_id)})
    tables = sorted({entry["table"] for entry in files}, key=list(TABLES).index)
    return {
        "title": {lang: t(lang, "app.title") for lang in languages},
        "published": extracted.isoformat(timespec="seconds"),
        "data_version": fingerprint(Path(db.data_dir)),
        "app_version": app_version(),
        "licence": {"name": licence, "url": LICENCE_URLS.get(licence)},
        "sources": sorted({wave.source for wave in first if wave.source}),
        "languages": list(languages),
        "formats": {
            "csv": "CSV (UTF-8): comma, dot decimals, column ids, empty = not available",
            "excel": "CSV for Finnish Excel: semicolon, decimal comma, UTF-8 with BOM, headers in "
            "the file's language, '..' = not available",
            "xlsx": "Excel workbook: the table and an About sheet (source, wave, counting rule)",
            "json": "JSON: columns (id, label, kind, unit) and records, null = not available",
        },
        "waves": [
            {
                "id": wave.wave_id,
                "title": {lang: _title(by_lang[lang], wave.wave_id) for lang in languages},
                "year": wave.year,
                "classification_year": wave.classification_year,
                "level": wave.level,
                "area": {lang: areas[lang][wave.wave_id] for lang in languages},
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


def _title(waves: Sequence[Wave], wave_id: str) -> str:
    return next(wave.title for wave in waves if wave.wave_id == wave_id)


def _is_published(folder: Path) -> bool:
    return folder.is_dir() and (not any(folder.iterdir()) or (folder / INDEX).is_file())


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
    imports close together) take turns on a lock file beside it. ``target`` must be absent, empty
    or a folder this function wrote (it has index.json): anything else is left alone
    (UsageError)."""
    target = target.absolute()
    if target.exists() and not _is_published(target):
        raise UsageError(f"{target} is not a folder that publish wrote (no {INDEX}): left as it is")
    extracted = (extracted or datetime.now(HELSINKI)).astimezone(HELSINKI)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / f".{target.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
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
    return index


def licence_from_environment() -> str:
    return os.environ.get(LICENCE_ENV, "").strip() or DEFAULT_LICENCE
