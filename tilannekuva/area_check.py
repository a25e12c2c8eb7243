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
from collections.abc import Iterable, Iterator, Mapping
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
    if regions is not None and area is not None:
        raise ValueError("give --regions or --area, not both")
    if area is not None:
        if not area.strip():
            raise ValueError("--area names no area")
        return area.strip()
    if regions is not None:
        codes = sorted({code.strip() for code in re.split(r"[,;\s]+", regions) if code.strip()})
        if not codes:
            raise ValueError("--regions names no region code")
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
    code that is not a region in ``year`` (not in regions.csv when the register has no such
    year), an area id not in areas.csv, or a named area that did not exist in ``year``."""
    year_regions = (
        {region.code for region in register.regions_of(year)}
        if year is not None and year in register.years()
        else None
    )
    if REGION_CODES.fullmatch(value):
        known = set(known_regions) if year_regions is None else year_regions
        unknown = [code for code in value.split(";") if code not in known]
        if unknown and year_regions is not None:
            values = {"value": ", ".join(unknown), "year": year}
            return Problem("area_region_not_in_year", values=values)
        if unknown:
            return Problem("area_unknown_region", values={"value": ", ".join(unknown)})
        return WaveArea(value, frozenset(value.split(";")))
    named = areas.get(value)
    if named is None:
        return Problem("area_unknown", values={"value": value, "known": ", ".join(sorted(areas))})
    if year is not None and not named.valid_in(year):
        period = f"{named.valid_from or ''}\u2013{named.valid_to or ''}"
        return Problem("area_not_valid", values={"value": value, "year": year, "period": period})
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


def outside(
    rows: Iterable[tuple[str, str | None]], area: WaveArea, register: Register, year: int | None
) -> Iterator[tuple[int, str, str]]:
    """(index, column, value) of each (region code, municipality code) in ``rows`` that is
    outside ``area``: the region code is not one of the area's, or, in a year the register has,
    the register puts the municipality in a region outside the area (whatever the row's region
    code says) or, for a county, in another county. A code the register does not know is the
    register check's to refuse (register_check, at import), not evidence of another area. A row
    of a regional table has no municipality (None): its region alone. The one rule of the import
    (area_findings, after the register check) and of the loader (db.py)."""
    known_year = year is not None and year in register.years()
    for index, (region_code, municipality_code) in enumerate(rows):
        if region_code not in area.regions:
            yield index, "region_code", region_code
            continue
        if not known_year or municipality_code is None:
            continue
        found = register.municipality(year, municipality_code)
        if found is not None and (
            found.region_code not in area.regions
            or (area.county and found.wellbeing_county_code != area.county)
        ):
            yield index, "municipality_code", municipality_code


def area_findings(
    report: Report, area: WaveArea, register: Register, year: int | None
) -> list[Problem]:
    """A problem for each row about a municipality outside ``area`` (line and column)."""
    codes = [(row["region_code"], row["municipality_code"]) for row in report.rows]
    return [
        Problem(
            "outside_area",
            line=report.lines[index],
            column=column,
            values={"value": value, "area": area.value},
        )
        for index, column, value in outside(codes, area, register, year)
    ]
