"""What every page shares: the current view, tables with their downloads, charts with their text
alternatives. Pages stay thin: they ask for tables by name and arrange them."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd
import pyarrow as pa
import streamlit as st

from tilannekuva.areas import Area
from tilannekuva.config import data_dir
from tilannekuva.exports import (
    csv_utf8_bytes,
    display_frame,
    excel_fi_bytes,
    file_name,
    with_source_symbols,
)
from tilannekuva.filters import WAVE_PARAM, Choices, ViewState, to_query_params, view_state
from tilannekuva.formatting import format_count, format_percent_value, is_unknown
from tilannekuva.hyphenation import hyphenated
from tilannekuva.i18n import DEFAULT_LANG, t
from tilannekuva.page_list import PAGES
from tilannekuva.questionnaire import Questionnaire, shipped_questionnaires
from tilannekuva.questionnaire_files import XLSX_MIME, questionnaire_workbook
from tilannekuva.responses import template_bytes
from tilannekuva.tables import TABLES, Selection, TableSpec
from tilannekuva.wave import Wave
from tilannekuva.web import download_buttons, internals, store

VIEW_STATE = "view_state"  # the ViewState app.py made for this run


@dataclass(frozen=True)
class View:
    """The current view: language, selection, the wave's metadata, and the area the view covers
    (issue #16: the wave's regions among the selected ones, and the area's name)."""

    lang: str
    selection: Selection
    wave: Wave
    area: Area

    @property
    def region_codes(self) -> tuple[str, ...]:
        """The regions the view covers (its file names say them): the wave's own, never a
        region the wave was not sent to."""
        return self.area.region_codes

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)


def current_view() -> View:
    """The view app.py made for this run (filters.view_state); made the same way from the
    widgets' states when a page runs without it."""
    state = st.session_state.get(VIEW_STATE)
    if not isinstance(state, ViewState):
        known = store.names(DEFAULT_LANG)
        choices = Choices(
            list(known.wave_ids),
            list(known.region_codes),
            known.response_waves,
            wave_regions=known.wave_regions,
        )
        state = view_state(st.session_state, None, choices)
    names = store.names(state.lang)
    wave = names.by_id.get(state.wave, names.waves[0])
    selection = Selection(wave.wave_id, state.regions, state.lang, artu=state.artu)
    return View(state.lang, selection, wave, store.area(selection))


# Per server process: one st.Page per (script, title, icon, address, default), see page().
_PAGES: dict[tuple[str, str, str, str, bool], st.Page] = {}


def link_to_page(view: View, file: str, label: str) -> None:
    """A link to another page of the app (app_pages/``file``) with the view in its address, opened
    in the same tab: the sidebar's links, one at a place in a page's text (issue #21)."""
    state = st.session_state.get(VIEW_STATE)
    params = to_query_params(state) if isinstance(state, ViewState) else {}
    icon = next(listed.icon for listed in PAGES if listed.file == file)
    st.page_link(f"app_pages/{file}", label=label, icon=icon, query_params=params)


def page(script: str, *, title: str, icon: str, url_path: str, default: bool) -> st.Page:
    """A page for st.navigation, as ``st.Page(script, ...)`` would make it, copied from one made
    once per process: making one resolves and checks the script's path, and the fourteen pages
    were about a fifth of the server's CPU for a new session (py-spy, issue #9). st.navigation
    marks the page it is given (default, the one to run) on that object, so every run gets its
    own shallow copy and no session's marks reach another's (pinned streamlit==1.67.0)."""
    key = (script, title, icon, url_path, default)
    made = _PAGES.get(key)
    if made is None:
        made = st.Page(script, title=title, icon=icon, url_path=url_path or None, default=default)
        _PAGES[key] = made
    return copy.copy(made)


def counts_caption(view: View) -> None:
    """What the figures count (the one unit of n and N for the wave's level), and the survey's
    response rate, beside every regional figure; an unknown rate is said in words, not ".."."""
    st.caption(counts_text(view))


def counts_text(view: View) -> str:
    if view.wave.response_level:
        return view.t("caption.counts_response")
    if view.wave.response_rate_percent is None:
        return view.t("caption.counts_no_rate")
    rate = format_percent_value(view.wave.response_rate_percent, view.lang)
    return view.t("caption.counts", rate=rate)


