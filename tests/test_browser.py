"""What only a browser shows: the served app in headless Chromium (Playwright + /usr/bin/chromium)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from jcm_dash import paths, views
from jcm_dash.i18n import EN
from jcm_dash.queries import Filters

from .conftest import CHART, free_port, read_only
from .oracle import REAL as oracle

pytestmark = pytest.mark.browser


def start_server(db: Path, log: Path, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    """Start `streamlit run script` on a free local port, reading ``db``; return it and its URL when healthy."""
    port = free_port()
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=paths.REPO_ROOT,
            env={**os.environ, "JCM_DB": str(db)},
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.terminate()
                raise RuntimeError(f"streamlit did not start:\n{log.read_text()}") from None
            time.sleep(0.3)


@contextlib.contextmanager
def serve(db: Path, log: Path, script: str = "app.py") -> Iterator[str]:
    """Serve the dashboard (or ``script``) while the block runs; yield its URL (bench/ reuses this)."""
    server, url = start_server(db, log, script)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def app_url(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module's tests, reading the real store."""
    with serve(real_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no session state) per test, as a pasted link would get."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def wait_for_run_to_finish(page: Page) -> None:
    """Wait until the app's script run is over, so a button clicked next is not replaced mid-click."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def _issued_total_from_csv() -> str:
    """The itemized total from data/issuances.csv, as the overview's first card writes it."""
    return EN.amount(oracle.issued_total())


def test_overview_draws_chart_and_total_with_no_outside_request(app_url: str, page: Page) -> None:
    """The progress chart is drawn with its traces, the headline total is visible, only the app is contacted."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(app_url + "/")
    page.wait_for_selector(CHART, timeout=60_000)
    expect(page.get_by_text("Credits itemized in this data")).to_be_visible()
    expect(page.get_by_text(_issued_total_from_csv(), exact=True).first).to_be_visible()
    expect(page.get_by_text("Progress toward Japan's JCM targets (cumulative t-CO2e, log scale)")).to_be_visible()
    progress = page.locator(".js-plotly-plot").nth(1)
    # Lines for issued and expected, the three targets and the published points were drawn as SVG paths.
    assert progress.locator(".scatterlayer .trace").count() >= 6
    expect(progress.locator(".ytick").first).to_be_visible()
    page.wait_for_timeout(1500)  # let late requests (fonts, icons) show up
    assert hosts == {urlsplit(app_url).netloc}, f"requests left the app: {sorted(hosts)}"


def test_url_with_filters_restores_them_in_a_fresh_browser(app_url: str, page: Page, real_db: Path) -> None:
    """A pasted link with country, technology and FY range reproduces the view and keeps its URL."""
    with read_only(real_db) as con:
        expected = views.summary(con, Filters(("BGD",), ("EE industry",), 2016, 2024))["credits_issued_tco2"]
    # The oracle's reading: an issuance counts for a technology when every project it names is of it.
    types = {p["project_ref"]: p["unep_type"] for p in oracle.projects()}
    in_scope = [
        amount
        for r in oracle.issuances("BGD")
        if r["project_refs"]
        and {types[ref] for ref in r["project_refs"].split(";")} == {"EE industry"}
        and 2016 <= oracle.fiscal_year(dt.date.fromisoformat(r["decision_date"] or r["reported_date"])) <= 2024
        and (amount := oracle.amount(r)) is not None
    ]
    assert in_scope, "the check needs a Bangladesh EE industry issuance in FY2016-FY2024"
    assert expected == sum(in_scope)
    page.goto(app_url + "/?country=BGD&tech=EE+industry&fy_from=2016&fy_to=2024")
    page.wait_for_selector(CHART, timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Bangladesh")).to_be_visible()
    expect(sidebar.get_by_text("EE industry")).to_be_visible()
    expect(page.get_by_text(EN.amount(expected), exact=True).first).to_be_visible()
    expect(page.get_by_text("Scope: Bangladesh; EE industry; FY2016–FY2024.")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"country": ["BGD"], "tech": ["EE industry"], "fy_from": ["2016"], "fy_to": ["2024"]}


def test_changing_filters_updates_the_url(app_url: str, page: Page) -> None:
    """Reset clears the URL's filters and the totals return to the whole JCM."""
    page.goto(app_url + "/?country=MNG")
    page.wait_for_selector(CHART, timeout=60_000)
    expect(page.get_by_text("Scope: Mongolia;")).to_be_visible()
    page.get_by_role("button", name="Reset filters").click()
    expect(page.get_by_text(_issued_total_from_csv(), exact=True).first).to_be_visible()
    page.wait_for_function("() => !window.location.search.includes('country=')", timeout=10_000)


