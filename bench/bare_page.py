"""The floor: a bare Streamlit page with the same kinds of elements as the dashboard's pages — a
sidebar with three widgets, two Altair charts, two tables, four download buttons — and no work of
its own beyond building them from a small frame on every run, as Streamlit's own examples do."""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="bare", layout="wide")

with st.sidebar:
    lang = st.selectbox("Language", ["fi", "sv", "en"], key="lang")
    wave = st.selectbox("Wave", ["2009", "2010"], key="wave")
    regions = st.multiselect("Regions", ["10", "11", "12"], key="region")

frame = pd.DataFrame(
    {
        "region": ["Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala"],
        "ready": [6, 9, 1],
        "started": [7, 3, 4],
        "not_started": [4, 1, 9],
    }
)
long = frame.melt("region", var_name="status", value_name="n")

st.title(f"Bare page {lang} {wave} {','.join(regions)}")
for number, (table, kind) in enumerate(((frame, "bar"), (long, "stacked"))):
    if kind == "bar":
        chart = alt.Chart(frame).mark_bar().encode(x="ready:Q", y="region:N")
    else:
        chart = alt.Chart(long).mark_bar().encode(x="n:Q", y="region:N", color="status:N")
    st.altair_chart(chart, width="stretch")
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button("Excel (fi)", table.to_csv(sep=";"), f"t{number}.csv", key=f"x{number}")
    st.download_button("CSV", table.to_csv(), f"t{number}_utf8.csv", key=f"c{number}")
