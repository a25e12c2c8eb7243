"""Where the data and the named queries live.

Paths are built from this file's location, never from the working directory (STYLE.md).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_DIR / "queries"
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
DATA_DIR_ENV = "TILANNEKUVA_DATA_DIR"


def data_dir() -> Path:
    """The data folder: ``$TILANNEKUVA_DATA_DIR`` when set, else ``data/`` beside ``app.py``."""
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(configured).resolve() if configured else DEFAULT_DATA_DIR


OPEN_DATA_URL_ENV = "TILANNEKUVA_OPEN_DATA_URL"
_SAFE_URL = re.compile(r"(/|https://[A-Za-z0-9.-]+(:[0-9]+)?/)[A-Za-z0-9._~/-]*")


def open_data_url() -> str | None:
    """Where the published open data folder is served (``$TILANNEKUVA_OPEN_DATA_URL``, set by
    deploy/serve.py to /avoin-data/): a path on this server or an https address of plain
    characters; None when unset or anything else, so the page links nowhere odd."""
    configured = os.environ.get(OPEN_DATA_URL_ENV, "").strip()
    return configured if _SAFE_URL.fullmatch(configured) else None


def configure_logging() -> None:
    """Send the app's own log (``tilannekuva.*``: damaged data files, failed imports, failed
    upload passwords) to the server's stderr once per process, beside Streamlit's log."""
    logger = logging.getLogger("tilannekuva")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
