"""Rebuild the municipal borders of every classification year 2009–2026 (issue #18).

Writes ``data/borders/municipalities_YYYY.json`` for each year: a TopoJSON topology in WGS84
longitude/latitude with two objects, ``municipalities`` (one geometry per municipality of the
year in ``data/register/municipalities.csv``, properties ``{"code": "491"}``) and ``regions`` (the
municipalities dissolved by that year's region, properties ``{"code": "10"}``). Neighbours share
their arcs, so a border is stored once and the map has no gaps.

    python data/borders/build.py --sorvi SORVI_GIT_DIR --nls HALLINNOLLISETRAJAT_GIT_DIR

The arguments are git directories (a bare clone is enough) of rOpenGov/sorvi and
samilaine/hallinnollisetrajat; every file is read with ``git show`` at the commit pinned below
(``SORVI_COMMIT``, ``NLS_COMMIT``) and the build stops if that commit is missing. Build-time
packages, not project requirements: shapely 2.2 (GEOS 3.14: ``coverage_clean``), topojson 2.2,
rdflib 7.6 and rdata 1.1 (pyreadr cannot read the .rda's sf column). Same input, same bytes.
``data/borders/SOURCES.md`` has the licences and the attribution a map prints.

2009 (FinnONTO's SAPO, CC BY 3.0, in sorvi). SAPO names each municipality "instance" with the
years it was valid (``Karttula(1926-2010)``); ``data-raw/sapo-generation.ttl`` has the instances,
their names and the changes between them, ``data-raw/sapo-generation-polygons-*.ttl`` their
polygons (an instance can have several: Jyväskylä(1993-2008) and Säynätsalo, Hammarland on both
sides of Eckerö). The ``-2007.ttl`` is not in the snapshot (too large); its 19 polygons are taken
from sorvi's ``data/polygons1909_2009.rda``, which otherwise is not used: for 19 instances it has
only part of the .ttl's polygon, among them Jyväskylä(1993-2008) without Säynätsalo and
Hammarland(1869-) without its eastern part, 789 km2 of Åland that nothing else covers.
The set of 1.1.2009 is the 348 instances whose years include 2009, matched to the register's
codes of 2009 by Finnish name (and to sorvi's code where the .rda has one). 309 have a polygon;
the other 39 are made as SAPO's changes describe them: a merger (``sapo:Yhdistyminen``) is the
union of the merged instances, recursively (Sastamala from Vammala(2007-2008) from Vammala and
Suodenniemi), a rename (``sapo:Nimenmuutos``) keeps the polygon, and the four area transfers
are in ``TRANSFERS``: Vantaa and Sipoo lose what Helsinki(2009-) has; Pedersöre is the 1977
merger of Pietarsaaren mlk, Purmo and Ahtava less Pietarsaari(1977-); Hattula's 27.6 km2 to
Hämeenlinna in 2009 has no polygon in SAPO, so Hattula keeps it (and Hämeenlinna, which the
area joined up, is drawn in two parts 2009–2012).

SAPO's polygons come from different digitisations: neighbours overlap and leave slivers. Made a
clean coverage with GEOS CoverageCleaner (vertices within ``SNAP_DEG`` snapped together):
overlaps go to the smaller polygon (Kauniainen lies inside Espoo's); a gap of at least
``GUIDED_GAP_KM2`` goes to the neighbour that is part of the municipality the National Land
Survey's 2013 borders put it in (20 gaps; 63 km2 of them, in three, Pedersöre's), smaller gaps to
the neighbour with the longest common border; detached pieces under ``SLIVER_KM2`` that the
unions left are dropped before the last pass. Checked: merged to 2013, every municipality lies
where the NLS borders of 2013 have it (``overlap``).

2013 onwards (the National Land Survey's open administrative borders at 1:4.5 million, CC BY
4.0, as GeoJSON in samilaine/hallinnollisetrajat): ``NLS_FILES`` 2013, 2021, 2023; the repository
has no file for any other year.

A year without its own file is the nearest earlier one (2009, 2013, 2021, 2023) with the
register's mergers since then (``data/register/changes.csv``, kind ``merger``) dissolved into
their successor: 2010–2012 from 2009, 2014–2020 from 2013, 2022 from 2021, 2024–2026 from 2023.
Each year's codes must equal the register's exactly, or the build stops. Border changes that no
merger explains are logged (``compare``): the 2021 file moves 67 km2 from Oulu to Ii and 63 km2
from Savonlinna to Enonkoski against 2013's borders, so 2014–2020 show them as in 2013.

Simplification and size: each source's coverage is simplified once, as a whole (GEOS
CoverageSimplifier, Visvalingam–Whyatt; shared borders stay shared, nothing collapses or
crosses), with a tolerance of ``TOLERANCE_KM`` (in a plane where a degree of longitude is
shortened by the cosine of 64°, so the tolerance is a distance). SAPO's 31 900 vertices become
14 200, about 0.3 km from the original at the median and 1.4 km at most: under a pixel of a
900 px map of three regions. The NLS borders, already generalised for 1:4.5 million, lose
almost nothing. The topology (topojson, junctions where neighbours share a vertex) is quantized
to ``QUANTIZATION`` steps over the year's bounding box (about 6 m east–west, 12 m north–south)
and delta-encoded; rings are wound as d3-geo and Vega-Lite read them (exterior clockwise, holes
anticlockwise) and the result is decoded again and checked (``verify``). 130 kB a year for
2009–2012, 80 kB from 2013.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import rdata
import rdflib
import shapely
import shapely.affinity
import topojson
from shapely.geometry import MultiPolygon, Polygon, shape

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "data" / "borders"
REGISTER = ROOT / "data" / "register" / "municipalities.csv"
CHANGES = ROOT / "data" / "register" / "changes.csv"

YEARS = range(2009, 2027)

SORVI_COMMIT = "65a9a2c57dac4fe54cbbdc695cfa34f180229932"  # rOpenGov/sorvi, 2026-02-17
SORVI_POLYGONS = "data/polygons1909_2009.rda"
SORVI_ONTOLOGY = "data-raw/sapo-generation.ttl"
SORVI_TTL_POLYGONS = tuple(
    f"data-raw/sapo-generation-polygons-{year}.ttl" for year in (1909, 1927, 1940, 1960, 2005, 2009)
)
NLS_COMMIT = "03f9203007160ef67177c8a5c6f3463cbf57af46"  # samilaine/hallinnollisetrajat, 2024-01-12
NLS_FILES = {
    2013: "kuntarajat.2013.json",
    2021: "kuntarajat.2021.json",
    2023: "kuntarajat.2023.json",
}
SAPO_YEAR = 2009
BASE_YEARS = (SAPO_YEAR, *NLS_FILES)

TOLERANCE_KM = 0.9  # coverage_simplify's tolerance (the root of the triangle areas it drops)
SIMPLIFY_LATITUDE = 64.0  # longitudes scaled by its cosine while simplifying: 1 km is 1 km
QUANTIZATION = 100_000
GUIDED_GAP_KM2 = 1.0
SLIVER_KM2 = 1.0
MAX_SHIFT_KM = 5.0  # SAPO's 2009 borders merged to 2013 against the NLS borders of 2013
SNAP_DEG = 1e-4  # vertices closer than this (5–11 m) are one, so no hairline spike survives

SAPO = rdflib.Namespace("http://www.yso.fi/onto/sapo/")
SUO = rdflib.Namespace("http://www.yso.fi/onto/suo/")

# SAPO instances of 1.1.2009 without a polygon that an area transfer made: instance ->
# (instances united, instances taken away). The build checks that SAPO records the transfer.
TRANSFERS = {
    # "Vantaasta siirrettiin Helsinkiin kiilanmuotoinen alue 2009"
    "Vantaa(2009-)": (("Vantaa(1972-2008)",), ("Helsinki(2009-)",)),
    # "Sipoon lounaisosasta siirrettiin Helsinkiin 2009 ..."
    "Sipoo(2009-)": (("Sipoo(1868-2008)",), ("Helsinki(2009-)",)),
    # "Hattulan eteläosasta siirrettiin 27,6 km2 alue Hämeenlinnaan 2009": no polygon of the
    # area; Hattula keeps it, Hämeenlinna(2009-) is the union of its merger.
    "Hattula(2009-)": (("Hattula(1979-2008)",), ()),
    # 1977: Purmo and Ahtava merged into Pietarsaaren mlk, which gave an area to Pietarsaari;
    # renamed Pedersören kunta in 1989.
    "Pietarsaaren_mlk(1977-1988)": (
        ("Ahtava(1865-1976)", "Pietarsaaren_mlk(1950-1976)", "Purmo(1867-1976)"),
        ("Pietarsaari(1977-)",),
    ),
}


def log(*args: object) -> None:
    print(*args, file=sys.stderr)


# --- sources -------------------------------------------------------------------------------


def git_show(git_dir: Path, commit: str, path: str) -> bytes:
    result = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    )
    return result.stdout


def check_commit(git_dir: Path, commit: str) -> None:
    result = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
    )
    if result.returncode != 0:
        sys.exit(f"{git_dir} has no commit {commit}: fetch the repository it pins")


def read_register() -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    """year -> municipality code -> region code, and year -> code -> Finnish name."""
    years: dict[int, dict[str, str]] = defaultdict(dict)
    names: dict[int, dict[str, str]] = defaultdict(dict)
    with REGISTER.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            years[int(row["year"])][row["municipality_code"]] = row["region_code"]
            names[int(row["year"])][row["municipality_code"]] = row["name_fi"]
    return dict(years), dict(names)


def read_mergers() -> list[tuple[int, str, str]]:
    """(year, from code, to code) of the register's mergers, in date order."""
    with CHANGES.open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["kind"] == "merger"]
    return sorted(
        (int(row["date"][:4]), row["from_code"], row["to_code"])
        for row in rows
        if row["date"][5:] == "01-01"
    )


