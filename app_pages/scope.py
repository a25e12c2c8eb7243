"""Planning scope: plans in progress by scope per region. A blank source cell is "..", with its
note, never a zero bar."""

import streamlit as st

from tilannekuva.web import ui

view = ui.current_view()
st.title(view.t("scope.title"))
st.markdown(view.t("scope.intro"))
ui.counts_caption(view)

ui.show_figure(view, "scope")
# Said only where it is so, with the wave's own figures (the 2009 table's Etelä-Savo; a response
# file whose started plans lack a scope answer).
mismatches = ui.scope_sum_lines(view, ui.table(view, "region_status", total=False))
if mismatches:
    st.caption(ui.escape_markdown(view.t("scope.sum_mismatch", lines="; ".join(mismatches))))
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
