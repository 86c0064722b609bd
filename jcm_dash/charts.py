"""Pure Plotly figure builders: DataFrames in, ``go.Figure`` out (no Streamlit, no I/O)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from jcm_dash.i18n import EN, Translator

ISSUED_COLOUR = "#1f5fa8"
EXPECTED_COLOUR = "#e07b39"
TARGET_COLOUR = "#b8443f"
SUPERSEDED_COLOUR = "#9a9a9a"
FONT_FAMILY = "Noto Sans CJK JP, Noto Sans, Arial, sans-serif"


def _fy_axis(first_fy: int, last_fy: int, t: Translator, step: int = 2) -> dict:
    ticks = list(range(first_fy, last_fy + 1, step))
    return {
        "title": {"text": t("fy.axis")},
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [t.fy(fy) for fy in ticks],
        "range": [first_fy - 0.5, last_fy + 0.5],
    }


def _log_axis(max_value: float, t: Translator) -> dict:
    top = max(2, math.ceil(math.log10(max(max_value, 100))) + 0.3)
    values = [10**k for k in range(0, int(top) + 1)]
    labels = [
        t("unit.mt", value=f"{v // 1_000_000:,}") if v >= 1_000_000 else t("unit.t", value=f"{v:,}") for v in values
    ]
    return {
        "type": "log",
        "title": {"text": t("chart.log_axis")},
        "tickmode": "array",
        "tickvals": values,
        "ticktext": labels,
        "range": [0, top],
    }


def add_targets(fig: go.Figure, targets: pd.DataFrame, t: Translator = EN) -> None:
    """Mark each tonnage target at its deadline FY: a diamond, or a bar for a band (50–100 Mt)."""
    for _, target in targets.iterrows():
        fy = int(target["deadline_fy"])
        low = (
            float(target["value_low_tco2"]) if pd.notna(target["value_low_tco2"]) else float(target["value_high_tco2"])
        )
        high = float(target["value_high_tco2"])
        superseded = bool(target["is_superseded"])
        colour = SUPERSEDED_COLOUR if superseded else TARGET_COLOUR
        label = target_label(low, high, fy, t)
        name = t("chart.target_superseded" if superseded else "chart.target", label=label)
        # Offset the superseded band a little so it does not hide the current target at FY2030.
        x = fy - 0.4 if superseded else fy
        if low < high:
            fig.add_trace(
                go.Scatter(
                    x=[x, x],
                    y=[low, high],
                    mode="lines+markers",
                    line={"color": colour, "width": 12},
                    marker={"symbol": "line-ew", "size": 18, "line": {"width": 3, "color": colour}},
                    opacity=0.7,
                    name=name,
                    hovertemplate=f"{name}<extra></extra>",
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=[x],
                    y=[high],
                    mode="markers+text",
                    marker={"color": colour, "size": 14, "symbol": "diamond"},
                    text=[label],
                    textposition="middle left",
                    name=name,
                    hovertemplate=f"{name}<extra></extra>",
                )
            )


def _as_of_marker(fig: go.Figure, as_of_fy: int, text: str, **annotation: object) -> None:
    """A dotted line after the as-of FY with ``text`` at its top: where the data ends."""
    fig.add_vline(x=as_of_fy + 0.5, line={"color": "#555", "width": 1, "dash": "dot"})
    fig.add_annotation(
        x=as_of_fy + 0.5, y=1, yref="paper", text=text, showarrow=False, xanchor="left", yanchor="top", **annotation
    )


def target_label(low: float, high: float, fy: int, t: Translator = EN) -> str:
    """A tonnage target in words: ``50–100 Mt by FY2030`` or ``~100 Mt by FY2030``."""
    if low < high:
        return t("chart.target_band", low=f"{low / 1e6:,.0f}", high=f"{high / 1e6:,.0f}", fy=t.fy(fy))
    return t("chart.target_value", value=f"{high / 1e6:,.0f}", fy=t.fy(fy))


def issued_trace(cumulative: pd.DataFrame, name: str, log_scale: bool, t: Translator = EN) -> go.Scatter:
    """The cumulative credits-issued line (``cumulative_issued`` output) shared by the progress charts.

    On a log axis zero cannot be drawn, so years before the first issuance are left blank.
    """
    values = cumulative["cumulative_tco2"]
    return go.Scatter(
        x=cumulative["fiscal_year"],
        y=values.where(values > 0) if log_scale else values,
        name=name,
        mode="lines+markers",
        line={"color": ISSUED_COLOUR, "width": 3},
        customdata=[t.fy(fy) for fy in cumulative["fiscal_year"]],
        hovertemplate="%{customdata}: " + t("chart.hover_issued_cumulative") + "<extra></extra>",
    )


def progress_chart(
    issued: pd.DataFrame,
    expected: pd.DataFrame,
    targets: pd.DataFrame,
    last_actual_fy: int,
    horizon_fy: int = 2040,
    t: Translator = EN,
) -> go.Figure:
    """Cumulative credits issued and ex-ante expected reductions against the targets, log scale.

    Args:
        issued: ``cumulative_issued`` output (fiscal_year, cumulative_tco2).
        expected: ``cumulative_expected`` output (fiscal_year, cumulative_tco2).
        targets: ``tonnage_targets`` output.
        last_actual_fy: the FY of the data's as-of date (a "today" marker is drawn there).
        horizon_fy: the last FY on the axis.
        t: the interface language.

    """
    fig = go.Figure()
    fig.add_trace(issued_trace(issued, t("chart.issued_cumulative"), log_scale=True, t=t))
    expected_y = expected["cumulative_tco2"].where(expected["cumulative_tco2"] > 0)
    fig.add_trace(
        go.Scatter(
            x=expected["fiscal_year"],
            y=expected_y,
            name=t("chart.expected_cumulative"),
            mode="lines",
            line={"color": EXPECTED_COLOUR, "width": 2, "dash": "dash"},
            customdata=[t.fy(fy) for fy in expected["fiscal_year"]],
            hovertemplate="%{customdata}: " + t("chart.hover_expected_cumulative") + "<extra></extra>",
        )
    )
    max_value = max(
        [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
        + [float(issued["cumulative_tco2"].max() or 0), float(expected["cumulative_tco2"].max() or 0)]
    )
    add_targets(fig, targets, t)
    _as_of_marker(fig, last_actual_fy, t("chart.data_as_of"))
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else last_actual_fy
    fig.update_layout(
        title={"text": t("chart.progress_title")},
        xaxis=_fy_axis(first_fy, horizon_fy, t),
        yaxis=_log_axis(max_value, t),
        legend={"orientation": "h", "yanchor": "top", "y": -0.2},
        margin={"t": 60, "b": 40},
        font={"family": FONT_FAMILY},
        height=520,
    )
    return fig


def issued_chart(issued: pd.DataFrame, t: Translator = EN) -> go.Figure:
    """Credits issued per FY (bars) and their running total (line), linear scale: the actuals, zoomed."""
    labels = [t.fy(fy) for fy in issued["fiscal_year"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=issued["fiscal_year"],
            y=issued["issued_tco2"],
            name=t("chart.issued_in_fy"),
            marker={"color": "#8fb3dd"},
            customdata=labels,
            hovertemplate="%{customdata}: " + t("chart.hover_issued") + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=issued["fiscal_year"],
            y=issued["cumulative_tco2"],
            name=t("chart.cumulative"),
            mode="lines+markers",
            line={"color": ISSUED_COLOUR, "width": 3},
            customdata=labels,
            hovertemplate="%{customdata}: " + t("chart.hover_cumulative") + "<extra></extra>",
        )
    )
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else 0
    last_fy = int(issued["fiscal_year"].max()) if len(issued) else 0
    fig.update_layout(
        title={"text": t("chart.issued_title")},
        xaxis=_fy_axis(first_fy, last_fy, t, step=1 if last_fy - first_fy <= 12 else 2),
        yaxis={"title": {"text": "t-CO2e"}, "tickformat": ",d", "rangemode": "tozero"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2},
        margin={"t": 60, "b": 40},
        font={"family": FONT_FAMILY},
        height=420,
    )
    return fig


def projection_chart(
    actual: pd.DataFrame,
    projection: pd.DataFrame,
    targets: pd.DataFrame,
    as_of_fy: int,
    horizon_fy: int = 2040,
    log_scale: bool = True,
    t: Translator = EN,
) -> go.Figure:
    """Actual cumulative credits (solid) and the projection (dashed, low–high band) against the targets.

    Args:
        actual: ``cumulative_issued`` output up to the as-of FY.
        projection: ``projections.project`` output (cumulative_low/central/high_tco2 by fiscal_year).
        targets: ``tonnage_targets`` output.
        as_of_fy: the last FY of actual data; the projection starts after it.
        horizon_fy: the last FY drawn.
        log_scale: a log y axis (default), so actuals far below the targets stay visible.
        t: the interface language.

    """
    shown = projection[projection["fiscal_year"] <= horizon_fy]
    fig = go.Figure()
    fig.add_trace(issued_trace(actual, t("chart.issued_actual"), log_scale, t))
    if len(shown):
        # Start the projected lines at the last actual point so the two read as one path.
        start_value = float(actual["cumulative_tco2"].iloc[-1]) if len(actual) else None
        x = [as_of_fy, *shown["fiscal_year"].tolist()]
        labels = [t.fy(fy) for fy in x]

        def series(column: str) -> list[float | None]:
            return [start_value, *shown[column].tolist()]

        fig.add_trace(
            go.Scatter(
                x=x,
                y=series("cumulative_high_tco2"),
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                name="high",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=series("cumulative_low_tco2"),
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(224, 123, 57, 0.2)",
                name=t("chart.projection_band"),
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=series("cumulative_central_tco2"),
                name=t("chart.projection_central"),
                mode="lines",
                line={"color": EXPECTED_COLOUR, "width": 3, "dash": "dash"},
                customdata=labels,
                hovertemplate="%{customdata}: " + t("chart.hover_projected") + "<extra></extra>",
            )
        )
    add_targets(fig, targets, t)
    _as_of_marker(fig, as_of_fy, t("chart.projection_arrow"), font={"size": 14})
    first_fy = int(actual["fiscal_year"].min()) if len(actual) else as_of_fy
    values = [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
    if len(shown):
        values.append(float(shown["cumulative_high_tco2"].max()))
    if log_scale:
        yaxis = _log_axis(max(values), t)
    else:
        yaxis = {"title": {"text": t("chart.linear_axis")}, "tickformat": ",d", "rangemode": "tozero"}
    fig.update_layout(
        title={"text": t("chart.projection_title", fy=t.fy(horizon_fy))},
        xaxis=_fy_axis(first_fy, horizon_fy, t),
        yaxis=yaxis,
        legend={"orientation": "h", "yanchor": "top", "y": -0.2},
        margin={"t": 60, "b": 40},
        font={"family": FONT_FAMILY},
        height=520,
    )
    return fig


# Plotly config for maps: fetch the country shapes from the app itself (static/topojson served at
# app/static/), not from plotly's CDN. Relative, so it works under any host or port.
MAP_CONFIG = {"topojsonURL": "app/static/topojson/"}

# Country measures and technology measures; their labels are the catalogue's ``measure.<name>``.
COUNTRY_MEASURES = (
    "credits_issued_tco2",
    "japan_side_tco2",
    "goj_share_tco2",
    "registered",
    "projects_by_status",
    "expected_annual_registered_tco2",
)
TECH_MEASURES = ("credits_issued_tco2", "expected_annual_registered_tco2")
STATUS_COLOURS = {"registered": "#1f5fa8", "validation": "#e07b39", "planned": "#4a9c5d", "withdrawn": "#9a9a9a"}


def measure_label(measure: str, t: Translator = EN) -> str:
    """A measure's label with its unit: ``Credits issued (t-CO2e, known amounts)``."""
    return t(f"measure.{measure}")


