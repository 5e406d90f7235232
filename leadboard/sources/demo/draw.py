"""Seeded numpy draws of the demo company's entities, as dataclasses of column arrays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from leadboard.sources.demo.catalog import (
    CAMPAIGN_LEAD_SHARE,
    CHANNEL_ACCEPTANCE,
    CHANNEL_CPL_EUR,
    CHANNEL_LEADS,
    CHANNEL_SHARE,
    COUNTRIES,
    COUNTRY_CURRENCY,
    COUNTRY_UTC_OFFSET_H,
    COUNTRY_WEIGHTS,
    CURRENCIES,
    EUR_PER_UNIT,
    FIRST_NAMES,
    FORGOTTEN_SHARE,
    HANDOVER_SHARE,
    LAST_NAMES,
    LOST_REASONS,
    MARKETERS_PER_COUNTRY,
    NON_LEAD_OPPORTUNITY_SHARE,
    OPEN_STAGE_PROBABILITY,
    OPPORTUNITY_SHARE,
    QUALIFY_SHARE,
    RECYCLE_SHARE,
    REPS_PER_TEAM,
    SEGMENT_DEAL_SIZE,
    SEGMENT_SHARE,
    SOURCE_ACCEPTANCE,
    SOURCE_SHARE,
    TEAM_COUNTRY,
    TEAM_DELAY_H,
    TEAMS,
    TOPIC_UNIT,
    TOPICS,
    UNIT_DEAL_SIZE,
    UNIT_WIN_RATE,
    US_PER_DAY,
    US_PER_SECOND,
    BoolArr,
    FloatArr,
    IntArr,
)


@dataclass(frozen=True)
class Clock:
    """The covered time range: 1 January two years before `as_of` up to `as_of`."""

    as_of: datetime

    @property
    def start(self) -> datetime:
        return datetime(self.as_of.year - 2, 1, 1, tzinfo=UTC)

    @property
    def start_us(self) -> int:
        return _to_us(self.start)

    @property
    def as_of_us(self) -> int:
        return _to_us(self.as_of)

    @property
    def start_day(self) -> int:
        return self.start_us // US_PER_DAY

    @property
    def as_of_day(self) -> int:
        return self.as_of_us // US_PER_DAY

    @property
    def first_month(self) -> int:
        return (self.start.year - 1970) * 12

    @property
    def n_months(self) -> int:
        return (self.as_of.year - 1970) * 12 + self.as_of.month - self.first_month

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start.year, self.as_of.year + 1))


@dataclass(frozen=True)
class People:
    """Sales reps (REPS_PER_TEAM per team) followed by marketers (per country)."""

    names: tuple[str, ...]

    @property
    def n_reps(self) -> int:
        return len(TEAMS) * REPS_PER_TEAM


@dataclass(frozen=True)
class Campaigns:
    """Campaign attributes as columns, sorted by start date."""

    channel: IntArr
    topic: IntArr
    country: IntArr
    start_day: IntArr
    end_day: IntArr
    lead_weight: FloatArr  # expected share of campaign leads
    target_leads: IntArr
    target_opportunities: IntArr
    budget: FloatArr  # in the campaign currency
    target_volume: FloatArr  # in the campaign currency
    quality: FloatArr  # acceptance probability of its leads
    conversion: FloatArr  # factor on the lead → opportunity probability
    utilization: FloatArr  # final spend / budget

    @property
    def size(self) -> int:
        return int(self.channel.size)

    @property
    def currency(self) -> IntArr:
        return COUNTRY_CURRENCY[self.country]


@dataclass(frozen=True)
class Accounts:
    """Account attributes as columns, grouped by country."""

    country: IntArr
    segment: IntArr
    offsets: IntArr  # first account of each country
    counts: IntArr  # accounts per country


@dataclass(frozen=True)
class Leads:
    """Lead attributes as columns, sorted by creation time."""

    created_us: IntArr
    campaign: IntArr  # -1 = not from a campaign
    source: IntArr  # -1 = from a campaign
    topic: IntArr
    country: IntArr
    team: IntArr
    rep: IntArr
    marketer: IntArr
    account: IntArr
    acceptance: FloatArr
    conversion: FloatArr


@dataclass(frozen=True)
class Lifecycle:
    """Lead events as a (lead, slot) matrix; slots are chronological within a lead."""

    times: IntArr
    present: BoolArr
    codes: npt.NDArray[np.int8]
    accepted_at: IntArr
    accepted: BoolArr


@dataclass(frozen=True)
class _Response:
    """Sales' first answer to one handover of every lead."""

    at: IntArr
    present: BoolArr
    accepted: BoolArr

    @property
    def rejected(self) -> BoolArr:
        return self.present & ~self.accepted

    @property
    def code(self) -> npt.NDArray[np.int8]:
        return np.where(self.accepted, 2, 3).astype(np.int8)


