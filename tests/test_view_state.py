"""The one view-state function (filters.view_state) and the typed wave: whatever the address and
the widget states hold (a tampered websocket message, a hostile link), the view is valid."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tilannekuva.config import PROJECT_DIR
from tilannekuva.filters import (
    EXCERPT_CHARS,
    MAX_EXCERPTS,
    Choices,
    ViewState,
    dropped_notice,
    excerpt,
    to_query_params,
    view_state,
    widget_values,
)
from tilannekuva.i18n import t
from tilannekuva.wave import Wave

CHOICES = Choices(["2009", "esimerkki"], ["10", "11", "12"], {"esimerkki"})
DEFAULT = ViewState("fi", "2009", (), "all")


def address(**params: list[str]):
    return lambda name: params.get(name, [])


@pytest.mark.parametrize(
    "widgets",
    [
        {},  # the sidebar's widget states left out of the message
        {"lang": 5, "wave": 2009, "region": "10", "artu": None},  # numbers where text belongs
        {"lang": ["sv"], "wave": {"x": 1}, "region": 10, "artu": b"in_use"},
        {"lang": "de", "wave": "1999", "region": [None, 7, "99"], "artu": "everything"},
    ],
)
def test_tampered_or_missing_widget_states_fall_back_to_the_defaults(widgets: dict) -> None:
    assert view_state(widgets, None, CHOICES) == DEFAULT


def test_valid_widget_states_are_kept_and_regions_are_put_in_order() -> None:
    widgets = {"lang": "sv", "wave": "esimerkki", "region": ["12", "10", 3], "artu": "in_use"}
    state = view_state(widgets, None, CHOICES)
    assert state == ViewState("sv", "esimerkki", ("10", "12"), "in_use")
    assert view_state(widget_values(state), None, CHOICES) == state


def test_the_artu_filter_is_off_on_a_regional_wave() -> None:
    widgets = {"wave": "2009", "artu": "in_use"}
    assert view_state(widgets, None, CHOICES).artu == "all"
    assert view_state({}, address(wave=["2009"], artu=["in_use"]), CHOICES).artu == "all"


def test_the_address_wins_on_the_first_run_and_reports_what_it_dropped() -> None:
    state = view_state(
        {"lang": "en"},
        address(lang=["sv"], wave=["https://evil.example/login"], region=["10", "x"]),
        CHOICES,
    )
    assert (state.lang, state.wave, state.regions) == ("sv", "2009", ("10",))
    assert state.dropped == (("wave", "https://evil.example/login"), ("region", "x"))


def test_no_waves_at_all_gives_an_empty_wave_not_an_error() -> None:
    assert view_state({"wave": "2009"}, None, Choices([], [])).wave == ""


def test_an_excerpt_is_short_plain_and_never_a_link() -> None:
    assert excerpt("https://evil.example/login") == "https://evil.example/login"
    long = excerpt("x" * 100_000)
    assert len(long) == EXCERPT_CHARS and long.endswith("…")
    assert excerpt("a`b\u202ec\nd\x00") == "abcd"


def test_one_notice_for_every_dropped_value_with_a_bounded_length() -> None:
    assert dropped_notice(()) is None
    dropped = [("region", f"junk{i}" * 1000) for i in range(500)]
    values, more = dropped_notice(dropped)
    assert more == 500 - MAX_EXCERPTS
    assert values.count("`") == 2 * MAX_EXCERPTS  # each excerpt is a code span: no autolink
    assert len(values) < MAX_EXCERPTS * (EXCERPT_CHARS + 12)
    link, _ = dropped_notice([("wave", "https://evil.example/login`](x)")])
    assert link == "`wave=https://evil.example/login](x)`"


def test_a_wave_record_is_typed_and_unknowns_are_none() -> None:
    row = {
        "wave_id": "esimerkki",
        "title": "Esimerkki",
        "year": pd.NA,
        "target_group": "municipalities",
        "response_rate_percent": float("nan"),
        "level": "response",
        "fictional": True,
        "source": "examples/esimerkki.csv",
    }
    wave = Wave.from_record(row)
    assert wave.year is None and wave.response_rate_percent is None and wave.year_text == ".."
    assert wave.response_level and wave.fictional
    with pytest.raises(AttributeError):
        wave.level = "region"  # frozen
    assert Wave.from_record({**row, "year": 2009.0, "response_rate_percent": 70}).year == 2009


def test_page_options_are_kept_in_the_address() -> None:
    """Issue #8: the counts/percent mode and the worklist's year limit were lost from the
    address; unknown values are dropped like the others."""
    state = view_state({"compare_mode": "percent", "worklist_year": 2003}, None, CHOICES)
    assert (state.mode, state.before_year) == ("percent", 2003)
    params = to_query_params(state)
    assert (params["mode"], params["before"]) == ("percent", "2003")
    back = view_state({}, address(**{k: [v] for k, v in params.items()}), CHOICES)
    assert back == state
    assert view_state(widget_values(back), None, CHOICES) == back
    assert "mode" not in to_query_params(DEFAULT) and "before" not in to_query_params(DEFAULT)


@pytest.mark.parametrize(
    ("params", "widgets"),
    [
        ({"mode": ["stacked"], "before": ["1800"]}, {"compare_mode": 3, "worklist_year": True}),
        ({"mode": ["PERCENT"], "before": ["2003.5"]}, {"worklist_year": "2003"}),
    ],
)
def test_unknown_page_options_are_dropped(params: dict, widgets: dict) -> None:
    state = view_state({}, address(**params), CHOICES)
    assert (state.mode, state.before_year) == (DEFAULT.mode, DEFAULT.before_year)
    assert {param for param, _ in state.dropped} == set(params)
    from_widgets = view_state(widgets, None, CHOICES)
    assert (from_widgets.mode, from_widgets.before_year) == ("counts", DEFAULT.before_year)


def test_the_worklist_default_year_is_the_tables_one() -> None:
    from tilannekuva.filters import DEFAULT_YEAR
    from tilannekuva.tables import DEFAULT_OLD_PLAN_YEAR

    assert DEFAULT_YEAR == DEFAULT_OLD_PLAN_YEAR


# --- A language change keeps every widget's value (AppTest) ---------------------------------

APP = str(PROJECT_DIR / "app.py")


def held_by_browser(widget: object, before: object) -> object:
    """What the browser holds in the widget after a run: the value the server sent when it sent
    one, else what it held ``before`` — for a choice widget the text it showed, which after a
    language change is no longer among the options (and is what the next click sends back)."""
    proto = widget.proto  # type: ignore[attr-defined]
    if not proto.set_value:
        return before
    if hasattr(proto, "raw_values"):
        return list(proto.raw_values)
    if "raw_value" in proto.DESCRIPTOR.fields_by_name:
        return [proto.raw_value]
    return proto.value


def shown(lang: str, key: str, value: object) -> object:
    """The widget's value as the browser shows it in ``lang``."""
    if key == "wave":
        return [
            {"fi": "Esimerkkikierros 2012 (kuvitteellinen)", "sv": "Exempelomgång 2012 (fiktiv)"}[
                lang
            ]
        ]
    if key == "region":
        return [
            {
                "11": {"fi": "Pohjois-Savo", "sv": "Norra Savolax"},
                "12": {"fi": "Pohjois-Karjala", "sv": "Norra Karelen"},
            }[code][lang]
            for code in value
        ]  # type: ignore[attr-defined]
    if key == "municipality":  # the picker names a municipality in Swedish in Swedish
        return [{"fi": "Tarula (esimerkki) (955)", "sv": "Tarula (exempel) (955)"}[lang]]
    prefix = {
        "artu": "artu_filter.",
        "compare_mode": "compare.mode_",
        "respondents_type": "respondent.",
        "data_table": "table.",
    }
    return [t(lang, f"{prefix[key]}{value}")] if key in prefix else value


