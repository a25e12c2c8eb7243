"""Tampered websocket messages against a live server (issue #10): Streamlit's client speaks
protobuf BackMsg/ForwardMsg over /_stcore/stream, and nothing stops a visitor from sending other
widget states than the browser would. Every run must finish without an exception element."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

from tests.browser import streamlit_server
from tilannekuva.i18n import t


@pytest.fixture(scope="module")
def stream_url() -> Iterator[str]:
    with streamlit_server() as base:
        yield base.replace("http://", "ws://") + "/_stcore/stream"


def rerun(
    client: ClientConnection, widgets: list[WidgetState] | None = None, query: str = ""
) -> list[Element]:
    """Send one rerun_script and collect the run's elements until script_finished."""
    message = BackMsg()
    message.rerun_script.query_string = query
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
        if kind in ("selectbox", "multiselect", "radio"):
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
