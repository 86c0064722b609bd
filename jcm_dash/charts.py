"""Pure Plotly figure builders: DataFrames in, ``go.Figure`` out (no Streamlit, no I/O).

Figures are assembled from plain dicts and handed to Plotly without its per-property validation
(``_figure``): validating every trace and layout property took 15-40 ms per page at every scale,
about as long as the page's queries (bench/RESULTS.md). The validation still runs, in the tests:
tests/test_charts.py rebuilds every figure with validation on and requires the same JSON, so a
misspelt property fails there instead of on every rerun.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from jcm_dash.article6 import JAPAN_ISO3, place_name, short_period
from jcm_dash.i18n import EN, Translator
from jcm_dash.projections import fiscal_time

ISSUED_COLOUR = "#1f5fa8"
EXPECTED_COLOUR = "#e07b39"
TARGET_COLOUR = "#b8443f"
SUPERSEDED_COLOUR = "#9a9a9a"
PUBLISHED_COLOUR = "#222222"  # published totals, the same on every chart
TREND_COLOUR = "#6b6b6b"
FONT_FAMILY = "Noto Sans CJK JP, Noto Sans, Arial, sans-serif"
# Plotly's sequential Blues as stops (the name alone would reach plotly.js, whose "Blues" is another
# scale), starting a little darker so that the smallest partner on the map is still visibly shaded.
MAP_BLUES = plotly.colors.make_colorscale(plotly.colors.sequential.Blues[2:])


def plain(text: object) -> str:
    """Text from the data as Plotly shows it: as typed, never markup.

    Plotly reads a subset of HTML in titles, labels, legends and hover text (``<a href>`` makes a
    live link, ``<span style>`` restyles), so a country, technology or date from the data is escaped
    before it reaches a figure (tests/test_charts.py::test_text_from_the_data_is_never_chart_markup).
    Plotly turns ``&lt;`` back into ``<`` when it draws the text.
    """
    return html.escape(str(text), quote=False)


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
    """A fiscal-year axis: every ``step`` FY labelled for short spans, else spaced by Plotly.

    For long spans Plotly picks the spacing from the chart's width, so a narrow screen gets fewer
    labels instead of crowded, turned ones.
    """
    axis = {"title": {"text": t("fy.axis")}, "range": [first_fy - 0.5, last_fy + 0.5]}
    if last_fy - first_fy <= 6:
        ticks = list(range(first_fy, last_fy + 1, step))
        return {**axis, "tickmode": "array", "tickvals": ticks, "ticktext": [t.fy(fy) for fy in ticks]}
    prefix, _, suffix = t("fy.label", fy="\0").partition("\0")
    return {
        **axis,
        "tickmode": "auto",
        "tickformat": "d",
        "tickprefix": prefix,
        "ticksuffix": suffix,
        "ticklabeloverflow": "allow",  # the last FY's label may reach past the plot's edge
    }


# Legends sit under the chart, at the bottom of the figure, so they never overlap the axis labels
# however many rows they take on a narrow screen (Plotly grows the bottom margin to fit them).
LEGEND_BELOW = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.01, "x": 0}


def _log_axis(max_value: float, t: Translator) -> dict:
    top = max(2, math.ceil(math.log10(max(max_value, 100))) + 0.3)
    values = [10**k for k in range(0, int(top) + 1)]
    labels = [t.tick(v) for v in values]
    return {
        "type": "log",
        "title": {"text": t("chart.log_axis")},
        "tickmode": "array",
        "tickvals": values,
        "ticktext": labels,
        "range": [0, top],
    }


def target_traces(targets: pd.DataFrame, t: Translator = EN, last_fy: int | None = None) -> list[dict]:
    """Mark each tonnage target at its deadline FY: a diamond, or a bar for a band (50–100 Mt).

    A diamond's label sits above it (left of it at the axis's last FY, ``last_fy``), clear of the
    as-of line and of the superseded band drawn just before FY2030.
    """
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
                    text=[t("chart.target_short", value=t.amount(high, digits=0))],
                    textposition="top left" if last_fy is not None and fy >= last_fy - 1 else "top center",
                    cliponaxis=False,
                    name=name,
                    hovertemplate=f"{name}<extra></extra>",
                )
            )
    return traces


def _as_of_marker(as_of_fy: int, text: str, **annotation: object) -> dict:
    """Layout entries for a dotted line after the as-of FY with ``text`` at its top: where the data ends.

    The text sits left of the line by default (over the history, where a log chart has room).
    """
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
                "xanchor": "right",
                "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.8)",
                "font": {"size": 11},
                **annotation,
            }
        ],
    }


def target_label(low: float, high: float, fy: int, t: Translator = EN) -> str:
    """A tonnage target in words: ``50–100 Mt by FY2030`` / ``~100 Mt by FY2030``; ``2030年度までに1億t程度``."""
    high_text = t.amount(high, digits=0)
    if low < high:
        low_text = t.amount(low, digits=0)
        for unit in (" Mt", "t"):  # one unit for both ends: 50–100 Mt, 5,000万〜1億t
            if low_text.endswith(unit) and high_text.endswith(unit):
                low_text = low_text.removesuffix(unit)
                break
        return t("chart.target_band", low=low_text, high=high_text, fy=t.fy(fy))
    return t("chart.target_value", value=high_text, fy=t.fy(fy))


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


def published_trace(points: pd.DataFrame, t: Translator = EN, log_scale: bool = True) -> dict:
    """Published cumulative totals as dated points (``progress.published_points``): hover gives date and source.

    The latest one is labelled with its date, so a reader sees when the best-known figure was published.
    """
    hover = [
        t("chart.hover_published", value=t.number(v), date=plain(d), host=plain(h))
        for v, d, h in zip(points["value_tco2"], points["as_of_date"], points["source_url"].map(_host), strict=True)
    ]
    labels = [""] * len(points)
    if len(points) and not log_scale:  # on the log chart the label would sit on the other lines
        labels[-1] = t(
            "chart.published_label",
            value=t.amount(points["value_tco2"].iloc[-1]),
            date=plain(points["as_of_date"].iloc[-1]),
        )
    return _trace(
        "scatter",
        x=points["fy_position"],
        y=points["value_tco2"],
        name=t("chart.published"),
        mode="markers+text",
        marker={"symbol": "diamond-open", "size": 11, "color": PUBLISHED_COLOUR, "line": {"width": 2}},
        text=labels,
        textposition="middle left" if log_scale else "top left",
        cliponaxis=False,
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
    )


def _host(url: object) -> str:
    """The site a source URL points at (hover text; charts are not Markdown)."""
    text = str(url or "")
    return text.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")


def progress_chart(
    issued: pd.DataFrame,
    expected: pd.DataFrame,
    targets: pd.DataFrame,
    last_actual_fy: int,
    horizon_fy: int = 2040,
    t: Translator = EN,
    as_of: str | None = None,
    published: pd.DataFrame | None = None,
) -> go.Figure:
    """Cumulative credits issued and ex-ante expected reductions against the targets, log scale.

    Args:
        issued: ``cumulative_issued`` output (fiscal_year, cumulative_tco2).
        expected: ``cumulative_expected`` output (fiscal_year, cumulative_tco2).
        targets: ``tonnage_targets`` output.
        last_actual_fy: the FY of the data's as-of date (a "today" marker is drawn there).
        horizon_fy: the last FY on the axis.
        t: the interface language.
        as_of: the data's as-of date, written on the marker.
        published: ``progress.published_points`` output, drawn as dated points.

    """
    expected_y = expected["cumulative_tco2"].where(expected["cumulative_tco2"] > 0)
    data = []
    # A line with no point to draw is left out, so the legend names only what the chart shows.
    if (issued["cumulative_tco2"] > 0).any():
        data.append(issued_trace(issued, t("chart.issued_cumulative"), log_scale=True, t=t))
    if expected_y.notna().any():
        data.append(
            _trace(
                "scatter",
                x=expected["fiscal_year"],
                y=expected_y,
                name=t("chart.expected_cumulative"),
                mode="lines",
                line={"color": EXPECTED_COLOUR, "width": 2, "dash": "dash"},
                customdata=[t.fy(fy) for fy in expected["fiscal_year"]],
                hovertemplate="%{customdata}: " + t("chart.hover_expected_cumulative") + "<extra></extra>",
            )
        )
    data += target_traces(targets, t, last_fy=horizon_fy)
    if published is not None and len(published):
        data.append(published_trace(published, t))
    max_value = max(
        [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
        + [float(issued["cumulative_tco2"].max() or 0), float(expected["cumulative_tco2"].max() or 0)]
    )
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else last_actual_fy
    layout = {
        "title": {"text": t("chart.progress_title")},
        "xaxis": _fy_axis(first_fy, horizon_fy, t),
        "yaxis": _log_axis(max_value, t),
        "legend": LEGEND_BELOW,
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 520,
        **_as_of_marker(last_actual_fy, t("chart.data_as_of", date=as_of or t.fy(last_actual_fy))),
    }
    return _figure(data, layout)


def required_path_chart(
    issued: pd.DataFrame,
    national: pd.DataFrame,
    best_known_tco2: float,
    as_of_fy: int,
    t: Translator = EN,
    as_of: str | None = None,
    published: pd.DataFrame | None = None,
) -> go.Figure:
    """The gap at true (linear) scale: what has been issued so far and the straight path needed to each target.

    Args:
        issued: ``cumulative_issued`` output for the whole JCM (the itemized line).
        national: ``progress.target_rows`` output: each current target and the pace needed.
        best_known_tco2: where the paths start, at the end of the as-of FY (``progress.best_known``).
        as_of_fy: the FY of the data's as-of date.
        t: the interface language.
        as_of: the data's as-of date, written on the marker.
        published: ``progress.published_points`` output, drawn as dated points.

    """
    horizon = int(national["deadline_fy"].max()) if len(national) else as_of_fy
    data = [
        _trace(
            "scatter",
            x=issued["fiscal_year"],
            y=issued["cumulative_tco2"],
            name=t("chart.issued_cumulative"),
            mode="lines+markers",
            line={"color": ISSUED_COLOUR, "width": 3},
            marker={"size": 5},
            customdata=[t.fy(fy) for fy in issued["fiscal_year"]],
            hovertemplate="%{customdata}: " + t("chart.hover_issued_cumulative") + "<extra></extra>",
        )
    ]
    if published is not None and len(published):
        data.append(published_trace(published, t, log_scale=False))
    for _, target in national.iterrows():
        deadline = int(target["deadline_fy"])
        label = target_label(target["value_tco2"], target["value_tco2"], deadline, t)
        rate = target["required_annual_tco2"]
        if rate is not None and pd.notna(rate):
            name = t("chart.required_path", target=label, rate=t.amount(rate, per_year=True))
            data.append(
                _trace(
                    "scatter",
                    x=[as_of_fy, deadline],
                    y=[best_known_tco2, float(target["value_tco2"])],
                    name=name,
                    mode="lines",
                    line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                    hovertemplate=f"{name}<extra></extra>",
                )
            )
        data.append(
            _trace(
                "scatter",
                x=[deadline],
                y=[float(target["value_tco2"])],
                mode="markers+text",
                marker={"color": TARGET_COLOUR, "size": 14, "symbol": "diamond"},
                text=[t("chart.target_short", value=t.amount(float(target["value_tco2"]), digits=0))],
                textposition="top left" if deadline >= horizon - 1 else "top center",
                cliponaxis=False,
                name=t("chart.target", label=label),
                showlegend=False,
                hovertemplate=f"{t('chart.target', label=label)}<extra></extra>",
            )
        )
    top = float(national["value_tco2"].max()) if len(national) else max(float(best_known_tco2), 1.0)
    step = _nice_step(top / 4)
    ticks = [step * k for k in range(0, int(top // step) + 2)]
    first_fy = int(issued["fiscal_year"].min()) if len(issued) else as_of_fy
    layout = {
        "title": {"text": t("chart.required_title")},
        "xaxis": _fy_axis(first_fy, horizon, t),
        "yaxis": {
            "title": {"text": t("chart.true_scale_axis")},
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [t.tick(v) for v in ticks],
            "range": [0, top * 1.15],
        },
        "legend": LEGEND_BELOW,
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 480,
        **_as_of_marker(as_of_fy, t("chart.data_as_of", date=as_of or t.fy(as_of_fy))),
    }
    return _figure(data, layout)


def _nice_step(raw: float) -> float:
    """A round axis step (1, 2 or 5 × a power of ten) at or above ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


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
        "legend": LEGEND_BELOW,
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 420,
    }
    return _figure(data, layout)


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
    scope: str | None = None,
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
        published: ``progress.published_points`` output, drawn as dated points.
        central_name: the central line's legend entry (default: the catalogue's).
        scope: a selection's name (one country or technology): the title then says whose line it is,
            drawn against Japan's national targets.

    """
    shown = projection[projection["fiscal_year"] <= horizon_fy]
    data = [issued_trace(actual, t("chart.issued_actual"), log_scale, t)]
    start_annotation: dict | None = None
    if published is not None and len(published):
        data.append(published_trace(published, t, log_scale=log_scale))
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
        # Where the history ends and the central projection begins: a marked point, labelled with
        # its value and FY, so the join is readable even where the lines bunch up (issue 14, item 7).
        central_start = series("central")[0]
        if central_start is not None and not pd.isna(central_start) and (central_start > 0 or not log_scale):
            start_text = t("chart.projection_start", value=t.amount(central_start), fy=t.fy(as_of_fy))
            data.append(
                _trace(
                    "scatter",
                    x=[as_of_fy],
                    y=[central_start],
                    mode="markers",
                    marker={"color": EXPECTED_COLOUR, "size": 11, "line": {"color": "white", "width": 2}},
                    showlegend=False,
                    name=start_text.replace("\n", " "),
                    hovertemplate=plain(start_text.replace("\n", " ")) + "<extra></extra>",
                )
            )
            start_annotation = {
                "x": as_of_fy,
                "y": math.log10(central_start) if log_scale else central_start,
                "xref": "x",
                "yref": "y",
                "text": plain(start_text).replace("\n", "<br>"),  # two short lines fit a phone's width
                "showarrow": True,
                "arrowhead": 2,
                "arrowcolor": EXPECTED_COLOUR,
                # Up and to the left, over the history, where a log chart is empty above the record
                # (to the right it ran past a phone's edge and into the targets' labels).
                "ax": -16,
                "ay": -44,
                "xanchor": "right",
                "font": {"size": 11, "color": "#7a3a12"},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
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
    data += target_traces(targets, t, last_fy=horizon_fy)
    first_fy = int(actual["fiscal_year"].min()) if len(actual) else as_of_fy
    values = [float(targets["value_high_tco2"].max()) if len(targets) else 0.0]
    if len(shown):
        values.append(float(shown["cumulative_high_tco2"].max()))
    if log_scale:
        yaxis = _log_axis(max(values), t)
    else:
        yaxis = {"title": {"text": t("chart.linear_axis")}, "tickformat": ",d", "rangemode": "tozero"}
    layout = {
        "title": {
            "text": t("chart.projection_title", fy=t.fy(horizon_fy))
            if scope is None
            else t("chart.projection_title_scope", scope=plain(scope), fy=t.fy(horizon_fy))
        },
        # Every 4th FY: 27 FYs at every 2nd overlapped on a 420 px screen.
        "xaxis": _fy_axis(first_fy, horizon_fy, t, step=4),
        "yaxis": yaxis,
        "legend": LEGEND_BELOW,
        "margin": {"t": 60, "b": 40},
        "font": {"family": FONT_FAMILY},
        "height": 520,
        # On the log axis "projection →" goes to the foot of the line, where nothing is drawn after the
        # data's FY: at the top it ran into the targets' labels on a narrow screen.
        **_as_of_marker(
            as_of_fy,
            t("chart.projection_arrow"),
            font={"size": 14},
            xanchor="left",
            **({"y": 0.02, "yanchor": "bottom"} if log_scale else {}),
        ),
    }
    if start_annotation:
        layout["annotations"] = [*layout["annotations"], start_annotation]
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
    return [plain(t.country(iso3, name)) for iso3, name in zip(table["iso3"], table["country"], strict=True)]


AMOUNT_MEASURES = ("credits_issued_tco2", "japan_side_tco2", "goj_share_tco2")


def nothing_itemized(table: pd.DataFrame, measure: str) -> pd.Series:
    """Which partners have nothing to count for ``measure``: no issuance (amounts), no registered project.

    Their value is a 0 of nothing, shown "–" rather than taken for a true 0 or for "unknown".
    """
    if measure in AMOUNT_MEASURES and "issuances" in table.columns:
        return table["issuances"] == 0
    if measure == "expected_annual_registered_tco2":
        for count in ("registered", "registered_projects"):  # countries' and technologies' tables
            if count in table.columns:
                return table[count] == 0
    return pd.Series(False, index=table.index)


def _hover_lines(row: pd.Series, name: str, t: Translator) -> str:
    def amount(value: float) -> str:
        if row.get("issuances", 1) == 0:
            return "– (" + t("unit.nothing_itemized") + ")"
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
        expected="–" if row.get("registered", 1) == 0 else t.tco2(row["expected_annual_registered_tco2"], t.per_year()),
    )


OTHER_OPACITY = 0.35  # partners outside the selection, drawn for comparison


def _opacity(table: pd.DataFrame) -> list[float]:
    """Full colour for the selected partners (all of them when none is chosen), faded for the rest."""
    if "selected" not in table.columns or table["selected"].all():
        return [1.0] * len(table)
    return [1.0 if chosen else OTHER_OPACITY for chosen in table["selected"]]


def _value_axis(values: pd.Series, label: str) -> dict:
    """A value axis with room past the longest bar for its outside label (``cliponaxis`` off as well).

    ``label`` is the unit: the title above the chart names the measure, and a whole measure's name
    was cut at 420 px.
    """
    top = float(values.fillna(0).max()) if len(values) else 0.0
    return {"title": {"text": label}, "tickformat": ",d", "range": [0, top * 1.22 if top > 0 else 1]}


def country_ranking_chart(table: pd.DataFrame, measure: str, t: Translator = EN) -> go.Figure:
    """Partner countries ranked by ``measure`` (one of COUNTRY_MEASURES); all countries listed, zeros included.

    A ``selected`` column (``views.countries``) keeps the chosen partners in full colour and fades
    the others, so a country is seen beside every other partner. Unknown amounts read "unknown".
    """
    label = measure_label(measure, t)
    table = table.assign(_name=_country_names(table, t))
    layout: dict = {}
    if measure == "projects_by_status":
        ordered = table.sort_values(["projects_total", "_name"], ascending=[True, False])
        opacity = _opacity(ordered)
        data = [
            _trace(
                "bar",
                y=ordered["_name"],
                x=ordered[code],
                orientation="h",
                name=t.status(code),
                marker={"color": colour, "opacity": opacity},
                hovertemplate="%{y}: %{x} " + t.status(code) + "<extra></extra>",
            )
            for code, colour in STATUS_COLOURS.items()
        ]
        layout["barmode"] = "stack"
        xaxis = _value_axis(ordered["projects_total"], t("measure_unit.projects_total"))
    else:
        ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values(["_sort", "_name"], ascending=[True, False])
        empty = nothing_itemized(ordered, measure)
        # Credits of a partner some of whose issuances state no amount are a lower bound: "≥ 585".
        partly = (
            ordered["issuances_without_amount"].fillna(0).gt(0) & ordered[measure].notna()
            if measure == "credits_issued_tco2" and "issuances_without_amount" in ordered.columns
            else pd.Series(False, index=ordered.index)
        )
        text = [
            "–" if none else ("≥ " if lower else "") + t.number(None if pd.isna(v) else float(v))
            for v, none, lower in zip(ordered[measure], empty, partly, strict=True)
        ]
        data = [
            _trace(
                "bar",
                y=ordered["_name"],
                x=ordered[measure].fillna(0),
                orientation="h",
                text=text,
                textposition="outside",
                cliponaxis=False,
                marker={"color": ISSUED_COLOUR, "opacity": _opacity(ordered)},
                name=label,
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        ]
        xaxis = _value_axis(ordered[measure], t(f"measure_unit.{measure}"))
    layout.update(
        title={"text": t("chart.ranking_title", measure=label)},
        xaxis=xaxis,
        yaxis={"title": {"text": ""}, "automargin": True},
        height=max(400, 22 * len(table) + 120),
        margin={"t": 60, "l": 10, "r": 20},
        font={"family": FONT_FAMILY},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0},
    )
    return _figure(data, layout)


NONE_COLOUR = "#e4e4e4"  # partners with nothing (a known zero)
UNKNOWN_COLOUR = "#f2d7b6"  # partners whose amounts are all unknown


def _log_ticks(low: float, high: float) -> list[float]:
    """Tick values for a log colour scale between ``low`` and ``high``: 1-2-5 steps, or decades when wide."""
    steps = (1, 10) if high / max(low, 1e-9) > 1_000 else (1, 2, 5, 10)
    ticks, power = [], 10 ** math.floor(math.log10(max(low, 1e-9)))
    while power <= high * 10:
        ticks += [m * power for m in steps[:-1] if low <= m * power <= high]
        power *= 10
    return ticks or [low]


def country_map(
    table: pd.DataFrame, measure: str, centroids: dict[str, tuple[float, float]], t: Translator = EN
) -> go.Figure:
    """Partner countries shaded by ``measure`` on a log colour scale, with a marker at each centroid.

    A log scale keeps the small partners apart when one partner holds most of the credits; partners
    with nothing (zero) and with only unknown amounts get their own colours and legend entries, and
    a scale that would span a single value is not drawn. The map is framed on the partners.
    Render with ``config=MAP_CONFIG`` so the shapes come from the app, not a CDN.
    """
    value_column = "projects_total" if measure == "projects_by_status" else measure
    label = t("measure.projects_total") if measure == "projects_by_status" else measure_label(measure, t)
    names = _country_names(table, t)
    hover = [_hover_lines(row, names[i], t) for i, (_, row) in enumerate(table.iterrows())]
    values = table[value_column].astype(float)
    selected = table["selected"].to_numpy() if "selected" in table.columns else [True] * len(table)
    chosen_outline = not all(selected)
    outline = {
        "color": ["#111" if chosen and chosen_outline else "#555" for chosen in selected],
        "width": [2.0 if chosen and chosen_outline else 0.5 for chosen in selected],
    }

    def subset(mask: list[bool]) -> dict:
        rows = [i for i, keep in enumerate(mask) if keep]
        return {
            "locations": [table["iso3"].iloc[i] for i in rows],
            "text": [hover[i] for i in rows],
            "marker": {
                "line": {"color": [outline["color"][i] for i in rows], "width": [outline["width"][i] for i in rows]}
            },
        }

    positive = [bool(v > 0) for v in values]
    data = []
    shown = values[values > 0]
    if len(shown):
        low, high = float(shown.min()), float(shown.max())
        part = subset(positive)
        single = low == high
        ticks = _log_ticks(low, high)
        data.append(
            _trace(
                "choropleth",
                locationmode="ISO-3",
                z=[math.log10(v) for v in shown],
                zmin=math.log10(low) if not single else None,
                zmax=math.log10(high) if not single else None,
                colorscale=MAP_BLUES,
                hovertemplate="%{text}<extra></extra>",
                showscale=not single,
                colorbar={
                    "title": {"text": t("chart.map_scale", unit=t(f"measure_unit.{value_column}")), "side": "top"},
                    "orientation": "h",
                    "x": 0.5,
                    "xanchor": "center",
                    "y": -0.02,
                    "yanchor": "top",
                    "thickness": 12,
                    "len": 0.8,
                    "tickvals": [math.log10(v) for v in ticks],
                    "ticktext": [t.number(v) for v in ticks],
                },
                name=t.number(low) if single else label,
                showlegend=single,
                **part,
            )
        )
    none_label = t("chart.map_nothing") if nothing_itemized(table, value_column).any() else t("chart.map_none")
    for mask, colour, name in (
        ([bool(v == 0) for v in values], NONE_COLOUR, none_label),
        ([bool(pd.isna(v)) for v in values], UNKNOWN_COLOUR, t("chart.map_unknown")),
    ):
        if any(mask):
            data.append(
                _trace(
                    "choropleth",
                    locationmode="ISO-3",
                    z=[1] * sum(mask),
                    colorscale=[[0, colour], [1, colour]],
                    showscale=False,
                    hovertemplate="%{text}<extra></extra>",
                    name=name,
                    showlegend=True,
                    **subset(mask),
                )
            )
    positions = [i for i, iso3 in enumerate(table["iso3"]) if iso3 in centroids]
    data.append(
        _trace(
            "scattergeo",
            lon=[centroids[table["iso3"].iloc[i]][0] for i in positions],
            lat=[centroids[table["iso3"].iloc[i]][1] for i in positions],
            text=[hover[i] for i in positions],
            hovertemplate="%{text}<extra></extra>",
            mode="markers",
            marker={
                "size": [8 if selected[i] and chosen_outline else 5 for i in positions],
                "color": "#b8443f",
                "line": {"color": "white", "width": 1},
            },
            name=t("chart.partner_country"),
            showlegend=False,
        )
    )
    # Framed on the partners: their centroids plus a margin (the shapes of large partners reach further).
    lons = [centroids[table["iso3"].iloc[i]][0] for i in positions] or [-180.0, 180.0]
    lats = [centroids[table["iso3"].iloc[i]][1] for i in positions] or [-60.0, 80.0]
    layout = {
        "geo": {
            "resolution": 50,
            "showcountries": True,
            "countrycolor": "#bbb",
            "showland": True,
            "landcolor": "#f7f7f7",
            "showocean": True,
            "oceancolor": "#eaf2fb",
            "projection": {"type": "natural earth"},
            "showframe": False,
            "lonaxis": {"range": [max(-180.0, min(lons) - 20), min(180.0, max(lons) + 20)]},
            "lataxis": {"range": [max(-90.0, min(lats) - 15), min(90.0, max(lats) + 12)]},
        },
        "title": {"text": t("chart.map_title", measure=label)},
        "height": 500,
        "margin": {"t": 50, "l": 0, "r": 0, "b": 80},
        "font": {"family": FONT_FAMILY},
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    }
    return _figure(data, layout)


def fy_bar_chart(by_fy: pd.DataFrame, title: str, colour_by: str | None = None, t: Translator = EN) -> go.Figure:
    """Known credits issued per FY (bars), stacked by ``colour_by`` (a technology column) when given."""
    groups = [(None, by_fy)] if colour_by is None else list(by_fy.groupby(colour_by, sort=True))
    data = []
    for name, rows in groups:
        label = plain(t.tech(name)) if name else t("chart.issued")
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
        "title": {"text": plain(title)},
        "barmode": "stack",
        "xaxis": _fy_axis(first, last, t, step=1 if last - first <= 12 else 2),
        "yaxis": {"title": {"text": "t-CO2e"}, "tickformat": ",d"},
        "font": {"family": FONT_FAMILY},
        "height": 420,
        "legend": LEGEND_BELOW,
        "margin": {"t": 60},
    }
    return _figure(data, layout)


def technology_chart(table: pd.DataFrame, measure: str, level_label: str, t: Translator = EN) -> go.Figure:
    """Technologies ranked by ``measure`` (one of TECH_MEASURES), horizontal bars labelled outside (never cut)."""
    label = measure_label(measure, t)
    ordered = table.assign(_sort=table[measure].fillna(-1)).sort_values("_sort")
    empty = nothing_itemized(ordered, measure)
    text = [
        "–" if none else t.number(None if pd.isna(v) else float(v))
        for v, none in zip(ordered[measure], empty, strict=True)
    ]
    data = [
        _trace(
            "bar",
            y=[plain(t.tech(v)) for v in ordered["technology"]],
            x=ordered[measure].fillna(0),
            orientation="h",
            text=text,
            textposition="outside",
            cliponaxis=False,
            marker={"color": ISSUED_COLOUR if measure == "credits_issued_tco2" else EXPECTED_COLOUR},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    ]
    layout = {
        "title": {"text": t("chart.technology_title", measure=label, level=level_label)},
        "xaxis": _value_axis(ordered[measure], t(f"measure_unit.{measure}")),
        "yaxis": {"automargin": True},
        "height": max(360, 28 * len(table) + 120),
        "font": {"family": FONT_FAMILY},
        "margin": {"t": 60, "r": 20},
    }
    return _figure(data, layout)


def technology_country_heatmap(long_table: pd.DataFrame, measure: str, t: Translator = EN) -> go.Figure:
    """Technology × partner country heatmap of ``measure`` on a log colour scale.

    A blank cell is a pair with nothing (no data, or a known 0); "unknown" a pair whose issuances state
    no amount (never shown as 0); a scale that would span one value is not drawn.
    """
    label = measure_label(measure, t)
    named = long_table.assign(
        technology=[plain(t.tech(v)) for v in long_table["technology"]],
        country=[
            plain(t.country(i, n)) for i, n in zip(long_table["country_iso3"], long_table["country"], strict=True)
        ],
    )
    # One cell per (technology, country): summed with min_count=1, so a pair whose amounts are all
    # unknown stays NaN (unknown) rather than becoming 0; pairs absent from the data are blank.
    cells = named.groupby(["technology", "country"])[measure].sum(min_count=1)
    present = named.groupby(["technology", "country"]).size()
    grid = cells.unstack("country")
    exists = present.unstack("country").reindex_like(grid).notna()
    unknown = t("unit.unknown")
    text = [
        [
            ("" if not there or v == 0 else unknown if pd.isna(v) else f"{v:,.0f}")
            for v, there in zip(row, flags, strict=True)
        ]
        for row, flags in zip(grid.to_numpy(), exists.to_numpy(), strict=True)
    ]
    values = grid.to_numpy(dtype=float)
    positive = values[values > 0]
    logged = [[math.log10(v) if v > 0 else None for v in row] for row in values]
    low, high = (float(positive.min()), float(positive.max())) if positive.size else (1.0, 1.0)
    ticks = _log_ticks(low, high)
    data = [
        _trace(
            "heatmap",
            z=logged,
            x=list(grid.columns),
            y=list(grid.index),
            colorscale=MAP_BLUES,
            zmin=math.log10(low),
            zmax=math.log10(high) if high > low else math.log10(low) + 1,
            text=text,
            texttemplate="%{text}",
            hovertemplate=t("chart.heatmap_hover") + "<extra></extra>",
            showscale=high > low,
            colorbar={
                "title": {"text": t("chart.map_scale", unit=t(f"measure_unit.{measure}")), "side": "top"},
                "tickvals": [math.log10(v) for v in ticks],
                "ticktext": [t.number(v) for v in ticks],
            },
            xgap=1,
            ygap=1,
        )
    ]
    layout = {
        "title": {"text": t("chart.heatmap_title", measure=label)},
        "xaxis": {"tickangle": -40, "automargin": True},
        "yaxis": {"automargin": True},
        "plot_bgcolor": "#f4f4f4",
        "height": max(380, 34 * len(grid.index) + 160),
        "font": {"family": FONT_FAMILY},
    }
    return _figure(data, layout)


# The JCM among Article 6 buyers (/article6). Every trace states its unit in ``meta["unit"]`` (a code,
# the same in every language), so tests/test_article6.py can check that no axis mixes units; the
# buyers' plans, contracts and budgets are of different kinds and are never charted together.
A6_UNIT_AGREEMENTS = "agreements"
A6_UNIT_ITMO_TCO2 = "t-CO2e (ITMOs transferred or issued)"
JAPAN_COLOUR = ISSUED_COLOUR
OTHER_BUYERS_COLOUR = "#9a9a9a"
BUYER_COLOURS = ("#e07b39", "#4a9c5d", "#b8443f", "#7d5ba6", "#8c6d4f", "#d17fb6", "#b5b83a", "#3fb0c2")
REGION_COLOURS = {
    "Asia": "#1f5fa8",
    "Africa": "#e07b39",
    "Americas": "#4a9c5d",
    "Oceania": "#3fb0c2",
    "Europe": "#7d5ba6",
}


def _buyer_label(name: object, iso3: object, t: Translator) -> str:
    """A buyer's name for a chart (CLDR's in ``t``'s language), escaped as Plotly text."""
    return plain(place_name(name, t, iso3))


