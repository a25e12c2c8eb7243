"""The region meeting pack: an A4 PDF of one selection in fi, sv or en (issue #8).

Key figures with n/N; the plan status, scope and ARTU charts, each with its figures as text; the
workshop dates and invitation milestones; the worklist where the wave is response-level; data
notes and counting rules; and on every page a footer with the source, wave, filters and
extraction time. Charts are rendered offline by vl-convert; the PDF is laid out by ReportLab
(pdf_layout.py).

The PDF is not tagged (no structure tree, no PDF/UA): open-source ReportLab cannot write one, and
adding marked content and a structure tree afterwards (pikepdf) would mean writing a tagger of our
own. The well-kept libraries on PyPI that do tag (WeasyPrint's pdf/ua-1 variant, experimental and
needing Pango; Typst, tagged by default since 0.14) lay out from HTML or Typst markup, i.e. replace
this module and pdf_layout.py. Until then the pack and the accessibility statement say so and
point to the accessible equivalents: the pages and the .xlsx/CSV tables (issue #8).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table

from tilannekuva import charts, figures, map_chart
from tilannekuva.db import Database
from tilannekuva.exports import display_frame
from tilannekuva.formatting import (
    format_count,
    format_date,
    format_n_of_N,
    format_percent_value,
    format_period,
    is_unknown,
)
from tilannekuva.hyphenation import hyphenated
from tilannekuva.i18n import t
from tilannekuva.pdf_layout import (
    FOOTER_SPACE,
    FRAME_WIDTH,
    GRID,
    MARGIN,
    bullets,
    chart_images,
    footer,
    para,
    register_fonts,
    styles,
)
from tilannekuva.provenance import (
    Provenance,
    base_text,
    extracted_text,
    response_rate_text,
    wave_text,
)
from tilannekuva.tables import TABLES, Selection, build_table

WORKLIST_COLUMNS = ("municipality_name", "region", "sub_region", "answered_by", "plan_year")


def _by_region(frame: pd.DataFrame, key: str) -> dict[str, dict[str, dict[str, Any]]]:
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        result.setdefault(row["region"], {})[row[key]] = row
    return result


class _Pack:
    """The pieces of one pack: the data of one selection, in one language."""

    def __init__(self, db: Database, selection: Selection, prov: Provenance) -> None:
        self.db, self.selection, self.prov = db, selection, prov
        self.lang = selection.lang
        self.styles = styles()
        self.width = FRAME_WIDTH

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def table(self, name: str) -> pd.DataFrame:
        return build_table(self.db, name, self.selection)

    def header(self, key: str) -> Paragraph:
        """A table's header cell: the catalogue's text with its hyphenation points."""
        return para(hyphenated(self.t(key), self.lang), self.styles["header"])

    def heading(self, text: str) -> Paragraph:
        return para(text, self.styles["h2"])

    def opening(self) -> list[Flowable]:
        story: list[Flowable] = [
            para(
                self.t("pack.title", area=self.prov.area),
                self.styles["title"],
            ),
            para(self.t("pack.subtitle", wave=wave_text(self.prov)), self.styles["subtitle"]),
            para(
                f"{self.t('prov.extracted')}: {extracted_text(self.prov, self.lang)} · "
                f"{self.t('prov.response_rate')}: {response_rate_text(self.prov, self.lang)}",
                self.styles["small"],
            ),
        ]
        if self.prov.fictional:
            story.append(para(self.t("banner.fictional"), self.styles["warning"]))
        if self.prov.artu != "all":
            artu = self.t(f"artu_filter.{self.prov.artu}")
            story.append(para(self.t("banner.artu_filtered", filter=artu), self.styles["body"]))
            story.append(para(self.t("artu_filter.base", filter=artu), self.styles["small"]))
        return story

    def key_figures(self) -> list[Flowable]:
        cell = self.styles["cell"]
        rows = [[self.header(key) for key in ("pack.measure", "pack.share", "pack.n_of_N")]]
        mark = self.t("few_answers.mark")
        figures = self.table("key_figures")
        for row in figures.to_dict("records"):
            n_of_n = format_n_of_N(row["n"], row["responses"], self.lang)
            rows.append(
                [
                    para(self.t(f"measure.{row['measure']}"), cell),
                    para(format_percent_value(row["share_percent"], self.lang, decimals=1), cell),
                    # the small-base mark of the page and the files (issue #8)
                    para(f"{n_of_n} {mark}" if row["few_answers"] is True else n_of_n, cell),
                ]
            )
        grid = Table(rows, colWidths=[self.width * 0.5, self.width * 0.2, self.width * 0.2])
        grid.setStyle(GRID)
        grid.hAlign = "LEFT"
        few = figures["few_answers"].fillna(False).astype(bool).any()
        return [
            self.heading(self.t("pack.headline")),
            grid,
            para(base_text(self.prov, self.lang), self.styles["small"]),
            *([para(self.t("few_answers.text"), self.styles["small"])] if few else []),
        ]

    def charted(self, title: str, chart: Any, lines: Sequence[str]) -> list[Flowable]:
        """The heading, the chart (in parts by region when one image would not fit a page) and
        its figures as text, kept on one page when they fit; else the heading stays with the
        chart's first part, and the figures flow on as paragraphs."""
        figures = [para(self.t("pack.figures"), self.styles["small"])]
        block = [self.heading(title), *chart_images(chart, width=self.width), *figures]
        return [KeepTogether(block + bullets(lines, self.styles["bullet"]))]

    def figure(self, name: str, shares: pd.DataFrame, mode: str = "") -> figures.Figure:
        """The page's figure (figures.make): the same chart and text, the few-answers mark on
        both (issue #8), from the shares this pack already read."""
        return figures.make(
            name,
            lambda table: shares if table == "measure_shares" else self.table(table),
            self.lang,
            mode,
        )

    def status(self, shares: pd.DataFrame) -> list[Flowable]:
        figure = self.figure("status", shares, "count")  # counts, the total in the text only
        return self.charted(self.t("pack.status_title"), figure.chart, figure.alternative)

    def map(self) -> list[Flowable]:
        """The map of the first measure (issue #18): plan status on a response-level wave, the
        regions' ready plans on a regional table; the borders' source is in the image."""
        frame = self.table("map_municipalities")
        measures = map_chart.measures_of(frame)
        if not measures:
            return []
        figure = figures.make("map", self.table, self.lang, measures[0])
        name = map_chart.measure_name(frame, measures[0], self.lang)
        title = f"{self.t('figure.title_map')}: {name}"
        return self.charted(title, figure.chart, figure.alternative)

    def count(self, value: Any) -> str:
        """A count in running text: an unknown one says so in words, because ".." before the
        sentence's full stop reads as a cut sentence ("...")."""
        return self.t("pack.unknown") if is_unknown(value) else format_count(value, self.lang)

    def scope(self) -> list[Flowable]:
        scope = self.table("planning_scope")
        lines = [
            self.t(
                "scope.text_alt",
                region=region,
                **{name: self.count(row["n"]) for name, row in rows.items()},
            )
            for region, rows in _by_region(scope, "scope").items()
        ]
        chart = charts.scope_chart(scope, self.lang, description=" ".join(lines))
        return self.charted(self.t("pack.scope_title"), chart, lines)

    def artu(self, shares: pd.DataFrame) -> list[Flowable]:
        figure = self.figure("artu", shares)
        return self.charted(self.t("pack.artu_title"), figure.chart, figure.alternative)

    def workshops(self) -> list[Flowable]:
        milestones = self.table("workshop_milestones")
        workshops = self.table("workshops")
        story: list[Flowable] = [self.heading(self.t("pack.workshops_title"))]
        if milestones.empty and workshops.empty:
            return [*story, para(self.t("pack.no_workshops"), self.styles["body"])]
        # The invitations come before the workshops: the order in which a municipality meets them.
        lines = [
            self.t(
                "target.timeline_text",
                label=self.t(f"milestone.{row['milestone']}"),
                period=format_period(
                    row["period_start"], row["period_end"], row["precision"], self.lang
                ),
            )
            for row in milestones.to_dict("records")
        ] + [
            self.t(
                "target.timeline_text",
                label=f"{self.t('milestone.workshop')}, {row['region']}",
                period=format_date(row["workshop_date"], self.lang),
            )
            for row in workshops.to_dict("records")
        ]
        return [KeepTogether(story + bullets(lines, self.styles["bullet"]))]

    def worklist(self) -> list[Flowable]:
        """The municipalities to invite, on a response-level wave only (a regional table has
        no municipalities)."""
        if self.prov.level != "response":
            return []
        worklist = self.table("worklist")
        municipalities = self.table("municipalities")["municipality_code"].nunique()
        story: list[Flowable] = [
            self.heading(self.t("pack.worklist_title")),
            para(
                self.t(
                    "pack.worklist_intro",
                    year=self.selection.before_year,
                    n=format_count(len(worklist), self.lang),
                    N=format_count(municipalities, self.lang),
                ),
                self.styles["body"],
            ),
        ]
        if worklist.empty:
            return [*story, para(self.t("pack.worklist_none"), self.styles["body"])]
        shown = display_frame(TABLES["worklist"], worklist, self.lang)
        ids = TABLES["worklist"].column_ids
        columns = [shown.columns[ids.index(name)] for name in (*WORKLIST_COLUMNS, "reasons")]
        cell = self.styles["cell"]
        header = self.styles["header"]
        rows = [[para(hyphenated(name, self.lang), header) for name in columns]]
        rows += [[para(str(value), cell) for value in record] for record in shown[columns].values]
        shares = (0.2, 0.12, 0.17, 0.17, 0.1, 0.24)
        grid = Table(rows, colWidths=[self.width * s for s in shares], repeatRows=1)
        grid.setStyle(GRID)
        return [*story, grid]

    def notes(self) -> list[Flowable]:
        notes = self.table("data_notes")
        story: list[Flowable] = [self.heading(self.t("pack.notes_title"))]
        lines = [
            f"{row['region']} – {self.t('measure.' + row['measure'])}: {row['note']}"
            for row in notes.to_dict("records")
        ]
        story += bullets(lines, self.styles["bullet"]) or [
            para(self.t("pack.no_notes"), self.styles["body"])
        ]
        if self.prov.level == "response":
            story.append(para(self.t("data.counting_rules"), self.styles["body"]))
        else:
            rate = response_rate_text(self.prov, self.lang)
            story.append(para(self.t("caption.counts", rate=rate), self.styles["body"]))
        story.append(para(self.t("prov.symbols_text"), self.styles["body"]))
        # ReportLab writes no tagged PDF: the gap is said in the file itself (issue #8).
        story.append(para(self.t("pack.untagged"), self.styles["body"]))
        return story

    def story(self) -> list[Flowable]:
        shares = self.table("measure_shares")
        return [
            *self.opening(),
            *self.key_figures(),
            *self.status(shares),
            *self.map(),
            *self.scope(),
            *self.artu(shares),
            *self.workshops(),
            *self.worklist(),
            *self.notes(),
        ]


def pack_bytes(db: Database, selection: Selection, prov: Provenance) -> bytes:
    """The meeting pack of ``selection`` as PDF bytes; ``prov`` from the same selection."""
    register_fonts()
    lang = selection.lang
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=FOOTER_SPACE,
        title=t(lang, "pack.title", area=prov.area),
        subject=wave_text(prov),
        author=t(lang, "app.title"),
        creator=f"tilannekuva {prov.version}",
        lang=lang,
    )
    on_page = footer(prov, lang)
    document.build(_Pack(db, selection, prov).story(), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