def test_deep_link_as_first_request(real_db: Path, page: Page, tmp_path: Path) -> None:
    """/projections?country=IDN as a fresh server's very first request shows the projection for Indonesia."""
    with serve(real_db, tmp_path / "streamlit.log") as url:
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.goto(url + "/projections?country=IDN&success_ratio=0.8")
        page.wait_for_selector(CHART, timeout=60_000)
        expect(page.get_by_role("heading", name="Are we on track?")).to_be_visible()
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("Indonesia")).to_be_visible()
        chart = page.locator(".js-plotly-plot").first
        expect(chart.get_by_text("projection →")).to_be_visible()
        expect(page.get_by_role("spinbutton", name="Issuance-success ratio")).to_have_value("0.80")
        assert "Traceback" not in (tmp_path / "streamlit.log").read_text()
        query = parse_qs(urlsplit(page.url).query)
        assert query == {"country": ["IDN"], "success_ratio": ["0.8"]}
        assert hosts == {urlsplit(url).netloc}, f"requests left the app: {sorted(hosts)}"


def test_map_draws_country_shapes_with_outside_requests_blocked(app_url: str, page: Page) -> None:
    """Every request to another host is aborted; the map still draws every partner's shape from the app."""
    app_host = urlsplit(app_url).netloc
    blocked: list[str] = []
    shapes: list[str] = []

    def route(route_request) -> None:
        url = route_request.request.url
        if urlsplit(url).netloc == app_host:
            if "topojson" in url:
                shapes.append(url)
            route_request.continue_()
        else:
            blocked.append(url)
            route_request.abort()

    page.route("**/*", route)
    page.goto(app_url + "/countries")
    page.wait_for_selector(".js-plotly-plot .geo .choroplethlocation", timeout=60_000)
    expect(page.locator(".js-plotly-plot .geo .choroplethlocation")).to_have_count(len(oracle.country_names()))
    expect(page.locator(".js-plotly-plot .geo .countries path").first).to_be_attached()
    assert any(url.endswith("/app/static/topojson/world_50m.json") for url in shapes)
    assert blocked == []


def test_countries_link_shows_mongolia_in_a_fresh_browser(app_url: str, page: Page, real_db: Path) -> None:
    """/countries?country=MNG opens on Mongolia's profile with its total from the store."""
    with read_only(real_db) as con:
        total = views.summary(con, Filters(countries=("MNG",)))["credits_issued_tco2"]
    signed = next(r for r in oracle.rows("partner_countries") if r["iso3"] == "MNG")["date_bilateral_document_signed"]
    page.goto(app_url + "/countries?country=MNG")
    page.wait_for_selector(CHART, timeout=60_000)
    expect(page.get_by_text(f"Mongolia: bilateral document signed {EN.date_as_known(signed)}.")).to_be_visible()
    expect(page.get_by_text(EN.amount(total), exact=True).first).to_be_visible()
    expect(page.get_by_text("Scope: Mongolia; all technologies; all fiscal years.")).to_be_visible()


def test_csv_download_rows_equal_the_filtered_table(app_url: str, page: Page, real_db: Path, tmp_path: Path) -> None:
    """On /projects?country=MNG the CSV holds the header rows and exactly Mongolia's projects."""
    with read_only(real_db) as con:
        expected = sorted(views.project_explorer(con, Filters(countries=("MNG",)))["projects"]["project_ref"])
    assert expected == sorted(p["project_ref"] for p in oracle.projects("MNG"))
    page.goto(app_url + "/projects?country=MNG")
    expect(page.get_by_text(f"{len(expected)} projects.")).to_be_visible(timeout=60_000)
    wait_for_run_to_finish(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("jcm_projects_Mongolia")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1] == ["Scope: Mongolia; all technologies; all fiscal years."]
    assert rows[5][0] == "Reference"
    assert sorted(r[0] for r in rows[6:]) == expected


