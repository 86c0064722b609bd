"""Partner countries: ranking, map and a profile of one country, for the sidebar's filter.

Every partner is ranked and mapped under the technology and FY filters, with the chosen countries
highlighted, so a country is always read beside the others: its share is of all partners, never of
itself (views.countries).
"""

import dataclasses

import pandas as pd
import streamlit as st

from jcm_dash import charts, geo, headline
from jcm_dash.headline import Card
from jcm_dash.scope import describe, years_words
from jcm_dash.ui import cached, components, shell

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t
scope = describe(selection, ref.country_names, t)
md = components.md

st.title(t("countries.title"))
with st.spinner(t("countries.computing")):
    view = cached.countries(key, selection)
table = view["table"]
names = {iso3: t.country(iso3, name) for iso3, name in zip(table["iso3"], table["country"], strict=True)}
st.caption(t.md("page.caption", scope=scope, as_of=view["as_of"]))
years = years_words(selection, t)

measure = st.selectbox(
    t("countries.measure"),
    list(charts.COUNTRY_MEASURES),
    format_func=lambda m: charts.measure_label(m, t),
    key="country_measure",
    help=t("countries.measure_help"),
)
ranked = table.sort_values(["rank", "iso3"], na_position="last")
display = pd.DataFrame(
    {
        t("table.country"): ranked["iso3"].map(names),
        "ISO3": ranked["iso3"],
        t("countries.col_rank"): ranked["rank"],
        t("table.credits_issued"): ranked["credits_issued_tco2"],
        t("countries.col_share"): ranked["share_of_issued_pct"],
        t("table.issuances"): ranked["issuances"],
        t("countries.col_without_amount"): ranked["issuances_without_amount"],
        t("countries.col_registered"): ranked["registered"],
        t("table.expected_registered"): ranked["expected_annual_registered_tco2"],
        t("table.japan_side"): ranked["japan_side_tco2"],
        t("table.partner_side"): ranked["partner_side_tco2"],
        t("table.goj"): ranked["goj_share_tco2"],
        t("countries.col_validation"): ranked["validation"],
        t("countries.col_planned"): ranked["planned"],
        t("countries.col_withdrawn"): ranked["withdrawn"],
        t("countries.col_signed"): ranked["date_bilateral_document_signed"],
    }
)
# "–", not 0, where there is nothing to count: a partner with no issuance in scope has nothing
# itemized (its amounts, share and rank), one with no registered project no expected reductions;
# "unknown" stays for issuances that state no amount, 0 for true zeros (counts).
no_issuance = (ranked["issuances"] == 0).tolist()
nothing = {
    t(column): no_issuance
    for column in ("table.credits_issued", "countries.col_share", "table.japan_side", "table.partner_side", "table.goj")
}
nothing[t("countries.col_rank")] = ranked["rank"].isna().tolist()
nothing[t("table.expected_registered")] = (ranked["registered"] == 0).tolist()
# The ranking and the map list every partner (under the technology and FY filters), so their
# downloads say so rather than naming the highlighted countries as the scope.
compared = dataclasses.replace(selection, countries=())
meta = components.export_meta(t("countries.export"), compared, ref, view["as_of"], view["sources"], t)
chosen = table[table["selected"]]
if (chosen["projects_total"] == 0).all() and (chosen["issuances"] == 0).all():
    if len(selection.countries) == 1 and not selection.techs and not selection.has_fy_bounds:
        only = selection.countries[0]
        st.info(t.md("countries.nothing_country", name=names.get(only, only)))
    else:
        st.info(t("countries.nothing_matches"))
if selection.countries:
    st.caption(
        t.md("countries.highlighted", names=t("filters.list_separator").join(names[c] for c in selection.countries))
    )

st.subheader(t("countries.ranking"))
percent = (t("countries.col_share"),)
components.chart_block(
    st.container(),
    charts.country_ranking_chart(table, measure, t),
    display,
    "countries",
    meta,
    "ranking",
    t=t,
    percent=percent,
    nothing=nothing,
)
st.caption(t.plural("countries.ranking_note", len(table)))

st.subheader(t("countries.map"))
components.chart_block(
    st.container(),
    charts.country_map(table, measure, geo.centroids(), t),
    display,
    "countries_map",
    meta,
    "map",
    config=charts.MAP_CONFIG,
    t=t,
    percent=percent,
    nothing=nothing,
)
st.caption(t("countries.map_note"))

