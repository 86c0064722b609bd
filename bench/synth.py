"""Synthetic JCM-like data at N × the real data's scale, for benchmarks only (never the real store).

Writes the five CSVs of the ``data/`` layout into an output folder (``bench/out/<N>x/`` by default):

    python bench/synth.py --scale 1000 [--out DIR]

Fixed seed, so the same scale always gives byte-identical files. Shape, per unit of scale: 157
projects and 1,000 issuance rows (so 1,000× has 157,000 projects and 1,000,000 issuances). Skew:
countries follow a Zipf law over 100 real ISO3 codes (the 31 JCM partners first), technologies
follow the real data's UNEP type mix, registrations grow year on year, project sizes are
log-normal, and each registered project has back-to-back monitoring periods (1, 3 or 6 months).
Every row's source_url says it is synthetic; targets.csv and aggregates.csv are copied from data/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from babel import Locale
from babel.core import get_global

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jcm_dash import paths  # noqa: E402
from jcm_dash.tables import ISSUANCES, PARTNER_COUNTRIES, PROJECTS  # noqa: E402

SEED = 20261123
PROJECTS_PER_SCALE = 157
ISSUANCES_PER_SCALE = 1_000
COUNTRIES = 100
SOURCE = "https://synthetic.invalid/jcm-dash-bench"
AS_OF = pd.Timestamp("2026-03-31")
STATUS_SHARES = {"registered": 0.60, "validation": 0.31, "withdrawn": 0.03, "planned": 0.06}


def _countries(real: pd.DataFrame) -> pd.DataFrame:
    """The 31 real partners, then real territories (by CLDR) up to COUNTRIES, each with a signing date."""
    names = Locale("en").territories
    aliases = get_global("territory_aliases")
    extra = sorted(
        (code, names[targets[0]])
        for code, targets in aliases.items()
        if len(code) == 3 and code.isalpha() and targets[0] in names and len(targets[0]) == 2
    )
    taken_codes, taken_names = set(real["iso3"]), set(real["country"])
    rows = real[["country", "iso3", "date_bilateral_document_signed"]].to_dict("records")
    for code, name in extra:
        if len(rows) >= COUNTRIES:
            break
        if code not in taken_codes and name not in taken_names:
            rows.append({"country": name, "iso3": code, "date_bilateral_document_signed": "2024-01-15"})
            taken_codes.add(code)
            taken_names.add(name)
    frame = pd.DataFrame(rows)
    frame["partner_order"] = range(1, len(frame) + 1)
    frame["source_url"] = SOURCE
    return frame.reindex(columns=PARTNER_COUNTRIES.column_names)


def generate(scale: int, out: Path) -> dict[str, int]:
    """Write the synthetic CSVs for ``scale`` into ``out``; return the row counts."""
    rng = np.random.default_rng(SEED + scale)
    real_partners = pd.read_csv(paths.DATA_DIR / "partner_countries.csv", dtype=str, keep_default_na=False)
    real_projects = pd.read_csv(paths.DATA_DIR / "projects.csv", dtype=str, keep_default_na=False)
    partners = _countries(real_partners)

    n_projects = PROJECTS_PER_SCALE * scale
    zipf = 1.0 / np.arange(1, len(partners) + 1) ** 1.1
    country_idx = rng.choice(len(partners), size=n_projects, p=zipf / zipf.sum())
    mix = real_projects.loc[real_projects["unep_type"] != "", ["unep_type", "unep_subtype"]]
    tech_idx = rng.integers(0, len(mix), size=n_projects)
    status = rng.choice(list(STATUS_SHARES), size=n_projects, p=list(STATUS_SHARES.values()))
    years = np.arange(2014, 2026)
    growth = 1.25 ** (years - years[0])
    reg_year = rng.choice(years, size=n_projects, p=growth / growth.sum())
    reg_date = pd.to_datetime(
        {"year": reg_year, "month": rng.integers(1, 13, n_projects), "day": rng.integers(1, 29, n_projects)}
    )
    expected = np.round(rng.lognormal(mean=7.0, sigma=1.3, size=n_projects))
    iso3 = partners["iso3"].to_numpy()[country_idx]
    refs = pd.Series(iso3).str[:2] + pd.Series(np.arange(n_projects)).map("{:07d}".format)
    registered = status == "registered"
    projects = pd.DataFrame(
        {
            "project_ref": refs,
            "country": partners["country"].to_numpy()[country_idx],
            "title": "Synthetic project " + refs,
            "status_code": status,
            "registration_date": np.where(registered, reg_date.dt.strftime("%Y-%m-%d"), ""),
            "unep_type": mix["unep_type"].to_numpy()[tech_idx],
            "unep_subtype": mix["unep_subtype"].to_numpy()[tech_idx],
            "expected_annual_reductions_tco2": expected.astype(int),
            "source_url": SOURCE,
        }
    ).reindex(columns=PROJECTS.column_names)

    # Monitoring periods: back to back from registration to the as-of date, thinned to the target count.
    reg = np.flatnonzero(registered)
    months = rng.choice([1, 3, 6], size=len(reg))
    start = reg_date.to_numpy()[reg]
    available = np.maximum(((AS_OF - pd.DatetimeIndex(start)).days.to_numpy() // 30) // months - 1, 0)
    keep = min(1.0, ISSUANCES_PER_SCALE * scale / max(int(available.sum()), 1))
    counts = rng.binomial(available, keep)
    owner = np.repeat(np.arange(len(reg)), counts)
    period = np.concatenate([np.arange(c) for c in counts]) if len(counts) else np.array([], dtype=int)
    first = pd.DatetimeIndex(start[owner]) + pd.to_timedelta(1, "D")
    begin = first + pd.to_timedelta(period * months[owner] * 30, "D")
    end = begin + pd.to_timedelta(months[owner] * 30 - 1, "D")
    decision = end + pd.to_timedelta(rng.integers(60, 300, len(owner)), "D")
    reported = decision + pd.to_timedelta(rng.integers(1, 10, len(owner)), "D")
    n_issuances = len(owner)
    credits = np.round(expected[reg][owner] * months[owner] / 12 * rng.lognormal(0.0, 0.35, n_issuances))
    unknown = rng.random(n_issuances) < 0.10
    japan_stated = ~unknown & (rng.random(n_issuances) < 0.4)
    japan = np.floor(credits * rng.uniform(0.3, 0.7, n_issuances))
    owner_refs = refs.to_numpy()[reg][owner]
    unnamed = rng.random(n_issuances) < 0.01
    issuances = pd.DataFrame(
        {
            "issuance_id": pd.Series(np.arange(n_issuances)).map("SYN-{:08d}".format),
            "country": projects["country"].to_numpy()[reg][owner],
            "project_refs": np.where(unnamed, "", owner_refs),
            "project_refs_basis": "stated",
            "decision_date": decision.strftime("%Y-%m-%d"),
            "reported_date": reported.strftime("%Y-%m-%d"),
            "monitoring_period_start": begin.strftime("%Y-%m-%d"),
            "monitoring_period_end": end.strftime("%Y-%m-%d"),
            "credits_issued_tco2": np.where(unknown, "", credits.astype(int).astype(str)),
            "japan_side_tco2": np.where(japan_stated, japan.astype(int).astype(str), ""),
            "partner_side_tco2": np.where(japan_stated, (credits - japan).astype(int).astype(str), ""),
            "source_url": SOURCE,
        }
    ).reindex(columns=ISSUANCES.column_names)

    out.mkdir(parents=True, exist_ok=True)
    partners.to_csv(out / "partner_countries.csv", index=False)
    projects.to_csv(out / "projects.csv", index=False)
    issuances.to_csv(out / "issuances.csv", index=False)
    # Published facts (targets, published totals, other Article 6 buyers) are copied as they are.
    (out / "article6").mkdir(exist_ok=True)
    for name in ("targets.csv", "aggregates.csv", "article6/agreements.csv", "article6/buyers.csv"):
        shutil.copyfile(paths.DATA_DIR / name, out / name)
    return {"partner_countries": len(partners), "projects": len(projects), "issuances": len(issuances)}


def main() -> None:
    """Command line: ``--scale N [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "out" / f"{args.scale}x"
    print(out, generate(args.scale, out))


if __name__ == "__main__":
    main()
