"""Import data (under Data): upload → validation report → confirm → import. On only when an
upload password is configured; the password is checked in constant time, under a back-off."""

import hashlib

import streamlit as st

from tilannekuva.config import data_dir
from tilannekuva.importer import described
from tilannekuva.mapping import save as save_mapping
from tilannekuva.responses import MAX_FILE_BYTES, MAX_ROWS
from tilannekuva.web import mapping_review, store, ui
from tilannekuva.web.internals import session_id
from tilannekuva.web.uploads import (
    MIN_PASSWORD_LENGTH,
    PASSWORD_ENV,
    PASSWORD_SECRET,
    check_password,
    configured_password,
    password_too_short,
    preview,
    save,
)

# At most this many problems are listed; a hostile file can have a hundred thousand.
MAX_SHOWN_PROBLEMS = 50

view = ui.current_view()
st.title(view.t("page.upload"))
st.markdown(view.t("upload.intro"))
st.caption(view.t("data.limits", kb=MAX_FILE_BYTES // 1024, rows=MAX_ROWS))

done = st.session_state.pop("upload_done", None)
if done:
    st.success(view.t("upload.done", **done), icon=":material/check_circle:")

expected = configured_password()
if expected is None:
    # How to turn uploads on, in the operator's terms (issue #21: the page only said "off").
    setting = {"env": f"`{PASSWORD_ENV}`", "secret": f"`{PASSWORD_SECRET}`"}
    how = view.t("upload.how_to_turn_on", n=MIN_PASSWORD_LENGTH, **setting)
    if password_too_short():
        short = view.t("upload.too_short", n=MIN_PASSWORD_LENGTH)
        st.warning(f"{short} {how}", icon=":material/lock:")
    else:
        st.info(f"{view.t('upload.off')} {how}", icon=":material/lock:")
    st.stop()

given = st.text_input(view.t("upload.password"), type="password", key="upload_password")
if not given:
    st.stop()
# A rerun for another reason (the language, a click) must not count the same wrong guess again.
attempt = hashlib.sha256(given.encode("utf-8")).hexdigest()
if st.session_state.get("upload_failed_attempt") == attempt:
    st.error(view.t("upload.password_wrong"))
    st.stop()
check = check_password(given, expected, session_id())
if not check.ok:
    if check.retry_after:
        st.error(view.t("upload.throttled", seconds=check.retry_after))
    else:
        st.session_state["upload_failed_attempt"] = attempt
        st.error(view.t("upload.password_wrong"))
    st.stop()
st.session_state.pop("upload_failed_attempt", None)


def show_problems(problems: list) -> None:
    st.error(view.t("upload.invalid", n=len(problems)))
    shown = problems[:MAX_SHOWN_PROBLEMS]
    lines = [f"- {ui.escape_markdown(problem.message(view.lang))}" for problem in shown]
    if len(problems) > len(shown):
        lines.append(f"- {view.t('upload.more_problems', n=len(problems) - len(shown))}")
    st.markdown("\n".join(lines))


ui.questionnaire_downloads(view, key="_upload")
# Asked before the file is checked, so the check already knows whether the wave may replace one
# or be added to one (a round in one file per respondent type, issue #17), and which area the
# wave was sent to (issue #16; blank: the regions of the file's answers).
existing = st.radio(
    view.t("upload.replace"),
    ["new", "replace", "add"],
    format_func=lambda option: view.t(f"upload.existing.{option}"),
    key="upload_existing",
)
to_wave = {"replace": existing == "replace", "add": existing == "add"}
names = store.names(view.lang)
area = st.selectbox(
    view.t("upload.area"),
    ["", *names.areas],
    format_func=lambda option: names.areas.get(option) or view.t("upload.area_from_file"),
    help=view.t("upload.area_help"),
    key="upload_area",
)
# No type= filter: Streamlit would raise on a file named evil.exe (a tampered client can send
# any name). The name is never used; the content is what is checked.
# A new key after each import: the imported file leaves the uploader (it stayed there and was
# checked again as "wave already imported", issue #21).
uploaded = st.file_uploader(
    view.t("upload.file"), key=f"upload_file_{st.session_state.get('upload_round', 0)}"
)
if uploaded is None:
    st.stop()

data = uploaded.getvalue()  # the user's file name is never used, as a path or otherwise
# A survey tool's export (.xlsx, or a CSV that is not the template) is mapped first (issue #17):
# the review step, then the mapped file is checked exactly as a template file.
mapped = (
    mapping_review.review(view, data, show_problems) if mapping_review.is_export(data) else None
)
if mapping_review.is_export(data) and mapped is None:
    st.stop()
questionnaire = mapped.questionnaire if mapped else None
if mapped:
    data = mapped.data
report = preview(data, **to_wave, area=area or None, questionnaire=questionnaire)
if not report.ok:
    show_problems([mapped.place(p) for p in report.problems] if mapped else report.problems)
    st.stop()

if mapped:
    st.success(
        view.t(
            "upload.map.valid",
            rows=len(report.rows),
            wave=report.wave,
            municipalities=len({row["municipality_code"] for row in report.rows}),
        )
    )
else:
    st.success(view.t("upload.valid", summary=report.summary(view.lang)))
st.caption(ui.escape_markdown(described(report, data_dir(), view.lang)))
samples = ", ".join(report.sample_names())
st.caption(view.t("import.sample_names", names=ui.escape_markdown(samples)))
if report.warnings:  # accepted, but worth a look before confirming (issue #7)
    shown = report.warnings[:MAX_SHOWN_PROBLEMS]
    if mapped:
        shown = [mapped.place(w) for w in shown]
    listed = [f"- {ui.escape_markdown(w.message(view.lang))}" for w in shown]
    if len(report.warnings) > len(shown):
        listed.append(f"- {view.t('upload.more_problems', n=len(report.warnings) - len(shown))}")
    st.warning("\n".join([view.t("import.warnings", n=len(report.warnings)), *listed]))
if st.button(view.t("upload.confirm"), type="primary", key="upload_confirm"):
    result = save(data, **to_wave, area=area or None, questionnaire=questionnaire)
    if result.ok and mapped:
        save_mapping(mapped.mapping, data_dir())  # offered again for the next file
    if result.ok:
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        st.session_state["upload_done"] = {
            "wave": result.report.wave,
            "rows": len(result.report.rows),
        }
        store.forget_cached_data()
        st.rerun()
    problems = result.all_problems()
    show_problems([mapped.place(p) for p in problems] if mapped else problems)
