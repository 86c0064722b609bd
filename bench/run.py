"""Run every benchmark and write bench/RESULTS.md (``make bench``; about 20 minutes).

``python bench/run.py [scale|browser|serve|briefing ...]`` re-runs only the named sections
(``make bench-serve`` is ``python bench/run.py serve``).

The tables of the sections run are regenerated; every other section is kept as RESULTS.md has it
(between its ``<!-- section:NAME -->`` markers), and so is the text after the ``<!-- analysis -->``
marker (what the numbers mean, profiles, what was not reached).
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_browser, bench_scale, bench_serve  # noqa: E402
from jcm_dash import briefing, paths, store  # noqa: E402
from jcm_dash.queries import Filters  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
MARKER = "<!-- analysis -->"


def machine(ran: list[str] | None = None, earlier: str = "") -> str:
    """CPU, cores, memory, OS and the versions that matter.

    ``ran``: the sections measured now when not all of them; ``earlier``: the date the others had.
    """
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    packages = ", ".join(f"{name} {version(name)}" for name in ("streamlit", "duckdb", "pandas", "plotly", "kaleido"))
    return (
        f"- Machine: {cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GB RAM; {platform.platform()}\n"
        f"- Python {platform.python_version()}; {packages}; Chromium /usr/bin/chromium\n"
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}"
        + (f" (measured now: {', '.join(ran)}; the other sections as measured before: {earlier})" if ran else "")
    )


def briefing_times(repeats: int = 3) -> str:
    """Wall time of a whole briefing pack (figures, 5 charts × PNG + SVG, PPTX, PDF) at 1×."""
    db = ROOT / "bench" / "out" / "bench_1x.duckdb"
    if not db.exists():
        store.build(paths.DATA_DIR, db)
    con = store.connect_read_only(db)
    rows = []
    try:
        for lang in ("en", "ja"):
            samples = []
            for _ in range(repeats):
                start = time.perf_counter()
                briefing.build(con, Filters(), lang=lang)
                samples.append(time.perf_counter() - start)
            rows.append(
                f"| {lang} | {statistics.median(samples):.1f} | {min(samples):.1f}–{max(samples):.1f} | {repeats} |"
            )
    finally:
        con.close()
    return "\n".join(
        [
            "### Briefing pack (1× real data, whole JCM): 12 files",
            "",
            "| language | seconds, median | min–max | runs |",
            "|---|---|---|---|",
            *rows,
        ]
    )


SECTIONS = {
    "scale": lambda: bench_scale.run((1, 100, 1000)),
    "browser": lambda: bench_browser.run(
        [
            (ROOT / "bench" / "out" / "bench_1x.duckdb", "1×", False),
            (ROOT / "bench" / "out" / "bench_1000x.duckdb", "1000×", True),
        ]
    ),
    "serve": bench_serve.run,
    "briefing": briefing_times,
}


def section_marks(name: str) -> tuple[str, str]:
    """The comments that enclose section ``name`` in RESULTS.md."""
    return f"<!-- section:{name} -->", f"<!-- /section:{name} -->"


def kept_sections() -> dict[str, str]:
    """Each section's text as RESULTS.md has it now, by name."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = {}
    for name in SECTIONS:
        start, end = section_marks(name)
        if start in text and end in text:
            kept[name] = text.split(start, 1)[1].split(end, 1)[0].strip("\n")
    return kept


def _earlier_date() -> str:
    """The date line RESULTS.md has now (its first date, when it already mixes two runs)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    found = re.search(r"^- Date: (.*)$", text, re.MULTILINE)
    if not found:
        return "unknown"
    date = found.group(1)
    return date.split("as measured before: ", 1)[1].rstrip(")") if "as measured before: " in date else date


def main(names: list[str]) -> None:
    """Run the named sections (all when none) and write RESULTS.md.

    A section not run now keeps its text from RESULTS.md, else from bench/out/section_<name>.md
    (each run keeps its tables there), so one section can be re-run alone on any checkout.
    """
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    ran = names or list(SECTIONS)
    for name in ran:
        (out / f"section_{name}.md").write_text(SECTIONS[name](), encoding="utf-8")
    kept = kept_sections()
    parts = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/run.py`). Times are milliseconds unless stated; median (min–max) of the "
        "runs shown. Synthetic data comes from `bench/synth.py` (fixed seed) and never enters the real store.",
        "",
        machine(names or None, _earlier_date()),
    ]
    for name in SECTIONS:
        section = out / f"section_{name}.md"
        if name in ran or name not in kept:
            text = section.read_text(encoding="utf-8").strip("\n") if section.exists() else ""
        else:
            text = kept[name]
        if text:
            start, end = section_marks(name)
            parts += ["", start, text, end]
    analysis = ""
    if RESULTS.exists() and MARKER in RESULTS.read_text(encoding="utf-8"):
        analysis = RESULTS.read_text(encoding="utf-8").split(MARKER, 1)[1]
    RESULTS.write_text("\n".join(parts) + f"\n\n{MARKER}{analysis or chr(10)}", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