@dataclass(frozen=True)
class Opportunities:
    """Opportunity attributes as columns, sorted by creation time."""

    created_us: IntArr
    lead: IntArr  # -1 = not from a lead
    account: IntArr
    topic: IntArr
    team: IntArr
    rep: IntArr
    amount: FloatArr
    amount_eur: FloatArr
    marketing: BoolArr
    status: IntArr
    stage: IntArr
    closed_us: IntArr
    probability: FloatArr
    lost_reason: IntArr


# --- time and money helpers -------------------------------------------------------------------


def resolve_as_of(as_of: datetime | None) -> datetime:
    if as_of is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    return as_of.astimezone(UTC)


def _to_us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def months_of_us(us: IntArr) -> IntArr:
    """Months since 1970-01 of microsecond timestamps."""
    return us.astype("datetime64[us]").astype("datetime64[M]").astype(np.int64)


def _delay_us(rng: np.random.Generator, median_h: FloatArr | float, sigma: float, n: int) -> IntArr:
    """Log-normal delays in whole seconds, at least one minute."""
    hours = median_h * np.exp(sigma * rng.standard_normal(n))
    seconds = np.maximum(hours * 3_600, 60).astype(np.int64)
    return seconds * US_PER_SECOND


def _step(
    rng: np.random.Generator,
    base: IntArr,
    wanted: BoolArr,
    median_h: FloatArr | float,
    sigma: float,
    as_of_us: int,
) -> tuple[IntArr, BoolArr]:
    """The next event after `base`, kept only when wanted and not after `as_of`."""
    at = base + _delay_us(rng, median_h, sigma, base.size)
    return at, wanted & (at <= as_of_us)


def fx_matrix(rng: np.random.Generator, clock: Clock) -> FloatArr:
    """EUR per unit, (currency, month) with a mean-reverting monthly random walk."""
    shocks = rng.normal(0.0, 0.012, (len(CURRENCIES), clock.n_months))
    walk = np.zeros_like(shocks)
    for month in range(1, clock.n_months):
        walk[:, month] = 0.8 * walk[:, month - 1] + shocks[:, month]
    rates = np.array(EUR_PER_UNIT)[:, None] * np.exp(walk)
    rates[0] = 1.0
    return np.round(rates, 6)


def pick_in_group(
    rng: np.random.Generator,
    group: IntArr,
    offsets: IntArr,
    counts: IntArr,
    skew: float = 1.0,
) -> IntArr:
    """A member of each row's group (groups are contiguous blocks); skew > 1 favours the first."""
    position = (rng.random(group.size) ** skew * counts[group]).astype(np.int64)
    return offsets[group] + np.minimum(position, counts[group] - 1)


def _group_blocks(group: IntArr, n_groups: int) -> tuple[IntArr, IntArr]:
    """Offsets and sizes of the contiguous blocks of a sorted group column."""
    counts = np.bincount(group, minlength=n_groups).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    return offsets, counts


def choice(rng: np.random.Generator, shares: tuple[float, ...], n: int) -> IntArr:
    weights = np.array(shares)
    return rng.choice(len(shares), size=n, p=weights / weights.sum()).astype(np.int64)


# --- people, campaigns, accounts --------------------------------------------------------------


