"""A seeded canonical data set for the KPI oracle test, with the edge cases written in by hand.

Everything is text, as in the CSV files: `generate()` returns {entity: rows}.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

Rows = list[dict[str, Any]]

SEED = 20260701
COUNTRIES = ["DE", "DE", "DE", "AT", "CH", "FR", "GB", "US", "US", "JP", "XX", None]
SALES_TEAMS = ["DE-North", "DE-South", "AT-Vienna", "US-East", "US-West", "UK-London", None]
OWNERS = ["rep.anna", "rep.bernd", "rep.clara", "rep.dave", "rep.eve", None]
TOPICS = ["Cloud", "Security", "Data", "Workplace", None]
UNITS = ["Cloud", "Security", "Services", None]
SOURCES = ["Website", "Referral", "Partner", None]

# id, channel, topic, unit, country, start, end, budget, currency
CAMPAIGNS = [
    ("C01", "Webinar", "Cloud", "Cloud", "DE", "2025-11-15", "2026-02-10", "12000", "EUR"),
    ("C02", "Event", "Security", "Security", "US", "2026-03-01", "2026-03-31", "30000", "USD"),
    ("C03", "Paid Search", "Data", "Services", "DE", "2026-01-01", "2026-12-31", "50000", ""),
    ("C04", "Email", "Workplace", "Services", "GB", "2026-06-20", "2026-07-10", "8000.50", "GBP"),
    ("C05", "Trade Fair", "Cloud", "Cloud", "AT", "2026-09-15", "2026-10-20", "40000", "EUR"),
    ("C06", "Webinar", "Security", "Security", "US", "2026-07-01", "2026-09-30", "15000", "USD"),
    ("C07", "Event", "Data", "Services", "FR", "2026-08-05", "2026-08-05", "5000", "EUR"),
    ("C08", "Paid Search", "Cloud", "Cloud", "GB", "2026-04-01", "2026-08-31", "22000", "GBP"),
    ("C09", "Email", "Data", "Services", "DE", "2026-10-01", "2027-01-31", "9000", "EUR"),
    ("C10", "Webinar", "Workplace", "Services", "CH", "2026-05-10", "2026-07-20", "7000", "EUR"),
    ("C11", "Partner", "Security", "Security", "US", "2026-02-15", "2026-06-15", "18000", "USD"),
    ("C12", "Social", None, None, None, "2025-12-01", "2026-11-30", "24000", "EUR"),
    ("C13", "Event", "Cloud", "Cloud", "QQ", "2026-07-15", "2026-07-31", "6000", "EUR"),
]
ACCOUNTS = 30
LEADS = 420
UNLINKED_OPPS = 80

FX_MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026, 2027) for m in range(1, 13)]
MISSING_RATE = ("GBP", "2026-08")  # no rate: amounts anchored there are left out


def _stamp(rng: random.Random, t: datetime) -> str:
    """The timestamp as text: mostly `Z`, sometimes another offset or none at all."""
    t = t.replace(microsecond=0)
    kind = rng.random()
    if kind < 0.1:
        return (t + timedelta(hours=2)).isoformat() + "+02:00"
    if kind < 0.18:
        return (t - timedelta(hours=5)).isoformat() + "-05:00"
    if kind < 0.23:
        return t.isoformat()  # no offset = UTC
    return t.isoformat() + "Z"


def _z(t: datetime) -> str:
    return t.isoformat() + "Z"


def _amount(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.2f}"


def _pick(rng: random.Random, values: list[Any]) -> Any:
    return rng.choice(values)


def generate() -> dict[str, Rows]:
    rng = random.Random(SEED)
    data: dict[str, Rows] = {
        "regions": [
            {"country": "GB", "region": "UKI"},  # overrides the shipped EMEA
            {"country": "QQ", "region": "Other"},  # a country the shipped table lacks
        ],
        "fx_rates": [],
        "campaigns": [],
        "campaign_costs": [],
        "accounts": [],
        "leads": [],
        "lead_events": [],
        "opportunities": [],
    }
    for month in FX_MONTHS:
        for currency, base in (("USD", 0.92), ("GBP", 1.17)):
            if (currency, month) == MISSING_RATE:
                continue
            rate = base * (1 + rng.uniform(-0.04, 0.04))
            data["fx_rates"].append(
                {"currency": currency, "month": month, "eur_per_unit": f"{rate:.6f}"}
            )

    for cid, channel, topic, unit, country, start, end, budget, currency in CAMPAIGNS:
        data["campaigns"].append(
            {
                "campaign_id": cid,
                "name": f"Campaign {cid}",
                "channel": channel,
                "topic": topic,
                "unit": unit,
                "country": country,
                "team": f"MKT-{country or 'HQ'}",
                "start_date": start,
                "end_date": end,
                "budget_planned": budget,
                "currency": currency,
            }
        )
        # cost entries: mostly inside the run, a few before/after it
        first = datetime.fromisoformat(start) - timedelta(days=10)
        last = datetime.fromisoformat(end) + timedelta(days=20)
        seen: set[tuple[str, str]] = set()
        for _ in range(rng.randint(6, 14)):
            when = first + timedelta(days=rng.randint(0, (last - first).days))
            category = _pick(rng, ["media", "agency", "event", None])
            key = (when.date().isoformat(), category or "")
            if key in seen:
                continue
            seen.add(key)
            data["campaign_costs"].append(
                {
                    "campaign_id": cid,
                    "date": when.date().isoformat(),
                    "amount": _amount(rng, 100, 6000),
                    "currency": currency,
                    "category": category,
                }
            )
    # a GBP cost in the month without a GBP rate, and one in EUR on the same campaign
    data["campaign_costs"] += [
        {"campaign_id": "C08", "date": "2026-08-12", "amount": "999.99", "currency": "GBP"},
        {"campaign_id": "C08", "date": "2026-08-12", "amount": "100.00", "currency": "EUR"},
        {"campaign_id": "C03", "date": "2026-12-31", "amount": "250.00", "currency": ""},
        {"campaign_id": "C05", "date": "2026-10-01", "amount": "1500.00", "currency": "EUR"},
        {"campaign_id": "C05", "date": "2026-09-30", "amount": "700.00", "currency": "EUR"},
    ]

    for i in range(1, ACCOUNTS + 1):
        data["accounts"].append(
            {
                "account_id": f"A{i:02d}",
                "name": f"Account {i}",
                "industry": _pick(rng, ["Manufacturing", "Finance", "Retail", "Public", None]),
                "country": _pick(rng, COUNTRIES),
                "unit": _pick(rng, UNITS),
                "segment": _pick(rng, ["Enterprise", "Mid-Market", "SMB", None]),
            }
        )
    account_ids = [a["account_id"] for a in data["accounts"]] + [None, None]
    campaign_ids = [c[0] for c in CAMPAIGNS]

    lead_created: dict[str, datetime] = {}
    year_start = datetime(2025, 12, 1)
    for i in range(1, LEADS + 1):
        lead_id = f"L{i:04d}"
        created = year_start + timedelta(minutes=rng.randint(0, 60 * 24 * 420))
        campaign = _pick(rng, campaign_ids) if rng.random() < 0.72 else None
        lead_created[lead_id] = created
        data["leads"].append(
            {
                "lead_id": lead_id,
                "created_at": _stamp(rng, created),
                "campaign_id": campaign,
                "account_id": _pick(rng, account_ids),
                # a campaign lead's source is ignored (its campaign's channel applies)
                "source": _pick(rng, SOURCES) if campaign is None or rng.random() < 0.2 else None,
                "topic": _pick(rng, TOPICS),
                "unit": _pick(rng, UNITS),
                "country": _pick(rng, COUNTRIES),
                "team": _pick(rng, SALES_TEAMS),
                "owner": _pick(rng, OWNERS),
            }
        )
        _events(rng, data["lead_events"], lead_id, created)

    _edge_leads(data, lead_created)

    lead_ids = list(lead_created)
    n = 0
    for lead_id in lead_ids:
        if rng.random() > 0.45:
            continue
        for _ in range(1 if rng.random() < 0.85 else 2):
            n += 1
            lead = next(x for x in data["leads"] if x["lead_id"] == lead_id)
            created = lead_created[lead_id] + timedelta(minutes=rng.randint(60, 60 * 24 * 90))
            data["opportunities"].append(_opportunity(rng, f"O{n:04d}", created, lead, account_ids))
    for _ in range(UNLINKED_OPPS):
        n += 1
        created = year_start + timedelta(minutes=rng.randint(0, 60 * 24 * 420))
        data["opportunities"].append(_opportunity(rng, f"O{n:04d}", created, None, account_ids))
    _edge_opportunities(data)
    return data


def _events(rng: random.Random, out: Rows, lead_id: str, created: datetime) -> None:
    def event(kind: str, at: datetime, **extra: Any) -> None:
        out.append(
            {
                "lead_id": lead_id,
                "event": kind,
                "occurred_at": _stamp(rng, at),
                "team": _pick(rng, SALES_TEAMS),  # the event's team is not the lead's dimension
                **extra,
            }
        )

    if rng.random() < 0.8:
        event("qualified", created + timedelta(minutes=30))
    if rng.random() < 0.25:
        if rng.random() < 0.3:
            event("disqualified", created + timedelta(hours=5))
        return
    handover = created + timedelta(minutes=rng.randint(60, 60 * 24 * 6))
    event("handed_over", handover, actor="mkt.anna")
    if rng.random() < 0.15:  # a second handover before any response: the first one counts
        event("handed_over", handover + timedelta(minutes=rng.randint(10, 60 * 30)))
    roll = rng.random()
    if roll < 0.2:
        return  # never answered
    delay = 0 if roll < 0.25 else rng.randint(1, 60 * 24 * 9)  # exactly at the handover, or later
    response = handover + timedelta(minutes=delay)
    kind = "accepted" if rng.random() < 0.7 else "rejected"
    event(kind, response, reason="No budget" if kind == "rejected" else None)
    if kind == "rejected" and rng.random() < 0.4:  # recycled and handed over again
        again = response + timedelta(days=rng.randint(2, 30))
        event("recycled", again)
        event("handed_over", again + timedelta(hours=1))
        if rng.random() < 0.7:
            event("accepted", again + timedelta(hours=rng.randint(2, 80)))


def _edge_leads(data: dict[str, Rows], created: dict[str, datetime]) -> None:
    """Hand-written leads around the Q3 2026 boundaries (t = 2026-10-01 and as-of values)."""
    base = {
        "campaign_id": "C06",
        "account_id": "A01",
        "topic": "Security",
        "unit": "Security",
        "country": "DE",
        "team": "DE-North",
        "owner": "rep.anna",
    }
    cases: list[tuple[str, str, dict[str, Any], list[tuple[str, str]]]] = [
        # pending at Q3's end, 1 h old: not overdue
        ("E01", "2026-09-30T20:00:00Z", {}, [("handed_over", "2026-09-30T23:00:00Z")]),
        # exactly 48 h old at 2026-10-01: pending, not overdue
        ("E02", "2026-09-28T10:00:00Z", {}, [("handed_over", "2026-09-29T00:00:00Z")]),
        # 48 h + 1 min: overdue
        ("E03", "2026-09-28T10:00:00Z", {}, [("handed_over", "2026-09-28T23:59:00Z")]),
        # answered after the period's end: pending at Q3's end, accepted in Q4
        (
            "E04",
            "2026-09-19T08:00:00Z",
            {"country": "AT", "team": "AT-Vienna"},
            [("handed_over", "2026-09-20T09:00:00Z"), ("accepted", "2026-10-03T09:00:00Z")],
        ),
        # answered at the very moment of the handover
        (
            "E05",
            "2026-07-10T08:00:00Z",
            {},
            [("handed_over", "2026-07-10T09:00:00Z"), ("rejected", "2026-07-10T09:00:00Z")],
        ),
        # handed over exactly at Q3's end: pending at t = 2026-10-01 (<= t), handed over in Q4
        ("E06", "2026-09-30T12:00:00Z", {}, [("handed_over", "2026-10-01T00:00:00Z")]),
        # answered exactly at t: not pending, the response belongs to Q4
        (
            "E07",
            "2026-09-25T12:00:00Z",
            {"campaign_id": None, "source": "Website"},
            [("handed_over", "2026-09-26T00:00:00Z"), ("accepted", "2026-10-01T00:00:00Z")],
        ),
        # several handovers across the Q2/Q3 boundary: the first (June) counts
        (
            "E08",
            "2026-06-30T10:00:00Z",
            {},
            [
                ("handed_over", "2026-06-30T22:00:00Z"),
                ("handed_over", "2026-07-02T08:00:00Z"),
                ("accepted", "2026-07-03T08:00:00Z"),
            ],
        ),
        # created 2026-06-30 21:30 at -05:00 = 2026-07-01 02:30 UTC: a July lead
        ("E09", "2026-06-30T21:30:00-05:00", {"country": "US", "team": "US-East"}, []),
        # rejected, recycled, handed over again, accepted: the first response is the rejection
        (
            "E10",
            "2026-07-01T08:00:00Z",
            {},
            [
                ("handed_over", "2026-07-01T09:00:00Z"),
                ("rejected", "2026-07-03T09:00:00Z"),
                ("recycled", "2026-07-10T09:00:00Z"),
                ("handed_over", "2026-07-10T10:00:00Z"),
                ("accepted", "2026-07-12T10:00:00Z"),
            ],
        ),
        # an opportunity exactly at as-of 2026-10-01 (see _edge_opportunities)
        ("E11", "2026-09-10T08:00:00Z", {"country": "CH", "team": None}, []),
        # an opportunity one second after 2026-10-01
        ("E12", "2026-09-11T08:00:00Z", {"country": "CH", "team": None}, []),
        # pending since mid-August, old at every t after it
        ("E13", "2026-08-14T08:00:00Z", {}, [("handed_over", "2026-08-15T08:00:00Z")]),
        # handed over exactly at the as-of 2026-08-20T12:00 used by a request
        ("E14", "2026-08-19T08:00:00Z", {}, [("handed_over", "2026-08-20T12:00:00Z")]),
        # a lead whose country is in no region table, without a team
        (
            "E15",
            "2026-07-15T08:00:00Z",
            {"country": "XX", "team": None, "campaign_id": "C13"},
            [("handed_over", "2026-07-15T09:00:00Z")],
        ),
        # a lead created at the very start of Q3 and at the very end of Q2
        ("E16", "2026-07-01T00:00:00Z", {}, []),
        ("E17", "2026-06-30T23:59:59Z", {}, []),
    ]
    for lead_id, at, extra, events in cases:
        row = {"lead_id": lead_id, "created_at": at, **base, **extra}
        data["leads"].append(row)
        aware = datetime.fromisoformat(at.replace("Z", "+00:00"))
        created[lead_id] = aware.astimezone(UTC).replace(tzinfo=None)
        for kind, when in events:
            data["lead_events"].append(
                {"lead_id": lead_id, "event": kind, "occurred_at": when, "team": "US-West"}
            )


def _opportunity(
    rng: random.Random,
    opp_id: str,
    created: datetime,
    lead: dict[str, Any] | None,
    account_ids: list[Any],
) -> dict[str, Any]:
    copy = lead is not None and rng.random() < 0.6
    status = _pick(rng, ["open", "open", "won", "lost"])
    closed = created + timedelta(minutes=rng.randint(60, 60 * 24 * 150))
    currency = _pick(rng, ["EUR", "EUR", "", "USD", "USD", "GBP"])
    return {
        "opportunity_id": opp_id,
        "created_at": _stamp(rng, created),
        "lead_id": lead["lead_id"] if lead else None,
        "account_id": lead["account_id"] if copy and lead else _pick(rng, account_ids),
        "topic": lead["topic"] if copy and lead else _pick(rng, TOPICS),
        "unit": lead["unit"] if copy and lead else _pick(rng, UNITS),
        "country": lead["country"] if copy and lead else _pick(rng, COUNTRIES),
        "team": lead["team"] if copy and lead else _pick(rng, SALES_TEAMS),
        "owner": _pick(rng, OWNERS),
        "stage": {"open": "Proposal", "won": "Closed Won", "lost": "Closed Lost"}[status],
        "amount": _amount(rng, 1000, 250000),
        "currency": currency,
        "status": status,
        "closed_at": _stamp(rng, closed) if status != "open" else None,
        "lost_reason": "Price" if status == "lost" else None,
        "probability": "1" if status == "won" else ("0" if status == "lost" else "0.4"),
    }


def _edge_opportunities(data: dict[str, Rows]) -> None:
    base = {
        "account_id": "A02",
        "topic": "Cloud",
        "unit": "Cloud",
        "country": "DE",
        "team": "DE-South",
        "owner": "rep.bernd",
    }
    cases: list[dict[str, Any]] = [
        # created in the month without a GBP rate: its amount is left out
        {"created_at": "2026-08-10T10:00:00Z", "amount": "50000", "currency": "GBP"},
        {"created_at": "2026-08-11T10:00:00Z", "amount": "7000", "currency": "GBP"},
        # created in July (rate), won in August (no rate): counted in the volume, not in won
        {
            "created_at": "2026-07-20T10:00:00Z",
            "amount": "30000",
            "currency": "GBP",
            "status": "won",
            "closed_at": "2026-08-25T10:00:00Z",
        },
        # 2026-07-31 23:30 at -02:00 = 2026-08-01 01:30 UTC: an August USD opportunity
        {"created_at": "2026-07-31T23:30:00-02:00", "amount": "10000", "currency": "USD"},
        # created in Q1, won in Q3; lost across the year end
        {
            "created_at": "2026-02-01T10:00:00Z",
            "amount": "80000",
            "currency": "EUR",
            "status": "won",
            "closed_at": "2026-08-02T10:00:00Z",
            "lead_id": "E10",
        },
        {
            "created_at": "2026-11-20T10:00:00Z",
            "amount": "12000",
            "currency": "USD",
            "status": "lost",
            "closed_at": "2027-01-05T10:00:00Z",
        },
        # exactly at as-of 2026-10-01T00:00:00Z (converted) and one second later (not yet)
        {"created_at": "2026-10-01T00:00:00Z", "amount": "5000", "lead_id": "E11"},
        {"created_at": "2026-10-01T00:00:01Z", "amount": "5000", "lead_id": "E12"},
        # a lead with two opportunities: converted once
        {"created_at": "2026-07-05T10:00:00Z", "amount": "1000", "lead_id": "E08"},
        {"created_at": "2026-07-06T10:00:00Z", "amount": "2000", "lead_id": "E08"},
        # closed exactly at a period start
        {
            "created_at": "2026-06-15T10:00:00Z",
            "amount": "4000",
            "status": "lost",
            "closed_at": "2026-07-01T00:00:00Z",
            "lead_id": "E07",
        },
    ]
    for i, case in enumerate(cases, 1):
        status = case.get("status", "open")
        data["opportunities"].append(
            {
                "opportunity_id": f"EO{i:02d}",
                **base,
                "status": status,
                "stage": "Edge",
                **case,
            }
        )
