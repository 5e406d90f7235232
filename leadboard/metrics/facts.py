"""The facts KPIs are counted from, as Ibis expressions over the canonical tables.

Each fact is one kind of record with a time anchor (a lead's creation, its first handover, an
opportunity's close, a cost entry's date, ...), its dimensions (each record's own attribute, as
PRODUCT.md defines them) and its measures. `fact_query` filters a fact to a slice (period,
filters, scope), groups it and aggregates its measures; the engine compiles the result to the SQL
of whichever store is connected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.types as ir

from leadboard.metrics.calendar import Calendar
from leadboard.metrics.sla import SlaPolicy
from leadboard.model.entities import ENTITIES, Kind

DIMENSIONS = (
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
    "stage",  # opportunities only
    "reason",  # sales' feedback on a response (rejections) only
)
BUCKET = "_bucket"
RESPONSES = ("accepted", "rejected")
_IBIS_TYPES = {
    Kind.TEXT: "string",
    Kind.DATE: "date",
    Kind.TIMESTAMP: "timestamp",
    Kind.MONEY: "decimal(18,4)",
    Kind.NUMBER: "float64",
    Kind.INTEGER: "int64",
    Kind.MONTH: "date",
    Kind.PERIOD: "string",
    Kind.CURRENCY: "string",
}


def canonical_tables() -> dict[str, ir.Table]:
    """The store's entity tables as unbound Ibis tables (compiled to SQL, run by the store)."""
    tables = {}
    for entity in ENTITIES:
        schema = {c.name: _IBIS_TYPES[c.kind] for c in entity.columns}
        if entity.synthetic_key:
            schema["row_key"] = "string"
        tables[entity.name] = ibis.table(schema, name=entity.name)
    return tables


T = canonical_tables()


@dataclass(frozen=True)
class Slice:
    """What one fact query covers: anchor window, grouping, allowed values, the clock."""

    start: datetime
    end: datetime
    by: tuple[str, ...]
    grain: str | None
    allowed: dict[str, frozenset[str]]  # filters ∩ scope, per dimension
    as_of: datetime
    currency: str
    sla_hours: float
    calendar: Calendar
    unprocessed_days: float = 14.0
    stalled_days: float = 30.0
    prefix: str = ""  # names this slice's parameters apart inside a per-bucket union
    missing: tuple[str, ...] = ()  # dimensions that must be empty (a drill-through's "none" cell)
    measures: frozenset[str] = frozenset()  # the base KPIs wanted; empty: all of the fact's

    def needs(self, *names: str) -> bool:
        return not self.measures or any(n in self.measures for n in names)

    @property
    def t(self) -> datetime:
        """The snapshot moment of the slice: min(end, as_of)."""
        return min(self.end, self.as_of)

    @property
    def dimensions(self) -> set[str]:
        return set(self.by) | set(self.allowed) | set(self.missing)

    # Values that change between requests of the same shape are query parameters, so one
    # compiled statement serves them all (building and compiling Ibis costs ~40 ms per query).

    def moment(self, name: str) -> ir.TimestampValue:
        """`start`, `end`, `t` of this slice or the request's `as_of`, as a parameter."""
        key = name if name == "as_of" else f"{self.prefix}{name}"
        return _param(key).cast("timestamp")

    def choices(self, dim: str) -> list[ir.Value]:
        return [_param(f"f:{dim}:{i}") for i in range(len(self.allowed[dim]))]

    def shape(self) -> tuple[Any, ...]:
        """What the compiled SQL depends on; parameter values aside."""
        n_buckets = (
            len(self.calendar.buckets(self.grain, self.start, self.end)) if self.grain else 0
        )
        sizes = tuple(sorted((d, len(v)) for d, v in self.allowed.items()))
        return (
            self.by,
            self.grain,
            sizes,
            self.missing,
            n_buckets,
            self.currency,
            self.sla_hours,
            self.unprocessed_days,
            self.stalled_days,
            self.calendar.fiscal_start_month,
            tuple(sorted(self.measures)),
        )

    def parameters(self) -> dict[str, Any]:
        """Every parameter name → value, including those of per-bucket sub-slices."""
        values: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "t": self.t,
            "as_of": self.as_of,
        }
        for dim, allowed in self.allowed.items():
            values.update({f"f:{dim}:{i}": v for i, v in enumerate(sorted(allowed))})
        for i, (sub, label) in enumerate(self.sub_slices()):
            values.update(
                {
                    f"b{i}:start": sub.start,
                    f"b{i}:end": sub.end,
                    f"b{i}:t": sub.t,
                    f"b{i}:label": label,
                }
            )
        return values

    def sub_slices(self) -> list[tuple[Slice, date]]:
        """One slice per bucket of the grain (for snapshot and spread facts), with its label."""
        if self.grain is None:
            return []
        out = []
        for i, (start, end) in enumerate(self.calendar.buckets(self.grain, self.start, self.end)):
            sub = replace(self, start=start, end=end, grain=None, prefix=f"b{i}:")
            out.append((sub, self.calendar.bucket_start(self.grain, start).date()))
        return out


