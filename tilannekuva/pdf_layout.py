"""The page layout of the PDFs this app makes (the meeting pack): fonts, paragraph styles, chart
images, bullet lists, table grids and the provenance footer on every page.

The font is Bitstream Vera, a TrueType font shipped inside the reportlab package and embedded in
the file, so "ä", "ö", "å", "–" and "…" print on any machine without system fonts.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

import altair as alt
import pandas as pd
import vl_convert
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, TableStyle

from tilannekuva.chart_images import PNG_SCALE
from tilannekuva.charts import inline_spec
from tilannekuva.i18n import t
from tilannekuva.provenance import Provenance, footer_lines

FONT, BOLD = "Vera", "VeraBd"
# Images as binary streams, not ASCII85 text: a PDF is a binary file anyway, and without
# ReportLab's optional C accelerator its pure-Python ASCII85 encoder took a sixth of a nationwide
# pack's time and made the file a fifth larger (issue #22).
rl_config.useA85 = 0
MARGIN = 18 * mm
FOOTER_SPACE = 26 * mm  # the bottom margin holds the provenance footer
FOOTER_SIZE = 7
TEXT_WIDTH = A4[0] - 2 * MARGIN
# What a page's frame holds: SimpleDocTemplate's frame pads each side by 6 pt, and a flowable
# taller than FRAME_HEIGHT cannot be placed at all (ReportLab's LayoutError, issue #22).
FRAME_PADDING = 6
FRAME_WIDTH = TEXT_WIDTH - 2 * FRAME_PADDING
FRAME_HEIGHT = A4[1] - MARGIN - FOOTER_SPACE - 2 * FRAME_PADDING
# A chart image is at most this tall, so that its heading fits above it on a page of its own.
CHART_HEIGHT = FRAME_HEIGHT - 12 * mm


def register_fonts() -> None:
    """Register Vera once per process (registering again would only repeat the work)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=3)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=21),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=11, leading=15),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10
        ),
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=10, bulletIndent=0),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        # A table's header cell: it breaks at the soft hyphens put into it (hyphenation.py), with
        # a visible hyphen, as the page's headers do (issue #19 item 3).
        "header": ParagraphStyle(
            "header", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0, embeddedHyphenation=1
        ),
        "warning": ParagraphStyle(
            "warning",
            parent=body,
            fontName=BOLD,
            textColor=colors.HexColor("#9C0006"),
            backColor=colors.HexColor("#FFC7CE"),
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=8,
        ),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """Data goes through Paragraph's mini-markup: escape it, so a name like "<b>" stays text."""
    return Paragraph(escape(text), style)


def _png_image(chart: alt.TopLevelMixin) -> Image:
    """The chart as a PNG at twice its size, set to be drawn at its natural size. Its spec is
    not validated again (most of the time of ``to_dict``): it is the page's chart, validated
    when the page draws it."""
    spec = inline_spec(chart.to_dict(validate=False))  # a map's borders in place
    image = Image(io.BytesIO(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE)))
    image.drawWidth = image.imageWidth / PNG_SCALE * 0.75  # CSS pixels to points
    image.drawHeight = image.imageHeight / PNG_SCALE * 0.75
    image.hAlign = "LEFT"
    return image


def _fitted(image: Image, width: float, height: float) -> Image:
    """``image`` at its natural size, or smaller to fit ``width`` × ``height``."""
    scale = min(1.0, width / image.drawWidth, height / image.drawHeight)
    image.drawWidth, image.drawHeight = image.drawWidth * scale, image.drawHeight * scale
    return image


def _parts(values: Sequence[object], count: int) -> list[list[object]]:
    """``values`` in ``count`` consecutive parts whose sizes differ by one at most."""
    size, extra = divmod(len(values), count)
    bounds = [part * size + min(part, extra) for part in range(count + 1)]
    return [list(values[start:end]) for start, end in itertools.pairwise(bounds)]


def _needed(image: Image, width: float) -> float:
    """The height of ``image`` once it is narrowed to ``width``."""
    return image.drawHeight * min(1.0, width / image.drawWidth)


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
) -> list[Image]:
    """The chart as images of at most ``width`` × ``height``, never larger than a page's frame.

    One image when the chart fits at its natural size (or narrower). A taller one — 19 regions
    × 3 bars of a nationwide wave are taller than an A4 page (issue #22) — is drawn in as few
    consecutive parts by its ``part_by`` field as fit at their natural size, each with the same
    axis and legend. A part still too tall (one value's bars alone) is scaled down to fit."""
    whole = _png_image(chart)
    needed = _needed(whole, width)
    data = chart.data if isinstance(chart.data, pd.DataFrame) else pd.DataFrame()
    values = list(dict.fromkeys(data[part_by])) if part_by in data else []
    if needed <= height or len(values) < 2:
        return [_fitted(whole, width, height)]
    # Each part repeats the axes and the legend: the chart of one value and the whole one give
    # their height and one value's band, and so how many values a part holds.
    one = _needed(_png_image(_only(chart, part_by, values[:1])), width)
    band = (needed - one) / (len(values) - 1)
    per_part = max(1, math.floor((height - one + band) / band)) if band > 0 else 1
    count = min(len(values), math.ceil(len(values) / per_part))
    parts = [_png_image(_only(chart, part_by, group)) for group in _parts(values, count)]
    return [_fitted(image, width, height) for image in parts]


def bullets(lines: Iterable[str], style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph(escape(line), style, bulletText="•") for line in lines]


GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def footer(prov: Provenance, lang: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    """Draws the provenance footer and the page number on every page."""
    lines = footer_lines(prov, lang)
    width = TEXT_WIDTH

    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, FOOTER_SIZE)
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.line(MARGIN, FOOTER_SPACE - 4 * mm, A4[0] - MARGIN, FOOTER_SPACE - 4 * mm)
        wrapped = [part for line in lines for part in simpleSplit(line, FONT, FOOTER_SIZE, width)]
        y = FOOTER_SPACE - 8 * mm
        for part in wrapped[:5]:
            canvas.drawString(MARGIN, y, part)
            y -= FOOTER_SIZE * 1.3
        # Above the rule, apart from the footer's lines, so that text extraction reads each
        # footer line whole.
        canvas.drawRightString(
            A4[0] - MARGIN, FOOTER_SPACE - 3 * mm, t(lang, "pack.page", page=document.page)
        )
        canvas.restoreState()

    return draw
