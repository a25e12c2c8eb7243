"""The map (issue #18): the municipalities of the view coloured by a measure the reader picks,
the same figures as text beside it, and the table of the municipalities with links to their
pages (the keyboard's way to what a click on the map opens)."""

import streamlit as st

from tilannekuva import borders, map_chart
from tilannekuva.exports import file_word
from tilannekuva.filters import MEASURE_PARAM
from tilannekuva.web import municipality_view, ui

view = ui.current_view()
st.title(view.t("map.title"))
st.markdown(view.t("map.intro"))
ui.counts_caption(view)
frame = ui.table(view, "map_municipalities", total=False)
if frame.empty:
    st.info(view.t("map.no_rows"), icon=":material/info:")
    st.stop()

measures = map_chart.measures_of(frame)
names = {measure: map_chart.measure_name(frame, measure, view.lang) for measure in measures}
measure = st.selectbox(
    view.t("map.measure"),
    measures,
    format_func=lambda option: names.get(option, option),
    key=MEASURE_PARAM,  # its state comes from the address (filters.view_state)
)
rows = frame[frame["measure"] == measure]
regional = bool(rows["value"].isna().all())
# The year whose borders the map is drawn on: None for tiles (a fictional round, or a wave whose
# classification year is unknown or has no borders shipped).
year = map_chart.borders_year(rows)
if regional:
    st.caption(view.t("map.regional_note"))
if view.wave.fictional:
    st.caption(view.t("map.fictional_note"))
elif year is None:
    st.caption(view.t("map.no_borders"))

word = file_word(names[measure])
ui.show_figure(view, "map", mode=measure, detail=f"{view.t('file.figure_map')}_{word}")
if year is not None:
    st.caption(f"{view.t('map.attribution_heading')}: {borders.attribution(year, view.lang)}")

if regional:
    st.header(view.t("map.regions_table_title"))
    by_region = rows.drop_duplicates("region_code")
    ui.show_table(
        view,
        "map_municipalities",
        by_region,
        key=f"_{measure}_regions",
        detail=word,
        shown=("region", "n", "responses", "share"),
    )
st.header(view.t("map.table_title"))
ui.show_table(
    view,
    "map_municipalities",
    rows,
    key=f"_{measure}",
    detail=word,
    shown=("municipality_name", "region", "value_text")
    if not regional
    else ("municipality_name", "region"),
)
municipality_view.show_links(view, rows)