@pytest.mark.parametrize(
    ("page", "kind", "key", "value"),
    [
        ("overview.py", "selectbox", "wave", "esimerkki-2012"),
        ("overview.py", "multiselect", "region", ["11", "12"]),
        ("overview.py", "radio", "artu", "in_use"),
        ("compare.py", "button_group", "compare_mode", "percent"),
        ("worklist.py", "number_input", "worklist_year", 2003),
        ("respondents.py", "selectbox", "respondents_type", "police"),
        ("municipality.py", "selectbox", "municipality", "955"),
        ("data.py", "selectbox", "data_table", "plan_coverage"),
    ],
)
def test_a_language_change_keeps_every_widgets_value(
    page: str, kind: str, key: str, value: object
) -> None:
    """Streamlit's browser side keeps a choice widget's value as the text it shows and sends that
    text back: on the run that changes the language the server must send every widget its value
    in the new language, or the next click set the wave back to the default and dropped the
    regions (seen in Chromium)."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(lang="fi", wave="2009" if key == "wave" else "esimerkki-2012")
    app.run()
    app.switch_page(f"app_pages/{page}").run()
    getattr(app, kind)(key=key).set_value(value).run()
    assert getattr(app, kind)(key=key).value == value
    app.sidebar.selectbox(key="lang").set_value("sv").run()
    assert not app.exception
    widget = getattr(app, kind)(key=key)
    assert widget.value == value
    assert held_by_browser(widget, shown("fi", key, value)) == shown("sv", key, value)
    if key in ("wave", "region", "artu"):
        assert app.query_params[key] == value
