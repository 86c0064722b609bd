"""Chart builders on the tiny fixture: what the figures draw, and that maps need no CDN."""

import json
import math

import pytest

from jcm_dash import breakdowns, charts, geo, metrics, paths, queries
from jcm_dash.i18n import EN
from jcm_dash.queries import Filters


@pytest.fixture
def country_table(tiny_con):
    f = Filters()
    return breakdowns.by_country(
        queries.issuances(tiny_con, f), queries.projects(tiny_con, f), queries.partner_countries(tiny_con, f)
    )


def test_ranking_lists_every_country_in_order(country_table) -> None:
    """All four partners appear, Senegal with 0, ranked by credits (largest at the top of the bars)."""
    fig = charts.country_ranking_chart(country_table, "credits_issued_tco2")
    bar = fig.data[0]
    assert list(bar.y)[-1] == "Mongolia"
    assert set(bar.y) == {"Mongolia", "Bangladesh", "Indonesia", "Senegal"}
    assert dict(zip(bar.y, bar.text, strict=True))["Indonesia"] == "unknown"


def test_status_ranking_is_stacked_by_status(country_table) -> None:
    """Projects by status draws one stacked trace per status code."""
    fig = charts.country_ranking_chart(country_table, "projects_by_status")
    assert [t.name for t in fig.data] == ["registered", "in validation", "planned", "withdrawn"]
    assert fig.layout.barmode == "stack"


def test_map_shades_by_iso3_with_markers_and_local_shapes(country_table) -> None:
    """The choropleths use ISO3 codes; markers sit on centroids; the shapes file the config points to exists."""
    fig = charts.country_map(country_table, "credits_issued_tco2", geo.centroids())
    *choropleths, markers = fig.data
    assert all(c.locationmode == "ISO-3" for c in choropleths)
    located = {iso3: c for c in choropleths for iso3 in c.locations}
    assert sorted(located) == ["BGD", "IDN", "MNG", "SEN"]
    shaded = located["MNG"]
    assert "Credits issued: 400 t-CO2e" in shaded.text[list(shaded.locations).index("MNG")]
    assert len(markers.lon) == 4
    assert fig.layout.geo.resolution == 50
    assert not charts.MAP_CONFIG["topojsonURL"].startswith("http")
    shapes = json.loads((paths.TOPOJSON_DIR / "world_50m.json").read_text(encoding="utf-8"))
    ids = {g.get("id") for g in shapes["objects"]["countries"]["geometries"]}
    assert {"MNG", "PLW", "MDV", "IDN"} <= ids


def test_progress_chart_is_log_scaled_with_targets(tiny_con) -> None:
    """Log axis, no zero plotted (undrawable on log), and one trace per tonnage target."""
    issuances = queries.issuances(tiny_con, Filters())
    issued = metrics.cumulative_issued(issuances, 2015, 2018)
    expected = metrics.cumulative_expected(queries.projects(tiny_con, Filters()), 2015, 2018)
    targets = metrics.tonnage_targets(queries.targets(tiny_con))
    fig = charts.progress_chart(issued, expected, targets, 2018)
    assert fig.layout.yaxis.type == "log"
    assert list(fig.data[0].y)[1:] == [100, 450, 450]
    assert math.isnan(fig.data[0].y[0])
    assert sum(1 for t in fig.data if t.name.startswith("Target")) == 3
    assert any("(superseded)" in t.name for t in fig.data)
    # where the data ends: a dotted line after FY2018, labelled at its top
    assert [(shape.x0, shape.line.dash) for shape in fig.layout.shapes] == [(2018.5, "dot")]
    assert [(note.x, note.text) for note in fig.layout.annotations] == [(2018.5, "data as of<br>FY2018")]
    dated = charts.progress_chart(issued, expected, targets, 2018, as_of="2019-02-01")
    assert dated.layout.annotations[0].text == "data as of<br>2019-02-01"


