"""The store: connections, schema and its upgrades, writing validated data."""

from __future__ import annotations

from leadboard.store.connection import Store, StoreError, StoreLockedError, StoreUrl
from leadboard.store.schema import migrate


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Open the store at `url` (a `.duckdb` path or a `postgresql://` URL); create/upgrade it."""
    store = Store(StoreUrl(url))
    if upgrade:
        try:
            migrate(store)
        except BaseException:
            store.close()
            raise
    return store


__all__ = ["Store", "StoreError", "StoreLockedError", "StoreUrl", "open_store"]
