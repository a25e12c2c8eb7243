"""The upload page's rules, apart from Streamlit: where the password comes from, how it is
checked, and which data folder an upload goes to."""

from __future__ import annotations

import hmac
import os

import streamlit as st

from tilannekuva.config import data_dir
from tilannekuva.importer import ImportResult, import_responses, validate_file
from tilannekuva.responses import Report

PASSWORD_ENV = "TILANNEKUVA_UPLOAD_PASSWORD"
PASSWORD_SECRET = "upload_password"


def configured_password() -> str | None:
    """The upload password from the environment, else from Streamlit secrets; None = uploads
    are off. An empty value counts as none."""
    from_env = os.environ.get(PASSWORD_ENV, "")
    if from_env:
        return from_env
    try:
        from_secrets = st.secrets.get(PASSWORD_SECRET, "")
    except FileNotFoundError:  # no secrets file at all (StreamlitSecretNotFoundError)
        return None
    return str(from_secrets) or None


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (hmac.compare_digest), on bytes so any text is accepted."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def preview(data: bytes) -> Report:
    return validate_file(data, data_dir())


def save(data: bytes, *, replace: bool) -> ImportResult:
    return import_responses(data, data_dir(), replace=replace)
