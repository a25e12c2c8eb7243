"""Worklist (kohdekunnat): the municipalities to invite to the workshops, each with its reasons,
downloadable as an invitation list."""

import streamlit as st

from tilannekuva.filters import YEAR_KEY, YEAR_RANGE
from tilannekuva.web import municipality_view, ui

view = ui.current_view()
st.title(view.t("page.worklist"))
st.markdown(view.t("worklist.intro"))

if ui.response_level(view):
    before_year = st.number_input(
        view.t("worklist.year"),
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
        step=1,
        help=view.t("worklist.year_help"),
        key=YEAR_KEY,  # its state comes from the address (filters.view_state), so no value here
    )
    worklist = ui.table(view, "worklist", before_year=int(before_year))
    municipalities = ui.table(view, "municipalities")
    st.caption(view.t("worklist.count", n=len(worklist), total=len(municipalities)))
    ui.show_table(
        view, "worklist", worklist, detail=view.t("file.before_year", year=int(before_year))
    )
    municipality_view.show_links(view, worklist)  # issue #7 item 4: each one's own page
