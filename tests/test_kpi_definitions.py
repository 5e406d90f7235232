"""The KPI registry, the fiscal calendar and the generated glossary."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from leadboard.metrics.calendar import Calendar, PeriodError
from leadboard.metrics.glossary import glossary_markdown
from leadboard.metrics.registry import parse_registry, registry

AS_OF = datetime(2026, 11, 15, 13, 30)


def test_the_shipped_registry_has_no_issues() -> None:
    assert registry().issues == ()
    assert len(registry().visible()) == 30


def test_registry_problems_become_issues_not_exceptions() -> None:
    text = """
[leads]
label = { en = "Leads" }
description = { en = "x", de = "y" }
formula = "count"
anchor = "a"
unit = "pieces"
fact = "lead"

[ratio]
label = { en = "R", de = "R" }
description = { en = "x", de = "y" }
formula = "a / b"
anchor = "a"
unit = "percent"
higher_is_better = "yes"
numerator = "leads"
denominator = ["nothing"]
"""
    messages = [(i.column, i.message) for i in parse_registry(text).issues if i.level == "error"]
    assert messages == [
        ("leads", "label has no de text"),
        ("leads", "unknown unit 'pieces' (allowed: count, currency, percent, hours, ratio)"),
        ("ratio", "higher_is_better must be true or false, not 'yes'"),
        ("ratio", "refers to unknown KPI 'nothing'"),
    ]


def test_the_glossary_in_docs_is_generated_from_the_registry() -> None:
    glossary = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"
    assert glossary.read_text(encoding="utf-8") == glossary_markdown(), (
        "run `leadboard glossary` to regenerate docs/glossary.md"
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", datetime(2026, 1, 1), datetime(2027, 1, 1)),
        ("FY2026", datetime(2026, 1, 1), datetime(2027, 1, 1)),
        ("2026-Q3", datetime(2026, 7, 1), datetime(2026, 10, 1)),
        ("2026-07", datetime(2026, 7, 1), datetime(2026, 8, 1)),
        ("last-30-days", datetime(2026, 10, 17), datetime(2026, 11, 16)),
        ("this-month", datetime(2026, 11, 1), datetime(2026, 12, 1)),
        ("last-month", datetime(2026, 10, 1), datetime(2026, 11, 1)),
        ("this-quarter", datetime(2026, 10, 1), datetime(2027, 1, 1)),
        ("last-quarter", datetime(2026, 7, 1), datetime(2026, 10, 1)),
        ("last-year", datetime(2025, 1, 1), datetime(2026, 1, 1)),
        ("2026-01-01..2026-04-01", datetime(2026, 1, 1), datetime(2026, 4, 1)),
        ("2026-01-01T12:00:00+02:00..2026-01-02", datetime(2026, 1, 1, 10), datetime(2026, 1, 2)),
    ],
)
def test_periods_are_half_open(text: str, start: datetime, end: datetime) -> None:
    period = Calendar().parse(text, AS_OF)
    assert (period.start, period.end) == (start, end)


def test_a_fiscal_year_starting_in_october() -> None:
    cal = Calendar(fiscal_start_month=10)
    fy = cal.parse("2026", AS_OF)
    assert (fy.start, fy.end) == (datetime(2025, 10, 1), datetime(2026, 10, 1))
    q1 = cal.parse("2026-Q1", AS_OF)
    assert (q1.start, q1.end) == (datetime(2025, 10, 1), datetime(2026, 1, 1))
    assert cal.label("quarter", date(2025, 10, 1)) == "2026-Q1"
    assert cal.label("fiscal_year", date(2026, 10, 1)) == "FY2027"
    assert cal.parse("this-year", AS_OF).label == "2027"
    assert cal.previous(q1).label == "2025-Q4"


def test_grain_labels_and_previous_periods() -> None:
    cal = Calendar()
    assert cal.label("day", date(2026, 3, 5)) == "2026-03-05"
    assert cal.label("week", date(2026, 3, 2)) == "2026-W10"
    assert cal.label("week", date(2026, 12, 28)) == "2026-W53"
    assert cal.label("month", date(2026, 3, 1)) == "2026-03"
    assert cal.label("fiscal_year", date(2026, 1, 1)) == "FY2026"
    assert cal.previous(cal.parse("2026-03", AS_OF)).label == "2026-02"
    assert cal.previous(cal.parse("2026-Q1", AS_OF)).label == "2025-Q4"
    explicit = cal.previous(cal.parse("2026-01-10..2026-01-20", AS_OF))
    assert (explicit.start, explicit.end) == (datetime(2025, 12, 31), datetime(2026, 1, 10))
    assert cal.bucket_period("week", "2026-W10").start == datetime(2026, 3, 2)


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q5",
        "2026-13",
        "last-0-days",
        "2026-04-01..2026-01-01",
        "someday",
        "2026-01-01..tomorrow",
    ],
)
def test_bad_periods_say_what_is_accepted(text: str) -> None:
    with pytest.raises(PeriodError, match=r"period|N ≥ 1"):
        Calendar().parse(text, AS_OF)


def test_traffic_lights_know_which_way_is_better() -> None:
    from leadboard.metrics.table import TargetResult
    from leadboard.web.components import AMBER, GREEN, RED, traffic_light

    def target(achievement: float) -> TargetResult:
        return TargetResult(
            "cost",
            "2026",
            {},
            100.0,
            achievement * 100,
            achievement,
            achievement * 100,
            100.0,
            achievement,
            1.0,
        )

    assert [traffic_light(target(a)) for a in (1.1, 0.9, 0.5)] == [GREEN, AMBER, RED]
    assert [traffic_light(target(a), False) for a in (0.9, 1.1, 1.5)] == [GREEN, AMBER, RED]
