"""Pure Plotly figure builders: DataFrames in, ``go.Figure`` out (no Streamlit, no I/O).

Figures are assembled from plain dicts and handed to Plotly without its per-property validation
(``_figure``): validating every trace and layout property took 15-40 ms per page at every scale,
about as long as the page's queries (bench/RESULTS.md). The validation still runs, in the tests:
tests/test_charts.py rebuilds every figure with validation on and requires the same JSON, so a
misspelt property fails there instead of on every rerun.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from jcm_dash.i18n import EN, Translator
from jcm_dash.projections import fiscal_time, fiscal_times

ISSUED_COLOUR = "#1f5fa8"
EXPECTED_COLOUR = "#e07b39"
TARGET_COLOUR = "#b8443f"
SUPERSEDED_COLOUR = "#9a9a9a"
PUBLISHED_COLOUR = "#2e8b57"
TREND_COLOUR = "#6b6b6b"
FONT_FAMILY = "Noto Sans CJK JP, Noto Sans, Arial, sans-serif"
# Plotly's sequential Blues as stops: the name alone would reach plotly.js, whose "Blues" is another scale.
BLUES = plotly.colors.make_colorscale(plotly.colors.sequential.Blues)


def _values(value: object) -> object:
    """What Plotly's validators would store for a data array: pandas objects as NumPy arrays."""
    return value.to_numpy() if isinstance(value, pd.Series | pd.Index) else value