def draw_people(rng: np.random.Generator) -> People:
    n_people = len(TEAMS) * REPS_PER_TEAM + len(COUNTRIES) * MARKETERS_PER_COUNTRY
    combos = rng.choice(len(FIRST_NAMES) * len(LAST_NAMES), size=n_people, replace=False)
    names = tuple(
        f"{FIRST_NAMES[c // len(LAST_NAMES)]} {LAST_NAMES[c % len(LAST_NAMES)]}" for c in combos
    )
    return People(names)


def campaign_count(n_leads: int) -> int:
    """About 150 campaigns; gently more for very large companies."""
    return int(150 * max(1.0, n_leads / 60_000) ** 0.2 + 0.5)


def plan_campaigns(
    rng: np.random.Generator, clock: Clock, n_campaigns: int, n_leads: int
) -> Campaigns:
    recent = rng.random(n_campaigns) < 0.05  # a few launched lately, so some are running at as_of
    first_day = np.where(recent, clock.as_of_day - 35, clock.start_day)
    start = np.sort(
        rng.integers(first_day, np.where(recent, clock.as_of_day - 3, clock.as_of_day + 45))
    )
    weeks = rng.integers(2, 13, n_campaigns)
    end = start + weeks * 7 - 1
    channel = choice(rng, CHANNEL_SHARE, n_campaigns)
    run_days = (end - start + 1).astype(np.float64)
    elapsed_days = clock.as_of_us / US_PER_DAY - start
    active = np.clip(elapsed_days / run_days, 0.0, 1.0)
    age_years = (start - clock.start_day) / 365.25
    plan = CHANNEL_LEADS[channel] * rng.lognormal(0.0, 0.35, n_campaigns)
    plan *= np.sqrt(weeks / 6.0) * (1.0 + 0.12 * age_years)
    performance = rng.lognormal(0.0, 0.3, n_campaigns)
    expected = plan * performance * active
    scale = CAMPAIGN_LEAD_SHARE * n_leads / max(float(expected.sum()), 1e-9)
    country = choice(rng, COUNTRY_WEIGHTS, n_campaigns)
    target_leads = np.maximum(np.round(plan * scale), 1).astype(np.int64)
    budget, target_opportunities, target_volume = _campaign_money(
        rng, channel, country, target_leads
    )
    return Campaigns(
        channel=channel,
        topic=rng.integers(0, len(TOPICS), n_campaigns),
        country=country,
        start_day=start,
        end_day=end,
        lead_weight=expected / max(float(expected.sum()), 1e-9),
        target_leads=target_leads,
        target_opportunities=target_opportunities,
        budget=budget,
        target_volume=target_volume,
        quality=_campaign_quality(rng, channel, end, clock),
        conversion=rng.lognormal(0.0, 0.3, n_campaigns),
        utilization=_campaign_utilization(rng, n_campaigns),
    )


def _campaign_money(
    rng: np.random.Generator, channel: IntArr, country: IntArr, target_leads: IntArr
) -> tuple[FloatArr, IntArr, FloatArr]:
    """Budget, opportunity target and volume target, in the campaign's currency."""
    n = channel.size
    rate = np.array(EUR_PER_UNIT)[COUNTRY_CURRENCY[country]]
    cost_eur = target_leads * CHANNEL_CPL_EUR[channel] * rng.lognormal(0.0, 0.25, n)
    budget = np.round(np.maximum(cost_eur / rate, 1_000.0), -2)
    opportunities = np.maximum(np.round(target_leads * 0.12 * rng.lognormal(0.0, 0.2, n)), 1)
    volume_eur = opportunities * 45_000 * rng.lognormal(0.0, 0.2, n)
    return budget, opportunities.astype(np.int64), np.round(volume_eur / rate, -3)


def _campaign_quality(
    rng: np.random.Generator, channel: IntArr, end_day: IntArr, clock: Clock
) -> FloatArr:
    """Acceptance probability per campaign; two finished campaigns bring poor leads (≈ 40 %)."""
    quality = np.clip(CHANNEL_ACCEPTANCE[channel] + rng.normal(0.0, 0.06, channel.size), 0.3, 0.95)
    finished = np.flatnonzero(end_day < clock.as_of_day - 30)
    poor = rng.choice(finished, size=min(2, finished.size), replace=False)
    quality[poor] = 0.4
    return quality


