"""The map (issue #18): the municipalities of the view, each coloured by a measure, drawn with
Vega-Lite's geoshape from the borders of the wave's classification year (borders.py), given
inline; a fictional wave's municipalities as a grid of tiles that cannot pass for Finland.

The rows are the ``map_municipalities`` table's: one per municipality and measure, its category
(``value``) or, on a published regional table, its region's share. Every colour is named in the
legend; no answer, "..", not asked, outside the ARTU filter and outside the wave's area each have
a swatch of their own, never the colour of zero. The text alternative says the same per region.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import altair as alt
import pandas as pd

from tilannekuva import borders
from tilannekuva.charts import OKABE_ITO, finish_chart
from tilannekuva.filters import municipality_address
from tilannekuva.formatting import (
    NOT_AVAILABLE,
    format_count,
    format_n_of_N,
    format_share,
)
from tilannekuva.i18n import t

# What a municipality can be besides an answer, in the legend's order after the answers.
SPECIAL = ("unknown", "not_asked", "not_answered", "filtered_out", "not_in_area")
SPECIAL_COLOURS = {
    "unknown": "#7F7F7F",  # ".." — asked, left blank
    "not_asked": "#BFBFBF",
    "not_answered": "#E0E0E0",
    "filtered_out": "#E6DDF0",
    "not_in_area": "#FFFFFF",
}
# The answers' own colours (Okabe & Ito, as every chart of the app): the first choice blue.
ANSWER_ORDER = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["yellow"],
)
# The categories of the core measures, in the legend's order.
CORE_CATEGORIES = {
    "plan_status": ("ready", "started", "not_started"),
    "coverage": ("own", "sub_regional", "province_wide", "none"),
    "answered": ("true", "false"),
}
YES_NO = ("true", "false")
# A region's share on a published regional table: five classes with fixed breaks (ColorBrewer
# Blues, sequential; readable with any colour vision since it varies in lightness only).
SHARE_BREAKS = (0.2, 0.4, 0.6, 0.8)  # shares are fractions 0..1, as SQL gives them
SHARE_COLOURS = ("#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C")


@dataclass(frozen=True)
class MapData:
    """One measure's rows of the map table, with their legend category and tooltip texts."""

    rows: pd.DataFrame  # the table's rows of the measure, with category, tip and href
    domain: tuple[str, ...]  # the legend's categories (texts), in order
    colours: tuple[str, ...]
    regional: bool  # coloured by the region's share (a published regional table)


def measures_of(frame: pd.DataFrame) -> list[str]:
    """The measures the map of this table can colour by, in the table's order."""
    return list(dict.fromkeys(frame["measure"]))


def value_label(measure: str, value: object, text: object, lang: str) -> str:
    """A category in words: the questionnaire's choice text when it has one, else the catalogue's
    word for a plan status, a coverage, yes/no or one of the special cases."""
    if isinstance(text, str) and text:
        return text
    if not isinstance(value, str):
        return NOT_AVAILABLE
    if value in SPECIAL:
        return t(lang, f"map.value_{value}")
    if measure == "plan_status":
        return t(lang, f"status.{value}")
    if measure == "coverage":
        return t(lang, f"coverage.{value}")
    if measure == "answered":
        return t(lang, f"map.answered_{value}")
    if value in YES_NO:
        return t(lang, f"bool.{value}")
    return value


def share_class(share: object, lang: str) -> str:
    """The legend class of a region's share: "20–39,9 %" … ".." when unknown."""
    if share is None or pd.isna(share):
        return t(lang, "map.value_unknown")
    bounds = (0.0, *SHARE_BREAKS, 1.0)
    for index, upper in enumerate(SHARE_BREAKS):
        if float(share) < upper:
            return _class_text(bounds[index], upper, lang, last=False)
    return _class_text(SHARE_BREAKS[-1], 1.0, lang, last=True)


def _class_text(lower: float, upper: float, lang: str, *, last: bool) -> str:
    # "20–39,9 %": the class's lower bound as a whole per cent, the upper one a tenth below the
    # next class's (shares are shown to one decimal).
    top = upper if last else upper - 0.001
    return t(
        lang,
        "map.share_class",
        low=format_count(round(lower * 100), lang),
        high=format_share(top, lang, decimals=0 if last else 1),
    )


