"""A small valid canonical data set written as real CSV files, for import tests to break."""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

from leadboard.model.entities import BY_NAME

Rows = list[dict[str, Any]]

VALID: dict[str, Rows] = {
    "campaigns": [
        {
            "campaign_id": "C1",
            "name": "Cloud Webinar",
            "channel": "Webinar",
            "topic": "Cloud",
            "unit": "Cloud",
            "country": "DE",
            "team": "MKT-DE",
            "start_date": "2026-01-01",
            "end_date": "2026-03-31",
            "budget_planned": "10000",
            "currency": "EUR",
            "target_leads": "100",
            "target_opportunities": "10",
            "target_opportunity_volume": "500000",
        },
        {
            "campaign_id": "C2",
            "name": "Security Event",
            "channel": "Event",
            "topic": "Security",
            "unit": "Security",
            "country": "US",
            "team": "MKT-US",
            "start_date": "2026-02-01",
            "end_date": "2026-02-28",
            "budget_planned": "20000.50",
            "currency": "USD",
        },
    ],
    "campaign_costs": [
        {
            "campaign_id": "C1",
            "date": "2026-01-15",
            "amount": "1200.00",
            "currency": "EUR",
            "category": "media",
        },
        {
            "campaign_id": "C2",
            "date": "2026-02-10",
            "amount": "5000",
            "currency": "USD",
            "category": "event",
        },
    ],
    "accounts": [
        {
            "account_id": "A1",
            "name": "Acme GmbH",
            "industry": "Manufacturing",
            "country": "DE",
            "unit": "Cloud",
            "segment": "Enterprise",
        },
    ],
    "leads": [
        {
            "lead_id": "L1",
            "created_at": "2026-01-05T10:00:00Z",
            "campaign_id": "C1",
            "account_id": "A1",
            "topic": "Cloud",
            "unit": "Cloud",
            "country": "DE",
            "team": "DE-North",
        },
        {
            "lead_id": "L2",
            "created_at": "2026-02-03T08:15:00+01:00",
            "campaign_id": "C2",
            "country": "US",
            "team": "US-East",
        },
        {
            "lead_id": "L3",
            "created_at": "2026-02-04T09:00:00Z",
            "source": "Website",
            "country": "DE",
            "team": "DE-North",
        },
    ],
    "lead_events": [
        {"lead_id": "L1", "event": "qualified", "occurred_at": "2026-01-05T11:00:00Z"},
        {
            "lead_id": "L1",
            "event": "handed_over",
            "occurred_at": "2026-01-05T12:00:00Z",
            "team": "DE-North",
            "actor": "mkt.anna",
        },
        {
            "lead_id": "L1",
            "event": "accepted",
            "occurred_at": "2026-01-06T09:00:00Z",
            "team": "DE-North",
            "actor": "rep.bernd",
        },
        {
            "lead_id": "L2",
            "event": "handed_over",
            "occurred_at": "2026-02-03T10:00:00Z",
            "team": "US-East",
        },
        {
            "lead_id": "L2",
            "event": "rejected",
            "occurred_at": "2026-02-05T10:00:00Z",
            "team": "US-East",
            "reason": "No budget",
        },
    ],
    "opportunities": [
        {
            "opportunity_id": "O1",
            "created_at": "2026-01-20T10:00:00Z",
            "lead_id": "L1",
            "account_id": "A1",
            "topic": "Cloud",
            "unit": "Cloud",
            "country": "DE",
            "team": "DE-North",
            "stage": "Closed Won",
            "amount": "120000",
            "currency": "EUR",
            "status": "won",
            "closed_at": "2026-03-01T10:00:00Z",
            "probability": "1",
        },
        {
            "opportunity_id": "O2",
            "created_at": "2026-02-20T10:00:00Z",
            "country": "US",
            "amount": "50000",
            "currency": "USD",
            "status": "open",
            "stage": "Proposal",
        },
    ],
    "targets": [
        {"period": "2026", "metric": "leads", "value": "1000"},
        {"period": "2026-Q1", "metric": "opportunity_volume", "value": "250000", "unit": "Cloud"},
    ],
    "fx_rates": [
        {"currency": "EUR", "month": "2026-01", "eur_per_unit": "1"},
        {"currency": "USD", "month": "2026-02", "eur_per_unit": "0.92"},
    ],
}


def dataset() -> dict[str, Rows]:
    return copy.deepcopy(VALID)


def write_csv(folder: Path, name: str, rows: Rows, header: list[str] | None = None) -> Path:
    """Write rows as a canonical CSV file (missing keys = empty cells)."""
    entity = BY_NAME.get(name.removesuffix(".csv"))
    cols = header or (list(entity.column_names) if entity else list(rows[0]))
    path = folder / (name if name.endswith(".csv") else f"{name}.csv")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(cols)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in cols])
    return path


def write_dataset(folder: Path, data: dict[str, Rows]) -> list[Path]:
    return [write_csv(folder, name, rows) for name, rows in data.items()]