def agreements_over_time_chart(cumulative: pd.DataFrame, t: Translator = EN) -> go.Figure:
    """Article 6 agreements signed so far, a step line per buyer (``article6.cumulative_by_buyer``), Japan highlighted.

    Each line runs on to the latest signing date of any buyer, so a buyer's count reads as "so far".
    """
    end = pd.to_datetime(cumulative["date"]).max() if len(cumulative) else None
    data = []
    colours = iter(BUYER_COLOURS)
    unit = t("article6.unit_agreements")
    for buyer, rows in cumulative.groupby("buyer", dropna=False, sort=False):
        rows = rows.sort_values("date")
        iso3 = rows["buyer_iso3"].iloc[0]
        is_japan = iso3 == JAPAN_ISO3
        if pd.isna(buyer):
            name = t("article6.other_buyers", n=len(cumulative.attrs.get("other_buyers", [])))
            colour, width, dash = OTHER_BUYERS_COLOUR, 1.5, "dot"
        else:
            name = _buyer_label(buyer, iso3, t)
            colour = JAPAN_COLOUR if is_japan else next(colours, OTHER_BUYERS_COLOUR)
            width, dash = (4.5 if is_japan else 1.8), "solid"
        dates = pd.to_datetime(rows["date"]).tolist()
        counts = rows["agreements"].astype(int).tolist()
        if end is not None and dates[-1] < end:
            dates.append(end)
            counts.append(counts[-1])
        data.append(
            _trace(
                "scatter",
                x=[d.date().isoformat() for d in dates],
                y=counts,
                mode="lines",
                line={"shape": "hv", "color": colour, "width": width, "dash": dash},
                name=f"{name} ({counts[-1]})",
                meta={"unit": A6_UNIT_AGREEMENTS},
                hovertemplate=f"{name}: %{{y}} {unit} (%{{x|%Y-%m-%d}})<extra></extra>",
            )
        )
    # Japan's line is drawn last, on top of the others.
    data.sort(key=lambda trace: trace["line"]["color"] == JAPAN_COLOUR)
    layout = {
        "title": {"text": t("article6.chart_over_time")},
        "xaxis": {"type": "date", "title": {"text": t("article6.axis_signed")}},
        "yaxis": {"title": {"text": t("article6.axis_agreements")}, "tickformat": ",d", "rangemode": "tozero"},
        "height": 460,
        "font": {"family": FONT_FAMILY},
        "legend": {**LEGEND_BELOW, "traceorder": "reversed"},
        "margin": {"t": 60},
        "hovermode": "closest",
    }
    return _figure(data, layout)


