"""The parts of Streamlit that are not its public API, in one place (pinned streamlit==1.67.0).

Each is used because the public API cannot do the same at the same cost; a Streamlit upgrade is
checked here first (tests/test_store.py and tests/test_pages.py exercise every one of them):

- :func:`vega_lite_spec`: st.altair_chart converts an Altair chart to a Vega-Lite spec on every
  run; the store converts once per figure and view and draws the spec with st.vega_lite_chart
  (issue #9: building and converting charts was most of a page's run).
- :func:`arrow_table`: st.table converts a frame to Arrow on every run; the formatted cells of a
  table are kept as the Arrow table Streamlit would make (issue #9).
- :func:`run_marker`: an object that stays the same through one script run, so the data version
  is read once per run instead of once per table (issue #9: 40 % of a new session's CPU).
- :func:`session_id`: the upload password's per-session back-off needs the session's id.
- :data:`DeltaGenerator`: the type of a Streamlit container, for type hints only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

__all__ = ["DeltaGenerator", "arrow_table", "run_marker", "session_id", "vega_lite_spec"]


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
