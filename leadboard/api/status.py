"""Health and store status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from leadboard import __version__
from leadboard.api.deps import StoreDep
from leadboard.store.status import store_status

router = APIRouter(tags=["status"])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: answers when the server runs."""
    return {"status": "ok", "version": __version__}


@router.get("/status")
def status(store: StoreDep) -> dict[str, Any]:
    """The store: where it is, schema and data version, rows per table."""
    return store_status(store)
