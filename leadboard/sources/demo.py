"""Seeded, vectorised generator of a realistic B2B demo company.

`generate_company` returns one Arrow table per canonical entity of PRODUCT.md (plus `regions`).
Every entity is drawn with numpy over whole columns, so ten million leads take well under two
minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


IntArr = npt.NDArray[np.int64]
FloatArr = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]

US_PER_SECOND = 1_000_000
US_PER_HOUR = 3_600 * US_PER_SECOND
US_PER_DAY = 24 * US_PER_HOUR
TIMESTAMP = pa.timestamp("us", tz="UTC")

UNITS = ("Cloud", "Security", "Data & AI", "Workplace", "Networks")
UNIT_DEAL_SIZE = np.array([1.3, 1.0, 1.2, 0.7, 0.9])
UNIT_WIN_RATE = np.array([0.36, 0.30, 0.33, 0.40, 0.28])
TOPICS = (
    ("Cloud Migration", 0),
    ("Hybrid Cloud", 0),
    ("Zero Trust", 1),
    ("Managed SOC", 1),
    ("Data Platform", 2),
    ("Generative AI", 2),
    ("Modern Workplace", 3),
    ("Employee Experience", 3),
    ("SD-WAN", 4),
    ("Private 5G", 4),
)
TOPIC_UNIT = np.array([unit for _, unit in TOPICS], dtype=np.int64)
TOPIC_NAMES = tuple(name for name, _ in TOPICS)

COUNTRIES = ("DE", "AT", "CH", "FR", "GB", "US", "CA", "SG")
COUNTRY_REGION = ("EMEA", "EMEA", "EMEA", "EMEA", "EMEA", "AMER", "AMER", "APAC")
COUNTRY_WEIGHTS = (0.30, 0.06, 0.08, 0.10, 0.12, 0.22, 0.05, 0.07)
CURRENCIES = ("EUR", "CHF", "GBP", "USD", "CAD", "SGD")
EUR_PER_UNIT = (1.0, 1.05, 1.17, 0.92, 0.68, 0.69)
COUNTRY_UTC_OFFSET_H = np.array([1, 1, 1, 1, 0, -5, -5, 8])
COUNTRY_CURRENCY = np.array([0, 0, 1, 0, 2, 3, 4, 5], dtype=np.int64)
LEGAL_FORMS = (
    ("GmbH", "AG", "SE"),
    ("GmbH", "AG"),
    ("AG", "GmbH", "SA"),
    ("SA", "SAS"),
    ("Ltd", "plc"),
    ("Inc.", "Corp.", "LLC"),
    ("Inc.", "Ltd."),
    ("Pte Ltd",),
)

# Sales teams, ordered by country; the number is the team's median response delay in hours.
TEAMS = (
    ("DE-North", 0, 16.0),
    ("DE-South", 0, 22.0),
    ("DE-West", 0, 30.0),
    ("AT", 1, 12.0),
    ("CH", 2, 14.0),
    ("FR", 3, 34.0),
    ("GB", 4, 20.0),
    ("US-East", 5, 18.0),
    ("US-West", 5, 26.0),
    ("US-Central", 5, 40.0),
    ("CA", 6, 24.0),
    ("SG", 7, 28.0),
)
TEAM_NAMES = tuple(name for name, _, _ in TEAMS)
TEAM_COUNTRY = np.array([country for _, country, _ in TEAMS], dtype=np.int64)
TEAM_DELAY_H = np.array([hours for _, _, hours in TEAMS])
REPS_PER_TEAM = 6
MARKETERS_PER_COUNTRY = 3

CHANNELS = (
    "Webinar",
    "Event",
    "Paid Search",
    "Social",
    "Email",
    "Content Syndication",
    "Partner",
    "Direct Mail",
)
CHANNEL_SHARE = (0.20, 0.12, 0.15, 0.13, 0.14, 0.10, 0.08, 0.08)
CHANNEL_LEADS = np.array([1.2, 1.0, 1.5, 1.3, 1.4, 1.8, 0.7, 0.5])
CHANNEL_ACCEPTANCE = np.array([0.76, 0.82, 0.66, 0.58, 0.70, 0.55, 0.84, 0.68])
CHANNEL_CPL_EUR = np.array([90.0, 320.0, 70.0, 55.0, 25.0, 60.0, 140.0, 180.0])
COST_CATEGORIES = ("media", "agency", "event", "content")
CATEGORY_SHARE = np.array(
    [
        [0.30, 0.30, 0.10, 0.30],
        [0.10, 0.20, 0.60, 0.10],
        [0.80, 0.15, 0.00, 0.05],
        [0.70, 0.15, 0.00, 0.15],
        [0.30, 0.30, 0.00, 0.40],
        [0.60, 0.10, 0.00, 0.30],
        [0.20, 0.30, 0.30, 0.20],
        [0.50, 0.30, 0.00, 0.20],
    ]
)
SOURCES = ("Website", "Referral", "Inbound Call", "Partner")
SOURCE_SHARE = (0.55, 0.20, 0.15, 0.10)
SOURCE_ACCEPTANCE = np.array([0.70, 0.86, 0.83, 0.78])

EVENTS = (
    "qualified",
    "handed_over",
    "accepted",
    "rejected",
    "recycled",
    "disqualified",
)
REJECT_REASONS = (
    "No budget",
    "Wrong contact",
    "Duplicate",
    "No project",
    "Competitor customer",
    "Bad timing",
)
REJECT_SHARE = (0.22, 0.20, 0.10, 0.22, 0.10, 0.16)
DISQUALIFY_REASONS = (
    "Invalid contact data",
    "Student or private person",
    "Competitor",
    "No fit",
)
REASONS = REJECT_REASONS + DISQUALIFY_REASONS

STAGES = ("Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
STATUSES = ("open", "won", "lost")
OPEN_STAGE_PROBABILITY = np.array([0.15, 0.40, 0.70])
LOST_REASONS = (
    "Price",
    "Lost to competitor",
    "No decision",
    "Budget cut",
    "Project postponed",
)

INDUSTRIES = (
    "Manufacturing",
    "Financial Services",
    "Retail",
    "Healthcare",
    "Public Sector",
    "Logistics",
    "Energy",
    "Telecommunications",
    "Automotive",
    "Media",
)
SEGMENTS = ("Enterprise", "Mid-Market", "SMB")
SEGMENT_SHARE = (0.15, 0.35, 0.50)
SEGMENT_DEAL_SIZE = np.array([3.0, 1.0, 0.4])
NAME_PREFIXES = _words(
    """
    Nordwind Alpen Rhein Blau Stern Falken Berg Linden Adler Silber Eichen Sonnen Polar Atlas
    Vektor Kobalt Quarz Zenit Orion Delta Helix Nova Aurora Granit Kristall Fluss Meridian Pionier
    Horizont Titan Apex Summit Harbor Crest Maple Cedar Beacon Pinnacle Evergreen Northstar Bluebird
    Ironwood Riverside Sterling Keystone Lumen Solaris Vertex Cascade Falcon
    """
)
NAME_CORES = _words(
    """
    Logistik Maschinenbau Energie Finanz Handel Pharma Medien Bau Chemie Software Versicherung
    Logistics Foods Retail Health Motors Capital Telecom Industries Textiles Instruments Robotics
    Materials Packaging Beverages Analytics Mobility Utilities Optics Steel
    """
)
NAME_TAILS = (
    "",
    " Group",
    " Holding",
    " International",
    " Solutions",
    " Systems",
    " Partners",
)
FIRST_NAMES = _words(
    """
    Anna Lukas Marie Jonas Sophie Felix Laura Paul Julia Max Lea Leon Emma Noah Clara Elias Sarah
    Tim Nina David Hannah Jan Lisa Tom Claire Pierre James Olivia Ethan Mei
    """
)
LAST_NAMES = _words(
    """
    Schmidt Müller Weber Fischer Wagner Becker Hoffmann Schulz Koch Richter Klein Wolf Neumann
    Schwarz Braun Zimmermann Hartmann Krüger Lange Werner Martin Dubois Smith Johnson Brown Taylor
    Wilson Tan Lim Keller
    """
)

CAMPAIGN_LEAD_SHARE = 0.85
QUALIFY_SHARE = 0.93
HANDOVER_SHARE = 0.955
FORGOTTEN_SHARE = 0.004
RECYCLE_SHARE = 0.2
OPPORTUNITY_SHARE = 0.153
NON_LEAD_OPPORTUNITY_SHARE = 0.2


@dataclass(frozen=True)
class _Clock:
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
class _People:
    """Sales reps (REPS_PER_TEAM per team) followed by marketers (per country)."""

    names: tuple[str, ...]

    @property
    def n_reps(self) -> int:
        return len(TEAMS) * REPS_PER_TEAM


@dataclass(frozen=True)
class _Campaigns:
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
class _Accounts:
    """Account attributes as columns, grouped by country."""

    country: IntArr
    segment: IntArr
    offsets: IntArr  # first account of each country
    counts: IntArr  # accounts per country


@dataclass(frozen=True)
class _Leads:
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
class _Lifecycle:
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
class _Opportunities:
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


def generate_company(
    n_leads: int = 60_000, seed: int = 42, as_of: datetime | None = None
) -> dict[str, pa.Table]:
    """Generate a demo company with `n_leads` leads, identical for the same seed and `as_of`."""
    if n_leads < 0:
        raise ValueError("n_leads must not be negative")
    clock = _Clock(_resolve_as_of(as_of))
    # one independent stream per entity, so changing one entity leaves the others as they were
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(11)]
    fx = _fx_matrix(rngs[0], clock)
    people = _draw_people(rngs[1])
    campaigns = _plan_campaigns(rngs[2], clock, _campaign_count(n_leads), n_leads)
    accounts = _draw_accounts(rngs[3], max(n_leads // 10, 40))
    leads = _draw_leads(rngs[4], clock, campaigns, accounts, n_leads)
    life = _draw_lifecycle(rngs[5], clock, leads)
    opps = _draw_opportunities(rngs[6], clock, leads, life, accounts, fx)
    lead_ids = _id_array("L", len(leads.created_us), 7)
    campaign_ids = _id_array("C", campaigns.size, 4)
    account_ids = _id_array("A", accounts.country.size, 6)
    return {
        "campaigns": _campaigns_table(campaigns, campaign_ids),
        "campaign_costs": _costs_table(rngs[7], clock, campaigns, campaign_ids),
        "accounts": _accounts_table(rngs[8], accounts, account_ids),
        "leads": _leads_table(leads, life, people, lead_ids, campaign_ids, account_ids),
        "lead_events": _events_table(rngs[9], leads, life, people, lead_ids),
        "opportunities": _opportunities_table(opps, people, lead_ids, account_ids),
        "targets": _targets_table(rngs[10], clock, leads, opps),
        "fx_rates": _fx_table(fx, clock),
        "regions": pa.table({"country": list(COUNTRIES), "region": list(COUNTRY_REGION)}),
    }


# --- time and money helpers -------------------------------------------------------------------


def _resolve_as_of(as_of: datetime | None) -> datetime:
    if as_of is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    return as_of.astimezone(UTC)


def _to_us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def _months_of_us(us: IntArr) -> IntArr:
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


def _fx_matrix(rng: np.random.Generator, clock: _Clock) -> FloatArr:
    """EUR per unit, (currency, month) with a mean-reverting monthly random walk."""
    shocks = rng.normal(0.0, 0.012, (len(CURRENCIES), clock.n_months))
    walk = np.zeros_like(shocks)
    for month in range(1, clock.n_months):
        walk[:, month] = 0.8 * walk[:, month - 1] + shocks[:, month]
    rates = np.array(EUR_PER_UNIT)[:, None] * np.exp(walk)
    rates[0] = 1.0
    return np.round(rates, 6)


def _pick_in_group(
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


def _choice(rng: np.random.Generator, shares: tuple[float, ...], n: int) -> IntArr:
    weights = np.array(shares)
    return rng.choice(len(shares), size=n, p=weights / weights.sum()).astype(np.int64)


# --- people, campaigns, accounts --------------------------------------------------------------


def _draw_people(rng: np.random.Generator) -> _People:
    n_people = len(TEAMS) * REPS_PER_TEAM + len(COUNTRIES) * MARKETERS_PER_COUNTRY
    combos = rng.choice(len(FIRST_NAMES) * len(LAST_NAMES), size=n_people, replace=False)
    names = tuple(
        f"{FIRST_NAMES[c // len(LAST_NAMES)]} {LAST_NAMES[c % len(LAST_NAMES)]}" for c in combos
    )
    return _People(names)


def _campaign_count(n_leads: int) -> int:
    """About 150 campaigns; gently more for very large companies."""
    return int(150 * max(1.0, n_leads / 60_000) ** 0.2 + 0.5)


def _plan_campaigns(
    rng: np.random.Generator, clock: _Clock, n_campaigns: int, n_leads: int
) -> _Campaigns:
    recent = rng.random(n_campaigns) < 0.05  # a few launched lately, so some are running at as_of
    first_day = np.where(recent, clock.as_of_day - 35, clock.start_day)
    start = np.sort(
        rng.integers(first_day, np.where(recent, clock.as_of_day - 3, clock.as_of_day + 45))
    )
    weeks = rng.integers(2, 13, n_campaigns)
    end = start + weeks * 7 - 1
    channel = _choice(rng, CHANNEL_SHARE, n_campaigns)
    run_days = (end - start + 1).astype(np.float64)
    elapsed_days = clock.as_of_us / US_PER_DAY - start
    active = np.clip(elapsed_days / run_days, 0.0, 1.0)
    age_years = (start - clock.start_day) / 365.25
    plan = CHANNEL_LEADS[channel] * rng.lognormal(0.0, 0.35, n_campaigns)
    plan *= np.sqrt(weeks / 6.0) * (1.0 + 0.12 * age_years)
    performance = rng.lognormal(0.0, 0.3, n_campaigns)
    expected = plan * performance * active
    scale = CAMPAIGN_LEAD_SHARE * n_leads / max(float(expected.sum()), 1e-9)
    country = _choice(rng, COUNTRY_WEIGHTS, n_campaigns)
    target_leads = np.maximum(np.round(plan * scale), 1).astype(np.int64)
    budget, target_opportunities, target_volume = _campaign_money(
        rng, channel, country, target_leads
    )
    return _Campaigns(
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
    rng: np.random.Generator, channel: IntArr, end_day: IntArr, clock: _Clock
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


def _draw_accounts(rng: np.random.Generator, n_accounts: int) -> _Accounts:
    country = np.concatenate(
        [
            np.arange(len(COUNTRIES)),
            _choice(rng, COUNTRY_WEIGHTS, n_accounts - len(COUNTRIES)),
        ]
    )
    country = np.sort(country)
    offsets, counts = _group_blocks(country, len(COUNTRIES))
    return _Accounts(
        country=country,
        segment=_choice(rng, SEGMENT_SHARE, n_accounts),
        offsets=offsets,
        counts=counts,
    )


# --- leads and their lifecycle ----------------------------------------------------------------


def _draw_leads(
    rng: np.random.Generator,
    clock: _Clock,
    campaigns: _Campaigns,
    accounts: _Accounts,
    n_leads: int,
) -> _Leads:
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
    source = np.concatenate([np.full(campaign.size, -1), _choice(rng, SOURCE_SHARE, n_other)])
    country = np.concatenate([campaigns.country[campaign], _choice(rng, COUNTRY_WEIGHTS, n_other)])
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
    rng: np.random.Generator, clock: _Clock, campaigns: _Campaigns, campaign: IntArr
) -> IntArr:
    """Creation times within each campaign's run (and not after as_of), front-loaded."""
    start = campaigns.start_day[campaign] * US_PER_DAY
    end = np.minimum((campaigns.end_day[campaign] + 1) * US_PER_DAY, clock.as_of_us)
    offset = rng.beta(1.3, 2.2, campaign.size) * (end - start)
    return (start + offset.astype(np.int64)) // US_PER_SECOND * US_PER_SECOND


