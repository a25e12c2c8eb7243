"""Worklist (kohdekunnat): the municipalities to invite to the workshops, each with its reasons,
downloadable as an invitation list."""

import streamlit as st

from tilannekuva import ui
from tilannekuva.tables import DEFAULT_OLD_PLAN_YEAR

view = ui.current_view()
st.title(view.t("page.worklist"))
st.markdown(view.t("worklist.intro"))

if ui.response_level(view):
    before_year = st.number_input(
        view.t("worklist.year"),
        min_value=1990,
        max_value=2100,
        value=DEFAULT_OLD_PLAN_YEAR,
        step=1,
        help=view.t("worklist.year_help"),
        key="worklist_year",
    )
    worklist = ui.table(view, "worklist", before_year=int(before_year))
    municipalities = ui.table(view, "municipalities")
    st.caption(view.t("worklist.count", n=len(worklist), total=len(municipalities)))
    ui.show_table(
        view, "worklist", worklist, detail=view.t("file.before_year", year=int(before_year))
    )
