"""Municipal borders of each classification year, shipped in ``data/borders/`` (issue #18).

One TopoJSON file per year, ``municipalities_YYYY.json``, with two objects: ``municipalities``
(one geometry per municipality of that year's register, property ``code``) and ``regions`` (the
same dissolved by region, property ``code``). ``data/borders/build.py`` rebuilds them from the
sources that ``data/borders/SOURCES.md`` names; ``attribution.csv`` says what a map of a year
must print. The map draws them with Vega-Lite's geoshape, the topology given inline: nothing is
fetched from another host.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from tilannekuva.config import PROJECT_DIR

BORDERS_DIR = PROJECT_DIR / "data" / "borders"
MUNICIPALITIES = "municipalities"
REGIONS = "regions"
_NAME = re.compile(rf"borders_(?P<year>\d{{4}})_(?:{MUNICIPALITIES}|{REGIONS})")


def _path(year: int) -> Path:
    return BORDERS_DIR / f"municipalities_{year}.json"


def data_name(year: int, feature: str) -> str:
    """The name a chart gives the year's borders (``borders_2009_regions``): the chart is built
    with the name only, and the topology is put in its place when the spec is made
    (charts.inline_spec). Built with the topology itself, Altair checked every coordinate
    against its schema: 1.4 s a map."""
    return f"borders_{year}_{feature}"


def named_topology(name: str) -> dict[str, Any] | None:
    """The topology of a :func:`data_name`, or None for any other name."""
    match = _NAME.fullmatch(name)
    if match is None or not has_borders(int(match["year"])):
        return None
    return topology(int(match["year"]))


def has_borders(year: int | None) -> bool:
    """Whether the borders of a classification year are shipped."""
    return year is not None and _path(year).is_file()


@cache
def topology(year: int) -> dict[str, Any]:
    """The TopoJSON topology of a year's municipalities and regions, read once per process.
    Callers must not change it (it is shared): a chart takes a copy when it serialises it."""
    with _path(year).open(encoding="utf-8") as file:
        return json.load(file)


@cache
def _attributions() -> tuple[tuple[int, int, str, str], ...]:
    with (BORDERS_DIR / "attribution.csv").open(encoding="utf-8", newline="") as file:
        return tuple(
            (int(row["first_year"]), int(row["last_year"]), row["lang"], row["text"])
            for row in csv.DictReader(file)
        )


def attribution(year: int, lang: str) -> str:
    """What a map of the year's borders prints as its source and licence, in ``lang``."""
    for first, last, text_lang, text in _attributions():
        if first <= year <= last and text_lang == lang:
            return text
    raise KeyError(f"no attribution for the borders of {year} in {lang}")
