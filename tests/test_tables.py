"""The ``-- level: response`` header line: a table that needs a response-level wave says so in its
SQL file (tests/test_cli.py checks each header against the shipped data)."""

from __future__ import annotations

import pytest

from tilannekuva.db import NamedQuery, QueryError
from tilannekuva.schema import Column
from tilannekuva.tables import needs_response_level, page_first


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


def test_the_first_on_the_page_line_names_declared_columns() -> None:
    """Issue #21: the columns a page shows first (on a phone the first one stays in place)."""
    columns = (Column("name", "text"), Column("n", "count"))

    def named(header: str) -> NamedQuery:
        sql = f"-- example: a table\n{header}-- column name: text\n-- column n: count\nselect 1\n"
        return NamedQuery("example", sql, frozenset(), columns)

    assert page_first(named("")) == ()
    assert page_first(named("-- first on the page: n, name\n")) == ("n", "name")
    with pytest.raises(QueryError, match=r"^example\.sql: '-- first on the page' names no"):
        page_first(named("-- first on the page: code\n"))
    with pytest.raises(QueryError, match="twice"):
        page_first(named("-- first on the page: n\n-- first on the page: n\n"))
