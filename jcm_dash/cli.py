"""Command line: ``python -m jcm_dash build|summary|projection|import|briefing|article6``.

Exit codes (README, "Exit codes"): 0 success; 1 an internal error (a bug: the message says so, no
traceback unless JCM_DEBUG=1); 2 bad input (invalid files, unknown filter value or option, a store
path that is a folder, a missing or outdated store); 3 the environment (the folder cannot be
written, the disk is full, another writer holds the lock, the store is damaged).

Each command imports what it needs when it runs (the store and pandas, the briefing's chart and
document libraries, the importer), so ``--help`` and ``summary`` do not pay for the others.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jcm_dash import paths, writelock
from jcm_dash.i18n import EN, LANGUAGES
from jcm_dash.validate import ENCODINGS, ValidationError, counted

if TYPE_CHECKING:
    from jcm_dash import importer, projections, queries

EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_ENVIRONMENT = 3
DEBUG_ENV = "JCM_DEBUG"
# Fiscal years a filter may name: anything outside is a typing slip (and would overflow the store's integers).
FY_BOUNDS = (1990, 2200)


class UsageError(Exception):
    """A filter value or option the store cannot answer; the message says what is allowed."""


def _add_filter_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--country", nargs="+", action="extend", default=[], metavar="ISO3", help="partner country, ISO3"
    )
    parser.add_argument("--tech", nargs="+", action="extend", default=[], metavar="TYPE", help="UNEP technology type")
    parser.add_argument("--fy-from", type=int, metavar="N", help="first fiscal year (FY N starts 1 April N)")
    parser.add_argument("--fy-to", type=int, metavar="N", help="last fiscal year, inclusive")
    parser.add_argument("--db", type=Path, help="store path (default: $JCM_DB or data/jcm.duckdb)")


def filters_from_args(con: Any, args: argparse.Namespace) -> queries.Filters:
    """Check the filter options against the store and return them as Filters."""
    from jcm_dash import queries  # noqa: PLC0415  (lazy: see the module docstring)

    known_iso3 = set(queries.partner_countries(con)["iso3"])
    unknown = [c for c in args.country if c.upper() not in known_iso3]
    if unknown:
        raise UsageError(f"unknown partner country {', '.join(unknown)}; use one of: {', '.join(sorted(known_iso3))}")
    known_tech = queries.technologies(con)
    unknown = [t for t in args.tech if t not in known_tech]
    if unknown:
        raise UsageError(f"unknown technology {', '.join(unknown)}; use one of: {', '.join(known_tech)}")
    for option, value in (("--fy-from", args.fy_from), ("--fy-to", args.fy_to)):
        if value is not None and not FY_BOUNDS[0] <= value <= FY_BOUNDS[1]:
            raise UsageError(f"{option} {value} is not a fiscal year between {FY_BOUNDS[0]} and {FY_BOUNDS[1]}")
    if args.fy_from is not None and args.fy_to is not None and args.fy_from > args.fy_to:
        raise UsageError(f"--fy-from {args.fy_from} is after --fy-to {args.fy_to}")
    return queries.Filters(tuple(c.upper() for c in args.country), tuple(args.tech), args.fy_from, args.fy_to)


def _cmd_build(args: argparse.Namespace) -> int:
    from jcm_dash import store  # noqa: PLC0415

    db = Path(args.db or paths.db_path())
    if args.if_needed:
        reason = store.build_reason(Path(args.data), db)
        if reason is None:
            print(f"store {db} is up to date with {args.data}; not rebuilt")
            return 0
        print(f"building: {reason}")
    dropped = store.imported_files(db) if db.exists() else 0
    try:
        counts = store.build(args.data, db)
    except ValidationError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"build: {counted(len(err.problems), 'problem')}; the store at {db} was left unchanged.", file=sys.stderr)
        return EXIT_BAD_INPUT
    rows = ", ".join(f"{table} {n}" for table, n in counts.items())
    print(f"built {db}: {rows}")
    if dropped:
        print(
            f"warning: the previous store held {counted(dropped, 'imported file')} whose rows are not in {args.data}; "
            "import them again, or add their rows to the CSVs.",
            file=sys.stderr,
        )
    return 0


def _t(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,}"


def _format_summary(result: dict[str, Any]) -> str:
    from jcm_dash import metrics  # noqa: PLC0415

    lines = [
        f"Data as of:                      {result['as_of']}",
        f"Credits issued (known amounts):  {_t(result['credits_issued_tco2'])} t-CO2e",
        f"  Japanese side:                 {_t(result['japan_side_tco2'])} t-CO2e "
        f"(stated for {result['issuances_with_japan_side']} of {result['issuances_total']} issuances)",
        f"  Partner side:                  {_t(result['partner_side_tco2'])} t-CO2e",
        f"  Acquired by GoJ:               {_t(result['goj_share_tco2'])} t-CO2e "
        f"(stated for {result['issuances_with_goj_share']} of {result['issuances_total']} issuances)",
        f"Issuances:                       {result['issuances_total']} "
        f"({result['issuances_without_amount']} without amount, {result['issuances_without_date']} without date)",
        "Projects by status:              " + ", ".join(f"{k} {v}" for k, v in result["projects_by_status"].items()),
        f"Partner countries:               {result['partner_countries']}",
        f"Expected annual reductions of registered projects: "
        f"{result['expected_annual_reductions_registered_tco2']:,} t-CO2e/yr",
        "Issued by FY:",
    ]
    for fy, tco2 in result["issued_by_fy"].items():
        label = EN.fy(None) if fy == metrics.UNKNOWN_FY_KEY else EN.fy(int(fy))
        lines.append(f"  {label:<14} {_t(tco2):>12} t-CO2e")
    lines.append("Issued by country:")
    for iso3, tco2 in result["issued_by_country"].items():
        lines.append(f"  {iso3:<14} {_t(tco2):>12} t-CO2e")
    return "\n".join(lines)


def _with_store(args: argparse.Namespace, action: Any) -> int:
    from jcm_dash import store  # noqa: PLC0415

    con = store.connect_read_only(args.db)  # a StoreError is reported by main()
    try:
        return action(con)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        con.close()


def _cmd_summary(args: argparse.Namespace) -> int:
    from jcm_dash import views  # noqa: PLC0415

    def action(con: Any) -> int:
        result = views.summary(con, filters_from_args(con, args))
        print(to_json(result) if args.json else _format_summary(result))
        return 0

    return _with_store(args, action)


def to_json(value: Any) -> str:
    """JSON text, never with ``Infinity`` or ``NaN`` (which are not JSON): ValueError instead."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False, default=str)