def test_map_colours_follow_a_log_scale_that_separates_small_partners(country_table) -> None:
    """Mongolia (400 t) and Bangladesh (70 t) get colours a log scale apart; zero and unknown get their own."""
    fig = charts.country_map(country_table, "credits_issued_tco2", geo.centroids())
    shaded = fig.data[0]
    z = dict(zip(shaded.locations, shaded.z, strict=True))
    assert z == {"MNG": pytest.approx(math.log10(400)), "BGD": pytest.approx(math.log10(70))}
    assert shaded.showscale and list(shaded.colorbar.ticktext) == ["100", "200"]
    names = {trace.name: list(trace.locations) for trace in fig.data[1:-1]}
    assert names == {"– nothing itemized": ["SEN"], "amount unknown": ["IDN"]}  # no issuance is not a 0
    lon_low, lon_high = fig.layout.geo.lonaxis.range
    assert -180 < lon_low and lon_high < 180  # framed on the partners, not the whole globe


def test_map_of_a_single_value_draws_no_colour_scale(country_table) -> None:
    """When only one partner has credits, there is no colour bar spanning one value."""
    one = country_table.assign(credits_issued_tco2=[400.0 if i == "MNG" else 0.0 for i in country_table["iso3"]])
    fig = charts.country_map(one, "credits_issued_tco2", geo.centroids())
    assert fig.data[0].showscale is False and list(fig.data[0].locations) == ["MNG"]


def test_published_totals_are_dated_points_on_both_progress_charts(tiny_con) -> None:
    """Published totals appear at their date within their FY (FY N ends at x = N); the true-scale chart is linear."""
    from jcm_dash import progress  # noqa: PLC0415

    published = progress.published_points(queries.published_figures(tiny_con), None)
    assert published["value_tco2"].tolist() == [800.0, 1000.0]
    issued = metrics.cumulative_issued(queries.issuances(tiny_con, Filters()), 2015, 2018)
    targets = metrics.tonnage_targets(queries.targets(tiny_con))
    log = charts.progress_chart(issued, issued, targets, 2018, published=published)
    points = next(trace for trace in log.data if trace.name == "Published cumulative total (dated)")
    # Published in FY2016 and FY2017 (June 2017): each point lies inside its FY, after the previous FY's end.
    assert [math.floor(x) + 1 for x in points.x] == [2016, 2017] and "as of 2017-06" in points.customdata[-1]
    assert points.x[-1] == pytest.approx(2016 + 62 / 365)  # 1 June is the 62nd day of FY2017
    national = progress.target_rows(1000.0, targets, 2018)
    linear = charts.required_path_chart(issued, national, 1000.0, 2018, as_of="2019-02-01", published=published)
    assert linear.layout.yaxis.type is None and linear.layout.yaxis.range[0] == 0
    labelled = next(trace for trace in linear.data if trace.name == "Published cumulative total (dated)")
    assert labelled.text[-1] == "1,000 t, 2017-06"
    paths_drawn = [trace for trace in linear.data if str(trace.name).startswith("Needed for")]
    assert [(list(p.x), list(p.y)) for p in paths_drawn] == [
        ([2018, 2030], [1000.0, 100_000_000.0]),
        ([2018, 2040], [1000.0, 200_000_000.0]),
    ]


def test_technology_chart_and_heatmap(tiny_con) -> None:
    """Bars per technology label; the heatmap has one row per technology and one column per country."""
    f = Filters()
    issuances, projects = queries.issuances(tiny_con, f), queries.projects(tiny_con, f)
    table = breakdowns.by_technology(issuances, projects)
    fig = charts.technology_chart(table, "credits_issued_tco2", "UNEP type")
    assert dict(zip(fig.data[0].y, fig.data[0].x, strict=True))["Mixed: EE industry + Solar"] == 300
    heat = charts.technology_country_heatmap(
        breakdowns.technology_by_country(issuances, projects), "credits_issued_tco2"
    )
    assert "Mongolia" in heat.data[0].x
    assert "Solar" in heat.data[0].y


