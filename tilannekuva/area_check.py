"""The area a response file's wave was sent to (issue #16), checked before anything is written.

A wave states its area in waves.csv (the ``area`` column): a named area of areas.csv (a country,
an AVI area, a wellbeing services county) or region codes joined by ";". An import may give it
(``import FILE --regions 18,19`` or ``--area lappi-hva``); without one, the area is the regions
the file's answers are from. Every answer must be about a municipality of the area: a row of
another region (or, for a county, of another county) refuses the file with its line and column,
since the area decides who is expected to answer and what the totals are over.

Pure functions over the register and the named areas, no database: validating stays fast
(issue #9).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tilannekuva.datafiles import NamedArea
from tilannekuva.register import Register
from tilannekuva.responses import Problem, Report

REGION_CODES = re.compile(r"\d{2}(;\d{2})*")
WELLBEING_COUNTY = "wellbeing_county"


@dataclass(frozen=True)
class WaveArea:
    """``value`` as waves.csv keeps it; ``regions`` the regions it holds in the wave's
    classification year; ``county`` the wellbeing services county's code ("" for an area of
    regions)."""

    value: str
    regions: frozenset[str]
    county: str = ""


def option_value(regions: str | None, area: str | None) -> str | None:
    """The ``area`` cell for the command line's ``--regions 18,19`` (codes, in code order) or
    ``--area ID``; None when neither is given. Both at once is a usage error (ValueError)."""
    if regions and area:
        raise ValueError("give --regions or --area, not both")
    if area:
        return area.strip()
    if regions:
        codes = sorted({code.strip() for code in re.split(r"[,;\s]+", regions) if code.strip()})
        return ";".join(codes)
    return None


def present_regions(report: Report) -> str:
    """The default area: the regions the file's answers are from, as waves.csv keeps them."""
    return ";".join(sorted({row["region_code"] for row in report.rows}))


def resolve(
    value: str,
    areas: Mapping[str, NamedArea],
    known_regions: Iterable[str],
    register: Register,
    year: int | None,
) -> WaveArea | Problem:
    """The area ``value`` names in the register of ``year``, or the problem with it: a region
    code not in regions.csv, or an area id not in areas.csv."""
    if REGION_CODES.fullmatch(value):
        known = set(known_regions)
        unknown = [code for code in value.split(";") if code not in known]
        if unknown:
            return Problem("area_unknown_region", values={"value": ", ".join(unknown)})
        return WaveArea(value, frozenset(value.split(";")))
    named = areas.get(value)
    if named is None:
        return Problem("area_unknown", values={"value": value, "known": ", ".join(sorted(areas))})
    year_regions = (
        {region.code for region in register.regions_of(year)} if year in register.years() else None
    )
    if named.kind == WELLBEING_COUNTY:
        members = [
            m
            for m in (register.municipalities_of(year) if year_regions is not None else [])
            if m.wellbeing_county_code == named.wellbeing_county_code
        ]
        if not members:
            return Problem("area_not_in_year", values={"value": value, "year": year or ".."})
        return WaveArea(
            value, frozenset(m.region_code for m in members), named.wellbeing_county_code
        )
    regions = named.regions if year_regions is None else named.regions & year_regions
    return WaveArea(value, frozenset(regions))


def area_findings(
    report: Report, area: WaveArea, register: Register, year: int | None
) -> list[Problem]:
    """A problem for each row about a municipality outside ``area`` (line and column)."""
    problems = []
    for line, row in zip(report.lines, report.rows, strict=True):
        if area.county and year is not None:
            found = register.municipality(year, row["municipality_code"])
            if found is not None and found.wellbeing_county_code != area.county:
                problems.append(
                    Problem(
                        "outside_area",
                        line=line,
                        column="municipality_code",
                        values={"value": row["municipality_code"], "area": area.value},
                    )
                )
        elif row["region_code"] not in area.regions:
            problems.append(
                Problem(
                    "outside_area",
                    line=line,
                    column="region_code",
                    values={"value": row["region_code"], "area": area.value},
                )
            )
    return problems