def test_projects_search_link_lists_the_same_rows_in_a_fresh_browser(
    app_url: str, browser: Browser, page: Page, real_db: Path, tmp_path: Path
) -> None:
    """Typing a search on /projects puts ?search= in the URL; that URL in a fresh browser lists the same projects."""
    search = "solar"
    expected = oracle.projects_matching(search)
    every = len(oracle.rows("projects"))
    assert 0 < len(expected) < every
    page.goto(app_url + "/projects")
    expect(page.get_by_text(f"{every:,} projects.")).to_be_visible(timeout=60_000)
    box = page.get_by_role("textbox", name="Search", exact=True)
    box.fill(search)
    box.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('search') === '{search}'", timeout=20_000)
    expect(page.get_by_text(f"{len(expected):,} projects.")).to_be_visible()
    link = page.url
    fresh_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = fresh_context.new_page()
        fresh.goto(link)
        expect(fresh.get_by_text(f"{len(expected):,} projects.")).to_be_visible(timeout=60_000)
        expect(fresh.get_by_role("textbox", name="Search", exact=True)).to_have_value(search)
        wait_for_run_to_finish(fresh)
        with fresh.expect_download() as download_info:
            fresh.get_by_role("button", name="Download CSV").first.click()
        saved = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(saved)
        rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[5][0] == "Reference"
        assert sorted(r[0] for r in rows[6:]) == expected
        assert parse_qs(urlsplit(fresh.url).query) == {"search": [search]}
    finally:
        fresh_context.close()


def test_japanese_link_shows_japanese_and_switching_keeps_the_filters(app_url: str, page: Page) -> None:
    """/?lang=ja&country=MNG: Japanese title, chart title and FY ticks; English again keeps Mongolia selected."""
    page.goto(app_url + "/?lang=ja&country=MNG")
    page.wait_for_selector(CHART, timeout=60_000)
    expect(page.get_by_role("heading", name="日本のNDC目標に向けたJCMの進捗")).to_be_visible()
    expect(page.get_by_text("日本のJCM目標に対する進捗（累計 t-CO2e、対数目盛）")).to_be_visible()
    progress = page.locator(".js-plotly-plot").nth(1)
    expect(progress.locator(".xtick").first).to_contain_text("年度")
    expect(page.get_by_text("対象: モンゴル／全技術／全年度。")).to_be_visible()
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    expect(page.get_by_role("heading", name="JCM progress toward Japan's NDC goals")).to_be_visible()
    expect(page.get_by_text("Scope: Mongolia; all technologies; all fiscal years.")).to_be_visible()
    page.wait_for_function("() => !window.location.search.includes('lang=')", timeout=10_000)
    assert parse_qs(urlsplit(page.url).query) == {"country": ["MNG"]}
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="日本語").click()
    expect(page.get_by_text("対象: モンゴル／全技術／全年度。")).to_be_visible()
    page.wait_for_function("() => window.location.search.includes('lang=ja')", timeout=10_000)
    assert parse_qs(urlsplit(page.url).query) == {"country": ["MNG"], "lang": ["ja"]}


