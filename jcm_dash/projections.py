"""Projections of cumulative JCM credits to FY2030, FY2040 and beyond: pure functions, no I/O.

Four methods, each projecting from what was known at a date (the projections page prints the same):

- ``published_realized``: the latest published cumulative total, plus the registered projects'
  expected reductions turned into credits after the issuance lag and at the conversion the
  published total shows (credits published ÷ expected reductions accrued up to one lag earlier).
- ``itemized_realized``: the same from the credits itemized in this data (a lower bound: the
  itemized issuances hold only part of what was issued).
- ``trend``: no model: cumulative issuance continues at its average over the last complete FYs.
- ``potential``: every expected tonne becomes credits at once, at the issuance-success ratio
  measured on the monitoring periods that were issued (the model before the backtest; an upper end).

Registered projects accrue expected reductions from their registration date (monitoring often
starts then or earlier: MN004's first period began before it was registered); the potential keeps
the ex-ante convention of every full FY after the registration FY, as the overview's expected line
does. Projects in validation register at the pipeline conversion after the pipeline delay and new
projects register every FY; both deliver from the FY after they register, in every method.

jcm_dash.backtest runs every method as of earlier dates and scores it against what was issued
later; the central case is the best-scoring method and the band spans the alternatives.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from jcm_dash.i18n import EN, Translator
from jcm_dash.metrics import weights

# The last FY searched for "the FY a target is reached"; beyond it the answer is "not by FY2100".
SEARCH_LIMIT_FY = 2100
DAYS_PER_YEAR = 365.25

PUBLISHED_REALIZED = "published_realized"
ITEMIZED_REALIZED = "itemized_realized"
TREND = "trend"
POTENTIAL = "potential"
METHODS = (PUBLISHED_REALIZED, ITEMIZED_REALIZED, TREND, POTENTIAL)
REALIZED_METHODS = (PUBLISHED_REALIZED, ITEMIZED_REALIZED)
# The band spans these (and the central case): the model's defensible variants. The trend is the
# no-model baseline, shown beside them.
BAND_METHODS = (PUBLISHED_REALIZED, ITEMIZED_REALIZED, POTENTIAL)
DEFAULT_TREND_YEARS = 5


# --- Scenario inputs: one registry for the command line, the page and the URL ---------------------


class ScenarioValueError(ValueError):
    """A scenario value that cannot be used: ``reason`` is ``not_number``, ``outside`` or ``not_choice``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ScenarioInput:
    """One scenario input: its Scenario field, URL parameter, command-line option and bounds.

    The page's label and help are the catalogue's ``scenario.<name>`` and ``scenario.<name>_help``.
    """

    name: str
    param: str
    option: str
    kind: str  # "float", "int" or "choice"
    help: str
    minimum: float = 0.0
    maximum: float = 0.0
    step: float = 1.0
    choices: tuple[str, ...] = ()

    def parse(self, text: str) -> Any:
        """The value ``text`` stands for; ScenarioValueError when it is not usable (never another error).

        Numbers must be finite and inside the bounds (so ``inf``, ``nan`` and ``1e400`` are refused
        before an int conversion could overflow); an int input takes whole numbers only.
        """
        text = str(text).strip()
        if self.kind == "choice":
            if text not in self.choices:
                raise ScenarioValueError("not_choice", f"{text!r} is not one of: {', '.join(self.choices)}")
            return text
        try:
            value = float(text)
        except ValueError:
            raise ScenarioValueError("not_number", f"{text!r} is not a number") from None
        if not math.isfinite(value) or not self.minimum <= value <= self.maximum:
            raise ScenarioValueError("outside", f"{text} is outside {self.bounds()}")
        if self.kind == "int":
            if not value.is_integer():
                raise ScenarioValueError("not_number", f"{text!r} is not a whole number")
            return int(value)
        return value

    def bounds(self) -> str:
        """The allowed range as text: ``0–5``."""
        return f"{self.minimum:g}–{self.maximum:g}"

    def url_text(self, value: Any) -> str:
        """The value as the URL and the command line carry it."""
        return f"{value:g}" if isinstance(value, float) else str(value)