_PARAM = re.compile(r"'__lbp_(.+?)__'")


def _param(name: str) -> ir.StringValue:
    return ibis.literal(f"__lbp_{name}__")


def inline(sql: str, s: Slice) -> str:
    """The SQL with the values written in as quoted literals (for people reading `explain`)."""
    values = s.parameters()

    def literal(match: re.Match[str]) -> str:
        value = values[match[1]]
        text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
        return "'" + text.replace("'", "''") + "'"

    return _PARAM.sub(literal, sql)


def bind(sql: str, s: Slice) -> tuple[str, list[Any]]:
    """Replace the named parameters of compiled SQL by `?` and list their values in order."""
    values = s.parameters()
    names = _PARAM.findall(sql)
    return _PARAM.sub("?", sql), [values[n] for n in names]


# -- dimensions of each kind of record ---------------------------------------------------------


def _lead_frame(dims: set[str]) -> tuple[ir.Table, dict[str, ir.Value]]:
    leads, accounts, regions = prepared_leads(), T["accounts"], T["regions"]
    joined = leads
    if dims & {"industry", "segment"}:
        joined = joined.left_join(accounts, leads.account_id == accounts.account_id)
    if "region" in dims:
        joined = joined.left_join(regions, leads.country == regions.country)
    values: dict[str, ir.Value] = {
        "campaign": leads.campaign_id,
        "channel": leads.channel,
        "topic": leads.topic,
        "unit": leads.unit,
        "country": leads.country,
        "region": regions.region,
        "team": leads.team,
        "owner": leads.owner,
        "account": leads.account_id,
        "industry": accounts.industry,
        "segment": accounts.segment,
        "reason": leads.response_reason,
    }
    return joined, values


def _opportunity_frame(opps: ir.Table, dims: set[str]) -> tuple[ir.Table, dict[str, ir.Value]]:
    accounts, regions = T["accounts"], T["regions"]
    joined = opps
    if dims & {"industry", "segment"}:
        joined = joined.left_join(accounts, opps.account_id == accounts.account_id)
    if "region" in dims:
        joined = joined.left_join(regions, opps.country == regions.country)
    values: dict[str, ir.Value] = {
        "topic": opps.topic,
        "unit": opps.unit,
        "country": opps.country,
        "region": regions.region,
        "team": opps.team,
        "owner": opps.owner,
        "account": opps.account_id,
        "industry": accounts.industry,
        "segment": accounts.segment,
    }
    values["stage"] = opps.stage
    if "lead_campaign_id" in opps.columns:  # the prepared copy knows the lead's campaign
        values.update(campaign=opps.lead_campaign_id, channel=opps.lead_channel)
    return joined, values


