"""The JCM among Article 6 buyers: pure rules and pandas over the store's article6 tables (no I/O).

Two kinds of facts sit here (data/article6/, README "Article 6 context"):
- agreements: one bilateral Article 6 agreement or MoU per buyer and host (UNEP CCC Article 6
  Pipeline), counted by buyer, over time and by the host's region;
- buyer facts: stated plans, contracts, authorisations, transfers and issuances, each with its own
  unit and period *as stated*. They measure different things (one year's plan, a cumulative goal,
  money), so they are listed, never summed or drawn on one axis; the one like-for-like quantity is
  ITMOs actually transferred or issued, in tonnes (``itmo_tco2``).

Names are the data's English names; ``iso3_of`` gives the ISO 3166 code where the name is a country,
so pages show CLDR's name in the reader's language (``Translator.country``).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pandas as pd
from babel import Locale
from babel.core import get_global

from jcm_dash.i18n import EN, Translator
from jcm_dash.tables import A6_STATUSES

JAPAN_ISO3 = "JPN"
# Buyers with fewer agreements than this share one line on the over-time chart ("other buyers").
MIN_AGREEMENTS_FOR_OWN_LINE = 3

# Names the Article 6 files spell otherwise than CLDR's English ("South Korea", "Laos", "Vietnam",
# "Myanmar (Burma)", "Kyrgyzstan"): the official short forms UNEP and MOFA use.
NAME_ALIASES = {
    "Republic of Korea": "KOR",
    "Korea": "KOR",
    "Lao PDR": "LAO",
    "Viet Nam": "VNM",
    "Myanmar": "MMR",
    "Kyrgyz Republic": "KGZ",
}
# Withdrawn ISO 3166 alpha-3 codes that CLDR still maps to a current territory (BUR → MM beside MMR).
_WITHDRAWN_ISO3 = {"ANT", "BUR", "DDR", "FXX", "NTZ", "SCG", "SUN", "TMP", "YMD", "YUG", "ZAR"}


@functools.cache
def _iso3_by_english_name() -> dict[str, str]:
    """CLDR's English territory name → current ISO3 code (countries only, not regions like "Asia")."""
    iso3_by_iso2 = {
        targets[0]: code
        for code, targets in get_global("territory_aliases").items()
        if len(code) == 3 and code.isalpha() and code not in _WITHDRAWN_ISO3
    }
    names = Locale.parse("en").territories
    return {name: iso3_by_iso2[iso2] for iso2, name in names.items() if iso2 in iso3_by_iso2}


def iso3_of(name: str | None, known: dict[str, str] | None = None) -> str | None:
    """The ISO3 code of a country named in English, or None when ``name`` is not one country.

    ``known`` maps the store's own spellings (partner_countries: name → ISO3) and is read first; then
    ``NAME_ALIASES``, then CLDR's English names. "multiple (24 projects)" or "all hosts" stay None.
    """
    if not name:
        return None
    text = str(name).strip()
    if known and text in known:
        return known[text]
    return NAME_ALIASES.get(text) or _iso3_by_english_name().get(text)


