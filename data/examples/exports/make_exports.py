"""Make the example survey-tool exports of issue #17: the same fictional round as three tools
would export it, so a coordinator can try the mapping before a real round.

    .venv/bin/python data/examples/exports/make_exports.py

writes, beside this script:
- forms-kunnat.xlsx — Microsoft Forms: Finnish fixed columns (Tunnus, Aloitusaika,
  Valmistumisaika, Sähköposti, Nimi), Finnish question texts, several choices joined by ";", a
  column saying whose answers they are;
- webropol-poliisi.xlsx — Webropol: Swedish question texts, municipality codes, one column per
  choice of a several-choices question (1/0), the police's answers (one value for the file);
- limesurvey-pelastus.csv — LimeSurvey: UTF-8 with BOM, its fixed columns (id, submitdate, …,
  token, ipaddr), full question texts, several choices as "Question [choice]" columns, the rescue
  services' answers;
- pohja-esimerkki.csv — the project's own response template (the 2009 questionnaire's columns) as
  Finnish Excel saves it (BOM, ";", CRLF, Finnish words), which validates and imports as it is,
  no mapping needed (wave esimerkki-2014-pohja; issue #21 asked for a sample a newcomer can
  import).

Everything is fictional: the municipalities are the example register's (data/examples/register,
codes 951–963, names marked "(esimerkki)"), the people's names are marked "(kuvitteellinen)" and
their e-mail addresses end in .invalid (RFC 2606: never a real address). The waves
esimerkki-2014-forms, -webropol and -limesurvey start with "esimerkki", which makes them fictional
(checked against that register, shown with the example banner). The files are deterministic: the
same script gives the same bytes, so a test can check the shipped files are this script's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tilannekuva.questionnaire import shipped_questionnaires  # noqa: E402

QUESTIONNAIRE = shipped_questionnaires()["2026"]
FI = {q.id: q.text["fi"] for q in QUESTIONNAIRE.questions}
SV = {q.id: q.text["sv"] for q in QUESTIONNAIRE.questions}
CHOICES = {q.id: {c.id: c.text for c in q.choices} for q in QUESTIONNAIRE.questions}
# The example register of 2014: (code, Finnish name, Swedish name).
MUNICIPALITIES = [
    ("951", "Esimerkkilä (esimerkki)", "Esimerkkilä (exempel)"),
    ("952", "Kuvitelmala (esimerkki)", "Kuvitelmala (exempel)"),
    ("954", "Keksitty (esimerkki)", "Keksitty (exempel)"),
    ("956", "Satula (esimerkki)", "Satula (exempel)"),
    ("958", "Kokeilukoski (esimerkki)", "Kokeilukoski (exempel)"),
    ("960", "Opetuslahti (esimerkki)", "Opetuslahti (exempel)"),
    ("962", "Leikkilä (esimerkki)", "Leikkilä (exempel)"),
]
# Their regions in the example register (10 Etelä-Savo, 11 Pohjois-Savo, 12 Pohjois-Karjala).
REGIONS = {
    "951": "10",
    "952": "10",
    "954": "10",
    "956": "11",
    "958": "11",
    "960": "12",
    "962": "12",
}
PEOPLE = [
    ("Maija Mallikas (kuvitteellinen)", "maija.mallikas@example.invalid"),
    ("Teemu Testaaja (kuvitteellinen)", "teemu.testaaja@example.invalid"),
    ("Kaisa Kokeilija (kuvitteellinen)", "kaisa.kokeilija@example.invalid"),
]
# One answer per municipality: status, year, scope, approved, published, ARTU, themes (ids).
ANSWERS = [
    ("ready", 2013, "municipal", True, True, False, ["street_gangs", "older_people_safety"]),
    ("started", None, "sub_regional", False, False, False, ["youth_violence"]),
    ("not_started", None, None, None, None, False, []),
    ("ready", 2012, "province_wide", True, False, True, ["violent_extremism"]),
    ("started", None, "municipal", None, None, None, []),
    ("ready", 2014, "municipal", True, True, True, ["older_people_safety"]),
    ("not_started", None, None, None, None, None, []),
]
START = dt.datetime(2014, 3, 3, 9, 0)
YES_NO_FI = {True: "Kyllä", False: "Ei", None: ""}
YES_NO_SV = {True: "Ja", False: "Nej", None: ""}
FIXED = {"created": START}  # XlsxWriter: a fixed creation time keeps the bytes the same


def _choice(question: str, choice: str | None, lang: str) -> str:
    return CHOICES[question][choice][lang] if choice else ""


def forms() -> bytes:
    header = ["Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi", "Kunta",
              "Vastaajataho", FI["plan_status"], FI["plan_year"], FI["plan_scope"],
              FI["council_approved"], FI["published"], FI["artu_in_use"], FI["themes_2023"],
              FI["comments"]]  # fmt: skip
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(FIXED)
    sheet = book.add_worksheet("Taulukko1")
    sheet.write_row(0, 0, header)
    for number, ((_, name, _), answer) in enumerate(zip(MUNICIPALITIES, ANSWERS, strict=True)):
        status, year, scope, approved, published, artu, themes = answer
        person, email = PEOPLE[number % len(PEOPLE)]
        started = START + dt.timedelta(hours=number)
        row = [number + 1, started.isoformat(sep=" "),
               (started + dt.timedelta(minutes=11)).isoformat(sep=" "), email, person, name,
               "Kunta", _choice("plan_status", status, "fi").capitalize(), year or "",
               _choice("plan_scope", scope, "fi").capitalize(), YES_NO_FI[approved],
               YES_NO_FI[published], YES_NO_FI[artu],
               ";".join(_choice("themes_2023", t, "fi").capitalize() for t in themes),
               "Vapaata tekstiä, ei tallenneta."]  # fmt: skip
        sheet.write_row(number + 1, 0, row)
    book.close()
    return buffer.getvalue()


def webropol() -> bytes:
    themes = [c.id for c in QUESTIONNAIRE.question("themes_2023").choices]
    header = ["Respondent", "Kommunkod", SV["plan_status"], SV["plan_year"], SV["plan_scope"],
              SV["artu_in_use"]]  # fmt: skip
    header += [f"{SV['themes_2023']} - {_choice('themes_2023', t, 'sv')}" for t in themes]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(FIXED)
    sheet = book.add_worksheet("Svar")
    sheet.write_row(0, 0, header)
    for number, ((code, _, _), answer) in enumerate(zip(MUNICIPALITIES, ANSWERS, strict=True)):
        status, year, scope, _, _, artu, chosen = answer
        row = [number + 1, int(code), _choice("plan_status", status, "sv"), year or "",
               _choice("plan_scope", scope, "sv"), YES_NO_SV[artu]]  # fmt: skip
        row += [1 if t in chosen else 0 for t in themes]
        sheet.write_row(number + 1, 0, row)
    book.close()
    return buffer.getvalue()


def limesurvey() -> bytes:
    themes = [c.id for c in QUESTIONNAIRE.question("themes_2023").choices]
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate",
              "datestamp", "ipaddr", "refurl", "Kunta", FI["plan_status"], FI["plan_year"],
              FI["plan_scope"], FI["council_approved"]]  # fmt: skip
    header += [f"{FI['themes_2023']} [{_choice('themes_2023', t, 'fi')}]" for t in themes]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for number, ((_, name, _), answer) in enumerate(zip(MUNICIPALITIES, ANSWERS, strict=True)):
        status, year, scope, approved, _, _, chosen = answer
        when = (START + dt.timedelta(days=1, hours=number)).isoformat(sep=" ")
        row = [number + 1, when, 3, "fi", 1000 + number, f"tunniste{number}", when, when,
               f"192.0.2.{number + 1}", "", name, _choice("plan_status", status, "fi"),
               year or "", _choice("plan_scope", scope, "fi"), YES_NO_FI[approved]]  # fmt: skip
        row += ["Kyllä" if t in chosen else "" for t in themes]
        writer.writerow(row)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def template() -> bytes:
    columns = shipped_questionnaires()["2009"].file_columns
    words = {
        "ready": "valmis",
        "started": "aloitettu",
        "not_started": "aloittamatta",
        "municipal": "kunta",
        "sub_regional": "seutukunta",
        "province_wide": "maakunta",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for (code, name, _), answer in zip(MUNICIPALITIES, ANSWERS, strict=True):
        status, year, scope, approved, published, artu, _ = answer
        cells = {
            "wave": "esimerkki-2014-pohja",
            "respondent_type": "kunta",
            "organisation": f"{name.split(' (')[0]}, kunta (kuvitteellinen)",
            "municipality_code": code,
            "municipality_name": name,
            "region_code": REGIONS[code],
            "plan_status": words[status],
            "plan_year": str(year or ""),
            "plan_scope": words.get(scope or "", ""),
            "council_approved": YES_NO_FI[approved].lower(),
            "published": YES_NO_FI[published].lower(),
            "artu_in_use": YES_NO_FI[artu].lower(),
        }
        writer.writerow([cells.get(column, "") for column in columns])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


FILES = {
    "forms-kunnat.xlsx": forms,
    "webropol-poliisi.xlsx": webropol,
    "limesurvey-pelastus.csv": limesurvey,
    "pohja-esimerkki.csv": template,
}


def main() -> None:
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