def _campaign_values(dims: set[str], base: ir.Table) -> tuple[ir.Table, dict[str, ir.Value]]:
    """Costs and budgets belong to a campaign and have its dimensions (no sales team/owner)."""
    campaigns, regions = T["campaigns"], T["regions"]
    joined = base
    if "region" in dims:
        joined = joined.left_join(regions, campaigns.country == regions.country)
    values: dict[str, ir.Value] = {
        "campaign": campaigns.campaign_id,
        "channel": campaigns.channel,
        "topic": campaigns.topic,
        "unit": campaigns.unit,
        "country": campaigns.country,
        "region": regions.region,
    }
    return joined, values


# -- the building blocks shared by several facts -------------------------------------------------


HANDOVER_STATE = "lb_handover_state"
STATE_SCHEMA = {
    "lead_id": "string",
    "handover_at": "timestamp",
    "response_at": "timestamp",
    "response": "string",
    "response_reason": "string",
}


def handover_state_table() -> ir.Table:
    """The engine's materialized `handover_state()`, rebuilt when the data version changes."""
    return ibis.table(STATE_SCHEMA, name=HANDOVER_STATE)


# Each lead with what every lead KPI needs from other tables, and each opportunity with its
# lead's campaign and channel: materialized once per data version (see KpiEngine.prepare), so a
# KPI query scans one table instead of joining events, leads and opportunities every time.
PREPARED_LEADS = "lb_leads"
PREPARED_OPPORTUNITIES = "lb_opportunities"
_LEAD_EXTRA = {
    "channel": "string",
    "handover_at": "timestamp",
    "response_at": "timestamp",
    "response": "string",
    "response_reason": "string",
    "first_opportunity_at": "timestamp",
    "disqualified_at": "timestamp",
    "recycled_at": "timestamp",  # the first time sales gave the lead back to marketing
    "due_at": "timestamp",  # when the handover becomes overdue (the SLA's due date)
    "delay_h": "float64",  # hours from handover to response, on the SLA's clock
}
# The business-hours SLA is computed in Python (see sla.py) into this temporary table.
SLA_TABLE = "lb_sla"
SLA_SCHEMA = {"lead_id": "string", "due_at": "timestamp", "delay_h": "float64"}
_OPPORTUNITY_EXTRA = {"lead_campaign_id": "string", "lead_channel": "string"}


def prepared_leads() -> ir.Table:
    return ibis.table({**T["leads"].schema(), **_LEAD_EXTRA}, name=PREPARED_LEADS)


def prepared_opportunities() -> ir.Table:
    return ibis.table(
        {**T["opportunities"].schema(), **_OPPORTUNITY_EXTRA}, name=PREPARED_OPPORTUNITIES
    )


def _sla_hours(policy: SlaPolicy, team: ir.Value, country: ir.Value) -> ir.Value:
    branches = [(team == name, ibis.literal(h)) for name, h in sorted(policy.team_hours.items())]
    branches += [
        (country == name, ibis.literal(h)) for name, h in sorted(policy.country_hours.items())
    ]
    if not branches:
        return ibis.literal(policy.hours)
    return ibis.cases(*branches, else_=ibis.literal(policy.hours))


