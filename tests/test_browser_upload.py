"""The three example exports of issue #17 through the upload page in Chromium: each file as it is,
the review step seen (question → column with confidence, the columns left out), then imported
as a fictional wave that the sidebar offers. Whole-page screenshots of the review step go to
test-artifacts/screenshots/upload/ (look at them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import (
    SCREENSHOTS,
    axe_violations,
    described,
    streamlit_server,
    upload_file,
    wait_for_run,
    whole_page_screenshot,
)
from tests.helpers import PROJECT_DIR, copy_data_folder, run_cli
from tilannekuva.i18n import t

pytestmark = pytest.mark.browser

PASSWORD = "selaimen testisalasana"
EXPORTS = PROJECT_DIR / "data" / "examples" / "exports"
CASES = [
    ("forms-kunnat.xlsx", "esimerkki-2014-forms", "", "fi"),
    ("webropol-poliisi.xlsx", "esimerkki-2014-webropol", "police", "sv"),
    ("limesurvey-pelastus.csv", "esimerkki-2014-limesurvey", "rescue", "en"),
]


def choose(page: Page, box: str, option: str) -> None:
    """Pick an option of a selectbox. The list is opened again if a rerun closed it before the
    option could be clicked (a loaded machine: the clean-clone run once timed out here)."""
    for _ in range(3):
        page.get_by_role("combobox", name=box).click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.click(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            wait_for_run(page)
    else:
        raise AssertionError(f"could not choose {option!r} in {box!r}")
    wait_for_run(page)
    expect(page.get_by_role("combobox", name=box)).to_have_value(option)


def signed_in(page: Page, server: str, lang: str) -> Page:
    """The upload page in ``lang`` with the upload password given."""
    page.goto(f"{server}/upload?lang={lang}")
    wait_for_run(page)
    page.get_by_label(t(lang, "upload.password")).fill(PASSWORD)
    page.keyboard.press("Enter")
    wait_for_run(page)
    return page


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_data_folder(tmp_path_factory.mktemp("exports") / "data")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    env = {"TILANNEKUVA_DATA_DIR": str(data_dir), "TILANNEKUVA_UPLOAD_PASSWORD": PASSWORD}
    with streamlit_server(env) as base:
        yield base


@pytest.mark.parametrize(("name", "wave", "respondent", "lang"), CASES, ids=[c[0] for c in CASES])
def test_an_example_export_goes_through_the_review_step(
    page: Page, server: str, data_dir: Path, name: str, wave: str, respondent: str, lang: str
) -> None:
    signed_in(page, server, lang)
    upload_file(page, EXPORTS / name)
    expect(page.get_by_text(t(lang, "upload.map.intro"))).to_be_visible()
    wave_box = page.get_by_role("textbox", name=t(lang, "upload.map.wave"))
    wave_box.fill(wave)
    wave_box.press("Enter")
    wait_for_run(page)
    if respondent:
        choose(
            page, t(lang, "upload.map.respondent"), t(lang, f"upload.map.respondent.{respondent}")
        )
    # The review: the questions' table with the confidence column, and what is left out.
    grid = page.locator("[data-testid='stDataFrame']")
    expect(grid).to_be_visible()
    expect(page.get_by_text(t(lang, "upload.map.left_out", columns="").strip())).to_be_visible()
    body = page.locator("body").inner_text()
    for private in ("Mallikas", "example.invalid", "192.0.2.", "tunniste0"):
        assert private not in body
    violations = described(axe_violations(page))  # every impact, minor ones too
    whole_page_screenshot(page, SCREENSHOTS / "upload" / f"review_{name.split('.')[0]}_{lang}.png")
    assert violations == []
    page.get_by_role("button", name=t(lang, "upload.confirm")).click()
    wait_for_run(page)
    expect(page.get_by_text(t(lang, "upload.done", wave=wave, rows=7))).to_be_visible()
    assert (data_dir / "responses" / f"{wave}.csv").is_file()
    kept = ".".join(filter(None, (wave, respondent)))  # one respondent type's: its own name
    assert (data_dir / "mappings" / f"{kept}.json").is_file()


def test_the_police_file_is_added_to_the_round_in_the_browser(
    page: Page, server: str, data_dir: Path, tmp_path: Path
) -> None:
    """A round in one file per respondent type (issue #17): the municipalities' Forms export is
    the wave (imported here on the command line), the police's Webropol export is added to it on
    the page. The screenshot shows the choice and what the wave will hold."""
    wave, lang = "esimerkki-2014-kierros", "fi"
    mapping = tmp_path / "kunnat.json"
    forms = str(EXPORTS / "forms-kunnat.xlsx")
    made = run_cli("mapping", "suggest", forms, "--wave", wave, "-o", str(mapping),
                   data_dir=data_dir)  # fmt: skip
    assert made.returncode == 0, made.stderr.decode()
    assert run_cli("import", forms, "--mapping", str(mapping), data_dir=data_dir).returncode == 0
    signed_in(page, server, lang)
    page.get_by_text(t(lang, "upload.existing.add")).click()
    wait_for_run(page)
    upload_file(page, EXPORTS / "webropol-poliisi.xlsx")
    wave_box = page.get_by_role("textbox", name=t(lang, "upload.map.wave"))
    wave_box.fill(wave)
    wave_box.press("Enter")
    wait_for_run(page)
    choose(page, t(lang, "upload.map.respondent"), t(lang, "upload.map.respondent.police"))
    added = t(lang, "import.added", wave=wave, kept=7, total=14)
    expect(page.get_by_text(added, exact=False)).to_be_visible()
    violations = described(axe_violations(page))  # every impact, minor ones too
    whole_page_screenshot(page, SCREENSHOTS / "upload" / "add_poliisi_fi.png")
    assert violations == []
    page.get_by_role("button", name=t(lang, "upload.confirm")).click()
    wait_for_run(page)
    expect(page.get_by_text(t(lang, "upload.done", wave=wave, rows=7))).to_be_visible()
    stored = (data_dir / "responses" / f"{wave}.csv").read_text("utf-8").splitlines()
    assert len(stored) == 1 + 14
