"""Data: how fresh and complete the data is, published figures beside it, imports, and a file check."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from jcm_dash import exports, importer
from jcm_dash.exports import ExportMeta
from jcm_dash.tables import IMPORTABLE
from jcm_dash.ui import cached, components, filters, shell

key, ref, selection = shell.context()
scope = filters.describe(selection, ref["country_names"])

st.title("About the data")
with st.spinner("Checking coverage…"):
    status = cached.data_status(key, selection)
totals = status["totals"]

cols = st.columns(3)
cols[0].metric("Data as of", status["as_of"].isoformat(), help="The latest decision, report, registration or signing.")
cols[1].metric("Days since", f"{status['days_since']:,}", border=True)
cols[2].metric(
    "Issuances without an amount",
    f"{totals['issuances_without_amount']} of {totals['issuances_total']}",
    border=True,
    help="Decisions known to exist whose credits no readable source states.",
)
st.markdown(
    "The data holds what public sources state, each row with its source. Many issuances are known only from "
    "a Joint Committee decision with no amount, and several countries' issuance pages are not captured, so "
    "totals here are **lower bounds**. The table of published figures below shows the gap."
)

st.subheader("Coverage by partner country")
coverage = status["coverage"]
coverage_display = pd.DataFrame(
    {
        "Country": coverage["country"],
        "Projects": coverage["projects"],
        "Registered": coverage["registered"],
        "Projects with issuance data": coverage["projects_with_issuance_data"],
        "Issuances": coverage["issuances"],
        "Issuances without amount": coverage["issuances_without_amount"],
        "Issuances without named projects": coverage["issuances_without_named_projects"],
    }
)
st.dataframe(coverage_display, hide_index=True, width="stretch")
components.downloads(
    st.container(),
    coverage_display,
    "coverage",
    ExportMeta("coverage by country", scope, status["as_of"].isoformat(), []),
    "coverage",
)
st.caption(f"{scope} Projects with issuance data: named by at least one issuance in the data.")

st.subheader("This dataset beside published figures")
published = status["published"]
published_display = pd.DataFrame(
    {
        "Metric": published["metric"],
        "Published": published["published"],
        "Unit": published["unit"],
        "As of": published["as_of_date"],
        "This dataset at that date": published["dataset_same_date"],
        "Scope (publisher's words)": published["scope_note"],
        "Source": published["source_url"],
    }
)
st.dataframe(
    published_display,
    hide_index=True,
    width="stretch",
    column_config={"Source": st.column_config.LinkColumn("Source", display_text="source")},
)
st.caption(
    "Dataset values are given where the metric is comparable: credits issued (known amounts dated on or before "
    "the published date), registered projects and partner countries (a partner whose signing date is unknown is "
    "not counted). Figures for the whole JCM are kept as published and are not changed to agree with this data."
)

st.subheader("Known conflicts between sources")
conflicts = status["conflicts"]
if conflicts.empty:
    st.info("No row's notes record a conflict between sources.")
else:
    st.dataframe(
        conflicts,
        hide_index=True,
        width="stretch",
        column_config={"source_url": st.column_config.LinkColumn("source_url")},
    )
    st.caption("Kept as found, not resolved: the notes say which sources disagree.")

st.subheader("Import history")
imports = status["imports"]
st.dataframe(
    pd.DataFrame(
        {
            "#": imports["import_id"],
            "Kind": imports["kind"],
            "File": imports["file_name"] + imports["sheet"].map(lambda s: f" [{s}]" if isinstance(s, str) else ""),
            "Table": imports["table_name"],
            "Rows": imports["rows"],
            "Added": imports["added"],
            "Updated": imports["updated"],
            "Unchanged": imports["unchanged"],
            "When (UTC)": imports["imported_at"],
            "By": imports["imported_by"],
            "sha256": imports["sha256"].str[:12],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Check an update file")
st.markdown(
    "Upload a CSV or Excel file in the layout of `data/*.csv` to see what an import would change and every "
    "problem in it. **Nothing is written**: to import, run `python -m jcm_dash import FILE`."
)
left, right = st.columns(2)
for spec in IMPORTABLE:
    left.download_button(
        f"Template: {spec.file}",
        exports.template_csv(spec),
        file_name=spec.file,
        mime="text/csv",
        key=f"template_{spec.table}",
        on_click="ignore",
    )
right.download_button(
    "Template: Excel workbook (one sheet per layout)",
    exports.template_xlsx(IMPORTABLE),
    file_name="jcm_import_template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_xlsx",
    on_click="ignore",
)
uploaded = st.file_uploader("File to check", type=["csv", "xlsx"], key="check_upload")
if uploaded is not None:
    with st.spinner(f"Checking {uploaded.name}…"), tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        result = importer.run_import([path], Path(key[0]), check_only=True)
    if result.problems:
        st.error(f"{len(result.problems)} problem(s) in {uploaded.name}; an import would write nothing.")
        st.dataframe(
            pd.DataFrame(
                [{"File": p.file, "Row": p.row, "Column": p.column, "Reason": p.reason} for p in result.problems]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.success(f"{uploaded.name} is valid. An import would make these changes:")
    for change in result.changes:
        st.markdown(
            f"**{change.label} → {change.table}**: {len(change.added)} added, {len(change.updated)} updated, "
            f"{change.unchanged} unchanged."
        )
        if change.added:
            st.markdown("Added: " + ", ".join(f"`{k}`" for k in change.added))
        if change.updated:
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Key": u["key"], "Field": name, "Now": str(old), "After import": str(new)}
                        for u in change.updated
                        for name, (old, new) in u["changed"].items()
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
