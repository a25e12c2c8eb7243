"""The shipped municipal borders (data/borders/, issue #18): one TopoJSON file per classification
year 2009–2026, held to the register with the standard library only (data/borders/build.py needs
shapely and topojson; these tests do not)."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BORDERS = ROOT / "data" / "borders"
REGISTER = ROOT / "data" / "register" / "municipalities.csv"
YEARS = range(2009, 2027)
MAX_BYTES = 300_000
LANGS = ("fi", "sv", "en")
# Finland with Åland and its sea areas, in degrees: a file in projected metres, or with
# longitude and latitude swapped, falls outside
LON, LAT = (19.0, 32.0), (59.3, 70.2)


@cache
def register() -> dict[int, dict[str, str]]:
    """year -> municipality code -> region code, as data/register/municipalities.csv has them."""
    years: dict[int, dict[str, str]] = {}
    with REGISTER.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            years.setdefault(int(row["year"]), {})[row["municipality_code"]] = row["region_code"]
    return years


@cache
def topology(year: int) -> dict:
    with (BORDERS / f"municipalities_{year}.json").open(encoding="utf-8") as file:
        return json.load(file)


def geometries(year: int, name: str) -> list[dict]:
    return topology(year)["objects"][name]["geometries"]


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]


def rings(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return geometry["arcs"]
    return [ring for polygon in geometry["arcs"] for ring in polygon]


def arc_of(index: int) -> int:
    return index if index >= 0 else ~index


@cache
def points(year: int) -> list[list[tuple[int, int]]]:
    """The arcs delta-decoded, in quantized units."""
    out = []
    for arc in topology(year)["arcs"]:
        x = y = 0
        decoded = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            decoded.append((x, y))
        out.append(decoded)
    return out


def ring_points(year: int, ring: list[int]) -> list[tuple[int, int]]:
    coords: list[tuple[int, int]] = []
    for index in ring:
        arc = points(year)[arc_of(index)]
        arc = arc if index >= 0 else arc[::-1]
        coords.extend(arc if not coords else arc[1:])
    return coords


def signed_area(coords: list[tuple[int, int]]) -> int:
    """Twice the area, positive when the ring runs anticlockwise (east right, north up)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(coords))


def test_there_is_one_file_for_each_year_and_no_other() -> None:
    files = {path.name for path in BORDERS.glob("municipalities_*.json")}
    assert files == {f"municipalities_{year}.json" for year in YEARS}
    assert set(YEARS) <= set(register()), "the register lacks a year the borders have"


@pytest.mark.parametrize("year", YEARS)
def test_the_file_is_a_small_quantized_topology(year: int) -> None:
    assert (BORDERS / f"municipalities_{year}.json").stat().st_size <= MAX_BYTES
    topo = topology(year)
    assert topo["type"] == "Topology"
    assert set(topo["objects"]) == {"municipalities", "regions"}
    assert len(topo["transform"]["scale"]) == len(topo["transform"]["translate"]) == 2
    for arc in topo["arcs"]:
        assert len(arc) >= 2
        assert all(len(point) == 2 and all(type(v) is int for v in point) for point in arc)


@pytest.mark.parametrize("year", YEARS)
def test_the_municipalities_are_the_register_s_of_the_year(year: int) -> None:
    codes = [g["properties"]["code"] for g in geometries(year, "municipalities")]
    assert codes == sorted(register()[year]), "not the register's codes, or not in code order"
    for geometry in geometries(year, "municipalities"):
        assert set(geometry) == {"type", "arcs", "properties"}
        assert geometry["properties"] == {"code": geometry["properties"]["code"]}
        assert re.fullmatch(r"\d{3}", geometry["properties"]["code"])


@pytest.mark.parametrize("year", YEARS)
def test_the_regions_are_the_register_s_of_the_year(year: int) -> None:
    codes = [g["properties"]["code"] for g in geometries(year, "regions")]
    assert codes == sorted(set(register()[year].values()))
    for geometry in geometries(year, "regions"):
        assert set(geometry) == {"type", "arcs", "properties"}
        assert re.fullmatch(r"\d{2}", geometry["properties"]["code"])


@pytest.mark.parametrize("year", YEARS)
def test_every_geometry_is_a_polygon_of_arcs_in_range(year: int) -> None:
    count = len(topology(year)["arcs"])
    used = set()
    for name in ("municipalities", "regions"):
        for geometry in geometries(year, name):
            assert geometry["type"] in ("Polygon", "MultiPolygon")
            polygons = polygons_of(geometry)
            assert polygons and all(polygon for polygon in polygons), geometry["properties"]
            for ring in rings(geometry):
                assert ring, geometry["properties"]
                for index in ring:
                    assert type(index) is int and -count <= index < count, geometry["properties"]
                    used.add(arc_of(index))
    assert used == set(range(count)), "an arc no geometry uses"