# --- SAPO (2009) ---------------------------------------------------------------------------


def _r_attributes(obj) -> dict[str, object]:
    out = {}
    node = obj.attributes
    while node is not None and node.info.type == rdata.parser.RObjectType.LIST:
        tag = node.tag
        while tag.info.type == rdata.parser.RObjectType.REF:
            tag = tag.referenced_object
        out[tag.value.value.decode()] = node.value[0]
        node = node.value[1] if len(node.value) > 1 else None
    return out


def _r_strings(obj) -> list[str | None]:
    return [None if item.value is None else item.value.decode("utf-8") for item in obj.value]


def _r_ring(obj) -> np.ndarray:
    values = np.asarray(obj.value, dtype=float)  # an n × 2 matrix, column-major
    half = len(values) // 2
    return np.column_stack([values[:half], values[half:]])


def _r_polygon(rings) -> Polygon:
    return Polygon(_r_ring(rings[0]), [_r_ring(ring) for ring in rings[1:]])


def _r_geometry(obj):
    kind = _r_strings(_r_attributes(obj)["class"])[1]
    if kind == "POLYGON":
        return _r_polygon(obj.value)
    if kind == "MULTIPOLYGON":
        return MultiPolygon([_r_polygon(part.value) for part in obj.value])
    if kind == "GEOMETRYCOLLECTION":
        # Siikajoki(2007-): a polygon and the stray lines of an R union; keep the polygon
        parts = [_r_geometry(part) for part in obj.value]
        return shapely.union_all([p for p in parts if p is not None])
    if kind in ("LINESTRING", "MULTILINESTRING"):
        return None
    raise ValueError(f"unexpected sf geometry {kind}")


