"""Property: random valid responses, written as Finnish Excel writes them, validated and imported,
give the regional figures that an independent pandas computation gives."""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import copy_data_folder
from tilannekuva.db import Database
from tilannekuva.importer import import_responses
from tilannekuva.register import load_register
from tilannekuva.schema import COUNT_COLUMNS, RESPONSE_COLUMNS, YES_NO_COLUMNS

FINNISH_TYPE = {"municipality": "kunta", "police": "poliisi", "rescue": "pelastus"}
FINNISH_STATUS = {"ready": "valmis", "started": "aloitettu", "not_started": "aloittamatta"}
FINNISH_SCOPE = {"municipal": "kunta", "sub_regional": "seutukunta", "province_wide": "maakunta"}
ANSWER = st.sampled_from([True, False, None])
NO_TOTAL = {"total": False, "total_label": "", "regions_label": ""}
# Imports are checked against the register of the wave's year (issue #7): the wave is of 2025,
# its municipalities real ones of the three regions with their own region.
WAVE = "2025-pbt"
MUNICIPALITIES = [
    (m.code, m.region_code) for m in load_register().municipalities_of(2025, ["10", "11", "12"])
]


@st.composite
def answer(draw: st.DrawFn, code: str, region: str, kind: str) -> dict[str, object]:
    status = draw(st.sampled_from(["ready", "started", "not_started"]))
    row: dict[str, object] = {
        "respondent_type": kind,
        "municipality_code": code,
        "region_code": region,
        "plan_status": status,
        "plan_year": draw(st.integers(1990, 2025)) if status == "ready" else None,
        "plan_scope": None
        if status == "not_started"
        else draw(st.sampled_from(sorted(FINNISH_SCOPE))),
    }
    for column in YES_NO_COLUMNS:
        value = draw(ANSWER)
        if status == "not_started" and column in ("council_approved", "published"):
            value = draw(st.sampled_from([False, None]))
        row[column] = value
    return row


@st.composite
def wave(draw: st.DrawFn) -> list[dict[str, object]]:
    chosen = draw(st.lists(st.sampled_from(MUNICIPALITIES), min_size=1, max_size=25, unique=True))
    rows = []
    for code, region in chosen:
        kinds = draw(
            st.lists(st.sampled_from(sorted(FINNISH_TYPE)), min_size=1, max_size=3, unique=True)
        )
        rows += [draw(answer(code, region, kind)) for kind in kinds]
    return rows


def excel_fi(rows: list[dict[str, object]]) -> bytes:
    """As Finnish Excel saves "CSV UTF-8": BOM, ';', CRLF, Finnish words."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESPONSE_COLUMNS)
    for row in rows:
        cells = {
            "wave": WAVE,
            "organisation": f"Org {row['municipality_code']} {row['respondent_type']}",
            "municipality_name": f"Kunta {row['municipality_code']}",
            "sub_region": "",
            "respondent_type": FINNISH_TYPE[str(row["respondent_type"])],
            "municipality_code": row["municipality_code"],
            "region_code": row["region_code"],
            "plan_status": FINNISH_STATUS[str(row["plan_status"])],
            "plan_year": "" if row["plan_year"] is None else row["plan_year"],
            "plan_scope": ""
            if row["plan_scope"] is None
            else FINNISH_SCOPE[str(row["plan_scope"])],
        }
        for column in YES_NO_COLUMNS:
            cells[column] = {True: "kyllä", False: "ei", None: ""}[row[column]]  # type: ignore[index]
        writer.writerow([cells[column] for column in RESPONSE_COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def expected_figures(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The counting rules, independently: one answer per municipality (own, rescue, police)."""
    frame = pd.DataFrame(rows)
    frame["rank"] = frame["respondent_type"].map({"municipality": 0, "rescue": 1, "police": 2})
    chosen = frame.sort_values("rank").drop_duplicates("municipality_code")
    started = chosen["plan_status"] == "started"
    figures = chosen.assign(
        plan_ready=chosen["plan_status"] == "ready",
        plan_started=started,
        plan_not_started=chosen["plan_status"] == "not_started",
        council_approved=chosen["council_approved"].eq(True),
        published=chosen["published"].eq(True),
        artu_in_use=chosen["artu_in_use"].eq(True),
        in_progress_municipal=started & (chosen["plan_scope"] == "municipal"),
        in_progress_sub_regional=started & (chosen["plan_scope"] == "sub_regional"),
        in_progress_province_wide=started & (chosen["plan_scope"] == "province_wide"),
    )
    columns = list(COUNT_COLUMNS)
    grouped = figures.groupby("region_code")[columns].sum().astype(int)
    return grouped.reset_index().sort_values("region_code").reset_index(drop=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wave())
def test_excel_fi_round_trip_gives_the_independent_figures(rows: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "data"
        copy_data_folder(folder)
        result = import_responses(excel_fi(rows), folder)
        assert result.ok, [p.message("en") for p in result.all_problems()]
        assert len(result.report.rows) == len(rows)
        stored = Database(folder).run(
            "region_status", wave=WAVE, regions=[], lang="fi", artu="all", **NO_TOTAL
        )
        actual = stored.drop(columns="region").astype({c: int for c in stored.columns[2:]})
        pd.testing.assert_frame_equal(
            actual.reset_index(drop=True), expected_figures(rows), check_dtype=False
        )
