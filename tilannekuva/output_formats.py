"""The formats a table is written in: the one list that ``export --format`` offers and that the open
data folder holds every table in (open_data.table_bytes writes each). A module of its own that
imports nothing, so the command line names the formats without loading pandas (issue #9), and
no second list has to be held equal to the first (issue #20 item 4)."""

FORMATS = ("csv", "excel", "xlsx", "json")
BINARY_FORMATS = ("xlsx",)  # bytes that are not text: never written to a terminal