def lead_facts(policy: SlaPolicy) -> ir.Table:
    """What `prepared_leads()` holds: leads with channel, handover state and its SLA due date,
    first opportunity, disqualification."""
    leads, campaigns, opps = T["leads"], T["campaigns"], T["opportunities"]
    events = T["lead_events"]
    state = handover_state_table()
    first = (
        opps.filter(opps.lead_id.notnull())
        .group_by("lead_id")
        .aggregate(first_opportunity_at=opps.created_at.min())
    )
    disqualified = (
        events.filter(events.event == "disqualified")
        .group_by("lead_id")
        .aggregate(disqualified_at=events.occurred_at.min())
    )
    recycled = (
        events.filter(events.event == "recycled")
        .group_by("lead_id")
        .aggregate(recycled_at=events.occurred_at.min())
    )
    joined = (
        leads.left_join(campaigns, leads.campaign_id == campaigns.campaign_id)
        .left_join(state, leads.lead_id == state.lead_id)
        .left_join(first, leads.lead_id == first.lead_id)
        .left_join(disqualified, leads.lead_id == disqualified.lead_id)
        .left_join(recycled, leads.lead_id == recycled.lead_id)
    )
    if policy.simple:
        hours = _sla_hours(policy, leads.team, leads.country)
        due_at = state.handover_at + (hours * 3600).cast("int64").as_interval("s")
        delay = (state.response_at.epoch_seconds() - state.handover_at.epoch_seconds()) / 3600.0
    else:
        sla = ibis.table(SLA_SCHEMA, name=SLA_TABLE)
        joined = joined.left_join(sla, leads.lead_id == sla.lead_id)
        due_at, delay = sla.due_at, sla.delay_h
    return joined.select(
        *[leads[c] for c in T["leads"].columns],
        channel=ibis.coalesce(campaigns.channel, leads.source),
        handover_at=state.handover_at,
        response_at=state.response_at,
        response=state.response,
        response_reason=state.response_reason,
        first_opportunity_at=first.first_opportunity_at,
        disqualified_at=disqualified.disqualified_at,
        recycled_at=recycled.recycled_at,
        due_at=due_at,
        delay_h=delay,
    )


def opportunity_facts(policy: SlaPolicy) -> ir.Table:
    """What `prepared_opportunities()` holds: opportunities with their lead's campaign/channel."""
    opps, leads, campaigns = T["opportunities"], T["leads"], T["campaigns"]
    joined = opps.left_join(leads, opps.lead_id == leads.lead_id).left_join(
        campaigns, leads.campaign_id == campaigns.campaign_id
    )
    return joined.select(
        *[opps[c] for c in T["opportunities"].columns],
        lead_campaign_id=leads.campaign_id,
        lead_channel=ibis.coalesce(campaigns.channel, leads.source),
    )


def first_handovers() -> ir.Table:
    """Per lead that was handed over: the time of its first handover."""
    events = T["lead_events"]
    return (
        events.filter(events.event == "handed_over")
        .group_by("lead_id")
        .aggregate(handover_at=events.occurred_at.min())
    )


def handover_state(policy: SlaPolicy) -> ir.Table:
    """Per lead: its first handover, and sales' first response at or after it (kind and time)."""
    events, handovers = T["lead_events"], first_handovers()
    responses = events.filter(events.event.isin(RESPONSES))
    responses = responses.join(handovers, "lead_id").filter(
        responses.occurred_at >= handovers.handover_at
    )
    first = responses.group_by("lead_id").aggregate(
        response_at=responses.occurred_at.min(),
        response=responses.event.argmin(responses.occurred_at),
        response_reason=responses.reason.argmin(responses.occurred_at),
    )
    return handovers.left_join(first, "lead_id").select(
        "lead_id", "handover_at", first.response_at, first.response, first.response_reason
    )


PREPARED = (
    (HANDOVER_STATE, handover_state),
    (PREPARED_LEADS, lead_facts),
    (PREPARED_OPPORTUNITIES, opportunity_facts),
)


def _to_reporting(
    joined: ir.Table, amount: ir.Value, currency: ir.Value, month: ir.Value, target: str
) -> tuple[ir.Table, ir.Value]:
    """Amount in the reporting currency at the month's rate; NULL when a rate is missing."""
    rates = T["fx_rates"]
    own = rates.view()
    code = ibis.coalesce(currency, ibis.literal(target))
    joined = joined.left_join(own, (own.currency == code) & (own.month == month))
    own_rate = ibis.cases((code == "EUR", ibis.literal(1.0)), else_=own.eur_per_unit)
    if target == "EUR":
        target_rate: ir.Value = ibis.literal(1.0)
    else:
        ref = rates.view()
        joined = joined.left_join(ref, (ref.currency == target) & (ref.month == month))
        target_rate = ref.eur_per_unit
    value = amount.cast("float64")
    converted = ibis.cases((code == target, value), else_=value * own_rate / target_rate)
    return joined, converted


