"""Planning scope: plans in progress by scope per region. A blank source cell is "..", with its
note, never a zero bar."""

import streamlit as st

from tilannekuva import ui

view = ui.current_view()
st.title(view.t("scope.title"))
st.markdown(view.t("scope.intro"))
ui.counts_caption(view)

ui.show_figure(view, "scope")
st.caption(view.t("scope.sum_note"))
# The notes on cells of the scope table, in one box: each says which cell it is about.
notes = [
    f"- **{ui.escape_markdown(note['region'])} – {view.t('measure.' + note['measure'])}:** "
    f"{ui.escape_markdown(note['note'])}"
    for note in ui.table(view, "data_notes").to_dict("records")
    if note["measure"].startswith("in_progress_")
]
if notes:
    st.info("\n".join(notes), icon=":material/info:")
ui.show_table(view, "planning_scope", ui.table(view, "planning_scope"))
