"""Coverage and agreement: each municipality's best plan coverage, and whether municipality,
police and rescue agree where more than one answered."""

import streamlit as st

from tilannekuva.web import municipality_view, ui

view = ui.current_view()
st.title(view.t("page.municipalities"))

if ui.notice_unless_response_level(view):
    st.header(view.t("coverage.title"))
    st.markdown(view.t("coverage.intro"))
    st.caption(view.t("coverage.rule"))  # issue #7: coverage follows the plan's scope
    coverage = ui.table(view, "plan_coverage")
    summary = ui.coverage_summary(view, coverage)
    st.markdown("\n".join(f"- {ui.escape_markdown(line)}" for line in summary))
    ui.show_table(view, "plan_coverage", coverage)
    municipality_view.show_links(view, coverage)  # issue #7 item 4: each one's own page

    st.header(view.t("agreement.title"))
    st.markdown(view.t("agreement.intro"))
    agreement = ui.table(view, "respondent_agreement")
    agree = int(agreement["agree"].sum())
    st.caption(view.t("agreement.summary", agree=agree, disagree=len(agreement) - agree))
    ui.show_table(view, "respondent_agreement", agreement)
