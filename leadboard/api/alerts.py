"""Alerts: what is off target, off its SLA or off its peers, with the recommended action."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from leadboard.alerts.service import alerts
from leadboard.api.kpi import EngineDep, ScopeDep
from leadboard.metrics.request import RequestError

router = APIRouter(tags=["alerts"])


@router.get("/alerts")
def get_alerts(
    engine: EngineDep,
    scope: ScopeDep,
    status: Annotated[
        str, Query(description="open (default), resolved, or all (the live view only).")
    ] = "open",
    as_of: Annotated[
        str | None,
        Query(description="Evaluate at this moment (ISO 8601) instead of now; not stored."),
    ] = None,
) -> list[dict[str, Any]]:
    """Every alert in the caller's scope: rule, severity, scope, KPI, actual, reference, gap,
    the records behind it, the recommendation (de, en), first/last seen and status."""
    moment = None
    if as_of is not None:
        try:
            moment = datetime.fromisoformat(as_of.replace("Z", "+00:00"))
        except ValueError as exc:
            raise RequestError("as_of", f"cannot read {as_of!r} as an ISO 8601 moment") from exc
    return alerts(engine, scope, moment, status)
