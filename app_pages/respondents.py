"""Who answered, who did not (issue #7 item 3): per region and respondent type, the municipalities
answered of those expected (the register of the wave's classification year), and the chase list
of those not answered."""

import streamlit as st

from tilannekuva.web import municipality_view, ui

RESPONDENT_TYPES = ("any", "municipality", "police", "rescue")

view = ui.current_view()
st.title(view.t("page.respondents"))

if ui.notice_unless_response_level(view):
    year = view.wave.classification_year
    if year is None:
        # No register year: who should have answered is unknown, not "nobody". The answered
        # counts stand; expected, the share and the chase list are unknown.
        st.info(view.t("respondents.no_year", wave=view.wave.wave_id), icon=":material/info:")
    else:
        st.markdown(view.t("respondents.intro", year=year))
        if view.wave.fictional:
            st.caption(view.t("respondents.fictional_register"))
    st.header(view.t("table.respondents"))
    ui.show_table(view, "respondents", ui.table(view, "respondents"))
    if year is None:
        st.stop()

    st.header(view.t("table.non_respondents"))
    st.markdown(view.t("respondents.chase_intro"))
    chosen = st.selectbox(
        view.t("col.respondent_type"),
        RESPONDENT_TYPES,
        format_func=lambda kind: view.t(f"respondent.{kind}"),
        key="respondents_type",
    )
    missing = ui.table(view, "non_respondents")
    part = missing[missing["respondent_type"] == chosen].reset_index(drop=True)
    st.caption(view.t("respondents.chase_count", n=len(part)))
    ui.show_table(view, "non_respondents", part, detail=chosen)
    municipality_view.show_links(view, part)  # issue #7 item 4: each one's own page