def _campaign_utilization(rng: np.random.Generator, n_campaigns: int) -> FloatArr:
    """Share of the budget finally spent: mostly near plan, a few far over or under."""
    utilization = np.clip(rng.normal(0.92, 0.1, n_campaigns), 0.6, 1.08)
    kind = rng.random(n_campaigns)
    over = kind < 0.06
    under = kind > 0.94
    utilization[over] = rng.uniform(1.05, 1.35, int(over.sum()))
    utilization[under] = rng.uniform(0.2, 0.45, int(under.sum()))
    return utilization


def draw_accounts(rng: np.random.Generator, n_accounts: int) -> Accounts:
    country = np.concatenate(
        [
            np.arange(len(COUNTRIES)),
            choice(rng, COUNTRY_WEIGHTS, n_accounts - len(COUNTRIES)),
        ]
    )
    country = np.sort(country)
    offsets, counts = _group_blocks(country, len(COUNTRIES))
    return Accounts(
        country=country,
        segment=choice(rng, SEGMENT_SHARE, n_accounts),
        offsets=offsets,
        counts=counts,
    )


# --- leads and their lifecycle ----------------------------------------------------------------


def draw_leads(
    rng: np.random.Generator,
    clock: Clock,
    campaigns: Campaigns,
    accounts: Accounts,
    n_leads: int,
) -> Leads:
    n_from_campaigns = round(CAMPAIGN_LEAD_SHARE * n_leads) if campaigns.lead_weight.sum() else 0
    counts = rng.multinomial(n_from_campaigns, campaigns.lead_weight)
    campaign = np.repeat(np.arange(campaigns.size), counts)
    n_other = n_leads - n_from_campaigns
    created = np.concatenate(
        [
            _campaign_lead_times(rng, clock, campaigns, campaign),
            rng.integers(
                clock.start_us // US_PER_SECOND,
                clock.as_of_us // US_PER_SECOND,
                n_other,
            )
            * US_PER_SECOND,
        ]
    )
    source = np.concatenate([np.full(campaign.size, -1), choice(rng, SOURCE_SHARE, n_other)])
    country = np.concatenate([campaigns.country[campaign], choice(rng, COUNTRY_WEIGHTS, n_other)])
    topic = np.concatenate([campaigns.topic[campaign], rng.integers(0, len(TOPICS), n_other)])
    campaign = np.concatenate([campaign, np.full(n_other, -1)])
    created = _office_hours(rng, created, country, clock.as_of_us)
    order = np.argsort(created, kind="stable")
    return _lead_attributes(
        rng, campaigns, accounts, created[order], campaign[order], source[order],
        topic[order], country[order],
    )  # fmt: skip


def _office_hours(
    rng: np.random.Generator, created: IntArr, country: IntArr, as_of_us: int
) -> IntArr:
    """Move most creation times into local office hours of the same UTC day (never past as_of)."""
    day_start = created // US_PER_DAY * US_PER_DAY
    local_hour = rng.normal(12.5, 2.6, created.size)
    utc_seconds = ((local_hour - COUNTRY_UTC_OFFSET_H[country]) % 24 * 3_600).astype(np.int64)
    moved = day_start + utc_seconds * US_PER_SECOND
    keep = (rng.random(created.size) < 0.15) | (moved > as_of_us)
    return np.where(keep, created, moved)


def _campaign_lead_times(
    rng: np.random.Generator, clock: Clock, campaigns: Campaigns, campaign: IntArr
) -> IntArr:
    """Creation times within each campaign's run (and not after as_of), front-loaded."""
    start = campaigns.start_day[campaign] * US_PER_DAY
    end = np.minimum((campaigns.end_day[campaign] + 1) * US_PER_DAY, clock.as_of_us)
    offset = rng.beta(1.3, 2.2, campaign.size) * (end - start)
    return (start + offset.astype(np.int64)) // US_PER_SECOND * US_PER_SECOND


