"""What a report holds: the engine's results for the views of PRODUCT.md, for one request.

The XLSX workbook and the PPTX deck are both written from a `Report`, so they show exactly the
numbers the dashboard and the API show for the same period, filters and as-of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from leadboard.alerts.service import alerts
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.records import RecordPage, records
from leadboard.metrics.registry import Kpi
from leadboard.metrics.request import KpiRequest, RequestError, Scope, parse_request
from leadboard.metrics.table import KpiTable, TargetResult
from leadboard.metrics.targets import light_state, target_for
from leadboard.reports.views import TILES, VIEWS, View

LANGUAGES = ("en", "de")
# Rows per records sheet (the newest); the cover says when there were more and where to get
# them all (the records API as CSV). Writing cells dominates the workbook's time: 5,000 rows
# of leads take about 1.3 s here.
RECORD_LIMIT = 5_000
CAMPAIGN_TARGET_METRICS = ("leads", "opportunities", "opportunity_volume")
PAGES = (
    "cockpit",
    "campaigns",
    "budget",
    "leads",
    "handover",
    "topics",
    "regions",
    "opportunities",
    "alerts",
)


@dataclass(frozen=True)
class ReportRequest:
    period: str = "this-year"
    filters: tuple[str, ...] = ()  # dimension=value
    lang: str = "en"
    as_of: datetime | None = None
    page: str | None = None  # only what this dashboard page shows; None: everything


@dataclass(frozen=True)
class Tile:
    metric: str
    label: str
    unit: str
    value: Any
    previous: Any
    delta: Any
    target: TargetResult | None
    state: str  # green | amber | red | grey


@dataclass(frozen=True)
class Section:
    """A view's result with its target columns (a campaign's own targets)."""

    view: View
    table: KpiTable
    target_columns: list[tuple[str, str, str]] = field(default_factory=list)  # name, label, unit

    @property
    def rows(self) -> list[dict[str, Any]]:
        return list(self.table.rows)


@dataclass(frozen=True)
class Report:
    request: ReportRequest
    lang: str
    as_of: str
    data_version: int
    period: dict[str, str]
    currency: str
    generated_at: datetime
    tiles: list[Tile]
    global_target: TargetResult | None
    sections: list[Section]
    alerts: list[dict[str, Any]]
    records: list[RecordPage]
    definitions: list[Kpi]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.view.key == key), None)


def _request(
    engine: KpiEngine,
    scope: Scope,
    req: ReportRequest,
    metrics: list[str],
    by: list[str],
    compare: bool = False,
) -> KpiRequest:
    return parse_request(scope, metrics, by, list(req.filters), req.period, req.as_of, compare)


def build_report(engine: KpiEngine, scope: Scope, req: ReportRequest) -> Report:
    """Every number of the report, from the engine, for the request's period and filters."""
    if req.lang not in LANGUAGES:
        raise RequestError("lang", f"unknown language {req.lang!r}; allowed: en, de")
    if req.page is not None and req.page not in PAGES:
        raise RequestError("page", f"unknown page {req.page!r}; allowed: {', '.join(PAGES)}")
    lang = req.lang
    registry = engine.registry
    cockpit = engine.query(_request(engine, scope, req, list(TILES), [], compare=True))
    row = cockpit.rows[0] if cockpit.rows else {}
    tiles = [
        Tile(
            metric=m,
            label=registry[m].label[lang],
            unit=registry[m].unit,
            value=row.get(m),
            previous=row.get(f"{m}_previous"),
            delta=row.get(f"{m}_delta"),
            target=target_for(cockpit, m),
            state=light_state(target_for(cockpit, m), registry[m].higher_is_better),
        )
        for m in TILES
    ]
    views = [v for v in VIEWS if req.page is None or req.page in v.pages]
    sections = [_section(engine, scope, req, v) for v in views]
    wanted_alerts = req.page is None or req.page in ("cockpit", "alerts")
    found = _alerts(engine, scope, req) if wanted_alerts else []
    pages = []
    if req.page is None or req.page in ("leads", "cockpit", "campaigns"):
        leads = _request(engine, scope, req, ["leads"], [])
        pages.append(
            records(
                engine, leads, "leads", {}, limit=RECORD_LIMIT, sort="created_at", descending=True
            )
        )
    if req.page is None or req.page in ("opportunities", "cockpit", "campaigns"):
        opps = _request(engine, scope, req, ["opportunities"], [])
        pages.append(
            records(
                engine,
                opps,
                "opportunities",
                {},
                limit=RECORD_LIMIT,
                sort="created_at",
                descending=True,
            )
        )
    return Report(
        request=req,
        lang=lang,
        as_of=cockpit.as_of,
        data_version=cockpit.data_version,
        period=cockpit.period,
        currency=cockpit.currency,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        tiles=tiles,
        global_target=target_for(cockpit, "opportunity_volume"),
        sections=sections,
        alerts=found,
        records=pages,
        definitions=list(registry.visible()),
    )


def _section(engine: KpiEngine, scope: Scope, req: ReportRequest, view: View) -> Section:
    table = engine.query(_request(engine, scope, req, list(view.metrics), list(view.by)))
    if not view.targets or view.by != ("campaign",):
        return Section(view, table)
    # a campaign's own targets: target and achievement next to the metric
    registry, lang = engine.registry, req.lang
    columns: list[tuple[str, str, str]] = []
    rows = []
    found = {
        (t.metric, t.scope.get("campaign")): t
        for t in table.targets
        if set(t.scope) == {"campaign"}
    }
    for metric in CAMPAIGN_TARGET_METRICS:
        if not any((metric, r.get("campaign")) in found for r in table.rows):
            continue
        label = registry[metric].label[lang]
        target_word, achieved_word = (
            ("Ziel", "Zielerreichung") if lang == "de" else ("target", "achievement")
        )
        columns.append((f"{metric}_target", f"{label}: {target_word}", registry[metric].unit))
        columns.append((f"{metric}_achievement", f"{label}: {achieved_word}", "percent"))
    for r in table.rows:
        extra: dict[str, Any] = {}
        for name, _, _ in columns:
            metric = name.rsplit("_", 1)[0]
            t = found.get((metric, r.get("campaign")))
            extra[name] = (
                None if t is None else (t.target if name.endswith("_target") else t.achievement)
            )
        rows.append({**r, **extra})
    table = KpiTable(
        table.request,
        table.columns,
        tuple(rows),
        table.as_of,
        table.data_version,
        table.period,
        table.currency,
        table.targets,
        table.notes,
    )
    return Section(view, table, columns)


def _alerts(engine: KpiEngine, scope: Scope, req: ReportRequest) -> list[dict[str, Any]]:
    """The alerts in the report's scope: the caller's scope narrowed by the filters."""
    filters: dict[str, set[str]] = {}
    for item in req.filters:
        dim, _, value = item.partition("=")
        filters.setdefault(dim.strip(), set()).add(value.strip())
    if not filters and req.as_of is None:
        return alerts(engine, scope)
    allowed = dict(scope.allowed or {})
    for dim, values in filters.items():
        allowed[dim] = allowed[dim] & frozenset(values) if dim in allowed else frozenset(values)
    narrowed = Scope(allowed) if allowed else scope
    return alerts(engine, narrowed, req.as_of)


def filters_text(req: ReportRequest) -> str:
    return ", ".join(req.filters) if req.filters else "–"
