"""Overview: the headline figures of the selected wave and regions, the survey, the data notes."""

import streamlit as st

from tilannekuva import key_figure_change
from tilannekuva.formatting import format_count, format_percent_value, format_share, is_unknown
from tilannekuva.provenance import wave_source_text
from tilannekuva.web import download_buttons, store, ui

MAX_LISTED_REGIONS = 6  # an AVI area's regions are listed, all of Finland's are not

view = ui.current_view()
st.title(view.t("app.title"))
# The area of the view (issue #16); a named area of a few regions lists them too.
area = view.area.name
if view.area.named and 1 < len(view.region_codes) <= MAX_LISTED_REGIONS:
    names = store.names(view.lang).region_names
    listed = ", ".join(names[code] for code in view.region_codes)
    area = view.t("app.area_with_regions", area=area, regions=listed)
st.caption(ui.escape_markdown(view.t("app.subtitle", area=area)))
download_buttons.meeting_pack(view)

st.header(view.t("overview.key_figures"))
if not ui.notice_unless_answers(view):
    st.stop()
ui.artu_base_caption(view)
key_figures = ui.table(view, "key_figures")
changes = ui.table(view, "key_figure_change")
titles = store.names(view.lang).wave_titles()
deltas = key_figure_change.metric_deltas(changes, view.lang, titles)
# N of a response-level wave is municipalities, of a regional table responses: said as such.
help_key = "overview.metric_help_response" if view.wave.response_level else "overview.metric_help"
few = key_figures["few_answers"].fillna(False).astype(bool)
columns = st.columns(len(key_figures))
for column, row, small in zip(columns, key_figures.to_dict("records"), few, strict=True):
    unknown = is_unknown(row["share"])
    delta = deltas.get(row["measure"])
    column.metric(
        view.t(f"measure.{row['measure']}"),
        format_share(row["share"], view.lang, decimals=1),
        delta=delta.text if delta else None,
        delta_arrow=delta.arrow if delta else "auto",
        border=True,
    )
    base = view.t(
        help_key, n=format_count(row["n"], view.lang), N=format_count(row["responses"], view.lang)
    )
    # A share over fewer than 5 answers carries the mark under its figure, as on the comparison
    # (issue #8); the mark's meaning follows the row once.
    if small:
        base = f"{base} **{ui.escape_markdown(view.t('few_answers.mark'))}**"
    column.caption(view.t("overview.metric_unknown") if unknown else base)
    if delta:
        column.caption(delta.caption)
if few.any():
    st.caption(view.t("few_answers.text"))
year_known = view.wave.year is not None
if note := key_figure_change.change_note(changes, view.lang, titles, year_known=year_known):
    st.caption(note)
ui.show_table(view, "key_figures", key_figures)

# Where the plans are (issue #18): the map of the first measure, the map page for the others.
if measures := store.map_measures(view.selection.wave):
    st.header(view.t("overview.map_title"))
    ui.show_figure(view, "map", mode=measures[0], detail=view.t("file.figure_map"))
    ui.link_to_page(view, "map.py", view.t("overview.to_map"))

st.header(view.t("overview.metadata"))
targets = ", ".join(view.t(f"target.{group}") for group in view.wave.target_group.split(";"))
rate = view.wave.response_rate_percent
if view.wave.response_level:
    intro = view.t("overview.intro_response", target=ui.escape_markdown(targets))
elif rate is None:
    intro = view.t("overview.intro_no_rate", target=ui.escape_markdown(targets))
else:
    rate_text = format_percent_value(rate, view.lang)
    intro = view.t("overview.intro", target=ui.escape_markdown(targets), rate=rate_text)
st.markdown(intro)
# Unknowns in words ("not known"), never "None" or a bare ".." (issue #8); a response file's path
# is said as what it is, by its name only.


def known_or_words(year: int | None) -> str:
    return view.t("overview.not_known") if year is None else str(year)


if rate is not None:
    rate_text = format_percent_value(rate, view.lang)
elif view.wave.response_level:
    rate_text = view.t("overview.rate_not_computable")
else:
    rate_text = view.t("overview.not_known")
wave = view.wave
source = wave_source_text(wave.level, wave.fictional, wave.wave_id, wave.source, view.lang)
st.markdown(
    "\n".join(
        f"- **{view.t(f'col.{field}')}:** {ui.escape_markdown(value)}"
        for field, value in (
            ("title", view.wave.title),
            ("year", known_or_words(view.wave.year)),
            # issue #7: which year's municipality codes the wave follows
            ("classification_year", known_or_words(view.wave.classification_year)),
            ("response_rate_percent", rate_text),
            ("level", view.t(f"level.{view.wave.level}")),
            ("source", source),
        )
    )
)

st.header(view.t("overview.notes"))
notes = ui.table(view, "data_notes")
if view.wave.level == "response":
    st.info(view.t("data.counting_rules"), icon=":material/calculate:")
elif notes.empty:
    st.caption(view.t("overview.no_notes"))
if not notes.empty:
    # One box, one line per cell the notes are about.
    st.info(
        "\n".join(
            f"- **{ui.escape_markdown(note['region'])} – "
            f"{view.t('measure.' + note['measure'])}:** {ui.escape_markdown(note['note'])}"
            for note in notes.to_dict("records")
        ),
        icon=":material/info:",
    )