def buyer_region_chart(by_region: pd.DataFrame, t: Translator = EN) -> go.Figure:
    """Agreements per buyer, stacked by the host's region (``article6.buyer_by_region``); Japan's name in bold."""
    buyers = list(dict.fromkeys(zip(by_region["buyer"], by_region["buyer_iso3"], strict=True)))
    labels = {}
    for name, iso3 in buyers:
        label = _buyer_label(name, iso3, t)
        labels[name] = f"<b>{label}</b>" if iso3 == JAPAN_ISO3 else label
    order = [labels[name] for name, _ in buyers]
    unit = t("article6.unit_agreements")
    data = []
    for region in sorted(by_region["host_region"].dropna().unique(), key=lambda r: (r not in REGION_COLOURS, r)):
        rows = by_region[by_region["host_region"] == region]
        region_name = plain(t.value("a6_region", region))
        data.append(
            _trace(
                "bar",
                y=[labels[b] for b in rows["buyer"]],
                x=rows["agreements"].astype(int),
                orientation="h",
                name=region_name,
                marker={"color": REGION_COLOURS.get(region, OTHER_BUYERS_COLOUR)},
                meta={"unit": A6_UNIT_AGREEMENTS},
                hovertemplate=f"%{{y}}, {region_name}: %{{x}} {unit}<extra></extra>",
            )
        )
    layout = {
        "title": {"text": t("article6.chart_by_region")},
        "barmode": "stack",
        "xaxis": {"title": {"text": t("article6.axis_agreements_total")}, "tickformat": ",d"},
        "yaxis": {"automargin": True, "categoryorder": "array", "categoryarray": order[::-1]},
        "height": max(360, 30 * len(order) + 150),
        "font": {"family": FONT_FAMILY},
        "legend": LEGEND_BELOW,
        "margin": {"t": 60, "r": 20},
    }
    return _figure(data, layout)


