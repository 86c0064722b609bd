"""Country centroids from the map shapes the app serves (static/topojson), for map markers."""

from __future__ import annotations

import json
from functools import lru_cache

from jcm_dash import paths

MAP_RESOLUTION = 50  # world_50m has the small island partners (Palau, Maldives); 110m does not


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float]]:
    """ISO3 → (lon, lat) of each country's centroid, as plotly.js's topojson gives it (``properties.ct``)."""
    shapes = json.loads((paths.TOPOJSON_DIR / f"world_{MAP_RESOLUTION}m.json").read_text(encoding="utf-8"))
    result = {}
    for geometry in shapes["objects"]["countries"]["geometries"]:
        centroid = (geometry.get("properties") or {}).get("ct")
        if geometry.get("id") and centroid:
            result[geometry["id"]] = (float(centroid[0]), float(centroid[1]))
    return result
