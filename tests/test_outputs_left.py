"""What issue #8 left open: the base N of a share under the ARTU filter, the "few answers" mark on
the overview and the target page, the PDF accessibility gap stated in fi/sv/en."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page
from streamlit.testing.v1 import AppTest

from tests.browser import SCREENSHOTS, streamlit_server, wait_for_run
from tests.helpers import records, response, run_cli, stored_text, totals
from tilannekuva.config import PROJECT_DIR
from tilannekuva.db import Database
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.tables import Selection, build_table

APP = str(PROJECT_DIR / "app.py")


def open_page(page: str, **query: str | list[str]) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app = app.run().switch_page(f"app_pages/{page}").run()
    assert not app.exception
    return app


def page_text(app: AppTest) -> str:
    """Markdown and captions as the reader sees them (data is backslash-escaped)."""
    parts = [element.value for element in app.markdown] + [c.value for c in app.caption]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


# Region 10: three municipalities, two of them ARTU users; region 12: two, neither uses ARTU
# (one says no, one leaves the question blank).
ANSWERS = stored_text(
    response("municipality", "001", "ready", region_code="10", artu_in_use="true"),
    response("municipality", "002", "started", region_code="10", artu_in_use="true"),
    response("municipality", "003", "not_started", region_code="10", artu_in_use="false"),
    response("municipality", "004", "ready", region_code="12", artu_in_use="false"),
    response("municipality", "005", "started", region_code="12"),
)


def shares(db: Database, artu: str, name: str = "measure_shares") -> list[tuple]:
    rows = db.run(name, wave="w", regions=[], lang="fi", artu=artu, **totals("Yht."))
    columns = ["region_code", "measure", "n", "responses", "share_percent"]
    return records(rows[rows["measure"].isin(["plan_ready", "artu_in_use"])][columns])


def test_a_region_without_a_matching_municipality_shows_0_of_all_its_municipalities(
    given_rows: Callable[..., Database],
) -> None:
    """ARTU "in use" narrows n; N stays every answering municipality of the region, so region 12
    reads 0/2, not 0/0, on the same base as region 10 and the total."""
    db = given_rows(responses={"w": ANSWERS})
    assert shares(db, "in_use") == [
        ("10", "plan_ready", 1, 3, pytest.approx(100 / 3)),
        ("10", "artu_in_use", 2, 3, pytest.approx(200 / 3)),
        ("12", "plan_ready", 0, 2, 0.0),
        ("12", "artu_in_use", 0, 2, 0.0),
        ("total", "plan_ready", 1, 5, 20.0),
        ("total", "artu_in_use", 2, 5, 40.0),
    ]
    # Without the filter the same N: the filter never changes the base.
    assert [row[3] for row in shares(db, "all")] == [3, 3, 2, 2, 5, 5]
    # "Not in use": the unanswered ARTU question of 005 is never "not in use", but it is in N.
    assert shares(db, "not_in_use")[2:4] == [
        ("12", "plan_ready", 1, 2, 50.0),
        ("12", "artu_in_use", 0, 2, 0.0),
    ]


def test_the_cli_export_gives_pohjois_karjala_0_of_its_municipalities() -> None:
    """The reproduction of issue #8 item 1 in the CLI: export measure_shares on the example wave
    with --artu in_use printed 12,Pohjois-Karjala,…,0,0,,true."""

    def karelia(*extra: str) -> dict[str, list[str]]:
        done = run_cli("export", "measure_shares", "--wave", "esimerkki", "--region", "12", *extra)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.decode("utf-8").splitlines()[1:]
        return {line.split(",")[2]: line.split(",")[3:] for line in lines}

    every = karelia()
    in_use = karelia("--artu", "in_use")
    for measure, (n, base, share, _few) in in_use.items():
        assert (n, base, share) == ("0", every[measure][1], "0.0")
    assert int(every["plan_ready"][1]) > 0


@pytest.mark.parametrize("name", ["key_figures", "target_group"])
def test_the_other_share_tables_use_the_same_base_under_the_filter(
    given_rows: Callable[..., Database], name: str
) -> None:
    db = given_rows(responses={"w": ANSWERS})
    params = {"wave": "w", "regions": [], "lang": "fi", **totals("Yht.")}
    if name == "key_figures":
        params.pop("total")
    for artu in ("in_use", "not_in_use"):
        rows = db.run(name, artu=artu, **params)
        assert set(rows.loc[rows["region_code"] == "total", "responses"]) == {5}


def test_artu_rest_is_never_the_regions_artu_users(given_rows: Callable[..., Database]) -> None:
    """ "Not in use or not reported" counts the same municipalities whatever the filter: under
    "not in use", N − n would count region 10's two ARTU users as not using it."""
    db = given_rows(responses={"w": ANSWERS})
    for artu in ("all", "in_use", "not_in_use"):
        rows = db.run("artu_adoption", wave="w", regions=[], lang="fi", artu=artu, **totals())
        assert records(rows[["region_code", "responses", "not_in_use_or_not_reported"]]) == [
            ("10", 3, 1),
            ("12", 2, 2),
            ("total", 5, 3),
        ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compare_page_shows_a_region_without_artu_users_as_0_of_its_municipalities(
    shipped_db: Database, lang: str
) -> None:
    """Issue #8: the example wave with ARTU "in use": Pohjois-Karjala read 0/0. Now 0 of all its
    answering municipalities, and the page says beside the shares what N is under the filter."""
    every = build_table(shipped_db, "measure_shares", Selection("esimerkki", (), lang))
    karelia = every[every["region_code"] == "12"]
    base = int(karelia["responses"].iloc[0])
    app = open_page("compare.py", lang=lang, wave="esimerkki", artu="in_use")
    text = page_text(app)
    assert t(lang, "outputs2.artu_base", filter=t(lang, "artu_filter.in_use")) in text
    line = next(
        line for line in text.splitlines() if line.startswith(f"- {karelia['region'].iloc[0]}:")
    )
    assert f"0/{base}" in line and "0/0" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_marks_headline_figures_over_few_answers(lang: str) -> None:
    """Issue #8: the comparison marked a share over fewer than 5 answers, the overview's headline
    figures did not. Pohjois-Karjala in the 2012 example has 3 municipalities."""
    mark, meaning = t(lang, "ux.few_answers_mark"), t(lang, "ux.few_answers_text")
    few = open_page("overview.py", lang=lang, wave="esimerkki-2012", region="12")
    captions = [caption.value.replace("\\", "") for caption in few.caption]
    metric_captions = [c for c in captions if c.startswith("n/N")]
    assert len(metric_captions) == len(few.metric) == 4
    assert all(c.endswith(f"**{mark}**") for c in metric_captions)
    assert meaning in captions
    many = open_page("overview.py", lang=lang, wave="esimerkki-2012")  # 11 municipalities
    text = page_text(many)
    assert mark not in text and meaning not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_target_table_and_text_mark_few_answers(lang: str) -> None:
    app = open_page("target.py", lang=lang, wave="esimerkki-2012")
    table = next(
        frame.value for frame in app.table if t(lang, "col.few_answers") in frame.value.columns
    )
    yes, no = t(lang, "bool.true"), t(lang, "bool.false")
    base = next(column for column in table.columns if column.startswith("N"))
    flags = list(table[t(lang, "col.few_answers")])
    assert flags == [yes if int(n) < 5 else no for n in table[base]]
    assert yes in flags and no in flags  # regions of 3–4 municipalities, the total of 11
    meaning = t(lang, "ux.few_answers_text")
    lines = [line for line in page_text(app).splitlines() if line.startswith("- ")]
    assert sum(line.endswith(meaning) for line in lines) == 3  # the three regions, not the total


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accessibility_statement_names_the_untagged_pdf_and_its_equivalents(lang: str) -> None:
    app = open_page("accessibility.py", lang=lang)
    gap = t(lang, "outputs2.a11y_gap_pdf")
    assert f"- {gap}" in page_text(app).splitlines()
    assert "PDF/UA" in gap and ".xlsx" in gap and "CSV" in gap


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with streamlit_server() as base:
        yield base


def heatmap_fits(phone: Page) -> dict[str, float]:
    """The themes heatmap's box, its drawing and the window, in CSS pixels."""
    return phone.evaluate(
        """() => { const chart = document.querySelector('[data-testid=stVegaLiteChart]');
            const svg = chart.querySelector('svg');
            const widths = sel => Array.from(svg.querySelectorAll(sel))
                .map(e => e.getBBox().width);
            return { right: chart.getBoundingClientRect().right, box: chart.clientWidth,
                     drawn: svg.getBoundingClientRect().width, window: window.innerWidth,
                     cell: Math.min(...widths('.mark-rect.role-mark path')),
                     label: Math.max(...widths('.mark-text.role-mark text')) }; }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_themes_heatmap_fits_the_page_without_sideways_scroll(
    browser: Browser, server: str, width: int
) -> None:
    """Issue #8 at 390 px: the heatmap scrolled sideways. It takes its column's width; its labels
    wrap instead (charts.ITEM_WRAP, REGION_WRAP)."""
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.goto(f"{server}/themes?lang=fi&wave=esimerkki")
    wait_for_run(page)
    page.wait_for_selector(
        "[data-testid=stVegaLiteChart] svg, [data-testid=stVegaLiteChart] canvas"
    )
    page.wait_for_timeout(500)  # the chart's own resize to its container
    fits = heatmap_fits(page)
    page.screenshot(path=SCREENSHOTS / "outputs" / f"themes_{width}.png", full_page=True)
    context.close()
    assert fits["right"] <= fits["window"] + 1
    assert fits["drawn"] <= fits["box"] + 1
    assert fits["label"] + 8 <= fits["cell"]  # every "13/44" inside its cell, with room


@pytest.mark.browser
def test_a_wide_table_on_a_phone_scrolls_under_its_first_column(
    browser: Browser, server: str
) -> None:
    """A wide table on a phone scrolls sideways (its columns keep a readable width) while its
    first column, the municipality the row is about, stays in place."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{server}/municipalities?lang=fi&wave=esimerkki")
    wait_for_run(page)
    table = page.locator("[data-testid=stTable]").first
    table.scroll_into_view_if_needed()
    moved = table.evaluate(
        """t => { const scroller = t.firstElementChild;
            const left = n => t.querySelector(`tbody td:nth-child(${n})`)
                .getBoundingClientRect().left;
            const before = [left(1), left(2), scroller.scrollWidth > scroller.clientWidth];
            scroller.scrollLeft = 200;
            return { wide: before[2], first: left(1) - before[0], second: left(2) - before[1] };
        }"""
    )
    page.screenshot(path=SCREENSHOTS / "outputs" / "municipalities_table_390.png")
    context.close()
    assert moved["wide"]  # the table is wider than the phone ...
    assert moved["second"] < -100  # ... its columns scroll ...
    assert abs(moved["first"]) < 1  # ... under a first column that stays


@pytest.mark.parametrize("lang", LANGUAGES)
def test_artu_page_says_what_n_and_n_are_under_the_artu_filter(lang: str) -> None:
    """With the filter "not in use", the ARTU page's adoption reads "in use 0/17" for
    Etelä-Savo: true under the rule that the filter narrows n only, and misleading unless the page
    says so beside the figures, as the comparison, overview and target pages do."""
    caption = t(lang, "outputs2.artu_base", filter=t(lang, "artu_filter.not_in_use"))
    filtered = page_text(open_page("artu.py", lang=lang, wave="esimerkki", artu="not_in_use"))
    assert caption in filtered
    assert "0/17" in filtered
    unfiltered = page_text(open_page("artu.py", lang=lang, wave="esimerkki"))
    assert t(lang, "outputs2.artu_base", filter="")[:40] not in unfiltered
