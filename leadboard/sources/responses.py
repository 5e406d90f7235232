"""Sales responds in Leadboard: accept a handed-over lead, or reject it with a reason.

The response becomes a `lead_events` row (who, when, reason, note) written through the same
validation and transaction as any import, so the KPIs, alerts and pages see it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

from leadboard.model.entities import BY_NAME
from leadboard.sources.files import RawFrame, frame_from_columns
from leadboard.sources.importer import ImportOptions, ImportReport, import_frames
from leadboard.store import Store

RESPONSES = ("accepted", "rejected")


class ResponseError(ValueError):
    """A response that cannot be recorded: names the field and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Response:
    lead_id: str
    event: str  # accepted | rejected
    actor: str
    reason: str | None = None
    note: str | None = None
    occurred_at: datetime | None = None  # default: now


def reasons_of(setting: str) -> list[str]:
    """The configured rejection reasons (a comma-separated setting)."""
    return [r.strip() for r in setting.split(",") if r.strip()]


def record_response(
    store: Store, response: Response, reasons: list[str], now: datetime | None = None
) -> ImportReport:
    """Check the response against the lead's state, then write it as an import of one event."""
    if response.event not in RESPONSES:
        raise ResponseError("event", f"must be accepted or rejected, not {response.event!r}")
    actor = response.actor.strip()
    if not actor:
        raise ResponseError("actor", "say who responds")
    reason = (response.reason or "").strip() or None
    note = (response.note or "").strip() or None
    if response.event == "rejected" and reason not in reasons:
        raise ResponseError("reason", f"a rejection needs one of: {', '.join(reasons)}")
    if response.event == "accepted" and reason is not None:
        raise ResponseError("reason", "only a rejection has a reason; use the note")
    at = response.occurred_at or now or datetime.now(UTC)
    at = (at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)).replace(microsecond=0)
    lead = store.fetch_dicts(
        "SELECT lead_id, team FROM leads WHERE lead_id = ?", [response.lead_id]
    )
    if not lead:
        raise ResponseError("lead_id", f"no lead {response.lead_id!r}")
    state = store.fetch_dicts(
        "SELECT max(CASE WHEN event = 'handed_over' THEN occurred_at END) AS handed, "
        "max(CASE WHEN event IN ('accepted', 'rejected') THEN occurred_at END) AS answered "
        "FROM lead_events WHERE lead_id = ?",
        [response.lead_id],
    )[0]
    handed, answered = state["handed"], state["answered"]
    if handed is None:
        raise ResponseError("lead_id", f"lead {response.lead_id} was never handed over to sales")
    if answered is not None and answered >= handed:
        raise ResponseError(
            "lead_id", f"lead {response.lead_id} was already answered at {answered:%Y-%m-%d %H:%M}"
        )
    if at.replace(tzinfo=None) < handed:
        raise ResponseError("occurred_at", f"before the handover at {handed:%Y-%m-%d %H:%M}")
    columns = {
        "lead_id": response.lead_id,
        "event": response.event,
        "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "team": lead[0]["team"],
        "actor": actor,
        "reason": reason,
        "note": note,
    }
    entity = BY_NAME["lead_events"]
    frame: RawFrame = frame_from_columns(
        entity,
        f"handover:{actor}",
        {k: pa.chunked_array([pa.array([v], pa.string())]) for k, v in columns.items()},
    )
    return import_frames(store, [frame], [], [frame.source], ImportOptions(user=actor))
