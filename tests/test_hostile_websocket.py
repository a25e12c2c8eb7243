"""Tampered websocket messages against a live server (issue #10): Streamlit's client speaks
protobuf BackMsg/ForwardMsg over /_stcore/stream, and nothing stops a visitor from sending other
widget states than the browser would. Every run must finish without an exception element."""

from __future__ import annotations

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

from tilannekuva.i18n import t


# The test worker's shared server (tests/conftest.py: a copy of the shipped data), not one of
# this module's own: a server start per module was a cost of the suite (issue #20 item 7).
@pytest.fixture(scope="module")
def stream_url(server: str) -> str:
    return server.replace("http://", "ws://") + "/_stcore/stream"


def rerun(
    client: ClientConnection,
    widgets: list[WidgetState] | None = None,
    query: str = "",
    page: str = "",
) -> list[Element]:
    """Send one rerun_script (to ``page``, an address such as "municipality") and collect the
    run's elements until script_finished."""
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    message.rerun_script.widget_states.widgets.extend(widgets or [])
    client.send(message.SerializeToString())
    elements = []
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(client.recv(timeout=60))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            elements.append(forward.delta.new_element)
        if kind == "script_finished":
            return elements


def widget_ids(elements: list[Element]) -> dict[str, str]:
    """{widget key: widget id} of the sidebar's widgets (ids end in "-<key>")."""
    ids = {}
    for element in elements:
        kind = element.WhichOneof("type")
        if kind in ("selectbox", "multiselect", "radio", "number_input"):
            widget_id = getattr(element, kind).id
            ids[widget_id.rsplit("-", 1)[-1]] = widget_id
    return ids


def exceptions(elements: list[Element]) -> list[str]:
    return [
        f"{e.exception.type}: {e.exception.message}"
        for e in elements
        if e.WhichOneof("type") == "exception"
    ]


def headings(elements: list[Element]) -> list[str]:
    return [e.heading.body for e in elements if e.WhichOneof("type") == "heading"]


def alerts(elements: list[Element]) -> list[str]:
    return [e.alert.body for e in elements if e.WhichOneof("type") == "alert"]


def state(widget_id: str, **value: object) -> WidgetState:
    widget = WidgetState(id=widget_id)
    for field, given in value.items():
        if field.endswith("_array_value"):
            getattr(widget, field).data.extend(given)
        else:
            setattr(widget, field, given)
    return widget


TAMPERED = {
    "a selectbox value sent as a number": lambda ids: [
        state(ids["lang"], int_value=5),
        state(ids["wave"], double_value=2009.0),
    ],
    "text where a list belongs": lambda ids: [state(ids["region"], string_value="10")],
    "unknown values everywhere": lambda ids: [
        state(ids["lang"], string_value="de"),
        state(ids["wave"], string_value="../../etc/passwd"),
        state(ids["region"], string_array_value=["99", "<b>x</b>"]),
    ],
    "the sidebar's widget states left out": lambda ids: [],
    "a widget id that does not exist": lambda ids: [state("$$ID-0-lang", string_value="sv")],
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_tampered_widget_states_give_the_default_view_not_an_exception(
    stream_url: str, tamper
) -> None:
    with connect(stream_url, subprotocols=["streamlit"], max_size=None) as client:
        first = rerun(client, query="lang=en")
        assert not exceptions(first)
        ids = widget_ids(first)
        assert {"lang", "wave", "region"} <= ids.keys()
        for _ in range(2):  # the second run is where missing widgets are cleaned away
            elements = rerun(client, tamper(ids), query="lang=en")
            assert not exceptions(elements), exceptions(elements)
            titles = headings(elements)
            assert titles and titles[0] in {t(lang, "app.title") for lang in ("fi", "en")}


# Issue #22 item 7: a list where a choice widget holds one value. Streamlit's own deserializer
# raised "TypeError: unhashable type: RepeatedScalarContainer" before the app's script started,
# and again on every later run of the session (internals.contain_unreadable_widget_states).
UNREADABLE = {
    "a string array for the language": ("", "lang", {"string_array_value": ["fi", "sv"]}),
    "a string array for the wave": ("", "wave", {"string_array_value": ["2009", "2010"]}),
    "a JSON list for the wave": ("", "wave", {"json_value": '["2009"]'}),
    "a string array for the ARTU radio": (
        "worklist",
        "artu",
        {"string_array_value": ["all", "in_use"]},
    ),
    "a string array for the municipality": (
        "municipality",
        "municipality",
        {"string_array_value": ["954", "951"]},
    ),
    "a number array for the year": ("worklist", "worklist_year", {"int_array_value": [2005]}),
}
EXAMPLE = "lang=en&wave=esimerkki-2014&region=12&municipality=954"
TITLES = {"": "app.title", "worklist": "page.worklist", "municipality": "page.municipality"}


@pytest.mark.parametrize("case", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_list_for_a_choice_is_ignored_with_a_notice_and_later_runs_work(
    stream_url: str, case: tuple[str, str, dict[str, object]]
) -> None:
    page, key, value = case
    with connect(stream_url, subprotocols=["streamlit"], max_size=None) as client:
        first = rerun(client, query=EXAMPLE, page=page)
        assert not exceptions(first)
        ids = widget_ids(first)
        assert key in ids, sorted(ids)
        title = headings(first)[0]
        tampered = rerun(client, [state(ids[key], **value)], query=EXAMPLE, page=page)
        assert not exceptions(tampered), exceptions(tampered)
        # The run goes on with the widget's previous value, and says once what happened.
        assert headings(tampered)[0] == title
        assert t("en", "notice.widget_ignored") in alerts(tampered)
        # The session is not broken: the next runs work and the notice is not repeated.
        again = rerun(client, [state(ids["wave"], string_value="2009")], query=EXAMPLE, page=page)
        assert not exceptions(again), exceptions(again)
        assert t("en", "notice.widget_ignored") not in alerts(again)
        swedish = rerun(client, [state(ids["lang"], string_value="sv")], query=EXAMPLE, page=page)
        assert not exceptions(swedish), exceptions(swedish)
        assert t("sv", TITLES[page]) in headings(swedish)