# Assume: a buyer's fact is tonnes of ITMOs, comparable across buyers, only when it is a transfer or an
# issuance, its value is a plain number, and its unit counts ITMOs one by one ("ITMOs (1 ITMO = 1
# tCO2e)", "ITMOs (tCO2e)"). "million ITMOs", MtCO2e plans, cumulative deliveries, money and shares
# are other quantities and stay in the table only (tests/test_article6.py).
ITMO_METRICS = ("transferred", "issued")
_ITMO_UNIT = re.compile(r"^ITMOs?\b", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")


def numeric_value(value: str | None) -> float | None:
    """A stated value as a number when it is plain digits; "~100", "<= one third", "undisclosed" give None."""
    if value is None:
        return None
    text = str(value).strip()
    return float(text) if _PLAIN_NUMBER.fullmatch(text) else None


def itmo_tco2(metric: str | None, value: str | None, unit: str | None) -> float | None:
    """The fact's tonnes of ITMOs transferred or issued (1 ITMO = 1 t-CO2e), or None when it is another quantity."""
    number = numeric_value(value)
    if metric not in ITMO_METRICS or number is None or not unit:
        return None
    unit_text = str(unit).strip()
    if not _ITMO_UNIT.match(unit_text) or re.search(r"(?i)\b(million|mn|thousand|k)\b", unit_text):
        return None
    return number


def _date_text(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def by_buyer(agreements: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """``{buyer: {total, by_status, first_date, latest_date}}``, most agreements first (then by name).

    ``by_status`` has every status (0 when none); a date is None when no agreement of the buyer is dated.
    """
    result: dict[str, dict[str, Any]] = {}
    counts = agreements.groupby("buyer_country").size()
    order = sorted(counts.index, key=lambda buyer: (-int(counts[buyer]), buyer))
    for buyer in order:
        rows = agreements[agreements["buyer_country"] == buyer]
        statuses = rows["status"].value_counts()
        dates = pd.to_datetime(rows["date"]).dropna()
        result[buyer] = {
            "total": int(len(rows)),
            "by_status": {status: int(statuses.get(status, 0)) for status in A6_STATUSES},
            "first_date": _date_text(dates.min()) if len(dates) else None,
            "latest_date": _date_text(dates.max()) if len(dates) else None,
        }
    return result


def buyer_groups(agreements: pd.DataFrame, min_agreements: int = MIN_AGREEMENTS_FOR_OWN_LINE) -> pd.DataFrame:
    """One row per buyer: buyer, buyer_iso3, agreements, and group (its own name, or None for "other buyers")."""
    counts = (
        agreements.groupby(["buyer_country", "buyer_iso3"], dropna=False)
        .size()
        .rename("agreements")
        .reset_index()
        .rename(columns={"buyer_country": "buyer"})
        .sort_values(["agreements", "buyer"], ascending=[False, True])
        .reset_index(drop=True)
    )
    own = (counts["agreements"] >= min_agreements) | (counts["buyer_iso3"] == JAPAN_ISO3)
    counts["group"] = [buyer if mine else None for buyer, mine in zip(counts["buyer"], own, strict=True)]
    return counts


def cumulative_by_buyer(agreements: pd.DataFrame, min_agreements: int = MIN_AGREEMENTS_FOR_OWN_LINE) -> pd.DataFrame:
    """Agreements signed so far, per buyer, at each signing date (a step line per buyer).

    Buyers with fewer than ``min_agreements`` share one series (``buyer`` None: "other buyers");
    Japan always has its own. Undated agreements cannot be placed in time and are left out
    (``undated`` on the frame's ``attrs`` counts them).

    Returns:
        buyer (None for the other buyers), buyer_iso3, date, agreements (cumulative count), added
        (signed that day), in chart order: the largest buyers first, each by date.

    """
    groups = buyer_groups(agreements, min_agreements)
    group_of = dict(zip(groups["buyer"], groups["group"], strict=True))
    iso3_of_buyer = dict(zip(groups["buyer"], groups["buyer_iso3"], strict=True))
    dated = agreements[agreements["date"].notna()].assign(date=lambda f: pd.to_datetime(f["date"]))
    dated = dated.assign(group=[group_of[b] for b in dated["buyer_country"]])
    frames = []
    # pandas 3 stores a missing text as NaN, not None: test with notna, never "is None".
    order: list[str | None] = [g for g in dict.fromkeys(groups["group"]) if pd.notna(g)]
    if groups["group"].isna().any():
        order.append(None)
    for group in order:
        rows = dated[dated["group"].isna()] if group is None else dated[dated["group"] == group]
        per_day = rows.groupby("date").size().rename("added").reset_index().sort_values("date")
        per_day["agreements"] = per_day["added"].cumsum()
        per_day["buyer"] = group
        per_day["buyer_iso3"] = None if group is None else iso3_of_buyer[group]
        frames.append(per_day)
    columns = ["buyer", "buyer_iso3", "date", "agreements", "added"]
    result = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    result.attrs["undated"] = int(agreements["date"].isna().sum())
    result.attrs["other_buyers"] = groups.loc[groups["group"].isna(), "buyer"].tolist()
    return result


def buyer_by_region(agreements: pd.DataFrame) -> pd.DataFrame:
    """Agreements per buyer and host region: buyer, buyer_iso3, host_region, agreements (buyers by total)."""
    totals = agreements.groupby("buyer_country").size()
    table = (
        agreements.groupby(["buyer_country", "buyer_iso3", "host_region"], dropna=False)
        .size()
        .rename("agreements")
        .reset_index()
        .rename(columns={"buyer_country": "buyer"})
    )
    table["_total"] = table["buyer"].map(totals)
    return (
        table.sort_values(["_total", "buyer", "host_region"], ascending=[False, True, True])
        .drop(columns="_total")
        .reset_index(drop=True)
    )


def shared_hosts(agreements: pd.DataFrame) -> pd.DataFrame:
    """Hosts with agreements with more than one buyer: where Japan's partners also deal with others.

    Returns:
        host_country, host_iso3, host_region, buyers (tuple of (name, iso3) pairs, largest buyers
        first), n_buyers, with_japan; Japan's partners first, then by number of buyers and name.

    """
    size = agreements.groupby("buyer_country").size()
    rows = []
    for (host, host_iso3, region), deals in agreements.groupby(
        ["host_country", "host_iso3", "host_region"], dropna=False, sort=True
    ):
        buyers = sorted(
            zip(deals["buyer_country"], deals["buyer_iso3"], strict=True),
            key=lambda pair: (-int(size[pair[0]]), pair[0]),
        )
        if len(buyers) < 2:
            continue
        rows.append(
            {
                "host_country": host,
                "host_iso3": None if pd.isna(host_iso3) else host_iso3,
                "host_region": region,
                "buyers": tuple((name, None if pd.isna(code) else code) for name, code in buyers),
                "n_buyers": len(buyers),
                "with_japan": any(code == JAPAN_ISO3 for _, code in buyers),
            }
        )
    columns = ["host_country", "host_iso3", "host_region", "buyers", "n_buyers", "with_japan"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    return table.sort_values(["with_japan", "n_buyers", "host_country"], ascending=[False, False, True]).reset_index(
        drop=True
    )


def itmo_transfers(facts: pd.DataFrame) -> pd.DataFrame:
    """The buyer facts that are ITMO tonnes transferred or issued (``itmo_tco2`` set), in file order."""
    return facts[facts["itmo_tco2"].notna()].reset_index(drop=True)


def first_itmo_issuance(published: pd.DataFrame) -> dict[str, Any] | None:
    """The JCM's first ITMO issuance as published (aggregates.csv ``first_itmo_issuance``), or None when not known.

    Returns ``date`` (as published), ``note`` and ``source_url`` of the earliest such figure.
    """
    rows = published[published["metric"] == "first_itmo_issuance"]
    if rows.empty:
        return None
    rows = rows.assign(_day=pd.to_datetime(rows["as_of_day"])).sort_values("_day", na_position="last")
    row = rows.iloc[0]
    return {
        "date": row["as_of_date"] if pd.notna(row["as_of_date"]) else None,
        "note": row["scope_note"] if pd.notna(row["scope_note"]) else None,
        "source_url": row["source_url"],
    }


def short_period(stated: Any) -> str:
    """A period as stated, cut to its first date for a label: "credited 2023-12-15 (announced ...)" → 2023-12-15.

    Text with no date in it ("as reported ~Q4 2025") is cut to 24 characters; the whole text stays in
    the tables and hovers.
    """
    text = str(stated)
    day = re.search(r"\d{4}(-\d{2}(-\d{2})?)?", text)
    return day.group(0) if day else (text if len(text) <= 24 else text[:23] + "…")


def is_link(source: Any) -> bool:
    """Whether a stored source is a web link (else it is a source's name, shown as text)."""
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def place_name(text: Any, t: Translator = EN, iso3: Any = None) -> str:
    """A buyer or host as the reader reads it: CLDR's name in ``t``'s language where it is a country.

    ``iso3`` is the stored code when there is one. A ``;``-separated list of countries ("Ghana; Peru;
    Paraguay") is named country by country; any other text ("multiple (24 projects)") stays as stated.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return t("unit.unknown")
    if isinstance(iso3, str) and iso3:
        return t.country(iso3, str(text))
    parts = [part.strip() for part in str(text).split(";")]
    codes = [iso3_of(part) for part in parts]
    if all(codes):
        return t("filters.list_separator").join(t.country(c, p) for c, p in zip(codes, parts, strict=True))
    return str(text)
