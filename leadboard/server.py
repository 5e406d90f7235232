"""The whole server: the JSON API and the dashboard on one FastAPI app, served by uvicorn.

Opens the store, advertises the address next to an embedded store file (so CLI commands go
through the server while it holds the file) and removes the advert when it stops.
"""

from __future__ import annotations

from collections.abc import Callable

import uvicorn
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from leadboard.api.app import create_app
from leadboard.reports.schedule import start_scheduler
from leadboard.settings import Settings
from leadboard.store import Store, StoreUrl, open_store
from leadboard.store.advert import remove_advert, write_advert
from leadboard.web.app import mount_dashboard


def build_app(
    store: Store, settings: Settings, on_stop: Callable[[], None] | None = None
) -> FastAPI:
    """API under /api/v1 (docs at /docs) and the dashboard pages, one engine behind both."""
    app = create_app(store, settings, on_stop)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/cockpit")

    mount_dashboard(app, app.state.engine)
    return app


def run_server(settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted; meanwhile CLI commands on the same store go through this server."""
    url = StoreUrl(settings.database_url)
    store = open_store(settings.database_url)
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:
            stopped = True
            if url.dialect == "duckdb":
                remove_advert(url)
            store.close()

    app = build_app(store, settings, on_stop=stop)
    schedule = start_scheduler(app.state.engine, settings)
    if schedule is not None:
        print(
            f"Scheduled reports: {len(settings.report_subscriptions)} subscription(s)", flush=True
        )
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if url.dialect == "duckdb":
        write_advert(url, address)
    print(f"Leadboard is serving {url.display} on {address} (API docs: {address}/docs)", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if schedule is not None:
            schedule.set()
        stop()
