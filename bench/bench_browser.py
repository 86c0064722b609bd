"""What a user waits for, in headless Chromium: first chart, a filter change, and 20 users at once.

Each measurement runs beside a floor measured in the same run: a bare Streamlit page with one Plotly
chart and one button (bench/floor_app.py). Times are taken in the browser: from navigation start
to the first drawn chart, and from the input event to the end of the rerun (Streamlit's script state
back to "notRunning" and every chart drawn). Prints Markdown (bench/run.py collects it).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import st_client  # noqa: E402
from tests.conftest import CHART, CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_browser import start_server  # noqa: E402

LOADS = 7  # page loads per measurement (each in a fresh browser context)
CHANGES = 8  # filter changes per measurement
LOAD_SECONDS = 120
SESSIONS = 20
TIMEOUT_MS = 60_000
THINK_SECONDS = 1.0  # in the load test, a user looks at the redrawn page for a second before the next input
# Waits poll every 50 ms rather than every animation frame: the times reported come from the
# observer's own timestamp, so polling decides only when the harness notices, and polling every
# frame costs renderer CPU that twenty sessions on one machine cannot spare.
POLL_MS = 50

# Resolves when the app's script run that follows the last input has finished and charts are drawn.
# (The app element can be re-mounted during a run, so the whole document is observed.)
WATCH_JS = """() => {
  if (window.__jcmObserver) window.__jcmObserver.disconnect();
  const watch = {done: null, seenRunning: false};
  window.__jcm = watch;
  // Records are batched: a quick run can go running -> notRunning within one callback, so each
  // record's old value is read, not just the current state.
  window.__jcmObserver = new MutationObserver((records) => {
    for (const record of records) {
      const now = record.target.dataset.testScriptState;
      if (record.oldValue === 'running' || now === 'running') watch.seenRunning = true;
    }
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.dataset.testScriptState;
    if (watch.seenRunning && state === 'notRunning' && watch.done === null) watch.done = performance.now();
  });
  window.__jcmObserver.observe(document.documentElement,
    {attributes: true, subtree: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
}"""


def spread(samples: list[float]) -> str:
    """``median (min–max)`` in ms."""
    return f"{statistics.median(samples):,.0f} ({min(samples):,.0f}–{max(samples):,.0f})"


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def first_chart(browser, url: str) -> float:
    """Milliseconds from navigation start to the first drawn Plotly chart, in a fresh context."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    await page.goto(url, wait_until="commit")
    await page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    elapsed = await page.evaluate("() => performance.now()")
    await context.close()
    return elapsed


async def _settled(page: Page) -> float:
    """Wait for the rerun after the last input to finish with every chart drawn; return its end (page ms)."""
    await page.wait_for_function("() => window.__jcm.done !== null", timeout=TIMEOUT_MS, polling=POLL_MS)
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))",
        timeout=TIMEOUT_MS,
        polling=POLL_MS,
    )
    return await page.evaluate("() => window.__jcm.done")


async def act(page: Page, action, prepare=None) -> float:
    """Run ``prepare`` (untimed), then ``action`` (the input); return ms from the input to the redrawn page.

    An input the page drops (a rerun that never starts within 10 s) is repeated, up to five times:
    about one click in six on the floor's button starts no run at all (seen with a MutationObserver
    logging every script-state change), and three drops in a row once stopped a whole run.
    """
    for _ in range(5):
        if prepare is not None:
            await prepare()
        await page.evaluate(WATCH_JS)
        start = await page.evaluate("() => performance.now()")
        await action()
        try:
            await page.wait_for_function("() => window.__jcm.seenRunning", timeout=10_000, polling=POLL_MS)
        except Exception:  # noqa: BLE001, S112  (dropped input: try again)
            continue
        return await _settled(page) - start
    raise TimeoutError("the page ignored the input five times")


