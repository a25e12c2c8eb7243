"""The page layout of the PDFs this app makes (the meeting pack): fonts, paragraph styles, chart
images, bullet lists, table grids and the provenance footer on every page.

The font is Bitstream Vera, a TrueType font shipped inside the reportlab package and embedded in
the file, so "ä", "ö", "å", "–" and "…" print on any machine without system fonts.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

import vl_convert
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
from tilannekuva.i18n import t
from tilannekuva.provenance import Provenance, footer_lines

FONT, BOLD = "Vera", "VeraBd"
MARGIN = 18 * mm
FOOTER_SPACE = 26 * mm  # the bottom margin holds the provenance footer
FOOTER_SIZE = 7
TEXT_WIDTH = A4[0] - 2 * MARGIN


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


def chart_image(chart: Any, width: float) -> Image:
    """The chart as a PNG at twice its size, drawn at its natural size or narrower."""
    png = vl_convert.vegalite_to_png(chart.to_dict(), scale=PNG_SCALE)
    image = Image(io.BytesIO(png))
    natural_width = image.imageWidth / PNG_SCALE * 0.75  # CSS pixels to points
    natural_height = image.imageHeight / PNG_SCALE * 0.75
    scale = min(1.0, width / natural_width)
    image.drawWidth, image.drawHeight = natural_width * scale, natural_height * scale
    image.hAlign = "LEFT"
    return image


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