def artu_base_caption(view: View) -> None:
    """Under an ARTU filter, what n and N are, beside the shares: the filter narrows n only, and N
    stays every answering municipality of the region (issue #8)."""
    if view.selection.artu != "all":
        artu = view.t(f"artu_filter.{view.selection.artu}")
        st.caption(view.t("artu_filter.base", filter=artu))


def table(view: View, name: str, *, total: bool = True, **options: object) -> pd.DataFrame:
    """A named table for the current view; ``options`` set other Selection fields."""
    return store.table(name, replace(view.selection, total=total, **options))


def notice_unless_answers(view: View) -> bool:
    """False, saying so, when no selected region has an answer in this wave (an imported wave
    may cover other regions than the ones chosen): figures over no rows are no figures, and a
    chart or a row of metrics over nothing cannot be drawn."""
    if not table(view, "measure_shares", total=False).empty:
        return True
    st.info(view.t("notice.no_answers"), icon=":material/info:")
    return False


def notice_unless_response_level(view: View) -> bool:
    """True on a response-level wave. On a regional table, say why a municipality view has
    nothing to show, and offer the template and the example wave instead."""
    if view.wave.response_level:
        return True
    st.info(view.t("response_only.text"), icon=":material/info:")
    template_download(view)
    example_button(view)
    return False


def _select_example_wave() -> None:
    # A callback: it runs before the next script run, so it may set the wave widget's state.
    st.session_state[WAVE_PARAM] = store.example_wave()


def example_button(view: View) -> None:
    st.button(
        view.t("response_only.try_example"),
        key="try_example",
        on_click=_select_example_wave,
        icon=":material/science:",
    )


def example_exports(view: View) -> None:
    """The example survey-tool exports (data/examples/exports/) to download and try on the
    import page (issue #17): read when clicked."""
    from tilannekuva.datafiles import EXAMPLE_EXPORTS, EXAMPLE_EXPORTS_DIR

    folder = data_dir() / EXAMPLE_EXPORTS_DIR
    columns = st.columns(len(EXAMPLE_EXPORTS))
    for column, name in zip(columns, EXAMPLE_EXPORTS, strict=True):
        path = folder / name
        if not path.is_file():
            continue
        mime = "text/csv" if name.endswith(".csv") else XLSX_MIME
        column.download_button(
            view.t(f"data.export.{name.split('-')[0]}"),
            data=path.read_bytes,
            file_name=f"kuvitteellinen_{name}",
            mime=mime,
            key=f"download_example_{name.split('-')[0]}",
            on_click="ignore",
            icon=":material/download:",
        )


def template_download(view: View) -> None:
    """The response template of the view's wave's questionnaire (the 2009 one for a wave that
    names none)."""
    questionnaires = shipped_questionnaires()
    questionnaire = (
        questionnaires.get(view.wave.questionnaire) or questionnaires[min(questionnaires)]
    )
    st.download_button(
        view.t("template.download"),
        data=partial(template_bytes, questionnaire),  # written when clicked, not on every run
        file_name=_questionnaire_file_name(view, questionnaire, "template", "csv"),
        mime="text/csv",
        help=view.t("template.help"),
        key="download_template",
        on_click="ignore",
        icon=":material/download:",
    )


def _questionnaire_file_name(
    view: View, questionnaire: Questionnaire, what: str, extension: str
) -> str:
    """E.g. tilannekysely_vastauspohja_2026_ehdotus.csv: what, which questionnaire, and whether
    it is only proposed."""
    parts = [view.t("file.survey"), view.t(f"file.{what}"), questionnaire.id]
    if questionnaire.proposed:
        parts.append(view.t("file.proposed"))
    return "_".join(parts) + "." + extension


def questionnaire_downloads(view: View, key: str) -> None:
    """Every questionnaire with its response template and its printable questionnaire (.xlsx),
    both made from its own file when clicked (issue #16). ``key`` tells the buttons of two
    places apart."""
    for questionnaire in shipped_questionnaires().values():
        title = questionnaire.title[view.lang]  # a proposed one's title says so ("(ehdotus)")
        st.markdown(f"**{escape_markdown(title)}**")
        row = st.container(horizontal=True)
        row.download_button(
            view.t("questionnaire.download_template"),
            data=partial(template_bytes, questionnaire),
            file_name=_questionnaire_file_name(view, questionnaire, "template", "csv"),
            mime="text/csv",
            help=view.t("questionnaire.help_template"),
            key=f"download_template_{questionnaire.id}{key}",
            on_click="ignore",
            icon=":material/download:",
        )
        row.download_button(
            view.t("questionnaire.download_workbook"),
            data=partial(questionnaire_workbook, questionnaire, view.lang),
            file_name=_questionnaire_file_name(view, questionnaire, "questionnaire", "xlsx"),
            mime=XLSX_MIME,
            help=view.t("questionnaire.help_workbook"),
            key=f"download_questionnaire_{questionnaire.id}{key}",
            on_click="ignore",
            icon=":material/table_view:",
        )