async def change_country(page: Page, name: str) -> float:
    """Add ``name`` to the sidebar's country filter; ms from the Enter that picks it to the redrawn page.

    Opening the box and typing the name are the user's time, before the filter changes.
    """
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.get_by_role("combobox")

    async def prepare() -> None:
        await box.click()
        await box.fill(name)

    async def action() -> None:
        await page.keyboard.press("Enter")

    elapsed = await act(page, action, prepare)
    await page.keyboard.press("Escape")
    return elapsed


async def reset_filters(page: Page) -> float:
    """Press Reset filters; ms to the redrawn page."""
    return await act(page, page.get_by_role("button", name="Reset filters").click)


async def redraw_floor(page: Page) -> float:
    """Press the floor page's Redraw button; ms to the redrawn chart."""
    return await act(page, page.get_by_role("button", name="Redraw").click)


async def open_page(browser, url: str, context=None) -> tuple:
    """Open ``url`` in a new tab of ``context`` (a new context when None); wait for the first drawn chart."""
    if context is None:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    await page.goto(url, timeout=TIMEOUT_MS)
    await page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    # An input right after the first render can be dropped while the page finishes hydrating.
    await page.wait_for_timeout(1000)
    return page


def country_names(db: Path) -> list[str]:
    """The store's partner-country names (what the filter shows in English)."""
    from jcm_dash import queries, store  # noqa: PLC0415

    con = store.connect_read_only(db)
    try:
        return queries.partner_countries(con)["country"].tolist()
    finally:
        con.close()


