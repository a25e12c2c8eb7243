"""Where the data and the named queries live.

Paths are built from this file's location, never from the working directory (STYLE.md).
"""

from __future__ import annotations

import logging
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


def configure_logging() -> None:
    """Send the app's own log (``tilannekuva.*``: damaged data files, failed imports, failed
    upload passwords) to the server's stderr once per process, beside Streamlit's log."""
    logger = logging.getLogger("tilannekuva")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
