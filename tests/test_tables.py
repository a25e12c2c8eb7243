"""The ``-- level: response`` header line: a table that needs a response-level wave says so in its
SQL file (tests/test_cli.py checks each header against the shipped data)."""

from __future__ import annotations

import pytest

from tilannekuva.db import NamedQuery, QueryError
from tilannekuva.tables import needs_response_level


def query(header: str) -> NamedQuery:
    return NamedQuery(
        "example", f"-- example: a table\n{header}-- column n: count\nselect 1 as n\n", frozenset()
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [("", False), ("-- level: response\n", True), ("--level:response  \n", True)],
)
def test_the_level_line_is_read(header: str, expected: bool) -> None:
    assert needs_response_level(query(header)) is expected


@pytest.mark.parametrize(
    "header",
    [
        "-- level: region\n",
        "-- level: responses\n",
        "-- level:\n",
        "-- level: response\n-- level: response\n",
    ],
)
def test_another_level_is_refused_with_the_file_name(header: str) -> None:
    with pytest.raises(QueryError, match=r"^example\.sql: the header may say '-- level: response'"):
        needs_response_level(query(header))
