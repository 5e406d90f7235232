"""The response SLA state of a pending lead: within, due soon, or overdue."""

from __future__ import annotations

DUE_SOON_SHARE = 0.75  # of the SLA gone: the response is due soon


def sla_state(age_h: float, sla_h: float) -> str:
    """`overdue` past the SLA (as `overdue_handover` counts), `due_soon` in its last quarter."""
    if age_h > sla_h:
        return "overdue"
    if age_h > DUE_SOON_SHARE * sla_h:
        return "due_soon"
    return "within"
