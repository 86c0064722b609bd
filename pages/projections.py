"""Projections: when the JCM reaches its targets at the current pace, and what it would take."""

import pandas as pd
import streamlit as st

from jcm_dash import charts, projections
from jcm_dash.i18n import escape_markdown
from jcm_dash.scope import describe
from jcm_dash.ui import cached, scenario, shell

key, ref, selection, t = shell.context()

st.title(t("projections.title"))
st.caption(escape_markdown(describe(selection, ref["country_names"], t)))

with st.spinner(t("projections.measuring")):
    defaults = cached.projection(key, selection)["defaults"]
with st.expander(t("projections.scenario"), expanded=True):
    chosen = scenario.inputs(st.container(), defaults, t)
with st.spinner(t("projections.projecting")):
    result = cached.projection(key, selection, tuple(sorted(chosen.items())))

as_of_fy = result["as_of_fy"]
issued = result["issued_to_date_tco2"]
outlook = result["outlook"]
current = outlook[~outlook["is_superseded"]].reset_index(drop=True)


def reached(fy: object) -> str:
    """When a target is reached, in words."""
    return projections.reached_label(None if pd.isna(fy) else int(fy), as_of_fy, t)


if result["registered_projects"] == 0 and result["pipeline_projects"] == 0 and issued == 0:
    st.info(t("projections.nothing_matches"))

columns = st.columns(len(current) + 1)
columns[0].metric(
    t("projections.issued"),
    t.tco2(issued),
    help=t("projections.issued_help", as_of=result["as_of"], fy=t.fy(as_of_fy)),
    border=True,
)
for column, (_, target) in zip(columns[1:], current.iterrows(), strict=True):
    deadline = int(target["deadline_fy"])
    rate = target["required_annual_tco2"]
    column.metric(
        t("projections.needed", target=charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t)),
        t("projections.deadline_passed") if pd.isna(rate) else t.tco2(rate, t.per_year(), compact=True),
        help=t("projections.needed_help", n=deadline - as_of_fy, as_of=t.fy(as_of_fy), deadline=t.fy(deadline)),
        border=True,
    )

scale = st.radio(
    t("projections.scale"),
    ["log", "linear"],
    format_func=lambda v: t(f"projections.scale_{v}"),
    horizontal=True,
    help=t("projections.scale_help"),
)
st.plotly_chart(
    charts.projection_chart(
        result["actual"], result["projection"], result["targets"], as_of_fy, log_scale=scale == "log", t=t
    ),
    key="projection_chart",
    width="stretch",
)

st.subheader(t("projections.table_heading"))
passed = t("projections.deadline_passed")
table = pd.DataFrame(
    {
        t("overview.col_target"): outlook["target_name"],
        t("overview.col_deadline"): [t.fy(int(fy)) for fy in outlook["deadline_fy"]],
        t("projections.col_needed"): [passed if pd.isna(r) else f"{r:,.0f}" for r in outlook["required_annual_tco2"]],
        t("projections.col_projected"): [f"{v:,.0f}" for v in outlook["projected_at_deadline_tco2"]],
        t("projections.col_band"): [
            f"{lo:,.0f}–{hi:,.0f}"
            for lo, hi in zip(
                outlook["projected_at_deadline_low_tco2"], outlook["projected_at_deadline_high_tco2"], strict=True
            )
        ],
        t("projections.col_gap"): [f"{v:,.0f}" for v in outlook["gap_at_deadline_tco2"]],
        t("projections.col_reached"): [reached(f) for f in outlook["reached_fy"]],
        t("projections.col_reached_band"): [
            f"{reached(lo)} / {reached(hi)}"
            for lo, hi in zip(outlook["reached_fy_low"], outlook["reached_fy_high"], strict=True)
        ],
        t("overview.col_status"): [
            t("overview.superseded") if s else t("overview.current") for s in outlook["is_superseded"]
        ],
    }
)
st.dataframe(table, hide_index=True, width="stretch")

st.subheader(t("projections.method_heading"))
used = result["scenario"]
measured = result["success_ratio_measured"]
if measured:
    ratio_text = t.md(
        "projections.ratio_measured",
        issuances=measured.issuances,
        projects=measured.projects,
        issued=f"{measured.issued_tco2:,.0f}",
        expected=f"{measured.expected_tco2:,.0f}",
        central=f"{measured.central:.2f}",
        low=f"{measured.low:.2f}",
        high=f"{measured.high:.2f}",
    )
else:
    ratio_text = t.md("projections.ratio_default")
st.markdown(
    t.md(
        "projections.method",
        issued=t.tco2(issued),
        registered=result["registered_projects"],
        crediting=t("projections.crediting_years", n=used.crediting_years)
        if used.crediting_years
        else t("projections.crediting_unlimited"),
        as_of=t.fy(as_of_fy),
        pipeline=result["pipeline_projects"],
        pipeline_expected=t.tco2(result["pipeline_expected_annual_tco2"], t.per_year()),
        conversion=f"{used.pipeline_conversion:.2f}",
        delay=used.pipeline_delay_years,
        new_per_year=f"{used.new_projects_per_year:,.1f}",
        new_size=t.tco2(used.new_project_size_tco2, t.per_year()),
        ratio=f"{used.success_ratio:.2f}",
        ratio_text=ratio_text,
        limit=t.fy(projections.SEARCH_LIMIT_FY),
    )
)
