"""The meeting pack as tagged PDF/UA-1 (issue #19 item 1), read back with pikepdf: the structure
tree's headings, tables with header cells, Figures whose alternative text is the chart's figures
as text, lists; the document's language, title and PDF/UA identification; the footer and page
numbers as artifacts. Text no font can show and text that looks like Typst markup stay printable
text."""

from __future__ import annotations

import csv
import subprocess
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest

from tests.helpers import provenance_of
from tilannekuva.db import Database
from tilannekuva.figures import make
from tilannekuva.i18n import t
from tilannekuva.pack import pack_bytes
from tilannekuva.pdf_layout import REPLACEMENT, printable
from tilannekuva.provenance import HELSINKI
from tilannekuva.tables import Selection, build_table

EXTRACTED = datetime(2026, 11, 28, 16, 45, tzinfo=HELSINKI)
PDFUA = "{http://www.aiim.org/pdfua/ns/id/}part"
TITLE = "{http://purl.org/dc/elements/1.1/}title"
NOTE = '中文 🦀 #set page(width: 1cm) *lihava* $x$ @viite #read("/etc/passwd")'


def structure(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """Every structure element under ``node`` (the StructTreeRoot, or an element), in reading
    order."""
    found: list[pikepdf.Dictionary] = []

    def walk(kid: object) -> None:
        if isinstance(kid, pikepdf.Array):
            for child in kid:
                walk(child)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            walk(kid.get("/K"))

    walk(node.get("/K"))
    return found


def tags(elements: list[pikepdf.Dictionary], name: str) -> list[pikepdf.Dictionary]:
    return [element for element in elements if name == element.S]


def attributes(element: pikepdf.Dictionary) -> dict[str, object]:
    found: dict[str, object] = {}
    listed = element.get("/A")
    for owner in listed if isinstance(listed, pikepdf.Array) else [listed] if listed else []:
        found.update({str(key): value for key, value in owner.items()})
    return found


def made(db: Database, selection: Selection, folder: Path) -> Path:
    path = folder / "pack.pdf"
    path.write_bytes(pack_bytes(db, selection, provenance_of(db, selection, EXTRACTED)))
    return path


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_regions_pack_is_tagged(shipped_db: Database, tmp_path: Path, lang: str) -> None:
    """The done-when of issue #19: `pack --wave 2009 --region 10` in fi and sv."""
    selection = Selection("2009", ("10",), lang)
    path = made(shipped_db, selection, tmp_path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        metadata = pdf.open_metadata()
        title = t(lang, "pack.title", area="Etelä-Savo" if lang == "fi" else "Södra Savolax")
        assert metadata[TITLE] == title
        assert metadata[PDFUA] == "1"
        elements = structure(pdf.Root.StructTreeRoot)

        # One H1, the title; a H2 for each section, in the pack's order.
        assert [str(h.T) for h in tags(elements, "/H1")] == [title]
        sections = [str(h.T) for h in tags(elements, "/H2")]
        expected = ["pack.headline", "pack.status_title", "pack.scope_title", "pack.artu_title"]
        expected += ["pack.workshops_title", "pack.notes_title"]
        assert [s for s in sections if not s.startswith(t(lang, "figure.title_map"))] == [
            t(lang, key) for key in expected
        ]

        # The key figures' table: a header row of column header cells.
        [table] = tags(elements, "/Table")
        header_cells = tags(structure(table), "/TH")
        # the measure, the region and the whole area (2009 is the first wave: no previous one)
        assert len(header_cells) == 3
        assert all(attributes(cell)["/Scope"] == "/Column" for cell in header_cells)
        assert len(tags(structure(table), "/TD")) == 4 * 3

        # Every chart and the map a Figure whose alternative text is its figures as text.
        alts = [str(figure.Alt) for figure in tags(elements, "/Figure")]
        shares = build_table(shipped_db, "measure_shares", selection)
        status = make("status", lambda name: shares, lang, "count").alternative
        artu = make("artu", lambda name: shares, lang).alternative
        assert len(alts) == 4  # status, map, scope, ARTU
        assert alts[0] == " ".join(status) and alts[3] == " ".join(artu)
        assert all(alt.strip() for alt in alts)

        # The figures as text, the workshops and the notes as lists.
        assert len(tags(elements, "/L")) >= 4 and tags(elements, "/LI")

        # The footer (source, view, page number) is an artifact on every page, not content.
        for page in pdf.pages:
            marked = [
                operands[1]
                for operands, operator in pikepdf.parse_content_stream(page)
                if str(operator) == "BDC" and operands[0] == "/Artifact"
            ]
            assert any(m.get("/Subtype") == "/Footer" for m in marked)

    # Its text still carries the region's figures, the workshop date and the response rate.
    text = " ".join(pdftotext(path).split())
    workshop = "Työkokous, Etelä-Savo: 1.10.2009" if lang == "fi" else "Södra Savolax: 1.10.2009"
    assert workshop in text
    assert "6/17" in text and "70 %" in text


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_a_region_beside_its_area_and_the_previous_wave(
    shipped_db: Database, tmp_path: Path
) -> None:
    """The key figures of a region beside the whole area's and the same region's in the
    previous comparable wave, each as share and n/N, the few-answers mark on each."""
    selection = Selection("esimerkki-2014", ("12",), "fi")
    with pikepdf.open(made(shipped_db, selection, tmp_path)) as pdf:
        # the key figures; the worklist's table follows
        table = tags(structure(pdf.Root.StructTreeRoot), "/Table")[0]
        assert len(tags(structure(table), "/TH")) == 4
    text = " ".join(pdftotext(tmp_path / "pack.pdf").split())
    for row in build_table(shipped_db, "key_figure_change", selection).to_dict("records"):
        assert f"{row['n_previous']}/{row['total_n_previous']} (N < 5)" in text
    whole = build_table(shipped_db, "key_figures", Selection("esimerkki-2014", (), "fi"))
    assert "Itä-Suomi yhteensä" in set(whole["region"])
    for row in whole.to_dict("records"):
        assert f"· {row['n']}/{row['responses']}" in text


def test_printable_keeps_what_the_font_has() -> None:
    assert printable("Äänekoski – Ohcejohka š ŋ Ж") == "Äänekoski – Ohcejohka š ŋ Ж"
    assert printable("a\nb\tc\x07d\u200be") == "a b cde"
    assert printable("中 🦀") == f"{REPLACEMENT} {REPLACEMENT}"
    assert printable("Maa\u00adkunta") == "Maa\u00adkunta"  # a header's break point stays
    assert printable("a\u2028b\u2029c") == "a b c"  # line and paragraph separators: a space
    # A real word stays whole (Typst hyphenates it); a "word" of hundreds of letters may break.
    assert printable("Turvallisuussuunnittelukokouksessakin") == (
        "Turvallisuussuunnittelukokouksessakin"
    )
    long = printable("W" * 100)
    assert long.replace("\u200b", "") == "W" * 100 and long.count("\u200b") == 12


def test_data_text_no_font_has_or_like_typst_markup_stays_text(
    data_copy: Path, tmp_path: Path
) -> None:
    """PDF/UA allows no glyph without a font: a character DejaVu lacks is shown as "�", and the
    pack is still made; Typst markup in the data is printed as written."""
    notes = data_copy / "data_notes.csv"
    with notes.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["note_fi"] = NOTE
    with notes.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    path = made(Database(data_copy), Selection("2009", (), "fi"), tmp_path)
    text = "".join(pdftotext(path).split())  # without spaces: a line may break anywhere
    shown = NOTE.replace("中文 🦀", "�� �")
    assert "".join(shown.split()) in text
    assert "root:" not in text


def test_a_value_of_thousands_of_letters_wraps_and_reads_back_whole(
    data_copy: Path, tmp_path: Path
) -> None:
    """A note without spaces ran off the page (a probe of issue #19): it wraps, and every
    letter is in the text; a waves.csv title of thousands of letters is cut in the footer."""
    notes = data_copy / "data_notes.csv"
    with notes.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["note_fi"] = "W" * 3000
    with notes.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    waves = data_copy / "waves.csv"
    text = waves.read_text(encoding="utf-8")
    title = "Paikallisen turvallisuussuunnittelun tilannekysely 2009"
    waves.write_text(text.replace(title, "Kysely " + "pitkä " * 800, 1), encoding="utf-8")
    path = made(Database(data_copy), Selection("2009", (), "fi"), tmp_path)
    read = pdftotext(path).replace("\u200b", "")
    assert read.count("W") == 3000  # every letter, on the pages (no other W in the pack)
    pages = [page for page in read.split("\f") if page.strip()]
    for number, page in enumerate(pages, start=1):
        assert f"Sivu {number}/{len(pages)}" in page  # the footer is on the page, not pushed off
        assert "pitkä pitk…" in page  # the title cut short in the footer line
