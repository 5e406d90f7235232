"""An independent test oracle for the KPI engine: every visible KPI in plain Python.

Written from PRODUCT.md ("Canonical data model", "KPI definitions") and the conventions the
engine documents, not from the engine's code. It reads the canonical rows as the CSV files carry
them (lists of dicts of text, empty/None = missing) and answers a request with rows shaped like
`KpiTable.rows`: `{dimension: value, grain: label, metric: value}`.

Conventions (besides PRODUCT.md):
- periods are half-open [start, end) in UTC; `2026`, `2026-Q3`, `2026-07`, `a..b`;
- as_of is the clock: a record dated after it is not counted (nothing after now has happened);
- the first response after the first handover = the earliest accepted/rejected event at or after
  the lead's first handed_over event;
- pending at t = min(end, as_of): first handover <= t and first response missing or > t;
  overdue: pending and (t - first handover) in hours > SLA;
- amounts → EUR with the rate of the anchor month (EUR and blank = 1); a missing rate leaves the
  record's amount out of the sum (the record still counts);
- budget_planned: budget × |run ∩ P| / |run|, run = [start_date, end_date + 1 day), rate of the
  start month;
- costs and budgets only have campaign dimensions: a request that groups or filters them by
  another dimension gets None for them;
- zero denominators give None; counts without records 0, sums 0.0, quantiles None;
- with a grain as the only group-by every bucket of the period is a row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

Rows = list[dict[str, Any]]

ALL_DIMS = (
    "campaign",
    "channel",
    "topic",
    "unit",
    "country",
    "region",
    "team",
    "owner",
    "account",
    "industry",
    "segment",
)
CAMPAIGN_DIMS = ("campaign", "channel", "topic", "unit", "country", "region")
GRAINS = ("day", "week", "month", "quarter", "fiscal_year")

# base metric -> fact it is counted from
BASE = {
    "leads": "lead",
    "campaign_leads": "lead",
    "converted_leads": "lead",
    "handed_over": "handover",
    "accepted": "response",
    "rejected": "response",
    "acceptance_delay_median_h": "response",
    "acceptance_delay_p90_h": "response",
    "pending_handover": "pending",
    "overdue_handover": "pending",
    "unprocessed_leads": "unprocessed",
    "stalled_leads": "stalled",
    "recycled_leads": "recycled",
    "opportunities": "opportunity",
    "marketing_opportunities": "opportunity",
    "opportunity_volume": "opportunity",
    "marketing_opportunity_volume": "opportunity",
    "won_opportunities": "closed",
    "lost_opportunities": "closed",
    "won_volume": "closed",
    "cost": "cost",
    "budget_planned": "budget",
}
# derived metric -> (numerator, denominators)
DERIVED = {
    "acceptance_rate": ("accepted", ("accepted", "rejected")),
    "marketing_contribution": ("marketing_opportunity_volume", ("opportunity_volume",)),
    "win_rate": ("won_opportunities", ("won_opportunities", "lost_opportunities")),
    "lead_conversion_rate": ("converted_leads", ("leads",)),
    "lead_to_opportunity_ratio": ("leads", ("marketing_opportunities",)),
    "budget_utilization": ("cost", ("budget_planned",)),
    "cost_per_lead": ("cost", ("campaign_leads",)),
    "cost_per_opportunity": ("cost", ("marketing_opportunities",)),
    "pipeline_per_cost": ("marketing_opportunity_volume", ("cost",)),
}
VISIBLE = tuple(m for m in (*BASE, *DERIVED) if m != "converted_leads")
FACT_DIMS = {
    "lead": ALL_DIMS,
    "handover": ALL_DIMS,
    "response": ALL_DIMS,
    "pending": ALL_DIMS,
    "unprocessed": ALL_DIMS,
    "stalled": ALL_DIMS,
    "recycled": ALL_DIMS,
    "opportunity": ALL_DIMS,
    "closed": ALL_DIMS,
    "cost": CAMPAIGN_DIMS,
    "budget": CAMPAIGN_DIMS,
}


# -- parsing ----------------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """A canonical cell: trimmed text, empty = missing."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def need(value: Any) -> str:
    """A required canonical cell."""
    found = text(value)
    if found is None:
        raise ValueError("a required value is missing")
    return found


