"""The views of PRODUCT.md as KPI requests: what each page, sheet and slide shows.

The dashboard's pages and the XLSX/PPTX reports take their metric lists from here, so the same
view shows the same numbers everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

TILES = [
    "leads",
    "opportunities",
    "opportunity_volume",
    "marketing_contribution",
    "lead_conversion_rate",
    "cost_per_lead",
    "acceptance_rate",
    "overdue_handover",
]
FUNNEL = ["leads", "handed_over", "accepted", "marketing_opportunities", "won_opportunities"]
CAMPAIGN_KPIS = [
    "leads",
    "opportunities",
    "opportunity_volume",
    "won_volume",
    "cost",
    "budget_planned",
    "cost_per_lead",
    "pipeline_per_cost",
    "acceptance_rate",
]
FOLLOW_UP_KPIS = [
    "leads",
    "opportunities",
    "opportunity_volume",
    "pipeline_per_cost",
    "pending_handover",
    "unprocessed_leads",
]
HANDOVER_KPIS = [
    "handed_over",
    "accepted",
    "rejected",
    "acceptance_rate",
    "pending_handover",
    "overdue_handover",
    "acceptance_delay_median_h",
    "acceptance_delay_p90_h",
]
ACCEPTANCE_KPIS = ["handed_over", "accepted", "rejected", "acceptance_rate", "recycled_leads"]
REGION_KPIS = [
    "leads",
    "handed_over",
    "acceptance_rate",
    "overdue_handover",
    "opportunities",
    "opportunity_volume",
    "won_volume",
    "win_rate",
    "lead_conversion_rate",
]
TOPIC_KPIS = [
    "leads",
    "campaign_leads",
    "opportunities",
    "opportunity_volume",
    "lead_to_opportunity_ratio",
    "lead_conversion_rate",
    "acceptance_rate",
    "cost",
]
BUDGET_KPIS = ["budget_planned", "cost", "budget_utilization"]
LEAD_KPIS = ["leads", "handed_over", "accepted", "opportunities", "lead_conversion_rate"]
OPPORTUNITY_KPIS = [
    "opportunities",
    "marketing_opportunities",
    "opportunity_volume",
    "won_opportunities",
    "lost_opportunities",
    "won_volume",
    "win_rate",
]


@dataclass(frozen=True)
class View:
    """One table of the reports: a KPI request (metrics, grouping) and the chart of it."""

    key: str
    pages: tuple[str, ...]  # the dashboard pages that show it
    title: dict[str, str]
    sheet: dict[str, str]  # the XLSX sheet's name: at most 31 characters
    metrics: tuple[str, ...]
    by: tuple[str, ...] = ()
    chart: str = "column"  # column | bar | line
    series: tuple[str, ...] = ()  # metrics charted (same unit); default the first metric
    top: int = 0  # chart only the first N rows (sorted by the first series, largest first)
    targets: bool = False  # add target and achievement columns (a campaign's own targets)


VIEWS: tuple[View, ...] = (
    View(
        "lead_volume",
        ("cockpit",),
        {"en": "V1 Lead volume from campaigns", "de": "V1 Leadvolumen aus Kampagnen"},
        {"en": "Lead volume", "de": "Leadvolumen"},
        ("campaign_leads", "leads"),
        ("month",),
        chart="column",
        series=("campaign_leads", "leads"),
    ),
    View(
        "funnel",
        ("cockpit",),
        {"en": "V4 Lead and opportunity funnel", "de": "V4 Lead- und Opportunity-Funnel"},
        {"en": "Funnel", "de": "Funnel"},
        tuple(FUNNEL),
    ),
    View(
        "campaigns",
        ("campaigns",),
        {
            "en": "V7 Campaign performance vs targets",
            "de": "V7 Kampagnen-Performance gegenüber Zielen",
        },
        {"en": "Campaigns vs targets", "de": "Kampagnen vs Ziele"},
        tuple(CAMPAIGN_KPIS),
        ("campaign",),
        chart="bar",
        series=("leads",),
        top=15,
        targets=True,
    ),
    View(
        "budget_month",
        ("budget",),
        {"en": "V6 Budget usage by month", "de": "V6 Budgeteinsatz nach Monat"},
        {"en": "Budget by month", "de": "Budget nach Monat"},
        tuple(BUDGET_KPIS),
        ("month",),
        series=("budget_planned", "cost"),
    ),
    View(
        "budget_unit",
        ("budget",),
        {"en": "V6 Budget usage by unit", "de": "V6 Budgeteinsatz nach Unit"},
        {"en": "Budget by unit", "de": "Budget nach Unit"},
        tuple(BUDGET_KPIS),
        ("unit",),
        series=("budget_planned", "cost"),
    ),
    View(
        "leads_unit",
        ("leads",),
        {"en": "V3 Leads by unit and topic", "de": "V3 Leads nach Unit und Thema"},
        {"en": "Leads by unit, topic", "de": "Leads nach Unit, Thema"},
        tuple(LEAD_KPIS),
        ("unit", "topic"),
        chart="bar",
        top=15,
    ),
    View(
        "handover_team",
        ("handover",),
        {
            "en": "V8/V10/V11 Handover and acceptance delay by team",
            "de": "V8/V10/V11 Übergabe und Übernahmeverzögerung nach Team",
        },
        {"en": "Handover by team", "de": "Übergabe nach Team"},
        tuple(HANDOVER_KPIS),
        ("team",),
        series=("acceptance_delay_median_h", "acceptance_delay_p90_h"),
    ),
    View(
        "rejection_reasons",
        ("handover",),
        {"en": "Rejection reasons", "de": "Ablehnungsgründe"},
        {"en": "Rejection reasons", "de": "Ablehnungsgründe"},
        ("rejected",),
        ("reason",),
        chart="bar",
    ),
    View(
        "topics",
        ("topics",),
        {"en": "V9/V12 KPIs by topic", "de": "V9/V12 KPIs nach Thema"},
        {"en": "Topics", "de": "Themen"},
        tuple(TOPIC_KPIS),
        ("topic",),
        series=("leads", "opportunities"),
    ),
    View(
        "regions",
        ("regions",),
        {"en": "V13 KPIs by country", "de": "V13 KPIs nach Land"},
        {"en": "Countries", "de": "Länder"},
        tuple(REGION_KPIS),
        ("country",),
        series=("leads",),
    ),
    View(
        "opportunities",
        ("opportunities",),
        {"en": "Opportunities by stage", "de": "Opportunities nach Phase"},
        {"en": "Opportunities by stage", "de": "Opportunities nach Phase"},
        ("opportunities", "opportunity_volume"),
        ("stage",),
        series=("opportunity_volume",),
    ),
)
