"""The meeting pack PDF read back with poppler's pdftotext and pdffonts (Debian poppler-utils):
its figures, its sections and the provenance footer on every page, in fi, sv and en."""

from __future__ import annotations

import csv
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import (
    EXAMPLE_2014,
    KARELIA,
    OLD_BASE_TEXTS,
    area_name,
    provenance_of,
    run_cli,
)
from tilannekuva.db import Database
from tilannekuva.formatting import format_n_of_N, format_percent_value
from tilannekuva.i18n import LANGUAGES, t
from tilannekuva.pack import pack_bytes
from tilannekuva.provenance import HELSINKI, Provenance, footer_lines
from tilannekuva.tables import Selection, build_table

EXTRACTED = datetime(2026, 11, 28, 16, 45, tzinfo=HELSINKI)


def provenance(db: Database, selection: Selection) -> Provenance:
    return provenance_of(db, selection, EXTRACTED)


def pdf_pages(data: bytes, folder: Path) -> list[str]:
    """The PDF's text page by page (pdftotext ends each page with a form feed)."""
    path = folder / "pack.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def flat(text: str) -> str:
    """Words of the text with single spaces, so a wrapped line reads as one."""
    return " ".join(text.split())


def make_pack(db: Database, selection: Selection, folder: Path) -> tuple[list[str], Provenance]:
    prov = provenance(db, selection)
    return pdf_pages(pack_bytes(db, selection, prov), folder), prov


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pack_of_all_regions(shipped_db: Database, tmp_path: Path, lang: str) -> None:
    selection = Selection("2009", (), lang)
    pages, prov = make_pack(shipped_db, selection, tmp_path)
    text = flat("\n".join(pages))
    # The area the 2009 survey was sent to, by its name (issue #16).
    assert text.startswith(flat(t(lang, "pack.title", area=area_name("ita-suomi", lang))))
    for row in build_table(shipped_db, "key_figures", selection).to_dict("records"):
        assert t(lang, f"measure.{row['measure']}") in text
        assert flat(format_percent_value(row["share_percent"], lang, decimals=1)) in text
        assert format_n_of_N(row["n"], row["responses"], lang) in text
    for key in ("pack.status_title", "pack.scope_title", "pack.artu_title", "pack.notes_title"):
        assert t(lang, key) in text
    for row in build_table(shipped_db, "workshops", selection).to_dict("records"):
        assert row["region"] in text
    assert t(lang, "pack.worklist_title") not in text  # a regional table has no worklist
    assert t(lang, "pack.unknown") in text  # the blank scope cells, in words
    assert len(pages) >= 2
    assert_footer_on_every_page(pages, prov, lang)


def assert_footer_on_every_page(pages: list[str], prov: Provenance, lang: str) -> None:
    for number, page in enumerate(pages, start=1):
        body = flat(page)
        for line in footer_lines(prov, lang):
            assert flat(line) in body, (number, line)
        assert t(lang, "pack.page", page=number) in body


def test_footer_names_the_area(shipped_db: Database, tmp_path: Path) -> None:
    pages, prov = make_pack(shipped_db, Selection("2009", ("10", "12"), "sv"), tmp_path)
    assert_footer_on_every_page(pages, prov, "sv")
    area = "Område: Valda landskap (Södra Savolax, Norra Karelen)"
    assert all(area in flat(page) for page in pages)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("region", ["10", "11", "12"])
def test_pack_of_each_region_in_each_language(
    shipped_db: Database, tmp_path: Path, region: str, lang: str
) -> None:
    """A region's pack names that region in its title and footer, gives its figures as text, and
    says nothing of the other regions."""
    selection = Selection("2009", (region,), lang)
    pages, prov = make_pack(shipped_db, selection, tmp_path)
    text = flat("\n".join(pages))
    names = dict(shipped_db.run("regions", lang=lang)[["region_code", "region"]].values)
    assert text.startswith(flat(t(lang, "pack.title", area=names[region])))
    for row in build_table(shipped_db, "artu_adoption", selection).to_dict("records"):
        assert f"{row['region']}: " in text
        assert format_n_of_N(row["n"], row["responses"], lang) in text
    for workshop in build_table(shipped_db, "workshops", selection)["region"]:
        assert workshop == names[region] and workshop in text
    assert not any(name in text for code, name in names.items() if code != region)
    assert_footer_on_every_page(pages, prov, lang)


def test_pack_of_one_region_in_finnish(shipped_db: Database, tmp_path: Path) -> None:
    pages, _ = make_pack(shipped_db, Selection("2009", ("12",), "fi"), tmp_path)
    text = flat("\n".join(pages))
    assert text.startswith("Turvallisuussuunnittelun tilannekuva: Pohjois-Karjala")
    assert "Pohjois-Karjala: valmis 1/14, aloitettu 6/14, aloittamatta 7/14 (N = 14)." in text
    assert "Työkokous, Pohjois-Karjala: 24.9.2009" in text