def moment(value: Any) -> datetime:
    """An ISO timestamp (or date) as naive UTC; no offset = UTC."""
    parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def day(value: Any) -> datetime:
    return datetime.combine(date.fromisoformat(str(value).strip()), datetime.min.time())


def add_months(start: datetime, months: int) -> datetime:
    index = start.year * 12 + start.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Bucket:
    start: datetime
    end: datetime
    label: str | None


class Calendar:
    def __init__(self, fiscal_start_month: int = 1) -> None:
        self.fs = fiscal_start_month

    def fiscal_year(self, d: datetime) -> int:
        if self.fs == 1:
            return d.year
        return d.year + 1 if d.month >= self.fs else d.year

    def fy_start(self, fy: int) -> datetime:
        return datetime(fy if self.fs == 1 else fy - 1, self.fs, 1)

    def period(self, value: str) -> tuple[datetime, datetime]:
        value = value.strip()
        if m := re.fullmatch(r"(?:FY)?(\d{4})", value):
            start = self.fy_start(int(m[1]))
            return start, add_months(start, 12)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            start = add_months(self.fy_start(int(m[1])), 3 * (int(m[2]) - 1))
            return start, add_months(start, 3)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            start = datetime(int(m[1]), int(m[2]), 1)
            return start, add_months(start, 1)
        first, second = value.split("..")
        return moment(first), moment(second)

    def bucket_start(self, grain: str, t: datetime) -> datetime:
        d = datetime(t.year, t.month, t.day)
        if grain == "day":
            return d
        if grain == "week":
            return d - timedelta(days=d.weekday())
        if grain == "month":
            return d.replace(day=1)
        if grain == "quarter":
            fy_start = self.fy_start(self.fiscal_year(d))
            months = (d.year - fy_start.year) * 12 + d.month - fy_start.month
            return add_months(fy_start, months // 3 * 3)
        if grain == "fiscal_year":
            return self.fy_start(self.fiscal_year(d))
        raise ValueError(grain)

    def bucket_end(self, grain: str, start: datetime) -> datetime:
        if grain == "day":
            return start + timedelta(days=1)
        if grain == "week":
            return start + timedelta(days=7)
        return add_months(start, {"month": 1, "quarter": 3, "fiscal_year": 12}[grain])

    def label(self, grain: str, t: datetime) -> str:
        start = self.bucket_start(grain, t)
        if grain == "day":
            return start.date().isoformat()
        if grain == "week":
            iso = start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if grain == "month":
            return f"{start.year}-{start.month:02d}"
        fy = self.fiscal_year(start)
        if grain == "quarter":
            months = (start.year - self.fy_start(fy).year) * 12 + start.month - self.fs
            return f"{fy}-Q{months // 3 + 1}"
        return f"FY{fy}"

    def buckets(self, grain: str | None, start: datetime, end: datetime) -> list[Bucket]:
        if grain is None:
            return [Bucket(start, end, None)]
        out, first = [], self.bucket_start(grain, start)
        while first < end:
            last = self.bucket_end(grain, first)
            out.append(Bucket(max(first, start), min(last, end), self.label(grain, first)))
            first = last
        return out


def quantile(values: list[float], q: float) -> float | None:
    """Continuous quantile with linear interpolation (numpy's default percentile)."""
    if not values:
        return None
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# -- facts ------------------------------------------------------------------------------------


@dataclass
class Record:
    dims: dict[str, str | None]
    at: datetime | None = None  # the anchor (None for pending and budget)
    values: dict[str, Any] = field(default_factory=dict)


class Oracle:
    def __init__(
        self,
        data: Mapping[str, Rows],
        regions: Mapping[str, str],
        sla_hours: float = 48.0,
        fiscal_start_month: int = 1,
        unprocessed_days: float = 14.0,
        stalled_days: float = 30.0,
    ) -> None:
        self.calendar = Calendar(fiscal_start_month)
        self.sla_hours = sla_hours
        self.unprocessed_days = unprocessed_days
        self.stalled_days = stalled_days
        self.region = dict(regions)
        for row in data.get("regions", []):
            self.region[need(row["country"])] = need(row["region"])
        self.rates: dict[tuple[str, str], float] = {}
        for row in data.get("fx_rates", []):
            key = (need(row["currency"]).upper(), need(row["month"]))
            self.rates[key] = float(row["eur_per_unit"])
        self.campaigns = {need(c["campaign_id"]): c for c in data.get("campaigns", [])}
        self.accounts = {need(a["account_id"]): a for a in data.get("accounts", [])}
        self.leads = {need(r["lead_id"]): r for r in data.get("leads", [])}
        self.facts: dict[str, list[Record]] = {f: [] for f in FACT_DIMS}
        self._build(data)

    # conversion -------------------------------------------------------------------------------

    def eur(self, amount: Any, currency: Any, anchor: datetime) -> float | None:
        value = text(amount)
        if value is None:
            return None
        cur = (text(currency) or "EUR").upper()
        if cur == "EUR":
            return float(value)
        rate = self.rates.get((cur, f"{anchor.year}-{anchor.month:02d}"))
        return None if rate is None else float(value) * rate

    # dimensions -------------------------------------------------------------------------------

    def _account_dims(self, account_id: str | None) -> dict[str, str | None]:
        account = self.accounts.get(account_id) if account_id else None
        return {
            "account": account_id,
            "industry": text(account["industry"]) if account else None,
            "segment": text(account["segment"]) if account else None,
        }

    def lead_dims(self, lead: Mapping[str, Any]) -> dict[str, str | None]:
        campaign_id = text(lead.get("campaign_id"))
        campaign = self.campaigns.get(campaign_id) if campaign_id else None
        channel = text(campaign.get("channel")) if campaign else None
        if campaign is None:
            channel = text(lead.get("source"))
        country = text(lead.get("country"))
        return {
            "campaign": campaign_id,
            "channel": channel,
            "topic": text(lead.get("topic")),
            "unit": text(lead.get("unit")),
            "country": country,
            "region": self.region.get(country) if country else None,
            "team": text(lead.get("team")),
            "owner": text(lead.get("owner")),
            **self._account_dims(text(lead.get("account_id"))),
        }

    def opportunity_dims(self, opp: Mapping[str, Any]) -> dict[str, str | None]:
        lead_id = text(opp.get("lead_id"))
        lead = self.leads.get(lead_id) if lead_id else None
        from_lead = self.lead_dims(lead) if lead else {"campaign": None, "channel": None}
        country = text(opp.get("country"))
        return {
            "campaign": from_lead["campaign"],
            "channel": from_lead["channel"],
            "topic": text(opp.get("topic")),
            "unit": text(opp.get("unit")),
            "country": country,
            "region": self.region.get(country) if country else None,
            "team": text(opp.get("team")),
            "owner": text(opp.get("owner")),
            **self._account_dims(text(opp.get("account_id"))),
        }

    def campaign_dims(self, campaign_id: str) -> dict[str, str | None]:
        campaign = self.campaigns[campaign_id]
        country = text(campaign.get("country"))
        return {
            "campaign": campaign_id,
            "channel": text(campaign.get("channel")),
            "topic": text(campaign.get("topic")),
            "unit": text(campaign.get("unit")),
            "country": country,
            "region": self.region.get(country) if country else None,
        }

    # facts ------------------------------------------------------------------------------------

    def _build(self, data: Mapping[str, Rows]) -> None:
        opps_by_lead: dict[str, list[datetime]] = {}
        for opp in data.get("opportunities", []):
            lead_id = text(opp.get("lead_id"))
            if lead_id:
                opps_by_lead.setdefault(lead_id, []).append(moment(opp["created_at"]))

        events: dict[str, list[tuple[datetime, str]]] = {}
        for ev in data.get("lead_events", []):
            events.setdefault(need(ev["lead_id"]), []).append(
                (moment(ev["occurred_at"]), need(ev["event"]))
            )

        for lead_id, lead in self.leads.items():
            dims = self.lead_dims(lead)
            created = moment(lead["created_at"])
            first_opp = min(opps_by_lead.get(lead_id, []), default=None)
            self.facts["lead"].append(
                Record(
                    dims,
                    created,
                    {"has_campaign": dims["campaign"] is not None, "first_opp": first_opp},
                )
            )
            evs = events.get(lead_id, [])
            handovers = [t for t, kind in evs if kind == "handed_over"]
            disqualified = [t for t, kind in evs if kind == "disqualified"]
            recycled = [t for t, kind in evs if kind == "recycled"]
            if recycled:
                self.facts["recycled"].append(Record(dims, min(recycled)))
            self.facts["unprocessed"].append(
                Record(
                    dims,
                    None,
                    {
                        "created": created,
                        "handover": min(handovers, default=None),
                        "disqualified": min(disqualified, default=None),
                    },
                )
            )
            if not handovers:
                continue
            handover = min(handovers)
            self.facts["handover"].append(Record(dims, handover))
            responses = sorted(
                (t, kind) for t, kind in evs if kind in ("accepted", "rejected") and t >= handover
            )
            response = responses[0] if responses else None
            if response is not None and response[1] == "accepted":
                self.facts["stalled"].append(
                    Record(dims, None, {"accepted": response[0], "first_opp": first_opp})
                )
            if response is not None:
                delay = (response[0] - handover).total_seconds() / 3600
                self.facts["response"].append(
                    Record(dims, response[0], {"kind": response[1], "delay": delay})
                )
            self.facts["pending"].append(
                Record(
                    dims,
                    None,
                    {"handover": handover, "response": response[0] if response else None},
                )
            )

        for opp in data.get("opportunities", []):
            dims = self.opportunity_dims(opp)
            linked = self.leads.get(text(opp.get("lead_id")) or "")
            marketing = bool(linked is not None and text(linked.get("campaign_id")))
            created = moment(opp["created_at"])
            self.facts["opportunity"].append(
                Record(
                    dims,
                    created,
                    {
                        "marketing": marketing,
                        "eur": self.eur(opp["amount"], opp.get("currency"), created),
                    },
                )
            )
            status = text(opp["status"])
            if status in ("won", "lost") and text(opp.get("closed_at")):
                closed = moment(opp["closed_at"])
                self.facts["closed"].append(
                    Record(
                        dims,
                        closed,
                        {
                            "status": status,
                            "eur": self.eur(opp["amount"], opp.get("currency"), closed),
                        },
                    )
                )

        for cost in data.get("campaign_costs", []):
            campaign_id = need(cost["campaign_id"])
            at = day(cost["date"])
            self.facts["cost"].append(
                Record(
                    self.campaign_dims(campaign_id),
                    at,
                    {"eur": self.eur(cost["amount"], cost.get("currency"), at)},
                )
            )

        for campaign_id, campaign in self.campaigns.items():
            start = day(campaign["start_date"])
            end = day(campaign["end_date"]) + timedelta(days=1)
            self.facts["budget"].append(
                Record(
                    self.campaign_dims(campaign_id),
                    None,
                    {
                        "start": start,
                        "end": end,
                        "eur": self.eur(
                            campaign.get("budget_planned"), campaign.get("currency"), start
                        ),
                    },
                )
            )

    # query ------------------------------------------------------------------------------------

    def query(
        self,
        metrics: Iterable[str],
        by: Iterable[str] = (),
        filters: Mapping[str, Iterable[str]] | None = None,
        period: str = "2026",
        as_of: datetime | None = None,
    ) -> Rows:
        metrics = tuple(metrics)
        by = tuple(by)
        dims = tuple(b for b in by if b in ALL_DIMS)
        grain = next((b for b in by if b in GRAINS), None)
        allowed = {d: frozenset(v) for d, v in (filters or {}).items()}
        start, end = self.calendar.period(period)
        if as_of is None:
            raise ValueError("the oracle needs an explicit as_of")
        if as_of.tzinfo is not None:
            as_of = as_of.astimezone(UTC).replace(tzinfo=None)
        buckets = self.calendar.buckets(grain, start, end)
        asked = {d for d in dims} | set(allowed)

        base_needed: set[str] = set()
        for m in metrics:
            if m in DERIVED:
                num, dens = DERIVED[m]
                base_needed |= {num, *dens}
            else:
                base_needed.add(m)
        facts_needed = {BASE[m] for m in base_needed}

        # group key -> fact -> records
        groups: dict[tuple[Any, ...], dict[str, list[Record]]] = {}
        unavailable: set[str] = set()

        def keep(record: Record) -> bool:
            return all(record.dims.get(d) in values for d, values in allowed.items())

        def add(fact: str, record: Record, label: str | None, t: datetime | None = None) -> None:
            key = (*(record.dims.get(d) for d in dims), label)
            groups.setdefault(key, {}).setdefault(fact, []).append(
                record if t is None else Record(record.dims, t, record.values)
            )

        for fact in facts_needed:
            if not asked <= set(FACT_DIMS[fact]):
                unavailable.add(fact)
                continue
            for record in self.facts[fact]:
                if not keep(record):
                    continue
                if fact == "stalled":
                    for b in buckets:
                        t = min(b.end, as_of)
                        v = record.values
                        waited = (t - v["accepted"]).total_seconds() / 86_400 > self.stalled_days
                        if waited and (v["first_opp"] is None or v["first_opp"] > t):
                            add(fact, record, b.label, t)
                elif fact == "unprocessed":
                    for b in buckets:
                        t = min(b.end, as_of)
                        v = record.values
                        old = (t - v["created"]).total_seconds() / 86_400 > self.unprocessed_days
                        if (
                            old
                            and (v["handover"] is None or v["handover"] > t)
                            and (v["disqualified"] is None or v["disqualified"] > t)
                        ):
                            add(fact, record, b.label, t)
                elif fact == "pending":
                    for b in buckets:
                        t = min(b.end, as_of)
                        handover, response = record.values["handover"], record.values["response"]
                        if handover <= t and (response is None or response > t):
                            add(fact, record, b.label, t)
                elif fact == "budget":
                    for b in buckets:
                        lo, hi = (
                            max(b.start, record.values["start"]),
                            min(b.end, record.values["end"]),
                        )
                        if hi > lo:
                            share = (hi - lo) / (record.values["end"] - record.values["start"])
                            add(
                                fact,
                                Record(record.dims, None, {**record.values, "share": share}),
                                b.label,
                            )
                else:
                    assert record.at is not None
                    if start <= record.at < end and record.at <= as_of:
                        label = self.calendar.label(grain, record.at) if grain else None
                        add(fact, record, label)

        if not dims:
            for b in buckets:
                groups.setdefault((b.label,), {})

        rows: Rows = []
        for key, by_fact in groups.items():
            row: dict[str, Any] = dict(zip(dims, key[:-1], strict=True))
            if grain:
                row[grain] = key[-1]
            values = {
                m: (
                    None
                    if BASE[m] in unavailable
                    else self._base(m, by_fact.get(BASE[m], []), as_of)
                )
                for m in base_needed
            }
            for m in metrics:
                if m in DERIVED:
                    num, dens = DERIVED[m]
                    n = values[num]
                    ds = [values[d] for d in dens]
                    known = [d for d in ds if d is not None]
                    if n is None or len(known) < len(ds) or sum(known) == 0:
                        row[m] = None
                    else:
                        row[m] = n / sum(known)
                else:
                    row[m] = values[m]
            rows.append(row)
        return rows

    def _base(self, metric: str, records: list[Record], as_of: datetime) -> Any:
        def total(rs: Iterable[Record]) -> float:
            return float(sum(r.values["eur"] for r in rs if r.values["eur"] is not None))

        match metric:
            case (
                "leads"
                | "handed_over"
                | "pending_handover"
                | "opportunities"
                | "unprocessed_leads"
                | "stalled_leads"
                | "recycled_leads"
            ):
                return len(records)
            case "campaign_leads":
                return sum(1 for r in records if r.values["has_campaign"])
            case "converted_leads":
                return sum(
                    1
                    for r in records
                    if r.values["first_opp"] is not None and r.values["first_opp"] <= as_of
                )
            case "accepted" | "rejected":
                return sum(1 for r in records if r.values["kind"] == metric)
            case "acceptance_delay_median_h":
                return quantile([r.values["delay"] for r in records], 0.5)
            case "acceptance_delay_p90_h":
                return quantile([r.values["delay"] for r in records], 0.9)
            case "overdue_handover":
                return sum(
                    1
                    for r in records
                    if (r.at - r.values["handover"]).total_seconds() / 3600 > self.sla_hours
                )
            case "marketing_opportunities":
                return sum(1 for r in records if r.values["marketing"])
            case "opportunity_volume" | "cost":
                return total(records)
            case "marketing_opportunity_volume":
                return total(r for r in records if r.values["marketing"])
            case "won_opportunities":
                return sum(1 for r in records if r.values["status"] == "won")
            case "lost_opportunities":
                return sum(1 for r in records if r.values["status"] == "lost")
            case "won_volume":
                return total(r for r in records if r.values["status"] == "won")
            case "budget_planned":
                return float(
                    sum(
                        r.values["eur"] * r.values["share"]
                        for r in records
                        if r.values["eur"] is not None
                    )
                )
        raise KeyError(metric)
