"""The view's state in the page address: ``?lang=sv&wave=2009&region=10&region=12&artu=in_use``,
the page options ``mode=percent`` (the comparison), ``before=2004`` (the worklist) and
``measure=coverage`` (the map, issue #18), and the municipality of the municipality page
``municipality=491`` (issue #7 item 4).

A copied link reproduces the view. Unknown values are dropped and reported so the page can say so
(issue #2); they never raise. :func:`view_state` is the one place the view is made, from the
address on a session's first run and from the sidebar's widget states after that; a widget state
that is missing, of the wrong type or unknown (a tampered websocket message, issue #10) falls back
to the default.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from tilannekuva.i18n import DEFAULT_LANG, LANGUAGES

LANG_PARAM = "lang"
WAVE_PARAM = "wave"
REGION_PARAM = "region"
ARTU_PARAM = "artu"
ARTU_FILTERS = ("all", "in_use", "not_in_use")
# Page options kept in the address too (issue #8): the comparison's counts/percent mode and the
# worklist's year limit. Their widgets' keys differ from the parameters' names.
MODE_PARAM = "mode"
MODES = ("counts", "percent")
MODE_KEY = "compare_mode"
YEAR_PARAM = "before"
YEAR_KEY = "worklist_year"
YEAR_RANGE = (1990, 2100)
DEFAULT_YEAR = 2005  # tables.DEFAULT_OLD_PLAN_YEAR (kept apart: filters needs no database)
# The municipality page's municipality: a code of the wave's register in the selected regions;
# the parameter and its widget share the name. Empty = none chosen (the page shows the first).
MUNICIPALITY_PARAM = "municipality"
MunicipalityCodes = Callable[[str, tuple[str, ...]], Collection[str]]
MUNICIPALITY_PAGE = "municipality"  # the municipality page's address (page_list.PAGES)
# The map's measure (issue #18): a measure the map of the wave can colour by; the parameter and
# its widget share the name. Empty = none chosen (the map shows its first).
MEASURE_PARAM = "measure"
MeasureIds = Callable[[str], Collection[str]]


def municipality_address(lang: str, wave: str, code: str, regions: tuple[str, ...] = ()) -> str:
    """The municipality page's address for one municipality, relative to the app's root, with the
    view's language, wave and regions (a link opened in a new tab keeps the view)."""
    params: list[tuple[str, str]] = [(LANG_PARAM, lang), (WAVE_PARAM, wave)]
    params += [(REGION_PARAM, region) for region in regions]
    params.append((MUNICIPALITY_PARAM, code))
    return f"{MUNICIPALITY_PAGE}?{urlencode(params)}"


def no_municipalities(wave: str, regions: tuple[str, ...]) -> Collection[str]:
    """What a view knows when it is not told the municipalities: none (every code is dropped)."""
    return ()


@dataclass(frozen=True)
class ViewState:
    lang: str
    wave: str
    regions: tuple[str, ...]
    artu: str = "all"
    dropped: tuple[tuple[str, str], ...] = field(default=())  # (parameter, value) pairs
    mode: str = "counts"
    before_year: int = DEFAULT_YEAR
    municipality: str = ""
    measure: str = ""  # the map's (issue #18)


def no_measures(wave: str) -> Collection[str]:
    """What a view knows when it is not told the map's measures: none (every one is dropped)."""
    return ()