def test_fictional_filtered_pack_says_so_and_has_the_worklist(
    shipped_db: Database, tmp_path: Path
) -> None:
    selection = Selection("esimerkki", ("10",), "en", artu="in_use")
    pages, _ = make_pack(shipped_db, selection, tmp_path)
    assert t("en", "banner.fictional") in flat(pages[0])
    assert all("FICTIONAL EXAMPLE" in page for page in pages)
    text = flat("\n".join(pages))
    assert "ARTU: in use" in text
    assert t("en", "pack.worklist_title") in text
    for name in build_table(shipped_db, "worklist", selection)["municipality_name"]:
        assert flat(name).split(" (")[0] in text
    assert "examples/esimerkki.csv" not in text


def test_fonts_are_embedded(shipped_db: Database, tmp_path: Path) -> None:
    selection = Selection("2009", (), "sv")
    path = tmp_path / "pack.pdf"
    path.write_bytes(pack_bytes(shipped_db, selection, provenance(shipped_db, selection)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    used = [line for line in fonts.stdout.splitlines() if "BitstreamVera" in line]
    assert used and all(" yes yes yes " in line for line in used)


def test_data_text_stays_text(data_copy: Path, tmp_path: Path) -> None:
    """A note with markup characters prints as written, not as Paragraph markup."""
    notes = data_copy / "data_notes.csv"
    with notes.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["note_fi"] = "<b>lihava</b> & <img src=x> ..."
    with notes.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    pages, _ = make_pack(Database(data_copy), Selection("2009", (), "fi"), tmp_path)
    assert "<b>lihava</b> & <img src=x> ..." in flat("\n".join(pages))


def test_pack_through_the_cli(tmp_path: Path) -> None:
    target = tmp_path / "es.pdf"
    result = run_cli("pack", "--wave", "2009", "--region", "10", "--lang", "sv", "-o", str(target))
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(target.read_bytes(), tmp_path)
    assert flat(pages[0]).startswith("Lägesbild över säkerhetsplaneringen: Södra Savolax")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pack", "--wave", "1999", "-o", "x.pdf"], "unknown wave: 1999"),
        (["pack", "--wave", "2009", "--region", "99", "-o", "x.pdf"], "unknown region: 99"),
        (["pack", "-o", "x.pdf"], "pack: --wave is required"),
    ],
)
def test_pack_bad_arguments(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"error: {message}"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pack_marks_few_answers_and_says_it_is_not_tagged(
    shipped_db: Database, tmp_path: Path, lang: str
) -> None:
    """Issue #8: the headline figures over fewer than 5 answers carry the mark as on the page;
    the pack says it is no tagged PDF and where the accessible equivalents are; under the ARTU
    filter it says what N is."""
    selection = Selection("esimerkki-2012", ("12",), lang, artu="in_use")
    text = flat("\n".join(make_pack(shipped_db, selection, tmp_path)[0]))
    for row in build_table(shipped_db, "key_figures", selection).to_dict("records"):
        assert row["few_answers"]
        n_of_n = format_n_of_N(row["n"], row["responses"], lang)
        assert f"{n_of_n} {t(lang, 'few_answers.mark')}" in text
    # under the headline figures, and after each line of the status and ARTU figures' text,
    # as on the page (figures.make): Pohjois-Karjala and the selection's total, twice each
    assert text.count(flat(t(lang, "few_answers.text"))) == 1 + 2 * 2
    assert flat(t(lang, "pack.untagged")) in text
    artu = t(lang, "artu_filter.in_use")
    assert flat(t(lang, "artu_filter.base", filter=artu)) in text
    many = flat("\n".join(make_pack(shipped_db, Selection("2009", (), lang), tmp_path)[0]))
    assert t(lang, "few_answers.mark") not in many
    assert flat(t(lang, "pack.untagged")) in many


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pack_says_what_n_counts_as_the_page_does(
    shipped_db: Database, tmp_path: Path, lang: str
) -> None:
    selection = Selection(EXAMPLE_2014, KARELIA, lang)
    prov = provenance_of(shipped_db, selection, EXTRACTED)
    text = flat("\n".join(pdf_pages(pack_bytes(shipped_db, selection, prov), tmp_path)))
    # The caption beside every regional figure on the page (ui.counts_text), word for word.
    assert flat(t(lang, "caption.counts_response")) in text
    assert flat(OLD_BASE_TEXTS[lang]) not in text