def _scenario_type(spec: projections.ScenarioInput) -> Any:
    """An argparse type that checks one scenario input against the registry's bounds (finite, in range)."""
    from jcm_dash import projections  # noqa: PLC0415

    def parse(text: str) -> Any:
        try:
            return spec.parse(text)
        except projections.ScenarioValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    parse.__name__ = spec.name  # argparse names the type in its messages
    return parse


def _encoding(text: str) -> str:
    try:
        return codecs.lookup(text).name
    except LookupError:
        known = ", ".join(ENCODINGS)
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}; use one of: {known}") from None


# The commands that take scenario options; only they read the registry (jcm_dash.projections, with pandas).
SCENARIO_COMMANDS = ("projection", "briefing")


def scenario_options() -> dict[str, tuple[str, Any, str, str]]:
    """Option → (Scenario field, type, help, metavar), from the one registry the page also reads."""
    from jcm_dash import projections  # noqa: PLC0415

    return {
        spec.option: (
            spec.name,
            _scenario_type(spec),
            spec.help + (f": {', '.join(spec.choices)}" if spec.kind == "choice" else f" [{spec.bounds()}]"),
            {"choice": "METHOD", "int": "N"}.get(spec.kind, "X"),
        )
        for spec in projections.SCENARIO_INPUTS
    }


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The scenario fields given on the command line (None where an option was not given)."""
    return {field: getattr(args, field) for field, _, _, _ in scenario_options().values()}


def _format_projection(result: dict[str, Any]) -> str:
    def method(name: str) -> str:
        return EN(f"method.{name}")

    def rate(conversion: dict[str, Any] | None, kind: str) -> str:
        if conversion is None:
            return f"  {kind}: not measurable"
        where = "" if conversion["scope"] == "selection" else " (the whole JCM's)"
        return (
            f"  {kind}{where}: {_t(conversion['issued_tco2'])} t by {conversion['measured_at']} = "
            f"{conversion['ratio_to_date']:.3f} of the expected reductions accrued by then, "
            f"{conversion['ratio']:.3f} of those accrued one lag earlier"
        )

    lag = result["issuance_lag_measured"]
    scores = result["backtest_mean_abs_error_pct"]
    lines = [
        f"Data as of {result['as_of']} (FY{result['as_of_fy']}); "
        f"issued to date: {_t(result['issued_to_date_tco2'])} t-CO2e (itemized, a lower bound)",
        f"Central case: {method(result['method'])}"
        + (
            " (best backtest)"
            if result["method"] == result["best_method"]
            else f" (chosen; best backtest: {method(result['best_method'])})"
        ),
        "Backtest mean absolute error: " + ", ".join(f"{method(m)} {e:,.1f}%" for m, e in scores.items()),
        "Issuance lag: "
        + ("not measurable" if lag is None else f"{lag['years']:.2f} years (median of {lag['issuances']} issuances)")
        + f"; used {result['issuance_lag_years']:.2f}",
        "Realized conversion:",
        rate(result["realized_conversion"]["published"], "published"),
        rate(result["realized_conversion"]["itemized"], "itemized"),
        "Scenario: "
        + ", ".join(f"{k}={v if not isinstance(v, float) else round(v, 3)}" for k, v in result["scenario"].items()),
    ]
    for fy, bands in result["projected_cumulative_tco2"].items():
        lines.append(
            f"Projected cumulative at FY{fy}: {_t(round(bands['central']))} t-CO2e "
            f"(low {_t(round(bands['low']))}, high {_t(round(bands['high']))})"
        )
    first = result["first_projected_fy"]
    if first:
        best = first["best_historical_tco2"]
        line = f"FY{first['fy']} (first projected): {_t(round(first['central_tco2']))} t-CO2e"
        if best:
            line += (
                f", {first['multiple_of_best_fy']:,.1f}x the best FY itemized "
                f"(FY{first['best_historical_fy']}: {_t(round(best))} t)"
            )
        if first["published_pace"]:
            pace = first["published_pace"]
            line += (
                f", {first['multiple_of_published_pace']:,.1f}x the published pace "
                f"({_t(round(pace['tco2_per_year']))} t/yr, {pace['from_date']} to {pace['to_date']})"
            )
        lines.append(line)
    contribution = {row["target_name"]: row for row in result["contribution"] or []}
    national = " (whole JCM: the targets are national)" if contribution else ""
    lines.append(
        f"Best-known total: {_t(round(result['best_known_tco2']))} t-CO2e "
        f"({'the latest published total' if result['best_known_basis'] == 'published' else 'itemized'})"
    )
    for target in result["targets"]:
        rate_needed = target["required_annual_tco2"]
        rate_text = "deadline passed" if rate_needed is None else f"{_t(round(rate_needed))} t-CO2e/yr"
        lines.append(
            f"{target['target_name']}{national}: needs {rate_text}; gap at FY{target['deadline_fy']} "
            f"{_t(round(target['gap_at_deadline_tco2']))} t-CO2e; reached: {target['reached']}"
        )
        part = contribution.get(target["target_name"])
        if part:
            lines.append(
                f"  this selection adds {_t(round(part['projected_at_deadline_tco2']))} t-CO2e by "
                f"FY{target['deadline_fy']} ({part['share_of_target_pct']:.3g}% of the target)"
            )
    return "\n".join(lines)


def _cmd_projection(args: argparse.Namespace) -> int:
    from jcm_dash import views  # noqa: PLC0415

    def action(con: Any) -> int:
        filters = filters_from_args(con, args)
        result = views.projection_json(views.projection(con, filters, _overrides(args)))
        if result["fy_range_ignored"]:
            print(
                "note: --fy-from/--fy-to do not apply to a projection: it starts from everything issued so far",
                file=sys.stderr,
            )
        print(to_json(result) if args.json else _format_projection(result))
        return 0

    return _with_store(args, action)


def _cmd_briefing(args: argparse.Namespace) -> int:
    from jcm_dash import briefing  # noqa: PLC0415

    def action(con: Any) -> int:
        filters = filters_from_args(con, args)
        started = time.perf_counter()
        pack = briefing.build(
            con,
            filters,
            _overrides(args),
            args.lang,
            progress=lambda step: print(step, file=sys.stderr),
            optional=("article6",) if args.article6 else (),
        )
        paths_written = pack.write(args.out)
        for path in paths_written:
            print(path)
        print(f"{len(paths_written)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return 0

    return _with_store(args, action)


def _format_article6(result: dict[str, Any]) -> str:
    """``article6`` as text: agreements by buyer, each buyer fact with its unit and period as stated, the JCM's row."""
    lines = ["Article 6 agreements by buyer (UNEP CCC Article 6 Pipeline):"]
    for buyer, row in result["agreements_by_buyer"].items():
        statuses = ", ".join(f"{status} {n}" for status, n in row["by_status"].items() if n)
        span = f"{row['first_date'] or 'date unknown'} to {row['latest_date'] or 'date unknown'}"
        lines.append(f"  {buyer:<24} {row['total']:>3}  ({statuses}; {span})")
    lines.append("Buyer facts (as stated; the units differ, so they are not added up):")
    for fact in result["buyer_facts"]:
        host = f" [{fact['host']}]" if fact["host"] else ""
        stated = f"{fact['value']} {fact['unit']} ({fact['period_or_date']})"
        lines.append(f"  {fact['buyer']}{host}, {fact['metric']}: {stated}")
    jcm = result["jcm"]
    basis = "the latest published total" if jcm["credits_issued_basis"] == "published" else "itemized"
    first = jcm["first_itmo_issuance"]
    lines += [
        "The JCM (from the store):",
        f"  Credits issued (best known):   {_t(jcm['credits_issued_best_known_tco2'])} t-CO2e ({basis})",
        f"  First ITMO issuance:           {first['date'] if first else 'unknown'}",
        f"  Partner countries:             {jcm['partner_countries']}",
        f"  Registered projects:           {jcm['registered_projects']}",
    ]
    return "\n".join(lines)


