"""Accessibility statement (saavutettavuusseloste), as the Act on the Provision of Digital Services
(306/2019) requires: conformance, known gaps with their upstream issues, feedback, enforcement."""

import os

import streamlit as st

from tilannekuva.web import ui

FEEDBACK_ENV = "TILANNEKUVA_FEEDBACK_CONTACT"

view = ui.current_view()
st.title(view.t("page.accessibility"))
st.markdown(view.t("a11y.intro"))

st.header(view.t("a11y.status_title"))
st.markdown(view.t("a11y.status"))
# The meeting pack is tagged PDF/UA-1 (Typst, issue #19); tests/test_pack_tags.py reads it back.
st.markdown(view.t("a11y.pdf"))

st.header(view.t("a11y.method_title"))
st.markdown(view.t("a11y.method"))

st.header(view.t("a11y.gaps_title"))
gaps = [view.t(f"a11y.gap_{gap}") for gap in ("ui_language", "page_language", "tables", "charts")]
st.markdown("\n".join(f"- {gap}" for gap in gaps))

st.header(view.t("a11y.feedback_title"))
contact = os.environ.get(FEEDBACK_ENV, "").strip()
if contact:
    st.markdown(view.t("a11y.feedback", contact=ui.escape_markdown(contact)))
else:
    st.markdown(view.t("a11y.feedback_missing"))

st.header(view.t("a11y.enforcement_title"))
st.markdown(view.t("a11y.enforcement"))
st.caption(view.t("a11y.date"))