# -- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A fact's records: the joined relation, its anchor, dimensions and measure inputs."""

    table: ir.Table
    anchor: ir.Value | None  # None: a snapshot fact (pending) or a spread one (budget)
    dims: dict[str, ir.Value]
    inputs: dict[str, ir.Value]


def lead_frame(s: Slice) -> Frame:
    joined, dims = _lead_frame(s.dimensions)
    leads = prepared_leads()
    first = leads.first_opportunity_at
    converted = (first.notnull() & (first <= s.moment("as_of"))).ifelse(1, 0)
    return Frame(
        joined,
        leads.created_at,
        dims,
        {"id": leads.lead_id, "campaign_id": leads.campaign_id, "converted": converted},
    )


def recycled_frame(s: Slice) -> Frame:
    """Leads by the first time sales gave them back to marketing (`recycled`)."""
    joined, dims = _lead_frame(s.dimensions)
    leads = prepared_leads()
    return Frame(
        joined, leads.recycled_at, dims, {"id": leads.lead_id, "recycled_at": leads.recycled_at}
    )


def unprocessed_frame(s: Slice) -> Frame:
    """Leads at t: their age and whether marketing has handed them over or disqualified them."""
    joined, dims = _lead_frame(s.dimensions)
    leads = prepared_leads()
    age = (s.moment("t").epoch_seconds() - leads.created_at.epoch_seconds()) / 86_400.0
    return Frame(
        joined,
        None,
        dims,
        {
            "id": leads.lead_id,
            "created_at": leads.created_at,
            "handover_at": leads.handover_at,
            "disqualified_at": leads.disqualified_at,
            "age_days": age,
        },
    )


def stalled_frame(s: Slice) -> Frame:
    """Leads at t: sales' first response, when it came, and the lead's first opportunity."""
    joined, dims = _lead_frame(s.dimensions)
    leads = prepared_leads()
    since = (s.moment("t").epoch_seconds() - leads.response_at.epoch_seconds()) / 86_400.0
    return Frame(
        joined,
        None,
        dims,
        {
            "id": leads.lead_id,
            "response": leads.response,
            "response_at": leads.response_at,
            "first_opportunity_at": leads.first_opportunity_at,
            "days_since": since,
        },
    )


def handover_frame(s: Slice, anchor: str) -> Frame:
    joined, dims = _lead_frame(s.dimensions)
    state = prepared_leads()
    age = (s.moment("t").epoch_seconds() - state.handover_at.epoch_seconds()) / 3600.0
    return Frame(
        joined,
        state[anchor] if anchor != "pending" else None,
        dims,
        {
            "id": state.lead_id,
            "handover_at": state.handover_at,
            "response_at": state.response_at,
            "response": state.response,
            "delay_h": state.delay_h,
            "age_h": age,
            "due_at": state.due_at,
        },
    )


_VOLUMES = ("opportunity_volume", "marketing_opportunity_volume", "won_volume")


_MARKETING = ("marketing_opportunities", "marketing_opportunity_volume")


def opportunity_frame(s: Slice, anchor: str) -> Frame:
    # The store's own table scans faster than the prepared copy; that copy is only needed for
    # the lead's campaign and channel.
    with_lead = s.needs(*_MARKETING) or bool(s.dimensions & {"campaign", "channel"})
    opps = prepared_opportunities() if with_lead else T["opportunities"]
    joined, dims = _opportunity_frame(opps, s.dimensions)
    at = opps[anchor]
    value: ir.Value = ibis.null("float64")
    if s.needs(*_VOLUMES):
        joined, value = _to_reporting(
            joined, opps.amount, opps.currency, at.truncate("M").date(), s.currency
        )
    return Frame(
        joined,
        at,
        dims,
        {
            "id": opps.opportunity_id,
            "marketing": opps.lead_campaign_id.notnull() if with_lead else ibis.literal(False),
            "status": opps.status,
            "amount": opps.amount,
            "value": value,
        },
    )