def share_domain(lang: str) -> tuple[str, ...]:
    bounds = (0.0, *SHARE_BREAKS)
    return tuple(
        _class_text(low, high, lang, last=high == 1.0)
        for low, high in zip(bounds, (*SHARE_BREAKS, 1.0), strict=True)
    )


def map_data(frame: pd.DataFrame, measure: str, lang: str) -> MapData:
    """The rows of one measure, each with its legend category, its tooltip's value and a link to
    its municipality page; the legend's categories and colours."""
    rows = frame[frame["measure"] == measure].copy()
    regional = bool(len(rows)) and rows["value"].isna().all()
    if regional:
        rows["category"] = [share_class(share, lang) for share in rows["share"]]
        rows["tip"] = [
            t(
                lang,
                "map.tip_share",
                share=format_share(share, lang, decimals=1),
                n_of_N=format_n_of_N(n, base, lang),
            )
            for share, n, base in zip(rows["share"], rows["n"], rows["responses"], strict=True)
        ]
        domain = share_domain(lang)
        colours = SHARE_COLOURS
        if rows["share"].isna().any():
            domain += (t(lang, "map.value_unknown"),)
            colours += (SPECIAL_COLOURS["unknown"],)
    else:
        rows["category"] = [
            value_label(measure, value, text, lang)
            for value, text in zip(rows["value"], rows["value_text"], strict=True)
        ]
        rows["tip"] = rows["category"]
        answers = _answer_order(rows, measure)
        labels = {
            value: label for value, label in zip(rows["value"], rows["category"], strict=True)
        }
        domain = tuple(
            labels.get(value) or value_label(measure, value, None, lang) for value in answers
        ) + tuple(t(lang, f"map.value_{value}") for value in SPECIAL if value in labels)
        colours = tuple(ANSWER_ORDER[index % len(ANSWER_ORDER)] for index in range(len(answers)))
        colours += tuple(SPECIAL_COLOURS[value] for value in SPECIAL if value in labels)
    return MapData(rows.reset_index(drop=True), domain, colours, regional)


def _answer_order(rows: pd.DataFrame, measure: str) -> list[str]:
    """The answer categories of a measure in their natural order: the core measure's, yes before
    no, a question's choices as they come (the table orders nothing by choice, so by first
    appearance); the special cases are not answers."""
    if measure in CORE_CATEGORIES:
        return list(CORE_CATEGORIES[measure])
    seen = [value for value in dict.fromkeys(rows["value"]) if value not in SPECIAL]
    if set(seen) <= set(YES_NO):
        return list(YES_NO)
    return [str(value) for value in seen]


def alternative(data: MapData, measure_name: str, lang: str) -> tuple[str, ...]:
    """The map as text, one line per region: on a regional table the region's figure (which every
    municipality of the region is drawn with), else how many municipalities are in each
    category."""
    lines = []
    for (_, region), rows in data.rows.groupby(["region_code", "region"], sort=False):
        municipalities = format_count(len(rows), lang)
        if data.regional:
            first = rows.iloc[0]
            lines.append(
                t(
                    lang,
                    "map.text_alt_region_share",
                    region=region,
                    measure=measure_name,
                    value=first["tip"],
                    municipalities=municipalities,
                )
            )
            continue
        counts = rows["category"].value_counts()
        parts = [
            f"{category} {format_count(counts[category], lang)}"
            for category in data.domain
            if category in counts
        ]
        lines.append(
            t(
                lang,
                "map.text_alt_region",
                region=region,
                municipalities=municipalities,
                counts=", ".join(parts),
            )
        )
    return tuple(lines)


