"""The table ``make bench`` prints: one line per figure, with its floor and the ratio beside it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _rows(results: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    apptest = results.get("apptest")
    if apptest:
        floor = _seconds(apptest["bare_warm_rerun_s"])
        for page, figure in apptest["pages"].items():
            yield (
                f"(a) warm rerun {page}",
                _seconds(figure["warm_rerun_s"]),
                floor,
                _ratio(figure["ratio"]),
            )
    national = results.get("national")
    if national:
        floor = _seconds(national["bare_warm_rerun_s"])
        for page, figure in national["pages"].items():
            yield (
                f"(a) warm rerun {page}, {national['waves']} national waves",
                _seconds(figure["warm_rerun_s"]),
                floor,
                _ratio(figure["ratio"]),
            )
    browser = results.get("browser")
    if browser:
        for page, figure in browser["pages"].items():
            yield (
                f"(b) first render {page}",
                _seconds(figure["first_render_s"]),
                _seconds(figure["bare_first_render_s"]),
                _ratio(figure["ratio"]),
            )
    load = dict(results.get("load") or {})
    memory = load.pop("memory_after_mib", None)
    for page, by_load in load.items():
        for sessions, figure in by_load.items():
            ours, bare = figure["page"], figure["bare"]
            errors = f", errors {ours['errors']}/{bare['errors']}"
            yield (
                f"(c) {sessions} sessions {page} p50",
                _seconds(ours["p50_s"]),
                _seconds(bare["p50_s"]),
                _ratio(figure["p50_ratio"]),
            )
            yield (
                f"(c) {sessions} sessions {page} p95{errors}",
                _seconds(ours["p95_s"]),
                _seconds(bare["p95_s"]),
                _ratio(figure["p95_ratio"]),
            )
            yield (
                f"(c) {sessions} sessions {page} server CPU/session",
                _seconds(ours.get("cpu_per_session_s")),
                _seconds(bare.get("cpu_per_session_s")),
                _ratio(figure.get("cpu_ratio")),
            )
    if memory:
        app, bare = f"{memory['app']} MiB", f"{memory['bare']} MiB"
        yield ("(c) server memory after the loads", app, bare, "")
    imports = results.get("import")
    if imports:
        waves = imports["waves"]
        cli = imports["floors"]["cli_help_s"]
        python = imports["floors"]["python_c_pass_s"]
        one, many = imports["with_1_stored"], imports[f"with_{waves}_stored"]
        rows = imports["rows"]
        for label, seconds in (
            (f"(d) validate {rows} rows, 1 wave stored", one["validate_s"]),
            (f"(d) validate {rows} rows, {waves} waves stored", many["validate_s"]),
            (f"(d) import {rows} rows, 1 wave stored", one["import_s"]),
            (f"(d) import {rows} rows, {waves} waves stored", many["import_s"]),
        ):
            yield label, _seconds(seconds), f"{_seconds(cli)} --help", _ratio(seconds / cli)
        yield (
            "(d)   the same against python -c pass",
            _seconds(many["import_s"]),
            _seconds(python),
            _ratio(many["import_s"] / python),
        )
        yield (
            f"(d) import growth, {waves} stored vs 1",
            _seconds(many["import_s"]),
            _seconds(one["import_s"]),
            _ratio(imports["import_growth"]),
        )
        cold = imports["cold_load"]
        yield (
            f"(d) cold load, {waves} waves vs shipped data",
            _seconds(cold[f"{waves}_waves_s"]),
            _seconds(cold["shipped_s"]),
            _ratio(cold["ratio"]),
        )
        export = imports.get("export")
        if export:
            for label, seconds, key in (
                (f"(d) mapping suggest, {rows}-row .xlsx export", export["suggest_s"],
                 "suggest_ratio"),
                (f"(d) validate --mapping, {rows}-row .xlsx export", export["validate_s"],
                 "validate_ratio"),
            ):  # fmt: skip
                floor = f"{_seconds(export['template_validate_s'])} template validate"
                yield label, _seconds(seconds), floor, _ratio(export[key])
        tables = imports["all_tables"]
        yield (
            f"(d) every table, {rows}-row wave vs example",
            _seconds(tables["largest_wave_s"]),
            _seconds(tables["example_wave_s"]),
            _ratio(tables["ratio"]),
        )
        yield (
            f"(d)   slowest: {tables['slowest_table']}",
            _seconds(tables["slowest_table_s"]),
            "",
            "",
        )


def _history_rows(history: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    many, few = history["many"], history["few"]
    for key, what in (
        ("export", "export of one wave (CLI, load kept)"),
        ("cold_load", "load after a change (every file read)"),
        ("kept_load", "load of unchanged files (kept by an earlier process)"),
        ("first_page", "overview's first load (AppTest, caches empty, load kept)"),
        ("municipality_page", "municipality page's first load (ditto)"),
    ):
        figure = history[key]
        yield (
            f"(e) {what}, {many} vs {few} waves stored",
            _seconds(figure["many_s"]),
            _seconds(figure["few_s"]),
            _ratio(figure["ratio"]),
        )


def table(results: dict[str, Any]) -> str:
    header = ("figure", "value", "floor", "ratio")
    rows = [header, *_rows(results)]
    if results.get("history"):
        rows += _history_rows(results["history"])
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    machine = results["machine"]
    lines.append(
        f"\n{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
        f"load average {machine['load_average_at_start'][0]:.2f} at start, "
        f"{results['load_average_at_end'][0]:.2f} at end; {results['seconds']:.0f} s in all"
    )
    return "\n".join(lines)
