"""The PDFs this app makes (the meeting pack), laid out by Typst as tagged PDF/UA-1 (issue #19).

pack.py says what is in the pack as a list of blocks (dicts: a title, a heading, a paragraph, a
list, a table, a chart); this module writes them with the charts' images into a folder of its
own, and Typst lays them out with the template ``pack.typ`` beside this file. The blocks go in as
JSON, so no text from the data is ever read as Typst markup.

Why Typst and not WeasyPrint (both write tagged PDF): Typst is one self-contained wheel (the
``typst`` package, no system libraries) whose PDF/UA-1 export checks the file as it writes it —
a heading level skipped, an image without alternative text or a glyph that no font has is an
error, not a quiet defect; WeasyPrint needs Pango and GDK from the system, and its pdf/ua-1
variant is marked experimental. The template keeps the layout in one readable file.

The font is DejaVu Sans (``fonts/``, from Debian's fonts-dejavu-core; the Bitstream Vera licence
in ``fonts/LICENSE``), embedded and subset: "ä", "ö", "å", "–", Sámi letters and Cyrillic print on
any machine without system fonts. A character it lacks is shown as "�" (``printable``): PDF/UA
allows no glyph without a font, and a pack must not fail because of one character in a name.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import typst
import vl_convert
from fontTools.ttLib import TTFont

from tilannekuva.chart_images import PNG_SCALE
from tilannekuva.charts import inline_spec

FONTS = Path(__file__).with_name("fonts")
TEMPLATE = Path(__file__).with_name("pack.typ")
POINTS_PER_MM = 72 / 25.4
A4 = (210 * POINTS_PER_MM, 297 * POINTS_PER_MM)
MARGIN = 18 * POINTS_PER_MM  # as pack.typ's page margins
FOOTER_SPACE = 26 * POINTS_PER_MM
FRAME_WIDTH = A4[0] - 2 * MARGIN
FRAME_HEIGHT = A4[1] - MARGIN - FOOTER_SPACE
# A chart image is at most half a page tall: a tall chart's first part then fits under the key
# figures, and two parts share a page (page-tall parts left page 1 of a nationwide pack two
# thirds empty).
CHART_HEIGHT = FRAME_HEIGHT / 2
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
SOFT_HYPHEN = "\N{SOFT HYPHEN}"
ZERO_WIDTH_SPACE = "\N{ZERO WIDTH SPACE}"  # a line may break here; nothing is drawn
# Finnish compounds run to 30-odd letters ("Turvallisuussuunnittelukokous"); a token longer than
# this is no word, and may break every BREAK_EVERY letters (Typst hyphenates the real ones).
LONGEST_WORD = 40
BREAK_EVERY = 8


@functools.cache
def _glyphs() -> frozenset[int]:
    """The code points both faces of the font can show."""
    faces = [TTFont(FONTS / name, lazy=True) for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    maps = [set(face.getBestCmap()) for face in faces]
    return frozenset(set.intersection(*maps))


def printable(text: str) -> str:
    """``text`` as the font can print it: a line or paragraph break or a tab as a space, any
    other control or format character dropped, a character without a glyph as "�" (a soft hyphen
    stays: it is where a header may break), and a "word" longer than any real one (a data value
    of hundreds of letters) given a break opportunity every few letters, so that it wraps in
    its cell instead of running over the next column and off the page."""
    glyphs = _glyphs()
    shown = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\r\t" or category in ("Zl", "Zp"):
            shown.append(" ")
        elif char == SOFT_HYPHEN:
            shown.append(char)
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            shown.append(char if ord(char) in glyphs else REPLACEMENT)
    return " ".join(_breakable(word) for word in "".join(shown).split(" "))


def _breakable(word: str) -> str:
    if len(word) <= LONGEST_WORD:
        return word
    parts = range(0, len(word), BREAK_EVERY)
    return ZERO_WIDTH_SPACE.join(word[start : start + BREAK_EVERY] for start in parts)


@dataclass(frozen=True)
class ChartImage:
    """A chart drawn as a PNG at ``PNG_SCALE`` times its size, to be placed ``width`` ×
    ``height`` points (its natural size, or smaller to fit)."""

    png: bytes
    width: float
    height: float
    natural_height: float

    def fitted(self, width: float, height: float) -> ChartImage:
        scale = min(1.0, width / self.width, height / self.height)
        return ChartImage(self.png, self.width * scale, self.height * scale, self.natural_height)

    def needed(self, width: float) -> float:
        """The height of the image once it is narrowed to ``width``."""
        return self.height * min(1.0, width / self.width)


def _png_image(chart: alt.TopLevelMixin) -> ChartImage:
    """The chart at its natural size. Its spec is not validated again (most of the time of
    ``to_dict``): it is the page's chart, validated when the page draws it."""
    spec = inline_spec(chart.to_dict(validate=False))  # a map's borders in place
    png = vl_convert.vegalite_to_png(spec, scale=PNG_SCALE)
    width = int.from_bytes(png[16:20], "big")  # the PNG's IHDR: width and height in pixels
    height = int.from_bytes(png[20:24], "big")
    points = 0.75 / PNG_SCALE  # image pixels to CSS pixels to points
    return ChartImage(png, width * points, height * points, height * points)