def _country_names(table: pd.DataFrame, t: Translator) -> list[str]:
    return [t.country(iso3, name) for iso3, name in zip(table["iso3"], table["country"], strict=True)]


def _hover_lines(row: pd.Series, name: str, t: Translator) -> str:
    def amount(value: float) -> str:
        return t.tco2(None if pd.isna(value) else float(value))

    return t(
        "chart.country_hover",
        name=name,
        iso3=row["iso3"],
        issued=amount(row["credits_issued_tco2"]),
        goj=amount(row["goj_share_tco2"]),
        registered=row["registered"],
        validation=row["validation"],
        planned=row["planned"],
        withdrawn=row["withdrawn"],
        expected=t.tco2(row["expected_annual_registered_tco2"], t.per_year()),
    )


def country_ranking_chart(table: pd.DataFrame, measure: str, t: Translator = EN) -> go.Figure:
    """Partner countries ranked by ``measure`` (one of COUNTRY_MEASURES); all countries listed, zeros included."""
    label = measure_label(measure, t)
    table = table.assign(_name=_country_names(table, t))
    fig = go.Figure()
    if measure == "projects_by_status":
        ordered = table.sort_values(["projects_total", "_name"], ascending=[True, False])
        for code, colour in STATUS_COLOURS.items():
            fig.add_trace(
                go.Bar(
                    y=ordered["_name"],
                    x=ordered[code],
                    orientation="h",
                    name=t.status(code),
                    marker={"color": colour},
                    hovertemplate="%{y}: %{x} " + t.status(code) + "<extra></extra>",
                )
            )
        fig.update_layout(barmode="stack")
    else:
        ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values(["_sort", "_name"], ascending=[True, False])
        text = [t.number(None if pd.isna(v) else float(v)) for v in ordered[measure]]
        fig.add_trace(
            go.Bar(
                y=ordered["_name"],
                x=ordered[measure].fillna(0),
                orientation="h",
                text=text,
                textposition="outside",
                marker={"color": ISSUED_COLOUR},
                name=label,
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    fig.update_layout(
        title={"text": t("chart.ranking_title", measure=label)},
        xaxis={"title": {"text": label}, "tickformat": ",d"},
        yaxis={"title": {"text": ""}, "automargin": True},
        height=max(400, 22 * len(table) + 120),
        margin={"t": 60, "l": 10, "r": 80},  # room for the value beside the longest bar
        font={"family": FONT_FAMILY},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0},
    )
    return fig


def country_map(
    table: pd.DataFrame, measure: str, centroids: dict[str, tuple[float, float]], t: Translator = EN
) -> go.Figure:
    """Partner countries shaded by ``measure``, with a marker at each centroid (small islands stay visible).

    Render with ``config=MAP_CONFIG`` so the shapes come from the app, not a CDN.
    """
    value_column = "projects_total" if measure == "projects_by_status" else measure
    label = t("measure.projects_total") if measure == "projects_by_status" else measure_label(measure, t)
    names = _country_names(table, t)
    hover = [_hover_lines(row, names[i], t) for i, (_, row) in enumerate(table.iterrows())]
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=table["iso3"],
            z=table[value_column],
            locationmode="ISO-3",
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorscale="Blues",
            marker={"line": {"color": "#555", "width": 0.5}},
            colorbar={"title": {"text": label[:28]}},
            name=label,
        )
    )
    positions = [i for i, iso3 in enumerate(table["iso3"]) if iso3 in centroids]
    fig.add_trace(
        go.Scattergeo(
            lon=[centroids[table["iso3"].iloc[i]][0] for i in positions],
            lat=[centroids[table["iso3"].iloc[i]][1] for i in positions],
            text=[hover[i] for i in positions],
            hovertemplate="%{text}<extra></extra>",
            mode="markers",
            marker={"size": 6, "color": "#b8443f", "line": {"color": "white", "width": 1}},
            name=t("chart.partner_country"),
            showlegend=False,
        )
    )
    fig.update_geos(
        resolution=50,
        showcountries=True,
        countrycolor="#bbb",
        showland=True,
        landcolor="#f3f3f3",
        showocean=True,
        oceancolor="#eaf2fb",
        projection={"type": "natural earth"},
        showframe=False,
        lataxis={"range": [-50, 75]},
    )
    fig.update_layout(
        title={"text": t("chart.map_title", measure=label)},
        height=520,
        margin={"t": 50, "l": 0, "r": 0, "b": 0},
        font={"family": FONT_FAMILY},
    )
    return fig