def show_table(
    view: View,
    name: str,
    frame: pd.DataFrame,
    *,
    key: str = "",
    detail: str = "",
    shown: tuple[str, ...] = (),
    whole: pd.DataFrame | None = None,
) -> None:
    """The table as strings in the UI language (".." for unknown), with its downloads. ``detail``
    goes into the file names when the frame is a part of the table or made with a page's own
    option (two different files never share a name). ``shown``: the columns the page shows, when
    not all (the map's table beside it); the downloads always hold every column. ``whole``: the
    rows the downloads hold when the page shows only some of them (``frame``)."""
    rows = frame if whole is None else whole
    spec = TABLES[name]
    cells_key = repr((name, view.lang, store.frame_key(frame), shown))  # ``key``: the widgets'
    cells = _table_cells(key=cells_key, _name=name, _frame=frame, _lang=view.lang, _shown=shown)
    _show_cells(cells)
    codes = view.region_codes if spec.regional else ()
    wave = view.selection.wave
    fictional = view.wave.fictional
    naming = {"fictional": fictional, "artu": view.selection.artu, "detail": detail}
    # One download control per table (issue #21 item 2): a menu of its three files, named so that
    # nobody guesses which "Excel" is which. The files are written only when one is chosen (a
    # callable, Streamlit >= 1.52), not on every rerun of the page.
    buttons = st.popover(
        view.t("download.menu"),
        icon=":material/download:",
        help=view.t("download.menu_help"),
        key=f"download_menu_{name}{key}",
    )
    buttons.download_button(
        view.t("download.excel"),
        data=partial(excel_fi_bytes, spec, rows, view.lang),
        file_name=file_name(view.lang, wave, name, codes, **naming),
        mime="text/csv",
        help=view.t("download.help_excel"),
        key=f"download_excel_{name}{key}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    buttons.download_button(
        view.t("download.csv"),
        data=partial(csv_utf8_bytes, spec, rows),
        file_name=file_name(view.lang, wave, name, codes, utf8=True, **naming),
        mime="text/csv",
        help=view.t("download.help_csv"),
        key=f"download_csv_{name}{key}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    download_buttons.workbook(
        view,
        buttons,
        spec,
        rows,
        file_name=file_name(view.lang, wave, name, codes, extension="xlsx", **naming),
        key=f"download_xlsx_{name}{key}",
    )


WHOLE_TABLE_ROWS = 60


def show_frame(shown: pd.DataFrame) -> None:
    """A table readable at 1366 px without hunting (issue #8): up to WHOLE_TABLE_ROWS rows as a
    plain table whose headers and long texts wrap, every column and row in sight; a longer one as
    a grid tall enough for 20 rows, which sorts and searches."""
    _show_cells(_cells(shown))


def _cells(shown: pd.DataFrame) -> pd.DataFrame:
    # st.table reads each cell as markdown: the nil symbol "-" would become a bullet and a name
    # could become markup, so every cell of a plain table is escaped to stay the text it is.
    return shown.map(markdown_cell) if len(shown) <= WHOLE_TABLE_ROWS else shown


def _show_cells(cells: pd.DataFrame | pa.Table) -> None:
    if len(cells) <= WHOLE_TABLE_ROWS:
        st.table(cells, hide_index=True)
    else:
        st.dataframe(cells, hide_index=True, width="stretch", height=20 * 35 + 38)


