"""One municipality (issue #7 item 4): its answers from the municipality, police and rescue
services in every wave of the same kind, side by side and following the mergers; whether it
answered in each wave; and in the selected wave the worklist's reasons, its coverage by a ready
plan, its themes and partners and where the respondents disagree."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from tilannekuva.filters import MUNICIPALITY_PARAM, ViewState
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.web import ui
from tilannekuva.web.municipality_view import (
    answered_lines,
    disagreement_line,
    for_municipality,
    municipality_view,
    register,
    wave_titles,
)

# The ARTU filter narrows lists of municipalities; this page shows one municipality whole (its
# answers in every wave), so its tables and downloads are not narrowed.
current = ui.current_view()
view = replace(current, selection=replace(current.selection, artu="all"))
state = st.session_state.get(ui.VIEW_STATE)
before_year = state.before_year if isinstance(state, ViewState) else view.selection.before_year
st.title(view.t("page.municipality"))
st.markdown(view.t("municipality.intro"))

listed = register(view.selection.wave, view.selection.regions, view.lang)
if listed.empty:
    st.info(view.t("municipality.none"), icon=":material/info:")
    st.stop()
names = dict(zip(listed["municipality_code"], listed["municipality_name"], strict=True))
code = st.selectbox(
    view.t("municipality.picker"),
    list(names),
    format_func=lambda option: view.t("municipality.option", name=names[option], code=option),
    help=view.t("municipality.picker_help"),
    key=MUNICIPALITY_PARAM,  # its state comes from the address (filters.view_state)
)
row = listed[listed["municipality_code"] == code].iloc[0]
# Names and titles are data: escaped, so a name stays text and never becomes a link or markup.
heading = view.t("municipality.heading", name=names[code], code=code, region=row["region"])
st.header(ui.escape_markdown(heading))
year = view.wave.classification_year
if year is None:
    st.caption(view.t("municipality.register_none"))
else:
    kind = "fictional" if view.wave.fictional else "real"
    st.caption(view.t(f"municipality.register_{kind}", year=year))
if current.selection.artu != "all":
    st.caption(view.t("municipality.artu_note"))
# Downloads name the municipality (file name and the .xlsx About sheet); the tables themselves
# are read for the wave and regions, so a change of municipality reuses the cached tables.
named = municipality_view(view, code, names[code])
titles = wave_titles(view.lang)
if not view.wave.response_level:
    regional = view.t("municipality.regional_wave", wave=titles[view.wave.wave_id])
    st.info(ui.escape_markdown(regional), icon=":material/info:")

st.subheader(view.t("municipality.waves_title"))
st.markdown(view.t("municipality.waves_intro"))
waves = for_municipality(view, "municipality_waves", code)
st.markdown(
    "\n".join(f"- {ui.escape_markdown(line)}" for line in answered_lines(view, waves, titles))
)
st.caption(ui.escape_markdown(disagreement_line(view, waves, titles)))
detail = view.t("file.municipality_part", code=code)
ui.show_table(named, "municipality_waves", waves, detail=detail)

st.subheader(view.t("municipality.answers_title"))
answers = for_municipality(view, "municipality_answers", code)
if answers.empty:
    st.info(view.t("municipality.answers_none"), icon=":material/info:")
else:
    ui.show_table(named, "municipality_answers", answers, detail=detail)


def show_coverage(coverage: pd.DataFrame) -> None:
    """Which ready plan covers the municipality: its own, its sub-region's or its region's, also
    where nobody answered about it (issue #16)."""
    st.subheader(view.t("municipality.coverage_title"))
    st.caption(view.t("coverage.rule"))
    first = coverage.iloc[0]
    if first["coverage"] in ("none", "not_answered"):
        st.markdown(view.t(f"municipality.coverage_{first['coverage']}"))
    else:
        st.markdown(
            ui.escape_markdown(
                view.t(
                    "municipality.coverage_by",
                    coverage=view.t(f"coverage.{first['coverage']}"),
                    plan=first["covered_by"],
                    code=first["covered_by_code"],
                )
            )
        )
    ui.show_table(named, "plan_coverage", coverage, detail=detail)


if view.wave.response_level:
    this_wave = view.t("municipality.this_wave_title", wave=titles[view.wave.wave_id])
    st.header(ui.escape_markdown(this_wave))
    # The same tables as the worklist, coverage and themes pages, narrowed to this municipality:
    # one rule each, never a copy.
    coverage = for_municipality(view, "plan_coverage", code)
    if for_municipality(view, "municipalities", code).empty:
        st.info(view.t("municipality.no_answer_this_wave"), icon=":material/info:")
        # A wider plan may still cover it (coverage lists every municipality of the area).
        if not coverage.empty and coverage.iloc[0]["coverage"] != "not_answered":
            show_coverage(coverage)
        st.stop()
    st.subheader(view.t("municipality.worklist_title"))
    worklist = for_municipality(view, "worklist", code, before_year=before_year)
    if worklist.empty:
        st.markdown(view.t("municipality.worklist_none", year=before_year))
    else:
        reasons = ", ".join(view.t(f"reason.{r}") for r in worklist["reasons"].iloc[0].split(";"))
        st.markdown(view.t("municipality.worklist_reasons", reasons=reasons, year=before_year))
        year_detail = view.t("file.before_year", year=before_year)
        ui.show_table(named, "worklist", worklist, detail=f"{detail}_{year_detail}")

    show_coverage(coverage)

    st.subheader(view.t("municipality.themes_title"))
    themes = for_municipality(view, "themes_partners_by_municipality", code)
    ui.show_table(named, "themes_partners_by_municipality", themes, detail=detail)

    st.subheader(view.t("municipality.agreement_title"))
    agreement = for_municipality(view, "respondent_agreement", code)
    if agreement.empty:
        st.markdown(view.t("municipality.agreement_one"))
    else:
        ui.show_table(named, "respondent_agreement", agreement, detail=detail)

    # The questions of the wave's questionnaire that are not core measures (issue #16).
    questionnaire = shipped_questionnaires().get(view.wave.questionnaire)
    if questionnaire is not None and questionnaire.other_questions:
        st.subheader(view.t("questions.municipality_title"))
        others = for_municipality(view, "municipality_other_answers", code)
        ui.show_table(named, "municipality_other_answers", others, detail=detail)