def fy_bar_chart(by_fy: pd.DataFrame, title: str, colour_by: str | None = None, t: Translator = EN) -> go.Figure:
    """Known credits issued per FY (bars), stacked by ``colour_by`` (a technology column) when given."""
    fig = go.Figure()
    groups = [(None, by_fy)] if colour_by is None else list(by_fy.groupby(colour_by, sort=True))
    for name, rows in groups:
        label = t.tech(name) if name else t("chart.issued")
        fig.add_trace(
            go.Bar(
                x=rows["fiscal_year"],
                y=rows["credits_issued_tco2"].fillna(0),
                name=label,
                customdata=[t.fy(fy) for fy in rows["fiscal_year"]],
                hovertemplate="%{customdata}: %{y:,.0f} t-CO2e" + (f" ({label})" if name else "") + "<extra></extra>",
            )
        )
    fys = by_fy["fiscal_year"]
    first, last = (int(fys.min()), int(fys.max())) if len(fys) else (0, 0)
    fig.update_layout(
        title={"text": title},
        barmode="stack",
        xaxis=_fy_axis(first, last, t, step=1 if last - first <= 12 else 2),
        yaxis={"title": {"text": "t-CO2e"}, "tickformat": ",d"},
        font={"family": FONT_FAMILY},
        height=420,
        legend={"orientation": "h", "yanchor": "top", "y": -0.25},
        margin={"t": 60},
    )
    return fig