@st.cache_data(max_entries=512, show_spinner=False)
def _table_cells(
    key: str, _name: str, _frame: pd.DataFrame, _lang: str, _shown: tuple[str, ...] = ()
) -> pa.Table:
    # Formatting every cell in the UI language and escaping it was most of a warm rerun of a
    # page with tables (issue #9): done once per table, content and language. The key holds all
    # three; the content (store.frame_key), since a page may show a part of a table. Kept as
    # the Arrow table st.table would make of the frame (with Streamlit's own converter), which
    # was the next largest part.
    spec = TABLES[_name]
    labelled = display_frame(spec, _frame, _lang)
    ordered = _name_first(spec, labelled)
    if _shown:
        kept = {
            label
            for column, label in zip(spec.column_ids, labelled.columns, strict=True)
            if column in _shown
        }
        ordered = ordered[[label for label in ordered.columns if label in kept]]
    if len(ordered) <= WHOLE_TABLE_ROWS:
        # A plain table's headers wrap in its columns: at their words' hyphenation points only
        # (issue #19 item 3; static/app.css breaks a header nowhere else). The grid of a longer
        # table draws its headers on one line.
        ordered = ordered.set_axis(
            [hyphenated(str(label), _lang) for label in ordered.columns], axis=1
        )
    return internals.arrow_table(_cells(ordered))


def _name_first(spec: TableSpec, shown: pd.DataFrame) -> pd.DataFrame:
    """On the page a region's name comes before its code, and the columns the SQL header puts
    "first on the page" lead. On a phone the first column stays in place while the others scroll
    under it (issue #8), and it showed "10", "11", "12" and, on the total row, nothing (found by
    a user probe). The downloads keep the table's own order."""
    ids = list(spec.column_ids)
    order = list(range(len(ids)))
    if "region_code" in ids and "region" in ids:
        code, name = ids.index("region_code"), ids.index("region")
        if name > code:
            order.insert(code, order.pop(name))
    # The header's "-- first on the page" columns lead (issue #21: on a phone, the name pinned
    # with the reasons or answers beside it).
    first = [ids.index(column) for column in spec.page_first]
    order = first + [index for index in order if index not in first]
    return shown.iloc[:, order]


def show_source_table(view: View, name: str) -> None:
    """The named table without its total rows, as its source prints it (a nil count as "-");
    its cells made once per content and language, as show_table's are."""
    frame = table(view, name, total=False)
    key = repr((name, view.lang, store.frame_key(frame)))
    _show_cells(_source_cells(key=key, _name=name, _frame=frame, _lang=view.lang))


@st.cache_data(max_entries=64, show_spinner=False)
def _source_cells(key: str, _name: str, _frame: pd.DataFrame, _lang: str) -> pa.Table:
    spec = TABLES[_name]
    cells = _cells(_name_first(spec, with_source_symbols(spec, _frame, _lang)))
    return internals.arrow_table(cells)


def show_figure(
    view: View, name: str, *, mode: str = "", wide: bool = False, detail: str = ""
) -> None:
    """The named figure (figures.FIGURES) of the current view and, beside it, the same figures as
    text (for screen readers and for print); under it, the chart as PNG and SVG. Chart and text
    come from the cache when a rerun has the same view and mode; the images are made on click.
    ``detail`` names the chart in the images' file names when the mode's own word does not."""
    spec, alternative = store.figure(name, view.selection, mode)
    # A wide chart (the heatmap) takes the page's width and has its text under it.
    chart_column, text_column = (st.container(), st.container()) if wide else st.columns([3, 2])
    # A chart of a fixed size (the map's tiles) keeps it; every other one takes its column's width.
    fixed = isinstance(spec.get("width"), int)
    chart_column.vega_lite_chart(spec=spec, width="content" if fixed else "stretch")
    download_buttons.chart_images(
        view,
        chart_column,
        partial(store.figure_chart, name, view.selection, mode),
        alternative,
        name=f"{name}_{mode}" if mode else name,
        detail=detail or figure_file_word(view.lang, name, mode),
        figure=name,
    )
    _show_alternative(view, text_column, alternative)


def figure_file_word(lang: str, name: str, mode: str = "") -> str:
    """The chart in a file name, in the UI language (``suunnitelmien_tila_prosentit``): the
    images were named by the figures' code names (``status_percent``), in English whatever
    the language, unlike every other download."""
    word = t(lang, f"file.figure_{name}")
    return f"{word}_{t(lang, f'file.mode_{mode}')}" if mode else word


def _show_alternative(
    view: View, column: internals.DeltaGenerator, alternative: Sequence[str]
) -> None:
    with column:
        st.markdown(f"**{view.t('chart.alt_heading')}**")
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in alternative))


