"""Many users against `make serve`: 1 worker vs 2 workers behind HAProxy, and what HAProxy itself adds.

Protocol users (bench/st_client.py, as in the load test of bench_browser.py) each add a random
country (up to three), then reset, waiting 1 s after each finished run. They arrive spread over
RAMP seconds, then all of them are timed together for SECONDS: only inputs sent in that window
count, so every configuration is measured at its full number of users. Each time is from sending
the input to the server's finished run. Errors: an input that fails (a timeout after 60 s, a
dropped connection, an exception shown by the app); the user then opens a new session.

Configurations, on the 1,000× synthetic store (bench/out/bench_1000x.duckdb):
- 1 worker: one Streamlit process, reached directly (what `make run` serves);
- 2 workers: `deploy/serve.py start --workers 2` (HAProxy, sticky by cookie, least connections);
- the balancer's own cost: one worker behind HAProxy, one user alternating between the worker's own
  port and the balancer's, for a health request (HTTP keep-alive) and for an interaction.

Nothing is pinned to a core: the workers, HAProxy and the users' process share the machine, as on
one host. Prints Markdown (``python bench/run.py serve`` writes it into bench/RESULTS.md).
Set BENCH_SERVE_SECONDS / BENCH_SERVE_RAMP / BENCH_SERVE_USERS (e.g. ``5,10``) for a quick trial.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import st_client  # noqa: E402
from bench.bench_browser import MemoryProbe, country_names, p95  # noqa: E402
from deploy import serve  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SERVE_SECONDS", "120"))
RAMP = float(os.environ.get("BENCH_SERVE_RAMP", "30"))
USERS = tuple(int(n) for n in os.environ.get("BENCH_SERVE_USERS", "20,50").split(","))
THINK_SECONDS = 1.0
TIMEOUT = 60.0
OVERHEAD_SAMPLES = int(os.environ.get("BENCH_SERVE_OVERHEAD", "500"))  # health requests per path
OVERHEAD_INTERACTIONS = 60  # interactions per path
STORE_SCALE = 1000


def store_1000x() -> Path:
    """The 1,000× store of the other benchmarks: generated and (re)built by the public commands when needed."""
    db = ROOT / "bench" / "out" / f"bench_{STORE_SCALE}x.duckdb"
    folder = ROOT / "bench" / "out" / f"{STORE_SCALE}x"
    if not (folder / "issuances.csv").exists():
        subprocess.run(
            [sys.executable, "bench/synth.py", "--scale", str(STORE_SCALE), "--out", str(folder)], cwd=ROOT, check=True
        )
    subprocess.run(
        [sys.executable, "-m", "jcm_dash", "build", "--if-needed", "--data", str(folder), "--db", str(db)],
        cwd=ROOT,
        check=True,
    )
    return db


class Stack:
    """`deploy/serve.py start` with ``workers`` workers on free ports, for the duration of a ``with``."""

    def __init__(self, db: Path, workers: int, tmp: Path) -> None:
        self.db, self.workers, self.tmp = db, workers, tmp

    def __enter__(self) -> Stack:
        ports = []
        while len(ports) < self.workers + 1:  # free ports, none of them taken twice
            port = _free_port()
            if port not in ports:
                ports.append(port)
        self.run_dir = self.tmp / f"run-{self.workers}"
        self.process = serve.launch(ports[0], ports[1:], self.run_dir, self.db, self.tmp / f"serve-{self.workers}.log")
        self.url = f"http://127.0.0.1:{ports[0]}"
        self.worker_urls = [f"http://127.0.0.1:{port}" for port in ports[1:]]
        deadline = time.monotonic() + 180
        while True:
            try:
                stats = serve.balancer_stats(self.run_dir)
                pids = serve.supervised_pids(self.run_dir)  # a pid once supervisord calls it RUNNING
                if (
                    len(stats) == self.workers
                    and all(row["status"] == "UP" for row in stats.values())
                    and len(pids) == self.workers + 1
                    and all(pids.values())
                ):
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"make serve did not come up: {self.tmp / f'serve-{self.workers}.log'}")
            time.sleep(0.3)
        self.worker_pids = [pids[f"w{i}"] for i in range(1, self.workers + 1)]
        self.balancer_pids = [pids["balancer"], *_children(pids["balancer"])]
        return self

    def __exit__(self, *_: object) -> None:
        self.process.terminate()  # supervisord: stops HAProxy, then the workers
        self.process.wait(timeout=90)


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (HAProxy's master forks its worker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


async def user(url: str, names: list[str], index: int, users: int, window: tuple[float, float]) -> tuple[list, int]:
    """One protocol user: arrives at its slot in the ramp, works until the window ends.

    Returns the times (ms) of the inputs sent inside ``window`` (monotonic start, end), and the
    errors counted there (failed inputs and failed session opens).
    """
    rng = random.Random(index)
    await asyncio.sleep(RAMP * index / users)
    start, end = window
    times: list[float] = []
    errors = 0
    session = None
    selected: list[str] = []
    while time.monotonic() < end:
        sent = time.monotonic()
        try:
            if session is None:
                session = await st_client.Session.open(url, TIMEOUT)
                selected = []
                continue
            if len(selected) >= 3:
                elapsed = await session.click("Reset filters", TIMEOUT)
                selected = []
            else:
                selected.append(rng.choice([n for n in names if n not in selected]))
                elapsed = await session.select("Partner countries", selected, TIMEOUT)
            if sent >= start:
                times.append(elapsed * 1000)
            await asyncio.sleep(THINK_SECONDS)
        except Exception:  # noqa: BLE001  (a timeout, a dropped connection or an exception shown)
            if sent >= start:
                errors += 1
            if session is not None:
                try:
                    await session.close()
                except Exception:  # noqa: BLE001, S110  (already gone)
                    pass
            session = None
    if session is not None:
        await session.close()
    return times, errors


async def crowd(url: str, names: list[str], users: int) -> tuple[list[float], int]:
    """``users`` users at once; all inputs timed in the window after the ramp."""
    now = time.monotonic()
    window = (now + RAMP, now + RAMP + SECONDS)
    results = await asyncio.gather(*(user(url, names, i, users, window) for i in range(users)))
    return [t for times, _ in results for t in times], sum(errors for _, errors in results)


def measure_crowd(url: str, names: list[str], users: int, worker_pids: list[int], balancer_pids: list[int]) -> dict:
    """Run ``users`` against ``url``; times, errors, each worker's peak memory and CPU, HAProxy's, ours."""
    probes = [MemoryProbe(pid) for pid in worker_pids + balancer_pids + [os.getpid()]]
    for probe in probes:
        probe.__enter__()
    try:
        times, errors = asyncio.run(crowd(url, names, users))
    finally:
        for probe in probes:
            probe.__exit__()
    workers = probes[: len(worker_pids)]
    return {
        "users": users,
        "times": times,
        "errors": errors,
        "rss_mb": [p.peak_kb / 1024 for p in workers],
        "cpu": [p.server_cores for p in workers],
        "balancer_rss_mb": sum(p.peak_kb for p in probes[len(worker_pids) : -1]) / 1024 if balancer_pids else None,
        "client_cpu": probes[-1].server_cores,
        "machine_cpu": probes[-1].machine_cores,
    }


def health_round_trips(url: str, samples: int) -> list[float]:
    """Milliseconds per GET /_stcore/health, each on a new connection, ``samples`` times.

    A new connection each: on one kept-alive connection every answer took 44 ms, direct and through
    HAProxy alike (a delayed-ACK wait in the server's replies), which hides everything else.
    """
    host, port = url.removeprefix("http://").split(":")
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        try:
            connection.request("GET", "/_stcore/health", headers={"Connection": "close"})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise RuntimeError(f"health check answered {response.status}")
    return times


async def interaction_round_trips(direct: str, balanced: str, names: list[str], count: int) -> tuple[list, list]:
    """One session on the worker's own port and one through HAProxy, used in turn; ms per interaction.

    Five countries, each viewed once before timing, so that every timed run is a cached view on
    both paths (otherwise the path asked first pays for the new view).
    """
    sessions = [await st_client.Session.open(direct, TIMEOUT), await st_client.Session.open(balanced, TIMEOUT)]
    times: tuple[list[float], list[float]] = ([], [])
    rng = random.Random(0)
    warm = rng.sample(names, 5)
    try:
        for name in warm:
            await sessions[0].select("Partner countries", [name], TIMEOUT)
        for _ in range(count):
            choice = [rng.choice(warm)]
            for which, session in enumerate(sessions):  # the same input on both paths
                times[which].append(await session.select("Partner countries", choice, TIMEOUT) * 1000)
                await asyncio.sleep(0.3)
    finally:
        for session in sessions:
            await session.close()
    return times


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples):,.1f} / {p95(samples):,.1f}" if samples else "–"


def _row(label: str, result: dict, alone_p95: float | None) -> str:
    times = result["times"]
    median = f"{statistics.median(times):,.0f}" if times else "–"
    worst = f"{p95(times):,.0f}" if times else "–"
    ratio = f"{p95(times) / alone_p95:.2f}" if times and alone_p95 else "–"
    rss = " / ".join(f"{mb:,.0f}" for mb in result["rss_mb"])
    cpu = " / ".join(f"{cores:.2f}" for cores in result["cpu"])
    balancer = f"{result['balancer_rss_mb']:,.0f}" if result["balancer_rss_mb"] is not None else "–"
    return (
        f"| {label} | {result['users']} | {SECONDS:.0f} | {len(times)} | {result['errors']} | {median} | {worst} "
        f"| {ratio} | {rss} | {cpu} | {balancer} | {result['client_cpu']:.2f} | {result['machine_cpu']:.2f} |"
    )


def run() -> str:
    """Every measurement; returns the Markdown section."""
    db = store_1000x()
    names = country_names(db)
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load_before = os.getloadavg()
    results: dict[tuple[int, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        with Stack(db, 1, Path(tmp)) as one:
            # The balancer's own cost, on the same worker: direct and through HAProxy, in turn.
            health = ([], [])
            for _ in range(OVERHEAD_SAMPLES // 50):
                health[0].extend(health_round_trips(one.worker_urls[0], 50))
                health[1].extend(health_round_trips(one.url, 50))
            interactions = asyncio.run(
                interaction_round_trips(one.worker_urls[0], one.url, names, OVERHEAD_INTERACTIONS)
            )
            print(f"health direct {_ms(health[0])}, through HAProxy {_ms(health[1])}", flush=True)
            print(f"interaction direct {_ms(interactions[0])}, through HAProxy {_ms(interactions[1])}", flush=True)
            for users in USERS:  # 1 worker reached directly, as make run serves
                results[(1, users)] = measure_crowd(one.worker_urls[0], names, users, one.worker_pids, [])
                print(_row("1 (direct)", results[(1, users)], None), flush=True)
        with Stack(db, 2, Path(tmp)) as two:
            for users in USERS:
                results[(2, users)] = measure_crowd(two.url, names, users, two.worker_pids, two.balancer_pids)
                print(_row("2 (HAProxy)", results[(2, users)], None), flush=True)
    rows = []
    for (workers, users), result in sorted(results.items()):
        one_p95 = p95(results[(1, users)]["times"]) if results[(1, users)]["times"] else None
        rows.append(_row("1 (direct)" if workers == 1 else "2 (HAProxy)", result, one_p95))
    goal = ""
    if (1, 20) in results and (2, 20) in results and results[(1, 20)]["times"] and results[(2, 20)]["times"]:
        ratio = p95(results[(2, 20)]["times"]) / p95(results[(1, 20)]["times"])
        met = ratio <= 0.5 and results[(2, 20)]["errors"] == 0
        goal = (
            f"Goal (issue 18): with 2 workers at 20 users, p95 at most half of 1 worker's, with no errors: "
            f"{ratio:.2f} of 1 worker's p95, {results[(2, 20)]['errors']} errors: **{'met' if met else 'not met'}**."
        )
    extra_health = statistics.median(health[1]) - statistics.median(health[0])
    extra_interaction = statistics.median(interactions[1]) - statistics.median(interactions[0])
    return "\n".join(
        [
            "### Many users behind `make serve`: 1 worker vs 2 workers behind HAProxy (protocol users)",
            "",
            f"Measured {started}; load average before the run {load_before[0]:.2f} (1 min), "
            f"{load_before[1]:.2f} (5 min) on {os.cpu_count()} cores. {RAMP:.0f} s of arrivals, then every user "
            f"timed together for {SECONDS:.0f} s; {STORE_SCALE:,}× store. Each user adds a random country (up to "
            "three), then resets, waiting 1 s after each finished run; times are from the input to the server's "
            "finished run (bench/st_client.py). 1 worker: one Streamlit process reached directly, as `make run` "
            "serves. 2 workers: `make serve` (HAProxy, sticky, least connections). Nothing is pinned: the "
            "workers, HAProxy and the users' process share the cores (the load test above pinned its one "
            "server to core 0). p95 ÷ 1 worker's compares with 1 worker at the same number of users.",
            "",
            "| workers | users | seconds timed | interactions | errors | median ms | p95 ms | p95 ÷ 1 worker's "
            "| peak RSS per worker, MB | CPU per worker, cores | HAProxy RSS, MB | users' process CPU, cores "
            "| machine CPU busy, cores |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            goal,
            "",
            "What HAProxy adds for one user (one worker, reached directly and through HAProxy in turn):",
            "",
            "| request | direct to the worker, median / p95 ms | through HAProxy, median / p95 ms "
            "| HAProxy's extra (medians), ms | samples per path |",
            "|---|---|---|---|---|",
            f"| GET /_stcore/health, a new connection each | {_ms(health[0])} | {_ms(health[1])} | {extra_health:+.2f} "
            f"| {len(health[0])} |",
            f"| interaction (websocket: input → finished run) | {_ms(interactions[0])} | {_ms(interactions[1])} "
            f"| {extra_interaction:+.1f} | {len(interactions[0])} |",
        ]
    )


if __name__ == "__main__":
    print(run())
