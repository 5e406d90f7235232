"""Drill-through: the records behind any number, paginated, sortable, exportable as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from leadboard.metrics.calendar import Period, PeriodError
from leadboard.metrics.facts import FACTS, Fact, Slice, T, bind, selection
from leadboard.metrics.request import KpiRequest, RequestError
from leadboard.model.entities import BY_NAME

if TYPE_CHECKING:
    from leadboard.metrics.engine import KpiEngine

# Which records a base metric counts, within its fact's records.
_SUBSET: dict[str, Callable[[ir.Table, Slice], ir.BooleanValue]] = {
    "campaign_leads": lambda r, s: r["_in_campaign_id"].notnull(),
    "converted_leads": lambda r, s: r["_in_converted"] == 1,
    "accepted": lambda r, s: r["_in_response"] == "accepted",
    "rejected": lambda r, s: r["_in_response"] == "rejected",
    "marketing_opportunities": lambda r, s: r["_in_marketing"],
    "marketing_opportunity_volume": lambda r, s: r["_in_marketing"],
    "won_opportunities": lambda r, s: r["_in_status"] == "won",
    "won_volume": lambda r, s: r["_in_status"] == "won",
    "lost_opportunities": lambda r, s: r["_in_status"] == "lost",
    "overdue_handover": lambda r, s: r["_in_due_at"] < s.moment("t"),
}
# The canonical table behind each fact and the extra columns the fact adds to its rows.
_ENTITY = {
    "lead": ("leads", "lead_id", ("converted",)),
    "handover": ("leads", "lead_id", ("handover_at", "response_at", "response", "delay_h")),
    "response": ("leads", "lead_id", ("handover_at", "response_at", "response", "delay_h")),
    "pending": ("leads", "lead_id", ("handover_at", "age_h", "due_at")),
    "unprocessed": ("leads", "lead_id", ("age_days",)),
    "stalled": ("leads", "lead_id", ("response_at", "days_since")),
    "recycled": ("leads", "lead_id", ("recycled_at",)),
    "opportunity": ("opportunities", "opportunity_id", ("marketing", "value")),
    "closed": ("opportunities", "opportunity_id", ("marketing", "value")),
    "cost": ("campaign_costs", "row_key", ("value",)),
    "budget": ("campaigns", "campaign_id", ("value", "share")),
}


@dataclass(frozen=True)
class RecordPage:
    metric: str
    entity: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    total: int
    limit: int
    offset: int

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "entity": self.entity,
            "columns": list(self.columns),
            "rows": [{k: _json(v) for k, v in r.items()} for r in self.rows],
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if row[c] is None else _json(row[c]) for c in self.columns])
        return out.getvalue()


def records(
    engine: KpiEngine,
    request: KpiRequest,
    metric: str,
    cell: dict[str, str | None],
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    descending: bool = False,
) -> RecordPage:
    """The records behind `metric` in the cell (dimension and grain values of a result row)."""
    kpi = engine.registry.kpis.get(metric)
    if kpi is None or kpi.hidden:
        raise RequestError("metric", f"unknown metric {metric!r}")
    base = kpi.numerator if kpi.derived else metric
    assert base is not None
    fact = FACTS[engine.registry[base].fact or ""]
    as_of, period = engine.resolve(request)
    period = _cell_period(engine, request, cell, period)
    engine.prepare()
    s = _cell_slice(engine, request, cell, period, as_of)
    if not s.dimensions <= set(fact.dimensions):
        raise RequestError("cell", f"{metric} has no records by {', '.join(sorted(s.dimensions))}")
    table, key, extras = _ENTITY[fact.name]
    # a ratio's records are its denominator's population (acceptance_rate: every response),
    # unless only the numerator is a subset (pipeline_per_cost: the marketing opportunities)
    subset = metric if metric in _SUBSET else None
    if kpi.derived and base in _SUBSET and base not in kpi.denominator:
        subset = base
    rows = _rows(fact, s, subset, table, key, extras)
    columns = [*_entity_columns(table), *extras]
    if sort is not None and sort not in columns:
        raise RequestError("sort", f"unknown column {sort!r}; allowed: {', '.join(columns)}")
    keys = [ibis.desc(sort) if descending else ibis.asc(sort)] if sort else []
    keys += [
        ibis.asc(c)
        for c in ([key] if table != "campaign_costs" else ["campaign_id", "date", "category"])
        if c != sort
    ]
    total_sql, total_params = bind(ibis.to_sql(rows.count(), dialect=engine.store.dialect), s)
    page = rows.order_by(keys).limit(limit, offset=offset)
    sql, params = bind(ibis.to_sql(page, dialect=engine.store.dialect), s)
    data = engine.store.fetch_arrow(sql, params).to_pylist()
    total = engine.store.fetchall(total_sql, total_params)[0][0]
    return RecordPage(metric, table, tuple(columns), tuple(data), int(total), limit, offset)


def _entity_columns(table: str) -> list[str]:
    entity = BY_NAME[table]
    return list(entity.column_names)


def _rows(
    fact: Fact, s: Slice, subset: str | None, table: str, key: str, extras: tuple[str, ...]
) -> ir.Table:
    selected = selection(fact, s)
    if subset is not None:
        selected = selected.filter(_SUBSET[subset](selected, s))
    if fact.name == "budget":
        selected = selected.mutate(_in_share=selected["_share"])
    entity = T[table]
    joined = entity.join(selected, entity[key] == selected["_in_id"])
    columns: dict[str, ir.Value] = {c: entity[c] for c in _entity_columns(table)}
    columns.update({e: selected[f"_in_{e}"] for e in extras})
    return joined.select(**columns)


def _cell_period(
    engine: KpiEngine, request: KpiRequest, cell: dict[str, str | None], period: Period
) -> Period:
    grain = request.grain
    if grain is None or cell.get(grain) is None:
        return period
    label = str(cell[grain])
    try:
        bucket = engine.calendar.bucket_period(grain, label)
    except PeriodError as exc:
        raise RequestError("cell", str(exc)) from exc
    start, end = max(bucket.start, period.start), min(bucket.end, period.end)
    if end <= start:
        raise RequestError("cell", f"{label} is outside the period {period.label}")
    return Period(start, end, label)


def _cell_slice(
    engine: KpiEngine,
    request: KpiRequest,
    cell: dict[str, str | None],
    period: Period,
    as_of: datetime,
) -> Slice:
    unknown = set(cell) - set(request.by)
    if unknown:
        grouped = ", ".join(request.dimensions) or "none: add by=... to the request"
        raise RequestError(
            "cell",
            f"{', '.join(sorted(unknown))} is not grouped by in the request; allowed: {grouped}",
        )
    allowed = request.allowed()
    missing = []
    for dim in request.dimensions:
        if dim not in cell:
            continue
        value = cell[dim]
        if value is None:
            missing.append(dim)
        else:
            allowed[dim] = allowed.get(dim, frozenset({value})) & {value}
    return Slice(
        start=period.start,
        end=period.end,
        by=(),
        grain=None,
        allowed=allowed,
        as_of=as_of,
        currency=engine.currency,
        sla_hours=engine.settings.sla_hours,
        calendar=engine.calendar,
        unprocessed_days=engine.settings.unprocessed_days,
        stalled_days=engine.settings.stalled_days,
        missing=tuple(missing),
    )


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return float(value)
