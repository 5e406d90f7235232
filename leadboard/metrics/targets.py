"""Target achievement and pace for every target row that matches a request's scope and period.

A target matches when it is for one of the requested metrics, its period overlaps the request's
and, for every dimension the request filters on (or its scope restricts), the target names a
value that is allowed; a target for a wider scope than the user may see is not shown. Its actual
is the metric over the target's own period and scope. Pace compares the actual up to
t = min(end, as_of) with the share of the target due by t: target × elapsed share for additive
metrics (counts, amounts), the target itself for ratios.

Besides the rows of `targets`, each campaign's own targets (`target_leads`, ...) count for
requests grouped or filtered by campaign.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from leadboard.metrics.calendar import Period, PeriodError
from leadboard.metrics.formulas import derive
from leadboard.metrics.registry import Kpi
from leadboard.metrics.request import KpiRequest
from leadboard.metrics.table import KpiTable, QualityNote, TargetResult

if TYPE_CHECKING:
    from leadboard.metrics.engine import KpiEngine

SCOPE_COLUMNS = {
    "unit": "unit",
    "country": "country",
    "team": "team",
    "topic": "topic",
    "campaign": "campaign_id",
}


Matching = tuple[dict[str, Any], Period, dict[str, str]]  # target row, its period, its scope


def target_results(
    engine: KpiEngine, request: KpiRequest, period: Period, as_of: datetime, version: int
) -> tuple[list[TargetResult], list[QualityNote]]:
    """The matching targets' results, and the data-quality notes met on the way (amounts
    without an FX rate in a target's actual, a campaign volume target without a rate)."""
    results: list[TargetResult] = []
    notes: list[QualityNote] = []
    for dims, targets in _by_scope(engine, request, period, as_of, notes).items():
        found, more = _evaluate(engine, request, dims, targets, as_of, version)
        results += found
        notes += [n for n in more if n not in notes]
    results.sort(key=lambda r: (r.metric, r.period, sorted(r.scope.items())))
    return results, notes


def target_queries(
    engine: KpiEngine, request: KpiRequest, period: Period, as_of: datetime
) -> list[tuple[KpiRequest, Period]]:
    """The KPI requests (and spans) that evaluating the matching targets computes (`explain`)."""
    groups = _by_scope(engine, request, period, as_of, [])
    return [_evaluation(request, dims, targets) for dims, targets in groups.items()]


def _by_scope(
    engine: KpiEngine,
    request: KpiRequest,
    period: Period,
    as_of: datetime,
    notes: list[QualityNote],
) -> dict[tuple[str, ...], list[Matching]]:
    """The matching targets grouped by the dimensions of their scope."""
    groups: dict[tuple[str, ...], list[Matching]] = defaultdict(list)
    for row, target_period, scope in _matching(engine, request, period, as_of, notes):
        groups[tuple(sorted(scope))].append((row, target_period, scope))
    return groups


def _evaluation(
    request: KpiRequest,
    dims: tuple[str, ...],
    targets: list[Matching],
) -> tuple[KpiRequest, Period]:
    """One request for all targets of the same scope dimensions: by month where every target
    period is whole months (a year, a quarter, a month), else by day (a campaign's run)."""
    metrics = tuple(sorted({row["metric"] for row, _, _ in targets}))
    filters = tuple((d, tuple(sorted({s[d] for _, _, s in targets}))) for d in dims)
    span = Period(min(p.start for _, p, _ in targets), max(p.end for _, p, _ in targets), "span")
    monthly_ok = all(_month_aligned(p.start) and _month_aligned(p.end) for _, p, _ in targets)
    grain = "month" if monthly_ok else "day"
    return KpiRequest(request.scope, metrics, (*dims, grain), filters), span