def _lead_attributes(
    rng: np.random.Generator,
    campaigns: _Campaigns,
    accounts: _Accounts,
    created: IntArr,
    campaign: IntArr,
    source: IntArr,
    topic: IntArr,
    country: IntArr,
) -> _Leads:
    """Team, people, account and quality of leads whose origin is already drawn."""
    team_offsets, team_counts = _group_blocks(TEAM_COUNTRY, len(COUNTRIES))
    team = _pick_in_group(rng, country, team_offsets, team_counts)
    from_campaign = campaign >= 0
    acceptance = np.where(
        from_campaign,
        campaigns.quality[campaign],
        SOURCE_ACCEPTANCE[np.maximum(source, 0)],
    )
    acceptance = np.clip(acceptance + rng.normal(0.0, 0.03, len(TEAMS))[team], 0.05, 0.97)
    return _Leads(
        created_us=created,
        campaign=campaign,
        source=source,
        topic=topic,
        country=country,
        team=team,
        rep=team * REPS_PER_TEAM + rng.integers(0, REPS_PER_TEAM, team.size),
        marketer=country * MARKETERS_PER_COUNTRY
        + rng.integers(0, MARKETERS_PER_COUNTRY, team.size),
        account=_pick_in_group(rng, country, accounts.offsets, accounts.counts, skew=1.6),
        acceptance=acceptance,
        conversion=np.where(from_campaign, campaigns.conversion[campaign], 1.0),
    )


