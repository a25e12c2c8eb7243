"""Where a download's figures come from and which filters made it (issue #8).

One :class:`Provenance` per download, made from the wave's row of the ``waves`` query and the
selection; the workbook's About sheet, the chart images' footer and the meeting pack's page footer
all write it from here, so the three never disagree.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from tilannekuva.config import PROJECT_DIR
from tilannekuva.formatting import format_date, format_percent_value, is_unknown
from tilannekuva.i18n import t
from tilannekuva.tables import Selection
from tilannekuva.wave import Wave

# The troika works in Finnish time; a bare server clock (often UTC) would date a file wrongly.
HELSINKI = ZoneInfo("Europe/Helsinki")


@cache
def app_version() -> str:
    """The version in pyproject.toml: the app runs from a checkout, not an installed package."""
    with (PROJECT_DIR / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def _known(value: Any) -> Any:
    return None if is_unknown(value) else value


@dataclass(frozen=True)
class Provenance:
    """What a file says about itself. ``area`` is the name of the area the view covers (issue
    #16: "Itä-Suomi", "Valitut maakunnat (Kainuu, Lappi)", areas.view_area), ``artu`` the ARTU
    filter ('all', 'in_use', 'not_in_use'); ``level`` is 'region' or 'response'; unknown
    metadata is None, never 0."""

    wave_id: str
    wave_title: str
    year: int | None
    classification_year: int | None
    level: str
    fictional: bool
    source: str
    response_rate_percent: float | None
    area: str
    artu: str
    extracted: datetime
    version: str
    municipality: str = ""  # the municipality page's downloads name their municipality


def make_provenance(
    wave: Wave, selection: Selection, area: str, extracted: datetime | None = None
) -> Provenance:
    """``area``: the name of the area the selection's view covers, in the UI language."""
    rate = wave.response_rate_percent
    return Provenance(
        wave_id=wave.wave_id,
        wave_title=wave.title,
        year=wave.year,
        classification_year=wave.classification_year,
        level=wave.level,
        fictional=wave.fictional,
        source=wave.source,
        response_rate_percent=None if rate is None else float(rate),
        area=area,
        artu=selection.artu,
        extracted=(extracted or datetime.now(HELSINKI)).astimezone(HELSINKI),
        version=app_version(),
        municipality=selection.municipality,
    )


def source_text(prov: Provenance, lang: str) -> str:
    """The source in words (the pack, the image footers, the About sheet)."""
    return wave_source_text(prov.level, prov.fictional, prov.wave_id, prov.source, lang)


def wave_source_text(level: str, fictional: bool, wave_id: str, source: str, lang: str) -> str:
    """A wave's source in words. A response-level wave's stored source is a file path inside the
    data folder, and for the shipped examples a free text after it, which says nothing to a
    reader (issue #8; the overview showed the last path part of that text, ")"): name the kind
    of data instead. A regional table's source is the citation of the publication."""
    if level == "response":
        key = "prov.source_example" if fictional else "prov.source_responses"
        return t(lang, key, wave=wave_id)
    return source


def artu_text(prov: Provenance, lang: str) -> str:
    if prov.artu == "all":
        return t(lang, "prov.artu_none")
    return t(lang, "prov.artu_value", filter=t(lang, f"artu_filter.{prov.artu}"))


def response_rate_text(prov: Provenance, lang: str) -> str:
    if prov.response_rate_percent is None:
        return t(lang, "prov.response_rate_unknown")
    return format_percent_value(prov.response_rate_percent, lang)


def extracted_text(prov: Provenance, lang: str) -> str:
    moment = prov.extracted
    clock = f"{moment:%H:%M}" if lang == "en" else f"{moment:%H.%M}"
    return t(lang, "prov.datetime", date=format_date(moment.date(), lang), time=clock)


def wave_text(prov: Provenance) -> str:
    if prov.wave_id in prov.wave_title:
        return prov.wave_title
    return f"{prov.wave_title} ({prov.wave_id})"


def base_text(prov: Provenance, lang: str) -> str:
    """What n and N count in this wave, for a file (image footers, the pack): responses (a
    regional table), or municipalities, said in the page's own words (caption.counts_response,
    the caption beside every regional figure): N is the region's municipalities that answered,
    not all its municipalities, and one catalogue text keeps the page, the images and the pack
    from saying it differently."""
    if prov.level == "response":
        return t(lang, "caption.counts_response")
    return t(lang, "prov.base_region")


def about_rows(prov: Provenance, lang: str) -> list[tuple[str, str]]:
    """(label, value) lines for an About sheet or page; the classification year only where the
    wave has one."""
    rows = [
        (t(lang, "prov.source"), source_text(prov, lang)),
        (t(lang, "prov.wave"), wave_text(prov)),
        (t(lang, "prov.year"), ".." if prov.year is None else str(prov.year)),
    ]
    if prov.classification_year is not None:
        rows.append((t(lang, "prov.classification_year"), str(prov.classification_year)))
    rows += [
        (t(lang, "prov.area"), prov.area),
        *([(t(lang, "prov.municipality"), prov.municipality)] if prov.municipality else []),
        (t(lang, "prov.artu"), artu_text(prov, lang)),
        (t(lang, "prov.response_rate"), response_rate_text(prov, lang)),
    ]
    return rows


def footer_lines(prov: Provenance, lang: str) -> list[str]:
    """Two short lines for a chart image or a PDF page: the source, then wave, filters, date."""
    lines = [
        t(lang, "prov.footer_source", source=source_text(prov, lang)),
        t(
            lang,
            "prov.footer_filters",
            wave=wave_text(prov),
            area=prov.area,
            artu=(
                t(lang, "prov.artu_none")
                if prov.artu == "all"
                else t(lang, f"artu_filter.{prov.artu}")
            ),
            extracted=extracted_text(prov, lang),
        ),
    ]
    if prov.fictional:
        lines.insert(0, t(lang, "prov.fictional_short"))
    return lines