def _matching(
    engine: KpiEngine,
    request: KpiRequest,
    period: Period,
    as_of: datetime,
    notes: list[QualityNote],
) -> list[Matching]:
    columns = ", ".join(["period", "metric", "value", *SCOPE_COLUMNS.values()])
    allowed = request.allowed()
    out = []
    for row in engine.store.fetch_arrow(f"SELECT {columns} FROM targets").to_pylist():
        try:
            target_period = engine.calendar.parse(row["period"], as_of)
        except PeriodError:
            continue  # the import validates periods; nothing else can be here
        if row["metric"] not in request.metrics:
            continue
        if not (target_period.start < period.end and period.start < target_period.end):
            continue
        scope = {d: row[c] for d, c in SCOPE_COLUMNS.items() if row[c] is not None}
        if all(d in scope and scope[d] in values for d, values in allowed.items()):
            out.append((row, target_period, scope))
    # a campaign's own targets matter where the request is about campaigns (V5, V7)
    about_campaigns = "campaign" in request.by or "campaign" in allowed
    for row, target_period, scope in _campaign_targets(engine, notes) if about_campaigns else []:
        if row["metric"] not in request.metrics:
            continue
        if not (target_period.start < period.end and period.start < target_period.end):
            continue
        if all(d in scope and scope[d] in values for d, values in allowed.items()):
            out.append((row, target_period, scope))
    return out


_CAMPAIGN_TARGETS = {
    "target_leads": "leads",
    "target_opportunities": "opportunities",
    "target_opportunity_volume": "opportunity_volume",
}


def _campaign_targets(engine: KpiEngine, notes: list[QualityNote]) -> list[Matching]:
    """A campaign's own targets, for its run (start_date .. end_date, inclusive).

    The volume target is in the campaign's currency: converted at the rate of its start month
    like the budget; a campaign whose rate is missing shows no volume target.
    """
    rows = engine.store.fetch_dicts(
        "SELECT c.campaign_id, c.start_date, c.end_date, c.currency, c.target_leads, "
        "c.target_opportunities, c.target_opportunity_volume, f.eur_per_unit AS own_rate, "
        "r.eur_per_unit AS target_rate FROM campaigns c "
        "LEFT JOIN fx_rates f ON f.currency = c.currency "
        "AND f.month = CAST(date_trunc('month', c.start_date) AS DATE) "
        "LEFT JOIN fx_rates r ON r.currency = ? "
        "AND r.month = CAST(date_trunc('month', c.start_date) AS DATE) "
        "WHERE c.target_leads IS NOT NULL OR c.target_opportunities IS NOT NULL "
        "OR c.target_opportunity_volume IS NOT NULL",
        [engine.currency],
    )
    out = []
    no_rate = []
    for row in rows:
        start = datetime.combine(row["start_date"], datetime.min.time())
        end = datetime.combine(row["end_date"], datetime.min.time()) + timedelta(days=1)
        run = Period(start, end, f"{start.date()}..{end.date()}")
        for column, metric in _CAMPAIGN_TARGETS.items():
            value = row[column]
            if value is None:
                continue
            if column == "target_opportunity_volume":
                value = _converted(float(value), row, engine.currency)
                if value is None:
                    no_rate.append(str(row["campaign_id"]))
                    continue
            target = {"metric": metric, "value": value, "period": run.label}
            out.append((target, run, {"campaign": row["campaign_id"]}))
    if no_rate:
        notes.append(
            QualityNote(
                "missing_fx_rate_target",
                f"{len(no_rate)} campaigns' opportunity volume targets have no FX rate to "
                f"{engine.currency} for their currency and start month ({', '.join(no_rate[:5])}"
                f"{', ...' if len(no_rate) > 5 else ''}): those targets are not shown. Import "
                "the rates (fx_rates).",
                len(no_rate),
                ("opportunity_volume",),
            )
        )
    return out


def _converted(value: float, row: dict[str, Any], currency: str) -> float | None:
    code = row["currency"] or currency
    if code == currency:
        return value
    own = 1.0 if code == "EUR" else row["own_rate"]
    target = 1.0 if currency == "EUR" else row["target_rate"]
    if own is None or target is None:
        return None
    return value * float(own) / float(target)


