"""Themes and partners: the three priority themes and the partners involved, per region and per
municipality, on a response-level wave."""

import streamlit as st

from tilannekuva import charts, ui
from tilannekuva.formatting import format_count

view = ui.current_view()
st.title(view.t("page.themes"))
st.markdown(view.t("themes.intro"))

if ui.response_level(view):
    answers = ui.table(view, "yes_no_answers")
    themes = answers[answers["item"].str.startswith(("theme_", "partner_"))]
    st.header(view.t("themes.regional_title"))
    alternative = [
        view.t(
            "themes.text_alt",
            region=row["region"],
            item=view.t(f"item.{row['item']}"),
            n=format_count(row["n"], view.lang),
            N=format_count(row["municipalities"], view.lang),
            unanswered=format_count(row["unanswered"], view.lang),
        )
        for row in themes.to_dict("records")
        if row["region_code"] == "total"
    ]
    ui.show_chart(
        view, charts.item_heatmap(themes, view.lang, description=" ".join(alternative)), alternative
    )
    ui.show_table(view, "yes_no_answers", themes, detail=view.t("file.themes_items"))
    st.header(view.t("themes.municipal_title"))
    municipal = ui.table(view, "themes_partners_by_municipality")
    ui.show_table(view, "themes_partners_by_municipality", municipal)
