"""Data: how fresh and complete the data is, published figures beside it, imports, and a file check."""

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from jcm_dash import exports, importer
from jcm_dash.i18n import Markdown, code_span
from jcm_dash.scope import describe
from jcm_dash.tables import IMPORTABLE
from jcm_dash.ui import cached, components, shell
from jcm_dash.validate import ENCODINGS

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t


def code_span_list(keys: list[str]) -> Markdown:
    """Keys from the checked file as code spans (nothing in them is read as Markdown)."""
    return Markdown(", ".join(code_span(k) for k in keys))


scope = describe(selection, ref.country_names, t)
SOURCE = t("table.source")
SOURCE_LINK = {SOURCE: st.column_config.LinkColumn(SOURCE, display_text=t("table.source_link"))}

st.title(t("data.title"))
with st.spinner(t("data.checking_coverage")):
    status = cached.data_status(key, selection)
totals = status["totals"]

cols = st.columns(3)
cols[0].metric(t("data.as_of"), status["as_of"].isoformat(), help=t("data.as_of_help"), border=True)
cols[1].metric(t("data.days_since"), f"{status['days_since']:,}", border=True)
cols[2].metric(
    t("data.without_amount"),
    t("data.n_of_total", n=totals["issuances_without_amount"], total=totals["issuances_total"]),
    border=True,
    help=t("data.without_amount_help"),
)
st.markdown(t("data.intro"))

st.subheader(t("data.coverage_heading"))
coverage = status["coverage"]
coverage_display = pd.DataFrame(
    {
        t("table.country"): [t.country(i, n) for i, n in zip(coverage["iso3"], coverage["country"], strict=True)],
        t("table.projects"): coverage["projects"],
        t("countries.col_registered"): coverage["registered"],
        t("data.col_with_data"): coverage["projects_with_issuance_data"],
        t("table.issuances"): coverage["issuances"],
        t("countries.col_without_amount"): coverage["issuances_without_amount"],
        t("data.col_without_projects"): coverage["issuances_without_named_projects"],
    }
)
components.show_table(st, coverage_display, t)
components.downloads(
    st.container(),
    coverage_display,
    "coverage",
    components.export_meta(t("data.export_coverage"), selection, ref, status["as_of"].isoformat(), [], t),
    "coverage",
    t,
)
st.caption(t.md("data.coverage_note", scope=scope))

st.subheader(t("data.published_heading"))
published = status["published"]


def as_published(value: object) -> str:
    """A published value as given (``>200``, ``~0.7``), a plain number with thousands separators."""
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        whole, _, decimals = text.partition(".")
        return f"{int(whole):,}" + (f".{decimals}" if decimals else "")
    return text


published_display = pd.DataFrame(
    {
        t("data.col_metric"): [t.value("metric", m) for m in published["metric"]],
        t("data.col_published"): [as_published(v) for v in published["published"]],
        t("data.col_unit"): [t.value("metric_unit", u) for u in published["unit"]],
        t("data.col_as_of"): published["as_of_date"],
        t("data.col_dataset"): published["dataset_same_date"],
        t("data.col_scope"): published["scope_note"],
        SOURCE: published["source_url"],
    }
)
# The publisher's scope note is long: a fixed width (the cell's tooltip has it all) keeps the
# source column on screen at 1400 px.
SCOPE_COLUMN = t("data.col_scope")
components.show_table(
    st,
    published_display,
    t,
    column_config={**SOURCE_LINK, SCOPE_COLUMN: st.column_config.TextColumn(SCOPE_COLUMN, width=260)},
)
st.caption(t("data.published_note"))

st.subheader(t("data.conflicts_heading"))
conflicts = status["conflicts"]
if conflicts.empty:
    st.info(t("data.no_conflicts"))
else:
    components.show_table(
        st,
        pd.DataFrame(
            {
                t("data.col_record"): [t.value("record", r) for r in conflicts["record"]],
                t("data.col_key"): conflicts["key"],
                t("data.col_notes"): conflicts["notes"],
                SOURCE: conflicts["source_url"],
            }
        ),
        t,
        column_config=SOURCE_LINK,
    )
    st.caption(t("data.conflicts_note"))

st.subheader(t("data.imports_heading"))
imports = status["imports"]
components.show_table(
    st,
    pd.DataFrame(
        {
            "#": imports["import_id"],
            t("data.col_kind"): [t.value("import_kind", k) for k in imports["kind"]],
            t("data.col_file"): imports["file_name"]
            + imports["sheet"].map(lambda s: f" [{s}]" if isinstance(s, str) else ""),
            t("data.col_table"): imports["table_name"],
            t("data.col_rows"): imports["rows"],
            t("data.col_added"): imports["added"],
            t("data.col_updated"): imports["updated"],
            t("data.col_unchanged"): imports["unchanged"],
            t("data.col_when"): imports["imported_at"],
            t("data.col_by"): imports["imported_by"],
            "sha256": imports["sha256"].str[:12],
        }
    ),
    t,
)
st.caption(t("unit.unknown_note"))

st.subheader(t("data.check_heading"))
st.markdown(t("data.check_intro"))
left, right = st.columns(2)
for spec in IMPORTABLE:
    left.download_button(
        t("data.template", file=spec.file),
        exports.template_csv(spec),
        file_name=spec.file,
        mime="text/csv",
        key=f"template_{spec.table}",
        on_click="ignore",
    )
right.download_button(
    t("data.template_xlsx"),
    exports.template_xlsx(IMPORTABLE),
    file_name="jcm_import_template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_xlsx",
    on_click="ignore",
)
uploaded = st.file_uploader(t("data.file_to_check"), type=["csv", "xlsx"], key="check_upload")
st.caption(components.upload_limits(t))
encoding = st.selectbox(
    t("data.encoding"), list(ENCODINGS), format_func=ENCODINGS.get, key="check_encoding", help=t("data.encoding_help")
)
if uploaded is not None:
    with st.spinner(t.md("data.checking", name=uploaded.name)), tempfile.TemporaryDirectory() as folder:
        # The browser's file name, kept to its last part ("..", "" or a path never leave the folder).
        name = Path(uploaded.name).name
        path = Path(folder) / (name if name not in ("", ".", "..") else "upload.csv")
        path.write_bytes(uploaded.getvalue())
        result = importer.run_import([path], Path(key[0]), check_only=True, encoding=encoding)
    if result.problems:
        st.error(t.md_plural("data.problems", len(result.problems), name=uploaded.name))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("data.col_file"): p.file,
                        t("data.col_row"): p.row,
                        t("data.col_column"): p.column,
                        t("data.col_reason"): p.reason,
                    }
                    for p in result.problems
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(t("data.reasons_in_english"))
    else:
        st.success(t.md("data.valid", name=uploaded.name))
    for change in result.changes:
        st.markdown(
            t.md(
                "data.change",
                label=change.label,
                table=change.table,
                added=len(change.added),
                updated=len(change.updated),
                unchanged=change.unchanged,
            )
        )
        if change.added:
            st.markdown(t.md("data.added", keys=code_span_list(change.added)))
        if change.updated:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            t("data.col_key"): u["key"],
                            t("projects.field"): name,
                            t("data.col_now"): str(old),
                            t("data.col_after"): str(new),
                        }
                        for u in change.updated
                        for name, (old, new) in u["changed"].items()
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
