"""Themes and partners: the three priority themes and the partners involved, per region and per
municipality, on a response-level wave."""

import streamlit as st

from tilannekuva.figures import theme_rows
from tilannekuva.web import ui

view = ui.current_view()
st.title(view.t("page.themes"))
st.markdown(view.t("themes.intro"))

if ui.notice_unless_response_level(view):
    st.header(view.t("themes.regional_title"))
    st.caption(view.t("themes.caption_items"))
    ui.show_figure(view, "themes", wide=True)
    ui.show_table(
        view,
        "yes_no_answers",
        theme_rows(ui.table(view, "yes_no_answers")),
        detail=view.t("file.themes_items"),
    )
    st.header(view.t("themes.municipal_title"))
    municipal = ui.table(view, "themes_partners_by_municipality")
    ui.show_table(view, "themes_partners_by_municipality", municipal)
