"""Response files for the benchmark: a valid wave of any size (900 rows is a nationwide wave:
300 municipalities answered by municipality, police and rescue), and a data folder with N waves
stored, made through the importer so they are exactly what an import writes.

The municipalities are real ones of the 2009 register (codes, names and regions), because a
response file is checked against the register of its classification year; a wave id starting
with 2009 gives it that year."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from tilannekuva.config import DEFAULT_DATA_DIR
from tilannekuva.importer import import_responses
from tilannekuva.register import load_register
from tilannekuva.schema import RESPONSE_COLUMNS, YES_NO_COLUMNS

RESPONDENTS = ("kunta", "poliisi", "pelastus")
STATUSES = ("valmis", "aloitettu", "aloittamatta")
SCOPES = ("kunta", "seutukunta", "maakunta")
YEAR = 2009  # the register year of the generated waves; their ids start with it


def wave_csv(wave: str, rows: int, year: int = YEAR) -> bytes:
    """``rows`` valid response rows of ``wave`` about the municipalities of ``year``'s register
    (its id must start with that year; three times the register's size is every municipality
    answered by all three respondent types), written as Finnish Excel writes them: BOM, ``;``,
    CRLF, Finnish words."""
    municipalities = load_register().municipalities_of(year)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESPONSE_COLUMNS)
    for index in range(rows):
        number, kind = divmod(index, len(RESPONDENTS))
        status = STATUSES[(number + kind) % len(STATUSES)]
        municipality = municipalities[number % len(municipalities)]
        cells = {
            "wave": wave,
            "respondent_type": RESPONDENTS[kind],
            "organisation": f"{municipality.name_fi} {RESPONDENTS[kind]}",
            "municipality_code": municipality.code,
            "municipality_name": municipality.name_fi,
            "region_code": municipality.region_code,
            "sub_region": f"Seutu {number % 7}",
            "plan_status": status,
            "plan_year": str(2000 + number % 9) if status == "valmis" else "",
            "plan_scope": "" if status == "aloittamatta" else SCOPES[number % len(SCOPES)],
        }
        for position, column in enumerate(YES_NO_COLUMNS):
            answer = ("kyllä", "ei", "")[(number + position + kind) % 3]
            if status == "aloittamatta" and column in ("council_approved", "published"):
                answer = answer if answer != "kyllä" else "ei"
            cells[column] = answer
        writer.writerow([cells[column] for column in RESPONSE_COLUMNS])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


NATIONAL_YEARS = tuple(range(2009, 2027))  # the register's years


def national_folder(target: Path, waves: int) -> tuple[Path, str]:
    """A copy of the shipped data with ``waves`` nationwide waves (issue #16): every municipality
    of the register of the wave's year answered by all three respondent types, all 19 (20)
    regions, sent to all of Finland (area koko-suomi in waves.csv); one a year from 2009, the
    years repeated after 2026. Returns the folder and the newest wave, the one the pages show."""
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=_skip_register)
    register = load_register()
    newest = ""
    for number in range(1, waves + 1):
        year = NATIONAL_YEARS[(number - 1) % len(NATIONAL_YEARS)]
        wave = f"{year}-kansallinen{number:02d}"
        rows = 3 * len(register.municipalities_of(year))
        result = import_responses(wave_csv(wave, rows, year), target, area="koko-suomi")
        if not result.ok:
            problems = [problem.message("en") for problem in result.all_problems()[:3]]
            raise RuntimeError(f"the generated national wave was refused: {problems}")
        newest = max(newest, wave)
    return target, newest


def _skip_register(folder: str, names: list[str]) -> list[str]:
    # The register is read from the project whatever the data folder (register.REGISTER_DIR).
    return ["register"] if Path(folder) == DEFAULT_DATA_DIR else []


def data_folder_with_waves(target: Path, waves: int, rows: int) -> Path:
    """A copy of the shipped data folder with ``waves`` stored waves of ``rows`` rows each
    (wave ids 2009-m01, 2009-m02, ...). Raises if the importer refuses one: a benchmark of refusals
    would measure the wrong thing."""
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=_skip_register)
    for number in range(1, waves + 1):
        result = import_responses(wave_csv(f"{YEAR}-m{number:02d}", rows), target)
        if not result.ok:
            problems = [problem.message("en") for problem in result.all_problems()[:3]]
            raise RuntimeError(f"the generated wave was refused: {problems}")
    return target


def forms_export(template: bytes, wave: str) -> bytes:
    """The answers of a template file (``wave_csv``) as Microsoft Forms exports them (issue #17):
    an .xlsx with Forms' Finnish fixed columns (an e-mail address and a name per row, fictional),
    the municipality by code, whose answers in a column, each question headed by its Finnish
    text, the cells as they are in the template."""
    import xlsxwriter

    from tilannekuva.questionnaire import shipped_questionnaires

    questionnaire = shipped_questionnaires()["2009"]
    rows = list(csv.DictReader(io.StringIO(template.decode("utf-8-sig")), delimiter=";"))
    questions = [q for q in questionnaire.questions if q.stored]
    header = ["Tunnus", "Aloitusaika", "Sähköposti", "Nimi", "Kuntakoodi", "Vastaajataho"]
    header += [question.text["fi"] for question in questions]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Taulukko1")
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        fixed = [number, "2026-03-02 09:00", f"vastaaja{number}@example.invalid",
                 f"Vastaaja {number} (kuvitteellinen)", row["municipality_code"],
                 row["respondent_type"]]  # fmt: skip
        sheet.write_row(number, 0, fixed + [row.get(q.id, "") for q in questions])
    book.close()
    assert rows and all(row["wave"] == wave for row in rows)
    return buffer.getvalue()
