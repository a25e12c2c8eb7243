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
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from tilannekuva.config import PROJECT_DIR

BORDERS_DIR = PROJECT_DIR / "data" / "borders"
MUNICIPALITIES = "municipalities"
REGIONS = "regions"
_NAME = re.compile(
    rf"borders_(?P<year>\d{{4}})_(?P<regions>\d{{2}}(?:-\d{{2}})*)_(?:{MUNICIPALITIES}|{REGIONS})"
)


def _path(year: int) -> Path:
    return BORDERS_DIR / f"municipalities_{year}.json"


def data_name(year: int, regions: Sequence[str], feature: str) -> str:
    """The name a chart gives the borders of the year's municipalities or regions in ``regions``
    (``borders_2009_10-11-12_regions``): the chart is built with the name only, and the topology
    is put in its place when the spec is made (charts.inline_spec). Built with the topology
    itself, Altair checked every coordinate against its schema: 1.4 s a map."""
    return f"borders_{year}_{'-'.join(sorted(regions))}_{feature}"


def named_topology(name: str) -> dict[str, Any] | None:
    """The topology a :func:`data_name` names, or None for any other name."""
    match = _NAME.fullmatch(name)
    if match is None or not has_borders(int(match["year"])):
        return None
    return area_topology(int(match["year"]), tuple(match["regions"].split("-")))


@lru_cache(maxsize=64)
def area_topology(year: int, regions: tuple[str, ...]) -> dict[str, Any]:
    """The year's topology cut to the municipalities and regions of ``regions``, with only the
    arcs they use: a view of three regions sends a fifth of Finland's borders to the browser on
    every run, not all of them. Made once per year and set of regions (at most 64 kept)."""
    whole = topology(year)
    members = _members(year)
    keep = {code for region in regions for code in members.get(region, ())}
    objects = {
        MUNICIPALITIES: [
            geometry
            for geometry in whole["objects"][MUNICIPALITIES]["geometries"]
            if geometry["properties"]["code"] in keep
        ],
        REGIONS: [
            geometry
            for geometry in whole["objects"][REGIONS]["geometries"]
            if geometry["properties"]["code"] in regions
        ],
    }
    # TopoJSON refers to an arc by its index, and to it reversed by its index's complement (~i).
    used = sorted(
        {
            index if index >= 0 else ~index
            for geometries in objects.values()
            for geometry in geometries
            for index in _arc_indices(geometry)
        }
    )
    new_index = {old: new for new, old in enumerate(used)}

    def renumbered(arcs: Any) -> Any:
        if isinstance(arcs, int):
            return new_index[arcs] if arcs >= 0 else ~new_index[~arcs]
        return [renumbered(part) for part in arcs]

    return {
        "type": "Topology",
        "transform": whole["transform"],
        "arcs": [whole["arcs"][index] for index in used],
        "objects": {
            name: {
                "type": "GeometryCollection",
                "geometries": [{**g, "arcs": renumbered(g["arcs"])} for g in geometries],
            }
            for name, geometries in objects.items()
        },
    }


def _arc_indices(geometry: dict[str, Any]) -> list[int]:
    """Every arc index of a Polygon (rings of arcs) or MultiPolygon (polygons of rings)."""
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    return [index for polygon in polygons for ring in polygon for index in ring]


@cache
def _members(year: int) -> dict[str, frozenset[str]]:
    """The municipality codes of each region in the year's register."""
    from tilannekuva.register import load_register  # read only when a map is drawn

    found: dict[str, set[str]] = {}
    for municipality in load_register().municipalities:
        if municipality.year == year:
            found.setdefault(municipality.region_code, set()).add(municipality.code)
    return {region: frozenset(codes) for region, codes in found.items()}


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
