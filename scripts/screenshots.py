"""Save what users see: every page in English and Japanese, 1400 px and 420 px wide, as full-page PNGs.

Usage: ``python scripts/screenshots.py [OUT_DIR] [--only NAME ...]`` (``make screenshots`` runs it into
``screenshots/``, which git ignores). A Streamlit server on a free local port serves the store
(``JCM_DB`` or data/jcm.duckdb) for the run and is stopped afterwards; Debian's Chromium is driven
by Playwright with the browser tests' flags (tests/test_browser.py). Each file is named
``<view>_<lang>_<width>.png``; the views are every page plus a few scoped links a manager would paste.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jcm_dash import paths  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_browser import serve  # noqa: E402

# (name, path and query): every page, then scoped views (one country, one country and one FY).
VIEWS = (
    ("overview", "/"),
    ("countries", "/countries"),
    ("technologies", "/technologies"),
    ("projects", "/projects?project=MN004"),
    ("projections", "/projections"),
    ("article6", "/article6"),
    ("briefing", "/briefing"),
    ("data", "/data"),
    ("overview_IDN", "/?country=IDN"),
    ("countries_IDN", "/countries?country=IDN"),
    ("overview_MNG", "/?country=MNG"),
    ("technologies_MNG", "/technologies?country=MNG"),
    ("overview_BGD_FY2021", "/?country=BGD&fy_from=2021&fy_to=2021"),
    ("overview_solar", "/?tech=Solar"),
    # Empty and partial states: a partner with nothing in the data, one with nothing itemized, FY only.
    ("overview_ETH", "/?country=ETH"),
    ("countries_ETH", "/countries?country=ETH"),
    ("countries_PHL", "/countries?country=PHL"),
    ("overview_PHL", "/?country=PHL"),
    ("overview_FY2024", "/?fy_from=2024&fy_to=2024"),
    ("overview_bad_link", "/?country=XXX"),
    ("article6_MNG", "/article6?country=MNG"),
)
WIDTHS = (1400, 420)
LANGS = ("en", "ja")
HEIGHT = 1000
TIMEOUT_MS = 120_000
# The element that scrolls in a Streamlit page (the document itself does not), measured to grow the
# viewport to the whole page so one screenshot holds it all.
SCROLL_HEIGHT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
  let height = main.scrollHeight;
  for (const el of main.querySelectorAll('*')) {
    if (el.scrollHeight > el.clientHeight + 4 && getComputedStyle(el).overflowY === 'auto' && el.clientHeight > 600) {
      height = Math.max(height, el.scrollHeight);
    }
  }
  return height;
}"""


def with_lang(path: str, lang: str) -> str:
    """``path`` with ``lang=ja`` added (English is the default and needs no parameter)."""
    if lang == "en":
        return path
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def wait_until_drawn(page: Page) -> None:
    """Wait for the script run to end, spinners to go and charts to draw, then for late layout."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=TIMEOUT_MS, polling=200
    )
    page.wait_for_timeout(1500)


def capture(page: Page, url: str, width: int, out: Path) -> None:
    """Open ``url`` at ``width`` and save the whole page (not just the first screen) to ``out``."""
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(url)
    wait_until_drawn(page)
    height = 0
    # A long page can still be laying out its last charts when first measured (/article6 at 420 px
    # was cut after its tables on a busy machine): grow the viewport until the height holds.
    for _ in range(4):
        measured = int(page.evaluate(SCROLL_HEIGHT_JS))
        if measured <= height + 80:  # the page fills the viewport it was given: no new content
            break
        height = measured
        page.set_viewport_size({"width": width, "height": max(HEIGHT, min(height + 80, 30_000))})
        page.wait_for_timeout(1200)  # charts redraw after the resize
    page.screenshot(path=str(out), full_page=True)


def main(argv: list[str] | None = None) -> int:
    """Serve the app, save every view, print the files written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "screenshots"), help="folder for the PNGs")
    parser.add_argument("--only", nargs="*", default=None, help="view names to save (default: all)")
    parser.add_argument("--widths", nargs="*", type=int, default=list(WIDTHS))
    parser.add_argument("--langs", nargs="*", default=list(LANGS))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    views = [(name, path) for name, path in VIEWS if args.only is None or name in args.only]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, serve(paths.db_path(), Path(folder) / "streamlit.log") as url:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for name, path in views:
                    for lang in args.langs:
                        for width in args.widths:
                            context = browser.new_context(viewport={"width": width, "height": HEIGHT})
                            try:
                                target = out / f"{name}_{lang}_{width}.png"
                                capture(context.new_page(), url + with_lang(path, lang), width, target)
                                print(target, flush=True)
                            finally:
                                context.close()
            finally:
                browser.close()
        log = (Path(folder) / "streamlit.log").read_text()
        if "Traceback" in log:
            print(log, file=sys.stderr)
            return 1
    print(f"{len(views) * len(args.langs) * len(args.widths)} screenshots in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