def _trace(kind: str, **props: object) -> dict:
    """One trace as a dict (``kind`` is Plotly's trace type: scatter, bar, choropleth...)."""
    return {"type": kind, **{name: _values(value) for name, value in props.items()}}


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """The figure for ``data`` and ``layout``, without per-property validation (see the module docstring)."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


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


def target_traces(targets: pd.DataFrame, t: Translator = EN) -> list[dict]:
    """Mark each tonnage target at its deadline FY: a diamond, or a bar for a band (50–100 Mt)."""
    traces = []
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
            traces.append(
                _trace(
                    "scatter",
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
            traces.append(
                _trace(
                    "scatter",
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
    return traces


def _as_of_marker(as_of_fy: int, text: str, **annotation: object) -> dict:
    """Layout entries for a dotted line after the as-of FY with ``text`` at its top: where the data ends."""
    x = as_of_fy + 0.5
    return {
        "shapes": [
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": "#555", "width": 1, "dash": "dot"},
            }
        ],
        "annotations": [
            {
                "x": x,
                "y": 1,
                "yref": "paper",
                "text": text,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
                **annotation,
            }
        ],
    }


def target_label(low: float, high: float, fy: int, t: Translator = EN) -> str:
    """A tonnage target in words: ``50–100 Mt by FY2030`` or ``~100 Mt by FY2030``."""
    if low < high:
        return t("chart.target_band", low=f"{low / 1e6:,.0f}", high=f"{high / 1e6:,.0f}", fy=t.fy(fy))
    return t("chart.target_value", value=f"{high / 1e6:,.0f}", fy=t.fy(fy))


def issued_trace(cumulative: pd.DataFrame, name: str, log_scale: bool, t: Translator = EN) -> dict:
    """The cumulative credits-issued line (``cumulative_issued`` output) shared by the progress charts.

    On a log axis zero cannot be drawn, so years before the first issuance are left blank.
    """
    values = cumulative["cumulative_tco2"]
    return _trace(
        "scatter",
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
    expected_y = expected["cumulative_tco2"].where(expected["cumulative_tco2"] > 0)
    data = [
        issued_trace(issued, t("chart.issued_cumulative"), log_scale=True, t=t),
        _trace(
            "scatter",
            x=expected["fiscal_year"],
            y=expected_y,
            name=t("chart.expected_cumulative"),
            mode="lines",
            line={"color": EXPECTED_COLOUR, "width": 2, "dash": "dash"},
            customdata=[t.fy(fy) for fy in expected["fiscal_year"]],
            hovertemplate="%{customdata}: " + t("chart.hover_expected_cumulative") + "<extra></extra>",
        ),
        *target_traces(targets, t),
    ]
    max_value = max(
        [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
        + [float(issued["cumulative_tco2"].max() or 0), float(expected["cumulative_tco2"].max() or 0)]
    )
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else last_actual_fy
    layout = {
        "title": {"text": t("chart.progress_title")},
        "xaxis": _fy_axis(first_fy, horizon_fy, t),
        "yaxis": _log_axis(max_value, t),
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2},
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 520,
        **_as_of_marker(last_actual_fy, t("chart.data_as_of")),
    }
    return _figure(data, layout)


def issued_chart(issued: pd.DataFrame, t: Translator = EN) -> go.Figure:
    """Credits issued per FY (bars) and their running total (line), linear scale: the actuals, zoomed."""
    labels = [t.fy(fy) for fy in issued["fiscal_year"]]
    data = [
        _trace(
            "bar",
            x=issued["fiscal_year"],
            y=issued["issued_tco2"],
            name=t("chart.issued_in_fy"),
            marker={"color": "#8fb3dd"},
            customdata=labels,
            hovertemplate="%{customdata}: " + t("chart.hover_issued") + "<extra></extra>",
        ),
        _trace(
            "scatter",
            x=issued["fiscal_year"],
            y=issued["cumulative_tco2"],
            name=t("chart.cumulative"),
            mode="lines+markers",
            line={"color": ISSUED_COLOUR, "width": 3},
            customdata=labels,
            hovertemplate="%{customdata}: " + t("chart.hover_cumulative") + "<extra></extra>",
        ),
    ]
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else 0
    last_fy = int(issued["fiscal_year"].max()) if len(issued) else 0
    layout = {
        "title": {"text": t("chart.issued_title")},
        "xaxis": _fy_axis(first_fy, last_fy, t, step=1 if last_fy - first_fy <= 12 else 2),
        "yaxis": {"title": {"text": "t-CO2e"}, "tickformat": ",d", "rangemode": "tozero"},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2},
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 420,
    }
    return _figure(data, layout)


def published_trace(published: pd.DataFrame, t: Translator = EN) -> dict | None:
    """Published cumulative totals as dated points (x on the FY axis: a date in FY N sits between N-1 and N)."""
    rows = published.dropna(subset=["as_of_day", "value_numeric"]) if published is not None else None
    if rows is None or rows.empty:
        return None
    x = fiscal_times(rows["as_of_day"]) - 1.0
    labels = [
        f"{pd.Timestamp(d).date().isoformat()}: {t.number(v)} t-CO2e"
        for d, v in zip(rows["as_of_day"], rows["value_numeric"], strict=True)
    ]
    return _trace(
        "scatter",
        x=x,
        y=rows["value_numeric"],
        mode="markers",
        marker={"color": PUBLISHED_COLOUR, "size": 11, "symbol": "square"},
        name=t("projection_chart.published"),
        customdata=labels,
        hovertemplate="%{customdata}<extra></extra>",
    )


def projection_chart(
    actual: pd.DataFrame,
    projection: pd.DataFrame,
    targets: pd.DataFrame,
    as_of_fy: int,
    horizon_fy: int = 2040,
    log_scale: bool = True,
    t: Translator = EN,
    *,
    start: dict[str, float] | None = None,
    published: pd.DataFrame | None = None,
    central_name: str | None = None,
) -> go.Figure:
    """Actual cumulative credits (solid) and the projection (dashed, low–high band) against the targets.

    Args:
        actual: ``cumulative_issued`` output up to the as-of FY.
        projection: ``projections.project`` output (cumulative_low/central/high_tco2 by fiscal_year;
            ``cumulative_trend_tco2`` is drawn as the no-model trend when present).
        targets: ``tonnage_targets`` output.
        as_of_fy: the last FY of actual data; the projection starts after it.
        horizon_fy: the last FY drawn.
        log_scale: a log y axis (default), so actuals far below the targets stay visible.
        t: the interface language.
        start: each line's value at the end of the as-of FY (``low``, ``central``, ``high``,
            ``trend``); without it the lines start at the last actual point.
        published: published cumulative totals (``as_of_day``, ``value_numeric``), drawn as points.
        central_name: the central line's legend entry (default: the catalogue's).

    """
    shown = projection[projection["fiscal_year"] <= horizon_fy]
    data = [issued_trace(actual, t("chart.issued_actual"), log_scale, t)]
    points = published_trace(published, t) if published is not None else None
    if points:
        data.append(points)
    if len(shown):
        # Start the projected lines where each method stands at the end of the as-of FY (else at the
        # last actual point) so each reads as one path.
        last_actual = float(actual["cumulative_tco2"].iloc[-1]) if len(actual) else None
        x = [as_of_fy, *shown["fiscal_year"].tolist()]
        labels = [t.fy(fy) for fy in x]

        def series(name: str) -> list[float | None]:
            first = (start or {}).get(name, last_actual)
            return [first, *shown[f"cumulative_{name}_tco2"].tolist()]

        data += [
            _trace(
                "scatter",
                x=x,
                y=series("high"),
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                name="high",
            ),
            _trace(
                "scatter",
                x=x,
                y=series("low"),
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(224, 123, 57, 0.2)",
                name=t("chart.projection_band"),
                hoverinfo="skip",
            ),
            _trace(
                "scatter",
                x=x,
                y=series("central"),
                name=central_name or t("chart.projection_central"),
                mode="lines",
                line={"color": EXPECTED_COLOUR, "width": 3, "dash": "dash"},
                customdata=labels,
                hovertemplate="%{customdata}: " + t("chart.hover_projected") + "<extra></extra>",
            ),
        ]
        if "cumulative_trend_tco2" in shown.columns:
            data.append(
                _trace(
                    "scatter",
                    x=x,
                    y=series("trend"),
                    name=t("projection_chart.trend"),
                    mode="lines",
                    line={"color": TREND_COLOUR, "width": 2, "dash": "dot"},
                    customdata=labels,
                    hovertemplate="%{customdata}: " + t("chart.hover_projected") + "<extra></extra>",
                )
            )
    data += target_traces(targets, t)
    first_fy = int(actual["fiscal_year"].min()) if len(actual) else as_of_fy
    values = [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
    if len(shown):
        values.append(float(shown["cumulative_high_tco2"].max()))
    if log_scale:
        yaxis = _log_axis(max(values), t)
    else:
        yaxis = {"title": {"text": t("chart.linear_axis")}, "tickformat": ",d", "rangemode": "tozero"}
    layout = {
        "title": {"text": t("chart.projection_title", fy=t.fy(horizon_fy))},
        # Every 4th FY: 27 FYs at every 2nd overlapped on a 420 px screen.
        "xaxis": _fy_axis(first_fy, horizon_fy, t, step=4),
        "yaxis": yaxis,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3},
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 520,
        **_as_of_marker(as_of_fy, t("chart.projection_arrow"), font={"size": 14}),
    }
    return _figure(data, layout)


def annual_projection_chart(
    actual: pd.DataFrame,
    projection: pd.DataFrame,
    as_of_fy: int,
    horizon_fy: int = 2040,
    pace: dict | None = None,
    t: Translator = EN,
) -> go.Figure:
    """Credits issued per FY (itemized) beside the central case's projected credits per FY, linear scale.

    Drawn on one linear axis so a jump from the record to the projection shows at its true size.

    Args:
        actual: ``cumulative_issued`` output (fiscal_year, issued_tco2).
        projection: ``projections.project`` output (annual_central/low/high_tco2 by fiscal_year).
        as_of_fy: the data's as-of FY (a marker is drawn after it).
        horizon_fy: the last FY drawn.
        pace: ``projections.published_pace`` output: the average pace between two published totals,
            drawn as a line across the FYs it spans.
        t: the interface language.

    """
    shown = projection[projection["fiscal_year"] <= horizon_fy]
    history = actual[actual["fiscal_year"] <= as_of_fy]
    data = [
        _trace(
            "bar",
            x=history["fiscal_year"],
            y=history["issued_tco2"],
            name=t("projection_chart.annual_itemized"),
            marker={"color": ISSUED_COLOUR},
            customdata=[t.fy(fy) for fy in history["fiscal_year"]],
            hovertemplate="%{customdata}: " + t("chart.hover_issued") + "<extra></extra>",
        )
    ]
    if len(shown):
        low, high = shown["annual_low_tco2"], shown["annual_high_tco2"]
        central = shown["annual_central_tco2"]
        data.append(
            _trace(
                "bar",
                x=shown["fiscal_year"],
                y=central,
                name=t("projection_chart.annual_central"),
                marker={"color": EXPECTED_COLOUR},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (high - central).clip(lower=0),
                    "arrayminus": (central - low).clip(lower=0),
                    "color": "#7a4a22",
                    "thickness": 1,
                    "width": 2,
                },
                customdata=[
                    [t.fy(fy), t.number(lo), t.number(hi)]
                    for fy, lo, hi in zip(shown["fiscal_year"], low, high, strict=True)
                ],
                hovertemplate="%{customdata[0]}: " + t("projection_chart.hover_annual") + "<extra></extra>",
            )
        )
    if pace:
        x0, x1 = fiscal_time(pace["from_date"]) - 1.0, fiscal_time(pace["to_date"]) - 1.0
        data.append(
            _trace(
                "scatter",
                x=[x0, x1],
                y=[pace["tco2_per_year"]] * 2,
                mode="lines",
                line={"color": PUBLISHED_COLOUR, "width": 3, "dash": "dash"},
                name=t("projection_chart.published_pace"),
                hovertemplate=t(
                    "projection_chart.hover_pace",
                    value=t.number(pace["tco2_per_year"]),
                    start=pace["from_date"],
                    end=pace["to_date"],
                )
                + "<extra></extra>",
            )
        )
    first_fy = int(history["fiscal_year"].min()) if len(history) else as_of_fy
    layout = {
        "title": {"text": t("projection_chart.annual_title")},
        "xaxis": _fy_axis(first_fy, horizon_fy, t, step=4),
        "yaxis": {"title": {"text": t("projection_chart.annual_axis")}, "tickformat": ",d", "rangemode": "tozero"},
        "barmode": "overlay",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3},
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 460,
        **_as_of_marker(as_of_fy, t("chart.projection_arrow"), font={"size": 14}),
    }
    return _figure(data, layout)


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
    layout: dict = {}
    if measure == "projects_by_status":
        ordered = table.sort_values(["projects_total", "_name"], ascending=[True, False])
        data = [
            _trace(
                "bar",
                y=ordered["_name"],
                x=ordered[code],
                orientation="h",
                name=t.status(code),
                marker={"color": colour},
                hovertemplate="%{y}: %{x} " + t.status(code) + "<extra></extra>",
            )
            for code, colour in STATUS_COLOURS.items()
        ]
        layout["barmode"] = "stack"
    else:
        ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values(["_sort", "_name"], ascending=[True, False])
        text = [t.number(None if pd.isna(v) else float(v)) for v in ordered[measure]]
        data = [
            _trace(
                "bar",
                y=ordered["_name"],
                x=ordered[measure].fillna(0),
                orientation="h",
                text=text,
                textposition="outside",
                marker={"color": ISSUED_COLOUR},
                name=label,
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        ]
    layout.update(
        title={"text": t("chart.ranking_title", measure=label)},
        xaxis={"title": {"text": label}, "tickformat": ",d"},
        yaxis={"title": {"text": ""}, "automargin": True},
        height=max(400, 22 * len(table) + 120),
        margin={"t": 60, "l": 10, "r": 80},  # room for the value beside the longest bar
        font={"family": FONT_FAMILY},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0},
    )
    return _figure(data, layout)


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
    positions = [i for i, iso3 in enumerate(table["iso3"]) if iso3 in centroids]
    data = [
        _trace(
            "choropleth",
            locations=table["iso3"],
            z=table[value_column],
            locationmode="ISO-3",
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorscale=BLUES,
            marker={"line": {"color": "#555", "width": 0.5}},
            colorbar={"title": {"text": label[:28]}},
            name=label,
        ),
        _trace(
            "scattergeo",
            lon=[centroids[table["iso3"].iloc[i]][0] for i in positions],
            lat=[centroids[table["iso3"].iloc[i]][1] for i in positions],
            text=[hover[i] for i in positions],
            hovertemplate="%{text}<extra></extra>",
            mode="markers",
            marker={"size": 6, "color": "#b8443f", "line": {"color": "white", "width": 1}},
            name=t("chart.partner_country"),
            showlegend=False,
        ),
    ]
    layout = {
        "geo": {
            "resolution": 50,
            "showcountries": True,
            "countrycolor": "#bbb",
            "showland": True,
            "landcolor": "#f3f3f3",
            "showocean": True,
            "oceancolor": "#eaf2fb",
            "projection": {"type": "natural earth"},
            "showframe": False,
            "lataxis": {"range": [-50, 75]},
        },
        "title": {"text": t("chart.map_title", measure=label)},
        "height": 520,
        "margin": {"t": 50, "l": 0, "r": 0, "b": 0},
        "font": {"family": FONT_FAMILY},
    }
    return _figure(data, layout)


def fy_bar_chart(by_fy: pd.DataFrame, title: str, colour_by: str | None = None, t: Translator = EN) -> go.Figure:
    """Known credits issued per FY (bars), stacked by ``colour_by`` (a technology column) when given."""
    groups = [(None, by_fy)] if colour_by is None else list(by_fy.groupby(colour_by, sort=True))
    data = []
    for name, rows in groups:
        label = t.tech(name) if name else t("chart.issued")
        data.append(
            _trace(
                "bar",
                x=rows["fiscal_year"],
                y=rows["credits_issued_tco2"].fillna(0),
                name=label,
                customdata=[t.fy(fy) for fy in rows["fiscal_year"]],
                hovertemplate="%{customdata}: %{y:,.0f} t-CO2e" + (f" ({label})" if name else "") + "<extra></extra>",
            )
        )
    fys = by_fy["fiscal_year"]
    first, last = (int(fys.min()), int(fys.max())) if len(fys) else (0, 0)
    layout = {
        "title": {"text": title},
        "barmode": "stack",
        "xaxis": _fy_axis(first, last, t, step=1 if last - first <= 12 else 2),
        "yaxis": {"title": {"text": "t-CO2e"}, "tickformat": ",d"},
        "font": {"family": FONT_FAMILY},
        "height": 420,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.25},
        "margin": {"t": 60},
    }
    return _figure(data, layout)


def technology_chart(table: pd.DataFrame, measure: str, level_label: str, t: Translator = EN) -> go.Figure:
    """Technologies ranked by ``measure`` (one of TECH_MEASURES), horizontal bars."""
    label = measure_label(measure, t)
    ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values("_sort")
    text = [t.number(None if pd.isna(v) else float(v)) for v in ordered[measure]]
    data = [
        _trace(
            "bar",
            y=[t.tech(v) for v in ordered["technology"]],
            x=ordered[measure].fillna(0),
            orientation="h",
            text=text,
            textposition="outside",
            marker={"color": ISSUED_COLOUR if measure == "credits_issued_tco2" else EXPECTED_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    layout = {
        "title": {"text": t("chart.technology_title", measure=label, level=level_label)},
        "xaxis": {"title": {"text": label}, "tickformat": ",d"},
        "yaxis": {"automargin": True},
        "height": max(360, 28 * len(table) + 120),
        "font": {"family": FONT_FAMILY},
        "margin": {"t": 60, "r": 60},
    }
    return _figure(data, layout)


def technology_country_heatmap(long_table: pd.DataFrame, measure: str, t: Translator = EN) -> go.Figure:
    """Technology × partner country heatmap of ``measure`` (blank = nothing, 'unknown' = amounts not known)."""
    label = measure_label(measure, t)
    named = long_table.assign(
        technology=[t.tech(v) for v in long_table["technology"]],
        country=[t.country(i, n) for i, n in zip(long_table["country_iso3"], long_table["country"], strict=True)],
    )
    grid = named.pivot_table(index="technology", columns="country", values=measure, aggfunc="sum", dropna=False)
    text = [["" if pd.isna(v) else f"{v:,.0f}" for v in row] for row in grid.to_numpy()]
    data = [
        _trace(
            "heatmap",
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            colorscale=BLUES,
            text=text,
            texttemplate="%{text}",
            hovertemplate=t("chart.heatmap_hover") + "<extra></extra>",
            colorbar={"title": {"text": "t-CO2e"}},
        )
    ]
    layout = {
        "title": {"text": t("chart.heatmap_title", measure=label)},
        "xaxis": {"tickangle": -40},
        "yaxis": {"automargin": True},
        "height": max(380, 34 * len(grid.index) + 160),
        "font": {"family": FONT_FAMILY},
    }
    return _figure(data, layout)