def read_ttl_polygons(data: bytes) -> dict[str, object]:
    """SAPO instance -> polygon of one ``sapo-generation-polygons-*.ttl`` (``"lon,lat ..."``)."""
    graph = rdflib.Graph()
    graph.parse(data=data, format="turtle")
    parts: dict[str, list[Polygon]] = defaultdict(list)
    for subject, text in graph.subject_objects(SAPO.hasPolygon):
        ring = [tuple(map(float, pair.split(","))) for pair in str(text).split()]
        parts[_short(subject)].append(shapely.make_valid(Polygon(ring)))
    # an instance may have several polygons (Jyväskylä(1993-2008) and its Säynätsalo); the
    # .rda kept one of them
    return {instance: shapely.union_all(polygons) for instance, polygons in parts.items()}


def read_rda_polygons(data: bytes) -> dict[str, tuple[str | None, object]]:
    """SAPO instance (``Karttula(1926-2010)``) -> (its code in sorvi, polygon)."""
    frame = rdata.parser.parse_data(data).object.value[0]
    columns = dict(zip(_r_strings(_r_attributes(frame)["names"]), frame.value, strict=True))
    uris = _r_strings(columns["x"])
    codes = _r_strings(columns["kunta_nro"])
    out = {}
    for uri, code, geometry in zip(uris, codes, columns["geometry"].value, strict=True):
        polygon = _r_geometry(geometry)
        if polygon is not None and not polygon.is_empty:
            out[uri.removeprefix(str(SAPO))] = (code, shapely.make_valid(polygon))
    return out