def _lead_attributes(
    rng: np.random.Generator,
    campaigns: Campaigns,
    accounts: Accounts,
    created: IntArr,
    campaign: IntArr,
    source: IntArr,
    topic: IntArr,
    country: IntArr,
) -> Leads:
    """Team, people, account and quality of leads whose origin is already drawn."""
    team_offsets, team_counts = _group_blocks(TEAM_COUNTRY, len(COUNTRIES))
    team = pick_in_group(rng, country, team_offsets, team_counts)
    from_campaign = campaign >= 0
    acceptance = np.where(
        from_campaign,
        campaigns.quality[campaign],
        SOURCE_ACCEPTANCE[np.maximum(source, 0)],
    )
    acceptance = np.clip(acceptance + rng.normal(0.0, 0.03, len(TEAMS))[team], 0.05, 0.97)
    return Leads(
        created_us=created,
        campaign=campaign,
        source=source,
        topic=topic,
        country=country,
        team=team,
        rep=team * REPS_PER_TEAM + rng.integers(0, REPS_PER_TEAM, team.size),
        marketer=country * MARKETERS_PER_COUNTRY
        + rng.integers(0, MARKETERS_PER_COUNTRY, team.size),
        account=pick_in_group(rng, country, accounts.offsets, accounts.counts, skew=1.6),
        acceptance=acceptance,
        conversion=np.where(from_campaign, campaigns.conversion[campaign], 1.0),
    )


def draw_lifecycle(rng: np.random.Generator, clock: Clock, leads: Leads) -> Lifecycle:
    """qualified → handed_over → accepted/rejected → (recycled → handed_over → response) → dq."""
    n, now = leads.created_us.size, clock.as_of_us
    will_qualify = rng.random(n) < QUALIFY_SHARE
    qualified_at, qualified = _step(rng, leads.created_us, will_qualify, 3.0, 1.0, now)
    handover = qualified & (rng.random(n) < HANDOVER_SHARE)
    handed_at, handed = _step(rng, qualified_at, handover, 8.0, 1.1, now)
    answers = handed & (rng.random(n) >= FORGOTTEN_SHARE)
    first = _respond(rng, leads, handed_at, answers, leads.acceptance, now)
    will_recycle = first.rejected & (rng.random(n) < RECYCLE_SHARE)
    recycled_at, recycled = _step(rng, first.at, will_recycle, 240.0, 0.8, now)
    again_at, again = _step(rng, recycled_at, recycled, 24.0, 1.0, now)
    second = _respond(rng, leads, again_at, again, np.minimum(leads.acceptance + 0.15, 0.95), now)
    dq_base = np.where(
        second.rejected, second.at, np.where(first.rejected, first.at, leads.created_us)
    )
    dq_chance = rng.random(n)
    will_dq = (~will_qualify & (dq_chance < 0.5)) | (second.rejected & (dq_chance < 0.6))
    will_dq |= first.rejected & ~will_recycle & (dq_chance < 0.35)
    dq_at, dq = _step(rng, dq_base, will_dq, 72.0, 1.0, now)
    slots = [
        (qualified_at, qualified, np.full(n, 0, np.int8)),
        (handed_at, handed, np.full(n, 1, np.int8)),
        (first.at, first.present, first.code),
        (recycled_at, recycled, np.full(n, 4, np.int8)),
        (again_at, again, np.full(n, 1, np.int8)),
        (second.at, second.present, second.code),
        (dq_at, dq, np.full(n, 5, np.int8)),
    ]
    return Lifecycle(
        times=np.stack([slot[0] for slot in slots], axis=1),
        present=np.stack([slot[1] for slot in slots], axis=1),
        codes=np.stack([slot[2] for slot in slots], axis=1),
        accepted_at=np.where(first.accepted, first.at, second.at),
        accepted=first.accepted | second.accepted,
    )


def _respond(
    rng: np.random.Generator,
    leads: Leads,
    handed_at: IntArr,
    answers: BoolArr,
    acceptance: FloatArr,
    as_of_us: int,
) -> _Response:
    """Sales' answer to a handover, after the team's log-normal delay."""
    at, present = _step(rng, handed_at, answers, TEAM_DELAY_H[leads.team], 1.25, as_of_us)
    return _Response(at, present, present & (rng.random(at.size) < acceptance))


# --- opportunities ----------------------------------------------------------------------------


