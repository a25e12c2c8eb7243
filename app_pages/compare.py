"""Region comparison: plan status, council approval, publication and ARTU per region, with the
total, as charts, text and one table."""

import streamlit as st

from tilannekuva import charts, ui
from tilannekuva.formatting import format_count, format_n_of_N

view = ui.current_view()
st.title(view.t("page.compare"))
ui.counts_caption(view)

shares = ui.table(view, "measure_shares")
by_region = ui.rows_by_region(shares, "measure")


def share_text(region: str, measure: str) -> str:
    row = by_region[region][measure]
    return format_n_of_N(row["n"], row["responses"], view.lang)


st.header(view.t("compare.status_title"))
mode = st.segmented_control(
    view.t("compare.mode"),
    ["counts", "percent"],
    format_func=lambda option: view.t(f"compare.mode_{option}"),
    default="counts",
    required=True,
    key="compare_mode",
)
percent = mode == "percent"
status_rows = shares if percent else shares[shares["region_code"] != "total"]
status_alt = [
    view.t(
        "compare.text_alt_status",
        region=region,
        ready=share_text(region, "plan_ready"),
        started=share_text(region, "plan_started"),
        not_started=share_text(region, "plan_not_started"),
        N=format_count(rows["plan_ready"]["responses"], view.lang),
    )
    for region, rows in by_region.items()
]
ui.show_chart(
    view,
    charts.status_chart(status_rows, view.lang, percent=percent, description=" ".join(status_alt)),
    status_alt,
)

st.header(view.t("compare.measures_title"))
measures_alt = [
    view.t(
        "compare.text_alt_measures",
        region=region,
        approved=share_text(region, "council_approved"),
        published=share_text(region, "published"),
        artu=share_text(region, "artu_in_use"),
    )
    for region in by_region
]
ui.show_chart(
    view,
    charts.share_bars(
        shares, view.lang, charts.MEASURE_COLOURS, description=" ".join(measures_alt)
    ),
    measures_alt,
)

st.header(view.t("compare.table_title"))
ui.show_table(view, "region_status", ui.table(view, "region_status"))
st.header(view.t("table.measure_shares"))
ui.show_table(view, "measure_shares", shares)

if view.wave["level"] == "response":
    st.header(view.t("compare.unanswered_title"))
    st.caption(view.t("compare.unanswered_intro"))
    answers = ui.table(view, "yes_no_answers")
    key_items = ("council_approved", "published", "artu_in_use")
    key_answers = answers[answers["item"].isin(key_items)]
    ui.show_table(view, "yes_no_answers", key_answers, key="_key", detail=view.t("file.key_items"))

change = ui.table(view, "wave_change")
if not change.empty:
    st.header(view.t("compare.change_title"))
    st.caption(view.t("compare.change_intro", previous=change["previous_wave"].iloc[0]))
    ui.show_table(view, "wave_change", change)