SCENARIO_INPUTS: tuple[ScenarioInput, ...] = (
    ScenarioInput(
        "method", "method", "--method", "choice", "the central method (default: the best backtest)", choices=METHODS
    ),
    ScenarioInput(
        "realized_conversion",
        "realized",
        "--realized-conversion",
        "float",
        "credits per tonne of expected reductions, after the lag, for a realized central method (default: measured)",
        0.0,
        5.0,
        0.05,
    ),
    ScenarioInput(
        "issuance_lag_years",
        "lag",
        "--issuance-lag",
        "float",
        "years from a monitoring period's end to the issuance decision (default: measured median)",
        0.0,
        20.0,
        0.25,
    ),
    ScenarioInput(
        "success_ratio",
        "success_ratio",
        "--success-ratio",
        "float",
        "credits issued per tonne of expected reductions for the potential (default: measured)",
        0.0,
        5.0,
        0.05,
    ),
    ScenarioInput(
        "pipeline_conversion",
        "conversion",
        "--pipeline-conversion",
        "float",
        "share of projects in validation that register",
        0.0,
        1.0,
        0.05,
    ),
    ScenarioInput(
        "pipeline_delay_years",
        "delay",
        "--pipeline-delay",
        "int",
        "years until pipeline projects register",
        0,
        30,
        1,
    ),
    ScenarioInput(
        "new_projects_per_year",
        "new_per_year",
        "--new-projects-per-year",
        "float",
        "new projects registered each FY",
        0.0,
        10_000.0,
        1.0,
    ),
    ScenarioInput(
        "new_project_size_tco2",
        "new_size",
        "--new-project-size",
        "float",
        "expected t-CO2e/yr of each new project",
        0.0,
        100_000_000.0,
        100.0,
    ),
    ScenarioInput(
        "crediting_years",
        "crediting_years",
        "--crediting-years",
        "int",
        "years a project is credited after registration (default: no end)",
        1,
        100,
        1,
    ),
    ScenarioInput(
        "trend_years",
        "trend_years",
        "--trend-years",
        "int",
        "complete FYs the trend averages (default: 5)",
        1,
        20,
        1,
    ),
)
SCENARIO_INPUTS_BY_NAME = {i.name: i for i in SCENARIO_INPUTS}


@dataclass(frozen=True)
class Scenario:
    """The scenario inputs used; every value also travels in the URL and on the command line.

    ``realized_conversion`` is the rate the central method applies when it is a realized method
    (None otherwise).
    """

    method: str
    realized_conversion: float | None
    issuance_lag_years: float
    success_ratio: float
    pipeline_conversion: float
    pipeline_delay_years: int
    new_projects_per_year: float
    new_project_size_tco2: float
    crediting_years: int | None
    trend_years: int = DEFAULT_TREND_YEARS

    def as_dict(self) -> dict[str, Any]:
        """The inputs as a plain dict (for JSON)."""
        return asdict(self)


# --- Measurements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuccessRatio:
    """Credits issued ÷ expected reductions over the monitoring periods that were issued."""

    central: float
    low: float
    high: float
    issuances: int
    projects: int
    issued_tco2: float
    expected_tco2: float


def success_ratio(inputs: dict[str, Any]) -> SuccessRatio | None:
    """The ratio from totals and quartiles (``queries.success_ratio_inputs``).

    Central is pooled (sum issued ÷ sum expected); the band is the per-issuance quartiles, widened
    to include the central value. None when no period could be measured.
    """
    if not inputs["issuances"]:
        return None
    central = float(inputs["issued_tco2"]) / float(inputs["expected_tco2"])
    return SuccessRatio(
        central=central,
        low=min(central, float(inputs["q25"])),
        high=max(central, float(inputs["q75"])),
        issuances=int(inputs["issuances"]),
        projects=int(inputs["projects"]),
        issued_tco2=float(inputs["issued_tco2"]),
        expected_tco2=float(inputs["expected_tco2"]),
    )


def pooled_success_ratio(periods: pd.DataFrame, as_of: Any = None) -> float | None:
    """Sum issued ÷ sum expected over the issued periods decided on or before ``as_of`` (all when None).

    ``periods`` has ``event_date``, ``issued_tco2`` and ``expected_tco2`` (expected reductions over
    the period); None when no period is known by then.
    """
    known = periods if as_of is None else periods[pd.to_datetime(periods["event_date"]) <= pd.Timestamp(as_of)]
    expected = float(known["expected_tco2"].sum())
    return float(known["issued_tco2"].sum()) / expected if expected > 0 else None


def fiscal_time(day: Any) -> float:
    """A date on a continuous FY axis, at the end of that day: FY N runs from N to N+1.

    >>> fiscal_time("2019-03-31"), round(fiscal_time("2024-10-31"), 4)
    (2019.0, 2024.5863)
    """
    stamp = pd.Timestamp(day)
    fy = stamp.year if stamp.month >= 4 else stamp.year - 1
    start, end = pd.Timestamp(fy, 4, 1), pd.Timestamp(fy + 1, 4, 1)
    return fy + ((stamp.normalize() - start).days + 1) / (end - start).days


