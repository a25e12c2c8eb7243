"""Response files for tests: a valid row to vary, written the way Finnish Excel writes it."""

from __future__ import annotations

import datetime as dt

from tilannekuva.responses import RESPONSE_COLUMNS

REGIONS = ["10", "11", "12"]
TODAY = dt.date(2026, 11, 28)
BASE = {
    "wave": "2010",
    "respondent_type": "municipality",
    "organisation": "Testilän kunta",
    "municipality_code": "901",
    "municipality_name": "Testilä",
    "region_code": "10",
    "sub_region": "Testiseutu",
    "plan_status": "ready",
    "plan_year": "2008",
    "plan_scope": "municipal",
} | {column: "" for column in RESPONSE_COLUMNS[10:]}


def file_text(*rows: dict[str, str], separator: str = ";", newline: str = "\r\n") -> str:
    lines = [separator.join(RESPONSE_COLUMNS)]
    lines += [separator.join({**BASE, **row}[c] for c in RESPONSE_COLUMNS) for row in rows]
    return newline.join(lines) + newline