def technology_chart(table: pd.DataFrame, measure: str, level_label: str, t: Translator = EN) -> go.Figure:
    """Technologies ranked by ``measure`` (one of TECH_MEASURES), horizontal bars."""
    label = measure_label(measure, t)
    ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values("_sort")
    text = [t.number(None if pd.isna(v) else float(v)) for v in ordered[measure]]
    fig = go.Figure(
        go.Bar(
            y=[t.tech(v) for v in ordered["technology"]],
            x=ordered[measure].fillna(0),
            orientation="h",
            text=text,
            textposition="outside",
            marker={"color": ISSUED_COLOUR if measure == "credits_issued_tco2" else EXPECTED_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": t("chart.technology_title", measure=label, level=level_label)},
        xaxis={"title": {"text": label}, "tickformat": ",d"},
        yaxis={"automargin": True},
        height=max(360, 28 * len(table) + 120),
        font={"family": FONT_FAMILY},
        margin={"t": 60, "r": 60},
    )
    return fig


def technology_country_heatmap(long_table: pd.DataFrame, measure: str, t: Translator = EN) -> go.Figure:
    """Technology × partner country heatmap of ``measure`` (blank = nothing, 'unknown' = amounts not known)."""
    label = measure_label(measure, t)
    named = long_table.assign(
        technology=[t.tech(v) for v in long_table["technology"]],
        country=[t.country(i, n) for i, n in zip(long_table["country_iso3"], long_table["country"], strict=True)],
    )
    grid = named.pivot_table(index="technology", columns="country", values=measure, aggfunc="sum", dropna=False)
    text = [["" if pd.isna(v) else f"{v:,.0f}" for v in row] for row in grid.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="Blues",
            text=text,
            texttemplate="%{text}",
            hovertemplate=t("chart.heatmap_hover") + "<extra></extra>",
            colorbar={"title": {"text": "t-CO2e"}},
        )
    )
    fig.update_layout(
        title={"text": t("chart.heatmap_title", measure=label)},
        xaxis={"tickangle": -40},
        yaxis={"automargin": True},
        height=max(380, 34 * len(grid.index) + 160),
        font={"family": FONT_FAMILY},
    )
    return fig