def cost_frame(s: Slice) -> Frame:
    costs, campaigns = T["campaign_costs"], T["campaigns"]
    base = costs.join(campaigns, costs.campaign_id == campaigns.campaign_id)
    joined, dims = _campaign_values(s.dimensions, base)
    joined, value = _to_reporting(
        joined, costs.amount, costs.currency, costs.date.truncate("M"), s.currency
    )
    return Frame(
        joined,
        costs.date.cast("timestamp"),
        dims,
        {"id": costs.row_key, "amount": costs.amount, "value": value},
    )


def budget_frame(s: Slice) -> Frame:
    campaigns = T["campaigns"]
    joined, dims = _campaign_values(s.dimensions, campaigns)
    joined, value = _to_reporting(
        joined,
        campaigns.budget_planned,
        campaigns.currency,
        campaigns.start_date.truncate("M"),
        s.currency,
    )
    return Frame(
        joined,
        None,
        dims,
        {
            "id": campaigns.campaign_id,
            "amount": campaigns.budget_planned,
            "value": value,
            "run_start": campaigns.start_date.cast("timestamp").epoch_seconds(),
            "run_end": campaigns.end_date.cast("timestamp").epoch_seconds() + 86_400,
        },
    )


# -- measures --------------------------------------------------------------------------------------


def _count_if(condition: ir.BooleanValue) -> ir.Value:
    return condition.ifelse(1, 0).sum().fill_null(0)


def _fx_missing(f: Frame) -> ir.Value:
    return _count_if(f.inputs["value"].isnull() & f.inputs["amount"].notnull())


Measures = Callable[[Frame, Slice], dict[str, ir.Value]]


def _lead_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {
        "leads": f.inputs["id"].count(),
        "campaign_leads": f.inputs["campaign_id"].count(),
        "converted_leads": _count_if(f.inputs["converted"] == 1),
    }


def _handover_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {"handed_over": f.inputs["id"].count()}


def _response_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    delay = f.inputs["delay_h"]
    return {
        "accepted": _count_if(f.inputs["response"] == "accepted"),
        "rejected": _count_if(f.inputs["response"] == "rejected"),
        "acceptance_delay_median_h": delay.quantile(0.5),
        "acceptance_delay_p90_h": delay.quantile(0.9),
    }


def _pending_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {
        "pending_handover": f.inputs["id"].count(),
        "overdue_handover": _count_if(f.inputs["due_at"] < s.moment("t")),
    }


def _unprocessed_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {"unprocessed_leads": f.inputs["id"].count()}


def _recycled_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {"recycled_leads": f.inputs["id"].count()}


def _stalled_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {"stalled_leads": f.inputs["id"].count()}


def _opportunity_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    marketing, value = f.inputs["marketing"], f.inputs["value"]
    return {
        "opportunities": f.inputs["id"].count(),
        "marketing_opportunities": _count_if(marketing),
        "opportunity_volume": value.sum().fill_null(0.0),
        "marketing_opportunity_volume": value.sum(where=marketing).fill_null(0.0),
        "_fx_missing": _fx_missing(f),
    }


def _closed_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    won = f.inputs["status"] == "won"
    return {
        "won_opportunities": _count_if(won),
        "lost_opportunities": _count_if(f.inputs["status"] == "lost"),
        "won_volume": f.inputs["value"].sum(where=won).fill_null(0.0),
        "_fx_missing": _count_if(won & f.inputs["value"].isnull() & f.inputs["amount"].notnull()),
    }


def _cost_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {"cost": f.inputs["value"].sum().fill_null(0.0), "_fx_missing": _fx_missing(f)}


def _budget_measures(f: Frame, s: Slice) -> dict[str, ir.Value]:
    return {"budget_planned": f.inputs["share"].sum().fill_null(0.0), "_fx_missing": _fx_missing(f)}


# -- slicing and grouping -----------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    name: str
    frame: Callable[[Slice], Frame]
    measures: Measures
    dimensions: tuple[str, ...]
    filter: Callable[[Frame, Slice], ir.BooleanValue] | None = None