def _evaluate(
    engine: KpiEngine,
    request: KpiRequest,
    dims: tuple[str, ...],
    targets: list[Matching],
    as_of: datetime,
    version: int,
) -> tuple[list[TargetResult], tuple[QualityNote, ...]]:
    """One query for all targets of the same scope dimensions, summed per target.

    Records dated after as_of do not count (as_of is the clock), so the actual is also the
    actual to date that pace compares with the target due by t.
    """
    evaluation, span = _evaluation(request, dims, targets)
    monthly = engine.compute(evaluation, span, as_of, version)
    cells = _by_key(monthly.cells)
    results = []
    for row, target_period, scope in targets:
        key = tuple(scope[d] for d in dims)
        whole = _sum(cells.get(key, {}), target_period.start.date(), target_period.end.date())
        t = min(target_period.end, as_of)
        kpi = engine.registry[row["metric"]]
        results.append(_result(row, target_period, scope, whole, t, monthly.unavailable, kpi))
    return results, tuple(_for_targets(n) for n in monthly.notes)


def _for_targets(note: QualityNote) -> QualityNote:
    return replace(note, message=f"Targets' actuals: {note.message}")


def _month_aligned(moment: datetime) -> bool:
    return moment.day == 1 and moment.time() == datetime.min.time()


def _by_key(
    cells: dict[tuple[Any, ...], dict[str, Any]],
) -> dict[tuple[Any, ...], dict[date, dict[str, Any]]]:
    out: dict[tuple[Any, ...], dict[date, dict[str, Any]]] = defaultdict(dict)
    for key, cell in cells.items():
        if key[-1] is not None:
            out[key[:-1]][key[-1]] = cell
    return out


def _sum(months: dict[date, dict[str, Any]], start: date, end: date) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for month, cell in months.items():
        if start <= month < end:
            _add(total, cell)
    return total


def _add(total: dict[str, Any], cell: dict[str, Any]) -> None:
    for name, value in cell.items():
        if isinstance(value, int | float):
            total[name] = total.get(name, 0) + value


def _result(
    row: dict[str, Any],
    target_period: Period,
    scope: dict[str, str],
    whole: dict[str, Any],
    t: datetime,
    unavailable: frozenset[str],
    kpi: Kpi,
) -> TargetResult:
    target = float(row["value"])
    actual = derive(kpi, whole, unavailable)  # records after as_of do not count: also to date
    length = target_period.end - target_period.start
    elapsed = min(1.0, max(0.0, (t - target_period.start) / length)) if length else 1.0
    expected = target * elapsed if kpi.additive else target
    if t < target_period.start:
        expected = 0.0
    return TargetResult(
        metric=kpi.name,
        period=target_period.label,
        scope=scope,
        target=target,
        actual=actual,
        achievement=None if actual is None or target == 0 else actual / target,
        actual_to_date=actual,
        expected_to_date=expected,
        pace=None if actual is None or expected == 0 else actual / expected,
        elapsed=elapsed,
    )


def target_for(table: KpiTable, metric: str) -> TargetResult | None:
    """The widest target of the metric in the result (fewest scope dimensions, longest)."""
    matches = [x for x in table.targets if x.metric == metric]
    matches.sort(key=lambda x: (len(x.scope), len(x.period)))  # "2026" before "2026-Q3"
    return matches[0] if matches else None


def light_state(target: TargetResult | None, higher_is_better: bool | None = True) -> str:
    """green on plan, amber within 20 % of it, red further off, grey without a target: by pace
    while the target's period runs, by achievement once it is over. For a KPI where lower is
    better (cost, cost per lead) staying at or under the target is on plan."""
    if target is None:
        return "grey"
    ratio = target.pace if target.elapsed < 1 else target.achievement
    if ratio is None:
        return "grey"
    if higher_is_better is False:
        return "green" if ratio <= 1 else "amber" if ratio <= 1.2 else "red"
    return "green" if ratio >= 1 else "amber" if ratio >= 0.8 else "red"