def _short(uri) -> str:
    return str(uri).removeprefix(str(SAPO))


def _years(instance: str) -> tuple[int, int]:
    match = re.fullmatch(r".+\((\d{4})-(\d{4})?\)", instance)
    if not match:
        raise ValueError(f"no years in SAPO instance {instance}")
    return int(match[1]), int(match[2] or 9999)


def _name_key(name: str) -> str:
    """SAPO's 'Koski Tl.', 'Salo_2' and the register's 'Maarianhamina - Mariehamn' compared."""
    name = re.sub(r"_\d+$", "", name).split(" - ")[0]
    return name.replace("_", " ").rstrip(".").strip()


def sapo_2009(
    sorvi: Path, codes_2009: dict[str, str], names_2009: dict[str, str]
) -> dict[str, object]:
    """Register code -> polygon of 1.1.2009 (not yet cleaned)."""
    # FinnONTO's own polygons first; sorvi's .rda only for the instances of the .ttl missing from
    # the snapshot (``-2007.ttl``): where both have an instance, the .rda has at most the .ttl's
    # polygon, sometimes a part of it (Jyväskylä(1993-2008) without Säynätsalo).
    rda = read_rda_polygons(git_show(sorvi, SORVI_COMMIT, SORVI_POLYGONS))
    polygons: dict[str, tuple[str | None, object]] = {}
    for path in SORVI_TTL_POLYGONS:
        for instance, polygon in read_ttl_polygons(git_show(sorvi, SORVI_COMMIT, path)).items():
            if instance in polygons:
                sys.exit(f"SAPO's {instance} has polygons in two .ttl files")
            polygons[instance] = (rda.get(instance, (None, None))[0], polygon)
    from_rda = sorted(set(rda) - set(polygons))
    polygons.update({instance: rda[instance] for instance in from_rda})
    log(f"SAPO: {len(polygons) - len(from_rda)} polygons from .ttl, {len(from_rda)} from .rda")
    graph = rdflib.Graph()
    graph.parse(data=git_show(sorvi, SORVI_COMMIT, SORVI_ONTOLOGY), format="turtle")
    labels = {
        _short(s): str(graph.value(s, rdflib.SKOS.prefLabel))
        for s in graph.subjects(rdflib.RDF.type, SUO.kunta)
    }
    merged: dict[str, set[str]] = defaultdict(set)
    renamed: dict[str, set[str]] = defaultdict(set)
    transferred: set[str] = set()
    for kind, target in (
        (SAPO.Yhdistyminen, merged),
        (SAPO.Nimenmuutos, renamed),
        (SAPO.Aluesiirto, None),
    ):
        for event in graph.subjects(rdflib.RDF.type, kind):
            before = {_short(x) for x in graph.objects(event, SAPO.before)}
            for after in graph.objects(event, SAPO.after):
                if target is None:
                    transferred.add(_short(after))
                else:
                    target[_short(after)] |= before
    for instance in TRANSFERS:
        if instance not in transferred:
            sys.exit(f"SAPO records no area transfer that made {instance}")
    united, _ = TRANSFERS["Pietarsaaren_mlk(1977-1988)"]
    if set(united) != merged["Pietarsaaren_mlk(1977-1988)"]:
        sys.exit("SAPO's 1977 merger of Pietarsaaren mlk is not the one TRANSFERS assumes")

    def resolve(instance: str, depth: int = 0):
        if instance in polygons:
            return polygons[instance][1]
        if instance in TRANSFERS:
            plus, minus = TRANSFERS[instance]
            how = f"transfer: {' + '.join(plus)}" + "".join(f" - {m}" for m in minus)
            geometry = shapely.union_all([resolve(x, depth + 1) for x in plus])
            for other in minus:
                geometry = geometry.difference(resolve(other, depth + 1))
        elif len(renamed.get(instance, ())) == 1:
            (before,) = renamed[instance]
            how = f"renamed from {before}"
            geometry = resolve(before, depth + 1)
        elif instance in merged:
            how = f"merger of {', '.join(sorted(merged[instance]))}"
            geometry = shapely.union_all([resolve(x, depth + 1) for x in sorted(merged[instance])])
        else:
            sys.exit(f"SAPO instance {instance} has no polygon and no change that makes one")
        log(f"  {'  ' * depth}{instance}: {how}")
        return geometry

    valid = sorted(i for i in labels if _years(i)[0] <= SAPO_YEAR <= _years(i)[1])
    by_name = {_name_key(name): code for code, name in names_2009.items()}
    if len(by_name) != len(names_2009):
        sys.exit("two municipalities of 2009 share a name")
    out: dict[str, object] = {}
    log(f"SAPO: {len(valid)} instances valid on 1.1.{SAPO_YEAR}")
    for instance in valid:
        code = by_name.get(_name_key(labels[instance]))
        if code is None:
            sys.exit(f"SAPO's {instance} ({labels[instance]}) is no municipality of the register")
        sorvi_code = polygons.get(instance, (None, None))[0]
        if sorvi_code not in (None, code):
            sys.exit(f"SAPO's {instance} is {code} by name but {sorvi_code} in sorvi")
        if code in out:
            sys.exit(f"two SAPO instances are {code}")
        out[code] = resolve(instance)
    if set(out) != set(codes_2009):
        sys.exit(
            f"SAPO's 2009 set differs from the register: missing "
            f"{sorted(set(codes_2009) - set(out))}, extra {sorted(set(out) - set(codes_2009))}"
        )
    return out