class MemoryProbe:
    """Peak resident memory of a process, sampled every 0.2 s from /proc (VmRSS)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self._rss())
            time.sleep(0.2)

    def _cpu(self) -> tuple[float, float]:
        """(server CPU seconds, whole-machine busy CPU seconds) so far."""
        tick = os.sysconf("SC_CLK_TCK")
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / tick
        cpu = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        busy = (sum(cpu) - cpu[3] - cpu[4]) / tick  # all but idle and iowait
        return server, busy

    def __enter__(self) -> MemoryProbe:
        self._start, self._wall = self._cpu(), time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        end, wall = self._cpu(), time.monotonic() - self._wall
        self.server_cores = (end[0] - self._start[0]) / wall  # cores the server kept busy on average
        self.machine_cores = (end[1] - self._start[1]) / wall  # cores busy on the whole machine


async def session_loop(context, url: str, names: list[str], seconds: float, seed: int) -> tuple[list[float], int]:
    """One user, in a tab of ``context``, for ``seconds``: add a random country (up to three), then reset.

    Returns the interaction times and the errors (a page that does not load, a timeout, an exception shown).
    """
    rng = random.Random(seed)
    times: list[float] = []
    errors = 0
    await asyncio.sleep(seed * 1.5)  # users arrive over half a minute, not in the same millisecond
    end = time.monotonic() + seconds

    async def reopen() -> Page | None:
        nonlocal errors
        while time.monotonic() < end:
            try:
                return await open_page(None, url, context)
            except Exception:  # noqa: BLE001  (a page that does not load is an error; try again)
                errors += 1
        return None

    page = await reopen()
    if page is None:
        return times, errors
    selected = 0
    while time.monotonic() < end:
        try:
            if selected >= 3:
                times.append(await reset_filters(page))
                selected = 0
            else:
                times.append(await change_country(page, rng.choice(names)))
                selected += 1
            if await page.locator('[data-testid="stException"]').count():
                errors += 1
            await asyncio.sleep(THINK_SECONDS)
        except Exception:  # noqa: BLE001  (a timeout or a broken page is what we count)
            errors += 1
            await page.close()
            page = await reopen()
            if page is None:
                return times, errors
            selected = 0
    await page.close()
    return times, errors


async def protocol_loop(url: str, names: list[str], seconds: float, seed: int) -> tuple[list[float], int]:
    """One user without a browser (bench/st_client.py), doing what ``session_loop`` does for ``seconds``.

    Times are from sending the input to the server's finished run, in ms.
    """
    rng = random.Random(seed)
    times: list[float] = []
    errors = 0
    await asyncio.sleep(seed * 1.5)
    end = time.monotonic() + seconds
    session = None
    while time.monotonic() < end:
        try:
            if session is None:
                session = await st_client.Session.open(url, TIMEOUT_MS / 1000)
                selected: list[str] = []
            if len(selected) >= 3:
                times.append(await session.click("Reset filters", TIMEOUT_MS / 1000) * 1000)
                selected = []
            else:
                selected.append(rng.choice([n for n in names if n not in selected]))
                times.append(await session.select("Partner countries", selected, TIMEOUT_MS / 1000) * 1000)
            await asyncio.sleep(THINK_SECONDS)
        except Exception:  # noqa: BLE001  (a timeout, a dropped connection or an exception shown)
            errors += 1
            if session is not None:
                await session.close()
            session = None
    if session is not None:
        await session.close()
    return times, errors


def pin(pid: int, cpus: set[int]) -> None:
    """Run every thread of process ``pid`` on ``cpus`` only (threads it starts later inherit it)."""
    subprocess.run(
        ["taskset", "-a", "-p", "-c", ",".join(map(str, sorted(cpus))), str(pid)], check=True, capture_output=True
    )


def _row(users: int, who: str, label: str, times: list[float], errors: int, probe, cores: int, alone=None) -> str:
    median = f"{statistics.median(times):,.0f}" if times else "–"
    worst = f"{p95(times):,.0f}" if times else "–"
    ratio = f"{p95(times) / p95(alone):.2f}" if times and alone else "–"
    return (
        f"| {users} | {who} | {label} | {LOAD_SECONDS} | {len(times)} | {errors} | {median} | {worst} | {ratio} "
        f"| {probe.peak_kb / 1024:,.0f} | {probe.server_cores:.2f} of {cores} | {probe.machine_cores:.2f} of {cores} |"
    )


async def load_test(pid: int, url: str, names: list[str], label: str) -> list[str]:
    """Users exercising filters for LOAD_SECONDS: one alone, then SESSIONS at once; Markdown rows.

    One user is a real browser tab, timed end to end (input to redrawn charts). The other
    SESSIONS - 1 are protocol sessions (bench/st_client.py): they load the server exactly as browser
    tabs do, without rendering. Twenty Chromium renderers on this 2-core machine could not load one
    page between them (bench/RESULTS.md), and a user's drawing happens on that user's own machine,
    so it does not grow with the number of users; the server's work does. The server runs on core 0
    alone and everything else on the other core(s), as if on other machines.

    Three runs: the browser user alone, one protocol user alone, then all SESSIONS together; each
    loaded p95 is compared with the same kind of user alone.
    """
    cores = os.cpu_count() or 1
    if cores >= 2:
        pin(pid, {0})
        os.sched_setaffinity(0, set(range(1, cores)))  # this thread: Playwright and Chromium inherit it
    rows = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            async def browser_user():
                context = await browser.new_context(viewport={"width": 1400, "height": 1000})
                try:
                    return await session_loop(context, url, names, LOAD_SECONDS, 0)
                finally:
                    await context.close()

            with MemoryProbe(pid) as probe:
                browser_alone = await browser_user()
            rows.append(_row(1, "browser user, end to end", label, *browser_alone, probe, cores))
            print(rows[-1], flush=True)
            with MemoryProbe(pid) as probe:
                protocol_alone = await protocol_loop(url, names, LOAD_SECONDS, 0)
            rows.append(_row(1, "protocol user, server round trip", label, *protocol_alone, probe, cores))
            print(rows[-1], flush=True)
            with MemoryProbe(pid) as probe:
                together = await asyncio.gather(
                    browser_user(), *(protocol_loop(url, names, LOAD_SECONDS, seed) for seed in range(1, SESSIONS))
                )
            protocol_times = [t for result in together[1:] for t in result[0]]
            protocol_errors = sum(result[1] for result in together[1:])
            rows.append(
                _row(SESSIONS, "the browser user among them", label, *together[0], probe, cores, browser_alone[0])
            )
            rows.append(
                _row(
                    SESSIONS,
                    f"the {SESSIONS - 1} protocol users",
                    label,
                    protocol_times,
                    protocol_errors,
                    probe,
                    cores,
                    protocol_alone[0],
                )
            )
            print("\n".join(rows[-2:]), flush=True)
            await browser.close()
    finally:
        os.sched_setaffinity(0, set(range(cores)))
    return rows


async def load_only(db: Path, label: str) -> None:
    """Run just the load test against ``db`` (``python bench/bench_browser.py --load DB LABEL``)."""
    with tempfile.TemporaryDirectory() as tmp:
        server, url = start_server(db, Path(tmp) / "app.log")
        try:
            await load_test(server.pid, url, country_names(db), label)
        finally:
            server.terminate()
            server.wait(timeout=30)


async def measure(db: Path, label: str, load: bool) -> tuple[list[str], list[str]]:
    """All browser measurements for one store; returns Markdown rows (single user, load)."""
    rows: list[str] = []
    load_rows: list[str] = []
    names = country_names(db)
    with tempfile.TemporaryDirectory() as tmp:
        floor_server, floor_url = start_server(db, Path(tmp) / "floor.log", "bench/floor_app.py")
        server, url = start_server(db, Path(tmp) / "app.log")
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                floor = [await first_chart(browser, floor_url) for _ in range(LOADS)]
                floor_page = await open_page(browser, floor_url)
                floor_changes = [await redraw_floor(floor_page) for _ in range(2 * CHANGES)]
                cold = await first_chart(browser, url)  # the server's first view: nothing cached yet
                ours = [await first_chart(browser, url) for _ in range(LOADS)]
                rows.append(
                    f"| time to first chart, overview | {label} | {spread(ours)} (first view after start: "
                    f"{cold:,.0f}) | {spread(floor)} | {statistics.median(ours) / statistics.median(floor):.2f} |"
                )
                page = await open_page(browser, url)
                changes = []
                for name in random.Random(1).sample(names, CHANGES):
                    changes.append(await change_country(page, name))
                    changes.append(await reset_filters(page))
                rows.append(
                    f"| filter change → charts redrawn (new country, then reset) | {label} | {spread(changes)} "
                    f"| {spread(floor_changes)} | {statistics.median(changes) / statistics.median(floor_changes):.2f} |"
                )
                await browser.close()
            if load:
                load_rows = await load_test(server.pid, url, names, label)
        finally:
            for process in (server, floor_server):
                process.terminate()
                process.wait(timeout=30)
    return rows, load_rows


def run(stores: list[tuple[Path, str, bool]]) -> str:
    """Measure each (store, label, with load test) and return the Markdown tables."""
    rows, load_rows = [], []
    for db, label, load in stores:
        single, loaded = asyncio.run(measure(db, label, load))
        rows += single
        load_rows += loaded
        print("\n".join(single), flush=True)
    return "\n".join(
        [
            "### In the browser (headless Chromium, Playwright), next to the floor page",
            "",
            "| measurement | scale | ours, ms median (min–max) | floor, ms | ours ÷ floor |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "### Many users at once: each adds a random country (up to three), then resets, in a loop",
            "",
            "Each user waits 1 s after each redrawn page. The browser user is a headless Chromium tab, "
            "timed from the input to the redrawn charts; protocol users speak the app's websocket protocol "
            "(bench/st_client.py) and are timed from the input to the server's finished run. The server runs "
            "on core 0 alone, everything else on the other core(s), as if on other machines. "
            "p95 ÷ alone compares with the same kind of user alone.",
            "",
            "| users | who is timed | scale | seconds | interactions | errors | median ms | p95 ms | p95 ÷ alone "
            "| server peak RSS, MB | server CPU, cores | machine CPU busy, cores |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *load_rows,
        ]
    )


if __name__ == "__main__":
    if sys.argv[1] == "--load":
        asyncio.run(load_only(Path(sys.argv[2]), sys.argv[3]))
    else:
        print(run([(Path(sys.argv[1]), sys.argv[2], len(sys.argv) > 3)]))
