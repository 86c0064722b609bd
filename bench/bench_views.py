"""Time the server-side work behind each view on the real data (1×): build, queries, metrics, figures.

Prints median and spread (min–max) over repeated runs; `make bench` runs it. Benchmarks, not tests.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jcm_dash import charts, geo, paths, store, views  # noqa: E402
from jcm_dash.queries import Filters  # noqa: E402

REPEATS = 20


def timed(label: str, work: Callable[[], object], repeats: int = REPEATS) -> None:
    work()  # warm-up: imports, DuckDB plan caches
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"| {label} | {statistics.median(samples):.1f} | {min(samples):.1f}–{max(samples):.1f} | {repeats} |",
        flush=True,
    )


def main() -> None:
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    print("| work (1× real data) | median ms | min–max ms | runs |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        timed("build the store from data/*.csv", lambda: store.build(paths.DATA_DIR, db), repeats=5)
        con = store.connect_read_only(db)
        for name, filters in (("all", Filters()), ("country=IDN", Filters(countries=("IDN",)))):
            timed(f"summary ({name})", lambda f=filters: views.summary(con, f))

            def overview(f: Filters = filters) -> None:
                view = views.overview(con, f)
                charts.progress_chart(
                    view["cumulative_issued"], view["cumulative_expected"], view["targets"], view["as_of_fy"]
                )
                charts.issued_chart(view["cumulative_issued"])

            timed(f"overview page: queries + metrics + 2 figures ({name})", overview)

            def projection(f: Filters = filters) -> None:
                result = views.projection(con, f)
                charts.projection_chart(result["actual"], result["projection"], result["targets"], result["as_of_fy"])

            timed(f"projections page: queries + model to FY2100 + figure ({name})", projection)

            def countries(f: Filters = filters) -> None:
                view = views.countries(con, f)
                charts.country_ranking_chart(view["table"], "credits_issued_tco2")
                charts.country_map(view["table"], "credits_issued_tco2", geo.centroids())

            timed(f"countries page: queries + breakdown + ranking and map ({name})", countries)

            def technologies(f: Filters = filters) -> None:
                view = views.technologies(con, f, "type")
                charts.technology_chart(view["table"], "credits_issued_tco2", "UNEP type")
                charts.technology_country_heatmap(view["by_country"], "credits_issued_tco2")

            timed(f"technologies page: queries + breakdowns + 2 figures ({name})", technologies)
            timed(
                f"projects page: queries + attribution + flags ({name})",
                lambda f=filters: views.project_explorer(con, f),
            )
            timed(f"data page: coverage + published comparison ({name})", lambda f=filters: views.data_status(con, f))
        con.close()


if __name__ == "__main__":
    main()