def draw_opportunities(
    rng: np.random.Generator,
    clock: Clock,
    leads: Leads,
    life: Lifecycle,
    accounts: Accounts,
    fx: FloatArr,
) -> Opportunities:
    """Opportunities from accepted leads plus about 20 % without a lead."""
    n = leads.created_us.size
    converts = life.accepted & (rng.random(n) < OPPORTUNITY_SHARE * leads.conversion)
    lead_created, converts = _step(rng, life.accepted_at, converts, 240.0, 0.9, clock.as_of_us)
    lead = np.flatnonzero(converts)
    n_other = round(lead.size * NON_LEAD_OPPORTUNITY_SHARE / (1 - NON_LEAD_OPPORTUNITY_SHARE))
    team_offsets, team_counts = _group_blocks(TEAM_COUNTRY, len(COUNTRIES))
    other_country = choice(rng, COUNTRY_WEIGHTS, n_other)
    other_team = pick_in_group(rng, other_country, team_offsets, team_counts)
    first_s, last_s = clock.start_us // US_PER_SECOND, clock.as_of_us // US_PER_SECOND
    columns: dict[str, npt.NDArray[Any]] = {
        "created_us": np.concatenate(
            [lead_created[lead], rng.integers(first_s, last_s, n_other) * US_PER_SECOND]
        ),
        "lead": np.concatenate([lead, np.full(n_other, -1)]),
        "team": np.concatenate([leads.team[lead], other_team]),
        "rep": np.concatenate(
            [
                leads.rep[lead],
                other_team * REPS_PER_TEAM + rng.integers(0, REPS_PER_TEAM, n_other),
            ]
        ),
        "account": np.concatenate(
            [
                leads.account[lead],
                pick_in_group(rng, other_country, accounts.offsets, accounts.counts, skew=1.6),
            ]
        ),
        "topic": np.concatenate([leads.topic[lead], rng.integers(0, len(TOPICS), n_other)]),
        "marketing": np.concatenate([leads.campaign[lead] >= 0, np.zeros(n_other, np.bool_)]),
    }
    order = np.argsort(columns["created_us"], kind="stable")
    columns = {name: values[order] for name, values in columns.items()}
    return _opportunity_outcomes(rng, clock, fx, accounts, columns)


def _opportunity_outcomes(
    rng: np.random.Generator,
    clock: Clock,
    fx: FloatArr,
    accounts: Accounts,
    columns: dict[str, npt.NDArray[Any]],
) -> Opportunities:
    """Amount, stage, status and closing of opportunities whose origin is already drawn."""
    created: IntArr = columns["created_us"]
    n = created.size
    currency = COUNTRY_CURRENCY[TEAM_COUNTRY[columns["team"]]]
    rate = fx[currency, months_of_us(created) - clock.first_month]
    unit = TOPIC_UNIT[columns["topic"]]
    eur = 30_000 * SEGMENT_DEAL_SIZE[accounts.segment[columns["account"]]] * UNIT_DEAL_SIZE[unit]
    amount = np.round(np.clip(eur * rng.lognormal(0.0, 0.7, n) / rate, 5_000, 500_000), -1)
    cycle = _delay_us(rng, 75 * 24.0, 0.7, n)
    closed = created + cycle <= clock.as_of_us
    won = closed & (rng.random(n) < UNIT_WIN_RATE[unit])
    progress = (clock.as_of_us - created) / cycle
    open_stage = np.minimum((progress / 0.35).astype(np.int64), 2)
    open_probability: FloatArr = OPEN_STAGE_PROBABILITY[open_stage] + rng.uniform(-0.05, 0.1, n)
    lost = closed & ~won
    return Opportunities(
        **columns,
        amount=amount,
        amount_eur=np.round(amount * rate, 2),
        status=np.where(won, 1, np.where(lost, 2, 0)),
        stage=np.where(won, 3, np.where(lost, 4, open_stage)),
        closed_us=np.where(closed, created + cycle, -1),
        probability=np.round(np.where(won, 1.0, np.where(lost, 0.0, open_probability)), 2).astype(
            np.float64
        ),
        lost_reason=np.where(lost, rng.integers(0, len(LOST_REASONS), n), -1),
    )
