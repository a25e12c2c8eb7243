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
from tilannekuva.responses import PARTNER_COLUMNS, THEME_COLUMNS
from tilannekuva.schema import COUNT_COLUMNS

DEFAULT_OLD_PLAN_YEAR = 2005  # "plans from around the turn of the millennium, never updated"

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
    before_year: int = DEFAULT_OLD_PLAN_YEAR  # the worklist's "old plan" limit


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


def _municipal(db: Database, name: str, selection: Selection, **extra: object) -> pd.DataFrame:
    return db.run(name, lang=selection.lang, **_status(selection), **extra)


def build_municipalities(db: Database, selection: Selection) -> pd.DataFrame:
    return _municipal(db, "municipalities", selection)


def build_artu_by_plan_status(db: Database, selection: Selection) -> pd.DataFrame:
    return db.run("artu_by_plan_status", **_status(selection))


def build_worklist(db: Database, selection: Selection) -> pd.DataFrame:
    return _municipal(db, "worklist", selection, before_year=selection.before_year)


def build_yes_no_answers(db: Database, selection: Selection) -> pd.DataFrame:
    answers = _municipal(db, "yes_no_answers", selection, total_label=_label(db, selection))
    if not selection.total:
        answers = answers[answers["region_code"] != "total"].reset_index(drop=True)
    return answers


def build_themes_partners_by_municipality(db: Database, selection: Selection) -> pd.DataFrame:
    return _municipal(db, "themes_partners_by_municipality", selection)


def build_respondent_agreement(db: Database, selection: Selection) -> pd.DataFrame:
    return _municipal(db, "respondent_agreement", selection)


def build_plan_coverage(db: Database, selection: Selection) -> pd.DataFrame:
    return _municipal(db, "plan_coverage", selection)


def previous_wave(db: Database, wave: str) -> str | None:
    """The newest real wave older than ``wave``; None for a fictional wave or the first one.
    A fictional wave is never compared with real ones (issue #3)."""
    waves = db.run("waves", lang="fi")
    current = waves[waves["wave_id"] == wave]
    if current.empty or bool(current["fictional"].iloc[0]) or pd.isna(current["year"].iloc[0]):
        return None
    year = int(current["year"].iloc[0])
    older = waves[~waves["fictional"].astype(bool) & (waves["year"] < year)]
    return None if older.empty else str(older.sort_values("year")["wave_id"].iloc[-1])


def build_wave_change(db: Database, selection: Selection) -> pd.DataFrame:
    """Each measure's share in this wave and in the previous real wave, and the change in
    percentage points, always with both waves' n/N. Empty when there is nothing to compare."""
    previous = previous_wave(db, selection.wave)
    columns = ["region_code", "region", "measure", "n", "responses", "share_percent"]
    if previous is None or selection.artu != "all":
        return pd.DataFrame(columns=TABLES["wave_change"].column_ids)
    now = build_measure_shares(db, selection)[columns]
    before = build_measure_shares(db, replace(selection, wave=previous))[columns]
    change = before.merge(
        now, on=["region_code", "region", "measure"], suffixes=("_previous", ""), how="inner"
    )
    change.insert(0, "previous_wave", previous)
    change["change_pp"] = change["share_percent"] - change["share_percent_previous"]
    return change


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
_MUNICIPALITY = (
    Column("municipality_name", "text"),
    Column("municipality_code", "code"),
    Column("region", "text"),
)
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
            "wave_change",
            (
                Column("previous_wave", "code"),
                *_REGION,
                Column("measure", "label", "measure."),
                Column("n_previous", "count"),
                Column("responses_previous", "count"),
                Column("share_percent_previous", "decimal"),
                *_SHARE,
                Column("change_pp", "decimal"),
            ),
            build_wave_change,
        ),
        TableSpec(
            "municipalities",
            (
                *_MUNICIPALITY,
                Column("sub_region", "text"),
                Column("respondent_type", "label", "respondent."),
                Column("plan_status", "label", "status."),
                Column("plan_year", "code"),
                Column("plan_scope", "label", "scope."),
                Column("council_approved", "bool"),
                Column("published", "bool"),
                Column("artu_in_use", "bool"),
            ),
            build_municipalities,
        ),
        TableSpec(
            "artu_by_plan_status",
            (
                Column("artu", "label", "artu_answer."),
                Column("plan_ready", "count"),
                Column("plan_started", "count"),
                Column("plan_not_started", "count"),
                Column("municipalities", "count"),
                Column("ready_share_percent", "decimal"),
            ),
            build_artu_by_plan_status,
        ),
        TableSpec(
            "worklist",
            (
                *_MUNICIPALITY,
                Column("sub_region", "text"),
                Column("answered_by", "labels", "respondent."),
                Column("plan_year", "code"),
                Column("reasons", "labels", "reason."),
            ),
            build_worklist,
        ),
        TableSpec(
            "yes_no_answers",
            (
                *_REGION,
                Column("item", "label", "item."),
                Column("n", "count"),
                Column("no", "count"),
                Column("unanswered", "count"),
                Column("municipalities", "count"),
            ),
            build_yes_no_answers,
        ),
        TableSpec(
            "themes_partners_by_municipality",
            (
                *_MUNICIPALITY,
                *(Column(item, "bool") for item in (*THEME_COLUMNS, *PARTNER_COLUMNS)),
            ),
            build_themes_partners_by_municipality,
        ),
        TableSpec(
            "respondent_agreement",
            (
                *_MUNICIPALITY,
                Column("municipality_status", "label", "status."),
                Column("police_status", "label", "status."),
                Column("rescue_status", "label", "status."),
                Column("agree", "bool"),
            ),
            build_respondent_agreement,
        ),
        TableSpec(
            "plan_coverage",
            (*_MUNICIPALITY, Column("coverage", "label", "coverage.")),
            build_plan_coverage,
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