@pytest.mark.parametrize("year", YEARS)
def test_rings_are_closed_and_wound_as_vega_lite_reads_them(year: int) -> None:
    """d3-geo (Vega-Lite's geoshape) takes an anticlockwise exterior for the whole globe but
    this polygon: exteriors must run clockwise, holes anticlockwise."""
    for name in ("municipalities", "regions"):
        for geometry in geometries(year, name):
            for exterior, *holes in polygons_of(geometry):
                coords = ring_points(year, exterior)
                assert coords[0] == coords[-1], geometry["properties"]
                assert signed_area(coords) < 0, geometry["properties"]
                for hole in holes:
                    coords = ring_points(year, hole)
                    assert coords[0] == coords[-1], geometry["properties"]
                    assert signed_area(coords) > 0, geometry["properties"]


@pytest.mark.parametrize("year", YEARS)
def test_the_coordinates_are_longitude_and_latitude_in_finland(year: int) -> None:
    transform = topology(year)["transform"]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    xs = [x for arc in points(year) for x, _ in arc]
    ys = [y for arc in points(year) for _, y in arc]
    assert LON[0] <= min(xs) * sx + tx < max(xs) * sx + tx <= LON[1]
    assert LAT[0] <= min(ys) * sy + ty < max(ys) * sy + ty <= LAT[1]


@pytest.mark.parametrize("year", YEARS)
def test_neighbours_share_their_borders(year: int) -> None:
    """A topology, not polygons side by side: an arc is a border of at most two municipalities,
    and most arcs are a border between two (only the outer boundary is used once)."""
    uses = Counter(
        arc_of(index)
        for geometry in geometries(year, "municipalities")
        for ring in rings(geometry)
        for index in ring
    )
    assert max(uses.values()) <= 2
    assert sum(1 for n in uses.values() if n == 2) >= 0.8 * len(uses)


@pytest.mark.parametrize("year", YEARS)
def test_each_region_is_its_municipalities_of_the_register_dissolved(year: int) -> None:
    """The arcs around a region are those its municipalities (by the register) use once."""
    region_of = register()[year]
    outline: dict[str, Counter] = {}
    for geometry in geometries(year, "municipalities"):
        region = region_of[geometry["properties"]["code"]]
        counter = outline.setdefault(region, Counter())
        counter.update(arc_of(index) for ring in rings(geometry) for index in ring)
    for geometry in geometries(year, "regions"):
        code = geometry["properties"]["code"]
        arcs = Counter(arc_of(index) for ring in rings(geometry) for index in ring)
        assert set(arcs.values()) == {1}, code
        assert set(arcs) == {arc for arc, n in outline[code].items() if n == 1}, code


@pytest.mark.parametrize(("year", "expected"), [(2009, 54), (2026, 43)])
def test_the_three_eastern_regions_have_their_municipalities(year: int, expected: int) -> None:
    """Etelä-Savo (10), Pohjois-Savo (11) and Pohjois-Karjala (12): a map of the three draws one
    shape for each of their municipalities of the year."""
    codes = {code for code, region in register()[year].items() if region in ("10", "11", "12")}
    assert len(codes) == expected
    drawn = {
        g["properties"]["code"]: g
        for g in geometries(year, "municipalities")
        if g["properties"]["code"] in codes
    }
    assert set(drawn) == codes
    assert all(rings(geometry) for geometry in drawn.values())
    regions = {g["properties"]["code"] for g in geometries(year, "regions")}
    assert {"10", "11", "12"} <= regions


def read_attribution() -> list[dict[str, str]]:
    with (BORDERS / "attribution.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == ["first_year", "last_year", "lang", "text"]
        return list(reader)


def test_the_attribution_covers_every_year_once_in_each_language() -> None:
    rows = read_attribution()
    covered = Counter(
        (year, row["lang"])
        for row in rows
        for year in range(int(row["first_year"]), int(row["last_year"]) + 1)
    )
    assert covered == Counter({(year, lang): 1 for year in YEARS for lang in LANGS})
    assert all(row["text"].strip() == row["text"] and row["text"] for row in rows)


def test_the_attribution_names_the_source_and_licence_of_its_years() -> None:
    """2009–2012 come from FinnONTO's SAPO (CC BY 3.0), later years from the National Land
    Survey (CC BY 4.0), as data/borders/SOURCES.md says."""
    survey = {"fi": "Maanmittauslaitos", "sv": "Lantmäteriverket", "en": "National Land Survey"}
    for row in read_attribution():
        if int(row["last_year"]) <= 2012:
            assert "FinnONTO Consortium" in row["text"] and "CC BY 3.0" in row["text"]
        else:
            assert int(row["first_year"]) >= 2013
            assert survey[row["lang"]] in row["text"] and "CC BY 4.0" in row["text"]


def test_sources_md_names_the_commits_the_build_pins() -> None:
    build = (BORDERS / "build.py").read_text(encoding="utf-8")
    sources = (BORDERS / "SOURCES.md").read_text(encoding="utf-8")
    pinned = re.findall(r'^[A-Z_]+_COMMIT = "([0-9a-f]{40})"', build, flags=re.MULTILINE)
    assert len(pinned) == 2
    for commit in pinned:
        assert commit in sources
