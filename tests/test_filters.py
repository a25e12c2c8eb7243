from __future__ import annotations

from tilannekuva.filters import ViewState, parse_view_state, to_query_params

WAVES = ["2009"]
REGIONS = ["10", "11", "12"]


def address(**params: list[str]):
    return lambda name: params.get(name, [])


def test_empty_address_gives_the_defaults() -> None:
    assert parse_view_state(address(), WAVES, REGIONS) == ViewState("fi", "2009", ())


def test_valid_values_are_kept_and_regions_ordered_by_code() -> None:
    state = parse_view_state(
        address(lang=["en"], wave=["2009"], region=["12", "10", "12"]), WAVES, REGIONS
    )
    assert state == ViewState("en", "2009", ("10", "12"))


def test_unknown_values_are_dropped_and_reported() -> None:
    state = parse_view_state(
        address(lang=["xx", "sv"], wave=["1999"], region=["99", "11", "x' or 1=1 --"]),
        WAVES,
        REGIONS,
    )
    assert (state.lang, state.wave, state.regions) == ("sv", "2009", ("11",))
    assert state.dropped == (
        ("lang", "xx"),
        ("wave", "1999"),
        ("region", "99"),
        ("region", "x' or 1=1 --"),
    )


def test_a_second_language_is_dropped_too() -> None:
    state = parse_view_state(address(lang=["sv", "en"]), WAVES, REGIONS)
    assert state.lang == "sv" and state.dropped == (("lang", "en"),)


def test_no_waves_at_all_does_not_raise() -> None:
    assert parse_view_state(address(wave=["2009"]), [], []).wave == ""


def test_round_trip_through_the_address() -> None:
    state = ViewState("sv", "2009", ("10", "12"))
    params = to_query_params(state)
    assert params == {"lang": "sv", "wave": "2009", "region": ["10", "12"]}
    back = parse_view_state(
        lambda name: [params[name]] if isinstance(params.get(name), str) else params.get(name, []),
        WAVES,
        REGIONS,
    )
    assert back == state
    assert "region" not in to_query_params(ViewState("fi", "2009", ()))


def test_the_municipality_round_trips_and_an_unknown_one_is_dropped() -> None:
    def known(wave: str, regions: tuple[str, ...]) -> list[str]:
        return ["491", "178"] if wave == "2009" and regions in ((), ("10",)) else []

    state = parse_view_state(address(region=["10"], municipality=["491"]), WAVES, REGIONS, known)
    assert state.municipality == "491" and state.dropped == ()
    params = to_query_params(state)
    assert params["municipality"] == "491"
    back = parse_view_state(
        lambda name: [params[name]] if isinstance(params.get(name), str) else params.get(name, []),
        WAVES,
        REGIONS,
        known,
    )
    assert back == state
    # Outside the selected regions, unknown, hostile or given twice: dropped and reported.
    odd = parse_view_state(
        address(region=["11"], municipality=["491", "<b>x</b>"]), WAVES, REGIONS, known
    )
    assert odd.municipality == "" and odd.dropped == (
        ("municipality", "491"),
        ("municipality", "<b>x</b>"),
    )
    assert "municipality" not in to_query_params(odd)
    # Without a list of municipalities (the data could not be loaded), every code is dropped.
    assert parse_view_state(address(municipality=["491"]), WAVES, REGIONS).municipality == ""