def test_briefing_page_generates_the_pack_and_downloads_the_deck(app_url: str, page: Page, tmp_path: Path) -> None:
    """/briefing?country=MNG: Generate shows progress, then the PPTX downloads with the deck's slides."""
    from pptx import Presentation  # noqa: PLC0415

    from jcm_dash.i18n import EN  # noqa: PLC0415

    page.goto(app_url + "/briefing?country=MNG")
    page.get_by_role("button", name="Generate the briefing pack").click()
    expect(page.get_by_text("Briefing pack ready: 14 files")).to_be_visible(timeout=120_000)
    wait_for_run_to_finish(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the deck (PPTX)").click()
    download = download_info.value
    assert (
        download.suggested_filename
        == f"jcm_briefing_Mongolia-all-technologies-all-fiscal-years_{oracle.as_of()}_en.pptx"
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    slides = Presentation(str(saved)).slides
    titles = [slide.shapes[0].text_frame.text for slide in slides]
    assert titles[0] == EN("briefing.deck_title") and EN("briefing.slide_top_projects") in titles
    assert any("Scope: Mongolia;" in shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)


def test_markdown_in_a_stored_title_and_the_url_makes_no_link_and_no_outside_request(
    tiny_db: Path, browser: Browser, tmp_path: Path
) -> None:
    """A title and URL parameters made of Markdown links and images: shown as typed, no link, no outside request."""
    import shutil

    from jcm_dash import importer
    from jcm_dash.tables import PROJECTS

    db = tmp_path / "store.duckdb"
    shutil.copy(tiny_db, db)
    title = "[Log in again](http://evil.example/login) ![x](http://evil.example/x.png)"
    update = tmp_path / "evil.csv"
    with open(update, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, PROJECTS.column_names)
        writer.writeheader()
        writer.writerow(
            dict.fromkeys(PROJECTS.column_names, "")
            | {
                "project_ref": "BD009",
                "country": "Bangladesh",
                "title": title,
                "status_code": "validation",
                "source_url": "https://example.org/p/bd009",
            }
        )
    assert importer.run_import([update], db).written
    link, image = "[Log in again](http://evil.example/login)", "![x](http://evil.example/x.png)"
    visits = [
        # Shown as typed (the text up to the URL, which carries an invisible word joiner against autolinking).
        ("/projects?project=BD009", "BD009: [Log in again]("),
        (f"/projects?project={quote(link)}", "No project '[Log in again]("),
        (f"/?country={quote(link)}&country={quote(image)}", "Unknown partner country code '![x]("),
        (f"/projections?delay={quote(image)}", "'delay=![x]("),
    ]
    with serve(db, tmp_path / "streamlit.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for path, shown in visits:
            page.goto(url + path)
            expect(page.get_by_text(shown).first).to_be_visible(timeout=60_000)
            wait_for_run_to_finish(page)
            assert page.locator('a[href*="evil.example"]').count() == 0, path
            assert page.locator('img[src*="evil.example"]').count() == 0, path
        page.wait_for_timeout(1500)  # let late requests (images, fonts) show up
        context.close()
        assert "Traceback" not in (tmp_path / "streamlit.log").read_text()
    outside = [r for r in requests if urlsplit(r).hostname not in ("127.0.0.1", "localhost")]
    assert outside == [], f"requests left the app: {outside}"


def test_url_warning_in_main_column_at_420px(app_url: str, browser: Browser) -> None:
    """On a phone the sidebar is collapsed: a link's unknown country code is named in the main column, as text."""
    context = browser.new_context(viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(app_url + "/?country=XXX&country=%2A%2Abold%2A%2A&lang=ja")
    wait_for_run_to_finish(page)
    main = page.get_by_test_id("stMain")
    warning = main.get_by_test_id("stAlert").filter(has_text="XXX")
    expect(warning).to_have_count(1, timeout=60_000)
    expect(warning).to_be_in_viewport()
    expect(main.get_by_test_id("stAlert").filter(has_text="**bold**")).to_have_count(1)  # escaped, not bold
    assert page.get_by_test_id("stSidebar").get_by_test_id("stAlert").count() == 0
    context.close()


def test_narrow_screen_shows_the_gap_and_pace_before_the_scope_figures(app_url: str, browser: Browser) -> None:
    """At 420 px, where the cards stack, each target's gap and pace needed come before what is itemized."""
    context = browser.new_context(viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.goto(app_url + "/")
    wait_for_run_to_finish(page)
    target = next(t for t in oracle.current_targets() if t["deadline"] == "FY2030")
    label = f"~{float(target['value_high_tco2']) / 1e6:,.0f} Mt by FY2030"

    def top(card_label: str) -> float:
        card = page.locator('[data-testid="stMetric"]').filter(
            has=page.get_by_test_id("stMetricLabel").get_by_text(card_label, exact=True)
        )
        expect(card).to_have_count(1, timeout=60_000)  # a cold server on a busy machine is slow to draw
        box = card.bounding_box()
        assert box is not None
        return box["y"]

    assert top(f"Gap to {label}") < top("Credits itemized in this data")
    assert top(f"Gap to {label}") < top("Latest published total")
    context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("path", ["/projects?project=MN004", "/data"])
def test_tables_fit_at_1400px_without_scrolling_sideways(app_url: str, page: Page, path: str, lang: str) -> None:
    """At 1400 px, every table on the projects and data pages shows all its on-screen columns, none cut off."""
    page.goto(app_url + path + ("&" if "?" in path else "?") + f"lang={lang}")
    wait_for_run_to_finish(page)
    grids = page.get_by_test_id("stDataFrame")
    expect(grids.first).to_be_visible(timeout=60_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
            .every(d => d.querySelector('.dvn-scroller'))""",
        timeout=60_000,
    )
    widths = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
            .map(s => [s.scrollWidth, s.clientWidth])"""
    )
    assert widths and all(scroll <= client + 2 for scroll, client in widths), widths


def test_first_screen_answers_how_far_from_the_targets(app_url: str, page: Page) -> None:
    """At 1400 × 1000, without scrolling: the share of ~100 Mt by FY2030, its gap and the pace needed.

    Beside them the latest published total and its date; every figure is derived from data/*.csv.
    """
    page.goto(app_url + "/")
    wait_for_run_to_finish(page)
    itemized = oracle.issued_total()
    row = oracle.published_total()
    published, approximate = oracle.published_value(row)
    best = max(itemized, published)
    target = next(t for t in oracle.current_targets() if t["deadline"] == "FY2030")
    goal = float(target["value_high_tco2"])
    as_of_fy = oracle.fiscal_year(dt.date.fromisoformat(oracle.as_of()))
    label = f"~{goal / 1e6:,.0f} Mt by FY2030"
    expected = {
        f"{label}: reached": EN.pct(best / goal * 100),
        f"Gap to {label}": EN.amount(goal - best),
        f"Needed per year, FY{as_of_fy + 1}–FY2030": EN.amount((goal - best) / (2030 - as_of_fy), per_year=True),
        "Latest published total": ("~" if approximate else "") + EN.amount(published),
        "Credits itemized in this data": EN.amount(itemized),
    }
    for card_label, value in expected.items():
        card = page.locator('[data-testid="stMetric"]').filter(
            has=page.get_by_test_id("stMetricLabel").get_by_text(card_label, exact=True)
        )
        expect(card).to_have_count(1)
        expect(card.get_by_test_id("stMetricValue")).to_have_text(value)
        box = card.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 1000, (card_label, box)
    published_card = page.locator('[data-testid="stMetric"]').filter(has_text="Latest published total")
    expect(published_card.get_by_test_id("stMetricDelta")).to_have_text(f"as of {row['as_of_date']}")
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0


def _english_phrases() -> set[str]:
    """Three-word pieces of English catalogue strings whose Japanese differs (as tests/test_i18n.py reads them)."""
    from jcm_dash import i18n  # noqa: PLC0415

    en, ja = i18n.catalogue("en"), i18n.catalogue("ja")
    phrases = set()
    for key, text in en.items():
        if text == ja[key] or key.startswith(("technology.", "metric.", "record.", "a6_")):
            continue
        for piece in re.split(r"\{[^}]*\}|%\{[^}]*\}|\*\*|<[^>]+>|\n", text):
            piece = piece.strip(" .,;:()'-–")
            if len(piece.split()) >= 3:
                phrases.add(piece)
    return phrases


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_article6_page_in_both_languages_leaves_no_english_in_japanese(app_url: str, page: Page, lang: str) -> None:
    """/article6 (issue 19): title, the JCM's cards and three charts drawn; in Japanese no English interface phrase."""
    from jcm_dash import i18n  # noqa: PLC0415

    t = i18n.translator(lang)
    page.goto(app_url + "/article6" + ("?lang=ja" if lang == "ja" else ""))
    expect(page.get_by_role("heading", name=t("article6.title"))).to_be_visible(timeout=60_000)
    wait_for_run_to_finish(page)
    page.wait_for_selector(CHART, timeout=60_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=60_000)  # the three chart tabs
    expect(page.get_by_text(t("article6.card_issued"))).to_be_visible()
    expect(page.locator('[data-testid="stSidebarNav"]').get_by_text(t("nav.article6"))).to_be_visible()
    text = page.locator('[data-testid="stApp"]').inner_text()
    svg_text = " ".join(page.locator(".js-plotly-plot text").all_text_contents())
    left = sorted(phrase for phrase in _english_phrases() if phrase in text + "\n" + svg_text)
    if lang == "en":
        assert len(left) > 10  # the check reads the page's and the charts' text: it is not vacuous
    else:
        assert left == []
        assert t.country("KOR", "Republic of Korea") in svg_text  # CLDR's 韓国, not the data's English name
        assert "Republic of Korea" not in svg_text
