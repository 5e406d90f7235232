"""Seeded, vectorised generator of a realistic B2B demo company: `generate_company`."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa

from leadboard.sources.demo.catalog import COUNTRIES, COUNTRY_REGION
from leadboard.sources.demo.draw import (
    Clock,
    campaign_count,
    draw_accounts,
    draw_leads,
    draw_lifecycle,
    draw_opportunities,
    draw_people,
    fx_matrix,
    plan_campaigns,
    resolve_as_of,
)
from leadboard.sources.demo.tables import (
    accounts_table,
    campaigns_table,
    costs_table,
    events_table,
    fx_table,
    id_array,
    leads_table,
    opportunities_table,
    targets_table,
)

__all__ = ["generate_company"]


def generate_company(
    n_leads: int = 60_000, seed: int = 42, as_of: datetime | None = None
) -> dict[str, pa.Table]:
    """Generate a demo company with `n_leads` leads, identical for the same seed and `as_of`.

    Returns one Arrow table per canonical entity (plus `regions`). Every entity is drawn with
    numpy over whole columns: ten million leads take about half a minute.
    """
    if n_leads < 0:
        raise ValueError("n_leads must not be negative")
    clock = Clock(resolve_as_of(as_of))
    # one independent stream per entity, so changing one entity leaves the others as they were
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(11)]
    fx = fx_matrix(rngs[0], clock)
    people = draw_people(rngs[1])
    campaigns = plan_campaigns(rngs[2], clock, campaign_count(n_leads), n_leads)
    accounts = draw_accounts(rngs[3], max(n_leads // 10, 40))
    leads = draw_leads(rngs[4], clock, campaigns, accounts, n_leads)
    life = draw_lifecycle(rngs[5], clock, leads)
    opps = draw_opportunities(rngs[6], clock, leads, life, accounts, fx)
    lead_ids = id_array("L", len(leads.created_us), 7)
    campaign_ids = id_array("C", campaigns.size, 4)
    account_ids = id_array("A", accounts.country.size, 6)
    return {
        "campaigns": campaigns_table(campaigns, campaign_ids),
        "campaign_costs": costs_table(rngs[7], clock, campaigns, campaign_ids),
        "accounts": accounts_table(rngs[8], accounts, account_ids),
        "leads": leads_table(leads, life, people, lead_ids, campaign_ids, account_ids),
        "lead_events": events_table(rngs[9], leads, life, people, lead_ids),
        "opportunities": opportunities_table(opps, people, lead_ids, account_ids),
        "targets": targets_table(rngs[10], clock, leads, opps),
        "fx_rates": fx_table(fx, clock),
        "regions": pa.table({"country": list(COUNTRIES), "region": list(COUNTRY_REGION)}),
    }
