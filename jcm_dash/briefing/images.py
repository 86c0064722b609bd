"""The pack's charts as static images: PNG at print resolution (300 dpi) and SVG, rendered by kaleido.

kaleido drives the system Chromium (``BROWSER_PATH``, default /usr/bin/chromium) in one batch for
all charts; no network is used. An exported chart carries its scope under its title, so a chart
pasted elsewhere still says what it covers, and its text is sized for print (``PRINT_FONT_PX``).
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from jcm_dash import charts
from jcm_dash.briefing.contents import Chart

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# Chart images: 900 × 510 CSS px at scale 10/3 = 3000 × 1700 px: 300 dpi across 10 inches.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 900, 510, 10 / 3
PNG_SIZE = (round(IMAGE_WIDTH * IMAGE_SCALE), round(IMAGE_HEIGHT * IMAGE_SCALE))
PNG_DPI = 300
# Text size of an exported chart (CSS px; Plotly's default is 12, which printed at 4-6 pt). Text
# prints at px × 72 / figure width pt per inch of printed width: 10.3 pt on the deck's 8.6-inch
# charts, the smallest (an annotation, 11 px on screen) 9.5 pt (tests/test_briefing.py).
PRINT_FONT_PX = 15
PLOTLY_FONT_PX = 12
# The one-pager's chart: the column of an A4 page (7.3 in) holds a 760 × 370 px figure, so its text
# prints at 10.4 pt; its title is the page's heading (ONEPAGER_PREFIX files stay out of the pack).
ONEPAGER_CHART, ONEPAGER_WIDTH, ONEPAGER_HEIGHT = "required", 760, 370
ONEPAGER_PREFIX = "onepager_"
ONEPAGER_LEGEND_PX = 13
_FONT_KEYS = {"font", "textfont", "tickfont", "insidetextfont", "outsidetextfont", "titlefont"}


def _scaled(size: float, factor: float) -> float:
    """A font size written in a figure, scaled for print but never above the print size (a callout stays a callout)."""
    return min(size * factor, max(size, PRINT_FONT_PX))


def _scale_fonts(node: Any, factor: float) -> None:
    """Scale every font size written in a figure's dict by ``factor`` (``_scaled``), in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _FONT_KEYS and isinstance(value, dict) and "size" in value:
                size = value["size"]
                if isinstance(size, int | float):
                    value["size"] = _scaled(size, factor)
                elif isinstance(size, list | tuple):
                    value["size"] = [_scaled(s, factor) if isinstance(s, int | float) else s for s in size]
            _scale_fonts(value, factor)
    elif isinstance(node, list | tuple):
        for item in node:
            _scale_fonts(item, factor)


def _legend_in_columns(figure: go.Figure, width: int) -> None:
    """A legend below the plot in two columns when every entry fits half the width (it took a row each)."""
    legend = figure.layout.legend
    if legend.orientation != "h":
        return
    names = [trace.name or "" for trace in figure.data if trace.showlegend is not False and trace.name]

    def px(text: str) -> float:
        return sum(PRINT_FONT_PX * (1.0 if ord(c) > 0x2E7F else 0.58) for c in text) + 45

    if names and max(px(name) for name in names) <= width / 2:
        figure.update_layout(legend={"entrywidthmode": "fraction", "entrywidth": 0.5})


def print_figure(chart: Chart, scope: str, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT) -> go.Figure:
    """``chart``'s figure as exported: print-sized text, the scope under its title (none when ``scope`` is "")."""
    spec = go.Figure(chart.figure).to_plotly_json()
    _scale_fonts(spec, PRINT_FONT_PX / PLOTLY_FONT_PX)
    figure = go.Figure(spec)
    figure.update_layout(width=width, height=height, font={"family": charts.FONT_FAMILY, "size": PRINT_FONT_PX})
    _legend_in_columns(figure, width)
    if not scope:  # the one-pager's chart: its page heading is its title, and its column is short
        # The legend below the plot at 13 px (9.0 pt across the column); the ticks carry the unit,
        # so the y-axis title goes.
        figure.update_layout(
            title={"text": ""},
            margin={"t": 20},
            legend={"font": {"size": ONEPAGER_LEGEND_PX}},
            yaxis={"title": {"text": ""}},
        )
        return figure
    title = figure.layout.title.text or charts.plain(chart.title)
    figure.update_layout(
        title={
            "text": title,
            "subtitle": {"text": charts.plain(scope), "font": {"size": PRINT_FONT_PX, "color": "#444"}},
            "x": 0,
            "xref": "paper",  # aligned with the plot, clear of a long y-axis title
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "yref": "container",
        },
        margin={"t": max(figure.layout.margin.t or 0, 95)},
    )
    return figure


def with_dpi(png: bytes, dpi: int = PNG_DPI) -> bytes:
    """``png`` with a pHYs chunk stating ``dpi`` (kaleido writes none), replacing any it had.

    Word, PowerPoint and print tools read pHYs for the image's physical size: 3000 px at 300 dpi
    is 10 inches, not the 31 inches a 96-dpi default gives.
    """
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)  # unit 1: per metre
    phys = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    parts, position = [png[:8]], 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        end = position + 12 + length
        if kind != b"pHYs":
            parts.append(png[position:end])
        if kind == b"IHDR":
            parts.append(phys)
        position = end
    return b"".join(parts)


def render_images(chart_list: list[Chart], scope: str = "") -> dict[str, bytes]:
    """Every chart as ``<name>.png`` (300 dpi) and ``<name>.svg`` in one kaleido session, ``scope`` under its title.

    The one-pager's chart is also drawn to its column as ``onepager_<name>.svg`` (not a file of the pack).
    """
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    import kaleido  # noqa: PLC0415  (imported late: it starts Chromium and needs BROWSER_PATH set first)

    with tempfile.TemporaryDirectory() as folder:
        jobs = []
        for chart in chart_list:
            figure = print_figure(chart, scope)
            size = {"width": IMAGE_WIDTH, "height": IMAGE_HEIGHT}
            jobs.append({"fig": figure, "path": f"{folder}/{chart.name}.png", "opts": {**size, "scale": IMAGE_SCALE}})
            jobs.append({"fig": figure, "path": f"{folder}/{chart.name}.svg", "opts": {**size, "format": "svg"}})
            if chart.name == ONEPAGER_CHART:
                small = {"width": ONEPAGER_WIDTH, "height": ONEPAGER_HEIGHT}
                jobs.append(
                    {
                        "fig": print_figure(chart, "", ONEPAGER_WIDTH, ONEPAGER_HEIGHT),
                        "path": f"{folder}/{ONEPAGER_PREFIX}{chart.name}.svg",
                        "opts": {**small, "format": "svg"},
                    }
                )
        kaleido.write_fig_from_object_sync(jobs)
        images = {Path(job["path"]).name: Path(job["path"]).read_bytes() for job in jobs}
    return {name: with_dpi(data) if name.endswith(".png") else data for name, data in images.items()}
