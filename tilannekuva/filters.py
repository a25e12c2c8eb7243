"""The view's state in the page address: ``?lang=sv&wave=2009&region=10&region=12&artu=in_use``.

A copied link reproduces the view. Unknown values are dropped and reported so the page can say so
(issue #2); they never raise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tilannekuva.i18n import DEFAULT_LANG, LANGUAGES

LANG_PARAM = "lang"
WAVE_PARAM = "wave"
REGION_PARAM = "region"
ARTU_PARAM = "artu"
ARTU_FILTERS = ("all", "in_use", "not_in_use")


@dataclass(frozen=True)
class ViewState:
    lang: str
    wave: str
    regions: tuple[str, ...]
    artu: str = "all"
    dropped: tuple[tuple[str, str], ...] = field(default=())  # (parameter, value) pairs


def parse_view_state(
    get_all: Callable[[str], Sequence[str]],
    waves: Sequence[str],
    regions: Sequence[str],
) -> ViewState:
    """Read the address through ``get_all`` (``st.query_params.get_all``). The first valid value of
    ``lang``, ``wave`` and ``artu`` wins; every other value of them, and every unknown region, is
    dropped and reported. With no valid value: Finnish, the first wave given (the newest real
    one), all regions, no ARTU filter."""
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
    chosen_regions: list[str] = []
    for value in get_all(REGION_PARAM):
        if value in regions:
            if value not in chosen_regions:
                chosen_regions.append(value)
        else:
            dropped.append((REGION_PARAM, value))
    ordered = tuple(code for code in regions if code in chosen_regions)
    artu = first_valid(ARTU_PARAM, ARTU_FILTERS, "all")
    return ViewState(lang, wave, ordered, artu, tuple(dropped))


def to_query_params(state: ViewState) -> dict[str, str | list[str]]:
    """The address for a view: region repeated for several; absent = all."""
    params: dict[str, str | list[str]] = {LANG_PARAM: state.lang, WAVE_PARAM: state.wave}
    if state.regions:
        params[REGION_PARAM] = list(state.regions)
    if state.artu != "all":
        params[ARTU_PARAM] = state.artu
    return params
