"""Store build time and each page's server-side work at 1×, 100× and 1,000× JCM scale.

For every page: our work for one unfiltered view (queries + aggregations + figures, exactly what the
page calls), next to the same headline numbers computed two other ways on the same data:
plain pandas over the CSVs already held in memory (dates parsed at load), and raw DuckDB SQL over
the store. The ratio is ours ÷ the faster of the two, once as it is and once with the time to draw
the page's charts from those numbers added (``baseline_charts``): our figure is measured, so the
baseline a user would write draws one too. Prints Markdown tables (bench/run.py collects them into
bench/RESULTS.md). Benchmarks, not tests: nothing here asserts a time.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402
from jcm_dash import charts, geo, paths, store, views  # noqa: E402
from jcm_dash.fiscal import FY_START_MONTH  # noqa: E402
from jcm_dash.queries import Filters  # noqa: E402

REPEATS = {1: 15, 100: 7, 1000: 5}
BUILD_REPEATS = {1: 5, 100: 3, 1000: 3}


def measure(work: Callable[[], object], repeats: int) -> list[float]:
    """Milliseconds of ``repeats`` runs after one warm-up run."""
    work()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def spread(samples: list[float]) -> str:
    """``median (min–max)`` in ms."""
    return f"{statistics.median(samples):,.1f} ({min(samples):,.1f}–{max(samples):,.1f})"


# --- our pages: exactly the calls each page makes for one view --------------------------------------


def our_pages(con) -> dict[str, Callable[[], object]]:
    """Each page's server work for the unfiltered view."""
    f = Filters()

    def overview() -> None:
        view = views.overview(con, f)
        charts.progress_chart(view["cumulative_issued"], view["cumulative_expected"], view["targets"], view["as_of_fy"])
        charts.issued_chart(view["cumulative_issued"])  # view["outlook"]: the outlook at the current pace

    def projections() -> None:
        result = views.projection(con, f)
        charts.projection_chart(result["actual"], result["projection"], result["targets"], result["as_of_fy"])

    def countries() -> None:
        view = views.countries(con, f)
        charts.country_ranking_chart(view["table"], "credits_issued_tco2")
        charts.country_map(view["table"], "credits_issued_tco2", geo.centroids())

    def technologies() -> None:
        view = views.technologies(con, f, "type")
        charts.technology_chart(view["table"], "credits_issued_tco2", "UNEP type")
        charts.technology_country_heatmap(view["by_country"], "credits_issued_tco2")

    return {
        "overview": overview,
        "projections": projections,
        "countries": countries,
        "technologies": technologies,
        "projects": lambda: views.project_explorer(con, f),
        "data": lambda: views.data_status(con, f),
    }


# --- baseline 1: plain pandas over the CSVs in memory ------------------------------------------------


def load_csvs(folder: Path) -> dict[str, pd.DataFrame]:
    """The CSVs as a user would hold them: read once, dates parsed, FY derived."""
    issuances = pd.read_csv(folder / "issuances.csv", parse_dates=["decision_date", "reported_date"])
    event = issuances["decision_date"].fillna(issuances["reported_date"])
    issuances["fy"] = event.dt.year - (event.dt.month < FY_START_MONTH)
    projects = pd.read_csv(folder / "projects.csv", parse_dates=["registration_date"])
    reg = projects["registration_date"]
    projects["fy"] = reg.dt.year - (reg.dt.month < FY_START_MONTH)
    issuances["first_ref"] = issuances["project_refs"].fillna("").str.split(";").str[0]
    return {"issuances": issuances, "projects": projects, "partners": pd.read_csv(folder / "partner_countries.csv")}