def parse_view_state(
    get_all: Callable[[str], Sequence[str]],
    waves: Sequence[str],
    regions: Sequence[str],
    municipalities: MunicipalityCodes = no_municipalities,
    wave_regions: Mapping[str, Sequence[str]] | None = None,
    measures: MeasureIds = no_measures,
) -> ViewState:
    """Read the address through ``get_all`` (``st.query_params.get_all``). The first valid value of
    ``lang``, ``wave``, ``artu`` and ``municipality`` wins; every other value of them, and every
    unknown region, is dropped and reported. With no valid value: Finnish, the first wave given
    (the newest real one), all regions, no ARTU filter, no municipality. ``municipalities`` gives
    the known codes of a wave and regions; it is asked only when the address names one.
    ``wave_regions`` gives each wave's own regions (issue #16): a region the chosen wave was not
    sent to is dropped like an unknown one."""
    dropped: list[tuple[str, str]] = []

    def first_valid(param: str, allowed: Sequence[str], default: str) -> str:
        chosen = None
        for value in get_all(param):
            if chosen is None and value in allowed:
                chosen = value
            elif value != chosen:
                dropped.append((param, value))
        return chosen if chosen is not None else default

    lang = first_valid(LANG_PARAM, LANGUAGES, DEFAULT_LANG)
    wave = first_valid(WAVE_PARAM, waves, waves[0] if waves else "")
    regions = regions_of_wave(regions, wave_regions, wave)
    chosen_regions: list[str] = []
    for value in get_all(REGION_PARAM):
        if value in regions:
            if value not in chosen_regions:
                chosen_regions.append(value)
        else:
            dropped.append((REGION_PARAM, value))
    ordered = tuple(code for code in regions if code in chosen_regions)
    artu = first_valid(ARTU_PARAM, ARTU_FILTERS, "all")
    mode = first_valid(MODE_PARAM, MODES, "counts")
    years = [str(year) for year in range(YEAR_RANGE[0], YEAR_RANGE[1] + 1)]
    before_year = int(first_valid(YEAR_PARAM, years, str(DEFAULT_YEAR)))
    named = get_all(MUNICIPALITY_PARAM)
    known = municipalities(wave, ordered) if named else ()
    municipality = first_valid(MUNICIPALITY_PARAM, list(known), "")
    asked = get_all(MEASURE_PARAM)
    measure = first_valid(MEASURE_PARAM, list(measures(wave)) if asked else [], "")
    return ViewState(
        lang, wave, ordered, artu, tuple(dropped), mode, before_year, municipality, measure
    )


def to_query_params(state: ViewState) -> dict[str, str | list[str]]:
    """The address for a view: region repeated for several; absent = all."""
    params: dict[str, str | list[str]] = {LANG_PARAM: state.lang, WAVE_PARAM: state.wave}
    if state.regions:
        params[REGION_PARAM] = list(state.regions)
    if state.artu != "all":
        params[ARTU_PARAM] = state.artu
    if state.mode != "counts":
        params[MODE_PARAM] = state.mode
    if state.before_year != DEFAULT_YEAR:
        params[YEAR_PARAM] = str(state.before_year)
    if state.municipality:
        params[MUNICIPALITY_PARAM] = state.municipality
    if state.measure:
        params[MEASURE_PARAM] = state.measure
    return params


def regions_of_wave(
    regions: Sequence[str], wave_regions: Mapping[str, Sequence[str]] | None, wave: str
) -> list[str]:
    """The regions a view of ``wave`` may select, in the order of ``regions``: the wave's own
    (issue #16) when ``wave_regions`` knows them, else every region."""
    own = wave_regions.get(wave) if wave_regions is not None else None
    return [code for code in regions if own is None or code in own]


@dataclass(frozen=True)
class Choices:
    """What the view may hold: the waves (the first is the default), the regions, the waves the
    ARTU filter applies to (response-level ones), the municipality codes of a wave and its
    selected regions (asked only when a municipality is named), and each wave's own regions
    (None: every region for every wave)."""

    waves: Sequence[str]
    regions: Sequence[str]
    response_waves: Collection[str] = ()
    municipalities: MunicipalityCodes = no_municipalities
    wave_regions: Mapping[str, Sequence[str]] | None = None
    measures: MeasureIds = no_measures


