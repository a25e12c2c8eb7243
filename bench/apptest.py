"""(a) Warm reruns in AppTest: a page that has already run once for the same view reruns (what a
click on a widget costs the server), against the bare page doing the same."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.pages import APP, BARE_PAGE, query
from bench.timing import median_seconds, ratio


def _fail_on_exception(app: AppTest, what: str) -> AppTest:
    if app.exception:
        raise RuntimeError(f"{what}: {[e.message for e in app.exception]}")
    return app


def _warm_rerun(script: Path, page_file: str | None, params: dict[str, str], repeats: int) -> float:
    app = AppTest.from_file(str(script), default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page_file is not None:
        app.switch_page(f"app_pages/{page_file}").run()
    _fail_on_exception(app.run(), page_file or script.name)  # the caches are warm from here on
    return median_seconds(lambda: _fail_on_exception(app.run(), str(page_file)), repeats)


def run(pages: tuple[tuple[str, str], ...], repeats: int) -> dict[str, object]:
    bare = _warm_rerun(BARE_PAGE, None, {}, repeats)
    figures = {}
    for page_file, path in pages:
        seconds = _warm_rerun(APP, page_file, query(path), repeats)
        figures[path or "overview"] = {"warm_rerun_s": seconds, "ratio": ratio(seconds, bare)}
    return {"bare_warm_rerun_s": bare, "pages": figures}
