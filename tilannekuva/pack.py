"""The region meeting pack: an A4 PDF of one selection in fi, sv or en (issues #8 and #19).

Key figures with n/N; the plan status, map, scope and ARTU charts, each with its figures as text;
the workshop dates and invitation milestones; the worklist where the wave is response-level; data
notes and counting rules; and on every page a footer with the source, wave, filters and
extraction time. This module says what is in the pack, as blocks of plain data; pdf_layout.py
has Typst lay them out as a tagged PDF/UA-1 file (pack.typ), the charts drawn offline by
vl-convert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from tilannekuva import charts, figures, map_chart
from tilannekuva.db import Database
from tilannekuva.exports import display_frame
from tilannekuva.formatting import (
    NOT_AVAILABLE,
    format_count,
    format_date,
    format_n_of_N,
    format_period,
    format_share,
    is_unknown,
)
from tilannekuva.hyphenation import hyphenated
from tilannekuva.i18n import t
from tilannekuva.pdf_layout import Images, chart_images, render
from tilannekuva.provenance import (
    Provenance,
    base_text,
    extracted_text,
    footer_lines,
    response_rate_text,
    wave_text,
)
from tilannekuva.tables import TABLES, Selection, build_table, wave_regions, wave_rows

WORKLIST_COLUMNS = ("municipality_name", "region", "sub_region", "answered_by", "plan_year")
Block = dict[str, Any]
MAP_SIZE = (440, 400)  # the map in the pack, CSS pixels
FOOTER_CHARS = 300


def _by_region(frame: pd.DataFrame, key: str) -> dict[str, dict[str, dict[str, Any]]]:
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        result.setdefault(row["region"], {})[row[key]] = row
    return result


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(text: str, style: str = "body") -> Block:
    return {"kind": "text", "text": text, "style": style}


def _heading(text: str) -> Block:
    return {"kind": "heading", "text": text}


def _list(items: Sequence[str]) -> Block:
    return {"kind": "list", "items": list(items)}


class _Pack:
    """The pieces of one pack: the data of one selection, in one language."""

    def __init__(self, db: Database, selection: Selection, prov: Provenance) -> None:
        self.db, self.selection, self.prov = db, selection, prov
        self.lang = selection.lang
        self.images = Images()

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def table(self, name: str) -> pd.DataFrame:
        return build_table(self.db, name, self.selection)

    def grid(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> Block:
        """A table whose header cells break only at their hyphenation points (issue #19)."""
        return {
            "kind": "table",
            "header": [hyphenated(name, self.lang) for name in header],
            "rows": [[str(value) for value in row] for row in rows],
            "widths": list(widths),
        }

    def opening(self) -> list[Block]:
        story = [
            {"kind": "title", "text": self.t("pack.title", area=self.prov.area)},
            _text(self.t("pack.subtitle", wave=wave_text(self.prov)), "subtitle"),
            _text(
                f"{self.t('prov.extracted')}: {extracted_text(self.prov, self.lang)} · "
                f"{self.t('prov.response_rate')}: {response_rate_text(self.prov, self.lang)}",
                "small",
            ),
        ]
        if self.prov.fictional:
            story.append({"kind": "warning", "text": self.t("banner.fictional")})
        if self.prov.artu != "all":
            artu = self.t(f"artu_filter.{self.prov.artu}")
            story.append(_text(self.t("banner.artu_filtered", filter=artu)))
            story.append(_text(self.t("artu_filter.base", filter=artu), "small"))
        return story

    def some_regions(self) -> bool:
        """Whether the pack is of some of the regions the wave was sent to, not all of them."""
        sent = wave_regions(self.db, self.selection.wave)
        return bool(self.selection.regions) and bool(sent - set(self.selection.regions))

    def share_cells(self, frame: pd.DataFrame, columns: Sequence[str]) -> dict[str, str]:
        """{measure: "35,3 % · 6/17"} of a table whose ``columns`` are its share, n, N and
        few-answers mark (the mark of the page and the files inside, issue #8)."""
        cells = {}
        for row in frame.to_dict("records"):
            share, n, total, few = (row[name] for name in columns)
            n_of_n = format_n_of_N(n, total, self.lang)
            if few is True:
                n_of_n = f"{n_of_n} {self.t('few_answers.mark')}"
            cells[row["measure"]] = f"{format_share(share, self.lang, decimals=1)} · {n_of_n}"
        return cells

    def key_figures(self) -> list[Block]:
        """The headline figures of the selection; beside them the whole area's (a pack of some of
        the wave's regions) and the previous comparable wave's of the same selection (issue
        #19): a column only where there is something to compare."""
        figures = self.table("key_figures")
        shown = ("share", "n", "responses", "few_answers")
        header = [self.t("pack.measure"), self.prov.area]
        columns = [self.share_cells(figures, shown)]
        if self.some_regions():
            whole = build_table(self.db, "key_figures", replace(self.selection, regions=()))
            header.append(str(whole["region"].iloc[0]) if len(whole) else NOT_AVAILABLE)
            columns.append(self.share_cells(whole, shown))
        changes = self.table("key_figure_change")
        if len(changes):
            waves = wave_rows(self.db, self.lang)
            titles = dict(zip(waves["wave_id"], waves["title"], strict=True))
            previous = str(changes["previous_wave"].iloc[0])
            header.append(titles.get(previous, previous))
            before = ("share_previous", "n_previous", "total_n_previous")
            columns.append(self.share_cells(changes, (*before, "few_answers_previous")))
        rows = [
            [
                self.t(f"measure.{measure}"),
                *(column.get(measure, NOT_AVAILABLE) for column in columns),
            ]
            for measure in figures["measure"]
        ]
        widths = [0.34] + [0.66 / len(columns)] * len(columns)
        few = figures["few_answers"].fillna(False).astype(bool).any()
        return [
            _heading(self.t("pack.headline")),
            self.grid(header, rows, widths),
            _text(base_text(self.prov, self.lang), "small"),
            *([_text(self.t("few_answers.text"), "small")] if few else []),
        ]

    def charted(self, title: str, chart: Any, lines: Sequence[str]) -> list[Block]:
        """The heading, the chart (in parts by region when one image would not fit a page) and
        its figures as text: the chart a Figure whose alternative text is those figures."""
        return [
            {
                "kind": "chart",
                "title": title,
                "images": self.images.add(chart_images(chart)),
                "alt": " ".join(lines),
                "label": self.t("pack.figures"),
                "lines": list(lines),
            }
        ]

    def figure(self, name: str, shares: pd.DataFrame, mode: str = "") -> figures.Figure:
        """The page's figure (figures.make): the same chart and text, the few-answers mark on
        both (issue #8), from the shares this pack already read."""
        return figures.make(
            name,
            lambda table: shares if table == "measure_shares" else self.table(table),
            self.lang,
            mode,
        )

    def status(self, shares: pd.DataFrame) -> list[Block]:
        figure = self.figure("status", shares, "count")  # counts, the total in the text only
        return self.charted(self.t("pack.status_title"), figure.chart, figure.alternative)

    def map(self) -> list[Block]:
        """The map of the first measure (issue #18): plan status on a response-level wave, the
        regions' ready plans on a regional table; the borders' source is in the image."""
        frame = self.table("map_municipalities")
        measures = map_chart.measures_of(frame)
        if not measures:
            return []
        figure = figures.make("map", self.table, self.lang, measures[0])
        name = map_chart.measure_name(frame, measures[0], self.lang)
        title = f"{self.t('figure.title_map')}: {name}"
        chart = figure.chart
        if map_chart.borders_year(frame) is not None:
            # Smaller than the page's (600 × 560 px): the map shares its page with a chart, as
            # a page that a tall map leaves half empty would not (issue #19).
            chart = chart.properties(width=MAP_SIZE[0], height=MAP_SIZE[1])
        return self.charted(title, chart, figure.alternative)

    def count(self, value: Any) -> str:
        """A count in running text: an unknown one says so in words, because ".." before the
        sentence's full stop reads as a cut sentence ("...")."""
        return self.t("pack.unknown") if is_unknown(value) else format_count(value, self.lang)

    def scope(self) -> list[Block]:
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

    def artu(self, shares: pd.DataFrame) -> list[Block]:
        figure = self.figure("artu", shares)
        return self.charted(self.t("pack.artu_title"), figure.chart, figure.alternative)

    def workshops(self) -> list[Block]:
        milestones = self.table("workshop_milestones")
        workshops = self.table("workshops")
        title = self.t("pack.workshops_title")
        if milestones.empty and workshops.empty:
            return [_heading(title), _text(self.t("pack.no_workshops"))]
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
        return [{"kind": "keep", "title": title, "items": lines}]

    def worklist(self) -> list[Block]:
        """The municipalities to invite, on a response-level wave only (a regional table has
        no municipalities)."""
        if self.prov.level != "response":
            return []
        worklist = self.table("worklist")
        municipalities = self.table("municipalities")["municipality_code"].nunique()
        story = [
            _heading(self.t("pack.worklist_title")),
            _text(
                self.t(
                    "pack.worklist_intro",
                    year=self.selection.before_year,
                    n=format_count(len(worklist), self.lang),
                    N=format_count(municipalities, self.lang),
                )
            ),
        ]
        if worklist.empty:
            return [*story, _text(self.t("pack.worklist_none"))]
        shown = display_frame(TABLES["worklist"], worklist, self.lang)
        ids = TABLES["worklist"].column_ids
        columns = [shown.columns[ids.index(name)] for name in (*WORKLIST_COLUMNS, "reasons")]
        widths = (0.2, 0.12, 0.17, 0.17, 0.1, 0.24)
        return [*story, self.grid(columns, shown[columns].values.tolist(), widths)]

    def notes(self) -> list[Block]:
        notes = self.table("data_notes")
        story = [_heading(self.t("pack.notes_title"))]
        lines = [
            f"{row['region']} – {self.t('measure.' + row['measure'])}: {row['note']}"
            for row in notes.to_dict("records")
        ]
        story.append(_list(lines) if lines else _text(self.t("pack.no_notes")))
        if self.prov.level == "response":
            story.append(_text(self.t("data.counting_rules")))
        else:
            rate = response_rate_text(self.prov, self.lang)
            story.append(_text(self.t("caption.counts", rate=rate)))
        story.append(_text(self.t("prov.symbols_text")))
        return story

    def story(self) -> list[Block]:
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
    lang = selection.lang
    pack = _Pack(db, selection, prov)
    blocks = pack.story()
    document = {
        "title": t(lang, "pack.title", area=prov.area),
        "author": t(lang, "app.title"),
        "keywords": [wave_text(prov), f"tilannekuva {prov.version}"],
        "lang": lang,
        "page": t(lang, "pack.page", page="{page}", pages="{pages}"),
        # Each line at most FOOTER_CHARS: a title of thousands of characters in waves.csv would
        # push the footer off every page.
        "footer": [_cut(line, FOOTER_CHARS) for line in footer_lines(prov, lang)],
        "blocks": blocks,
    }
    return render(document, pack.images.images)
