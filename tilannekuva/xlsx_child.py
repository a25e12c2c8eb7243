"""Read one sheet of an .xlsx workbook and print its cells as JSON: run by survey_files in a child
process with a memory and CPU limit, never imported by the app.

python-calamine (Rust) reads a workbook about ten times faster than openpyxl, but it builds a
sheet as one dense grid from its first to its last cell: a single stray cell in XFD1048576 asks
for 512 GB, and Rust aborts the process on a failed allocation — in the server that would be
every reader's page. Here the limit makes that allocation fail in this child alone, which the
parent reports as a sheet too large to read. Formulas are never evaluated: calamine reads the
value Excel cached for them.

stdin: the workbook's bytes. argv[1]: JSON {"sheet": name or null, "rows": n, "columns": n}.
argv[1] also says "chars": the most text the output may hold.
stdout: JSON {"sheets": [...], "sheet": name, "rows": [[cell text, ...], ...], "height": the last
row with a cell} from row 1 and column A, or {"error": "no_sheet" | "damaged" | "encrypted" |
"too_large"}.
"""

import datetime as dt
import io
import json
import resource
import sys

MEMORY_BYTES = 1 << 30  # far above a 3,000-row sheet's needs, far below a hostile one's
CPU_SECONDS = 20


def text(value: object) -> str:
    """A cell as the user sees it: a whole number without ".0" (Excel keeps 91 as 91.0), a date
    as ISO 8601, a truth value as Excel shows it, an empty cell as ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    options = json.loads(sys.argv[1])
    data = sys.stdin.buffer.read()
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        print(json.dumps({"error": "encrypted"}))
        return
    except Exception:  # a damaged workbook: calamine raises several kinds
        print(json.dumps({"error": "damaged"}))
        return
    names = list(book.sheet_names)
    name = options["sheet"] if options["sheet"] is not None else (names[0] if names else None)
    if name is None or name not in names:
        print(json.dumps({"error": "no_sheet", "sheets": names}))
        return
    try:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False, nrows=options["rows"])
        height = (sheet.end[0] + 1) if sheet.end else 0  # the last row with a cell, from 1
    except Exception:
        print(json.dumps({"error": "damaged"}))
        return
    width = options["columns"]
    cells = [[text(value) for value in row[:width]] for row in rows]
    # The parent reads all of this into its memory: a sheet of long texts repeated in every cell
    # is refused here, not there (issue #17 probe: 249 kB of shared strings grew to 1.2 GB).
    if sum(len(cell) for row in cells for cell in row) > options["chars"]:
        print(json.dumps({"error": "too_large"}))
        return
    found = {"sheets": names, "sheet": name, "rows": cells, "height": height}
    json.dump(found, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
