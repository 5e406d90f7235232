"""The FastAPI application: JSON API under /api/v1, OpenAPI docs at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from leadboard import __version__
from leadboard.alerts.service import refresh_if_stale
from leadboard.api import alerts, imports, kpi, leads, reports, status
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import RequestError
from leadboard.settings import Settings
from leadboard.store import Store


def create_app(
    store: Store, settings: Settings, on_stop: Callable[[], None] | None = None
) -> FastAPI:
    """The app around an open store; the caller owns the store (`on_stop` runs at shutdown)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if on_stop is not None:
                on_stop()

    app = FastAPI(
        title="Leadboard API",
        version=__version__,
        description="The single source of truth for B2B marketing and sales: leads, handover, "
        "opportunities, budgets and targets.",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings
    engine = KpiEngine(store, settings=settings)
    engine.after_prepare.append(lambda: refresh_if_stale(engine, settings))
    app.state.engine = engine
    app.add_exception_handler(RequestError, kpi.request_error)
    app.add_exception_handler(RequestValidationError, kpi.validation_error)
    app.include_router(status.router, prefix="/api/v1")
    app.include_router(imports.router, prefix="/api/v1")
    app.include_router(kpi.router, prefix="/api/v1")
    app.include_router(alerts.router, prefix="/api/v1")
    app.include_router(leads.router, prefix="/api/v1")
    app.include_router(reports.router, prefix="/api/v1")
    return app
