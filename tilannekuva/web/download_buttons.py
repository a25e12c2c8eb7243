"""The download buttons that issue #8 added under tables and charts: the .xlsx workbook and the
chart images. Their bytes are made when a button is clicked (Streamlit runs a callable ``data``
then), never on a rerun, so the extraction time in a file is the click's and a page costs
nothing until someone downloads.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd
import streamlit as st

from tilannekuva.chart_images import (
    PNG_MIME,
    SVG_MIME,
    image_footer,
    image_heading,
    png_bytes,
    svg_bytes,
)
from tilannekuva.exports import file_name
from tilannekuva.provenance import Provenance, make_provenance
from tilannekuva.tables import TableSpec
from tilannekuva.web import store
from tilannekuva.workbook import XLSX_MIME, workbook_bytes

if TYPE_CHECKING:  # ui imports this module
    from tilannekuva.web.ui import View

LOG = logging.getLogger(__name__)


def provenance_maker(view: View) -> Callable[[], Provenance]:
    """Makes the view's provenance when called: at the click, so its time is the click's."""
    return partial(make_provenance, view.wave, view.selection, view.area.name)


def _download(
    view: View,
    place: Any,
    texts: tuple[str, str],
    data: Callable[[], bytes],
    **options: Any,
) -> None:
    """One download button in ``place``: ``texts`` are the catalogue keys of its label and help;
    ``data`` is called when the button is clicked, never on a rerun (``on_click="ignore"``: a
    click does not rerun the page either). ``options`` are the rest of Streamlit's arguments."""
    label, help_text = texts
    place.download_button(
        view.t(label), data=data, help=view.t(help_text), on_click="ignore", **options
    )


def _view_file_name(view: View, what: str, extension: str, *, detail: str = "") -> str:
    """The file name of a download made of the whole view (a chart, the pack): its wave, regions
    and ARTU filter, and whether the wave is fictional."""
    return file_name(
        view.lang,
        view.selection.wave,
        what,
        view.region_codes,
        fictional=view.wave.fictional,
        artu=view.selection.artu,
        detail=detail,
        extension=extension,
    )


def workbook(
    view: View, place: Any, spec: TableSpec, frame: pd.DataFrame, *, file_name: str, key: str
) -> None:
    """The .xlsx button of a table, in ``place`` (the row of download buttons)."""
    prov = provenance_maker(view)
    _download(
        view,
        place,
        ("download.xlsx", "download.help_xlsx"),
        lambda: workbook_bytes(spec, frame, view.lang, prov()),
        file_name=file_name,
        mime=XLSX_MIME,
        key=key,
        icon=":material/table_view:",
        width="stretch",
    )


def chart_images(
    view: View,
    place: Any,
    make_chart: Callable[[], alt.TopLevelMixin],
    alternative: Sequence[str],
    *,
    name: str = "",
    detail: str = "",
    figure: str = "",
) -> None:
    """PNG and SVG buttons under a chart; ``make_chart`` builds the chart when a button is
    clicked; ``figure`` (a figures.FIGURES name) gives the image its heading. ``name`` keys the
    widgets and ``detail`` (the chart in the UI language) goes into the file names; without
    them, a digest of the chart's figures tells two charts of one page apart in both."""
    name = name or hashlib.sha256("\n".join(alternative).encode()).hexdigest()[:8]
    detail = detail or name
    prov = provenance_maker(view)
    # One control per chart too (issue #21 item 2): a menu of its two images.
    row = place.popover(
        view.t("chart_image.menu"), icon=":material/image:", key=f"chart_menu_{name}"
    )
    for kind, render, mime in (("png", png_bytes, PNG_MIME), ("svg", svg_bytes, SVG_MIME)):

        def image(render: Callable[..., bytes] = render) -> bytes:
            made = prov()
            footer = image_footer(made, view.lang, alternative)
            if not figure:
                return render(make_chart(), footer)
            return render(make_chart(), footer, image_heading(figure, view.lang, made.area))

        _download(
            view,
            row,
            (f"chart_image.{kind}", "chart_image.help"),
            image,
            file_name=_view_file_name(view, "chart", kind, detail=detail),
            mime=mime,
            key=f"chart_{kind}_{name}",
            icon=":material/image:",
            width="stretch",
        )


class _PackClick:
    """One click of the pack button: the pack is made on Streamlit's download thread (the
    button's ``data``), and the rerun the click starts waits here to learn whether it failed."""

    # How long the rerun waits for the download to start (the browser sends both at once), and
    # then for the pack to be made (a nationwide pack takes seconds).
    START_SECONDS = 10.0
    DONE_SECONDS = 180.0

    def __init__(self) -> None:
        self.started = threading.Event()
        self.done = threading.Event()
        self.failed = False

    def failed_after_waiting(self) -> bool:
        return (
            self.started.wait(self.START_SECONDS)
            and self.done.wait(self.DONE_SECONDS)
            and self.failed
        )


PACK_FAILED = "meeting_pack_failed"  # session state: the last click's pack failed


def meeting_pack(view: View, place: Any = st) -> None:
    """The one-click meeting pack (A4 PDF) of the current view.

    A pack that fails (issue #22: a nationwide wave once ended in ReportLab's LayoutError and the
    button did nothing) is logged with its traceback for the server log, and the rerun of the
    click says so on the page, in the UI language, above the button; the message goes at the
    next rerun."""
    prov = provenance_maker(view)
    database = store.database()
    click = _PackClick()

    def pdf() -> bytes:
        # Imported when clicked: Typst and the charts as images are needed by this button only.
        from tilannekuva.pack import pack_bytes

        click.started.set()
        try:
            return pack_bytes(database, view.selection, prov())
        except Exception:
            LOG.exception("the meeting pack of %s could not be made", view.selection)
            click.failed = True
            raise
        finally:
            click.done.set()

    def clicked() -> None:
        # A callback runs in the click's rerun, before the page: a failure shows on that page.
        if click.failed_after_waiting():
            st.session_state[PACK_FAILED] = True

    if st.session_state.pop(PACK_FAILED, False):
        place.error(view.t("pack.failed"), icon=":material/error:")
    # Not _download: this click reruns the page, to show a failure there.
    place.download_button(
        view.t("pack.download"),
        data=pdf,
        help=view.t("pack.download_help"),
        on_click=clicked,
        file_name=_view_file_name(view, "pack", "pdf"),
        mime="application/pdf",
        key="download_meeting_pack",
        type="primary",
        icon=":material/picture_as_pdf:",
    )
