"""The tables the pages show and offer for download, by name: one registry that the pages, the
downloads and the command line (``python -m tilannekuva export``) share, so a table shown is a table
exportable, with the same figures.

Each table is a frame whose columns are stable English ids (the CSV headers); :class:`Column` says
how a column is written in each format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from tilannekuva.db import Database
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.schema import COUNT_COLUMNS

Kind = Literal["code", "text", "label", "labels", "bool", "count", "decimal", "date"]


@dataclass(frozen=True)
class Column:
    """``kind`` says how a value is written: ``label`` values are ids translated through
    ``label_prefix`` in the UI language (and kept as ids in CSV), ``labels`` the same for a
    ``;``-separated list of ids, ``decimal`` is a percentage with one decimal."""

    id: str
    kind: Kind
    label_prefix: str = ""


@dataclass(frozen=True)
class Selection:
    """What the user looks at: one wave, the region codes (empty = all), the UI language, whether
    total rows are wanted, and the ARTU filter."""

    wave: str
    regions: tuple[str, ...] = ()
    lang: str = "fi"
    total: bool = True
    artu: str = "all"  # 'all', 'in_use' or 'not_in_use' (response-level waves only)


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    build: Callable[[Database, Selection], pd.DataFrame]
    regional: bool = True

    @property
    def column_ids(self) -> list[str]:
        return [column.id for column in self.columns]


def total_label(selection: Selection, all_region_codes: list[str]) -> str:
    """ "Itä-Suomi yhteensä" when every region is in, else "Valitut maakunnat yhteensä"."""
    everything = not selection.regions or set(selection.regions) >= set(all_region_codes)
    return t(selection.lang, "total.all" if everything else "total.selected")


def _label(db: Database, selection: Selection) -> str:
    codes = db.run("regions", lang=selection.lang)["region_code"].tolist()
    return total_label(selection, codes)


def _regional(selection: Selection) -> dict[str, object]:
    return {"wave": selection.wave, "regions": list(selection.regions)}


def _status(selection: Selection) -> dict[str, object]:
    """The parameters of the queries built on status_rows (narrowed by the ARTU filter)."""
    return {**_regional(selection), "artu": selection.artu}


def build_region_status(db: Database, selection: Selection) -> pd.DataFrame:
    rows = db.run("region_status", lang=selection.lang, **_status(selection))
    if not selection.total:
        return rows
    total = db.run("region_status_total", total_label=_label(db, selection), **_status(selection))
    return pd.concat([rows, total], ignore_index=True)


def build_measure_shares(db: Database, selection: Selection) -> pd.DataFrame:
    shares = db.run(
        "measure_shares",
        lang=selection.lang,
        total_label=_label(db, selection),
        **_status(selection),
    )
    shares["share_percent"] = shares["share"] * 100
    shares = shares.drop(columns="share")
    if not selection.total:
        shares = shares[shares["region_code"] != "total"]
    return shares.reset_index(drop=True)


KEY_MEASURES = ("plan_ready", "council_approved", "published", "artu_in_use")
TARGET_MEASURES = ("plan_not_started", "plan_started")


def _measures(frame: pd.DataFrame, measures: tuple[str, ...]) -> pd.DataFrame:
    return frame[frame["measure"].isin(measures)].reset_index(drop=True)


def build_key_figures(db: Database, selection: Selection) -> pd.DataFrame:
    totals = build_measure_shares(db, replace(selection, total=True))
    return _measures(totals[totals["region_code"] == "total"], KEY_MEASURES)


def build_target_group(db: Database, selection: Selection) -> pd.DataFrame:
    return _measures(build_measure_shares(db, selection), TARGET_MEASURES)


def build_artu_adoption(db: Database, selection: Selection) -> pd.DataFrame:
    """ARTU in use (n/N) and the rest, N − n: "not in use or not reported" — the regional table
    cannot tell those two apart, so they are never shown as "not in use"."""
    artu = _measures(build_measure_shares(db, selection), ("artu_in_use",))
    artu = artu.drop(columns="measure")
    artu["not_in_use_or_not_reported"] = artu["responses"] - artu["n"]
    artu["not_in_use_or_not_reported_percent"] = 100 - artu["share_percent"]
    return artu


def build_planning_scope(db: Database, selection: Selection) -> pd.DataFrame:
    scope = db.run(
        "planning_scope",
        lang=selection.lang,
        total_label=_label(db, selection),
        **_status(selection),
    )
    if not selection.total:
        scope = scope[scope["region_code"] != "total"].reset_index(drop=True)
    return scope


def build_data_notes(db: Database, selection: Selection) -> pd.DataFrame:
    return db.run("data_notes", lang=selection.lang, **_regional(selection))


def build_workshops(db: Database, selection: Selection) -> pd.DataFrame:
    return db.run("workshops", lang=selection.lang, **_regional(selection))


def build_workshop_milestones(db: Database, selection: Selection) -> pd.DataFrame:
    return db.run("workshop_milestones", wave=selection.wave)


def build_data_dictionary(db: Database, selection: Selection) -> pd.DataFrame:
    rows = []
    for measure in COUNT_COLUMNS:
        row: dict[str, str] = {"measure": measure}
        for lang in LANGUAGES:
            row[f"name_{lang}"] = t(lang, f"measure.{measure}")
            row[f"definition_{lang}"] = t(lang, f"definition.{measure}")
        rows.append(row)
    return pd.DataFrame(rows)


def titled_waves(waves: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Waves with a title for those that have none in waves.csv (imported or example waves)."""
    titled = waves.copy()
    fallback = [
        t(lang, "wave.example_title" if fictional else "wave.untitled", wave=wave)
        for wave, fictional in zip(titled["wave_id"], titled["fictional"], strict=True)
    ]
    titled["title"] = titled["title"].where(titled["title"].notna(), pd.Series(fallback))
    return titled