def pandas_pages(csv: dict[str, pd.DataFrame]) -> dict[str, Callable[[], object]]:
    """The same headline numbers per page, written the direct way in pandas."""
    i, p = csv["issuances"], csv["projects"]
    amounts = ["credits_issued_tco2", "japan_side_tco2", "partner_side_tco2", "goj_share_tco2"]

    def overview() -> object:
        totals = i[amounts].sum()
        registered = p[p["status_code"] == "registered"]
        by_fy = i.groupby("fy")["credits_issued_tco2"].sum().cumsum()
        expected = registered.groupby("fy")["expected_annual_reductions_tco2"].sum().cumsum()
        return totals, p["status_code"].value_counts(), by_fy, expected

    def projections() -> object:
        registered = p[p["status_code"] == "registered"]["expected_annual_reductions_tco2"].sum()
        pipeline = p[p["status_code"] == "validation"]["expected_annual_reductions_tco2"].sum()
        issued = i["credits_issued_tco2"].sum()
        return [issued + (registered + pipeline) * year for year in range(1, 75)]

    def countries() -> object:
        sums = i.groupby("country")[amounts].sum()
        status = p.pivot_table(index="country", columns="status_code", values="project_ref", aggfunc="count")
        return sums.join(status, how="outer")

    def technologies() -> object:
        typed = i.merge(p[["project_ref", "unep_type", "country"]], left_on="first_ref", right_on="project_ref")
        return typed.groupby("unep_type")["credits_issued_tco2"].sum(), typed.pivot_table(
            index="unep_type", columns="country_y", values="credits_issued_tco2", aggfunc="sum"
        )

    def projects() -> object:
        return p.merge(
            i.groupby("first_ref")["credits_issued_tco2"].sum(), left_on="project_ref", right_index=True, how="left"
        )

    def data() -> object:
        return i.groupby("country").agg(
            issuances=("issuance_id", "size"), without=("credits_issued_tco2", lambda s: s.isna().sum())
        ), p.groupby("country").size()

    return {
        "overview": overview,
        "projections": projections,
        "countries": countries,
        "technologies": technologies,
        "projects": projects,
        "data": data,
    }


# --- what the baselines would draw: the page's charts, written with Plotly's standard API ---------------

TARGETS_T = (50e6, 100e6, 200e6)  # the three tonnage targets, drawn as horizontal lines


def _lines(series: list[tuple[object, object]]) -> go.Figure:
    fig = go.Figure([go.Scatter(x=x, y=y, mode="lines+markers") for x, y in series])
    for target in TARGETS_T:
        fig.add_hline(y=target, line_dash="dot")
    fig.update_layout(yaxis_type="log", title="Progress", xaxis_title="FY", yaxis_title="t-CO2e")
    return fig


def _bar_and_line(x: object, per_fy: object, cumulative: object) -> go.Figure:
    fig = go.Figure([go.Bar(x=x, y=per_fy), go.Scatter(x=x, y=cumulative)])
    fig.update_layout(title="Issued per FY", xaxis_title="FY", yaxis_title="t-CO2e")
    return fig


def _ranking(names: object, values: object) -> go.Figure:
    fig = go.Figure(go.Bar(y=names, x=values, orientation="h", text=values, textposition="outside"))
    fig.update_layout(title="Ranking", xaxis_title="t-CO2e", yaxis_automargin=True)
    return fig


def baseline_charts(csv: dict[str, pd.DataFrame]) -> dict[str, Callable[[], object]]:
    """Per page, building the same charts (same traces, same numbers) from numbers already computed.

    A user's own version would draw the page's charts too; this is that part alone, so the
    baselines can be reported with and without it. The numbers come from ``pandas_pages``.
    """
    numbers = {page: work() for page, work in pandas_pages(csv).items()}

    def overview() -> object:
        _, _, by_fy, expected = numbers["overview"]
        per_fy = by_fy.diff().fillna(by_fy)
        return (
            _lines([(by_fy.index, by_fy.to_numpy()), (expected.index, expected.to_numpy())]),
            _bar_and_line(by_fy.index, per_fy.to_numpy(), by_fy.to_numpy()),
        )

    def projections() -> object:
        path = numbers["projections"]
        return _lines([(list(range(1, len(path) + 1)), path)])

    def countries() -> object:
        table = numbers["countries"]
        credits = table["credits_issued_tco2"].fillna(0)
        choropleth = go.Figure(
            go.Choropleth(locations=table.index, z=credits, locationmode="country names", colorscale="Blues")
        )
        return _ranking(table.index, credits), choropleth

    def technologies() -> object:
        by_type, grid = numbers["technologies"]
        heatmap = go.Figure(go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index), colorscale="Blues"))
        return _ranking(by_type.index, by_type.to_numpy()), heatmap

    return {
        "overview": overview,
        "projections": projections,
        "countries": countries,
        "technologies": technologies,
    }  # the projects and data pages show tables only


# --- baseline 2: raw DuckDB SQL over the store ----------------------------------------------------------

