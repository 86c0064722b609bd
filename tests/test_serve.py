"""`make serve` in real Chromium: two workers behind HAProxy, sticky sessions, an import, a killed worker.

One `deploy/serve.py start` (supervisord, HAProxy and two Streamlit workers) serves a private copy of
the real store for the whole module. The tests run in file order: downloads before the import
(which adds a project), the import before the stopped and killed workers. Every wait is generous
and waits for a state, never for a time; the fixture stops every process it started and fails if
one is left.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bench import st_client
from deploy import serve
from jcm_dash import paths

from .conftest import CHART

pytestmark = pytest.mark.browser

WAIT_MS = 60_000
WAIT_S = 120.0
NEW_PROJECT = "MN-SERVE-TEST"


@dataclass
class Served:
    """The running `make serve` stack: balancer URL, run directory, the store it serves."""

    url: str
    run_dir: Path
    db: Path
    # Every supervised process group seen (a killed worker's too): the fixture checks all are gone.
    groups: set[int] = field(default_factory=set)

    def pids(self) -> dict[str, int | None]:
        """The supervised pids now, by program name (w1, w2, balancer)."""
        pids = serve.supervised_pids(self.run_dir)
        self.groups.update(pid for pid in pids.values() if pid)
        return pids

    def stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's row for each worker."""
        return serve.balancer_stats(self.run_dir)

    def ctl(self, *command: str) -> None:
        """Run a supervisorctl command against this stack."""
        subprocess.run(
            [serve.tool("supervisorctl"), "-c", str(self.run_dir / "supervisord.conf"), *command],
            check=True,
            capture_output=True,
            timeout=60,
        )


def wait_until(condition: Callable[[], object], what: str, timeout: float = WAIT_S) -> object:
    """Poll ``condition`` until it returns something true; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except OSError:  # a control socket not there yet
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _groups_alive(groups: set[int]) -> list[int]:
    """Pids of live (not zombie) processes whose process group is one of ``groups``."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) in groups:
            alive.append(int(stat.parent.name))
    return alive


