"""Target group and workshops: per region how many have not started and how many started; the
autumn 2009 workshops and their invitation milestones as a timeline."""

import streamlit as st

from tilannekuva import charts, ui
from tilannekuva.formatting import format_date, format_n_of_N, format_period

view = ui.current_view()
st.title(view.t("page.target"))
st.markdown(view.t("target.intro"))
ui.counts_caption(view)

target = ui.table(view, "target_group")
alternative = [
    view.t(
        "target.text_alt",
        region=region,
        not_started=format_n_of_N(
            rows["plan_not_started"]["n"], rows["plan_not_started"]["responses"], view.lang
        ),
        started=format_n_of_N(
            rows["plan_started"]["n"], rows["plan_started"]["responses"], view.lang
        ),
    )
    for region, rows in ui.rows_by_region(target, "measure").items()
]
target_colours = {
    measure: charts.STATUS_COLOURS[measure] for measure in ("plan_not_started", "plan_started")
}
ui.show_chart(
    view,
    charts.share_bars(target, view.lang, target_colours, description=" ".join(alternative)),
    alternative,
)
ui.show_table(view, "target_group", target)

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
timeline_alt = [
    view.t(
        "target.timeline_text",
        label=view.t(f"milestone.{row['milestone']}"),
        period=format_period(row["period_start"], row["period_end"], row["precision"], view.lang),
    )
    for row in milestones.to_dict("records")
] + [
    view.t(
        "target.timeline_text",
        label=f"{view.t('milestone.workshop')}, {row['region']}",
        period=format_date(row["workshop_date"], view.lang),
    )
    for row in workshops.to_dict("records")
]
ui.show_chart(
    view,
    charts.timeline_chart(milestones, workshops, view.lang, description=" ".join(timeline_alt)),
    timeline_alt,
)
ui.show_table(view, "workshops", workshops)
ui.show_table(view, "workshop_milestones", milestones)