st.subheader(t("countries.profile"))
options = sorted(table["iso3"], key=names.get)
default = selection.countries[0] if selection.countries else ranked.iloc[0]["iso3"]
profile_iso3 = st.selectbox(
    t("table.country"), options, index=options.index(default), format_func=names.get, key="profile_country"
)
row = table.set_index("iso3").loc[profile_iso3]
name = names[profile_iso3]
signed = row["date_bilateral_document_signed"]
# Written as precisely as the source knows it ("signed Aug 2013", 2013年8月), not "2013-08 (month)".
st.markdown(
    t.md("countries.signed", name=name, date=t.date_as_known(signed) if isinstance(signed, str) else t("fy.unknown"))
)
rank = None if pd.isna(row["rank"]) else int(row["rank"])
# Nothing itemized (no issuance in scope) reads "–" with the reason, unknown amounts "unknown", and a
# true 0 stays 0 (tests/test_screens.py::test_nothing_unknown_and_zero_read_differently_on_the_countries_page).
itemized_nothing = row["issuances"] == 0
no_registered = row["registered"] == 0
share = row["share_of_issued_pct"]
profile_cards = [
    Card(
        t("countries.card_issued"),
        "–" if itemized_nothing else t.amount(row["credits_issued_tco2"]),
        t("countries.card_nothing", years=years) if itemized_nothing else t("progress.lower_bound"),
        t("countries.card_issued_help", exact=t.number(row["credits_issued_tco2"])),
    ),
    headline.published_card(view["published"].get(profile_iso3), t),
    Card(
        t("countries.card_share"),
        "–" if itemized_nothing else t.pct(None if pd.isna(share) else float(share)),
        t("countries.card_nothing", years=years) if itemized_nothing else t("countries.card_share_note", years=years),
        t("countries.card_share_help"),
    ),
    Card(
        t("progress.rank_partners"),
        "–" if rank is None else t.ordinal(rank),
        t("progress.none_itemized") if rank is None else t("progress.rank_note_partners", n=len(table), years=years),
        t("progress.rank_help"),
    ),
    Card(
        t("cards.registered_in", years=years) if selection.has_fy_bounds else t("cards.registered"),
        f"{row['registered']:,}",
        "",
        t(
            "cards.registered_help_fy" if selection.has_fy_bounds else "cards.registered_help",
            validation=row["validation"],
            planned=row["planned"],
            withdrawn=row["withdrawn"],
        ),
    ),
    Card(
        t("cards.expected_in", years=years) if selection.has_fy_bounds else t("cards.expected"),
        "–" if no_registered else t.amount(row["expected_annual_registered_tco2"], per_year=True),
        t("countries.card_no_registered") if no_registered else t("cards.expected_note"),
        t("cards.expected_help", exact=t.number(row["expected_annual_registered_tco2"])),
    ),
    Card(
        t("table.issuances"),
        f"{row['issuances']:,}",
        t("countries.card_nothing", years=years)
        if itemized_nothing
        else t("countries.card_without", n=row["issuances_without_amount"]),
        t("countries.card_issuances_help"),
    ),
]
components.cards(st.container(), profile_cards, 3)

by_fy = view["issued_by_fy"][view["issued_by_fy"]["country_iso3"] == profile_iso3]
timeline = pd.DataFrame(
    {
        t("table.fiscal_year"): [t.fy(fy) for fy in by_fy["fiscal_year"]],
        t("table.credits_issued"): by_fy["credits_issued_tco2"],
    }
)
undated = int(view["undated"].get(profile_iso3, 0))
filtered = bool(selection.techs or selection.has_fy_bounds)
if by_fy.empty:
    # Why there is no timeline, and what to do: nothing itemized at all, nothing under the filters,
    # or issuances whose dates are all unknown.
    if row["issuances"] > 0:
        reason = "countries.no_dated_undated"
    elif filtered:
        reason = "countries.no_dated_filtered"
    else:
        reason = "countries.no_dated_nothing"
    st.info(t.md(reason, name=name), icon=":material/info:")
else:
    components.chart_block(
        st.container(),
        charts.fy_bar_chart(by_fy, t("countries.timeline_title", name=name), t=t),
        timeline,
        f"issuances_by_fy_{profile_iso3}",
        components.export_meta(
            t("countries.export_timeline", name=name), selection, ref, view["as_of"], view["sources"], t
        ),
        "profile_timeline",
        t=t,
    )
if undated:
    st.caption(t.md_plural("countries.undated", undated, name=name))

hosted = view["technologies"][view["technologies"]["country_iso3"] == profile_iso3]
country_projects = cached.country_projects(key, selection, profile_iso3)
st.markdown(t("countries.hosted"))
# An empty table would read Streamlit's own "empty" (in English): say what is missing instead.
no_projects = t.md("countries.no_projects_filtered" if filtered else "countries.no_projects", name=name)
if hosted.empty:
    st.info(no_projects, icon=":material/info:")
else:
    components.show_table(
        st,
        pd.DataFrame(
            {
                t("table.technology_type"): [t.tech(v) for v in hosted["unep_type"]],
                t("table.projects"): hosted["projects"],
            }
        ).sort_values(t("table.projects"), ascending=False),
        t,
        width="content",
    )
st.markdown(t.md("countries.projects_of", name=name, n=len(country_projects)))
source_column, title_column = t("table.source"), t("table.title")
projects_display = pd.DataFrame(
    {
        t("table.reference"): country_projects["project_ref"],
        title_column: country_projects["title"],
        t("table.status"): [t.status(s) for s in country_projects["status_code"]],
        t("table.technology"): [t.tech(v) for v in country_projects["unep_type"]],
        t("table.expected"): country_projects["expected_annual_reductions_tco2"],
        t("table.registered"): country_projects["registration_date"].dt.date,
        source_column: country_projects["source_url"],
    }
)
if projects_display.empty:
    st.info(no_projects, icon=":material/info:")
else:
    components.show_table(
        st,
        projects_display,
        t,
        column_config={
            title_column: st.column_config.TextColumn(title_column, width=360 if t.lang == "en" else 300),
            source_column: st.column_config.LinkColumn(source_column, display_text=t("table.source_link")),
        },
    )
components.downloads(
    st.container(),
    projects_display,
    f"projects_{profile_iso3}",
    components.export_meta(
        t("countries.export_projects", name=name),
        selection,
        ref,
        view["as_of"],
        sorted(set(country_projects["source_url"].dropna())),
        t,
    ),
    "profile_projects",
    t,
)
st.caption(t("unit.unknown_note"))