def km2(geometry) -> float:
    """Area in square kilometres, near enough (the degree scaled by the latitude)."""
    lat = geometry.centroid.y
    return geometry.area * 111.32**2 * math.cos(math.radians(lat))


def clean_sapo(raw: dict[str, object], guide: dict[str, object], successor) -> dict[str, object]:
    """A clean coverage from SAPO's overlapping, gappy polygons.

    ``guide`` are the NLS borders of 2013 (code -> polygon), ``successor(code)`` the 2013 code
    a 2009 municipality is part of: a gap of at least GUIDED_GAP_KM2 goes to the neighbour
    whose successor covers it, when exactly one neighbour qualifies."""
    codes = sorted(raw)
    polygons = shapely.coverage_clean(
        np.array([raw[c] for c in codes]),
        gap_width=0.0,
        snapping_distance=SNAP_DEG,
        merge_strategy="min_area",
    )
    geo = dict(zip(codes, polygons, strict=True))
    union = shapely.union_all(polygons)
    gaps = [Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    filled = 0
    for gap in sorted(gaps, key=lambda g: -g.area):
        if km2(gap) < GUIDED_GAP_KM2:
            continue
        point = gap.representative_point()
        covering = [code for code, g in guide.items() if g.covers(point)]
        neighbours = [c for c in codes if geo[c].intersection(gap.exterior).length > 0]
        owners = [c for c in neighbours if covering and successor(c) == covering[0]]
        where = f"{point.x:.3f},{point.y:.3f}"
        if len(owners) == 1:
            log(f"  gap of {km2(gap):.1f} km2 at {where} -> {owners[0]} (NLS 2013: {covering})")
            geo[owners[0]] = shapely.union(geo[owners[0]], gap)
            filled += 1
        else:
            log(f"  gap of {km2(gap):.1f} km2 at {where}: longest border (owners {owners})")
    slivers = 0
    for code in codes:
        parts = sorted(shapely.get_parts(geo[code]), key=lambda p: -p.area)
        keep = parts[:1] + [p for p in parts[1:] if km2(p) >= SLIVER_KM2]
        slivers += len(parts) - len(keep)
        geo[code] = shapely.union_all(keep)
    log(f"  {slivers} detached pieces under {SLIVER_KM2} km2 dropped (slivers of the unions)")
    polygons = shapely.coverage_clean(
        np.array([geo[c] for c in codes]),
        gap_width=1.0,
        snapping_distance=SNAP_DEG,
        merge_strategy="longest_border",
    )
    clean = dict(zip(codes, polygons, strict=True))
    check_coverage(clean, "SAPO 2009")
    changes = sorted((abs(km2(clean[c]) - km2(raw[c])), c) for c in codes)[-5:]
    log(f"  {len(gaps)} gaps ({filled} by NLS 2013); largest area changes (km2, code): {changes}")
    return clean


def check_coverage(geo: dict[str, object], what: str) -> None:
    polygons = list(geo.values())
    bad = [c for c, g in geo.items() if g.is_empty or not g.is_valid]
    if bad:
        sys.exit(f"{what}: empty or invalid geometry for {bad}")
    if not shapely.coverage_is_valid(polygons):
        sys.exit(f"{what}: the municipalities overlap or their shared borders differ")
    holes = [
        r for p in shapely.get_parts(shapely.coverage_union_all(polygons)) for r in p.interiors
    ]
    if holes:
        sys.exit(f"{what}: {len(holes)} gaps between municipalities")


# --- NLS (2013 onwards) ----------------------------------------------------------------------


def read_nls(nls: Path, year: int) -> dict[str, object]:
    collection = json.loads(git_show(nls, NLS_COMMIT, NLS_FILES[year]))
    out = {}
    for feature in collection["features"]:
        properties = {key.lower(): value for key, value in feature["properties"].items()}
        code = f"{int(properties['natcode']):03d}"  # 2013: 5; 2021, 2023: "005"
        if code in out:
            sys.exit(f"{NLS_FILES[year]} has {code} twice")
        out[code] = shape(feature["geometry"])
    check_coverage(out, NLS_FILES[year])
    return out


def simplify(geo: dict[str, object], what: str) -> dict[str, object]:
    """The coverage simplified as one (GEOS CoverageSimplifier, Visvalingam–Whyatt): shared
    borders stay shared, nothing overlaps or opens a gap, no ring collapses or crosses another.
    Done in a plane where a degree of longitude is as long as one of latitude at
    SIMPLIFY_LATITUDE, so that the tolerance is the same distance in every direction."""
    codes = sorted(geo)
    squeeze = math.cos(math.radians(SIMPLIFY_LATITUDE))
    plane = [shapely.affinity.scale(geo[c], xfact=squeeze, yfact=1, origin=(0, 0)) for c in codes]
    simple = shapely.coverage_simplify(np.array(plane), TOLERANCE_KM / 111.32)
    out = {
        code: shapely.affinity.scale(g, xfact=1 / squeeze, yfact=1, origin=(0, 0))
        for code, g in zip(codes, simple, strict=True)
    }
    check_coverage(out, f"{what} simplified")
    before = sum(shapely.get_num_coordinates(g) for g in geo.values())
    after = sum(shapely.get_num_coordinates(g) for g in out.values())
    log(f"  {what}: {before} vertices simplified to {after}")
    return out


# --- years -----------------------------------------------------------------------------------


def merge(geo: dict[str, object], mergers, first: int, last: int) -> dict[str, object]:
    """Dissolve the mergers dated first < year <= last into their successors."""
    parent = {}
    for year, source, target in mergers:
        if first < year <= last:
            parent[source] = target

    def root(code: str) -> str:
        while code in parent:
            code = parent[code]
        return code

    parts: dict[str, list] = defaultdict(list)
    for code, geometry in geo.items():
        parts[root(code)].append(geometry)
    return {code: shapely.coverage_union_all(p) for code, p in sorted(parts.items())}


def compare(derived: dict[str, object], published: dict[str, object], what: str) -> None:
    """Log the areas of 5 km2 or more that a later file puts in another municipality than the
    earlier file merged up to that year: border changes that no merger explains."""
    codes = sorted(derived)
    tree = shapely.STRtree([published[c] for c in codes])
    moves = []
    for code in codes:
        for index in tree.query(derived[code], predicate="intersects"):
            other = codes[index]
            if other != code:
                moved = shapely.intersection(derived[code], published[other])
                if not moved.is_empty and km2(moved) >= 5:
                    moves.append(f"{code}->{other} {km2(moved):.0f} km2")
    log(f"  {what}: areas of 5 km2 or more in another municipality: {', '.join(moves) or 'none'}")


def overlap(derived: dict[str, object], published: dict[str, object], what: str) -> None:
    """Stop if a municipality derived from SAPO is not where the NLS borders have it (a wrong
    match by name would show here): its representative point must lie in the NLS polygon and
    the centroids be less than MAX_SHIFT_KM apart. The 1:4.5 million borders draw the smallest
    municipalities several times too large (Kauniainen 31 km2, not 6), so the share of area in
    common is only logged."""
    rows = []
    for code in sorted(derived):
        a, b = derived[code], published[code]
        shift = km2(shapely.box(*shapely.MultiPoint([a.centroid, b.centroid]).bounds)) ** 0.5
        if not b.contains(a.representative_point()) or shift > MAX_SHIFT_KM:
            sys.exit(f"{what}: {code} is not where the NLS borders have it")
        rows.append((round(shapely.intersection(a, b).area / shapely.union(a, b).area, 2), code))
    log(f"  {what}: every municipality in place; least area in common: {sorted(rows)[:5]}")


# --- output ----------------------------------------------------------------------------------


def _frame(geo: dict[str, object]) -> pd.DataFrame:
    # topojson takes several objects only as data frames. Geometries normalized (rings start at
    # the same vertex, in the same direction): a geometry gives the same arcs however made.
    codes = sorted(geo)
    return pd.DataFrame(
        {"code": codes, "geometry": [shapely.normalize(geo[code]) for code in codes]}
    )


def topology(municipalities: dict[str, object], regions: dict[str, object]) -> dict:
    topo = topojson.Topology(
        [_frame(municipalities), _frame(regions)],
        object_name=["municipalities", "regions"],
        prequantize=False,
        shared_coords=True,  # junctions where neighbours share a vertex: no border stored twice
        topoquantize=QUANTIZATION,
        winding_order="CW_CCW",
    ).to_dict()
    return finish(topo)


def _ring_area(points: list[list[list[int]]], ring: list[int]) -> int:
    """Twice the signed area of a ring of arcs, in quantized units (> 0: anticlockwise)."""
    coords: list[list[int]] = []
    for index in ring:
        arc = points[index] if index >= 0 else points[~index][::-1]
        coords.extend(arc if not coords else arc[1:])
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(coords))


