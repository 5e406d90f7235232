"""What is in a store: versions and row counts."""

from __future__ import annotations

from typing import Any

from leadboard.model.entities import ENTITIES
from leadboard.store.connection import Store
from leadboard.store.ingest import data_version
from leadboard.store.schema import current_version


def store_status(store: Store) -> dict[str, Any]:
    counts = {e.name: int(store.scalar(f"SELECT count(*) FROM {e.name}")) for e in ENTITIES}
    return {
        "store": store.url.display,
        "dialect": store.dialect,
        "schema_version": current_version(store),
        "data_version": data_version(store),
        "rows": counts,
    }