def _cmd_article6(args: argparse.Namespace) -> int:
    from jcm_dash import views  # noqa: PLC0415

    def action(con: Any) -> int:
        result = views.article6_json(views.article6_context(con))
        print(to_json(result) if args.json else _format_article6(result))
        return 0

    return _with_store(args, action)


def _format_import(result: importer.ImportResult) -> str:
    lines = []
    for change in result.changes:
        lines.append(
            f"{change.label} → {change.table}: {len(change.added)} added, {len(change.updated)} updated, "
            f"{change.unchanged} unchanged"
        )
        if change.added:
            lines.append("  added: " + ", ".join(change.added))
        for update in change.updated:
            fields = "; ".join(f"{k}: {a!r} → {b!r}" for k, (a, b) in update["changed"].items())
            lines.append(f"  updated {update['key']}: {fields}")
    return "\n".join(lines)


def _cmd_import(args: argparse.Namespace) -> int:
    from jcm_dash import importer  # noqa: PLC0415

    db = args.db or paths.db_path()
    result = importer.run_import(args.files, db, check_only=args.check, encoding=args.encoding)
    if args.json:
        print(to_json(result.as_dict()))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.problems:
        print(
            f"import: {counted(len(result.problems), 'problem')}; nothing was written and the store at {db} "
            "is unchanged.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if not args.json:
        print(_format_import(result))
        print("check passed: nothing written (--check)." if args.check else f"imported into {db}.")
    return 0


def build_parser(scenario: bool = True) -> argparse.ArgumentParser:
    """The argument parser for every subcommand.

    Args:
        scenario: whether to add the scenario options to ``projection`` and ``briefing``; ``main``
            leaves them out for the other commands and ``--help``, which then never load pandas.

    """
    scenario_args = scenario_options() if scenario else {}
    parser = argparse.ArgumentParser(prog="python -m jcm_dash", description="JCM progress toward Japan's NDC goals")
    sub = parser.add_subparsers(dest="command", required=True)

    p_build = sub.add_parser("build", help="validate data/*.csv and (re)build the DuckDB store atomically")
    p_build.add_argument("--data", type=Path, default=paths.DATA_DIR, help="folder of CSVs (default: data/)")
    p_build.add_argument("--db", type=Path, help="store path (default: $JCM_DB or data/jcm.duckdb)")
    p_build.add_argument(
        "--if-needed", action="store_true", help="only when the store is missing, outdated or older than a CSV"
    )
    p_build.set_defaults(func=_cmd_build)

    p_summary = sub.add_parser("summary", help="headline figures for a filter")
    p_summary.add_argument("--json", action="store_true", help="print JSON")
    _add_filter_args(p_summary)
    p_summary.set_defaults(func=_cmd_summary)

    p_import = sub.add_parser("import", help="add or update rows from CSV/XLSX files in the data/ layout")
    p_import.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".csv or .xlsx files")
    p_import.add_argument("--check", action="store_true", help="validate and report changes without writing")
    p_import.add_argument("--json", action="store_true", help="print the report as JSON")
    p_import.add_argument(
        "--encoding",
        type=_encoding,
        default="utf-8",
        help="encoding of the CSV files (default utf-8; a Shift-JIS file from Japanese Excel: cp932)",
    )
    p_import.add_argument("--db", type=Path, help="store path (default: $JCM_DB or data/jcm.duckdb)")
    p_import.set_defaults(func=_cmd_import)

    p_projection = sub.add_parser("projection", help="projected cumulative credits and each target's outlook")
    p_projection.add_argument("--json", action="store_true", help="print JSON")
    _add_filter_args(p_projection)
    for option, (field, kind, help_text, metavar) in scenario_args.items():
        p_projection.add_argument(option, dest=field, type=kind, default=None, help=help_text, metavar=metavar)
    p_projection.set_defaults(func=_cmd_projection)

    p_briefing = sub.add_parser("briefing", help="write the briefing pack: PPTX deck, one-page PDF, PNG and SVG charts")
    p_briefing.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the files into")
    p_briefing.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the pack (default en)")
    _add_filter_args(p_briefing)
    p_briefing.add_argument(
        "--article6", action="store_true", help='add the slide and PDF paragraph "The JCM among Article 6 buyers"'
    )
    for option, (field, kind, help_text, metavar) in scenario_args.items():
        p_briefing.add_argument(option, dest=field, type=kind, default=None, help=help_text, metavar=metavar)
    p_briefing.set_defaults(func=_cmd_briefing)

    p_article6 = sub.add_parser(
        "article6", help="Article 6 agreements by buyer, the buyers' stated facts and the JCM's own row"
    )
    p_article6.add_argument("--json", action="store_true", help="print JSON")
    p_article6.add_argument("--db", type=Path, help="store path (default: $JCM_DB or data/jcm.duckdb)")
    p_article6.set_defaults(func=_cmd_article6)
    return parser