def build_waves(db: Database, selection: Selection) -> pd.DataFrame:
    return titled_waves(db.run("waves", lang=selection.lang), selection.lang)


def build_regions(db: Database, selection: Selection) -> pd.DataFrame:
    return db.run("regions", lang=selection.lang)


_REGION = (Column("region_code", "code"), Column("region", "text"))
_SHARE = (Column("n", "count"), Column("responses", "count"), Column("share_percent", "decimal"))

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "region_status",
            _REGION + tuple(Column(name, "count") for name in COUNT_COLUMNS),
            build_region_status,
        ),
        TableSpec(
            "measure_shares",
            (*_REGION, Column("measure", "label", "measure."), *_SHARE),
            build_measure_shares,
        ),
        TableSpec(
            "key_figures",
            (*_REGION, Column("measure", "label", "measure."), *_SHARE),
            build_key_figures,
        ),
        TableSpec(
            "planning_scope",
            (*_REGION, Column("scope", "label", "scope."), Column("n", "count")),
            build_planning_scope,
        ),
        TableSpec(
            "artu_adoption",
            _REGION
            + _SHARE
            + (
                Column("not_in_use_or_not_reported", "count"),
                Column("not_in_use_or_not_reported_percent", "decimal"),
            ),
            build_artu_adoption,
        ),
        TableSpec(
            "target_group",
            (*_REGION, Column("measure", "label", "measure."), *_SHARE),
            build_target_group,
        ),
        TableSpec(
            "workshops",
            (*_REGION, Column("workshop_date", "date")),
            build_workshops,
        ),
        TableSpec(
            "workshop_milestones",
            (
                Column("milestone", "label", "milestone."),
                Column("period_start", "date"),
                Column("period_end", "date"),
                Column("precision", "label", "precision."),
            ),
            build_workshop_milestones,
            regional=False,
        ),
        TableSpec(
            "data_notes",
            (*_REGION, Column("measure", "label", "measure."), Column("note", "text")),
            build_data_notes,
        ),
        TableSpec(
            "data_dictionary",
            (
                Column("measure", "code"),
                *tuple(
                    Column(f"{part}_{lang}", "text")
                    for lang in LANGUAGES
                    for part in ("name", "definition")
                ),
            ),
            build_data_dictionary,
            regional=False,
        ),
        TableSpec(
            "waves",
            (
                Column("wave_id", "code"),
                Column("title", "text"),
                Column("year", "code"),
                Column("target_group", "labels", "target."),
                Column("response_rate_percent", "count"),
                Column("level", "label", "level."),
                Column("fictional", "bool"),
                Column("source", "text"),
            ),
            build_waves,
            regional=False,
        ),
        TableSpec(
            "regions",
            _REGION,
            build_regions,
            regional=False,
        ),
    )
}


def build_table(db: Database, name: str, selection: Selection) -> pd.DataFrame:
    """The named table for a selection, with exactly the spec's columns in the spec's order."""
    spec = TABLES[name]
    return spec.build(db, selection)[spec.column_ids]