_LEAD_DIMS = tuple(d for d in DIMENSIONS if d not in ("stage", "reason"))
_RESPONSE_DIMS = (*_LEAD_DIMS, "reason")
_OPPORTUNITY_DIMS = (*_LEAD_DIMS, "stage")
_CAMPAIGN_DIMS = ("campaign", "channel", "topic", "unit", "country", "region")


def _closed_filter(f: Frame, s: Slice) -> ir.BooleanValue:
    return f.inputs["status"].isin(("won", "lost"))


def _handed_over(f: Frame, s: Slice) -> ir.BooleanValue:
    return f.inputs["handover_at"].notnull()


def _was_recycled(f: Frame, s: Slice) -> ir.BooleanValue:
    return f.inputs["recycled_at"].notnull()


def _response_filter(f: Frame, s: Slice) -> ir.BooleanValue:
    return f.inputs["response_at"].notnull()


FACTS: dict[str, Fact] = {
    "lead": Fact("lead", lead_frame, _lead_measures, _LEAD_DIMS),
    "handover": Fact(
        "handover",
        lambda s: handover_frame(s, "handover_at"),
        _handover_measures,
        _LEAD_DIMS,
        _handed_over,
    ),
    "response": Fact(
        "response",
        lambda s: handover_frame(s, "response_at"),
        _response_measures,
        _RESPONSE_DIMS,
        _response_filter,
    ),
    "pending": Fact(
        "pending",
        lambda s: handover_frame(s, "pending"),
        _pending_measures,
        _LEAD_DIMS,
        _handed_over,
    ),
    "unprocessed": Fact("unprocessed", unprocessed_frame, _unprocessed_measures, _LEAD_DIMS),
    "stalled": Fact("stalled", stalled_frame, _stalled_measures, _LEAD_DIMS),
    "recycled": Fact("recycled", recycled_frame, _recycled_measures, _LEAD_DIMS, _was_recycled),
    "opportunity": Fact(
        "opportunity",
        lambda s: opportunity_frame(s, "created_at"),
        _opportunity_measures,
        _OPPORTUNITY_DIMS,
    ),
    "closed": Fact(
        "closed",
        lambda s: opportunity_frame(s, "closed_at"),
        _closed_measures,
        _OPPORTUNITY_DIMS,
        _closed_filter,
    ),
    "cost": Fact("cost", cost_frame, _cost_measures, _CAMPAIGN_DIMS),
    "budget": Fact("budget", budget_frame, _budget_measures, _CAMPAIGN_DIMS),
}


def bucket_of(calendar: Calendar, grain: str, at: ir.TimestampValue) -> ir.Value:
    """SQL truncation of a timestamp to the start of its (fiscal) bucket, as a date."""
    shift = calendar.fiscal_start_month - 1
    unit = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "fiscal_year": "Y"}[grain]
    if grain in ("quarter", "fiscal_year") and shift:
        months = ibis.interval(months=shift)
        return ((at - months).truncate(unit) + months).date()
    return at.truncate(unit).date()


