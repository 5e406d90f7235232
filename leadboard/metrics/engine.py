"""`KpiEngine`: every number Leadboard shows is computed here, and nowhere else.

A request names metrics, group-by dimensions and a time grain, filters, a period and the scope it
runs in. The engine builds one Ibis expression per fact the metrics need, compiles it to the SQL of
the connected store, merges the grouped results, derives the ratios, adds the previous period's
values (`compare`) and the targets in scope, and caches the result under the store's data version.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import ibis

from leadboard.metrics.calendar import Calendar, Period, PeriodError, naive_utc
from leadboard.metrics.facts import (
    BUCKET,
    FACTS,
    HANDOVER_STATE,
    PREPARED,
    PREPARED_LEADS,
    SLA_TABLE,
    Slice,
    compiled,
    fact_query,
    inline,
)
from leadboard.metrics.formulas import base_metrics, derive
from leadboard.metrics.registry import FACT_METRICS, Registry, registry
from leadboard.metrics.request import KpiRequest, RequestError
from leadboard.metrics.sla import SlaPolicy, effective_settings
from leadboard.metrics.table import ColumnInfo, KpiTable, QualityNote
from leadboard.metrics.targets import target_queries, target_results
from leadboard.settings import Settings
from leadboard.store import Store
from leadboard.store.ingest import data_version

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Key = tuple[Any, ...]
Cells = dict[Key, dict[str, Any]]  # (dimension values..., bucket start) → base measures

DIMENSION_LABELS = {
    "campaign": "Campaign",
    "channel": "Channel",
    "topic": "Topic",
    "unit": "Unit",
    "country": "Country",
    "region": "Region",
    "team": "Team",
    "owner": "Owner",
    "account": "Account",
    "industry": "Industry",
    "segment": "Segment",
    "stage": "Stage",
    "reason": "Response reason",
    "day": "Day",
    "week": "Week",
    "month": "Month",
    "quarter": "Quarter",
    "fiscal_year": "Fiscal year",
}
_CACHE_SIZE = 256
NOW_REUSE = timedelta(seconds=60)  # how long a result for "now" serves repeated requests
MAX_BUCKETS = 400  # a year of days; snapshot facts cost one sub-query per bucket


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Computed:
    """Base measures per cell, the metrics no fact could compute, and data-quality notes."""

    cells: Cells
    unavailable: frozenset[str]
    notes: tuple[QualityNote, ...]


class KpiEngine:
    def __init__(self, store: Store, clock: Clock = system_clock, settings: Settings | None = None):
        self.store = store
        self.clock = clock
        self.settings = settings or Settings()
        self.registry: Registry = registry()
        errors = [i for i in self.registry.issues if i.level == "error"]
        if errors:
            raise RuntimeError("the KPI registry has errors: " + "; ".join(map(str, errors)))
        self.calendar = Calendar(self.settings.fiscal_year_start_month)
        self.sla = SlaPolicy.from_settings(self.settings)
        self.currency = self.settings.reporting_currency.upper()
        self._cache: OrderedDict[Key, tuple[datetime, KpiTable]] = OrderedDict()
        self._lock = threading.Lock()
        self._prepared: int | None = None  # data version of the materialized facts
        self._computed: OrderedDict[Key, Computed] = OrderedDict()
        # run after a background preparation of a new data version (the alerts' evaluation)
        self.after_prepare: list[Callable[[], object]] = []

    # -- public ----------------------------------------------------------------------------

    def query(self, request: KpiRequest) -> KpiTable:
        """The metrics of `request`, grouped and filtered, within its scope.

        Results are cached by request and data version (an import or a response empties the
        cache). A request for "now" (no as_of) reuses a result computed up to NOW_REUSE ago,
        so a dashboard view repeated within a minute is instant; its as_of says when it was.
        """
        as_of, period = self.resolve(request)
        version = data_version(self.store)
        key = (
            request.metrics,
            request.by,
            request.filters,
            period,
            as_of if request.as_of is not None else "now",
            request.compare,
            request.scope.key(),
            version,
        )
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and (request.as_of is not None or as_of - hit[0] < NOW_REUSE):
                self._cache.move_to_end(key)
                return hit[1]
        table = self._build(request, as_of, period, version)
        with self._lock:
            self._cache[key] = (as_of, table)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return table

    def explain(self, request: KpiRequest) -> str:
        """The SQL the engine runs for `request` on the connected store, values written in:
        one query per fact for the period, the previous one (compare) and the targets."""
        as_of, period = self.resolve(request)
        parts = self._explained(request, period, as_of, f"period {period.label}")
        if request.compare:
            before = self.calendar.previous(period)
            parts += self._explained(request, before, as_of, f"previous period {before.label}")
        for target_request, span in target_queries(self, request, period, as_of):
            what = f"targets of {', '.join(target_request.metrics)} over {span.start.date()}.."
            parts += self._explained(target_request, span, as_of, f"{what}{span.end.date()}")
        for name, build in PREPARED:
            sql = ibis.to_sql(build(self.sla), dialect=self.store.dialect)
            parts.append(f"-- {name}: materialized once per data version\n{sql};")
        return "\n\n".join(parts)

    def _explained(
        self, request: KpiRequest, period: Period, as_of: datetime, what: str
    ) -> list[str]:
        parts = []
        for fact_name, s in self._fact_slices(request, period, as_of):
            query = fact_query(FACTS[fact_name], s)
            sql = (
                "-- not available: this fact has no such dimension"
                if query is None
                else inline(ibis.to_sql(query, dialect=self.store.dialect), s)
            )
            parts.append(f"-- {what}, fact {fact_name}\n{sql};")
        return parts

    def _fact_slices(
        self, request: KpiRequest, period: Period, as_of: datetime
    ) -> list[tuple[str, Slice]]:
        """Each fact the request needs, with its slice trimmed to the measures wanted of it."""
        s = self._slice(request, period, as_of)
        needed = base_metrics(self.registry, request.metrics)
        out = []
        for fact_name in self._facts(request):
            wanted = frozenset(m for m in needed if m in FACT_METRICS[fact_name])
            out.append((fact_name, replace(s, measures=wanted)))
        return out

    def resolve(self, request: KpiRequest) -> tuple[datetime, Period]:
        """The request's as_of (naive UTC) and period.

        The default as_of is the clock to the second, so a response just recorded counts at once.
        """
        if request.as_of is not None:
            as_of = naive_utc(request.as_of)
        else:
            as_of = naive_utc(self.clock()).replace(microsecond=0)
        try:
            period = self.calendar.parse(request.period, as_of)
        except PeriodError as exc:
            raise RequestError("period", str(exc)) from exc
        grain = request.grain
        if grain is not None:
            n = len(self.calendar.buckets(grain, period.start, period.end))
            if n > MAX_BUCKETS:
                raise RequestError(
                    "by",
                    f"{n} {grain} buckets in {period.label}: at most {MAX_BUCKETS}; "
                    "use a coarser grain or a shorter period",
                )
        return as_of, period

    def prepare(self) -> int:
        """Materialize the prepared facts for the current data version (once).

        Lead KPIs need each lead's first handover, first response, channel and first
        opportunity; opportunity KPIs need their lead's campaign. Joining events, leads and
        opportunities in every query would dominate the cockpit's time, so the engine keeps them
        in temporary tables of the store (`facts.PREPARED`), rebuilt after each import.
        """
        version = data_version(self.store)
        with self._lock:
            if self._prepared == version:
                return version
            # the SLA the admin saved in the store (saving it moves the data version on)
            self.sla = SlaPolicy.from_settings(effective_settings(self.settings, self.store))
            # One transaction (it holds the store's lock): a query never finds a table missing.
            with self.store.transaction():
                for name, build in PREPARED:
                    if name == PREPARED_LEADS and not self.sla.simple:
                        self._prepare_sla()
                    sql = ibis.to_sql(build(self.sla), dialect=self.store.dialect)
                    self.store.execute(f"DROP TABLE IF EXISTS {name}")
                    self.store.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}")
            self._prepared = version
            self._computed.clear()
        return version

    def _prepare_sla(self) -> None:
        """Business-hours due dates and delays of every handed-over lead (sla.py), as a
        temporary table the prepared leads join."""
        state = self.store.fetch_arrow(
            f"SELECT s.lead_id, l.team, l.country, s.handover_at, s.response_at "
            f"FROM {HANDOVER_STATE} s JOIN leads l ON l.lead_id = s.lead_id"
        )
        self.store.execute(f"DROP TABLE IF EXISTS {SLA_TABLE}")
        self.store.create_temp_from_arrow(SLA_TABLE, self.sla.due_and_delay(state))

    def prepare_soon(self) -> None:
        """Start preparing the new data version in the background (after an import), so the
        first query after it does not pay for it alone."""
        threading.Thread(
            target=self._prepare_quietly, name="leadboard-prepare", daemon=True
        ).start()

    def _prepare_quietly(self) -> None:
        # Only a head start: when it fails (the store closed meanwhile, say), the next query
        # prepares again and reports the problem to its caller.
        try:
            self.prepare()
            for follow_up in self.after_prepare:
                follow_up()
        except Exception as exc:
            log.info("background preparation stopped: %s", exc)

    def compute(
        self, request: KpiRequest, period: Period, as_of: datetime, version: int | None = None
    ) -> Computed:
        """Base measures of every fact the request's metrics need, merged per cell (cached).

        `version` is the data version the caller has just prepared (saves asking again).
        """
        if version is None or version != self._prepared:
            version = self.prepare()
        key = (
            request.metrics,
            request.by,
            request.filters,
            request.scope.key(),
            period.start,
            period.end,
            as_of,
            version,
        )
        with self._lock:
            if key in self._computed:
                self._computed.move_to_end(key)
                return self._computed[key]
        computed = self._compute(request, period, as_of)
        with self._lock:
            self._computed[key] = computed
            while len(self._computed) > _CACHE_SIZE:
                self._computed.popitem(last=False)
        return computed

    def _compute(self, request: KpiRequest, period: Period, as_of: datetime) -> Computed:
        cells: Cells = {}
        unavailable: set[str] = set()
        notes = []
        for fact_name, s in self._fact_slices(request, period, as_of):
            measures = FACT_METRICS[fact_name]
            statement = compiled(FACTS[fact_name], s, self.store.dialect)
            if statement is None:
                unavailable.update(measures)
                continue
            result = self.store.fetch_dicts(*statement)
            missing_fx = 0
            for row in result:
                key = (*tuple(row.get(d) for d in s.by), _as_date(row.get(BUCKET)))
                cell = cells.setdefault(key, {})
                for m in measures:
                    cell[m] = _plain(row.get(m))
                missing_fx += int(row.get("_fx_missing") or 0)
            if missing_fx:
                notes.append(_fx_note(fact_name, missing_fx, self.currency))
        return Computed(cells, frozenset(unavailable), tuple(notes))

    # -- building ----------------------------------------------------------------------------

    def _slice(self, request: KpiRequest, period: Period, as_of: datetime) -> Slice:
        return Slice(
            start=period.start,
            end=period.end,
            by=request.dimensions,
            grain=request.grain,
            allowed=request.allowed(),
            as_of=as_of,
            currency=self.currency,
            sla_hours=self.settings.sla_hours,
            calendar=self.calendar,
            unprocessed_days=self.settings.unprocessed_days,
            stalled_days=self.settings.stalled_days,
        )

    def all_time_slice(
        self, by: tuple[str, ...] = (), allowed: dict[str, frozenset[str]] | None = None
    ) -> Slice:
        """Every record regardless of time (data quality, filter values)."""
        start, end = datetime(1900, 1, 1), datetime(2200, 1, 1)
        return Slice(
            start,
            end,
            by,
            None,
            allowed or {},
            end,
            self.currency,
            self.settings.sla_hours,
            self.calendar,
            self.settings.unprocessed_days,
            self.settings.stalled_days,
        )

    def _facts(self, request: KpiRequest) -> list[str]:
        return sorted(
            {self.registry[m].fact or "" for m in base_metrics(self.registry, request.metrics)}
        )

    def _build(
        self, request: KpiRequest, as_of: datetime, period: Period, version: int
    ) -> KpiTable:
        current = self.compute(request, period, as_of, version)
        rows = self._rows(request, period, current)
        columns = self._columns(request)
        notes = list(current.notes) + self._unavailable_notes(request, current.unavailable)
        if request.compare:
            previous_period = self.calendar.previous(period)
            previous = self.compute(request, previous_period, as_of, version)
            rows = self._with_previous(request, period, previous_period, rows, current, previous)
            columns = self._compare_columns(request, columns)
            notes += [_previous_note(n) for n in previous.notes]
        targets, target_notes = target_results(self, request, period, as_of, version)
        notes += [n for n in target_notes if n not in notes]
        return KpiTable(
            request=request.public(),
            columns=tuple(columns),
            rows=tuple(rows),
            as_of=as_of.isoformat() + "Z",
            data_version=version,
            period={
                "label": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            },
            currency=self.currency,
            targets=tuple(targets),
            notes=tuple(notes),
        )

    def _unavailable_notes(
        self, request: KpiRequest, unavailable: frozenset[str]
    ) -> list[QualityNote]:
        """Why a metric has no value: its records lack a dimension the request groups or
        filters by (costs and budgets have only their campaign's dimensions)."""
        wanted = set(request.dimensions) | set(request.allowed())
        notes = []
        for fact_name in self._facts(request):
            fact = FACTS[fact_name]
            lacking = sorted(wanted - set(fact.dimensions))
            parts = set(FACT_METRICS[fact_name]) & unavailable
            metrics = tuple(
                m for m in request.metrics if set(base_metrics(self.registry, (m,))) & parts
            )
            if not lacking or not metrics:
                continue
            notes.append(
                QualityNote(
                    "not_available",
                    f"{', '.join(metrics)} cannot be grouped or filtered by "
                    f"{', '.join(lacking)}: {_RECORDS[fact_name]} have no such dimension "
                    f"(they have {', '.join(fact.dimensions)}).",
                    0,
                    metrics,
                )
            )
        return notes

    def _rows(
        self, request: KpiRequest, period: Period, computed: Computed
    ) -> list[dict[str, Any]]:
        cells = dict(computed.cells)
        grain = request.grain
        if not request.dimensions:  # every bucket (or the one total row) shows, even if empty
            for bucket, _ in self._bucket_labels(grain, period):
                cells.setdefault((bucket,), {})
        rows = []
        for key in sorted(cells, key=_sort_key):
            row: dict[str, Any] = dict(zip(request.dimensions, key[:-1], strict=True))
            if grain is not None:
                row[grain] = self.calendar.label(grain, key[-1])
            row.update(self.metric_values(request.metrics, cells[key], computed.unavailable))
            rows.append(row)
        return rows

    def metric_values(
        self, metrics: tuple[str, ...], cell: dict[str, Any], unavailable: frozenset[str]
    ) -> dict[str, Any]:
        """Requested metrics from one cell's base measures; ratios with a 0 denominator: None."""
        out: dict[str, Any] = {}
        for name in metrics:
            out[name] = derive(self.registry[name], cell, unavailable)
        return out

    def _columns(self, request: KpiRequest) -> list[ColumnInfo]:
        columns = [ColumnInfo(d, DIMENSION_LABELS[d], "dimension") for d in request.by]
        for name in request.metrics:
            kpi = self.registry[name]
            columns.append(ColumnInfo(name, kpi.label["en"], kpi.unit))
        return columns

    def _compare_columns(self, request: KpiRequest, columns: list[ColumnInfo]) -> list[ColumnInfo]:
        out = list(columns)
        for name in request.metrics:
            kpi = self.registry[name]
            out.append(ColumnInfo(f"{name}_previous", f"{kpi.label['en']} (previous)", kpi.unit))
            out.append(ColumnInfo(f"{name}_delta", f"{kpi.label['en']} Δ", kpi.unit))
        return out

    def _with_previous(
        self,
        request: KpiRequest,
        period: Period,
        previous_period: Period,
        rows: list[dict[str, Any]],
        current: Computed,
        previous: Computed,
    ) -> list[dict[str, Any]]:
        """Adds `<metric>_previous` and `<metric>_delta`; buckets pair up by position.

        A group found only in the previous period gets a row too (its current counts are 0); a
        bucket with no counterpart (the 31st against a month of 30 days) has no previous value.
        """
        grain = request.grain
        dims = request.dimensions
        now_buckets = self._bucket_labels(grain, period)
        before_buckets = self._bucket_labels(grain, previous_period)
        before_position = {day: i for i, (day, _) in enumerate(before_buckets)}
        earlier = {
            (*key[:-1], before_position.get(key[-1], 0)): cell
            for key, cell in previous.cells.items()
        }
        now_position = {label: i for i, (_, label) in enumerate(now_buckets)}
        none = dict.fromkeys(request.metrics)
        out: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        seen = set()
        for row in rows:
            key = (*(row[d] for d in dims), now_position.get(row[grain], 0) if grain else 0)
            seen.add(key)
            has_counterpart = key[-1] < len(before_buckets)
            values = (
                self.metric_values(request.metrics, earlier.get(key, {}), previous.unavailable)
                if has_counterpart
                else none
            )
            out.append((key, self._compared(request, row, values)))
        for key, cell in earlier.items():
            if key in seen or key[-1] >= len(now_buckets):
                continue
            row = dict(zip(dims, key[:-1], strict=True))
            if grain is not None:
                row[grain] = now_buckets[key[-1]][1]
            row.update(self.metric_values(request.metrics, {}, current.unavailable))
            values = self.metric_values(request.metrics, cell, previous.unavailable)
            out.append((key, self._compared(request, row, values)))
        out.sort(key=lambda item: _sort_key(item[0]))
        return [row for _, row in out]

    def _bucket_labels(self, grain: str | None, period: Period) -> list[tuple[date | None, str]]:
        """(bucket start, label) of each bucket of the period; one unlabelled without a grain."""
        out: list[tuple[date | None, str]] = []
        if grain is None:
            return [(None, "")]
        for start, _ in self.calendar.buckets(grain, period.start, period.end):
            day = self.calendar.bucket_start(grain, start).date()
            out.append((day, self.calendar.label(grain, day)))
        return out

    @staticmethod
    def _compared(
        request: KpiRequest, row: dict[str, Any], previous: dict[str, Any]
    ) -> dict[str, Any]:
        new = dict(row)
        for name in request.metrics:
            before, now = previous[name], row[name]
            new[f"{name}_previous"] = before
            new[f"{name}_delta"] = None if before is None or now is None else now - before
        return new


def _plain(value: Any) -> Any:
    """Drivers return sums as Decimal (DuckDB's SUM of BIGINT is HUGEINT): plain numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _sort_key(key: Key) -> tuple[Any, ...]:
    return tuple((v is None, v if v is not None else "") for v in key)


_RECORDS = {
    "lead": "leads",
    "handover": "handovers",
    "response": "responses",
    "pending": "pending leads",
    "unprocessed": "unprocessed leads",
    "stalled": "stalled leads",
    "recycled": "recycled leads",
    "opportunity": "opportunities",
    "closed": "closed opportunities",
    "cost": "cost entries",
    "budget": "campaign budgets",
}


def _fx_note(fact: str, count: int, currency: str) -> QualityNote:
    what = {
        "opportunity": "opportunities",
        "closed": "won opportunities",
        "cost": "cost entries",
        "budget": "campaign budgets",
    }[fact]
    metrics = tuple(m for m in FACT_METRICS[fact] if m.endswith(("volume", "cost", "planned")))
    return QualityNote(
        "missing_fx_rate",
        f"{count} {what} have no FX rate to {currency} for their currency and month; their "
        f"amounts are left out of {', '.join(metrics)}. Import the rates (fx_rates).",
        count,
        metrics,
    )


def _previous_note(note: QualityNote) -> QualityNote:
    return QualityNote(note.code, f"previous period: {note.message}", note.count, note.metrics)