def view_state(
    widgets: Mapping[str, object],
    address: Callable[[str], Sequence[str]] | None,
    choices: Choices,
) -> ViewState:
    """The view, from ``address`` (``st.query_params.get_all``) when given, else from the
    widgets' states (``st.session_state``). Never assumes a key exists or a value's type."""
    if address is not None:
        state = parse_view_state(
            address,
            choices.waves,
            choices.regions,
            choices.municipalities,
            choices.wave_regions,
            choices.measures,
        )
    else:

        def chosen(key: str, allowed: Sequence[str], default: str) -> str:
            value = widgets.get(key)
            return value if isinstance(value, str) and value in allowed else default

        raw_regions = widgets.get(REGION_PARAM)
        picked = raw_regions if isinstance(raw_regions, list | tuple) else ()
        year = widgets.get(YEAR_KEY)
        known_year = (
            isinstance(year, int)
            and not isinstance(year, bool)
            and YEAR_RANGE[0] <= year <= YEAR_RANGE[1]
        )
        wave = chosen(WAVE_PARAM, choices.waves, choices.waves[0] if choices.waves else "")
        allowed = regions_of_wave(choices.regions, choices.wave_regions, wave)
        regions = tuple(code for code in allowed if code in picked)
        named = widgets.get(MUNICIPALITY_PARAM)
        # A municipality outside the new wave's register or regions is no longer a choice.
        known = choices.municipalities(wave, regions) if isinstance(named, str) and named else ()
        # A measure the new wave's map does not have is no longer a choice either.
        picked_measure = widgets.get(MEASURE_PARAM)
        measures = (
            choices.measures(wave) if isinstance(picked_measure, str) and picked_measure else ()
        )
        state = ViewState(
            chosen(LANG_PARAM, LANGUAGES, DEFAULT_LANG),
            wave,
            regions,
            chosen(ARTU_PARAM, ARTU_FILTERS, "all"),
            mode=chosen(MODE_KEY, MODES, "counts"),
            before_year=year if known_year else DEFAULT_YEAR,  # type: ignore[arg-type]
            municipality=chosen(MUNICIPALITY_PARAM, list(known), ""),
            measure=chosen(MEASURE_PARAM, list(measures), ""),
        )
    if state.wave not in choices.response_waves and state.artu != "all":
        # A regional table has no municipalities to narrow: the ARTU filter is off for it.
        state = replace(state, artu="all")
    return state


def widget_values(state: ViewState) -> dict[str, object]:
    """The widgets' states for a view (what app.py puts into st.session_state). No municipality
    when none is chosen: the municipality picker then starts at its first option."""
    values: dict[str, object] = {
        LANG_PARAM: state.lang,
        WAVE_PARAM: state.wave,
        REGION_PARAM: list(state.regions),
        ARTU_PARAM: state.artu,
        MODE_KEY: state.mode,
        YEAR_KEY: state.before_year,
    }
    if state.municipality:
        values[MUNICIPALITY_PARAM] = state.municipality
    if state.measure:
        values[MEASURE_PARAM] = state.measure
    return values


EXCERPT_CHARS = 40
MAX_EXCERPTS = 5


def excerpt(value: str) -> str:
    """A short, plain excerpt of a value someone wrote into the address: control and invisible
    characters dropped, at most EXCERPT_CHARS characters, no backticks (it is shown as code, which
    Streamlit's markdown never turns into a link)."""
    printable = "".join(ch for ch in value if ch.isprintable() and ch != "`")
    if len(printable) > EXCERPT_CHARS:
        return printable[: EXCERPT_CHARS - 1] + "…"
    return printable


def dropped_notice(dropped: Sequence[tuple[str, str]]) -> tuple[str, int] | None:
    """(the excerpts as one markdown string of code spans, how many more there were) for the one
    notice about every dropped address value; None when nothing was dropped."""
    if not dropped:
        return None
    shown = [f"`{param}={excerpt(value)}`" for param, value in dropped[:MAX_EXCERPTS]]
    return ", ".join(shown), len(dropped) - len(shown)
