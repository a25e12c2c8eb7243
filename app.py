"""Turvallisuussuunnittelun tilannekuva — the entry point.

Page configuration, the shared sidebar (language, survey wave, regions, all kept in the page
address), and st.navigation. Pages live in app_pages/ and only arrange what tilannekuva gives them.

Why app_pages/ and not pages/: Streamlit treats a folder named ``pages`` beside the entry script
as a legacy (v1) multipage app until st.navigation has run once in the process, so the first
visitor of a deep link such as /compare on a freshly started server would get that page without
this script (no sidebar, no filters) and an error. Seen with Streamlit 1.67
(PagesManager.uses_pages_directory).
"""

from __future__ import annotations

import logging

import streamlit as st

from tilannekuva.config import configure_logging, data_dir
from tilannekuva.db import DataFileError
from tilannekuva.filters import (
    ARTU_FILTERS,
    ARTU_PARAM,
    LANG_PARAM,
    MEASURE_PARAM,
    MUNICIPALITY_PARAM,
    REGION_PARAM,
    WAVE_PARAM,
    Choices,
    dropped_notice,
    parse_view_state,
    to_query_params,
    view_state,
    widget_values,
)
from tilannekuva.i18n import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGES, t
from tilannekuva.page_list import PAGES
from tilannekuva.tables import Selection
from tilannekuva.web import assets, internals, store
from tilannekuva.web.municipality_view import known_codes
from tilannekuva.web.ui import VIEW_STATE, escape_markdown, page

LOG = logging.getLogger("tilannekuva.app")
WIDGETS_LANG = "widgets_lang"  # the language the widgets' states were last written in
# Page widgets outside the view state whose options are shown in the UI language.
TRANSLATED_PAGE_WIDGETS = ("respondents_type", "data_table")

st.set_page_config(
    page_title=t(DEFAULT_LANG, "app.title"),
    page_icon=__file__.removesuffix("app.py") + "static/favicon.svg",  # shipped, nothing fetched
    layout="wide",
)

configure_logging()
# A widget state the browser sent that Streamlit cannot read is ignored instead of
# failing every later run of the session (issue #22 item 7: see internals for the cause).
internals.contain_unreadable_widget_states()
try:
    unavailable = store.database().unavailable
except DataFileError as error:
    # A missing or damaged shared file: the details (file, folder, what DuckDB said, which may
    # quote the file) go to the server log and `python -m tilannekuva check`; visitors get a
    # plain message in the address's language (issue #10).
    LOG.error("the data cannot be loaded: %s: %s: %s", data_dir(), error.file, error.problem)
    lang = parse_view_state(st.query_params.get_all, [], []).lang
    st.title(t(lang, "error.data_title"))
    st.error(t(lang, "error.data_unavailable"))
    st.stop()

names = store.names(DEFAULT_LANG)
wave_ids = list(names.wave_ids)
response_waves = names.response_waves
region_codes = list(names.region_codes)
if not wave_ids:
    st.error(t(DEFAULT_LANG, "error.no_waves"))
    st.stop()

# The first run of a session takes the view from the address; later runs from the widgets. Both
# go through one function that checks every key and type (a tampered websocket message may send
# a number, or leave the widgets out: they fall back to the defaults).
first_run = "address_read" not in st.session_state
state = view_state(
    st.session_state,
    st.query_params.get_all if first_run else None,
    Choices(
        wave_ids, region_codes, response_waves, known_codes, names.wave_regions, store.map_measures
    ),
)
if first_run:
    st.session_state["address_dropped"] = state.dropped
    st.session_state["address_read"] = True
# The browser keeps a choice widget's value as the text it shows (Streamlit 1.67 sends back a
# selectbox's, multiselect's, radio's or segmented control's formatted option, not the option).
# After a language change that text is no longer among the options: the browser showed an empty
# wave, and the next click sent the old text, which set the wave back to the default and dropped
# the regions. Writing every widget's state on the run that changes the language makes Streamlit
# send each widget its value as shown in the new language.
relabel = st.session_state.get(WIDGETS_LANG) != state.lang
# Their options are text; anything else (a tampered message) is not written back.
page_widgets = {
    key: st.session_state[key]
    for key in TRANSLATED_PAGE_WIDGETS
    if relabel and isinstance(st.session_state.get(key), str)
}
for key, value in {**widget_values(state), **page_widgets}.items():
    if relabel or st.session_state.get(key) != value:
        if key in st.session_state:
            # Drop the old state whole: Streamlit keeps the type a tampered value came in with
            # (an int for a selectbox) and would raise serialising the corrected value into it.
            del st.session_state[key]
        st.session_state[key] = value
if not state.municipality:
    # None chosen (or no longer a choice): the municipality picker starts at its first option.
    st.session_state.pop(MUNICIPALITY_PARAM, None)
if not state.measure:
    st.session_state.pop(MEASURE_PARAM, None)  # the map's measure picker: the same
st.session_state[WIDGETS_LANG] = state.lang
st.session_state[VIEW_STATE] = state  # what ui.current_view gives the pages
artu_applies = state.wave in response_waves