def _every_figure(con) -> dict[str, object]:
    """Every chart the pages and the briefing pack draw, for the whole store and for one country, in both languages."""
    from jcm_dash import i18n, views  # noqa: PLC0415

    figures = {}
    for lang in ("en", "ja"):
        t = i18n.translator(lang)
        for scope, f in {"all": Filters(), "MNG": Filters(countries=("MNG",))}.items():
            name = f"{lang}/{scope}"
            v = views.overview(con, f)
            figures[f"progress/{name}"] = charts.progress_chart(
                v["cumulative_issued"],
                v["cumulative_expected"],
                v["targets"],
                v["as_of_fy"],
                t=t,
                as_of=v["summary"]["as_of"],
                published=v["published_points"],
            )
            figures[f"required/{name}"] = charts.required_path_chart(
                v["whole_cumulative"],
                v["national_targets"],
                v["best_known"]["value_tco2"],
                v["as_of_fy"],
                t=t,
                as_of=v["summary"]["as_of"],
                published=v["whole_published_points"],
            )
            figures[f"issued/{name}"] = charts.issued_chart(v["cumulative_issued"], t)
            p = views.projection(con, f)
            for log in (True, False):
                figures[f"projection/{name}/{log}"] = charts.projection_chart(
                    p["actual"],
                    p["projection"],
                    p["targets"],
                    p["as_of_fy"],
                    log_scale=log,
                    t=t,
                    start=p["projection_start"],
                    published=p["published_points"],
                )
            pace = p["first_fy"]["published_pace"] if p["first_fy"] else None
            figures[f"annual/{name}"] = charts.annual_projection_chart(
                p["actual"], p["projection"], p["as_of_fy"], pace=pace, t=t
            )
            c = views.countries(con, f)
            for measure in charts.COUNTRY_MEASURES:
                figures[f"ranking/{name}/{measure}"] = charts.country_ranking_chart(c["table"], measure, t)
                figures[f"map/{name}/{measure}"] = charts.country_map(c["table"], measure, geo.centroids(), t)
            figures[f"fy/{name}"] = charts.fy_bar_chart(c["issued_by_fy"], "title", None, t)
            tech = views.technologies(con, f, "type")
            figures[f"fy-tech/{name}"] = charts.fy_bar_chart(tech["issued_by_fy"], "title", "technology", t)
            for measure in charts.TECH_MEASURES:
                figures[f"tech/{name}/{measure}"] = charts.technology_chart(tech["table"], measure, "UNEP type", t)
                figures[f"heat/{name}/{measure}"] = charts.technology_country_heatmap(tech["by_country"], measure, t)
    return figures


def test_figures_built_without_validation_pass_plotlys_validation_unchanged(real_con) -> None:
    """Builders skip Plotly's per-property validation for speed; here it runs on every figure they make.

    Rebuilding a figure with validation on raises on a misspelt or invalid property, and coerces
    values the way Plotly would (a named colour scale into its stops, say): the JSON must not change.
    """
    import plotly.graph_objects as go  # noqa: PLC0415
    import plotly.io as pio  # noqa: PLC0415

    figures = _every_figure(real_con)
    assert len(figures) == 2 * 2 * (3 + 3 + 2 * len(charts.COUNTRY_MEASURES) + 2 + 2 * len(charts.TECH_MEASURES))
    for name, fig in figures.items():
        validated = go.Figure(fig.to_dict())
        assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(validated)), name


def test_annual_projection_chart_sets_the_record_beside_the_projection() -> None:
    """Itemized bars to the as-of FY, central bars after it with the band as error bars, the published pace a line."""
    import pandas as pd  # noqa: PLC0415

    actual = pd.DataFrame(
        {"fiscal_year": [2024, 2025], "issued_tco2": [100.0, 50.0], "cumulative_tco2": [100.0, 150.0]}
    )
    projected = pd.DataFrame(
        {
            "fiscal_year": [2026, 2027],
            "annual_central_tco2": [200.0, 300.0],
            "annual_low_tco2": [20.0, 30.0],
            "annual_high_tco2": [400.0, 500.0],
        }
    )
    pace = {"tco2_per_year": 120.0, "from_date": "2024-04-01", "to_date": "2025-04-01"}
    fig = charts.annual_projection_chart(actual, projected, 2025, horizon_fy=2027, pace=pace)
    record, projection, line = fig.data
    assert list(record.x) == [2024, 2025] and list(projection.x) == [2026, 2027]
    assert list(projection.error_y.array) == [200, 200] and list(projection.error_y.arrayminus) == [180, 270]
    assert list(line.y) == [120, 120]
    assert fig.layout.yaxis.type is None  # linear: a jump shows at its true size