def fiscal_times(days: pd.Series) -> np.ndarray:
    """fiscal_time of every date in ``days`` (NaN for a missing date), vectorised."""
    stamps = pd.to_datetime(pd.Series(days).reset_index(drop=True)).to_numpy(dtype="datetime64[D]")
    valid = ~np.isnat(stamps)
    result = np.full(len(stamps), np.nan)
    if valid.any():
        day = stamps[valid]
        months = day.astype("datetime64[M]")
        year = months.astype("datetime64[Y]").astype(int) + 1970
        fy = np.where((months - months.astype("datetime64[Y]")).astype(int) >= 3, year, year - 1)
        start = (fy - 1970).astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(3, "M")
        start = start.astype("datetime64[D]")
        end = (fy + 1 - 1970).astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(3, "M")
        length = (end.astype("datetime64[D]") - start).astype(int)
        result[valid] = fy + ((day - start).astype(int) + 1) / length
    return result


def fiscal_years(days: pd.Series) -> np.ndarray:
    """The FY of every date in ``days`` (vectorised; dates must not be missing)."""
    return np.floor(fiscal_times(days) - 1e-9).astype(int)


@dataclass(frozen=True)
class IssuanceLag:
    """The median time from a monitoring period's end to its issuance decision, and its sample."""

    years: float
    issuances: int
    min_years: float
    max_years: float


def measure_lag(samples: pd.DataFrame, as_of: Any = None) -> IssuanceLag | None:
    """The issuance lag over the issuances decided on or before ``as_of`` (all when None).

    Args:
        samples: ``event_date`` (decision, else reported date), ``lag_days`` (event date − end of
            the monitoring period) and optionally ``n`` (issuances with that pair).
        as_of: the cut-off; later decisions are not known then.

    Returns:
        The median over issuances (each counts once, whatever its amount: many decisions state no
        amount), or None when no issuance states both dates.

    """
    known = samples.dropna(subset=["event_date", "lag_days"])
    if as_of is not None:
        known = known[pd.to_datetime(known["event_date"]) <= pd.Timestamp(as_of)]
    if known.empty:
        return None
    years = np.repeat(known["lag_days"].to_numpy(dtype=float) / DAYS_PER_YEAR, weights(known).to_numpy())
    return IssuanceLag(
        years=float(np.median(years)),
        issuances=len(years),
        min_years=float(years.min()),
        max_years=float(years.max()),
    )


# --- Accrual of expected reductions ---------------------------------------------------------------