def _error_code(err: BaseException) -> int | None:
    """The exit code of an error the user can fix, else None.

    A store error is the user's input when it is a path or a missing store, the environment when
    the file is damaged, locked or cannot be written. The store module is looked at only when it
    was loaded: an error from it cannot happen otherwise.
    """
    if isinstance(err, (writelock.StoreLockedError, writelock.StoreFolderError)):
        return EXIT_ENVIRONMENT
    store = sys.modules.get("jcm_dash.store")
    if store is None:
        return None
    for kind, code in (
        (store.StorePathError, EXIT_BAD_INPUT),
        (store.StoreMissingError, EXIT_BAD_INPUT),
        (store.StoreCorruptError, EXIT_ENVIRONMENT),
        (store.StoreWriteError, EXIT_ENVIRONMENT),
    ):
        if isinstance(err, kind):
            return code
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code; no traceback reaches the terminal.

    Errors the user can fix print one line that says how (exit 2 or 3); anything else is a bug,
    reported as such in one line (exit 1), with the traceback only when JCM_DEBUG=1.
    """
    words = sys.argv[1:] if argv is None else argv
    command = next((word for word in words if not word.startswith("-")), None)
    args = build_parser(scenario=command in SCENARIO_COMMANDS).parse_args(words)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the one place that turns every error into a message
        code = _error_code(err)
        if code is not None:
            print(f"error: {err}", file=sys.stderr)
            return code
        if isinstance(err, OSError):
            where = f" ({err.filename})" if err.filename else ""
            print(f"error: {err.strerror or err}{where}", file=sys.stderr)
            return EXIT_ENVIRONMENT
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        print(
            f"internal error: {type(err).__name__}: {str(err)[:300]}. This is a bug in jcm-dash; "
            f"run again with {DEBUG_ENV}=1 for the details and report them.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