def figure(
    frame: pd.DataFrame, measure: str, lang: str, *, links: bool = True
) -> tuple[alt.TopLevelMixin, tuple[str, ...]]:
    """The map of one measure (the first of the table when ``measure`` is not among its) and its
    text alternative. ``links``: each municipality opens its page (not in an image)."""
    known = measures_of(frame)
    if not known:  # no classification year: the municipalities cannot be placed
        lines = (t(lang, "map.no_rows"),)
        empty = alt.Chart(alt.Data(values=[])).mark_geoshape()
        return finish_chart(empty, lang, lines[0]), lines
    measure = measure if measure in known else known[0]
    data = map_data(frame, measure, lang)
    rows = data.rows
    name = measure_name(frame, measure, lang)
    lines = alternative(data, name, lang)
    values = pd.DataFrame(
        {
            "code": rows["municipality_code"],
            "name": rows["municipality_name"],
            "region": rows["region"],
            "category": rows["category"],
            "tip": rows["tip"],
        }
    )
    if links:
        values["href"] = [
            municipality_address(lang, wave, code)
            for wave, code in zip(rows["wave_id"], rows["municipality_code"], strict=True)
        ]
    ink = dict(zip(data.domain, (_ink(colour) for colour in data.colours), strict=True))
    values["ink"] = [ink.get(category, "#000000") for category in values["category"]]
    legend_title = name
    if data.regional:
        legend_title = t(lang, "map.legend_region_share", measure=name)
    colour = alt.Color(
        "category:N",
        title=legend_title,
        scale=alt.Scale(domain=list(data.domain), range=list(data.colours)),
        # Square swatches with a thin outline, so that white ("not in the area") shows too.
        legend=alt.Legend(
            orient="bottom",
            columns=2,
            symbolType="square",
            symbolSize=220,
            symbolStrokeColor="#555555",
            symbolStrokeWidth=1,
            titleLimit=600,
        ),
    )
    tooltip = [
        alt.Tooltip("name:N", title=t(lang, "map.tip_municipality")),
        alt.Tooltip("region:N", title=t(lang, "map.tip_region")),
        alt.Tooltip("tip:N", title=legend_title),
    ]
    encoding: dict[str, object] = {"color": colour, "tooltip": tooltip}
    if links:
        encoding["href"] = alt.Href("href:N")
    year = borders_year(rows)
    if year is None:
        layers, height = _tiles(values, encoding)
        # Drawn at its own size in pixels, the legend below it ("pad"): fitted into the
        # chart's box, as Streamlit sizes charts, the plot shrank and hid the later regions.
        made = alt.layer(*layers).properties(
            width=TILE_COLUMNS * TILE_WIDTH, height=height, autosize=alt.AutoSizeParams(type="pad")
        )
    else:
        layers = _geography(values, year, sorted(set(rows["region_code"])), encoding)
        layers.append(_credit(borders.attribution(year, lang)))
        # The page's map takes its column's width; an image (no links) has a size of its own.
        made = alt.layer(*layers).properties(width="container" if links else 600, height=560)
    return finish_chart(made, lang, " ".join(lines)).configure_view(stroke=None), lines


def measure_name(frame: pd.DataFrame, measure: str, lang: str) -> str:
    """A measure's name: the questionnaire's label of its own questions (the map table's
    measure_text), else the catalogue's."""
    texts = frame.loc[frame["measure"] == measure, "measure_text"].dropna()
    return str(texts.iloc[0]) if len(texts) else t(lang, f"map.measure_{measure}")


def borders_year(rows: pd.DataFrame) -> int | None:
    """The classification year whose borders the rows are drawn on; None for a fictional wave
    or a year without shipped borders (then tiles)."""
    if not len(rows) or bool(rows["fictional"].iloc[0]):
        return None
    year = rows["classification_year"].iloc[0]
    if year is None or pd.isna(year) or not borders.has_borders(int(year)):
        return None
    return int(year)


