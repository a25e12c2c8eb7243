"""Region comparison: plan status, council approval, publication and ARTU per region, with the
total, as charts, text and one table."""

import streamlit as st

from tilannekuva.filters import MODE_KEY, MODES
from tilannekuva.web import ui

view = ui.current_view()
st.title(view.t("page.compare"))
ui.counts_caption(view)
if not ui.notice_unless_answers(view):
    st.stop()
ui.artu_base_caption(view)

st.header(view.t("compare.status_title"))
mode = st.segmented_control(
    view.t("compare.mode"),
    list(MODES),
    format_func=lambda option: view.t(f"compare.mode_{option}"),
    required=True,
    key=MODE_KEY,  # its state comes from the address (filters.view_state), so no default here
)
ui.show_figure(view, "status", mode=mode)

st.header(view.t("compare.measures_title"))
ui.show_figure(view, "measures")

st.header(view.t("compare.table_title"))
ui.show_table(view, "region_status", ui.table(view, "region_status"))
st.header(view.t("table.measure_shares"))
ui.show_table(view, "measure_shares", ui.table(view, "measure_shares"))

if view.wave.level == "response":
    st.header(view.t("compare.unanswered_title"))
    st.caption(view.t("compare.unanswered_intro"))
    answers = ui.table(view, "yes_no_answers")
    key_items = ("council_approved", "published", "artu_in_use")
    key_answers = answers[answers["item"].isin(key_items)]
    ui.show_table(view, "yes_no_answers", key_answers, key="_key", detail=view.t("file.key_items"))

change = ui.table(view, "wave_change")
if not change.empty:
    st.header(view.t("compare.change_title"))
    st.caption(view.t("compare.change_intro", previous=change["previous_wave"].iloc[0]))
    ui.show_table(view, "wave_change", change)
