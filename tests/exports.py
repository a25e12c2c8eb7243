"""A Microsoft Forms-style export for the tests of issue #17: Finnish question texts of the 2026
questionnaire, Forms' fixed columns in Finnish (with e-mail addresses and names of obviously
fictional people), answers about real municipalities of Lappi (19) and Kainuu (18)."""

from __future__ import annotations

import io

import openpyxl

from tilannekuva.questionnaire import shipped_questionnaires

WAVE = "2026-pohjoinen"
QUESTIONNAIRE = shipped_questionnaires()["2026"]
TEXT = {q.id: q.text["fi"] for q in QUESTIONNAIRE.questions}
# Forms' fixed columns in Finnish, then the questions by their Finnish texts (as the coordinator
# wrote them into Forms: the first one with its number, one with a different case), then a free
# text comment. Fictional people; real municipalities of Lappi (19) and Kainuu (18).
HEADER = [
    "Tunnus",
    "Aloitusaika",
    "Valmistumisaika",
    "Sähköposti",
    "Nimi",
    "Kunta",
    "Vastaajataho",
    "1. " + TEXT["plan_status"],
    TEXT["plan_year"],
    TEXT["plan_scope"],
    TEXT["council_approved"].upper(),
    TEXT["published"],
    TEXT["artu_in_use"],
    TEXT["themes_2023"],
    TEXT["comments"],
]
PEOPLE = [
    ("matti.meikalainen@example.invalid", "Matti Meikäläinen (kuvitteellinen)"),
    ("maija.virtanen@example.invalid", "Maija Virtanen (kuvitteellinen)"),
]
ROWS = [
    # kunta, vastaajataho, tila, vuosi, laajuus, valtuusto, julkaistu, ARTU, teemat
    ("Rovaniemi", "Kunta", "Valmis", 2024, "Kunta", "Kyllä", "Kyllä", "Ei",
     "Katujengit;Ikääntyneiden turvallisuus"),
    ("Rovaniemi", "Poliisi", "valmis", 2024, "kunta", None, None, None, None),
    ("Kemi", "Kunta", "Aloitettu", None, "Seutukunta", "Ei", "Ei", "Ei", "Katujengit"),
    ("Tornio", "Pelastuslaitos", "Aloittamatta", None, None, None, None, None, None),
    ("Kajaani", "Kunta", "Valmis", 2023, "Maakunta", "Kyllä", "Ei", "Kyllä", None),
    ("Sotkamo", "Kunta", "Aloitettu", None, "Kunta", None, None, None, None),
]  # fmt: skip


def forms_export(rows: list[tuple[object, ...]] = ROWS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Taulukko1"
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=1):
        email, name = PEOPLE[number % 2]
        sheet.append(
            [number, "2026-03-02 09:00:00", "2026-03-02 09:12:00", email, name, *row, "Hei!"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
