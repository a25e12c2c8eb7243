"""Where the data and the named queries live.

Paths are built from this file's location, never from the working directory (STYLE.md).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_DIR / "queries"
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
DATA_DIR_ENV = "TILANNEKUVA_DATA_DIR"


def data_dir() -> Path:
    """The data folder: ``$TILANNEKUVA_DATA_DIR`` when set, else ``data/`` beside ``app.py``."""
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(configured).resolve() if configured else DEFAULT_DATA_DIR
