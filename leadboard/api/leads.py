"""Sales' response to a handed-over lead: accept, or reject with a reason and a note."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from leadboard.api.deps import SettingsDep, StoreDep
from leadboard.sources.responses import Response, ResponseError, reasons_of, record_response

router = APIRouter(tags=["handover"])


class LeadEvent(BaseModel):
    event: Literal["accepted", "rejected"]
    actor: str = Field(min_length=1, description="Who responds (the sales team member).")
    reason: str | None = Field(None, description="For a rejection: one of the configured reasons.")
    note: str | None = Field(None, description="Free text with the feedback.")
    occurred_at: datetime | None = Field(None, description="When; default now.")


@router.post("/leads/{lead_id}/events")
def post_lead_event(
    lead_id: str, body: LeadEvent, store: StoreDep, settings: SettingsDep, request: Request
) -> dict[str, Any]:
    """Record sales' response to a handed-over lead as a `lead_events` row, through the same
    validation as an import; the KPIs and alerts follow at once."""
    try:
        report = record_response(
            store,
            Response(lead_id, body.event, body.actor, body.reason, body.note, body.occurred_at),
            reasons_of(settings.rejection_reasons),
        )
    except ResponseError as exc:
        raise HTTPException(422, detail=[{"loc": ["body", exc.field], "msg": exc.message}]) from exc
    if report.status != "committed":
        raise HTTPException(422, detail=[i.as_dict() for i in report.issues])
    request.app.state.engine.prepare_soon()
    return {
        "status": "committed",
        "lead_id": lead_id,
        "event": body.event,
        "data_version": report.data_version,
    }


@router.get("/rejection-reasons")
def rejection_reasons(settings: SettingsDep) -> list[str]:
    """The reasons sales chooses from when it rejects a lead."""
    return reasons_of(settings.rejection_reasons)
