"""Other questions ("Muut kysymykset", issue #16): the questions of the wave's questionnaire that
are not core measures, their shares per region and in total with n/N, and across rounds where an
earlier round asked the same question with the same meaning."""

import streamlit as st

from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.web import ui

view = ui.current_view()
st.title(view.t("page.questions"))
st.markdown(view.t("questions.intro"))

if not ui.notice_unless_response_level(view):
    st.stop()
questionnaire = shipped_questionnaires().get(view.wave.questionnaire)
if questionnaire is None:
    st.info(view.t("questions.no_questionnaire"), icon=":material/info:")
    st.stop()
title = questionnaire.title[view.lang]  # a proposed one's title says so ("(ehdotus)")
st.caption(ui.escape_markdown(view.t("questionnaire.of_wave", title=title)))
if not questionnaire.other_questions:
    st.info(view.t("questions.none"), icon=":material/info:")
    st.stop()
if not ui.notice_unless_answers(view):
    st.stop()

st.header(view.t("questions.shares_title"))
st.caption(view.t("questions.rule"))
ui.show_figure(view, "other_answers")
ui.show_table(view, "other_answers", ui.table(view, "other_answers"))

st.header(view.t("questions.trends_title"))
trend = ui.table(view, "other_trends")
if trend["wave_id"].nunique() < 2:
    st.caption(view.t("questions.no_trend"))
else:
    st.caption(view.t("questions.trend_rule"))
    ui.show_table(view, "other_trends", trend)
