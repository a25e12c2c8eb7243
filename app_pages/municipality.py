"""One municipality (issue #7 item 4) as a profile (issue #21 item 1): first, in words, where it
stands in the wave shown — the plan's status and year, approved, published, ARTU, which ready plan
covers it, who of the troika answered, whether it is on the invitation list and why — and its path
across the rounds; then the tables, folded: its answers from the municipality, police and rescue
services in every wave of the same kind, side by side and following the mergers, and in the wave
shown the worklist's reasons, its coverage, its themes and partners and where the respondents
disagree. On a regional table, one line and links to the rounds that have its answers."""

from dataclasses import replace

import streamlit as st

from tilannekuva.filters import MUNICIPALITY_PARAM, ViewState
from tilannekuva.questionnaire import shipped_questionnaires
from tilannekuva.web import ui
from tilannekuva.web.municipality_view import (
    answered_lines,
    answered_rounds,
    disagreement_line,
    for_municipality,
    latest_rounds,
    municipality_view,
    path_line,
    profile_lines,
    register,
    rounds_caption,
    rounds_with_answers,
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
title = titles[view.wave.wave_id]
waves = for_municipality(view, "municipality_waves", code)
detail = view.t("file.municipality_part", code=code)

if not view.wave.response_level:
    # One line and the rounds that have answers about it: a regional table has nothing to show
    # per municipality, and a table of ".." says nothing (issue #21).
    answered = answered_rounds(waves)
    latest = latest_rounds(answered)
    links = rounds_with_answers(view, latest, titles, code)
    key = "municipality.regional_rounds" if links else "municipality.regional_no_rounds"
    st.info(view.t(key, wave=ui.escape_markdown(title), links=links), icon=":material/info:")
    note = rounds_caption(view, latest, answered)
    if note:
        st.caption(note)
    st.stop()

# The latest rounds of the path (ROUNDS_SHOWN); the table's downloads hold every round.
rounds = latest_rounds(waves)
rounds_note = rounds_caption(view, rounds, waves)

# The answer first (issue #21 item 1): where the municipality stands in the wave shown, then its
# path across the rounds; the tables follow, folded.
chosen = for_municipality(view, "municipalities", code)
coverage = for_municipality(view, "plan_coverage", code)
worklist = for_municipality(view, "worklist", code, before_year=before_year)
this_wave = waves[waves["wave_id"] == view.wave.wave_id]
st.subheader(ui.escape_markdown(view.t("municipality.profile_title", wave=title)))
lines = profile_lines(view, chosen, this_wave, coverage, worklist, before_year)
st.markdown("\n".join(f"- {line}" for line in lines))
st.subheader(view.t("municipality.path_title"))
path = path_line(view, rounds, titles)
st.markdown(
    f"{view.t('municipality.path_intro')} {path}" if path else view.t("municipality.path_none")
)
st.caption(ui.escape_markdown(disagreement_line(view, rounds, titles)))
if rounds_note:
    st.caption(rounds_note)

st.subheader(view.t("municipality.tables_title"))
with st.expander(view.t("municipality.waves_title")):
    st.markdown(view.t("municipality.waves_intro"))
    st.markdown(
        "\n".join(f"- {ui.escape_markdown(line)}" for line in answered_lines(view, rounds, titles))
    )
    if rounds_note:
        st.caption(rounds_note)
    ui.show_table(named, "municipality_waves", rounds, detail=detail, whole=waves)
with st.expander(view.t("municipality.answers_title")):
    answers = for_municipality(view, "municipality_answers", code)
    if answers.empty:
        st.markdown(view.t("municipality.answers_none"))
    else:
        ui.show_table(named, "municipality_answers", answers, detail=detail)
if not worklist.empty:
    with st.expander(view.t("municipality.worklist_title")):
        year_detail = view.t("file.before_year", year=before_year)
        ui.show_table(named, "worklist", worklist, detail=f"{detail}_{year_detail}")
if not coverage.empty and (not chosen.empty or coverage.iloc[0]["coverage"] != "not_answered"):
    with st.expander(view.t("municipality.coverage_title")):
        st.caption(view.t("coverage.rule"))
        ui.show_table(named, "plan_coverage", coverage, detail=detail)
if chosen.empty:
    st.stop()
with st.expander(view.t("municipality.themes_title")):
    themes = for_municipality(view, "themes_partners_by_municipality", code)
    ui.show_table(named, "themes_partners_by_municipality", themes, detail=detail)
with st.expander(view.t("municipality.agreement_title")):
    agreement = for_municipality(view, "respondent_agreement", code)
    if agreement.empty:
        st.markdown(view.t("municipality.agreement_one"))
    else:
        ui.show_table(named, "respondent_agreement", agreement, detail=detail)
# The questions of the wave's questionnaire that are not core measures (issue #16).
questionnaire = shipped_questionnaires().get(view.wave.questionnaire)
if questionnaire is not None and questionnaire.other_questions:
    with st.expander(view.t("questions.municipality_title")):
        others = for_municipality(view, "municipality_other_answers", code)
        ui.show_table(named, "municipality_other_answers", others, detail=detail)
