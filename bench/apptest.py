"""(a) Warm reruns in AppTest: a page that has already run once for the same view reruns (what a
click on a widget costs the server), against the bare page doing the same; on the shipped data,
and (issue #16) on a data folder of nationwide waves."""

from __future__ import annotations

import statistics
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.pages import APP, BARE_PAGE, query
from bench.timing import ratio, timed_samples


def _fail_on_exception(app: AppTest, what: str) -> AppTest:
    if app.exception:
        raise RuntimeError(f"{what}: {[e.message for e in app.exception]}")
    return app


def _warm_reruns(
    script: Path, page_file: str | None, params: dict[str, str], repeats: int
) -> list[float]:
    app = AppTest.from_file(str(script), default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page_file is not None:
        app.switch_page(f"app_pages/{page_file}").run()
    _fail_on_exception(app.run(), page_file or script.name)  # the caches are warm from here on
    return timed_samples(lambda: _fail_on_exception(app.run(), str(page_file)), repeats)


def run(
    pages: tuple[tuple[str, str], ...], repeats: int, wave: str | None = None
) -> dict[str, object]:
    """``wave``: the wave every page shows (the national part's), else each page's own."""
    # The floor is measured before and after the pages and its samples taken together, so that
    # a neighbour's burst of work during the run falls on both sides of the ratio alike.
    bare_samples = _warm_reruns(BARE_PAGE, None, {}, repeats)
    figures = {}
    for page_file, path in pages:
        params = query(path) | ({"wave": wave} if wave else {})
        seconds = statistics.median(_warm_reruns(APP, page_file, params, repeats))
        figures[path or "overview"] = {"warm_rerun_s": seconds}
    bare_samples += _warm_reruns(BARE_PAGE, None, {}, repeats)
    bare = statistics.median(bare_samples)
    for figure in figures.values():
        figure["ratio"] = ratio(figure["warm_rerun_s"], bare)
    return {"bare_warm_rerun_s": bare, "pages": figures}
