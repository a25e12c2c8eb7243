"""Worklist (kohdekunnat): the municipalities to invite to the workshops, each with its reasons
and its region's workshop, downloadable as an invitation list. The answer first (issue #21): how
many, per region with the day of its workshop, and the invitation steps; then the list, each name
linking to the municipality's page."""

import streamlit as st

from tilannekuva.filters import YEAR_KEY, YEAR_RANGE
from tilannekuva.formatting import format_date, format_period
from tilannekuva.web import municipality_view, ui

view = ui.current_view()
st.title(view.t("page.worklist"))
st.markdown(view.t("worklist.intro"))

if ui.notice_unless_response_level(view):
    before_year = st.number_input(
        view.t("worklist.year"),
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
        step=1,
        help=view.t("worklist.year_help"),
        key=YEAR_KEY,  # its state comes from the address (filters.view_state), so no value here
    )
    worklist = ui.table(view, "worklist", before_year=int(before_year))
    municipalities = ui.table(view, "municipalities")
    st.markdown(view.t("worklist.count", n=len(worklist), total=len(municipalities)))
    lines = []
    for region, rows in worklist.groupby("region", sort=False):
        day = rows["workshop_date"].iloc[0]
        workshop = (
            view.t("worklist.region_workshop", date=format_date(day, view.lang))
            if rows["workshop_date"].notna().iloc[0]
            else view.t("worklist.region_no_workshop")
        )
        line = view.t("worklist.region_line", region=region, n=len(rows), workshop=workshop)
        lines.append(f"- {ui.escape_markdown(line)}")
    st.markdown("\n".join(lines))
    milestones = ui.table(view, "workshop_milestones")
    if not milestones.empty:
        steps = [
            view.t(
                "target.timeline_text",
                label=view.t(f"milestone.{row.milestone}"),
                period=format_period(row.period_start, row.period_end, row.precision, view.lang),
            )
            for row in milestones.itertuples(index=False)
        ]
        st.markdown(view.t("worklist.invitations", steps=" → ".join(steps)))
        ui.link_to_page(view, "target.py", view.t("worklist.to_target"))
    ui.show_table(
        view, "worklist", worklist, detail=view.t("file.before_year", year=int(before_year))
    )
    municipality_view.show_links(view, worklist)  # issue #7 item 4: each one's own page
