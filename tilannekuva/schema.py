"""The column lists of the data: the shipped data files and their column types, the response
file's columns, and the :class:`Column` a table declares. The validator (responses.py), the loader
(db.py) and the tables (tables.py, via the SQL headers) all read them from here.

Every file is read with these explicit types (``auto_detect=false``): a value that does not fit its
type is an error at start, never a silently re-typed column (issue #2, "Query layer").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Kind = Literal["code", "text", "label", "labels", "bool", "count", "decimal", "share", "date"]
KINDS: frozenset[str] = frozenset(get_args(Kind))
LABEL_KINDS = frozenset({"label", "labels"})


@dataclass(frozen=True)
class Column:
    """One column of a table, as its SQL header declares it (``-- column id: kind``).

    ``kind`` says how a value is written: ``label`` values are ids translated through
    ``label_prefix`` in the UI language (and kept as ids in CSV), ``labels`` the same for a
    ``;``-separated list of ids, ``count`` a whole number, ``share`` a fraction 0..1 of the two
    columns ``of`` names (``-- column share: share, of n/responses``), kept a fraction from SQL to
    the display and shown as a per cent only there (issue #20), ``decimal`` a number with one
    decimal (percentage points: see ``unit``). ``unit`` says what a number counts or measures
    (``responses``, ``municipalities``, ``%`` for a percentage a source gives, ``pp``); it is
    documentation for people and tools."""

    id: str
    kind: Kind
    label_prefix: str = ""
    unit: str = ""
    # A share's numerator and denominator columns: the .xlsx stores n/N as a formula over them.
    of: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableFile:
    """One CSV file in the data folder and the relation it becomes."""

    table: str
    file: str
    columns: tuple[tuple[str, str], ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


# The response file: one row per responding organisation about one municipality (issue #3).
THEME_COLUMNS = ("theme_exclusion_alcohol", "theme_home_leisure", "theme_immigrants_racism")
PARTNER_COLUMNS = (
    "partner_vapepa",
    "partner_red_cross",
    "partner_immigrant_orgs",
    "partner_sports_clubs",
    "partner_village_committees",
    "partner_joint_service_points",
    "partner_private_security",
    "partner_regional_council",
)
YES_NO_COLUMNS = ("council_approved", "published", "artu_in_use", *THEME_COLUMNS, *PARTNER_COLUMNS)
# Who answered about which municipality: the columns of every response file before its questions.
FRAME_COLUMNS = (
    "wave",
    "respondent_type",
    "organisation",
    "municipality_code",
    "municipality_name",
    "region_code",
    "sub_region",
)
# The core measures: the questions the SQL reads as columns of their own (the 2009 questions),
# with the type a questionnaire must give them (tilannekuva/questionnaire.py). A wave whose
# questionnaire does not ask one has it blank (NULL).
CORE_QUESTIONS: dict[str, str] = {
    "plan_status": "one_choice",
    "plan_year": "year",
    "plan_scope": "one_choice",
    **dict.fromkeys(YES_NO_COLUMNS, "yes_no"),
}
# The responses table: one row per answer, the frame and the core measures.
RESPONSE_COLUMNS = (*FRAME_COLUMNS, *CORE_QUESTIONS)

COUNT_COLUMNS: tuple[str, ...] = (
    "plan_ready",
    "plan_started",
    "plan_not_started",
    "council_approved",
    "published",
    "artu_in_use",
    "in_progress_municipal",
    "in_progress_sub_regional",
    "in_progress_province_wide",
)

RESPONSES = TableFile(
    "responses",
    "responses/*.csv",
    tuple(
        (
            name,
            "integer"
            if name == "plan_year"
            else "boolean"
            if name in YES_NO_COLUMNS
            else "varchar",
        )
        for name in RESPONSE_COLUMNS
    ),
)

TABLE_FILES: tuple[TableFile, ...] = (
    # Every region of Finland in 2009–2026 (issue #7); the ``regions`` table
    # (queries/staging/5_regions.sql) narrows it to the regions the waves were sent to.
    TableFile(
        "region_names",
        "regions.csv",
        (
            ("region_code", "varchar"),
            ("name_fi", "varchar"),
            ("name_sv", "varchar"),
            ("name_en", "varchar"),
        ),
    ),
    TableFile(
        "wave_metadata",
        "waves.csv",
        (
            ("wave_id", "varchar"),
            ("title_fi", "varchar"),
            ("title_sv", "varchar"),
            ("title_en", "varchar"),
            ("year", "integer"),
            ("classification_year", "integer"),
            ("target_group", "varchar"),
            ("response_rate_percent", "integer"),
            ("level", "varchar"),
            ("fictional", "boolean"),
            ("source", "varchar"),
            # issue #16: the area the wave was sent to (a named area of areas.csv or region codes
            # joined by ";"; blank = the regions of its data) and the questionnaire it asked
            ("area", "varchar"),
            ("questionnaire", "varchar"),
        ),
    ),
    # The named areas (issue #16): countries, AVI areas and wellbeing services counties, each
    # with its names, its regions (or its county code in the register) and its years.
    TableFile(
        "named_areas",
        "areas.csv",
        (
            ("area_id", "varchar"),
            ("kind", "varchar"),
            ("name_fi", "varchar"),
            ("name_sv", "varchar"),
            ("name_en", "varchar"),
            ("regions", "varchar"),
            ("wellbeing_county_code", "varchar"),
            ("valid_from", "integer"),
            ("valid_to", "integer"),
            ("source", "varchar"),
        ),
    ),
    TableFile(
        "published_region_status",
        "region_status.csv",
        (
            ("wave_id", "varchar"),
            ("region_code", "varchar"),
            *tuple((name, "integer") for name in COUNT_COLUMNS),
        ),
    ),
    TableFile(
        "data_notes",
        "data_notes.csv",
        (
            ("wave_id", "varchar"),
            ("region_code", "varchar"),
            ("measure", "varchar"),
            ("note_fi", "varchar"),
            ("note_sv", "varchar"),
            ("note_en", "varchar"),
        ),
    ),
    TableFile(
        "workshops",
        "workshops.csv",
        (("wave_id", "varchar"), ("region_code", "varchar"), ("workshop_date", "date")),
    ),
    TableFile(
        "workshop_milestones",
        "workshop_milestones.csv",
        (
            ("wave_id", "varchar"),
            ("milestone_order", "integer"),
            ("milestone", "varchar"),
            ("period_start", "date"),
            ("period_end", "date"),
            ("precision", "varchar"),
        ),
    ),
)
