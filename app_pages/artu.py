"""ARTU: adoption per region (in use n/N and %; the rest "not in use or not reported"), compared
across regions and against the total."""

import streamlit as st

from tilannekuva.formatting import format_count, format_share
from tilannekuva.web import ui

view = ui.current_view()
st.title(view.t("artu.title"))
st.markdown(view.t("artu.intro"))
ui.counts_caption(view)
if view.wave.level != "response":
    st.caption(view.t("artu.filter_later"))
# Under the filter "not in use", the adoption table reads "in use 0/N": the filter narrows n only.
ui.artu_base_caption(view)

ui.show_figure(view, "artu")
ui.show_table(view, "artu_adoption", ui.table(view, "artu_adoption"))

if view.wave.level == "response":
    st.header(view.t("artu.crosstab_title"))
    crosstab = ui.table(view, "artu_by_plan_status")
    st.markdown(
        "\n".join(
            "- "
            + view.t(
                "artu.crosstab_text",
                artu=view.t(f"artu_answer.{row['artu']}"),
                ready=format_count(row["plan_ready"], view.lang),
                N=format_count(row["municipalities"], view.lang),
                share=format_share(row["ready_share"], view.lang, decimals=1),
            )
            for row in crosstab.to_dict("records")
        )
    )
    ui.show_table(view, "artu_by_plan_status", crosstab)
    st.header(view.t("artu.municipalities_title"))
    ui.show_table(view, "municipalities", ui.table(view, "municipalities"))
