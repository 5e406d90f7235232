"""Data quality: what in the store keeps a number from being right, with counts and records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from leadboard.metrics.facts import FACTS, RESPONSES, T, bind, first_handovers, selection
from leadboard.metrics.request import RequestError, Scope

if TYPE_CHECKING:
    from leadboard.metrics.engine import KpiEngine

SAMPLE = 50


@dataclass(frozen=True)
class QualityIssue:
    code: str
    level: str  # error: a KPI is wrong or incomplete; warning: a KPI is less useful
    entity: str
    message: str
    count: int
    records: tuple[str, ...]  # ids of the first records affected

    def public(self) -> dict[str, Any]:
        return {**self.__dict__, "records": list(self.records)}


@dataclass(frozen=True)
class Check:
    code: str
    level: str
    entity: str
    message: str  # "{count} ..." is filled in
    ids: Callable[[KpiEngine], ir.Table]  # one column `id`


def _missing_fx(fact_name: str) -> Callable[[KpiEngine], ir.Table]:
    def ids(engine: KpiEngine) -> ir.Table:
        s = engine.all_time_slice()
        rows = selection(FACTS[fact_name], s)
        missing = rows["_in_value"].isnull() & rows["_in_amount"].notnull()
        if fact_name == "closed":  # only won amounts are summed (won volume)
            missing &= rows["_in_status"] == "won"
        return rows.filter(missing).select(id=rows["_in_id"])

    return ids


def _leads_without_team(engine: KpiEngine) -> ir.Table:
    leads = T["leads"]
    return leads.filter(leads.team.isnull()).select(id=leads.lead_id)


def _opportunities_unknown_lead(engine: KpiEngine) -> ir.Table:
    opps, leads = T["opportunities"], T["leads"]
    orphans = opps.filter(opps.lead_id.notnull()).anti_join(leads, opps.lead_id == leads.lead_id)
    return orphans.select(id=orphans.opportunity_id)


def _responses_without_handover(engine: KpiEngine) -> ir.Table:
    events, first = T["lead_events"], first_handovers()
    responses = events.filter(events.event.isin(RESPONSES))
    joined = responses.left_join(first, responses.lead_id == first.lead_id)
    early = joined.filter(first.handover_at.isnull() | (responses.occurred_at < first.handover_at))
    return early.select(id=responses.lead_id).distinct()


def _events_before_creation(engine: KpiEngine) -> ir.Table:
    events, leads = T["lead_events"], T["leads"]
    joined = events.join(leads, events.lead_id == leads.lead_id)
    early = joined.filter(events.occurred_at < leads.created_at)
    return early.select(id=events.lead_id).distinct()


def _opportunities_before_lead(engine: KpiEngine) -> ir.Table:
    opps, leads = T["opportunities"], T["leads"]
    joined = opps.join(leads, opps.lead_id == leads.lead_id)
    early = joined.filter(opps.created_at < leads.created_at)
    return early.select(id=opps.opportunity_id)


def _campaigns_without_budget(engine: KpiEngine) -> ir.Table:
    campaigns = T["campaigns"]
    empty = campaigns.budget_planned.isnull() | (campaigns.budget_planned == 0)
    return campaigns.filter(empty).select(id=campaigns.campaign_id)


def _leads_without_country(engine: KpiEngine) -> ir.Table:
    leads = T["leads"]
    return leads.filter(leads.country.isnull()).select(id=leads.lead_id)


def _countries_without_region(engine: KpiEngine) -> ir.Table:
    leads, regions = T["leads"], T["regions"]
    unknown = leads.filter(leads.country.notnull()).anti_join(
        regions, leads.country == regions.country
    )
    return unknown.select(id=unknown.country).distinct()


CHECKS = (
    Check(
        "missing_fx_rate",
        "error",
        "opportunities",
        "{count} opportunities have no FX rate for their currency and creation month: left out "
        "of opportunity volumes",
        _missing_fx("opportunity"),
    ),
    Check(
        "missing_fx_rate_closed",
        "error",
        "opportunities",
        "{count} won opportunities have no FX rate for their currency and close month: "
        "left out of won volume",
        _missing_fx("closed"),
    ),
    Check(
        "missing_fx_rate_cost",
        "error",
        "campaign_costs",
        "{count} cost entries have no FX rate for their currency and month: left out of cost",
        _missing_fx("cost"),
    ),
    Check(
        "missing_fx_rate_budget",
        "error",
        "campaigns",
        "{count} campaign budgets have no FX rate for their currency and start month: left out "
        "of the planned budget",
        _missing_fx("budget"),
    ),
    Check(
        "opportunity_unknown_lead",
        "error",
        "opportunities",
        "{count} opportunities point to a lead that is not in the store",
        _opportunities_unknown_lead,
    ),
    Check(
        "response_without_handover",
        "error",
        "lead_events",
        "{count} leads have an accepted/rejected event before any handover: not counted as "
        "responses",
        _responses_without_handover,
    ),
    Check(
        "event_before_lead_created",
        "warning",
        "lead_events",
        "{count} leads have a handover or response dated before the lead was created: check "
        "the source system's clocks and time zones",
        _events_before_creation,
    ),
    Check(
        "opportunity_before_lead_created",
        "warning",
        "opportunities",
        "{count} opportunities were created before their lead: check the source system's "
        "clocks and time zones",
        _opportunities_before_lead,
    ),
    Check(
        "lead_without_team",
        "warning",
        "leads",
        "{count} leads have no sales team: they are missing from every view by team",
        _leads_without_team,
    ),
    Check(
        "lead_without_country",
        "warning",
        "leads",
        "{count} leads have no country: they are missing from every view by country/region",
        _leads_without_country,
    ),
    Check(
        "country_without_region",
        "warning",
        "regions",
        "{count} lead countries have no region: import them in regions.csv",
        _countries_without_region,
    ),
    Check(
        "campaign_without_budget",
        "warning",
        "campaigns",
        "{count} campaigns have no planned budget: budget usage and utilization leave them out",
        _campaigns_without_budget,
    ),
)


def quality_report(engine: KpiEngine, scope: Scope) -> list[QualityIssue]:
    """Every check that finds something, with its count and the first records affected."""
    if scope.allowed is not None:
        raise RequestError("scope", "the data-quality report covers the whole store: admins only")
    engine.prepare()
    s = engine.all_time_slice()
    issues = []
    for check in CHECKS:
        ids = check.ids(engine)
        count_sql, params = bind(ibis.to_sql(ids.count(), dialect=engine.store.dialect), s)
        count = int(engine.store.fetchall(count_sql, params)[0][0])
        if count == 0:
            continue
        sample_sql, params = bind(
            ibis.to_sql(ids.order_by("id").limit(SAMPLE), dialect=engine.store.dialect), s
        )
        sample = tuple(str(r[0]) for r in engine.store.fetchall(sample_sql, params))
        issues.append(
            QualityIssue(
                check.code,
                check.level,
                check.entity,
                check.message.format(count=count),
                count,
                sample,
            )
        )
    return issues
