"""The dashboard's calendar and its period: whole days in the picker, half-open in the URL."""

from __future__ import annotations

from leadboard.web.state import date_range_period, picker_dates


def test_the_calendar_and_the_period_agree() -> None:
    assert date_range_period("2026-02-01", "2026-02-14") == "2026-02-01..2026-02-15"
    assert date_range_period("2026-12-01T00:00:00", "2026-12-31") == "2026-12-01..2027-01-01"
    assert picker_dates("2026-02-01..2026-03-01") == ("2026-02-01", "2026-02-28")
    assert picker_dates("this-quarter") == (None, None)
    assert picker_dates("2026-03-01..2026-02-01") == (None, None)