# Streamlit's markdown (react-markdown with remark-gfm, remark-directive and its own plugins,
# streamlit==1.67.0) turns more than markdown syntax into markup. Most of it is parsed, and a
# backslash escape keeps it text: emphasis, links, HTML, code, headings, lists, tables, math,
# entities, and the directives of colour and size (":red[ALERT]" was an empty red span and
# "[ALERT]"). The rest is applied to the text after parsing, when the escapes are gone: bare
# addresses (GFM autolink literals: "http://…", "www.…", "name@host.example"), Material icons
# (":material/home:"), the Streamlit logo (":streamlit:"), emoji short codes (":smile:"), and
# arrows and dashes ("->", "--"). Only a character between their parts stops those: a zero-width
# space, which is not shown (issue #22 item 3); rather than a word joiner, because Playwright's
# text matching passes over a zero-width space, as a reader's eye does.
ZERO_WIDTH_SPACE = "\u200b"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$@]|:(?=[A-Za-z])|&(?=#?[0-9A-Za-z]+;))")
_LINE_INDENT = re.compile(r"(?m)^[ \t]+")  # four spaces would start a code block
_LINE_START = re.compile(r"(?m)^(?:([-+=])|(\d+)([.)]))")  # a list item, a heading's underline
_TRANSFORMED = re.compile(
    r"(?i)(?<=:)(?=//|[\w+/-]+:)"  # a scheme's "://", an emoji's, icon's or the logo's ":x:"
    r"|(?<=www)(?=\.)"  # "www.example"
    r"|(?<=@)(?=\S)"  # "name@example.fi"
)
_ARROW = re.compile(r"(?<!\S)([<>~-])([-=>]|->)(?!\S)")  # "->", "<-", "<->", "--", ">=", "~="


def _line_start(match: re.Match[str]) -> str:
    return f"\\{match[1]}" if match[1] else f"{match[2]}\\{match[3]}"


def markdown_cell(value: object) -> object:
    """A table cell as text in markdown (st.table reads every cell as markdown): escaped as
    escape_markdown does; a value that is not text stays as it is."""
    return escape_markdown(value) if isinstance(value, str) else value


def escape_markdown(text: str) -> str:
    """Text from data made inert for Streamlit's markdown (st.markdown, st.caption, st.header,
    alerts, link texts and st.table's cells), shown as written: no link, no markup, no icon, no
    colour. A name such as ``[x](javascript:..)``, ``<img onerror=..>``, ``:red[ALERT]``,
    ``=HYPERLINK("http://…")``, ``www.…`` or ``- 1`` stays the text it is (a leading "-", "+" or
    "1." is not a list). Each character is shown, but for the spaces that start a line, which a
    reader would not see either; backslash escapes and zero-width spaces are added (see
    ZERO_WIDTH_SPACE)."""
    text = _LINE_INDENT.sub("", text)
    text = _ARROW.sub(rf"\1{ZERO_WIDTH_SPACE}\2", _TRANSFORMED.sub(ZERO_WIDTH_SPACE, text))
    return _LINE_START.sub(_line_start, _MARKDOWN_SPECIAL.sub(r"\\\1", text))


SCOPES = ("in_progress_municipal", "in_progress_sub_regional", "in_progress_province_wide")


def scope_sum_lines(view: View, status: pd.DataFrame) -> list[str]:
    """One line per region whose plans in progress by scope do not add up to its plans started
    ("Etelä-Savo: 4 + 3 + 1 = 8, started 7" in the 2009 table), from ``status`` (region_status
    without its total). A region with an unknown cell is left out: its sum is not known, so
    neither is a difference."""
    lines = []
    for row in status.to_dict("records"):
        parts = [row[scope] for scope in SCOPES]
        started = row["plan_started"]
        if any(is_unknown(value) for value in (*parts, started)) or sum(parts) == started:
            continue
        lines.append(
            view.t(
                "scope.sum_line",
                region=row["region"],
                parts=" + ".join(format_count(value, view.lang) for value in parts),
                sum=format_count(sum(parts), view.lang),
                started=format_count(started, view.lang),
            )
        )
    return lines


COVERAGE_ORDER = ("own", "sub_regional", "province_wide", "none", "not_answered")


def coverage_summary(view: View, coverage: pd.DataFrame) -> list[str]:
    """One line per region: how many municipalities have each kind of coverage."""
    lines = []
    for region, rows in coverage.groupby("region", sort=False):
        counts = rows["coverage"].value_counts()
        parts = [
            f"{view.t(f'coverage.{kind}')} {int(counts.get(kind, 0))}" for kind in COVERAGE_ORDER
        ]
        lines.append(view.t("coverage.text_alt", region=region, counts=", ".join(parts)))
    return lines
