"""Arrow tables of the demo company, built from the drawn numpy columns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadboard.sources.demo.catalog import (
    CATEGORY_SHARE,
    CHANNELS,
    COST_CATEGORIES,
    COUNTRIES,
    COUNTRY_CURRENCY,
    CURRENCIES,
    DISQUALIFY_REASONS,
    EVENTS,
    INDUSTRIES,
    LEGAL_FORMS,
    LOST_REASONS,
    NAME_CORES,
    NAME_PREFIXES,
    NAME_TAILS,
    REASONS,
    REJECT_REASONS,
    REJECT_SHARE,
    SEGMENTS,
    SOURCES,
    STAGES,
    STATUSES,
    TEAM_COUNTRY,
    TEAM_NAMES,
    TIMESTAMP,
    TOPIC_NAMES,
    TOPIC_UNIT,
    UNITS,
    FloatArr,
    IntArr,
)
from leadboard.sources.demo.draw import (
    Accounts,
    Campaigns,
    Clock,
    Leads,
    Lifecycle,
    Opportunities,
    People,
    choice,
    months_of_us,
    pick_in_group,
)

# --- arrow columns ----------------------------------------------------------------------------


def id_array(prefix: str, n: int, min_width: int) -> pa.Array:
    """`prefix` + zero-padded 1..n, built straight into an Arrow string buffer."""
    width = max(min_width, len(str(n)))
    row = len(prefix) + width
    data = np.empty((n, row), dtype=np.uint8)
    data[:, : len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    numbers = np.arange(1, n + 1, dtype=np.int64)
    for position in range(width):
        digit = numbers // 10 ** (width - 1 - position) % 10
        data[:, len(prefix) + position] = digit + ord("0")
    offsets = np.arange(0, (n + 1) * row, row, dtype=np.int32)
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), n, buffers)


def _labels(names: tuple[str, ...] | pa.Array, index: npt.NDArray[Any]) -> pa.Array:
    """Strings by index; a negative index gives null."""
    dictionary = names if isinstance(names, pa.Array) else pa.array(names, pa.string())
    missing = index < 0
    indices = pa.array(np.where(missing, 0, index), mask=missing if missing.any() else None)
    return dictionary.take(indices)


def _timestamps(us: IntArr) -> pa.Array:
    missing = us < 0
    return pa.array(us, TIMESTAMP, mask=missing if missing.any() else None)


def _dates(days: IntArr) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


def _money(values: FloatArr) -> pa.Array:
    return pa.array(np.round(values, 2), pa.float64())


# --- tables -----------------------------------------------------------------------------------


def campaigns_table(campaigns: Campaigns, ids: pa.Array) -> pa.Table:
    months = campaigns.start_day.astype("datetime64[D]").astype("datetime64[M]").astype(str)
    names = [
        f"{TOPIC_NAMES[t]} {CHANNELS[c]} {COUNTRIES[k]} {m}"
        for t, c, k, m in zip(
            campaigns.topic, campaigns.channel, campaigns.country, months, strict=True
        )
    ]
    return pa.table(
        {
            "campaign_id": ids,
            "name": pa.array(names, pa.string()),
            "channel": _labels(CHANNELS, campaigns.channel),
            "topic": _labels(TOPIC_NAMES, campaigns.topic),
            "unit": _labels(UNITS, TOPIC_UNIT[campaigns.topic]),
            "country": _labels(COUNTRIES, campaigns.country),
            "team": _labels(tuple(f"MKT-{c}" for c in COUNTRIES), campaigns.country),
            "start_date": _dates(campaigns.start_day),
            "end_date": _dates(campaigns.end_day),
            "budget_planned": _money(campaigns.budget),
            "currency": _labels(CURRENCIES, campaigns.currency),
            "target_leads": pa.array(campaigns.target_leads, pa.int64()),
            "target_opportunities": pa.array(campaigns.target_opportunities, pa.int64()),
            "target_opportunity_volume": _money(campaigns.target_volume),
        }
    )


def costs_table(
    rng: np.random.Generator, clock: Clock, campaigns: Campaigns, ids: pa.Array
) -> pa.Table:
    """Several spend entries per started campaign, within its run and not after as_of."""
    started = campaigns.start_day <= clock.as_of_day
    run_days = campaigns.end_day - campaigns.start_day + 1
    spent_days = np.minimum(campaigns.end_day, clock.as_of_day) - campaigns.start_day + 1
    spend = campaigns.budget * campaigns.utilization * np.clip(spent_days / run_days, 0.0, 1.0)
    entries = np.where(started, rng.integers(3, 10, campaigns.size), 0)
    campaign = np.repeat(np.arange(campaigns.size), entries)
    day = campaigns.start_day[campaign] + (rng.random(campaign.size) * spent_days[campaign]).astype(
        np.int64
    )
    weight = rng.gamma(2.0, size=campaign.size)
    share = weight / np.bincount(campaign, weights=weight, minlength=campaigns.size)[campaign]
    cumulative = np.cumsum(CATEGORY_SHARE, axis=1)[campaigns.channel[campaign]]
    category = (rng.random(campaign.size)[:, None] > cumulative[:, :-1]).sum(axis=1)
    order = np.lexsort((day, campaign))
    campaign, day, category = campaign[order], day[order], category[order]
    return pa.table(
        {
            "campaign_id": ids.take(pa.array(campaign)),
            "date": _dates(day),
            "amount": _money(spend[campaign] * share[order]),
            "currency": _labels(CURRENCIES, campaigns.currency[campaign]),
            "category": _labels(COST_CATEGORIES, category),
        }
    )


def accounts_table(rng: np.random.Generator, accounts: Accounts, ids: pa.Array) -> pa.Table:
    n = accounts.country.size
    return pa.table(
        {
            "account_id": ids,
            "name": _account_names(rng, accounts),
            "industry": _labels(INDUSTRIES, rng.integers(0, len(INDUSTRIES), n)),
            "country": _labels(COUNTRIES, accounts.country),
            "unit": _labels(UNITS, rng.integers(0, len(UNITS), n)),
            "segment": _labels(SEGMENTS, accounts.segment),
        }
    )


def _account_names(rng: np.random.Generator, accounts: Accounts) -> pa.Array:
    """Unique names such as `Nordwind Logistik Group GmbH` (numbered once combinations run out)."""
    n = accounts.country.size
    n_cores, n_tails = len(NAME_CORES), len(NAME_TAILS)
    space = len(NAME_PREFIXES) * n_cores * n_tails
    draw = rng.permutation(n)
    combo, repeat = draw % space, draw // space
    forms = tuple(form for country_forms in LEGAL_FORMS for form in country_forms)
    form_counts = np.array([len(f) for f in LEGAL_FORMS], dtype=np.int64)
    form_offsets = np.concatenate([[0], np.cumsum(form_counts)[:-1]]).astype(np.int64)
    form = pick_in_group(rng, accounts.country, form_offsets, form_counts)
    numbers = ("", *(f" {k + 1}" for k in range(1, int(repeat.max(initial=0)) + 1)))
    return pc.binary_join_element_wise(
        _labels(NAME_PREFIXES, combo // (n_cores * n_tails)),
        " ",
        _labels(NAME_CORES, combo // n_tails % n_cores),
        _labels(NAME_TAILS, combo % n_tails),
        _labels(numbers, repeat),
        " ",
        _labels(forms, form),
        "",
    )


def leads_table(
    leads: Leads,
    life: Lifecycle,
    people: People,
    lead_ids: pa.Array,
    campaign_ids: pa.Array,
    account_ids: pa.Array,
) -> pa.Table:
    return pa.table(
        {
            "lead_id": lead_ids,
            "created_at": _timestamps(leads.created_us),
            "campaign_id": _labels(campaign_ids, leads.campaign),
            "account_id": _labels(account_ids, leads.account),
            "source": _labels(SOURCES, leads.source),
            "topic": _labels(TOPIC_NAMES, leads.topic),
            "unit": _labels(UNITS, TOPIC_UNIT[leads.topic]),
            "country": _labels(COUNTRIES, leads.country),
            "team": _labels(TEAM_NAMES, leads.team),
            "owner": _labels(people.names, np.where(life.accepted, leads.rep, -1)),
        }
    )


def events_table(
    rng: np.random.Generator,
    leads: Leads,
    life: Lifecycle,
    people: People,
    lead_ids: pa.Array,
) -> pa.Table:
    """One row per present (lead, slot), ordered by lead and then time."""
    flat = np.flatnonzero(life.present)
    occurred_at = _timestamps(life.times.ravel()[flat])
    code = life.codes.ravel()[flat]
    lead = (flat // life.present.shape[1]).astype(np.int32)
    del flat  # the event columns of ten million leads are large: keep the peak low
    response = (code == 2) | (code == 3)
    team = np.where(response | (code == 1), leads.team.astype(np.int32)[lead], -1)
    rep, marketer = leads.rep.astype(np.int32), leads.marketer.astype(np.int32)
    actor = np.where(response, rep[lead], people.n_reps + marketer[lead])
    return pa.table(
        {
            "lead_id": lead_ids.take(pa.array(lead)),
            "event": _labels(EVENTS, code),
            "occurred_at": occurred_at,
            "team": _labels(TEAM_NAMES, team),
            "actor": _labels(people.names, actor),
            "reason": _labels(REASONS, _event_reasons(rng, code)),
        }
    )


def _event_reasons(rng: np.random.Generator, code: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    """Sales' feedback on rejections and marketing's reason for disqualifying; else -1."""
    reason = np.full(code.size, -1, dtype=np.int8)
    rejected, disqualified = code == 3, code == 5
    reason[rejected] = choice(rng, REJECT_SHARE, int(rejected.sum()))
    n_disqualified = int(disqualified.sum())
    reason[disqualified] = len(REJECT_REASONS) + rng.integers(
        0, len(DISQUALIFY_REASONS), n_disqualified
    )
    return reason


def opportunities_table(
    opps: Opportunities, people: People, lead_ids: pa.Array, account_ids: pa.Array
) -> pa.Table:
    country = TEAM_COUNTRY[opps.team]
    return pa.table(
        {
            "opportunity_id": id_array("O", opps.created_us.size, 6),
            "created_at": _timestamps(opps.created_us),
            "lead_id": _labels(lead_ids, opps.lead),
            "account_id": _labels(account_ids, opps.account),
            "topic": _labels(TOPIC_NAMES, opps.topic),
            "unit": _labels(UNITS, TOPIC_UNIT[opps.topic]),
            "country": _labels(COUNTRIES, country),
            "team": _labels(TEAM_NAMES, opps.team),
            "owner": _labels(people.names, opps.rep),
            "stage": _labels(STAGES, opps.stage),
            "amount": _money(opps.amount),
            "currency": _labels(CURRENCIES, COUNTRY_CURRENCY[country]),
            "status": _labels(STATUSES, opps.status),
            "closed_at": _timestamps(opps.closed_us),
            "lost_reason": _labels(LOST_REASONS, opps.lost_reason),
            "probability": pa.array(opps.probability, pa.float64()),
        }
    )


# --- targets and fx ---------------------------------------------------------------------------


def targets_table(
    rng: np.random.Generator, clock: Clock, leads: Leads, opps: Opportunities
) -> pa.Table:
    """Global yearly and quarterly targets and per-unit yearly targets, near the actuals."""
    years = clock.years
    lead_quarter = _quarter_cells(leads.created_us, clock)
    opp_quarter = _quarter_cells(opps.created_us, clock)
    n_cells = 4 * len(years)
    actuals: dict[str, FloatArr] = {
        "leads": np.bincount(lead_quarter, minlength=n_cells).astype(np.float64),
        "opportunities": np.bincount(opp_quarter, minlength=n_cells).astype(np.float64),
        "opportunity_volume": np.bincount(opp_quarter, opps.amount_eur, n_cells).astype(np.float64),
        "marketing_opportunity_volume": np.bincount(
            opp_quarter[opps.marketing], opps.amount_eur[opps.marketing], n_cells
        ).astype(np.float64),
    }
    elapsed = _quarter_elapsed(clock)
    rows: list[tuple[str, str, float, str | None]] = []
    for metric, actual in actuals.items():
        expected = _plan_quarters(actual, elapsed).reshape(len(years), 4)
        for year, quarters in zip(years, expected, strict=True):
            planned = quarters * rng.uniform(0.95, 1.15) * rng.uniform(0.95, 1.05, 4)
            rows.append((str(year), metric, _round_target(metric, planned.sum()), None))
            rows.extend(
                (f"{year}-Q{q + 1}", metric, _round_target(metric, value), None)
                for q, value in enumerate(planned)
            )
    rows.extend(_unit_targets(rng, clock, leads, opps, lead_quarter, opp_quarter, elapsed))
    return pa.table(
        {
            "period": pa.array([r[0] for r in rows], pa.string()),
            "metric": pa.array([r[1] for r in rows], pa.string()),
            "value": pa.array([r[2] for r in rows], pa.float64()),
            "unit": pa.array([r[3] for r in rows], pa.string()),
            "country": pa.nulls(len(rows), pa.string()),
            "team": pa.nulls(len(rows), pa.string()),
            "topic": pa.nulls(len(rows), pa.string()),
            "campaign_id": pa.nulls(len(rows), pa.string()),
        }
    )


def _unit_targets(
    rng: np.random.Generator,
    clock: Clock,
    leads: Leads,
    opps: Opportunities,
    lead_quarter: IntArr,
    opp_quarter: IntArr,
    elapsed: FloatArr,
) -> list[tuple[str, str, float, str | None]]:
    """Yearly `leads` and `opportunity_volume` per unit; some units set ambitiously, some not."""
    n_units, years = len(UNITS), clock.years
    cells = n_units * len(years)
    year_elapsed = np.repeat(elapsed.reshape(len(years), 4).mean(axis=1), n_units)
    lead_cell = lead_quarter // 4 * n_units + TOPIC_UNIT[leads.topic]
    opp_cell = opp_quarter // 4 * n_units + TOPIC_UNIT[opps.topic]
    actuals: dict[str, FloatArr] = {
        "leads": np.bincount(lead_cell, minlength=cells).astype(np.float64),
        "opportunity_volume": np.bincount(opp_cell, opps.amount_eur, cells).astype(np.float64),
    }
    rows: list[tuple[str, str, float, str | None]] = []
    for metric, actual in actuals.items():
        planned = _extrapolate(actual, year_elapsed, n_units) * rng.uniform(0.8, 1.3, cells)
        rows.extend(
            (
                str(years[cell // n_units]),
                metric,
                _round_target(metric, value),
                UNITS[cell % n_units],
            )
            for cell, value in enumerate(planned)
        )
    return rows


def _quarter_cells(us: IntArr, clock: Clock) -> IntArr:
    """Quarter index since the first fiscal year (fiscal year = calendar year)."""
    return (months_of_us(us) - clock.first_month) // 3


def _quarter_elapsed(clock: Clock) -> FloatArr:
    """Elapsed share at as_of of every quarter in range."""
    shares = []
    for year in clock.years:
        for quarter in range(4):
            start = datetime(year, quarter * 3 + 1, 1, tzinfo=UTC)
            end = datetime(year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1, tzinfo=UTC)
            share = (clock.as_of - start) / (end - start)
            shares.append(min(max(share, 0.0), 1.0))
    return np.array(shares)


def _plan_quarters(actual: FloatArr, elapsed: FloatArr) -> FloatArr:
    """Finished quarters: the actual; running and future ones: last year's quarter grown 8 %."""
    planned = actual.copy()
    for cell in range(actual.size):
        if elapsed[cell] < 1.0:
            pro_rata = actual[cell] / max(elapsed[cell], 0.15)
            planned[cell] = planned[cell - 4] * 1.08 if cell >= 4 else pro_rata
    return planned


