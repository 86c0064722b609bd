"""Projects: a searchable table, one project's detail (``?project=MN004``) and the issuances."""

import pandas as pd
import streamlit as st

from jcm_dash.exports import ExportMeta
from jcm_dash.formatting import format_tco2
from jcm_dash.queries import Filters
from jcm_dash.ui import cached, components, filters, shell

SOURCE_LINK = {"Source": st.column_config.LinkColumn("Source", display_text="source")}


def issuance_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Issuances as shown and exported here: dates, amounts in t-CO2e, provenance flags, source."""
    return pd.DataFrame(
        {
            "Issuance": frame["issuance_id"],
            "Country": frame["country"],
            "Projects named": frame["project_refs"],
            "Decision": frame["decision_date"].dt.date,
            "Reported": frame["reported_date"].dt.date,
            "FY": frame["fiscal_year"],
            "Monitoring from": frame["monitoring_period_start"].dt.date,
            "Monitoring to": frame["monitoring_period_end"].dt.date,
            "Credits issued (t-CO2e)": frame["credits_issued_tco2"],
            "Japanese side (t-CO2e)": frame["japan_side_tco2"],
            "Partner side (t-CO2e)": frame["partner_side_tco2"],
            "GoJ share (t-CO2e)": frame["goj_share_tco2"],
            "Provenance": frame["flags"],
            "Source": frame["source_url"],
        }
    )


key, ref, selection = shell.context()
scope = filters.describe(selection, ref["country_names"])

st.title("Projects")
with st.spinner("Loading projects…"):
    view = cached.project_explorer(key, selection)
projects = view["projects"]
st.caption(f"{scope} Data as of {view['as_of']}.")

search = st.text_input(
    "Search", key="project_search", placeholder="Reference, title or participant, e.g. MN004, solar, Panasonic"
)
if search.strip():
    needle = search.strip().lower()
    haystack = (
        projects[["project_ref", "title", "host_participant", "japanese_participant"]]
        .fillna("")
        .agg(" ".join, axis=1)
        .str.lower()
    )
    projects = projects[haystack.str.contains(needle, regex=False)]

table = pd.DataFrame(
    {
        "Reference": projects["project_ref"],
        "Title": projects["title"],
        "Country": projects["country"],
        "Status": projects["status_code"],
        "Technology": projects["unep_type"],
        "Registration date": projects["registration_date"].dt.date,
        "Expected reductions (t-CO2e/yr)": projects["expected_annual_reductions_tco2"],
        "Credits issued to date (t-CO2e)": projects["credits_issued_tco2"],
        "In shared issuances (t-CO2e)": projects["shared_issued_tco2"],
        "Source": projects["source_url"],
    }
).reset_index(drop=True)

if table.empty:
    st.info(
        "No project matches this search and the sidebar's filters. Clear the search box or widen the filters "
        "(an FY range keeps only projects registered, or planned, in those years)."
    )
else:
    st.markdown(f"**{len(table)} projects.** Select a row to see its detail.")
    selected = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="projects_table",
        column_config={
            "Source": st.column_config.LinkColumn("Source", display_text="source page"),
            "Expected reductions (t-CO2e/yr)": st.column_config.NumberColumn(format="localized"),
            "Credits issued to date (t-CO2e)": st.column_config.NumberColumn(format="localized"),
            "In shared issuances (t-CO2e)": st.column_config.NumberColumn(format="localized"),
        },
    )
    st.caption(
        "Credits issued to date counts the issuances that name the project alone (empty = an issuance without a "
        "known amount). An issuance naming several projects is not divided between them: its full amount is shown "
        "under 'In shared issuances' for each, so that column must not be added up."
    )
    components.downloads(
        st.container(), table, "projects", ExportMeta("projects", scope, view["as_of"], view["sources"]), "projects"
    )
    rows = selected.selection.rows if selected else []
    if rows:
        st.query_params["project"] = table.iloc[rows[0]]["Reference"]

st.divider()
all_view = cached.project_explorer(key, Filters())  # a project's detail shows all its issuances
project_ref = st.query_params.get("project")
if project_ref:
    known = all_view["projects"].set_index("project_ref")
    if project_ref not in known.index:
        st.error(f"No project '{project_ref}' in the data. Check the reference (for example MN004) in the table above.")
    else:
        project = known.loc[project_ref]
        st.subheader(f"{project_ref}: {project['title']}")
        if project_ref not in set(view["projects"]["project_ref"]):
            st.caption("This project is outside the sidebar's filters; its detail is shown in full.")
        facts = {
            "Country": project["country"],
            "Status": f"{project['status_code']} ({project['status_detail']})"
            if pd.notna(project["status_detail"])
            else project["status_code"],
            "Registration date": project["registration_date"].date().isoformat()
            if pd.notna(project["registration_date"])
            else "not registered / unknown",
            "Technology": " / ".join(str(v) for v in (project["unep_type"], project["unep_subtype"]) if pd.notna(v))
            or "not classified",
            "Technology detail": project["technology_detail"] if pd.notna(project["technology_detail"]) else "–",
            "Methodology": project["methodology_ref"] if pd.notna(project["methodology_ref"]) else "–",
            "Expected reductions": format_tco2(project["expected_annual_reductions_tco2"], "t-CO2e/yr")
            + (
                f" (source: {project['expected_reductions_source']})"
                if pd.notna(project["expected_reductions_source"])
                else ""
            ),
            "Credits issued to date (sole issuances)": format_tco2(project["credits_issued_tco2"]),
            "In shared issuances": format_tco2(project["shared_issued_tco2"]),
            "Host participant": project["host_participant"] if pd.notna(project["host_participant"]) else "–",
            "Japanese participant": project["japanese_participant"]
            if pd.notna(project["japanese_participant"])
            else "–",
            "Financing programme": project["financing_programme"] if pd.notna(project["financing_programme"]) else "–",
        }
        st.dataframe(
            pd.DataFrame({"Field": list(facts), "Value": list(facts.values())}), hide_index=True, width="stretch"
        )
        ids = all_view["links"].loc[all_view["links"]["project_ref"] == project_ref, "issuance_id"]
        own = all_view["issuances"][all_view["issuances"]["issuance_id"].isin(ids)]
        st.markdown(f"**Issuances naming {project_ref}** ({len(own)})")
        if own.empty:
            st.info(f"No issuance in the data names {project_ref}.")
        else:
            st.dataframe(issuance_display(own), hide_index=True, width="stretch", column_config=SOURCE_LINK)
        links = [project.get("source_url"), project.get("source_url_2"), project.get("unep_source_url")]
        links += list(own["source_url"].dropna()) + list(own["source_url_2"].dropna())
        st.markdown(
            "**Sources**\n\n" + "\n".join(f"- <{url}>" for url in dict.fromkeys(u for u in links if isinstance(u, str)))
        )
else:
    st.caption("Select a project in the table, or open a link such as `/projects?project=MN004`.")

st.subheader("Issuances")
issuances = view["issuances"]
issuance_table = issuance_display(issuances)
if issuance_table.empty:
    st.info("No issuance matches the sidebar's filters.")
else:
    st.dataframe(issuance_table, hide_index=True, width="stretch", column_config=SOURCE_LINK)
    components.downloads(
        st.container(),
        issuance_table,
        "issuances",
        ExportMeta("issuances", scope, view["as_of"], view["sources"]),
        "issuances",
    )
