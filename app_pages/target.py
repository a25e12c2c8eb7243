"""Target group and workshops: per region how many have not started and how many started; the
autumn 2009 workshops and their invitation milestones as a timeline."""

import streamlit as st

from tilannekuva.web import ui

view = ui.current_view()
st.title(view.t("page.target"))
st.markdown(view.t("target.intro"))
ui.counts_caption(view)
ui.artu_base_caption(view)

ui.show_figure(view, "target")
ui.show_table(view, "target_group", ui.table(view, "target_group"))

st.header(view.t("target.workshops_title"))
audience, agenda = st.columns(2)
audience.markdown(f"**{view.t('target.audience_title')}**")
audience.markdown(f"- {view.t('target.audience_experts')}\n- {view.t('target.audience_partners')}")
agenda.markdown(f"**{view.t('target.agenda_title')}**")
agenda.markdown(
    "\n".join(f"- {view.t(f'target.agenda_{item}')}" for item in ("practices", "artu", "groups"))
)

milestones = ui.table(view, "workshop_milestones")
workshops = ui.table(view, "workshops")
if milestones.empty and workshops.empty:  # this wave has no workshop calendar: draw nothing
    st.stop()
st.header(view.t("target.timeline_title"))
# Whom to invite: the worklist of the same view (issue #21 item 3).
ui.link_to_page(view, "worklist.py", view.t("target.to_worklist"))
ui.show_figure(view, "timeline")
ui.show_table(view, "workshops", workshops)
ui.show_table(view, "workshop_milestones", milestones)
