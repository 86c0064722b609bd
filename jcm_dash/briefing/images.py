"""The pack's charts as static images: PNG at print resolution and SVG, rendered by kaleido.

kaleido drives the system Chromium (``BROWSER_PATH``, default /usr/bin/chromium) in one batch for
all charts; no network is used.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import plotly.graph_objects as go

from jcm_dash import charts
from jcm_dash.briefing.contents import Chart

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# Chart images: 1200 × 680 CSS px at scale 2.5 = 3000 × 1700 px, 300 dpi across a 10-inch slide.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 1200, 680, 2.5
PNG_SIZE = (round(IMAGE_WIDTH * IMAGE_SCALE), round(IMAGE_HEIGHT * IMAGE_SCALE))


def render_images(chart_list: list[Chart]) -> dict[str, bytes]:
    """Every chart as ``<name>.png`` (print resolution) and ``<name>.svg``, in one kaleido session."""
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    import kaleido  # noqa: PLC0415  (imported late: it starts Chromium and needs BROWSER_PATH set first)

    with tempfile.TemporaryDirectory() as folder:
        jobs = []
        for chart in chart_list:
            figure = go.Figure(chart.figure)
            figure.update_layout(width=IMAGE_WIDTH, height=IMAGE_HEIGHT, font={"family": charts.FONT_FAMILY})
            size = {"width": IMAGE_WIDTH, "height": IMAGE_HEIGHT}
            jobs.append({"fig": figure, "path": f"{folder}/{chart.name}.png", "opts": {**size, "scale": IMAGE_SCALE}})
            jobs.append({"fig": figure, "path": f"{folder}/{chart.name}.svg", "opts": {**size, "format": "svg"}})
        kaleido.write_fig_from_object_sync(jobs)
        return {Path(job["path"]).name: Path(job["path"]).read_bytes() for job in jobs}
