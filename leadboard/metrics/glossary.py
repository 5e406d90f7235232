"""The glossary page (docs/glossary.md), generated from the KPI registry."""

from __future__ import annotations

from leadboard.metrics.calendar import GRAINS
from leadboard.metrics.facts import DIMENSIONS
from leadboard.metrics.registry import registry

_UNITS = {
    "count": "count",
    "currency": "amount in the reporting currency",
    "percent": "share (0–1, shown as %)",
    "hours": "hours",
    "ratio": "ratio",
}


def glossary_markdown() -> str:
    lines = [
        "# Glossary: every KPI",
        "",
        "Generated from `leadboard/metrics/kpis.toml` by `leadboard glossary`: do not edit.",
        "Every number Leadboard shows is computed by its KPI engine from these definitions.",
        "",
        "- Periods are half-open, [from, to), in UTC; years and quarters are fiscal "
        "(`LEADBOARD_FISCAL_YEAR_START_MONTH`).",
        "- Amounts are converted to the reporting currency at the rate of the month of each "
        "record's anchor date; a missing rate is reported, never taken as 1.",
        "- `as_of` is the clock (default: now, to the second): a record dated after it has "
        "not happened yet and does not count; pending and overdue leads are taken at "
        "t = min(end of the period, as_of).",
        "- A ratio whose denominator is 0 has no value (shown as –).",
        "- Compare (Δ) takes the previous period of the same kind: the month before a month, "
        "the quarter before a quarter, the year before a year; for `last-N-days` and "
        "explicit periods the same number of days right before. A group or bucket with "
        "no counterpart in the previous period has no previous value.",
        "- Targets: **achievement** = actual / target for the target's metric, scope and "
        "period; **pace** = actual to t / (target × elapsed share of the target period at "
        "t), t = min(end, as_of); for a ratio KPI (a rate) the target is not spread over "
        "time, so pace = actual to t / target.",
        f"- Dimensions: {', '.join(DIMENSIONS)}. Time grains: {', '.join(GRAINS)}.",
        "",
        "| KPI | English | Deutsch | unit | better | formula | anchor |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kpi in registry().visible():
        better = {True: "higher", False: "lower", None: "–"}[kpi.higher_is_better]
        lines.append(
            f"| `{kpi.name}` | **{kpi.label['en']}**: {kpi.description['en']} "
            f"| **{kpi.label['de']}**: {kpi.description['de']} | {_UNITS[kpi.unit]} | {better} "
            f"| `{kpi.formula}` | {kpi.anchor} |"
        )
    return "\n".join(lines) + "\n"
