"""The tables the pages show and offer for download, by name: one registry that the pages, the
downloads and the command line (``python -m tilannekuva export``) share, so a table shown is a table
exportable, with the same figures.

A table is one SQL file, ``queries/<name>.sql`` (dbt style): its header declares its parameters
(``-- $wave: ...``) and its columns with their kind and unit (``-- column n: count, responses``).
:func:`build_table` fills the parameters from the :class:`Selection` by the names the header
declares and returns exactly the declared columns; the line ``-- level: response`` says the table
needs a response-level wave (one answer per municipality). This module only adds what a header
cannot say: the order of the tables, the table made without SQL (the data dictionary), the titles
of untitled waves, and the texts of the total rows' labels (which of them applies is decided
in SQL).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields

import pandas as pd

from tilannekuva.db import Database, NamedQuery, QueryError, load_queries
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.schema import COUNT_COLUMNS, Column, Kind

__all__ = ["TABLES", "Column", "Kind", "Selection", "TableSpec", "build_table"]

DEFAULT_OLD_PLAN_YEAR = 2005  # "plans from around the turn of the millennium, never updated"


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
    municipality: str = ""  # the municipality page's one, as its downloads name it (issue #7)
    # The one municipality a municipality table is read for ('' = all): the page's tables of one
    # municipality across every wave, read for it alone (issue #22: 2,000 waves stored).
    municipality_code: str = ""


Builder = Callable[[Database, Selection], pd.DataFrame]


@dataclass(frozen=True)
class TableSpec:
    """A table: its columns, and how it is made — the SQL file of the same name unless ``build``
    is given; ``finish`` post-processes the query's frame (for what SQL cannot know)."""

    name: str
    columns: tuple[Column, ...]
    build: Builder | None = None
    regional: bool = True  # the region codes belong in its download's file name
    response_level: bool = False  # needs a response-level wave: its header says -- level: response
    finish: Callable[[pd.DataFrame, Selection], pd.DataFrame] | None = None
    # The columns the page shows first, in this order (its header says -- first on the page: a, b):
    # on a phone the first stays in place while the others scroll under it (issue #21: the name,
    # then the reasons or answers, not a code repeated on every row). Downloads keep the order.
    page_first: tuple[str, ...] = ()
    counting_rule: str = "listing"  # its header's -- counting rule: (see COUNTING_RULES)

    @property
    def column_ids(self) -> list[str]:
        return [column.id for column in self.columns]


# Parameters that are not Selection fields: the patterns of a total row's label ("{area}
# yhteensä") and of an area without a name ("Valitut maakunnat ({regions})"), from the UI
# catalogue; the view's area is decided in SQL (view_area and total_label in _macros.sql).
DERIVED_PARAMETERS: dict[str, Callable[[Selection], object]] = {
    "total_label": lambda selection: t(selection.lang, "total.of_area"),
    "regions_label": lambda selection: t(selection.lang, "area.selected_regions"),
    "fictional_source": lambda selection: t(selection.lang, "source.fictional"),
}
_SELECTION_FIELDS = frozenset(field.name for field in fields(Selection))


def query_parameters(parameters: frozenset[str], selection: Selection) -> dict[str, object]:
    """The values of the named parameters for a selection, by the names the header declares."""
    values: dict[str, object] = {}
    for name in parameters:
        if name in _SELECTION_FIELDS:
            value = getattr(selection, name)
            values[name] = list(value) if isinstance(value, tuple) else value
        elif name in DERIVED_PARAMETERS:
            values[name] = DERIVED_PARAMETERS[name](selection)
        else:
            raise QueryError(f"no value for parameter ${name} in a Selection")
    return values


def run_table(db: Database, name: str, selection: Selection) -> pd.DataFrame:
    """Run the table's SQL file with its parameters filled from the selection."""
    return db.run(name, **query_parameters(db.queries[name].parameters, selection))


