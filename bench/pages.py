"""The pages the benchmark visits: every page of app.py, each with an address that makes it draw
its tables and charts (the municipality views on the example wave, as the browser tests do)."""

from __future__ import annotations

from tilannekuva import page_list
from tilannekuva.config import PROJECT_DIR

APP = PROJECT_DIR / "app.py"
BARE_PAGE = PROJECT_DIR / "bench" / "bare_page.py"
RESPONSE_LEVEL = {
    "worklist",
    "themes",
    "questions",
    "municipalities",
    "respondents",
    "municipality",
}
# The page list's pages (tilannekuva.page_list) as (file in app_pages/, address path); "" is the
# overview. A new page is benchmarked without a line here.
PAGES = tuple((listed.file, listed.address) for listed in page_list.PAGES)


def query(path: str) -> dict[str, str]:
    return {"lang": "fi", "wave": "esimerkki-2014" if path in RESPONSE_LEVEL else "2009"}


def address(path: str) -> str:
    return f"{path}?" + "&".join(f"{key}={value}" for key, value in query(path).items())


def selected(names: str | None) -> tuple[tuple[str, str], ...]:
    """The pages named in a comma-separated list of address paths ("overview" for ""), or all."""
    if not names:
        return PAGES
    wanted = {"" if name == "overview" else name for name in names.split(",")}
    unknown = wanted - {path for _, path in PAGES}
    if unknown:
        raise SystemExit(f"unknown pages: {sorted(unknown)}")
    return tuple(page for page in PAGES if page[1] in wanted)
