"""The area a view covers (issue #16): which regions of the wave the view's figures are over,
and what the area is called. The rule lives in SQL (``view_area`` in queries/_macros.sql), next to
the total rows that use it; this module gives it to the captions, the file names, the workbook's
About sheet and the meeting pack, so that every output names the same area."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tilannekuva.db import Database
from tilannekuva.tables import Selection, query_parameters

_CODES = re.compile(r"(\d{2}(;\d{2})*)?")


@dataclass(frozen=True)
class Area:
    """``key`` says which area it is in any language (a named area's id, "region:19", or the
    region codes); ``name`` is its name in the view's language ("Itä-Suomi", "Valitut maakunnat
    (Kainuu, Lappi)"); ``region_codes`` are the regions the view covers, in code order (empty
    when the view covers none of the wave's regions)."""

    key: str
    name: str
    region_codes: tuple[str, ...]

    @property
    def named(self) -> bool:
        """Whether the name is a named area's (areas.csv), not a region's or a list of regions:
        only then does the name not say by itself which regions it holds."""
        return not self.key.startswith("region:") and not _CODES.fullmatch(self.key)


def view_area(db: Database, selection: Selection) -> Area:
    """The area of ``selection``'s view: its regions of the wave's area, and their name."""
    parameters = query_parameters(db.queries["view_area"].parameters, selection)
    row = db.run("view_area", **parameters).iloc[0]
    return Area(str(row["area_key"]), str(row["area"]), tuple(str(c) for c in row["region_codes"]))
