"""Overview: headline figures and progress toward Japan's JCM targets, for the sidebar's filter."""

import pandas as pd
import streamlit as st

from jcm_dash import breakdowns, charts, projections
from jcm_dash.exports import ExportMeta
from jcm_dash.fiscal import fy_label
from jcm_dash.formatting import format_pct, format_tco2
from jcm_dash.ui import cached, components, filters, shell

key, ref, selection = shell.context()

st.title("JCM progress toward Japan's NDC goals")
with st.spinner("Computing the figures for this selection…"):
    view = cached.overview(key, selection)
summary = view["summary"]
st.caption(
    f"{filters.describe(selection, ref['country_names'])} Data as of {summary['as_of']} "
    "(the latest decision, report, registration or signing in the data)."
)

if summary["issuances_total"] == 0 and sum(summary["projects_by_status"].values()) == 0:
    st.info(
        "Nothing matches this selection: no project or issuance in the data has these partner countries, "
        "technologies and fiscal years. Widen the filters in the sidebar, or press **Reset filters**."
    )

components.headline_cards(st.container(), summary)

st.subheader("Progress toward the targets")
if summary["issuances_total"] == 0:
    st.info("No issuance matches this selection, so there is no issued-credit line to draw; the targets are shown.")
scope = filters.describe(selection, ref["country_names"])
sources = breakdowns.sources(view["issuances"])
progress_table = pd.DataFrame(
    {
        "Fiscal year": [fy_label(fy) for fy in view["cumulative_issued"]["fiscal_year"]],
        "Credits issued in the FY (t-CO2e, known amounts)": view["cumulative_issued"]["issued_tco2"],
        "Credits issued, cumulative (t-CO2e)": view["cumulative_issued"]["cumulative_tco2"],
        "Expected reductions of registered projects, cumulative (t-CO2e, ex-ante)": view["cumulative_expected"][
            "cumulative_tco2"
        ],
    }
)
components.chart_block(
    st.container(),
    charts.progress_chart(view["cumulative_issued"], view["cumulative_expected"], view["targets"], view["as_of_fy"]),
    progress_table,
    "progress",
    ExportMeta("progress toward the targets", scope, summary["as_of"], sources),
    "progress_chart",
)
st.caption(
    "Log scale: what has been issued is well under 1% of the targets, so on a linear axis it would be a flat line "
    "at zero. **Expected reductions (ex-ante)**: each registered project is assumed to deliver its expected annual "
    "reductions in every full fiscal year after the FY of its registration, with no end date (the data holds no "
    "crediting periods); this is a potential, not credits issued. The 50–100 Mt band is the earlier estimate for "
    "governmental programmes, since superseded by the ~100 Mt public-private target."
)

components.chart_block(
    st.container(),
    charts.issued_chart(view["cumulative_issued"]),
    progress_table.iloc[:, :3],
    "issued_by_fy",
    ExportMeta("credits issued by fiscal year", scope, summary["as_of"], sources),
    "issued_chart",
)
undated = summary["issuances_without_date"]
if undated:
    unknown_t = summary["issued_by_fy"].get("unknown")
    st.caption(
        f"{undated} issuance(s) have no decision or reported date: their {format_tco2(unknown_t)} count in the totals "
        f"above but appear under '{fy_label(None)}', not on this axis."
    )

st.subheader("Share of each target reached")
progress = view["target_progress"]
table = pd.DataFrame(
    {
        "Target": progress["target_name"],
        "Deadline": [fy_label(int(fy)) for fy in progress["deadline_fy"]],
        "Target (t-CO2e)": [
            f"{lo:,.0f}–{hi:,.0f}" if lo < hi else f"{hi:,.0f}"
            for lo, hi in zip(
                progress["value_low_tco2"].fillna(progress["value_high_tco2"]), progress["value_high_tco2"], strict=True
            )
        ],
        "Reached": [
            f"{format_pct(pl)}–{format_pct(ph)}" if pl != ph else format_pct(ph)
            for pl, ph in zip(progress["pct_of_low"], progress["pct_of_high"], strict=True)
        ],
        "Status": ["superseded" if s else "current" for s in progress["is_superseded"]],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
components.downloads(
    st.container(),
    table,
    "target_progress",
    ExportMeta("share of each target reached", scope, summary["as_of"], sources),
    "targets",
)

without_amount = summary["issuances_without_amount"]
lines = [
    f"**The data is incomplete.** {without_amount} of {summary['issuances_total']} issuance decisions in this "
    "selection have no amount in any readable source, and several partner countries' issuance pages are not "
    "captured; the shares above are of what this dataset holds, a lower bound."
]
published = view["published"]
if published:
    lines.append(
        f"Nearest published total: **{format_tco2(published['published_tco2'])}** as of {published['as_of_date']} "
        f"({published['scope_note']}; [source]({published['source_url']})). This dataset holds "
        f"**{format_tco2(published['dataset_tco2_same_date'])}** dated on or before that date."
    )
else:
    lines.append(
        "No published total matches this selection (published figures cover one country or the whole JCM, "
        "across all technologies and years)."
    )
st.warning("\n\n".join(lines))

st.subheader("Outlook at the current pace")
with st.spinner("Projecting at the data's pace…"):
    outlook = cached.projection(key, selection)
current = outlook["outlook"][~outlook["outlook"]["is_superseded"]]
as_of_fy = outlook["as_of_fy"]
sentences = []
for _, target in current.iterrows():
    deadline = int(target["deadline_fy"])
    reached = projections.reached_label(None if pd.isna(target["reached_fy"]) else int(target["reached_fy"]), as_of_fy)
    rate = target["required_annual_tco2"]
    needed = (
        "its deadline has passed" if pd.isna(rate) else f"reaching it in time needs {format_tco2(rate, 't-CO2e/yr')}"
    )
    sentences.append(
        f"- **~{target['value_tco2'] / 1e6:,.0f} Mt by {fy_label(deadline)}**: projected "
        f"{format_tco2(target['projected_at_deadline_tco2'])} by then (central); reached: **{reached}**; {needed}."
    )
st.markdown("\n".join(sentences))
st.page_link(
    "pages/projections.py",
    label="Scenarios, method and assumptions",
    icon=":material/trending_up:",
    query_params={name: values for name, values in filters.url_params(selection).items() if values},
)
st.caption(
    "Central scenario with the defaults measured from the data: registered projects at their expected reductions "
    "times the measured issuance-success ratio, the pipeline at the historical registration rate, and new projects "
    "at the recent pace."
)