def _extrapolate(actual: FloatArr, elapsed: FloatArr, period: int) -> FloatArr:
    """Full-period estimate: pro rata when enough has elapsed, else last period's value grown."""
    expected = actual / np.maximum(elapsed, 0.15)
    for cell in range(expected.size):
        if elapsed[cell] < 0.15:
            expected[cell] = expected[cell - period] * 1.08 if cell >= period else 0.0
    return expected


def _round_target(metric: str, value: float) -> float:
    return float(round(value, -3) if metric.endswith("volume") else round(value))


def fx_table(fx: FloatArr, clock: Clock, planning_months: int = 12) -> pa.Table:
    """Monthly rates up to as_of, then the last rate as the planning rate for future campaigns."""
    fx = np.concatenate([fx, np.repeat(fx[:, -1:], planning_months, axis=1)], axis=1)
    n_months = fx.shape[1]
    months = [
        f"{(clock.first_month + m) // 12 + 1970}-{(clock.first_month + m) % 12 + 1:02d}"
        for m in range(n_months)
    ]
    return pa.table(
        {
            "currency": pa.array(np.repeat(CURRENCIES, n_months), pa.string()),
            "month": pa.array(months * len(CURRENCIES), pa.string()),
            "eur_per_unit": pa.array(fx.ravel(), pa.float64()),
        }
    )
