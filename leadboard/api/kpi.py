"""KPI endpoints: the engine's results, SQL, records, registry, dimension values, data quality."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from leadboard.metrics.calendar import GRAINS
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.facts import DIMENSIONS
from leadboard.metrics.quality import quality_report
from leadboard.metrics.records import records
from leadboard.metrics.request import KpiRequest, RequestError, Scope, parse_request
from leadboard.metrics.values import dimension_values

router = APIRouter(tags=["kpi"])


def get_engine(request: Request) -> KpiEngine:
    engine: KpiEngine = request.app.state.engine
    return engine


def get_scope(request: Request) -> Scope:
    """The caller's scope. Users and roles come later; until then every caller is an admin."""
    return Scope.everything()


EngineDep = Annotated[KpiEngine, Depends(get_engine)]
ScopeDep = Annotated[Scope, Depends(get_scope)]
MetricQ = Annotated[
    list[str], Query(description="Metric names, repeated or comma separated (see /metrics).")
]
ByQ = Annotated[
    list[str] | None,
    Query(description=f"Group by: {', '.join(DIMENSIONS)}; and one grain: {', '.join(GRAINS)}."),
]
FilterQ = Annotated[
    list[str] | None,
    Query(alias="filter", description="dimension=value, repeated (several values: OR)."),
]
PeriodQ = Annotated[
    str,
    Query(
        description="2026, 2026-Q3, 2026-07, last-30-days, this-month, ... or "
        "2026-01-01..2026-04-01 (to exclusive)."
    ),
]
AsOfQ = Annotated[str | None, Query(description="The clock, ISO 8601 (default: now).")]


def kpi_request(
    scope: ScopeDep,
    metric: MetricQ,
    by: ByQ = None,
    filters: FilterQ = None,
    period: PeriodQ = "this-year",
    as_of: AsOfQ = None,
    compare: bool = False,
) -> KpiRequest:
    return parse_request(scope, metric, by, filters, period, as_of, compare)


RequestDep = Annotated[KpiRequest, Depends(kpi_request)]


def request_error(_: Request, exc: Exception) -> JSONResponse:
    """422 naming the parameter and what is allowed, in FastAPI's error shape."""
    assert isinstance(exc, RequestError)
    where = "path" if exc.parameter in _PATH_PARAMETERS else "query"
    detail = [{"loc": [where, exc.parameter], "msg": exc.message, "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=422)


_PATH_PARAMETERS = ("dim",)


def _allowed(parameter: str) -> str | None:
    """What a parameter FastAPI checks by itself accepts, for its 422 message."""
    from leadboard.metrics.registry import registry

    return {
        "metric": "one or more of " + ", ".join(k.name for k in registry().visible()),
        "compare": "true or false",
        "desc": "true or false",
        "format": "json or csv",
        "limit": "a whole number from 1 to 100000",
        "offset": "a whole number ≥ 0",
    }.get(parameter)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422s (missing or mistyped parameters), naming what is allowed."""
    assert isinstance(exc, RequestValidationError)
    detail = []
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        parameter = str(loc[-1]) if loc else ""
        message = f"{parameter}: {error.get('msg', 'invalid')}"
        allowed = _allowed(parameter)
        if allowed:
            message += f"; allowed: {allowed}"
        detail.append({"loc": loc, "msg": message, "type": error.get("type", "value_error")})
    return JSONResponse({"detail": detail}, status_code=422)


@router.get("/kpi")
def kpi(
    engine: EngineDep,
    request: RequestDep,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Response:
    """KPI values for metrics × dimensions, with targets and notes (the same JSON as the CLI)."""
    table = engine.query(request)
    if format == "csv":
        return PlainTextResponse(table.to_csv(), media_type="text/csv")
    return JSONResponse(table.to_json())


@router.get("/kpi/explain", response_class=PlainTextResponse)
def explain(engine: EngineDep, request: RequestDep) -> str:
    """The SQL the engine runs for this request on the connected store."""
    return engine.explain(request)


@router.get("/records")
def get_records(
    engine: EngineDep,
    request: RequestDep,
    cell: Annotated[
        list[str] | None,
        Query(description="The cell: dimension=value per grouped dimension (empty value: none)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: str | None = None,
    desc: bool = False,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Response:
    """The records behind the first metric in one cell, paginated and sortable; CSV on request."""
    values: dict[str, str | None] = {}
    for item in cell or []:
        dim, sep, value = item.partition("=")
        if not sep:
            raise RequestError("cell", f"{item!r} is not dimension=value")
        values[dim.strip()] = value.strip() or None
    page = records(engine, request, request.metrics[0], values, limit, offset, sort or None, desc)
    if format == "csv":
        return PlainTextResponse(
            page.to_csv(),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{page.metric}.csv"'},
        )
    return JSONResponse(page.to_json())


@router.get("/metrics")
def metrics(engine: EngineDep) -> list[dict[str, Any]]:
    """The KPI registry: every metric with labels and descriptions (en, de), unit and formula."""
    return [k.public() for k in engine.registry.visible()]


@router.get("/dimensions/{dim}/values")
def values(engine: EngineDep, scope: ScopeDep, dim: str) -> list[str]:
    """The values of a dimension that occur in the store, within the caller's scope."""
    if dim not in DIMENSIONS:
        raise RequestError("dim", f"unknown dimension {dim!r}; allowed: {', '.join(DIMENSIONS)}")
    return dimension_values(engine, scope, dim)


@router.get("/quality")
def quality(engine: EngineDep, scope: ScopeDep) -> list[dict[str, Any]]:
    """Data-quality problems: missing FX rates, leads without team, orphans, ... with records."""
    return [i.public() for i in quality_report(engine, scope)]
