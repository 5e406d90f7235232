"""The canonical entities of PRODUCT.md, described as data.

Store DDL, import validation, the demo generator and the docs all read these specs, so a column is
declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """Logical column type: how a value is parsed on import and stored."""

    TEXT = "text"
    DATE = "date"
    TIMESTAMP = "timestamp"  # stored as UTC without offset
    MONEY = "money"  # decimal amount, never negative
    NUMBER = "number"  # any decimal (targets, probability)
    INTEGER = "integer"
    MONTH = "month"  # `2026-07`, stored as the first day of the month
    PERIOD = "period"  # `2026`, `2026-Q3` or `2026-07`
    CURRENCY = "currency"  # ISO 4217 code


EVENT_KINDS = ("qualified", "handed_over", "accepted", "rejected", "recycled", "disqualified")
OPPORTUNITY_STATUSES = ("open", "won", "lost")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    references: str | None = None  # entity whose key this column holds
    description: str = ""


@dataclass(frozen=True)
class Entity:
    """A canonical entity: one CSV file / XLSX sheet, one store table."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""
    # A synthetic `row_key` column joins the key parts when some of them may be empty.
    synthetic_key: bool = False
    # Rows with the same key inside one import are summed on this column instead of rejected.
    sum_duplicates_on: str | None = None
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def table_key(self) -> tuple[str, ...]:
        return ("row_key",) if self.synthetic_key else self.key

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


REGIONS = Entity(
    "regions",
    (Column("country", required=True), Column("region", required=True)),
    key=("country",),
    description="country → region table; the product ships a default that an import overrides",
)

CAMPAIGNS = Entity(
    "campaigns",
    (
        Column("campaign_id", required=True),
        Column("name", required=True),
        Column("channel"),
        Column("topic"),
        Column("unit"),
        Column("country"),
        Column("team", description="owning marketing team"),
        Column("start_date", Kind.DATE, required=True),
        Column("end_date", Kind.DATE, required=True),
        Column("budget_planned", Kind.MONEY),
        Column("currency", Kind.CURRENCY),
        Column("target_leads", Kind.INTEGER),
        Column("target_opportunities", Kind.INTEGER),
        Column("target_opportunity_volume", Kind.MONEY),
    ),
    key=("campaign_id",),
    description="a marketing campaign",
)

CAMPAIGN_COSTS = Entity(
    "campaign_costs",
    (
        Column("campaign_id", required=True, references="campaigns"),
        Column("date", Kind.DATE, required=True),
        Column("amount", Kind.MONEY, required=True),
        Column("currency", Kind.CURRENCY),
        Column("category"),
    ),
    key=("campaign_id", "date", "category", "currency"),
    synthetic_key=True,
    sum_duplicates_on="amount",
    indexes=(("campaign_id",), ("date",)),
    description="actual spend entries; entries with the same campaign, date, category and currency "
    "in one import are summed",
)

ACCOUNTS = Entity(
    "accounts",
    (
        Column("account_id", required=True),
        Column("name", required=True),
        Column("industry"),
        Column("country"),
        Column("unit"),
        Column("segment"),
    ),
    key=("account_id",),
    description="customer / prospect companies",
)

LEADS = Entity(
    "leads",
    (
        Column("lead_id", required=True),
        Column("created_at", Kind.TIMESTAMP, required=True),
        Column("campaign_id", references="campaigns"),
        Column("account_id", references="accounts"),
        Column("source", description="channel when there is no campaign"),
        Column("topic"),
        Column("unit"),
        Column("country"),
        Column("team", description="sales team responsible"),
        Column("owner"),
    ),
    key=("lead_id",),
    indexes=(("created_at",), ("campaign_id",)),
    description="a lead",
)

LEAD_EVENTS = Entity(
    "lead_events",
    (
        Column("lead_id", required=True, references="leads"),
        Column("event", required=True, choices=EVENT_KINDS),
        Column("occurred_at", Kind.TIMESTAMP, required=True),
        Column("team"),
        Column("actor"),
        Column("reason", description="sales' feedback on a rejection"),
        Column("note", description="free text with the feedback"),
    ),
    key=("lead_id", "event", "occurred_at"),
    indexes=(("occurred_at",),),
    description=(
        "the lead's life: qualified, handed_over, accepted, rejected, recycled, disqualified"
    ),
)

OPPORTUNITIES = Entity(
    "opportunities",
    (
        Column("opportunity_id", required=True),
        Column("created_at", Kind.TIMESTAMP, required=True),
        Column("lead_id", references="leads"),
        Column("account_id", references="accounts"),
        Column("topic"),
        Column("unit"),
        Column("country"),
        Column("team"),
        Column("owner"),
        Column("stage"),
        Column("amount", Kind.MONEY, required=True),
        Column("currency", Kind.CURRENCY),
        Column("status", required=True, choices=OPPORTUNITY_STATUSES),
        Column("closed_at", Kind.TIMESTAMP),
        Column("lost_reason"),
        Column("probability", Kind.NUMBER),
    ),
    key=("opportunity_id",),
    indexes=(("created_at",), ("lead_id",), ("closed_at",)),
    description="`lead_id` set = the opportunity came from that lead",
)

TARGETS = Entity(
    "targets",
    (
        Column("period", Kind.PERIOD, required=True),
        Column("metric", required=True),
        Column("value", Kind.NUMBER, required=True),
        Column("unit"),
        Column("country"),
        Column("team"),
        Column("topic"),
        Column("campaign_id", references="campaigns"),
    ),
    key=("period", "metric", "unit", "country", "team", "topic", "campaign_id"),
    synthetic_key=True,
    description="empty scope columns = all; all empty = the global target",
)

FX_RATES = Entity(
    "fx_rates",
    (
        Column("currency", Kind.CURRENCY, required=True),
        Column("month", Kind.MONTH, required=True),
        Column("eur_per_unit", Kind.NUMBER, required=True),
    ),
    key=("currency", "month"),
    description="value in EUR of one unit of `currency` in `month`",
)

# Dependency order: an entity only references entities before it.
ENTITIES: tuple[Entity, ...] = (
    REGIONS,
    CAMPAIGNS,
    CAMPAIGN_COSTS,
    ACCOUNTS,
    LEADS,
    LEAD_EVENTS,
    OPPORTUNITIES,
    TARGETS,
    FX_RATES,
)
BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}

# Metric names a target may name (the KPI definitions of PRODUCT.md that have a time anchor).
TARGET_METRICS = (
    "leads",
    "campaign_leads",
    "handed_over",
    "accepted",
    "rejected",
    "acceptance_rate",
    "opportunities",
    "marketing_opportunities",
    "opportunity_volume",
    "marketing_opportunity_volume",
    "marketing_contribution",
    "won_opportunities",
    "won_volume",
    "win_rate",
    "lead_conversion_rate",
    "cost",
    "cost_per_lead",
    "cost_per_opportunity",
    "pipeline_per_cost",
)
