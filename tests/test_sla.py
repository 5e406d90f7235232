"""The response SLA in business hours: weekends, public holidays, days off, time zones, DST."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from leadboard.metrics.sla import SlaConfigError, SlaPolicy, sla_state
from leadboard.settings import Settings

BUSINESS = SlaPolicy(hours=8, clock="business")


def _due(
    policy: SlaPolicy, *leads: tuple[str, str | None, str, str | None]
) -> list[tuple[datetime, float | None]]:
    """(team, country, handover UTC, response UTC) → (due_at UTC, delay hours) per lead."""
    table = pa.table(
        {
            "lead_id": [f"L{i}" for i in range(len(leads))],
            "team": [team for team, _, _, _ in leads],
            "country": [country for _, country, _, _ in leads],
            "handover_at": pa.array(
                [datetime.fromisoformat(h) for _, _, h, _ in leads], pa.timestamp("us")
            ),
            "response_at": pa.array(
                [datetime.fromisoformat(r) if r else None for _, _, _, r in leads],
                pa.timestamp("us"),
            ),
        }
    )
    out = policy.due_and_delay(table)
    return list(
        zip(out.column("due_at").to_pylist(), out.column("delay_h").to_pylist(), strict=True)
    )


def test_friday_afternoon_runs_into_monday() -> None:
    # Friday 4 December 2026 16:00 in Berlin (15:00 UTC): 1 h on Friday, 7 h on Monday
    [(due, delay)] = _due(BUSINESS, ("T", "DE", "2026-12-04 15:00", "2026-12-07 09:00"))
    assert due == datetime(2026, 12, 7, 15, 0)  # Monday 16:00 Berlin
    assert delay == pytest.approx(2.0)  # Friday 16-17 and Monday 09-10


def test_a_handover_at_the_weekend_starts_on_monday_morning() -> None:
    [(due, delay)] = _due(BUSINESS, ("T", "DE", "2026-12-05 10:00", "2026-12-06 20:00"))
    assert due == datetime(2026, 12, 7, 16, 0)  # Monday 09:00 + 8 h = 17:00 Berlin
    assert delay == 0.0  # answered on Sunday: no working time passed


def test_public_holidays_and_extra_days_off_do_not_count() -> None:
    # Wed 23 Dec 15:00 Berlin; SLA 16 h: Wed 2 h, Thu 24th 8 h, Fri 25th (holiday), Mon 28th 6 h
    lead = ("T", "DE", "2026-12-23 14:00", None)
    [(due, _)] = _due(SlaPolicy(hours=16, clock="business"), lead)
    assert due == datetime(2026, 12, 28, 14, 0)
    off = SlaPolicy(hours=16, clock="business", extra_holidays={"DE": (date(2026, 12, 24),)})
    assert _due(off, lead)[0][0] == datetime(2026, 12, 29, 14, 0)  # Mon 8 h, Tue 6 h
    plain = SlaPolicy(hours=16, clock="business", public_holidays=False)
    assert _due(plain, lead)[0][0] == datetime(2026, 12, 25, 14, 0)  # Christmas is worked


def test_local_time_and_daylight_saving() -> None:
    # Friday 23 Oct 2026 16:00 in Berlin is 14:00 UTC (summer time); Monday 26th is winter time
    [(due, _)] = _due(BUSINESS, ("T", "DE", "2026-10-23 14:00", None))
    assert due == datetime(2026, 10, 26, 15, 0)  # Monday 16:00 CET
    # the same UTC moment in New York is 10:00 on Friday: 7 h left that day
    [(due_us, _)] = _due(BUSINESS, ("T", "US", "2026-10-23 14:00", None))
    assert due_us == datetime(2026, 10, 26, 14, 0)  # Monday 10:00 New York (EDT)


def test_team_hours_win_over_country_hours_over_the_default() -> None:
    policy = SlaPolicy(hours=48, team_hours={"FAST": 4}, country_hours={"US": 24})
    rows = _due(
        policy,
        ("FAST", "US", "2026-12-01 10:00", None),
        ("SLOW", "US", "2026-12-01 10:00", None),
        ("SLOW", "DE", "2026-12-01 10:00", "2026-12-01 12:30"),
    )
    assert [due for due, _ in rows] == [
        datetime(2026, 12, 1, 14, 0),
        datetime(2026, 12, 2, 10, 0),
        datetime(2026, 12, 3, 10, 0),
    ]
    assert [delay for _, delay in rows] == [None, None, 2.5]


def test_settings_become_a_policy_and_bad_ones_are_named() -> None:
    policy = SlaPolicy.from_settings(
        Settings(
            sla_clock="business",
            business_hours="08:30-12:00",
            business_days="Mon,Wed",
            sla_country_hours={"us": 12},
            sla_holidays={"de": ["2026-12-24"]},
        )
    )
    assert policy.workdays == frozenset({0, 2}) and policy.country_hours == {"US": 12}
    assert policy.extra_holidays == {"DE": (date(2026, 12, 24),)}
    # Monday 30 Nov 2026 11:00 Berlin (10:00 UTC), 3.5-h days on Mon and Wed, SLA 48 h:
    # 1 h that day, 13 full days (2 Dec ... 13 Jan), 1.5 h on the 14th: Mon 18 Jan 10:00
    [(due, _)] = _due(policy, ("T", "DE", "2026-11-30 10:00", None))
    assert due == datetime(2027, 1, 18, 9, 0)
    with pytest.raises(SlaConfigError, match="LEADBOARD_BUSINESS_HOURS"):
        SlaPolicy.from_settings(Settings(business_hours="late"))
    with pytest.raises(SlaConfigError, match="LEADBOARD_BUSINESS_DAYS"):
        SlaPolicy.from_settings(Settings(business_days="Monday,Funday"))


def test_sla_state() -> None:
    assert [sla_state(a, 48) for a in (10, 37, 48, 48.5)] == [
        "within",
        "due_soon",
        "due_soon",
        "overdue",
    ]


# -- the engine follows the SLA ------------------------------------------------------------------


def test_overdue_and_delay_follow_the_business_clock(store: Any, tmp_path: Path) -> None:
    from leadboard.metrics.engine import KpiEngine
    from leadboard.metrics.request import KpiRequest, Scope
    from leadboard.sources.importer import ImportOptions, import_files
    from tests.canonical import write_dataset
    from tests.test_alerts import AS_OF, _load

    _load(store, tmp_path / "company", planted=True)
    # T-LATE's L0 was handed over on Thursday 11 June 11:00 Berlin; sales answers it on Monday
    # at 09:00 Berlin: 94 calendar hours, 14 business hours (Thu 6 h, Fri 8 h)
    answer = tmp_path / "answer"
    answer.mkdir()
    event = {"lead_id": "L0", "event": "accepted", "occurred_at": "2026-06-15T07:00:00Z"}
    assert (
        import_files(store, write_dataset(answer, {"lead_events": [event]}), ImportOptions()).status
        == "committed"
    )

    def figures(**settings: Any) -> tuple[int, float]:
        engine = KpiEngine(store, clock=lambda: AS_OF, settings=Settings(**settings))
        table = engine.query(
            KpiRequest(
                Scope.everything(),
                ("overdue_handover", "acceptance_delay_median_h"),
                filters=(("team", ("T-LATE",)),),
                period="2026-06",
                as_of=AS_OF.replace(tzinfo=None),
            )
        )
        row = table.rows[0]
        return row["overdue_handover"], row["acceptance_delay_median_h"]

    # at Tuesday 14:00 Berlin, L1 and L2 have waited 5 calendar days, but under 27 working
    # hours (Thu from 11:10 or 11:20, Fri 8, Mon 8, Tue 5)
    assert figures() == (2, pytest.approx(94.0))
    assert figures(sla_clock="business") == (0, pytest.approx(14.0))
    assert figures(sla_clock="business", sla_team_hours={"T-LATE": 24}) == (2, pytest.approx(14.0))
    # L1 (11:10) has waited 26.83 working hours, L2 (11:20) 26.67
    assert figures(sla_clock="business", sla_country_hours={"DE": 26.5}) == (2, pytest.approx(14.0))
    assert figures(sla_clock="business", sla_country_hours={"DE": 26.75}) == (
        1,
        pytest.approx(14.0),
    )
    assert figures(sla_clock="business", sla_country_hours={"DE": 26.9}) == (0, pytest.approx(14.0))


def test_the_admin_sets_the_sla_and_the_numbers_follow(store: Any, tmp_path: Path) -> None:
    from leadboard.metrics.request import KpiRequest, Scope
    from leadboard.metrics.sla import save_sla, stored_sla
    from leadboard.web.components import PageContext
    from leadboard.web.pages.data import save_sla_form
    from leadboard.web.state import ViewState
    from tests.test_alerts import AS_OF, _load

    engine = _load(store, tmp_path, planted=True)

    def overdue() -> int:
        table = engine.query(
            KpiRequest(
                Scope.everything(),
                ("overdue_handover",),
                filters=(("team", ("T-LATE",)),),
                period="2026-06",
                as_of=AS_OF.replace(tzinfo=None),
            )
        )
        return int(table.rows[0]["overdue_handover"])

    assert overdue() == 3  # five calendar days against 48 h
    ctx = PageContext(engine, ViewState(), "en", Scope.everything())
    form = {
        "hours": 48,
        "clock": "business",
        "business_hours": "09:00-17:00",
        "business_days": "Mon,Tue,Wed,Thu,Fri",
        "teams": "T-LATE=24\n",
        "countries": "",
    }
    saved = save_sla_form(ctx, form)
    assert saved.id == "sla-saved", saved
    assert stored_sla(store)["sla_team_hours"] == {"T-LATE": 24.0}
    assert overdue() == 3  # 26-27 working hours against 24
    assert "T-LATE" in str(engine.sla.team_hours) and engine.sla.clock == "business"
    save_sla(store, Settings(), {"sla_team_hours": {}})
    assert overdue() == 0  # 48 working hours not reached
    refused = save_sla_form(ctx, {**form, "teams": "T-LATE=soon"})
    assert refused.className == "error" and "cannot read 'T-LATE=soon'" in str(refused.children)
    refused = save_sla_form(ctx, {**form, "business_days": "Funday"})
    assert "LEADBOARD_BUSINESS_DAYS" in str(refused.children)
    with pytest.raises(SlaConfigError, match="not an SLA setting: smtp_host"):
        save_sla(store, Settings(), {"smtp_host": "x"})
    assert stored_sla(store)["sla_team_hours"] == {}  # the refused forms changed nothing