def itmo_transfer_chart(transfers: pd.DataFrame, t: Translator = EN) -> go.Figure:
    """ITMOs transferred or issued, in tonnes (1 ITMO = 1 t-CO2e): the one quantity alike across buyers.

    ``transfers`` is ``article6.itmo_transfers``: one bar per stated transfer, labelled buyer ← host and
    the date as stated. Plans, contracts and budgets are other quantities and are never drawn here.
    """
    labels, hover = [], []
    for _, row in transfers.iterrows():
        buyer = _buyer_label(row["buyer"], row["buyer_iso3"], t)
        host = plain(place_name(row["host"], t)) if pd.notna(row["host"]) else t("unit.unknown")
        # The label carries the first date of the period as stated (the whole text is in the hover and
        # the table): "credited 2023-12-15 (announced 2024-01-08)" would squeeze the bars on a phone.
        stated = str(row["period_or_date"])
        labels.append(f"{buyer} ← {host}<br>{plain(short_period(stated))}")
        hover.append(f"{buyer} ← {host}, {plain(stated)}")
    values = transfers["itmo_tco2"].astype(float)
    data = [
        _trace(
            "bar",
            y=labels,
            x=values,
            orientation="h",
            text=[t.tco2(v, "t") for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=hover,
            marker={"color": [JAPAN_COLOUR if i == JAPAN_ISO3 else BUYER_COLOURS[0] for i in transfers["buyer_iso3"]]},
            name=t("article6.itmo_series"),
            meta={"unit": A6_UNIT_ITMO_TCO2},
            hovertemplate="%{customdata}: %{x:,.0f} t-CO2e<extra></extra>",
        )
    ]
    layout = {
        "title": {"text": t("article6.chart_itmo")},
        "xaxis": _value_axis(values, t("article6.axis_itmo")),
        "yaxis": {"automargin": True, "autorange": "reversed"},
        "height": max(260, 60 * len(labels) + 140),
        "font": {"family": FONT_FAMILY},
        "showlegend": False,
        "margin": {"t": 60, "r": 50},
    }
    return _figure(data, layout)


# --- The overview's charts from its view (views.overview), so the page and the briefing pack draw one figure ---


def overview_required_path(view: dict, t: Translator = EN) -> go.Figure:
    """The whole JCM's path needed to each national target, from ``views.overview``'s result."""
    return required_path_chart(
        view["whole_cumulative"],
        view["national_targets"],
        view["best_known"]["value_tco2"],
        view["as_of_fy"],
        t=t,
        as_of=view["summary"]["as_of"],
        published=view["whole_published_points"],
    )


def overview_progress(view: dict, t: Translator = EN) -> go.Figure:
    """The scope's cumulative credits and expected reductions against the targets, from ``views.overview``."""
    return progress_chart(
        view["cumulative_issued"],
        view["cumulative_expected"],
        view["targets"],
        view["as_of_fy"],
        t=t,
        as_of=view["summary"]["as_of"],
        published=view["published_points"],
    )