def accrued(cohorts: pd.DataFrame, times: Any, crediting_years: int | None) -> np.ndarray:
    """Expected reductions accrued by each of ``times`` (FY axis, fiscal_time).

    ``cohorts`` has ``start`` (when accrual begins, FY axis) and ``annual_tco2``; each accrues at its
    annual rate from its start, for ``crediting_years`` years (no end when None).
    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if cohorts.empty:
        return np.zeros(len(t))
    starts, annual = cohorts["start"].to_numpy(dtype=float), cohorts["annual_tco2"].to_numpy(dtype=float)
    years = np.clip(t[:, None] - starts[None, :], 0.0, np.inf if crediting_years is None else crediting_years)
    return years @ annual


def registered_cohorts(registered: pd.DataFrame, convention: str) -> pd.DataFrame:
    """Accrual cohorts of registered projects.

    Args:
        registered: ``expected_annual_reductions_tco2`` with ``registration_date`` (``realized``) or
            ``event_fy`` (``potential``); aggregated rows are fine.
        convention: ``realized`` accrues from the registration date; ``potential`` from the start of
            the FY after the registration FY (the ex-ante convention of the overview's expected line).

    """
    annual = registered["expected_annual_reductions_tco2"]
    if convention == "realized":
        if "registration_time" in registered.columns:  # precomputed (backtest.History)
            start = registered["registration_time"].to_numpy(dtype=float)
        else:
            start = fiscal_times(registered["registration_date"])
    else:
        start = registered["event_fy"].to_numpy(dtype=float) + 1
    cohorts = pd.DataFrame({"start": start, "annual_tco2": annual.to_numpy(dtype=float)})
    return cohorts.dropna().reset_index(drop=True)


def future_cohorts(pipeline_tco2: float, scenario: Scenario, first_fy: int, last_fy: int) -> pd.DataFrame:
    """Accrual cohorts of the pipeline and of new projects, from ``first_fy`` (the first projected FY).

    Pipeline projects register in FY ``first_fy - 1 + delay`` and deliver from the FY after; one
    cohort of new projects registers every FY from ``first_fy`` on and delivers from the next FY.
    ``source`` says which (``pipeline`` or ``new``).
    """
    rows = [("pipeline", first_fy + scenario.pipeline_delay_years, pipeline_tco2 * scenario.pipeline_conversion)]
    cohort = scenario.new_projects_per_year * scenario.new_project_size_tco2
    rows += [("new", fy + 1, cohort) for fy in range(first_fy, last_fy + 1)]
    frame = pd.DataFrame(rows, columns=["source", "start", "annual_tco2"]).astype(
        {"start": float, "annual_tco2": float}
    )
    return frame[frame["annual_tco2"] > 0].reset_index(drop=True)


def expected_by_fy(
    registered: pd.DataFrame,
    pipeline_tco2: float,
    scenario: Scenario,
    first_fy: int,
    last_fy: int,
) -> pd.DataFrame:
    """Expected reductions (before any ratio) per FY from the three sources, potential convention.

    Args:
        registered: registered projects: ``event_fy`` (registration FY), ``expected_annual_reductions_tco2``.
        pipeline_tco2: the summed expected annual reductions of projects in validation.
        scenario: the inputs.
        first_fy: the first projected FY (the FY after the data's as-of FY).
        last_fy: the last projected FY.

    """
    fys = np.arange(first_fy, last_fy + 1)
    edges = np.arange(first_fy, last_fy + 2, dtype=float)
    future = future_cohorts(pipeline_tco2, scenario, first_fy, last_fy)

    def per_fy(cohorts: pd.DataFrame) -> np.ndarray:
        return np.diff(accrued(cohorts, edges, scenario.crediting_years))

    return pd.DataFrame(
        {
            "fiscal_year": fys,
            "registered_tco2": per_fy(registered_cohorts(registered, "potential")),
            "pipeline_tco2": per_fy(future[future["source"] == "pipeline"]),
            "new_tco2": per_fy(future[future["source"] == "new"]),
        }
    )


# --- Realized conversion --------------------------------------------------------------------------


@dataclass(frozen=True)
class RealizedConversion:
    """What share of registered projects' expected reductions had become issued credits by a date.

    ``to_date`` = issued ÷ expected reductions accrued up to that date (the plain share);
    ``after_lag`` = issued ÷ expected reductions accrued up to one lag earlier: the rate at which
    reductions become credits once the lag has passed, which the realized methods apply.
    """

    source: str  # "itemized" or "published"
    scope: str  # "selection" (measured on the selection's own figures) or "jcm" (the whole JCM's)
    measured_at: pd.Timestamp
    issued_tco2: float
    accrued_tco2: float
    accrued_before_lag_tco2: float
    lag_years: float
    source_url: str | None = None

    @property
    def to_date(self) -> float | None:
        """Issued ÷ accrued up to the date (None when nothing had accrued)."""
        return self.issued_tco2 / self.accrued_tco2 if self.accrued_tco2 > 0 else None

    @property
    def after_lag(self) -> float | None:
        """Issued ÷ accrued up to one lag before the date (None when nothing had accrued then)."""
        return self.issued_tco2 / self.accrued_before_lag_tco2 if self.accrued_before_lag_tco2 > 0 else None


def measure_realized(
    source: str,
    issued_tco2: float,
    measured_at: Any,
    cohorts: pd.DataFrame,
    lag_years: float,
    scope: str = "selection",
    source_url: str | None = None,
) -> RealizedConversion:
    """The realized conversion of ``issued_tco2`` credits known at ``measured_at``.

    ``cohorts`` are the realized-convention cohorts of the projects registered by then.
    """
    t = fiscal_time(measured_at)
    to_date, before_lag = accrued(cohorts, [t, t - lag_years], None)
    return RealizedConversion(
        source=source,
        scope=scope,
        measured_at=pd.Timestamp(measured_at),
        issued_tco2=float(issued_tco2),
        accrued_tco2=float(to_date),
        accrued_before_lag_tco2=float(before_lag),
        lag_years=float(lag_years),
        source_url=source_url,
    )


# --- What a method is measured on, and the methods themselves --------------------------------------


@dataclass(frozen=True)
class Published:
    """A published cumulative total: its value, date and source."""

    tco2: float
    day: pd.Timestamp
    source_url: str | None = None


@dataclass(frozen=True)
class Evidence:
    """What was known at ``as_of`` about one scope: the inputs every method is measured on.

    Attributes:
        as_of: the cut-off (the end of that day); nothing dated later is in here.
        issued_tco2: credits itemized in the scope and known by then (the itemized methods' base).
        issued_by_fy: itemized credits per FY (dated issuances), for the trend.
        registered: the scope's projects registered by then: ``registration_date``, ``event_fy``,
            ``expected_annual_reductions_tco2`` (rows or groups).
        published: the scope's latest published cumulative total dated by then, if any.
        lag: the issuance lag measured on the whole JCM by then.
        success_ratio: the pooled issuance-success ratio measured on the whole JCM by then.
        jcm: the whole JCM's evidence at the same date, for a rate the scope cannot measure itself
            (None when the scope is the whole JCM).

    """

    as_of: pd.Timestamp
    issued_tco2: float
    issued_by_fy: pd.Series
    registered: pd.DataFrame
    published: Published | None
    lag: IssuanceLag | None
    success_ratio: float | None
    jcm: Evidence | None = None

    @property
    def time(self) -> float:
        """``as_of`` on the FY axis."""
        return fiscal_time(self.as_of)


@dataclass(frozen=True)
class Calibration:
    """The measured inputs of the methods: the lag used and each realized conversion."""

    lag_years: float
    itemized: RealizedConversion | None
    published: RealizedConversion | None
    published_base: Published | None  # where the published-realized method starts
    trend_pace_tco2: float
    trend_fys: tuple[int, int]
    notes: dict[str, Any] = field(default_factory=dict)


def _itemized_conversion(evidence: Evidence, lag_years: float) -> RealizedConversion | None:
    cohorts = registered_cohorts(evidence.registered, "realized")
    measured = measure_realized("itemized", evidence.issued_tco2, evidence.as_of, cohorts, lag_years)
    if evidence.issued_tco2 > 0 and measured.after_lag is not None:
        return measured
    if evidence.jcm is not None:  # nothing itemized in the scope yet: the whole JCM's rate
        jcm = _itemized_conversion(evidence.jcm, lag_years)
        return None if jcm is None else replace(jcm, scope="jcm")
    return None


def _published_conversion(evidence: Evidence, lag_years: float) -> RealizedConversion | None:
    if evidence.published is not None:
        measured = measure_realized(
            "published",
            evidence.published.tco2,
            evidence.published.day,
            registered_cohorts(evidence.registered, "realized"),
            lag_years,
            source_url=evidence.published.source_url,
        )
        if measured.after_lag is not None:
            return measured
    if evidence.jcm is not None:  # no published total for the scope: the whole JCM's rate
        jcm = _published_conversion(evidence.jcm, lag_years)
        return None if jcm is None else replace(jcm, scope="jcm")
    return None


def trend_pace(issued_by_fy: pd.Series, as_of_time: float, years: int) -> tuple[float, tuple[int, int]]:
    """Average itemized credits a year over the ``years`` complete FYs before ``as_of_time``.

    Returns the pace and the FYs averaged (first, last).
    """
    last = math.floor(as_of_time + 1e-9) - 1
    first = last - years + 1
    fys = issued_by_fy.index.astype(int)
    window = issued_by_fy[(fys >= first) & (fys <= last)]
    return float(window.fillna(0).sum()) / years, (first, last)


def calibrate(
    evidence: Evidence, lag_years: float | None = None, trend_years: int = DEFAULT_TREND_YEARS
) -> Calibration:
    """Measure every method's inputs on ``evidence``; ``lag_years`` replaces the measured lag."""
    if lag_years is None:
        lag_years = evidence.lag.years if evidence.lag is not None else 0.0
    published = _published_conversion(evidence, lag_years)
    base = None
    if published is not None:
        if published.scope == "selection":
            base = evidence.published
        else:  # the JCM's rate from the selection's own itemized credits
            base = Published(evidence.issued_tco2, evidence.as_of)
    pace, fys = trend_pace(evidence.issued_by_fy, evidence.time, trend_years)
    return Calibration(
        lag_years=float(lag_years),
        itemized=_itemized_conversion(evidence, lag_years),
        published=published,
        published_base=base,
        trend_pace_tco2=pace,
        trend_fys=fys,
    )


def method_curves(
    evidence: Evidence,
    calibration: Calibration,
    scenario: Scenario,
    future: pd.DataFrame,
    times: Any,
) -> dict[str, np.ndarray]:
    """Cumulative credits each available method projects at ``times`` (FY axis, after ``evidence.as_of``).

    Args:
        evidence: what is known at the start.
        calibration: ``calibrate(evidence)``.
        scenario: the inputs (its lag must be the calibration's; its realized_conversion, when set,
            replaces the measured rate of the central method if that is a realized one).
        future: ``future_cohorts`` (pipeline and new projects).
        times: where to evaluate the curves.

    A method whose inputs cannot be measured (no published total anywhere, nothing accrued) is left out.

    """
    t = np.atleast_1d(np.asarray(times, dtype=float))
    now = evidence.time
    lag = calibration.lag_years
    crediting = scenario.crediting_years
    future = future[["start", "annual_tco2"]]
    realized = pd.concat([registered_cohorts(evidence.registered, "realized"), future], ignore_index=True)
    curves: dict[str, np.ndarray] = {}
    for method, conversion in ((PUBLISHED_REALIZED, calibration.published), (ITEMIZED_REALIZED, calibration.itemized)):
        if conversion is None or conversion.after_lag is None:
            continue
        rate = conversion.after_lag
        if scenario.method == method and scenario.realized_conversion is not None:
            rate = scenario.realized_conversion
        if method == PUBLISHED_REALIZED:
            base_tco2, base_time = calibration.published_base.tco2, fiscal_time(calibration.published_base.day)
        else:
            base_tco2, base_time = evidence.issued_tco2, now
        start = accrued(realized, [base_time - lag], crediting)[0]
        curves[method] = base_tco2 + rate * (accrued(realized, t - lag, crediting) - start)
    curves[TREND] = evidence.issued_tco2 + calibration.trend_pace_tco2 * np.clip(t - now, 0.0, None)
    potential = pd.concat([registered_cohorts(evidence.registered, "potential"), future], ignore_index=True)
    start = accrued(potential, [now], crediting)[0]
    curves[POTENTIAL] = evidence.issued_tco2 + scenario.success_ratio * (accrued(potential, t, crediting) - start)
    return curves


def project(curves: dict[str, np.ndarray], as_of_fy: int, last_fy: int, central: str) -> pd.DataFrame:
    """Per projected FY: each method's annual and cumulative credits, the central case and the band.

    Args:
        curves: ``method_curves`` evaluated at the ends of FYs ``as_of_fy`` … ``last_fy``
            (times ``as_of_fy + 1`` … ``last_fy + 1``).
        as_of_fy: the data's as-of FY (its end is the first point; it is not a projected row).
        last_fy: the last projected FY.
        central: the central method (must be in ``curves``).

    Returns:
        One row per FY from ``as_of_fy + 1``: ``annual_<m>_tco2`` / ``cumulative_<m>_tco2`` for each
        method, ``central``, ``low`` and ``high`` (the band: the lowest and highest of the band
        methods and the central case in that FY).

    """
    fys = np.arange(as_of_fy + 1, last_fy + 1)
    result = pd.DataFrame({"fiscal_year": fys})
    for name, values in _lines(curves, central).items():
        result[f"annual_{name}_tco2"] = np.diff(values)[: len(fys)]
        result[f"cumulative_{name}_tco2"] = values[1 : len(fys) + 1]
    return result


def _lines(curves: dict[str, np.ndarray], central: str) -> dict[str, np.ndarray]:
    """Every method's curve, the central one and the band (lowest and highest of the band methods and central)."""
    band = [m for m in BAND_METHODS if m in curves] + [central]
    stacked = np.vstack([np.asarray(curves[m], dtype=float) for m in band])
    return {
        **{m: np.asarray(values, dtype=float) for m, values in curves.items()},
        "central": np.asarray(curves[central], dtype=float),
        "low": stacked.min(axis=0),
        "high": stacked.max(axis=0),
    }


def starting_points(curves: dict[str, np.ndarray], central: str) -> dict[str, float]:
    """Each line's value at the first time of ``curves`` (the end of the as-of FY, for project's input)."""
    return {name: float(values[0]) for name, values in _lines(curves, central).items()}


def published_pace(published: pd.DataFrame) -> dict[str, Any] | None:
    """Average credits a year between the latest published total and the latest one a year or more older.

    ``published`` has ``as_of_day`` and ``value_numeric`` (one scope's cumulative totals). Returns
    the pace with both totals and dates, or None when there is no such pair.
    """
    rows = published.dropna(subset=["as_of_day", "value_numeric"])
    rows = rows.assign(day=pd.to_datetime(rows["as_of_day"])).sort_values("day", kind="stable")
    if len(rows) < 2:
        return None
    latest = rows.iloc[-1]
    earlier = rows[rows["day"] <= latest["day"] - pd.DateOffset(years=1)]
    if earlier.empty:
        return None
    first = earlier.iloc[-1]
    years = (latest["day"] - first["day"]).days / DAYS_PER_YEAR
    return {
        "tco2_per_year": (float(latest["value_numeric"]) - float(first["value_numeric"])) / years,
        "from_date": first["day"].date().isoformat(),
        "from_tco2": float(first["value_numeric"]),
        "to_date": latest["day"].date().isoformat(),
        "to_tco2": float(latest["value_numeric"]),
    }


def first_fy_check(
    projection: pd.DataFrame, issued_by_fy: pd.Series, published: pd.DataFrame, as_of_fy: int
) -> dict[str, Any] | None:
    """The central case's first projected FY beside the best FY on record, to make any jump visible.

    Args:
        projection: ``project`` output.
        issued_by_fy: itemized credits per FY in the scope (the best of them is a lower bound: the
            itemized data is incomplete).
        published: the scope's published cumulative totals (``as_of_day``, ``value_numeric``); the
            average pace between two of them is also a lower bound on the best FY between them.
        as_of_fy: the data's as-of FY.

    Returns:
        ``fy``, ``central_tco2``, ``best_historical_fy``, ``best_historical_tco2``,
        ``multiple_of_best_fy``, the published pace (``published_pace``: published_pace output) and
        ``multiple_of_published_pace``; None when no FY is projected.

    """
    if projection.empty:
        return None
    first = projection.iloc[0]
    central = float(first["annual_central_tco2"])
    history = issued_by_fy[issued_by_fy.index <= as_of_fy].dropna()
    best_fy = int(history.idxmax()) if len(history) and history.max() > 0 else None
    best = float(history.max()) if best_fy is not None else None
    pace = published_pace(published)
    return {
        "fy": int(first["fiscal_year"]),
        "central_tco2": central,
        "best_historical_fy": best_fy,
        "best_historical_tco2": best,
        "multiple_of_best_fy": central / best if best else None,
        "published_pace": pace,
        "multiple_of_published_pace": central / pace["tco2_per_year"] if pace and pace["tco2_per_year"] > 0 else None,
    }


def lagged_accrual_growth(
    registered: pd.DataFrame,
    future: pd.DataFrame,
    lag_years: float,
    crediting_years: int | None,
    first_fy: int,
    pace: dict[str, Any] | None,
) -> float | None:
    """How much faster expected reductions accrue behind ``first_fy``'s credits than behind the published pace.

    Both windows are shifted back by the lag (credits follow reductions by the lag): the reductions
    accrued in (first_fy − lag, first_fy + 1 − lag) a year, ÷ their average rate over the published
    pace's dates minus the lag. This is what explains a realized method's first projected FY beside
    the published record. None without a published pace or when nothing accrued over it.
    """
    if not pace:
        return None
    cohorts = pd.concat(
        [registered_cohorts(registered, "realized"), future[["start", "annual_tco2"]]], ignore_index=True
    )
    start, end = fiscal_time(pace["from_date"]) - lag_years, fiscal_time(pace["to_date"]) - lag_years
    at = accrued(cohorts, [first_fy - lag_years, first_fy + 1 - lag_years, start, end], crediting_years)
    average = (at[3] - at[2]) / (end - start) if end > start else 0.0
    return float(at[1] - at[0]) / average if average > 0 else None


# --- Targets ---------------------------------------------------------------------------------------


def cumulative_at(projection: pd.DataFrame, fy: int, issued_to_date: float, band: str = "central") -> float:
    """Projected cumulative credits at the end of ``fy`` (the actual total if ``fy`` is not projected)."""
    rows = projection[projection["fiscal_year"] == fy]
    if rows.empty:
        return issued_to_date
    return float(rows[f"cumulative_{band}_tco2"].iloc[0])


def required_annual_rate(issued_to_date: float, target_tco2: float, deadline_fy: int, as_of_fy: int) -> float | None:
    """Credits a year needed in each FY after ``as_of_fy`` through ``deadline_fy`` to reach the target.

    Returns 0.0 when the target is already met and None when no FY is left before the deadline.
    """
    remaining = target_tco2 - issued_to_date
    if remaining <= 0:
        return 0.0
    years = deadline_fy - as_of_fy
    if years <= 0:
        return None
    return remaining / years


def fy_reached(
    projection: pd.DataFrame, issued_to_date: float, target_tco2: float, as_of_fy: int, band: str = "central"
) -> int | None:
    """The first FY whose projected cumulative reaches the target, ``as_of_fy`` if already met, else None."""
    if issued_to_date >= target_tco2:
        return as_of_fy
    reached = projection[projection[f"cumulative_{band}_tco2"] >= target_tco2 - 1e-6]
    return int(reached["fiscal_year"].iloc[0]) if not reached.empty else None


def target_outlook(
    projection: pd.DataFrame,
    issued_to_date: float,
    targets: pd.DataFrame,
    as_of_fy: int,
    known_tco2: float | None = None,
) -> pd.DataFrame:
    """Per tonnage target: required annual rate, projected cumulative and gap at its deadline, FY reached.

    ``known_tco2`` is the best-known cumulative total (``progress.best_known``; default the itemized
    ``issued_to_date``): the pace needed and "already met" start from it, as on the overview, so the
    dashboard states one figure for the pace needed. A band target (50–100 Mt) is judged against its
    upper end; ``reached_low_end_fy``, ``gap_at_deadline_low_end_tco2`` and
    ``required_annual_low_end_tco2`` give its lower end.
    """
    known = issued_to_date if known_tco2 is None else max(float(known_tco2), issued_to_date)
    rows = []
    for _, target in targets.iterrows():
        deadline = int(target["deadline_fy"])
        value = float(target["value_high_tco2"])
        low_value = float(target["value_low_tco2"]) if pd.notna(target["value_low_tco2"]) else value
        projected = {b: cumulative_at(projection, deadline, issued_to_date, b) for b in ("low", "central", "high")}
        rows.append(
            {
                "target_name": target["target_name"],
                "deadline_fy": deadline,
                "value_tco2": value,
                "value_low_tco2": low_value,
                "is_superseded": bool(target["is_superseded"]),
                "required_annual_tco2": required_annual_rate(known, value, deadline, as_of_fy),
                "projected_at_deadline_low_tco2": projected["low"],
                "projected_at_deadline_tco2": projected["central"],
                "projected_at_deadline_high_tco2": projected["high"],
                "gap_at_deadline_tco2": max(0.0, value - projected["central"]),
                "reached_fy": fy_reached(projection, known, value, as_of_fy, "central"),
                "reached_fy_low": fy_reached(projection, known, value, as_of_fy, "low"),
                "reached_fy_high": fy_reached(projection, known, value, as_of_fy, "high"),
                "reached_low_end_fy": fy_reached(projection, known, low_value, as_of_fy, "central"),
                "gap_at_deadline_low_end_tco2": max(0.0, low_value - projected["central"]),
                "required_annual_low_end_tco2": required_annual_rate(known, low_value, deadline, as_of_fy),
            }
        )
    return pd.DataFrame(rows)


def contribution(scope_outlook: pd.DataFrame) -> pd.DataFrame:
    """What a selection (one country, one technology) is projected to add toward each national target.

    From the selection's own ``target_outlook``: its projected cumulative credits at each deadline
    (central, low, high) and the central figure as a share of the target. The targets stay Japan's:
    a selection has no target of its own, so no pace "needed" and no FY "reached" are given for it.
    """
    frame = scope_outlook[
        [
            "target_name",
            "deadline_fy",
            "value_tco2",
            "value_low_tco2",
            "is_superseded",
            "projected_at_deadline_low_tco2",
            "projected_at_deadline_tco2",
            "projected_at_deadline_high_tco2",
        ]
    ].copy()
    frame["share_of_target_pct"] = frame["projected_at_deadline_tco2"] / frame["value_tco2"] * 100.0
    return frame.reset_index(drop=True)


def reached_label(fy: int | None, as_of_fy: int, t: Translator = EN) -> str:
    """``FY2034``, ``already met`` or ``not by FY2100`` (in ``t``'s language)."""
    if fy is None:
        return t("projection.not_by", fy=t.fy(SEARCH_LIMIT_FY))
    if fy <= as_of_fy:
        return t("projection.already_met")
    return t.fy(fy)


# --- Data-derived defaults -------------------------------------------------------------------------


def default_new_projects(
    registered: pd.DataFrame, as_of_fy: int, years: int = 5, median_size: float | None = None
) -> tuple[float, float]:
    """Data-derived defaults for new projects: registrations a year and their median size.

    Registrations a year is the mean over the ``years`` complete FYs before ``as_of_fy``; the size is
    the median expected annual reductions of registered projects (0 when there are none).
    ``registered`` may be aggregated (``queries.project_cube``); a median cannot be taken from sums,
    so then pass ``median_size`` (``queries.registered_median_size``).
    """
    window = registered[(registered["event_fy"] >= as_of_fy - years) & (registered["event_fy"] < as_of_fy)]
    per_year = float(weights(window).sum()) / years
    if median_size is None:
        sizes = registered["expected_annual_reductions_tco2"].dropna()
        median_size = float(sizes.median()) if len(sizes) else 0.0
    return per_year, (0.0 if math.isnan(median_size) else float(median_size))


def default_conversion(projects: pd.DataFrame) -> float | None:
    """Share of decided projects that registered rather than withdrew: registered ÷ (registered + withdrawn)."""
    n = weights(projects)
    registered = int(n[projects["status_code"] == "registered"].sum())
    withdrawn = int(n[projects["status_code"] == "withdrawn"].sum())
    if registered + withdrawn == 0:
        return None
    return registered / (registered + withdrawn)
