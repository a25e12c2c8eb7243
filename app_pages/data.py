"""Data and downloads: every table, the data dictionary, sources, symbols, notes, and where the
figures come from."""

import pandas as pd
import streamlit as st

from tilannekuva.config import open_data_url
from tilannekuva.datafiles import EXAMPLE_WAVE
from tilannekuva.formatting import NIL, NOT_AVAILABLE
from tilannekuva.responses import MAX_FILE_BYTES, MAX_ROWS
from tilannekuva.tables import TABLES
from tilannekuva.web import store, ui

view = ui.current_view()
st.title(view.t("page.data"))

st.header(view.t("data.tables_title"))
chosen = st.selectbox(
    view.t("data.tables_title"),
    list(TABLES),
    format_func=lambda name: view.t(f"table.{name}"),
    key="data_table",
    label_visibility="collapsed",
)
ui.show_table(view, chosen, ui.table(view, chosen), key="_data_page")

# The open data folder that make serve publishes and nginx serves (issue #19 item 4): shown
# where the operator says where it is (deploy/serve.py sets it); a bare `make run` has none.
if open_data := open_data_url():
    st.header(view.t("data.open_title"))
    st.markdown(view.t("data.open_text"))
    st.link_button(view.t("data.open_link"), open_data)

st.header(view.t("data.dictionary_title"))
st.caption(view.t("definition.responses"))
ui.show_table(view, "data_dictionary", ui.table(view, "data_dictionary"), key="_dictionary")

st.header(view.t("data.symbols_title"))
ui.show_frame(
    pd.DataFrame(
        {
            view.t("col.symbol"): [NIL, NOT_AVAILABLE],
            view.t("col.meaning"): [view.t("data.symbol_nil"), view.t("data.symbol_na")],
        }
    )
)

st.header(view.t("data.origin_title"))
if view.wave.level == "response":
    st.markdown(view.t("data.counting_rules"))
else:
    st.markdown(view.t("data.origin_text", source=ui.escape_markdown(view.wave.source)))
    st.markdown(f"**{view.t('data.source_table_title')}**")
    ui.show_source_table(view, "region_status")

st.header(view.t("data.notes_title"))
ui.show_table(view, "data_notes", ui.table(view, "data_notes"), key="_notes")

st.header(view.t("data.sources_title"))
ui.show_table(view, "waves", ui.table(view, "waves"), key="_sources")

st.header(view.t("questionnaire.title"))
st.markdown(view.t("questionnaire.intro"))
st.markdown(view.t("data.limits", kb=MAX_FILE_BYTES // 1024, rows=MAX_ROWS))
ui.questionnaire_downloads(view, key="_data")

st.header(view.t("data.example_title"))
# The text names the round the button opens (issue #21: it described another one's figures).
names = store.names(view.lang)
opened = names.by_id.get(store.example_wave())
single = names.by_id.get(EXAMPLE_WAVE)
st.markdown(
    view.t(
        "data.example_text",
        wave=ui.escape_markdown(opened.title if opened else ""),
        single=ui.escape_markdown(single.title if single else EXAMPLE_WAVE),
    )
)
ui.example_button(view)
st.markdown(view.t("data.exports_text"))
ui.example_exports(view)

st.header(view.t("data.add_wave_title"))
st.markdown(view.t("data.add_wave_text"))
