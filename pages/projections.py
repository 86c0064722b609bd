"""Projections: when the JCM reaches its targets at the current pace, and what it would take."""

import pandas as pd
import streamlit as st

from jcm_dash import charts, projections
from jcm_dash.fiscal import fy_label
from jcm_dash.formatting import format_tco2
from jcm_dash.ui import cached, filters, scenario, shell

key, ref, selection = shell.context()

st.title("Are we on track? Projections to FY2030 and FY2040")
st.caption(filters.describe(selection, ref["country_names"]))

with st.spinner("Measuring the data's defaults…"):
    defaults = cached.projection(key, selection)["defaults"]
with st.expander("Scenario (empty inputs use the values measured from the data)", expanded=True):
    chosen = scenario.inputs(st.container(), defaults)
with st.spinner("Projecting…"):
    result = cached.projection(key, selection, tuple(sorted(chosen.items())))

as_of_fy = result["as_of_fy"]
issued = result["issued_to_date_tco2"]
outlook = result["outlook"]
current = outlook[~outlook["is_superseded"]].reset_index(drop=True)

if result["registered_projects"] == 0 and result["pipeline_projects"] == 0 and issued == 0:
    st.info(
        "No registered or pipeline project and no issued credit matches this selection, so only new projects "
        "(scenario) can contribute. Widen the filters in the sidebar to see the JCM's own pace."
    )

columns = st.columns(len(current) + 1)
columns[0].metric(
    "Issued to date",
    format_tco2(issued),
    help=f"Known amounts, data as of {result['as_of']} ({fy_label(as_of_fy)}).",
    border=True,
)
for column, (_, target) in zip(columns[1:], current.iterrows(), strict=True):
    deadline = int(target["deadline_fy"])
    rate = target["required_annual_tco2"]
    column.metric(
        f"Needed per year for ~{target['value_tco2'] / 1e6:,.0f} Mt by {fy_label(deadline)}",
        "deadline passed" if pd.isna(rate) else format_tco2(rate, "t-CO2e/yr", compact=True),
        help=f"(target − issued to date) ÷ the {deadline - as_of_fy} FYs after {fy_label(as_of_fy)} "
        f"through {fy_label(deadline)}.",
        border=True,
    )

scale = st.radio("Scale", ["Log", "Linear"], horizontal=True, help="Log keeps today's small amounts visible.")
st.plotly_chart(
    charts.projection_chart(
        result["actual"], result["projection"], result["targets"], as_of_fy, log_scale=scale == "Log"
    ),
    key="projection_chart",
    width="stretch",
)

st.subheader("Each target at this scenario's pace")
table = pd.DataFrame(
    {
        "Target": outlook["target_name"],
        "Deadline": [fy_label(int(fy)) for fy in outlook["deadline_fy"]],
        "Needed per year from now (t-CO2e/yr)": [
            "deadline passed" if pd.isna(r) else f"{r:,.0f}" for r in outlook["required_annual_tco2"]
        ],
        "Projected at deadline, central (t-CO2e)": [f"{v:,.0f}" for v in outlook["projected_at_deadline_tco2"]],
        "Low–high (t-CO2e)": [
            f"{lo:,.0f}–{hi:,.0f}"
            for lo, hi in zip(
                outlook["projected_at_deadline_low_tco2"], outlook["projected_at_deadline_high_tco2"], strict=True
            )
        ],
        "Gap at deadline (t-CO2e)": [f"{v:,.0f}" for v in outlook["gap_at_deadline_tco2"]],
        "Reached (central)": [
            projections.reached_label(None if pd.isna(f) else int(f), as_of_fy) for f in outlook["reached_fy"]
        ],
        "Reached (low / high)": [
            f"{projections.reached_label(None if pd.isna(lo) else int(lo), as_of_fy)} / "
            f"{projections.reached_label(None if pd.isna(hi) else int(hi), as_of_fy)}"
            for lo, hi in zip(outlook["reached_fy_low"], outlook["reached_fy_high"], strict=True)
        ],
        "Status": ["superseded" if s else "current" for s in outlook["is_superseded"]],
    }
)
st.dataframe(table, hide_index=True, width="stretch")

st.subheader("Method and assumptions")
used = result["scenario"]
measured = result["success_ratio_measured"]
if measured:
    ratio_text = (
        f"measured on {measured.issuances} issued monitoring periods of {measured.projects} projects across the whole "
        f"JCM: {measured.issued_tco2:,.0f} t issued against {measured.expected_tco2:,.0f} t expected for the same "
        f"periods gives **{measured.central:.2f}**; the band uses the quartiles of the per-issuance ratios "
        f"(**{measured.low:.2f}–{measured.high:.2f}**). Only periods that were issued are in the sample, so projects "
        "that never issue are not: the ratio is optimistic"
    )
else:
    ratio_text = "no issued monitoring period could be measured, so 1.0 is used"
crediting = f"{used.crediting_years}" if used.crediting_years else "an unlimited number of"
pipeline_text = format_tco2(result["pipeline_expected_annual_tco2"], "t-CO2e/yr")
st.markdown(
    f"""
1. **Issued so far**: {format_tco2(issued)} (known amounts only; the data is incomplete, see the overview).
2. **Registered projects** ({result["registered_projects"]} in this selection): each delivers its expected annual
   reductions in every full FY after its registration FY, for {crediting} years. Only FYs after
   {fy_label(as_of_fy)} count: past years not issued by now are not carried forward.
3. **Pipeline** ({result["pipeline_projects"]} projects in validation, {pipeline_text} expected): a share of
   **{used.pipeline_conversion:.2f}** registers {used.pipeline_delay_years} year(s) from now and then delivers like
   a registered project.
4. **New projects**: **{used.new_projects_per_year:,.1f}** a year, each expecting
   **{used.new_project_size_tco2:,.0f} t-CO2e/yr**.
5. **Issuance-success ratio**: every expected tonne becomes **{used.success_ratio:.2f}** issued credits; {ratio_text}.
6. **Needed per year**: (target − issued to date) ÷ the number of FYs after {fy_label(as_of_fy)} up to the deadline.
   **Reached**: the first FY whose projected cumulative total reaches the target (searched to
   FY{projections.SEARCH_LIMIT_FY}).

The success ratio and pipeline conversion are measured on the whole JCM, because single-country samples are too small;
new projects a year and their size come from the selected countries and technologies. The FY range in the sidebar limits
the credits counted as issued and ends the projection at its last FY.
"""
)