@pytest.mark.parametrize("log_scale", [True, False])
def test_projection_chart_marks_where_the_central_line_starts(log_scale: bool) -> None:
    """The central line's first point (end of the as-of FY) is a marker with its value and FY written beside it."""
    import pandas as pd  # noqa: PLC0415

    actual = pd.DataFrame({"fiscal_year": [2024, 2025], "cumulative_tco2": [100.0, 150.0]})
    projected = pd.DataFrame(
        {
            "fiscal_year": [2026, 2027],
            "cumulative_low_tco2": [160.0, 170.0],
            "cumulative_central_tco2": [900.0, 2_000.0],
            "cumulative_high_tco2": [1_000.0, 3_000.0],
        }
    )
    start = {"low": 150.0, "central": 700_000.0, "high": 700_000.0}
    fig = charts.projection_chart(
        actual, projected, pd.DataFrame(), 2025, horizon_fy=2027, log_scale=log_scale, start=start
    )
    text = EN("chart.projection_start", value=EN.amount(700_000), fy="FY2025")
    markers = [trace for trace in fig.data if trace.mode == "markers" and trace.name == text.replace("\n", " ")]
    assert [(list(m.x), list(m.y)) for m in markers] == [([2025], [700_000.0])]
    note = next(a for a in fig.layout.annotations if a.text == text.replace("\n", "<br>"))
    assert note.x == 2025 and note.y == pytest.approx(math.log10(700_000) if log_scale else 700_000)
    assert note.showarrow


def test_text_from_the_data_is_never_chart_markup(tiny_con) -> None:
    """A partner named like a link, or a technology like a styled span, is text in every chart: no live markup."""
    from jcm_dash import views  # noqa: PLC0415

    hostile = '<a href="http://evil.example/">Log in</a>'
    view = views.countries(tiny_con, Filters())
    table = view["table"].assign(country=hostile)
    figures = [
        charts.country_ranking_chart(table, "credits_issued_tco2"),
        charts.country_map(table, "credits_issued_tco2", geo.centroids()),
        charts.fy_bar_chart(view["issued_by_fy"], f"Issued in {hostile}"),
    ]
    tech = views.technologies(tiny_con, Filters())
    figures.append(charts.technology_chart(tech["table"].assign(technology=hostile), "credits_issued_tco2", "type"))
    by_country = tech["by_country"].assign(country=hostile, technology='<span style="color:red">x</span>')
    figures.append(charts.technology_country_heatmap(by_country, "credits_issued_tco2"))
    for figure in figures:
        text = str(figure.to_dict())  # not to_json(): it writes "<" as \u003c either way
        assert "<a href" not in text and "<span style" not in text
        assert "&lt;a href" in text or "&lt;span" in text


def test_ranking_marks_a_partners_credits_as_a_lower_bound_when_amounts_are_missing(tiny_con) -> None:
    """A partner with some issuances that state no amount reads '≥ n'; all known reads n; none known 'unknown'."""
    from jcm_dash import views  # noqa: PLC0415

    table = views.countries(tiny_con, Filters())["table"].head(3).copy()
    table["issuances"] = [9, 4, 2]
    table["issuances_without_amount"] = [8, 0, 2]
    table["credits_issued_tco2"] = [585.0, 100.0, float("nan")]
    fig = charts.country_ranking_chart(table, "credits_issued_tco2", EN)
    names = charts._country_names(table, EN)
    labels = dict(zip(fig.data[0].y, fig.data[0].text, strict=True))
    assert [labels[n] for n in names] == ["≥ 585", "100", "unknown"]