def _parts(values: Sequence[object], count: int) -> list[list[object]]:
    """``values`` in ``count`` consecutive parts whose sizes differ by one at most."""
    size, extra = divmod(len(values), count)
    bounds = [part * size + min(part, extra) for part in range(count + 1)]
    return [list(values[start:end]) for start, end in itertools.pairwise(bounds)]


def _only(chart: alt.TopLevelMixin, field: str, values: Sequence[object]) -> alt.TopLevelMixin:
    """The chart of the rows whose ``field`` is one of ``values``, with the scales and the
    legend as they were (a filter leaves an explicit domain alone: the parts share one axis)."""
    return chart.transform_filter(alt.FieldOneOfPredicate(field=field, oneOf=list(values)))


def chart_images(
    chart: alt.TopLevelMixin,
    *,
    part_by: str = "region",
    width: float = FRAME_WIDTH,
    height: float = CHART_HEIGHT,
) -> list[ChartImage]:
    """The chart as images of at most ``width`` × ``height``, never larger than a page's frame.

    One image when the chart fits at its natural size (or narrower). A taller one — 19 regions
    × 3 bars of a nationwide wave are taller than an A4 page (issue #22) — is drawn in as few
    consecutive parts by its ``part_by`` field as fit at their natural size, each with the same
    axis and legend. A part still too tall (one value's bars alone) is scaled down to fit."""
    whole = _png_image(chart)
    needed = whole.needed(width)
    data = chart.data if isinstance(chart.data, pd.DataFrame) else pd.DataFrame()
    values = list(dict.fromkeys(data[part_by])) if part_by in data else []
    if needed <= height or len(values) < 2:
        return [whole.fitted(width, height)]
    # Each part repeats the axes and the legend: the chart of one value and the whole one give
    # their height and one value's band, and so how many values a part holds.
    one = _png_image(_only(chart, part_by, values[:1])).needed(width)
    band = (needed - one) / (len(values) - 1)
    per_part = max(1, math.floor((height - one + band) / band)) if band > 0 else 1
    count = min(len(values), math.ceil(len(values) / per_part))
    parts = [_png_image(_only(chart, part_by, group)) for group in _parts(values, count)]
    return [image.fitted(width, height) for image in parts]


def _shown(value: Any) -> Any:
    """Every string in the blocks as the font prints it."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return [_shown(item) for item in value]
    if isinstance(value, dict):
        return {key: _shown(item) for key, item in value.items()}
    return value


def render(document: dict[str, Any], images: Sequence[ChartImage]) -> bytes:
    """The PDF of ``document`` (title, author, keywords, lang, page, footer, blocks; a chart
    block names its images by their index in ``images``)."""
    with tempfile.TemporaryDirectory(prefix="tilannekuva-pack-") as folder:
        root = Path(folder)
        for number, image in enumerate(images):
            (root / f"chart-{number}.png").write_bytes(image.png)
        (root / "pack.json").write_text(json.dumps(_shown(document)), encoding="utf-8")
        (root / "pack.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        return typst.compile(
            str(root / "pack.typ"),
            root=str(root),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            pdf_standards=["ua-1"],
        )


class Images:
    """The charts' images of one document, each named by its place in ``images``."""

    def __init__(self) -> None:
        self.images: list[ChartImage] = []

    def add(self, parts: Sequence[ChartImage]) -> list[dict[str, Any]]:
        placed = []
        for image in parts:
            placed.append({"file": f"chart-{len(self.images)}.png", "width": image.width})
            self.images.append(image)
        return placed