def _reversed(ring: list[int]) -> list[int]:
    return [~index for index in reversed(ring)]


def finish(topo: dict) -> dict:
    """Keep only type, arcs and properties of each geometry; wind the rings as d3-geo (and so
    Vega-Lite) reads them, exterior clockwise and holes anticlockwise, which topojson does not
    ensure where one municipality's hole is another's exterior; drop rings that quantization
    left without area; drop the arcs no ring uses."""
    points = [np.cumsum(np.array(arc, dtype=np.int64), axis=0).tolist() for arc in topo["arcs"]]
    for obj in topo["objects"].values():
        geometries = []
        for geometry in obj["geometries"]:
            nested = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
            polygons = []
            for exterior, *holes in nested:
                area = _ring_area(points, exterior)
                if area == 0:
                    continue
                rings = [exterior if area < 0 else _reversed(exterior)]
                for hole in holes:
                    area = _ring_area(points, hole)
                    if area != 0:
                        rings.append(hole if area > 0 else _reversed(hole))
                polygons.append(rings)
            if not polygons:
                sys.exit(f"{geometry['properties']} has no area left after quantization")
            kind = "Polygon" if len(polygons) == 1 else "MultiPolygon"
            arcs = polygons[0] if len(polygons) == 1 else polygons
            geometries.append({"type": kind, "arcs": arcs, "properties": geometry["properties"]})
        obj["geometries"] = geometries
    used = sorted(
        {
            index if index >= 0 else ~index
            for obj in topo["objects"].values()
            for geometry in obj["geometries"]
            for ring in _rings(geometry)
            for index in ring
        }
    )
    renumber = {old: new for new, old in enumerate(used)}
    for obj in topo["objects"].values():
        for geometry in obj["geometries"]:
            for ring in _rings(geometry):
                ring[:] = [renumber[i] if i >= 0 else ~renumber[~i] for i in ring]
    topo["arcs"] = [topo["arcs"][old] for old in used]
    return topo


