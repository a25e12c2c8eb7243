"""A survey wave as the pages use it: a typed, frozen record instead of a row dict, so that a
missing field is an error in one place (here) and an unknown value is None, never NaN or <NA>."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NOT_AVAILABLE = ".."


def _known(value: Any) -> Any:
    """None for pandas' and DuckDB's ways of saying "unknown" (None, NA, NaN)."""
    if value is None:
        return None
    try:
        return None if value != value else value  # NaN and pd.NA are not equal to themselves
    except TypeError:  # pd.NA refuses to be a bool
        return None


def _year(value: Any) -> int | None:
    known = _known(value)
    return None if known is None else int(known)


@dataclass(frozen=True)
class Wave:
    wave_id: str
    title: str
    year: int | None
    target_group: str
    response_rate_percent: int | None
    level: str  # 'region' (a published regional table) or 'response'
    fictional: bool
    source: str
    classification_year: int | None = None  # the municipality classification the wave uses
    area: str = ""  # the area the wave was sent to, by its name (issue #16)
    questionnaire: str = ""  # the id of the questionnaire it asked (data/questionnaires/)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Wave:
        """From a row of the ``waves`` table (tables.titled_waves)."""
        year = _known(record.get("year"))
        rate = _known(record.get("response_rate_percent"))
        return cls(
            wave_id=str(record["wave_id"]),
            title=str(_known(record.get("title")) or record["wave_id"]),
            year=_year(year),
            target_group=str(_known(record.get("target_group")) or ""),
            response_rate_percent=None if rate is None else int(rate),
            level=str(record.get("level") or "region"),
            fictional=bool(_known(record.get("fictional"))),
            source=str(_known(record.get("source")) or ""),
            classification_year=_year(record.get("classification_year")),
            area=str(_known(record.get("area")) or ""),
            questionnaire=str(_known(record.get("questionnaire")) or ""),
        )

    @property
    def response_level(self) -> bool:
        return self.level == "response"

    @property
    def year_text(self) -> str:
        return NOT_AVAILABLE if self.year is None else str(self.year)
