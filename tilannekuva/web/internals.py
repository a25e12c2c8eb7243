"""The parts of Streamlit that are not its public API, in one place (pinned streamlit==1.67.0).

Each is used because the public API cannot do the same at the same cost; a Streamlit upgrade is
checked here first (tests/test_store.py and tests/test_pages.py exercise every one of them, and
tests/test_hostile_websocket.py the widget states):

- :func:`vega_lite_spec`: st.altair_chart converts an Altair chart to a Vega-Lite spec on every
  run; the store converts once per figure and view and draws the spec with st.vega_lite_chart
  (issue #9: building and converting charts was most of a page's run).
- :func:`arrow_table`: st.table converts a frame to Arrow on every run; the formatted cells of a
  table are kept as the Arrow table Streamlit would make (issue #9).
- :func:`run_marker`: an object that stays the same through one script run, so the data version
  is read once per run instead of once per table (issue #9: 40 % of a new session's CPU).
- :func:`session_id`: the upload password's per-session back-off needs the session's id.
- :func:`contain_unreadable_widget_states`: a widget state that Streamlit's own code cannot read
  (issue #22 item 7) is ignored before the app's script runs; :func:`took_unreadable_widget_state`
  tells the app so, to say it in one plain notice.
- :data:`DeltaGenerator`: the type of a Streamlit container, for type hints only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
import pyarrow as pa
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.session_state import Serialized, WStates

__all__ = [
    "DeltaGenerator",
    "arrow_table",
    "contain_unreadable_widget_states",
    "run_marker",
    "session_id",
    "took_unreadable_widget_state",
    "vega_lite_spec",
]

LOG = logging.getLogger(__name__)


def vega_lite_spec(chart: Any) -> dict:
    """The Vega-Lite spec st.altair_chart would send for ``chart``, its data kept as Arrow."""
    return _convert_altair_to_vega_lite_spec(chart)


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The Arrow table st.table would make of ``frame``."""
    return convert_pandas_df_to_arrow_table(frame)


def run_marker() -> object | None:
    """An object that is the same throughout one script run and new in the next: the run
    context's cursor map, which Streamlit replaces when a run starts (ScriptRunContext.reset).
    None outside a script run (the CLI, plain tests)."""
    context = get_script_run_ctx(suppress_warning=True)
    return None if context is None else context.cursors


def session_id() -> str:
    """The Streamlit session's id; "no-session" outside a script run."""
    context = get_script_run_ctx(suppress_warning=True)
    return context.session_id if context is not None else "no-session"


# The sessions whose last message held a widget state that could not be read (see below); each
# is taken out by the run that follows, so the set stays as small as the runs in flight.
_UNREADABLE_SESSIONS: set[str] = set()


def contain_unreadable_widget_states() -> None:
    """Ignore a widget state sent by the browser that the widget cannot read, instead of failing
    every later run of the session (issue #22 item 7). Idempotent; once per process.

    The upstream cause (streamlit==1.67.0): a websocket message may carry any of WidgetState's
    value fields for any widget. WStates.__getitem__ hands the field to the widget's deserializer
    as it is (unpack_widget_state_value), and SelectboxSerde.deserialize (RadioSerde alike) looks
    it up in a dict of the formatted options: a string_array_value arrives as a protobuf
    RepeatedScalarContainer (a json_value list as a list), which is unhashable, so
    ``.get(ui_value)`` raises ``TypeError: unhashable type``. That happens in
    SessionState.on_script_will_rerun, before the app's script starts, so the app can neither
    catch it nor clear the state: Streamlit shows its exception element, keeps the unread state (a
    run that never started removes no widget), and the next run's _compact_state reads it again
    and fails the same way, on every later run of the session.

    Here a state that fails to deserialize reads as missing (KeyError), the way WStates treats a
    state without a deserializer: _compact_state skips it and clears it with the rest at the next
    run's start, the run in between gets the widget's previous value (its old state) and starts,
    and the app says in one plain notice that a choice was ignored. The state is not deleted
    here: _call_callbacks reads it while iterating over the states."""
    if getattr(WStates.__getitem__, "_contains_unreadable", False):
        return
    WStates.__getitem__ = _ignoring_unreadable(WStates.__getitem__)  # type: ignore[method-assign]


def _ignoring_unreadable(read: Callable[[WStates, str], Any]) -> Callable[[WStates, str], Any]:
    def getitem(states: WStates, widget_id: str) -> Any:
        try:
            return read(states, widget_id)
        except KeyError:
            raise
        except Exception as error:
            # Only a state as the browser sent it is deserialized; anything else is a real fault.
            if not isinstance(states.states.get(widget_id), Serialized):
                raise
            sid = session_id()
            if sid not in _UNREADABLE_SESSIONS:
                _UNREADABLE_SESSIONS.add(sid)
                LOG.warning("ignored a widget state that cannot be read: %s", type(error).__name__)
            raise KeyError(widget_id) from None

    getitem._contains_unreadable = True  # type: ignore[attr-defined]
    return getitem


def took_unreadable_widget_state() -> bool:
    """True once after a message of this session held a widget state that was ignored."""
    sid = session_id()
    if sid not in _UNREADABLE_SESSIONS:
        return False
    _UNREADABLE_SESSIONS.discard(sid)
    return True