lang = state.lang
# The page's language on <html> (WCAG 3.1.1), tables that scroll sideways reachable by keyboard
# (WCAG 2.1.1) and the table and heading styles of issue #8: static/app.js and static/app.css.
st.html(assets.script_html(lang), unsafe_allow_javascript=True)
st.html(assets.style_html())
names = store.names(lang)
wave_titles = names.wave_titles()
region_names = names.region_names

# The pages' links, above the filters as Streamlit's own navigation would be; filled once the
# pages are made (below).
page_links = st.sidebar.container()
with st.sidebar:
    st.selectbox(
        t(lang, "sidebar.language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        key=LANG_PARAM,
    )
    st.selectbox(
        t(lang, "sidebar.wave"),
        wave_ids,
        format_func=wave_titles.__getitem__,
        key=WAVE_PARAM,
    )
    st.multiselect(
        t(lang, "sidebar.regions"),
        names.regions_of(state.wave),
        format_func=region_names.__getitem__,
        placeholder=t(lang, "sidebar.regions_placeholder"),
        help=t(lang, "sidebar.regions_help"),
        key=REGION_PARAM,
        # Streamlit's "Select all" option is English in every language (issue #21); choosing
        # no region already means the wave's whole area, as the placeholder says.
        select_all=False,
    )
    if artu_applies:
        st.radio(
            t(lang, "sidebar.artu"),
            ARTU_FILTERS,
            format_func=lambda option: t(lang, f"artu_filter.{option}"),
            help=t(lang, "sidebar.artu_help"),
            key=ARTU_PARAM,
        )
    else:
        # Not a disabled widget: its faded label would fail contrast, and it could do nothing.
        st.caption(f"{t(lang, 'sidebar.artu')}: {t(lang, 'sidebar.artu_help_region')}")

view_address = to_query_params(state)
st.query_params.from_dict(view_address)

notice = dropped_notice(st.session_state.pop("address_dropped", ()))
if notice is not None:
    values, more = notice
    st.warning(
        t(lang, "notice.dropped_values", values=values)
        + (t(lang, "notice.dropped_more", n=more) if more else ""),
        icon=":material/link_off:",
    )
if internals.took_unreadable_widget_state():
    st.warning(t(lang, "notice.widget_ignored"), icon=":material/link_off:")
if unavailable:
    # Which waves are missing, never why: the reason may quote the file (server log, CLI check).
    st.warning(
        t(lang, "notice.wave_unavailable", waves=", ".join(w.wave for w in unavailable)),
        icon=":material/error:",
    )
if names.by_id[state.wave].fictional:
    st.warning(t(lang, "banner.fictional"), icon=":material/science:")
if state.artu != "all":
    artu_filter = t(lang, f"artu_filter.{state.artu}")
    st.info(t(lang, "banner.artu_filtered", filter=artu_filter), icon=":material/filter_alt:")

# The view in one line in the main area: which survey and year, regions and ARTU filter. The
# sidebar truncates the wave's title and is closed on a phone (issue #8).
# The area by its name, as the total rows name it (issue #16): "Itä-Suomi", "Pohjois-Karjala".
area = store.area(Selection(state.wave, state.regions, lang))
summary = [wave_titles[state.wave], area.name]
if artu_applies:
    summary.append(t(lang, "sidebar.filters_artu", artu=t(lang, f"artu_filter.{state.artu}")))
st.caption(
    escape_markdown(t(lang, "sidebar.filters_summary", parts=" · ".join(summary))),
    help=t(lang, "sidebar.regions_help"),
)

# The pages, in the navigation's order (tilannekuva/page_list.py): the address is the same in every
# language, so a copied link works whatever the reader's language.
pages = [
    page(
        f"app_pages/{listed.file}",
        title=t(lang, listed.title),
        icon=listed.icon,
        url_path=listed.address,
        default=not listed.address,
    )
    for listed in PAGES
]
navigation = st.navigation(pages, position="hidden")
# Our own links instead of Streamlit's navigation: each carries the view (language, wave,
# regions, filters) in its address, so a page opened in a new tab, bookmarked or copied from the
# sidebar shows the same view; Streamlit's links were bare ("/compare"), and a new tab fell back
# to the default view. They also list every page: Streamlit's folded the last four behind a
# "View 4 more" that was English in every language.
with page_links:
    for listed in pages:
        st.page_link(listed, query_params=view_address)
# The pages that show nothing on a regional table are named in the sidebar under the filters,
# so the navigation says which pages need response-level data (issue #8). Not as st.navigation
# sections: Streamlit 1.67 renders those as a list holding non-list items (axe: list, listitem).
if not artu_applies:
    needing = ", ".join(t(lang, listed.title) for listed in PAGES if listed.response_level)
    st.sidebar.caption(t(lang, "sidebar.nav_response_note", pages=needing))
# The browser tab says the page and the app in the UI language ("Page — app").
st.set_page_config(
    page_title=t(lang, "app.tab_title", page=navigation.title, app=t(lang, "app.title"))
)
navigation.run()