def verify(topo: dict, what: str) -> None:
    """Decode the written topology: every geometry valid, the municipalities a coverage without
    gaps, the regions the same area."""
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    points = [
        (np.cumsum(np.array(arc, dtype=np.int64), axis=0) * scale + translate).tolist()
        for arc in topo["arcs"]
    ]

    def ring(indices: list[int]) -> list[list[float]]:
        coords: list[list[float]] = []
        for index in indices:
            arc = points[index] if index >= 0 else points[~index][::-1]
            coords.extend(arc if not coords else arc[1:])
        return coords

    def decode(geometry: dict):
        nested = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        return MultiPolygon([Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in nested])

    objects = {
        name: {g["properties"]["code"]: decode(g) for g in obj["geometries"]}
        for name, obj in topo["objects"].items()
    }
    for name, geo in objects.items():
        check_coverage(geo, f"{what}: {name}")
    union = shapely.coverage_union_all(list(objects["municipalities"].values()))
    regions = shapely.coverage_union_all(list(objects["regions"].values()))
    if not union.equals(regions):
        sys.exit(f"{what}: the regions do not cover what the municipalities cover")


def _rings(geometry: dict) -> list[list[int]]:
    if geometry["type"] == "Polygon":
        return geometry["arcs"]
    return [ring for polygon in geometry["arcs"] for ring in polygon]