SQL = {
    "overview": [
        "SELECT sum(credits_issued_tco2), sum(japan_side_tco2), sum(goj_share_tco2), count(*) FROM issuances",
        "SELECT status_code, count(*) FROM projects GROUP BY ALL",
        "SELECT fiscal_year, sum(sum(credits_issued_tco2)) OVER (ORDER BY fiscal_year) "
        "FROM issuances GROUP BY fiscal_year",
    ],
    "projections": [
        "SELECT status_code, sum(expected_annual_reductions_tco2) FROM projects GROUP BY ALL",
        "SELECT sum(credits_issued_tco2) FROM issuances",
    ],
    "countries": [
        "SELECT country_iso3, sum(credits_issued_tco2), sum(japan_side_tco2), sum(goj_share_tco2), count(*) "
        "FROM issuances GROUP BY ALL",
        "SELECT country_iso3, status_code, count(*) FROM projects GROUP BY ALL",
    ],
    "technologies": [
        "SELECT p.unep_type, p.country_iso3, sum(i.credits_issued_tco2) FROM issuances i "
        "JOIN issuance_projects ip USING (issuance_id) JOIN projects p USING (project_ref) GROUP BY ALL",
    ],
    "projects": [
        "SELECT p.project_ref, p.title, sum(i.credits_issued_tco2) FROM projects p "
        "LEFT JOIN issuance_projects ip USING (project_ref) LEFT JOIN issuances i USING (issuance_id) GROUP BY ALL",
    ],
    "data": [
        "SELECT country_iso3, count(*), count(*) FILTER (credits_issued_tco2 IS NULL) FROM issuances GROUP BY ALL",
        "SELECT country_iso3, count(*) FROM projects GROUP BY ALL",
    ],
}


def duckdb_pages(con) -> dict[str, Callable[[], object]]:
    """The same headline numbers per page as plain SQL (results fetched into pandas)."""
    cur = store.cursor(con)

    def run(statements: list[str]) -> object:
        return [cur.execute(sql).df() for sql in statements]

    return {page: (lambda s=statements: run(s)) for page, statements in SQL.items()}


def data_folder(scale: int) -> Path:
    """data/ for 1×; the synthetic folder for larger scales (generated when missing)."""
    if scale == 1:
        return paths.DATA_DIR
    folder = ROOT / "bench" / "out" / f"{scale}x"
    if not (folder / "issuances.csv").exists():
        synth.generate(scale, folder)
    return folder


def run(scales: tuple[int, ...] = (1, 100, 1000)) -> str:
    """Run every measurement; return the Markdown tables."""
    build_rows, page_rows = [], []
    for scale in scales:
        folder = data_folder(scale)
        db = ROOT / "bench" / "out" / f"bench_{scale}x.duckdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        builds = measure(lambda f=folder, d=db: store.build(f, d), BUILD_REPEATS[scale])
        issuances = sum(1 for _ in open(folder / "issuances.csv", encoding="utf-8")) - 1
        projects = len(pd.read_csv(folder / "projects.csv", usecols=["project_ref"]))
        build_rows.append(f"| {scale}× | {projects:,} | {issuances:,} | {spread(builds)} | {len(builds)} |")
        print(build_rows[-1], flush=True)
        con = store.connect_read_only(db)
        csv = load_csvs(folder)
        ours, plain, raw, drawn = our_pages(con), pandas_pages(csv), duckdb_pages(con), baseline_charts(csv)
        for page in ours:
            repeats = REPEATS[scale]
            a, b, c = measure(ours[page], repeats), measure(plain[page], repeats), measure(raw[page], repeats)
            faster = min(statistics.median(b), statistics.median(c))
            drawing, with_charts = "– (no chart)", "–"
            if page in drawn:
                d = measure(drawn[page], repeats)
                drawing = spread(d)
                with_charts = f"{statistics.median(a) / (faster + statistics.median(d)):,.1f}"
            page_rows.append(
                f"| {page} | {scale}× | {spread(a)} | {spread(b)} | {spread(c)} | {drawing} "
                f"| {statistics.median(a) / faster:,.1f} | {with_charts} | {repeats} |"
            )
            print(page_rows[-1], flush=True)
        con.close()
    return "\n".join(
        [
            "### Store build (validate every row, write, atomic swap)",
            "",
            "| scale | projects | issuances | build, ms median (min–max) | runs |",
            "|---|---|---|---|---|",
            *build_rows,
            "",
            "### Server-side work for one unfiltered view, per page",
            "",
            "Ours = the page's queries + aggregations + figures. The baselines compute the page's headline "
            "numbers; *their charts* is drawing the page's charts from those numbers with Plotly's standard API "
            "(what a user's own version would add). Ratios: ours ÷ the faster baseline, without and with its charts.",
            "",
            "| page | scale | ours, ms | plain pandas on CSVs in memory, ms | raw DuckDB SQL, ms | their charts, ms "
            "| ours ÷ faster (numbers only) | ours ÷ faster + its charts | runs |",
            "|---|---|---|---|---|---|---|---|---|",
            *page_rows,
        ]
    )


if __name__ == "__main__":
    print(run(tuple(int(s) for s in sys.argv[1:]) or (1, 100, 1000)))
