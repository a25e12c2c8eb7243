"""Trends over waves (issue #7 item 6): one measure's share per region over every wave of the
selected wave's kind, a line only between waves of the same unit, the figures as text and the
whole trend as a table."""

import streamlit as st

from tilannekuva import trend_chart
from tilannekuva.web import store, ui

view = ui.current_view()
st.title(view.t("page.trends"))
st.markdown(view.t("trends.intro"))

trend = ui.table(view, "trends")
trend_waves = ui.table(view, "trend_waves")
# Titles are data: escaped, so a title stays text and never becomes markup.
titles = {
    wave: ui.escape_markdown(title) for wave, title in store.names(view.lang).wave_titles().items()
}
if left_out := trend_chart.left_out_note(trend_waves, titles, view.lang):
    st.info(left_out, icon=":material/info:")
if artu := trend_chart.artu_note(trend_waves, view.selection.artu, view.lang):
    st.caption(artu)

if trend.empty:
    st.info(view.t("trends.no_trend"), icon=":material/info:")
else:
    if trend["wave_id"].nunique() == 1:
        st.caption(view.t("trends.one_wave"))
    measures = list(dict.fromkeys(trend["measure"]))
    measure = st.segmented_control(
        view.t("trends.measure"),
        measures,
        format_func=lambda option: view.t(f"measure.{option}"),
        default=measures[0],
        required=True,
        key="trends_measure",
    )
    ui.show_figure(view, "trends", mode=measure)
    if trend["segment"].nunique() > 1:
        st.caption(view.t("trends.break_note"))
    st.caption(view.t("trends.kinds_note"))
    ui.show_table(view, "trends", trend)
st.header(view.t("table.trend_waves"))
ui.show_table(view, "trend_waves", trend_waves)