def write_year(year: int, geo: dict[str, object], regions_of: dict[str, str]) -> int:
    grouped: dict[str, list] = defaultdict(list)
    for code, geometry in geo.items():
        grouped[regions_of[code]].append(geometry)
    regions = {code: shapely.coverage_union_all(parts) for code, parts in grouped.items()}
    topo = topology(geo, regions)
    verify(topo, f"municipalities_{year}.json")
    text = json.dumps(topo, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path = OUT_DIR / f"municipalities_{year}.json"
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sorvi", type=Path, required=True, help="git dir of rOpenGov/sorvi")
    parser.add_argument(
        "--nls", type=Path, required=True, help="git dir of samilaine/hallinnollisetrajat"
    )
    args = parser.parse_args(argv)
    check_commit(args.sorvi, SORVI_COMMIT)
    check_commit(args.nls, NLS_COMMIT)

    register, names = read_register()
    mergers = read_mergers()
    for year in YEARS:
        if year not in register:
            sys.exit(f"the register has no year {year}")

    sources = {year: read_nls(args.nls, year) for year in NLS_FILES}
    sapo_raw = sapo_2009(args.sorvi, register[SAPO_YEAR], names[SAPO_YEAR])
    parent = {source: target for year, source, target in mergers if year <= 2013}

    def successor(code: str) -> str:
        while code in parent:
            code = parent[code]
        return code

    sources[SAPO_YEAR] = clean_sapo(sapo_raw, sources[2013], successor)
    # every year of a source draws the same simplified borders (compare() sees the originals)
    published = dict(sources)
    simple = {year: simplify(geo, f"borders of {year}") for year, geo in sources.items()}

    for year in YEARS:
        base = max(b for b in BASE_YEARS if b <= year)
        geo = simple[base] if base == year else merge(simple[base], mergers, base, year)
        if set(geo) != set(register[year]):
            sys.exit(
                f"{year} (from {base}): missing {sorted(set(register[year]) - set(geo))}, "
                f"extra {sorted(set(geo) - set(register[year]))}"
            )
        later = min((b for b in NLS_FILES if b > base), default=None)
        if later is not None and year == later - 1:
            derived = merge(published[base], mergers, base, later)
            if base == SAPO_YEAR:
                overlap(derived, published[later], f"{base}->{later}")
            else:
                compare(derived, published[later], f"{base}->{later}")
        size = write_year(year, geo, register[year])
        log(f"{year}: {len(geo)} municipalities from {base}, {size:,} bytes")


if __name__ == "__main__":
    main()
