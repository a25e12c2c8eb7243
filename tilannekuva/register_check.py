"""A response file checked against the municipality register of its wave's classification year
(issue #7 item 2). Apart from responses.py, whose checks need nothing but the file, and free of
DuckDB so that validating a file stays fast (issue #9).

Which year: the ``classification_year`` that waves.csv gives the wave; for a wave without a row
there (an imported wave), the year its id starts with ("2025", "2025-syksy") when the register has
that year. Otherwise the file is refused: a code cannot be checked against no register, and a
guessed year would accept a code that was merged away or refuse one that is right.

What is refused and what is only reported: an unknown code, or a code whose region is not the
region the row gives, refuses the file (the code and region decide where the answer is counted).
A name that differs from the register's is a warning: respondents write "Mikkelin kaupunki" or an
old name, the code is what the data is keyed on, and refusing would block files whose every
figure is right; the warning still shows a code that may have been mistyped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from tilannekuva.register import Register, check_municipality, load_register
from tilannekuva.responses import Problem, Report

# The year a wave id starts with ("2025", "2025-syksy"), after the fictional prefix for a
# fictional wave ("esimerkki-2014-forms": datafiles.FICTIONAL_PREFIX).
_LEADING_YEAR = re.compile(r"(?:esimerkki-)?((?:19|20)\d\d)(?:\D|$)")


@functools.lru_cache(maxsize=1)
def real_register() -> Register:
    """The shipped register, read once per process (about a quarter of a second)."""
    return load_register()


def register_for(wave: str, data_dir: Path) -> Register:
    """The register a wave's municipalities are checked against: the real one, or for a
    fictional wave (datafiles.is_fictional) the data folder's example register."""
    from tilannekuva.datafiles import EXAMPLE_REGISTER_DIR, is_fictional

    if is_fictional(wave):
        return _example_register(str(data_dir / EXAMPLE_REGISTER_DIR))
    return real_register()


@functools.lru_cache(maxsize=4)
def _example_register(folder: str) -> Register:
    return load_register(Path(folder))


def classification_year(
    wave: str, declared: Mapping[str, int | None], years: list[int]
) -> int | None:
    """The register year a wave's codes are checked against, or None when none applies."""
    if declared.get(wave) is not None:
        return declared[wave]
    found = _LEADING_YEAR.match(wave)
    if found and int(found.group(1)) in years:
        return int(found.group(1))
    return None


def register_findings(
    report: Report, register: Register, declared: Mapping[str, int | None]
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of an accepted report's rows against the register of its year."""
    wave = report.wave
    year = classification_year(wave, declared, register.years())
    if year is None or year not in register.years():
        first, last = register.years()[0], register.years()[-1]
        line = report.lines[0] if report.lines else None
        problem = Problem(
            "no_classification_year",
            line=line,
            column="wave",
            values={"wave": wave, "first": first, "last": last},
        )
        return [problem], []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for line, row in zip(report.lines, report.rows, strict=True):
        issues = check_municipality(
            register, year, row["municipality_code"], row["region_code"], row["municipality_name"]
        )
        for issue in issues:
            found = Problem(
                f"register_{issue.kind}",
                line=line,
                column=issue.column,
                values={"value": issue.value, "expected": issue.expected, "year": year},
            )
            (warnings if issue.kind == "name_differs" else problems).append(found)
    return problems, warnings