def wave_rows(db: Database, lang: str) -> pd.DataFrame:
    """Every wave with its metadata in ``lang`` (the waves query), each with a title: the one
    loader of wave names that the cache, the command line and the tests share."""
    parameters = query_parameters(db.queries["waves"].parameters, Selection("", lang=lang))
    return titled_waves(db.run("waves", **parameters), lang)


def titled_waves(waves: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Waves with a title for those that have none in waves.csv (imported or example waves)."""
    titled = waves.copy()
    fallback = [
        t(lang, "wave.example_title" if fictional else "wave.untitled", wave=wave)
        for wave, fictional in zip(titled["wave_id"], titled["fictional"], strict=True)
    ]
    titled["title"] = titled["title"].where(titled["title"].notna(), pd.Series(fallback))
    return titled


def build_data_dictionary(db: Database, selection: Selection) -> pd.DataFrame:
    """Every count column, and the coverage rule, with its name and definition in each language
    (from the catalogue); then the other questions of the selected wave's questionnaire (issue
    #16), each named and defined by the questionnaire's own file."""
    rows = []
    # Besides the counts, the rules a reader needs to read a column (issue #7: coverage by scope).
    for measure in (*COUNT_COLUMNS, "coverage"):
        row: dict[str, str] = {"measure": measure}
        for lang in LANGUAGES:
            row[f"name_{lang}"] = t(lang, f"measure.{measure}")
            row[f"definition_{lang}"] = t(lang, f"definition.{measure}")
        rows.append(row)
    waves = wave_rows(db, selection.lang)
    asked = waves.loc[waves["wave_id"] == selection.wave, "questionnaire"]
    questionnaire = shipped_questionnaires().get(str(asked.iloc[0])) if len(asked) else None
    for question in questionnaire.other_questions if questionnaire else ():
        row = {"measure": question.id}
        for lang in LANGUAGES:
            row[f"name_{lang}"] = question.label[lang]
            row[f"definition_{lang}"] = t(
                lang,
                "definition.question",
                text=question.text[lang],
                type=t(lang, f"questionnaire.type_{question.type}"),
            )
        rows.append(row)
    return pd.DataFrame(rows)


# The order of the Data page's list and of `export --list`; a table not named here follows these,
# by name, so a new table needs no line here.
ORDER = (
    "region_status",
    "measure_shares",
    "key_figures",
    "planning_scope",
    "artu_adoption",
    "target_group",
    "wave_change",
    "municipalities",
    "artu_by_plan_status",
    "worklist",
    "yes_no_answers",
    "themes_partners_by_municipality",
    "other_answers",
    "other_trends",
    "municipality_other_answers",
    "respondent_agreement",
    "plan_coverage",
    "respondents",
    "non_respondents",
    "workshops",
    "workshop_milestones",
    "data_notes",
    "data_dictionary",
    "waves",
    "regions",
)

# Tables, or parts of tables, that no SQL header can express.
PYTHON_TABLES = {
    "data_dictionary": TableSpec(
        "data_dictionary",
        (
            Column("measure", "code"),
            *(
                Column(f"{part}_{lang}", "text")
                for lang in LANGUAGES
                for part in ("name", "definition")
            ),
        ),
        build_data_dictionary,
        regional=False,
    ),
}


def worded_map_values(frame: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The map table's value in words where the questionnaire gives no text (a plan status, a
    coverage, yes/no, "not answered", …: the catalogue's words, in the selection's language)."""
    from tilannekuva.map_chart import value_label  # altair: only when the map table is made

    worded = frame.copy()
    worded["value_text"] = [
        None
        if value is None or pd.isna(value)
        else value_label(measure, value, text, selection.lang)
        for measure, value, text in zip(
            frame["measure"], frame["value"], frame["value_text"], strict=True
        )
    ]
    return worded


FINISH: dict[str, Callable[[pd.DataFrame, Selection], pd.DataFrame]] = {
    "waves": lambda frame, selection: titled_waves(frame, selection.lang),
    "map_municipalities": worded_map_values,
}


# "-- level: response" in a query's header: the table is made from the answers of a response-level
# wave and has no rows on a published regional table. A table without the line reads any wave.
_LEVEL_HEADER = re.compile(r"^--\s*level\s*:(.*)$", re.MULTILINE)


def needs_response_level(query: NamedQuery) -> bool:
    """Whether the query's header says ``-- level: response``; QueryError for any other level,
    or for the line given twice, so a misspelt line cannot pass for a table of any level."""
    levels = [level.strip() for level in _LEVEL_HEADER.findall(query.sql)]
    if levels not in ([], ["response"]):
        raise QueryError(
            f"{query.name}.sql: the header may say '-- level: response' once, not {levels}"
        )
    return bool(levels)


# "-- counting rule: shares" in a query's header: what a figure of the table counts, as the .xlsx
# About sheet says it (workbook.counting_rule). Declared, never guessed from the column ids (issue
# #20 item 1); the levelled ones are worded for a regional table or a response-level wave.
_RULE_HEADER = re.compile(r"^--\s*counting rule\s*:(.*)$", re.MULTILINE)
LEVELLED_RULES = frozenset({"counts", "shares", "scope"})
COUNTING_RULES = LEVELLED_RULES | {"trend", "change", "answers", "municipal", "yes_no", "listing"}


def counting_rule_of(query: NamedQuery) -> str:
    """The rule of ``-- counting rule: NAME`` in the query's header; QueryError when it is
    missing, unknown or given twice."""
    rules = [rule.strip() for rule in _RULE_HEADER.findall(query.sql)]
    if len(rules) != 1 or rules[0] not in COUNTING_RULES:
        raise QueryError(
            f"{query.name}.sql: the header must say '-- counting rule: NAME' once, NAME one of "
            f"{sorted(COUNTING_RULES)}; it says {rules}"
        )
    return rules[0]


_PAGE_FIRST_HEADER = re.compile(r"^--\s*first on the page\s*:(.*)$", re.MULTILINE)


def page_first(query: NamedQuery) -> tuple[str, ...]:
    """The columns of ``-- first on the page: a, b`` in the query's header; QueryError for a name
    that is not a declared column, or for the line given twice."""
    lines = _PAGE_FIRST_HEADER.findall(query.sql)
    if len(lines) > 1:
        raise QueryError(f"{query.name}.sql: '-- first on the page' is given twice")
    names = tuple(name.strip() for name in lines[0].split(",")) if lines else ()
    unknown = [name for name in names if name not in {column.id for column in query.columns}]
    if unknown:
        raise QueryError(f"{query.name}.sql: '-- first on the page' names no column {unknown}")
    return names


def _sql_tables() -> dict[str, TableSpec]:
    """One spec per query whose header declares columns; regional when it takes $regions."""
    return {
        query.name: TableSpec(
            query.name,
            query.columns,
            regional="regions" in query.parameters,
            response_level=needs_response_level(query),
            finish=FINISH.get(query.name),
            page_first=page_first(query),
            counting_rule=counting_rule_of(query),
        )
        for query in load_queries().values()
        if query.columns
    }


def _registry() -> dict[str, TableSpec]:
    specs = {**_sql_tables(), **PYTHON_TABLES}
    names = [name for name in ORDER if name in specs]
    names += sorted(set(specs) - set(ORDER))
    return {name: specs[name] for name in names}


TABLES: dict[str, TableSpec] = _registry()


def build_table(db: Database, name: str, selection: Selection) -> pd.DataFrame:
    """The named table for a selection, with exactly the spec's columns in the spec's order."""
    spec = TABLES[name]
    frame = spec.build(db, selection) if spec.build else run_table(db, name, selection)
    if spec.finish is not None:
        frame = spec.finish(frame, selection)
    return frame[spec.column_ids]


def wave_regions(db: Database, wave: str) -> frozenset[str]:
    """The region codes of the regions ``wave`` was sent to (its area, issue #16)."""
    rows = db.run("wave_regions")
    return frozenset(rows.loc[rows["wave_id"] == wave, "region_code"])
