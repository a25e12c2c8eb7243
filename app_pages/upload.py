"""Import data (under Data): upload → validation report → confirm → import. On only when an
upload password is configured; the password is checked in constant time."""

import streamlit as st

from tilannekuva import store, ui
from tilannekuva.responses import MAX_FILE_BYTES, MAX_ROWS
from tilannekuva.uploads import configured_password, password_matches, preview, save

view = ui.current_view()
st.title(view.t("page.upload"))
st.markdown(view.t("upload.intro"))
st.caption(view.t("data.limits", kb=MAX_FILE_BYTES // 1024, rows=MAX_ROWS))

done = st.session_state.pop("upload_done", None)
if done:
    st.success(view.t("upload.done", **done), icon=":material/check_circle:")

expected = configured_password()
if expected is None:
    st.info(view.t("upload.off"), icon=":material/lock:")
    st.stop()

given = st.text_input(view.t("upload.password"), type="password", key="upload_password")
if not given:
    st.stop()
if not password_matches(given, expected):
    st.error(view.t("upload.password_wrong"))
    st.stop()

ui.template_download(view)
uploaded = st.file_uploader(view.t("upload.file"), type=["csv", "txt"], key="upload_file")
if uploaded is None:
    st.stop()

data = uploaded.getvalue()  # the user's file name is never used, as a path or otherwise
report = preview(data)
if not report.ok:
    st.error(view.t("upload.invalid", n=len(report.problems)))
    st.markdown("\n".join(f"- {ui.escape_markdown(p.message(view.lang))}" for p in report.problems))
    st.stop()

st.success(view.t("upload.valid", summary=report.summary(view.lang)))
replace_wave = st.checkbox(view.t("upload.replace"), key="upload_replace")
if st.button(view.t("upload.confirm"), type="primary", key="upload_confirm"):
    result = save(data, replace=replace_wave)
    if result.ok:
        st.session_state["upload_done"] = {
            "wave": result.report.wave,
            "rows": len(result.report.rows),
        }
        store.forget_cached_data()
        st.rerun()
    st.error(view.t("upload.invalid", n=len(result.all_problems())))
    st.markdown(
        "\n".join(f"- {ui.escape_markdown(p.message(view.lang))}" for p in result.all_problems())
    )
