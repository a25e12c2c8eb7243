"""The package's boundaries, checked on the source (issue #20 item 5): Streamlit is imported only
by app.py, app_pages/ and tilannekuva/web/, and its private modules only by web/internals.py;
DuckDB only by tilannekuva/db.py; and nothing outside the web layer imports it, so the command
line and the files it writes never start Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tilannekuva.config import PROJECT_DIR

APP_FILES = sorted(
    [
        PROJECT_DIR / "app.py",
        *(PROJECT_DIR / "app_pages").glob("*.py"),
        *(PROJECT_DIR / "tilannekuva").rglob("*.py"),
        *(PROJECT_DIR / "deploy").glob("*.py"),
    ]
)
WEB = PROJECT_DIR / "tilannekuva" / "web"
INTERNALS = WEB / "internals.py"
DB = PROJECT_DIR / "tilannekuva" / "db.py"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function: ``import a.b`` gives a.b,
    ``from a.b import c`` gives a.b and a.b.c (c may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _name(path: Path) -> str:
    return str(path.relative_to(PROJECT_DIR))


def in_web_layer(path: Path) -> bool:
    return path == PROJECT_DIR / "app.py" or path.parent.name == "app_pages" or WEB in path.parents


def test_the_scan_sees_the_files_it_guards() -> None:
    names = {_name(path) for path in APP_FILES}
    assert {"app.py", "tilannekuva/db.py", "tilannekuva/web/store.py"} <= names
    assert {"tilannekuva/cli/__init__.py", "app_pages/overview.py"} <= names
    assert "streamlit" in imported_modules(WEB / "store.py")
    assert "duckdb" in imported_modules(DB)


@pytest.mark.parametrize("path", APP_FILES, ids=_name)
def test_streamlit_is_imported_only_by_the_web_layer(path: Path) -> None:
    streamlit = {m for m in imported_modules(path) if m.split(".")[0] == "streamlit"}
    if not in_web_layer(path):
        assert not streamlit, f"{_name(path)} imports {sorted(streamlit)}"
    elif path != INTERNALS:
        # Only the public API: Streamlit's other modules are internals (web/internals.py says
        # which are used and why).
        assert streamlit <= {"streamlit"}, f"{_name(path)} imports {sorted(streamlit)}"


@pytest.mark.parametrize("path", APP_FILES, ids=_name)
def test_duckdb_is_imported_only_by_db(path: Path) -> None:
    duckdb = {m for m in imported_modules(path) if m.split(".")[0] == "duckdb"}
    assert path == DB or not duckdb, f"{_name(path)} imports {sorted(duckdb)}"


@pytest.mark.parametrize("path", APP_FILES, ids=_name)
def test_only_the_web_layer_imports_the_web_layer(path: Path) -> None:
    web = {m for m in imported_modules(path) if m.startswith("tilannekuva.web")}
    assert in_web_layer(path) or not web, f"{_name(path)} imports {sorted(web)}"