def _draw_lifecycle(rng: np.random.Generator, clock: _Clock, leads: _Leads) -> _Lifecycle:
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
    return _Lifecycle(
        times=np.stack([slot[0] for slot in slots], axis=1),
        present=np.stack([slot[1] for slot in slots], axis=1),
        codes=np.stack([slot[2] for slot in slots], axis=1),
        accepted_at=np.where(first.accepted, first.at, second.at),
        accepted=first.accepted | second.accepted,
    )


def _respond(
    rng: np.random.Generator,
    leads: _Leads,
    handed_at: IntArr,
    answers: BoolArr,
    acceptance: FloatArr,
    as_of_us: int,
) -> _Response:
    """Sales' answer to a handover, after the team's log-normal delay."""
    at, present = _step(rng, handed_at, answers, TEAM_DELAY_H[leads.team], 1.25, as_of_us)
    return _Response(at, present, present & (rng.random(at.size) < acceptance))


# --- opportunities ----------------------------------------------------------------------------


def _draw_opportunities(
    rng: np.random.Generator,
    clock: _Clock,
    leads: _Leads,
    life: _Lifecycle,
    accounts: _Accounts,
    fx: FloatArr,
) -> _Opportunities:
    """Opportunities from accepted leads plus about 20 % without a lead."""
    n = leads.created_us.size
    converts = life.accepted & (rng.random(n) < OPPORTUNITY_SHARE * leads.conversion)
    lead_created, converts = _step(rng, life.accepted_at, converts, 240.0, 0.9, clock.as_of_us)
    lead = np.flatnonzero(converts)
    n_other = round(lead.size * NON_LEAD_OPPORTUNITY_SHARE / (1 - NON_LEAD_OPPORTUNITY_SHARE))
    team_offsets, team_counts = _group_blocks(TEAM_COUNTRY, len(COUNTRIES))
    other_country = _choice(rng, COUNTRY_WEIGHTS, n_other)
    other_team = _pick_in_group(rng, other_country, team_offsets, team_counts)
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
                _pick_in_group(rng, other_country, accounts.offsets, accounts.counts, skew=1.6),
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
    clock: _Clock,
    fx: FloatArr,
    accounts: _Accounts,
    columns: dict[str, npt.NDArray[Any]],
) -> _Opportunities:
    """Amount, stage, status and closing of opportunities whose origin is already drawn."""
    created: IntArr = columns["created_us"]
    n = created.size
    currency = COUNTRY_CURRENCY[TEAM_COUNTRY[columns["team"]]]
    rate = fx[currency, _months_of_us(created) - clock.first_month]
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
    return _Opportunities(
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


# --- arrow columns ----------------------------------------------------------------------------


def _id_array(prefix: str, n: int, min_width: int) -> pa.Array:
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


def _campaigns_table(campaigns: _Campaigns, ids: pa.Array) -> pa.Table:
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


def _costs_table(
    rng: np.random.Generator, clock: _Clock, campaigns: _Campaigns, ids: pa.Array
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


def _accounts_table(rng: np.random.Generator, accounts: _Accounts, ids: pa.Array) -> pa.Table:
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


def _account_names(rng: np.random.Generator, accounts: _Accounts) -> pa.Array:
    """Unique names such as `Nordwind Logistik Group GmbH` (numbered once combinations run out)."""
    n = accounts.country.size
    n_cores, n_tails = len(NAME_CORES), len(NAME_TAILS)
    space = len(NAME_PREFIXES) * n_cores * n_tails
    draw = rng.permutation(n)
    combo, repeat = draw % space, draw // space
    forms = tuple(form for country_forms in LEGAL_FORMS for form in country_forms)
    form_counts = np.array([len(f) for f in LEGAL_FORMS], dtype=np.int64)
    form_offsets = np.concatenate([[0], np.cumsum(form_counts)[:-1]]).astype(np.int64)
    form = _pick_in_group(rng, accounts.country, form_offsets, form_counts)
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


def _leads_table(
    leads: _Leads,
    life: _Lifecycle,
    people: _People,
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


def _events_table(
    rng: np.random.Generator,
    leads: _Leads,
    life: _Lifecycle,
    people: _People,
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
    reason[rejected] = _choice(rng, REJECT_SHARE, int(rejected.sum()))
    n_disqualified = int(disqualified.sum())
    reason[disqualified] = len(REJECT_REASONS) + rng.integers(
        0, len(DISQUALIFY_REASONS), n_disqualified
    )
    return reason


def _opportunities_table(
    opps: _Opportunities, people: _People, lead_ids: pa.Array, account_ids: pa.Array
) -> pa.Table:
    country = TEAM_COUNTRY[opps.team]
    return pa.table(
        {
            "opportunity_id": _id_array("O", opps.created_us.size, 6),
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


def _targets_table(
    rng: np.random.Generator, clock: _Clock, leads: _Leads, opps: _Opportunities
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
    clock: _Clock,
    leads: _Leads,
    opps: _Opportunities,
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


def _quarter_cells(us: IntArr, clock: _Clock) -> IntArr:
    """Quarter index since the first fiscal year (fiscal year = calendar year)."""
    return (_months_of_us(us) - clock.first_month) // 3


def _quarter_elapsed(clock: _Clock) -> FloatArr:
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


def _fx_table(fx: FloatArr, clock: _Clock) -> pa.Table:
    months = [
        f"{(clock.first_month + m) // 12 + 1970}-{(clock.first_month + m) % 12 + 1:02d}"
        for m in range(clock.n_months)
    ]
    return pa.table(
        {
            "currency": pa.array(np.repeat(CURRENCIES, clock.n_months), pa.string()),
            "month": pa.array(months * len(CURRENCIES), pa.string()),
            "eur_per_unit": pa.array(fx.ravel(), pa.float64()),
        }
    )
