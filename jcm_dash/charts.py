"""Pure Plotly figure builders: DataFrames in, ``go.Figure`` out (no Streamlit, no I/O)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

ISSUED_COLOUR = "#1f5fa8"
EXPECTED_COLOUR = "#e07b39"
TARGET_COLOUR = "#b8443f"
SUPERSEDED_COLOUR = "#9a9a9a"
FONT_FAMILY = "Noto Sans CJK JP, Noto Sans, Arial, sans-serif"


def _fy_axis(first_fy: int, last_fy: int, step: int = 2) -> dict:
    ticks = list(range(first_fy, last_fy + 1, step))
    return {
        "title": {"text": "Japanese fiscal year (April–March)"},
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [f"FY{fy}" for fy in ticks],
        "range": [first_fy - 0.5, last_fy + 0.5],
    }


def _log_axis(max_value: float) -> dict:
    top = max(2, math.ceil(math.log10(max(max_value, 100))) + 0.3)
    values = [10**k for k in range(0, int(top) + 1)]
    labels = [f"{v // 1_000_000:,} Mt" if v >= 1_000_000 else f"{v:,} t" for v in values]
    return {
        "type": "log",
        "title": {"text": "t-CO2e, cumulative (log scale)"},
        "tickmode": "array",
        "tickvals": values,
        "ticktext": labels,
        "range": [0, top],
    }


def add_targets(fig: go.Figure, targets: pd.DataFrame) -> None:
    """Mark each tonnage target at its deadline FY: a diamond, or a bar for a band (50–100 Mt)."""
    for _, target in targets.iterrows():
        fy = int(target["deadline_fy"])
        low = (
            float(target["value_low_tco2"]) if pd.notna(target["value_low_tco2"]) else float(target["value_high_tco2"])
        )
        high = float(target["value_high_tco2"])
        superseded = bool(target["is_superseded"])
        colour = SUPERSEDED_COLOUR if superseded else TARGET_COLOUR
        label = f"{low / 1e6:,.0f}–{high / 1e6:,.0f} Mt by FY{fy}" if low < high else f"~{high / 1e6:,.0f} Mt by FY{fy}"
        name = f"Target {label}" + (" (superseded)" if superseded else "")
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


def issued_trace(cumulative: pd.DataFrame, name: str, log_scale: bool) -> go.Scatter:
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
        customdata=[f"FY{fy}" for fy in cumulative["fiscal_year"]],
        hovertemplate="%{customdata}: %{y:,.0f} t-CO2e issued (cumulative)<extra></extra>",
    )


def progress_chart(
    issued: pd.DataFrame,
    expected: pd.DataFrame,
    targets: pd.DataFrame,
    last_actual_fy: int,
    horizon_fy: int = 2040,
) -> go.Figure:
    """Cumulative credits issued and ex-ante expected reductions against the targets, log scale.

    Args:
        issued: ``cumulative_issued`` output (fiscal_year, cumulative_tco2).
        expected: ``cumulative_expected`` output (fiscal_year, cumulative_tco2).
        targets: ``tonnage_targets`` output.
        last_actual_fy: the FY of the data's as-of date (a "today" marker is drawn there).
        horizon_fy: the last FY on the axis.

    """
    fig = go.Figure()
    fig.add_trace(issued_trace(issued, "Credits issued, cumulative (known amounts)", log_scale=True))
    expected_y = expected["cumulative_tco2"].where(expected["cumulative_tco2"] > 0)
    fig.add_trace(
        go.Scatter(
            x=expected["fiscal_year"],
            y=expected_y,
            name="Expected reductions of registered projects, cumulative (ex-ante)",
            mode="lines",
            line={"color": EXPECTED_COLOUR, "width": 2, "dash": "dash"},
            customdata=[f"FY{fy}" for fy in expected["fiscal_year"]],
            hovertemplate="%{customdata}: %{y:,.0f} t-CO2e expected (cumulative, ex-ante)<extra></extra>",
        )
    )
    max_value = max(
        [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
        + [float(issued["cumulative_tco2"].max() or 0), float(expected["cumulative_tco2"].max() or 0)]
    )
    add_targets(fig, targets)
    fig.add_vline(x=last_actual_fy + 0.5, line={"color": "#555", "width": 1, "dash": "dot"})
    fig.add_annotation(
        x=last_actual_fy + 0.5, y=1, yref="paper", text="data as of", showarrow=False, xanchor="left", yanchor="top"
    )
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else last_actual_fy
    fig.update_layout(
        title={"text": "Progress toward Japan's JCM targets (cumulative t-CO2e, log scale)"},
        xaxis=_fy_axis(first_fy, horizon_fy),
        yaxis=_log_axis(max_value),
        legend={"orientation": "h", "yanchor": "top", "y": -0.2},
        margin={"t": 60, "b": 40},
        font={"family": FONT_FAMILY},
        height=520,
    )
    return fig


def issued_chart(issued: pd.DataFrame) -> go.Figure:
    """Credits issued per FY (bars) and their running total (line), linear scale: the actuals, zoomed."""
    labels = [f"FY{fy}" for fy in issued["fiscal_year"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=issued["fiscal_year"],
            y=issued["issued_tco2"],
            name="Issued in the FY (known amounts)",
            marker={"color": "#8fb3dd"},
            customdata=labels,
            hovertemplate="%{customdata}: %{y:,.0f} t-CO2e issued<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=issued["fiscal_year"],
            y=issued["cumulative_tco2"],
            name="Cumulative",
            mode="lines+markers",
            line={"color": ISSUED_COLOUR, "width": 3},
            customdata=labels,
            hovertemplate="%{customdata}: %{y:,.0f} t-CO2e cumulative<extra></extra>",
        )
    )
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else 0
    last_fy = int(issued["fiscal_year"].max()) if len(issued) else 0
    fig.update_layout(
        title={"text": "Credits issued by fiscal year (t-CO2e, linear scale)"},
        xaxis=_fy_axis(first_fy, last_fy, step=1 if last_fy - first_fy <= 12 else 2),
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
) -> go.Figure:
    """Actual cumulative credits (solid) and the projection (dashed, low–high band) against the targets.

    Args:
        actual: ``cumulative_issued`` output up to the as-of FY.
        projection: ``projections.project`` output (cumulative_low/central/high_tco2 by fiscal_year).
        targets: ``tonnage_targets`` output.
        as_of_fy: the last FY of actual data; the projection starts after it.
        horizon_fy: the last FY drawn.
        log_scale: a log y axis (default), so actuals far below the targets stay visible.

    """
    shown = projection[projection["fiscal_year"] <= horizon_fy]
    fig = go.Figure()
    fig.add_trace(issued_trace(actual, "Issued (actual, cumulative)", log_scale))
    if len(shown):
        # Start the projected lines at the last actual point so the two read as one path.
        start_value = float(actual["cumulative_tco2"].iloc[-1]) if len(actual) else None
        x = [as_of_fy, *shown["fiscal_year"].tolist()]
        labels = [f"FY{fy}" for fy in x]

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
                name="Projection, low–high band",
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=series("cumulative_central_tco2"),
                name="Projection, central (cumulative)",
                mode="lines",
                line={"color": EXPECTED_COLOUR, "width": 3, "dash": "dash"},
                customdata=labels,
                hovertemplate="%{customdata}: %{y:,.0f} t-CO2e projected<extra></extra>",
            )
        )
    add_targets(fig, targets)
    fig.add_vline(x=as_of_fy + 0.5, line={"color": "#555", "width": 1, "dash": "dot"})
    fig.add_annotation(
        x=as_of_fy + 0.5,
        y=1,
        yref="paper",
        text="projection →",
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 14},
    )
    first_fy = int(actual["fiscal_year"].min()) if len(actual) else as_of_fy
    values = [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
    if len(shown):
        values.append(float(shown["cumulative_high_tco2"].max()))
    if log_scale:
        yaxis = _log_axis(max(values))
    else:
        yaxis = {"title": {"text": "t-CO2e, cumulative"}, "tickformat": ",d", "rangemode": "tozero"}
    fig.update_layout(
        title={"text": f"Projected cumulative JCM credits to FY{horizon_fy} (t-CO2e)"},
        xaxis=_fy_axis(first_fy, horizon_fy),
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

COUNTRY_MEASURES = {
    "credits_issued_tco2": "Credits issued (t-CO2e, known amounts)",
    "japan_side_tco2": "Japanese side (t-CO2e, where stated)",
    "goj_share_tco2": "Acquired by GoJ (t-CO2e, where stated)",
    "registered": "Registered projects",
    "projects_by_status": "Projects by status",
    "expected_annual_registered_tco2": "Expected annual reductions of registered projects (t-CO2e/yr)",
}
STATUS_COLOURS = {"registered": "#1f5fa8", "validation": "#e07b39", "planned": "#4a9c5d", "withdrawn": "#9a9a9a"}


def _hover_lines(row: pd.Series) -> str:
    def amount(value: float) -> str:
        return "unknown" if pd.isna(value) else f"{value:,.0f} t-CO2e"

    return (
        f"<b>{row['country']}</b> ({row['iso3']})<br>"
        f"Credits issued: {amount(row['credits_issued_tco2'])}<br>"
        f"GoJ share: {amount(row['goj_share_tco2'])}<br>"
        f"Projects: {row['registered']} registered, {row['validation']} in validation, "
        f"{row['planned']} planned, {row['withdrawn']} withdrawn<br>"
        f"Expected reductions, registered: {row['expected_annual_registered_tco2']:,.0f} t-CO2e/yr"
    )


def country_ranking_chart(table: pd.DataFrame, measure: str) -> go.Figure:
    """Partner countries ranked by ``measure`` (a COUNTRY_MEASURES key); all countries listed, zeros included."""
    label = COUNTRY_MEASURES[measure]
    fig = go.Figure()
    if measure == "projects_by_status":
        ordered = table.sort_values(["projects_total", "country"], ascending=[True, False])
        for code, colour in STATUS_COLOURS.items():
            fig.add_trace(
                go.Bar(
                    y=ordered["country"],
                    x=ordered[code],
                    orientation="h",
                    name=code,
                    marker={"color": colour},
                    hovertemplate="%{y}: %{x} " + code + "<extra></extra>",
                )
            )
        fig.update_layout(barmode="stack")
    else:
        ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values(
            ["_sort", "country"], ascending=[True, False]
        )
        text = ["unknown" if pd.isna(v) else f"{v:,.0f}" for v in ordered[measure]]
        fig.add_trace(
            go.Bar(
                y=ordered["country"],
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
        title={"text": f"Partner countries by {label[0].lower() + label[1:]}"},
        xaxis={"title": {"text": label}, "tickformat": ",d"},
        yaxis={"title": {"text": ""}, "automargin": True},
        height=max(400, 22 * len(table) + 120),
        margin={"t": 60, "l": 10, "r": 40},
        font={"family": FONT_FAMILY},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0},
    )
    return fig


def country_map(table: pd.DataFrame, measure: str, centroids: dict[str, tuple[float, float]]) -> go.Figure:
    """Partner countries shaded by ``measure``, with a marker at each centroid (small islands stay visible).

    Render with ``config=MAP_CONFIG`` so the shapes come from the app, not a CDN.
    """
    value_column = "projects_total" if measure == "projects_by_status" else measure
    label = "Projects (all statuses)" if measure == "projects_by_status" else COUNTRY_MEASURES[measure]
    hover = [_hover_lines(row) for _, row in table.iterrows()]
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
    located = table[table["iso3"].isin(centroids)]
    fig.add_trace(
        go.Scattergeo(
            lon=[centroids[c][0] for c in located["iso3"]],
            lat=[centroids[c][1] for c in located["iso3"]],
            text=[hover[i] for i in located.index],
            hovertemplate="%{text}<extra></extra>",
            mode="markers",
            marker={"size": 6, "color": "#b8443f", "line": {"color": "white", "width": 1}},
            name="Partner country",
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
        title={"text": f"JCM partner countries: {label[0].lower() + label[1:]}"},
        height=520,
        margin={"t": 50, "l": 0, "r": 0, "b": 0},
        font={"family": FONT_FAMILY},
    )
    return fig


def fy_bar_chart(by_fy: pd.DataFrame, title: str, colour_by: str | None = None) -> go.Figure:
    """Known credits issued per FY (bars), stacked by ``colour_by`` when given."""
    fig = go.Figure()
    groups = [(None, by_fy)] if colour_by is None else list(by_fy.groupby(colour_by, sort=True))
    for name, rows in groups:
        fig.add_trace(
            go.Bar(
                x=rows["fiscal_year"],
                y=rows["credits_issued_tco2"].fillna(0),
                name=str(name) if name else "Issued",
                customdata=[f"FY{fy}" for fy in rows["fiscal_year"]],
                hovertemplate="%{customdata}: %{y:,.0f} t-CO2e" + (f" ({name})" if name else "") + "<extra></extra>",
            )
        )
    fys = by_fy["fiscal_year"]
    first, last = (int(fys.min()), int(fys.max())) if len(fys) else (0, 0)
    fig.update_layout(
        title={"text": title},
        barmode="stack",
        xaxis=_fy_axis(first, last, step=1 if last - first <= 12 else 2),
        yaxis={"title": {"text": "t-CO2e"}, "tickformat": ",d"},
        font={"family": FONT_FAMILY},
        height=420,
        legend={"orientation": "h", "yanchor": "top", "y": -0.25},
        margin={"t": 60},
    )
    return fig


TECH_MEASURES = {
    "credits_issued_tco2": "Credits issued (t-CO2e, known amounts)",
    "expected_annual_registered_tco2": "Expected annual reductions of registered projects (t-CO2e/yr)",
}


def technology_chart(table: pd.DataFrame, measure: str, level_label: str) -> go.Figure:
    """Technologies ranked by ``measure`` (a TECH_MEASURES key), horizontal bars."""
    label = TECH_MEASURES[measure]
    ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values("_sort")
    text = ["unknown" if pd.isna(v) else f"{v:,.0f}" for v in ordered[measure]]
    fig = go.Figure(
        go.Bar(
            y=ordered["technology"],
            x=ordered[measure].fillna(0),
            orientation="h",
            text=text,
            textposition="outside",
            marker={"color": ISSUED_COLOUR if measure == "credits_issued_tco2" else EXPECTED_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": f"{label} by {level_label}"},
        xaxis={"title": {"text": label}, "tickformat": ",d"},
        yaxis={"automargin": True},
        height=max(360, 28 * len(table) + 120),
        font={"family": FONT_FAMILY},
        margin={"t": 60, "r": 60},
    )
    return fig


def technology_country_heatmap(long_table: pd.DataFrame, measure: str) -> go.Figure:
    """Technology × partner country heatmap of ``measure`` (blank = nothing, 'unknown' = amounts not known)."""
    label = TECH_MEASURES[measure]
    grid = long_table.pivot_table(index="technology", columns="country", values=measure, aggfunc="sum", dropna=False)
    text = [["" if pd.isna(v) else f"{v:,.0f}" for v in row] for row in grid.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale="Blues",
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} in %{x}: %{text}<extra></extra>",
            colorbar={"title": {"text": "t-CO2e"}},
        )
    )
    fig.update_layout(
        title={"text": f"{label}: technology × partner country"},
        xaxis={"tickangle": -40},
        yaxis={"automargin": True},
        height=max(380, 34 * len(grid.index) + 160),
        font={"family": FONT_FAMILY},
    )
    return fig