def _credit(text: str) -> alt.Chart:
    """The borders' source and licence in the map's lower right corner, in every copy of it."""
    return (
        alt.Chart(alt.Data(values=[{"text": text}]))
        .mark_text(align="right", baseline="bottom", fontSize=10, color="#333333", dy=-2)
        .encode(text="text:N", x=alt.XValue("width"), y=alt.YValue("height"))
    )


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (#RRGGBB): a tile's name."""
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def _geography(
    values: pd.DataFrame, year: int, regions: list[str], encoding: dict[str, object]
) -> list[alt.Chart]:
    """The municipalities of a real wave from its year's borders, joined to the values by code;
    the regions of the view drawn over them with heavier borders."""
    projection = {"type": "transverseMercator", "rotate": [-27, 0, 0]}
    fields = [column for column in values.columns if column != "code"]
    municipalities = (
        alt.Chart(
            alt.NamedData(
                name=borders.data_name(year, regions, borders.MUNICIPALITIES),
                format=alt.DataFormat(type="topojson", feature=borders.MUNICIPALITIES),
            )
        )
        .transform_lookup(
            lookup="properties.code",
            from_=alt.LookupData(data=values, key="code", fields=fields),
        )
        .transform_filter("isValid(datum.category)")
        .mark_geoshape(stroke="#8C8C8C", strokeWidth=0.35)
        .encode(**encoding)
        .project(**projection)
    )
    outline = (
        alt.Chart(
            alt.NamedData(
                name=borders.data_name(year, regions, borders.REGIONS),
                format=alt.DataFormat(type="topojson", feature=borders.REGIONS),
            )
        )
        .transform_filter(f"indexof({json.dumps(regions)}, datum.properties.code) >= 0")
        .mark_geoshape(filled=False, stroke="#222222", strokeWidth=1.2, aria=False)
        .project(**projection)
        # Vega-Lite fills an unfilled shape with "transparent" so that it takes the pointer:
        # the regions would catch every click meant for a municipality. Its marks are named
        # (class region_borders_marks) and static/app.css lets the pointer through them.
        .properties(name=REGION_BORDERS)
    )
    return [municipalities, outline]


REGION_BORDERS = "region_borders"
TILE_COLUMNS = 4  # per region's row of tiles
TILE_WIDTH, TILE_HEIGHT, HEADING = 130, 34, 26  # pixels


def _tiles(values: pd.DataFrame, encoding: dict[str, object]) -> tuple[list[alt.Chart], int]:
    """A fictional wave (or one without borders): its municipalities as named tiles, four to a
    row, the regions one under another, each under its name. Nothing about it looks like a map
    of Finland. Returns the layers and their height in pixels."""
    features = []
    headings = []
    top = 0
    for region, block in values.groupby("region", sort=False):
        headings.append({"region": region, "x": 0, "y": top + HEADING - 8})
        top += HEADING
        for index, row in enumerate(block.sort_values("name").to_dict("records")):
            x = (index % TILE_COLUMNS) * TILE_WIDTH
            y = top + (index // TILE_COLUMNS) * TILE_HEIGHT
            ring = [
                [x, y],
                [x + TILE_WIDTH, y],
                [x + TILE_WIDTH, y + TILE_HEIGHT],
                [x, y + TILE_HEIGHT],
                [x, y],
            ]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": {
                        "code": row["code"],
                        "x": x + TILE_WIDTH / 2,
                        "y": y + TILE_HEIGHT / 2,
                    },
                }
            )
        top += -(-len(block) // TILE_COLUMNS) * TILE_HEIGHT + 8
    projection = {"type": "identity", "scale": 1, "translate": [0, 0]}  # pixels, not fitted
    collection = alt.InlineData(
        values={"type": "FeatureCollection", "features": features},
        format=alt.DataFormat(type="json", property="features"),
    )
    fields = [column for column in values.columns if column != "code"]
    base = alt.Chart(collection).transform_lookup(
        lookup="properties.code", from_=alt.LookupData(data=values, key="code", fields=fields)
    )
    tiles = (
        base.mark_geoshape(stroke="#FFFFFF", strokeWidth=2).encode(**encoding).project(**projection)
    )
    names = base.mark_text(fontSize=11, limit=TILE_WIDTH - 8).encode(
        x=alt.X("properties.x:Q", scale=None),
        y=alt.Y("properties.y:Q", scale=None),
        text="name:N",
        color=alt.Color("ink:N", scale=None),
        tooltip=encoding["tooltip"],
    )
    regions = (
        alt.Chart(alt.Data(values=headings))
        .mark_text(align="left", fontSize=13, fontWeight="bold", color="#222222")
        .encode(
            x=alt.X("x:Q", scale=None),
            y=alt.Y("y:Q", scale=None),
            text="region:N",
        )
    )
    return [tiles, names, regions], top