def selection(fact: Fact, s: Slice) -> ir.Table:
    """The fact's records in the slice: one row per record with its dimensions and inputs."""
    f = _flatten(fact.frame(s), s)
    conditions = [f.dims[d].isin(s.choices(d)) for d in s.allowed]
    conditions += [f.dims[d].isnull() for d in s.missing]
    if f.anchor is not None:
        # as_of is the clock: a record dated after it has not happened yet
        conditions += [
            f.anchor >= s.moment("start"),
            f.anchor < s.moment("end"),
            f.anchor <= s.moment("as_of"),
        ]
    if fact.filter is not None:
        conditions.append(fact.filter(f, s))
    if fact.name == "pending":
        t = s.moment("t")
        state = f.inputs
        conditions += [
            state["handover_at"] <= t,
            state["response_at"].isnull() | (state["response_at"] > t),
        ]
    if fact.name == "unprocessed":
        t = s.moment("t")
        state = f.inputs
        conditions += [
            state["age_days"] > s.unprocessed_days,
            state["handover_at"].isnull() | (state["handover_at"] > t),
            state["disqualified_at"].isnull() | (state["disqualified_at"] > t),
        ]
    if fact.name == "stalled":
        first = f.inputs["first_opportunity_at"]
        conditions += [
            f.inputs["response"] == "accepted",
            f.inputs["days_since"] > s.stalled_days,
            first.isnull() | (first > s.moment("t")),
        ]
    columns = {d: f.dims[d] for d in s.by}
    if s.grain is not None and f.anchor is not None:
        columns[BUCKET] = bucket_of(s.calendar, s.grain, f.anchor)
    if fact.name == "budget":
        start = s.moment("start").epoch_seconds()
        end = s.moment("end").epoch_seconds()
        run_start, run_end = f.inputs["run_start"], f.inputs["run_end"]
        overlap = ibis.least(run_end, end) - ibis.greatest(run_start, start)
        conditions.append(overlap > 0)
        columns["_share"] = f.inputs["value"] * overlap / (run_end - run_start)
    columns.update({f"_in_{k}": v for k, v in f.inputs.items()})
    return f.table.filter(*conditions).select(**columns)


def _flatten(f: Frame, s: Slice) -> Frame:
    """One flat relation of the joined records, so later steps see plain, unique columns."""
    columns = {f"_d_{d}": f.dims[d] for d in sorted(s.dimensions)}
    if f.anchor is not None:
        columns["_anchor"] = f.anchor
    columns.update({f"_in_{k}": v for k, v in f.inputs.items()})
    flat = f.table.select(**columns)
    return Frame(
        flat,
        flat["_anchor"] if f.anchor is not None else None,
        {d: flat[f"_d_{d}"] for d in s.dimensions},
        {k: flat[f"_in_{k}"] for k in f.inputs},
    )


def fact_query(fact: Fact, s: Slice) -> ir.Table | None:
    """Grouped measures of one fact in one slice; None when the fact lacks a needed dimension."""
    if not s.dimensions <= set(fact.dimensions):
        return None
    if s.grain is not None and fact.name in ("pending", "unprocessed", "stalled", "budget"):
        return _per_bucket(fact, s)
    rows = selection(fact, s)
    inputs = {k.removeprefix("_in_"): rows[k] for k in rows.columns if k.startswith("_in_")}
    if "_share" in rows.columns:
        inputs["share"] = rows["_share"]
    frame = Frame(rows, None, {}, inputs)
    keys = [c for c in rows.columns if c in s.by or c == BUCKET]
    measures = {
        name: value
        for name, value in fact.measures(frame, s).items()
        if s.needs(name) or (name == "_fx_missing" and s.needs(*_VOLUMES, "cost", "budget_planned"))
    }
    if keys:
        return rows.group_by(keys).aggregate(**measures)
    return rows.aggregate(**measures)


def _per_bucket(fact: Fact, s: Slice) -> ir.Table:
    """Snapshot and spread facts: one sub-slice per bucket, labelled with the bucket's start."""
    assert s.grain is not None
    parts = []
    for sub, _ in s.sub_slices():
        query = fact_query(fact, sub)
        assert query is not None
        parts.append(query.mutate(**{BUCKET: _param(f"{sub.prefix}label").cast("date")}))
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


_COMPILED: dict[tuple[Any, ...], str | None] = {}


def compiled(fact: Fact, s: Slice, dialect: str) -> tuple[str, list[Any]] | None:
    """The fact's SQL for the slice with its parameters; None when the fact does not apply.

    Compiled once per shape (fact, grouping, number of filter values, ...) and dialect.
    """
    key = (fact.name, dialect, *s.shape())
    if key not in _COMPILED:
        if len(_COMPILED) > 2000:
            _COMPILED.clear()
        query = fact_query(fact, s)
        _COMPILED[key] = None if query is None else ibis.to_sql(query, dialect=dialect)
    sql = _COMPILED[key]
    return None if sql is None else bind(sql, s)