@pytest.fixture(scope="module")
def served(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`deploy/serve.py start` with two workers on free ports, serving a copy of the real store."""
    tmp = tmp_path_factory.mktemp("serve")
    db = tmp / "jcm.duckdb"
    shutil.copy(real_db, db)
    port, *worker_ports = _free_ports(3)
    run_dir = tmp / "run"
    log = tmp / "serve.log"
    supervisor = serve.launch(port, worker_ports, run_dir, db, log)
    stack = Served(f"http://127.0.0.1:{port}", run_dir, db, {supervisor.pid})
    try:
        wait_until(
            lambda: (
                supervisor.poll() is None
                and {n: r["status"] for n, r in stack.stats().items()} == {"w1": "UP", "w2": "UP"}
                and all(stack.pids().values())  # supervisord gives a pid once it calls a program RUNNING
            ),
            f"both workers UP behind the balancer (log: {log})",
        )
        yield stack
    finally:
        stack.groups.update(pid for pid in _safe_pids(stack) if pid)
        supervisor.send_signal(signal.SIGTERM)  # supervisord stops HAProxy, then the workers
        try:
            supervisor.wait(timeout=90)
        except subprocess.TimeoutExpired:
            supervisor.kill()
            supervisor.wait(timeout=30)
        left = _groups_alive(stack.groups)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, f"processes left running after supervisord stopped: {left}"
        assert "Traceback" not in "".join(p.read_text() for p in run_dir.glob("w*.log"))


def _safe_pids(stack: Served) -> list[int | None]:
    try:
        return list(stack.pids().values())
    except (OSError, subprocess.SubprocessError):
        return []


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Browser contexts a test opens (no cookies, no state, as a pasted link); closed after it."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_context(contexts: list[BrowserContext], browser: Browser, served: Served, worker: str | None = None) -> Page:
    """A page in a fresh context; with ``worker``, its cookie already names that worker (w1, w2)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    contexts.append(context)
    if worker:
        context.add_cookies([{"name": serve.COOKIE, "value": worker, "url": served.url}])
    return context.new_page()


def worker_of(page: Page) -> str | None:
    """The worker the balancer's cookie names for this page's context."""
    return next((c["value"] for c in page.context.cookies() if c["name"] == serve.COOKIE), None)


def wait_for_run_to_finish(page: Page) -> None:
    """Wait until the app's script run is over, so a button clicked next is not replaced mid-click."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)


def projects_of(*countries: str) -> list[str]:
    """Oracle: the project references of ``countries`` (English names) in data/projects.csv."""
    with open(paths.DATA_DIR / "projects.csv", encoding="utf-8-sig", newline="") as handle:
        return sorted(r["project_ref"] for r in csv.DictReader(handle) if r["country"] in countries)


def add_country(page: Page, name: str) -> None:
    """Pick ``name`` in the sidebar's country filter, as a user types it."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.get_by_role("combobox")
    box.click()
    box.fill(name)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def fetch_status(url: str, worker: str) -> int:
    """HTTP status of ``url`` fetched through the balancer with a cookie naming ``worker``."""
    request = urllib.request.Request(url, headers={"Cookie": f"{serve.COOKIE}={worker}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_deep_link_through_the_balancer(served: Served, browser: Browser, contexts: list) -> None:
    """/projections?country=IDN&success_ratio=0.8 through HAProxy: the view, its URL, one worker named."""
    page = open_context(contexts, browser, served)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(served.url + "/projections?country=IDN&success_ratio=0.8")
    page.wait_for_selector(CHART, timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Are we on track?")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Indonesia")).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Issuance-success ratio")).to_have_value("0.80")
    assert parse_qs(urlsplit(page.url).query) == {"country": ["IDN"], "success_ratio": ["0.8"]}
    assert worker_of(page) in {"w1", "w2"}
    assert hosts == {urlsplit(served.url).netloc}, f"requests left the balancer: {sorted(hosts)}"


# A different country on each worker: a download's URL is derived from its content, so the same
# file made on both workers would be found on both.
@pytest.mark.parametrize(("worker", "country", "iso3"), [("w1", "Indonesia", "IDN"), ("w2", "Viet Nam", "VNM")])
def test_filter_change_and_csv_download_stay_on_one_worker(
    served: Served, browser: Browser, contexts: list, worker: str, country: str, iso3: str, tmp_path: Path
) -> None:
    """On each worker: Mongolia, then a country added; the CSV holds both; only that worker has the file."""
    page = open_context(contexts, browser, served, worker)
    page.goto(served.url + "/projects?country=MNG")
    expect(page.get_by_text(f"{len(projects_of('Mongolia'))} projects.", exact=True)).to_be_visible(timeout=WAIT_MS)
    wait_for_run_to_finish(page)
    add_country(page, country)
    both = projects_of("Mongolia", country)
    expect(page.get_by_text(f"{len(both)} projects.", exact=True)).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(f"() => window.location.search.includes('country={iso3}')", timeout=WAIT_MS)
    wait_for_run_to_finish(page)
    with page.expect_download(timeout=WAIT_MS) as download_info:
        page.get_by_role("button", name="Download CSV").first.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[5][0] == "Reference"
    assert sorted(r[0] for r in rows[6:]) == both
    assert worker_of(page) == worker  # the cookie was honoured, not replaced
    # The file lives in this worker's memory: the other worker does not have it.
    other = "w2" if worker == "w1" else "w1"
    assert fetch_status(download.url, worker) == 200
    assert fetch_status(download.url, other) == 404


def test_briefing_pack_downloads_through_the_balancer(
    served: Served, browser: Browser, contexts: list, tmp_path: Path
) -> None:
    """/briefing?country=MNG: the pack is generated on one worker and its deck downloads from it."""
    from pptx import Presentation  # noqa: PLC0415

    page = open_context(contexts, browser, served)
    page.goto(served.url + "/briefing?country=MNG")
    page.get_by_role("button", name="Generate the briefing pack").click()
    # How many files the pack holds is the briefing's business (tests/test_briefing.py): any count here.
    expect(page.get_by_text(re.compile(r"Briefing pack ready: \d+ files"))).to_be_visible(timeout=180_000)
    wait_for_run_to_finish(page)
    with page.expect_download(timeout=WAIT_MS) as download_info:
        page.get_by_role("button", name="Download the deck (PPTX)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("jcm_briefing_Mongolia-all-technologies-all-fiscal-years_")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    slides = Presentation(str(saved)).slides
    # How many slides the deck has is the briefing's business too (it paginates): the title and scope here.
    assert slides[0].shapes[0].text_frame.text == "JCM progress toward Japan's NDC goals: briefing"
    assert any("Scope: Mongolia;" in shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)


def _import_new_project(served: Served, tmp_path: Path) -> None:
    """Import one new Mongolian project (a test row, into the module's private store) by the CLI."""
    with open(paths.DATA_DIR / "projects.csv", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    values = {
        "project_ref": NEW_PROJECT,
        "country": "Mongolia",
        "title": "Serving test project (test fixture, not real data)",
        "status_code": "planned",
        "source_url": "https://example.org/jcm-dash-serve-test",
    }
    upload = tmp_path / "projects.csv"
    with open(upload, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([values.get(column, "") for column in header])
    done = subprocess.run(
        [sys.executable, "-m", "jcm_dash", "import", str(upload), "--json"],
        cwd=paths.REPO_ROOT,
        env={**os.environ, "JCM_DB": str(served.db)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["written"] is True


def test_an_import_is_served_by_both_workers_on_their_next_interaction(
    served: Served, browser: Browser, contexts: list, tmp_path: Path
) -> None:
    """Sessions open on w1 and w2 before an import both show the new project on their next input."""
    mongolia = len(projects_of("Mongolia"))
    pages = {}
    for worker in ("w1", "w2"):
        pages[worker] = open_context(contexts, browser, served, worker)
        pages[worker].goto(served.url + "/projects?country=MNG")
        expect(pages[worker].get_by_text(f"{mongolia} projects.", exact=True)).to_be_visible(timeout=WAIT_MS)
        wait_for_run_to_finish(pages[worker])
    _import_new_project(served, tmp_path)
    for worker, page in pages.items():
        search = page.get_by_role("textbox", name="Search", exact=True)
        search.fill(NEW_PROJECT)
        search.press("Enter")
        expect(page.get_by_text("1 projects.", exact=True)).to_be_visible(timeout=WAIT_MS)
        wait_for_run_to_finish(page)
        search.fill("")
        search.press("Enter")
        expect(page.get_by_text(f"{mongolia + 1} projects.", exact=True)).to_be_visible(timeout=WAIT_MS)
        assert worker_of(page) == worker


async def _open(url: str, worker: str | None) -> st_client.Session:
    return await st_client.Session.open(url, WAIT_S, f"{serve.COOKIE}={worker}" if worker else None)


def run_async(work: Callable[[], object]) -> None:
    """Run the coroutine ``work()`` to its end in a thread of its own (Playwright's loop owns this one)."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(work())
        except BaseException as err:  # noqa: BLE001  (re-raised in the test's thread)
            failure.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def test_a_stopped_worker_is_taken_out_of_rotation(served: Served) -> None:
    """Health checks mark a worker that stopped answering DOWN; new sessions all go to the other."""
    served.ctl("stop", "workers:w1")
    try:
        wait_until(lambda: served.stats()["w1"]["status"] == "DOWN", "the balancer to mark w1 DOWN")
        before = {name: int(row["stot"]) for name, row in served.stats().items()}

        async def four_new_users() -> None:
            for _ in range(4):
                session = await _open(served.url, None)
                await session.select("Partner countries", ["Mongolia"], WAIT_S)
                await session.close()

        run_async(four_new_users)
        after = {name: int(row["stot"]) for name, row in served.stats().items()}
        assert after["w1"] == before["w1"]
        assert after["w2"] >= before["w2"] + 4
    finally:
        served.ctl("start", "workers:w1")
    wait_until(lambda: served.stats()["w1"]["status"] == "UP", "w1 to be UP again")


class ProtocolUsers(threading.Thread):
    """Protocol users (bench/st_client.py) pinned to workers, changing filters until told to stop."""

    def __init__(self, url: str, workers: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.workers = url, workers
        self.served = [0] * len(workers)  # interactions that finished, per user
        self.failures: list[str | None] = [None] * len(workers)  # a user stops at its first failure
        self.stop = threading.Event()

    def run(self) -> None:
        """Every user at once, in this thread's own event loop."""
        asyncio.run(self._all())

    async def _all(self) -> None:
        await asyncio.gather(*(self._user(i) for i in range(len(self.workers))))

    async def _user(self, index: int) -> None:
        choices = [["Mongolia"], ["Mongolia", "Indonesia"], []]
        session = None
        try:
            session = await _open(self.url, self.workers[index])
            while not self.stop.is_set():
                await session.select("Partner countries", choices[self.served[index] % 3], WAIT_S)
                self.served[index] += 1
                await asyncio.sleep(0.2)
        except Exception as err:  # noqa: BLE001  (what a user on a dead worker sees is the point)
            self.failures[index] = f"{type(err).__name__}: {err}"
        finally:
            if session is not None:
                try:
                    await session.close()
                except Exception:  # noqa: BLE001, S110  (its connection may be gone already)
                    pass


def test_a_killed_worker_loses_only_its_own_sessions(served: Served, browser: Browser, contexts: list) -> None:
    """A kill -9 of w1 under load: w2's users see nothing; w1's users lose their session; w1 comes back.

    A browser page on w1 reconnects by itself through the balancer, to w2 while w1 is down (or to
    w1 restarted), and shows its view again from the URL.
    """
    on_w2 = open_context(contexts, browser, served, "w2")
    on_w1 = open_context(contexts, browser, served, "w1")
    for page in (on_w2, on_w1):
        page.goto(served.url + "/?country=MNG")
        page.wait_for_selector(CHART, timeout=WAIT_MS)
        expect(page.get_by_text("Scope: Mongolia;")).to_be_visible(timeout=WAIT_MS)
        wait_for_run_to_finish(page)
    users = ProtocolUsers(served.url, ["w1", "w1", "w1", "w2", "w2", "w2"])
    users.start()
    try:
        wait_until(lambda: min(users.served) >= 2, "every protocol user to be served twice")
        pids = served.pids()
        killed, survivor = pids["w1"], pids["w2"]
        os.kill(killed, signal.SIGKILL)
        wait_until(lambda: all(users.failures[:3]), "w1's protocol users to lose their sessions")
        at_kill = users.served[3:]
        # A new user, with or without a cookie naming the dead worker, is served.
        for worker in ("w1", None):

            async def new_user(worker: str | None = worker) -> None:
                session = await _open(served.url, worker)
                await session.select("Partner countries", ["Indonesia"], WAIT_S)
                await session.close()

            run_async(new_user)
        # The browser user on w2 changes a filter: nothing happened to them.
        on_w2.get_by_role("button", name="Reset filters").click()
        expect(on_w2.get_by_text("Scope: all partner countries;")).to_be_visible(timeout=WAIT_MS)
        expect(on_w2.get_by_text("Connection error")).to_have_count(0)
        wait_until(
            lambda: all(now >= then + 3 for now, then in zip(users.served[3:], at_kill, strict=True)),
            "w2's protocol users to be served three more times",
        )
        # The page that was on w1 reconnected by itself and shows its view again.
        expect(on_w1.locator('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')).to_have_count(
            1, timeout=WAIT_MS
        )
        expect(on_w1.get_by_text("Scope: Mongolia;")).to_be_visible(timeout=WAIT_MS)
        # supervisord restarted w1 and the balancer sends to it again.
        wait_until(lambda: served.pids()["w1"] not in (None, killed), "supervisord to restart w1")
        wait_until(lambda: served.stats()["w1"]["status"] == "UP", "w1 to be UP again")
    finally:
        users.stop.set()
        users.join(timeout=WAIT_S)
    assert users.failures[3:] == [None, None, None], users.failures
    assert all(users.failures[:3])
    again = open_context(contexts, browser, served, "w1")
    again.goto(served.url + "/?country=IDN")
    expect(again.get_by_text("Scope: Indonesia;")).to_be_visible(timeout=WAIT_MS)
    assert worker_of(again) == "w1"
    assert served.pids()["w2"] == survivor  # w2 was never restarted
