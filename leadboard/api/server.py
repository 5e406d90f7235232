"""Running the app: open the store, advertise the address next to it, serve with uvicorn."""

from __future__ import annotations

import uvicorn

from leadboard.api.app import create_app
from leadboard.settings import Settings
from leadboard.store import StoreUrl, open_store
from leadboard.store.advert import remove_advert, write_advert


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

    app = create_app(store, settings, on_stop=stop)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if url.dialect == "duckdb":
        write_advert(url, address)
    print(f"Leadboard is serving {url.display} on {address} (API docs: {address}/docs)", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        stop()
