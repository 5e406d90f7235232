"""Periods and time grains: parsing `2026-Q3` & co., fiscal years, labels like `2026-W10`.

Every period is half-open, [start, end), in UTC. Years and quarters are fiscal: with a fiscal
year starting in October, `2026` is 2025-10-01..2026-10-01 and its label is `FY2026` (a fiscal
year is named after the calendar year it ends in). With the default start month (January) fiscal
and calendar years are the same. Months are calendar months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

GRAINS = ("day", "week", "month", "quarter", "fiscal_year")
FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates outside would only overflow the calendar maths
PRESETS = (  # the periods relative to as_of that every interface offers
    "this-month",
    "last-month",
    "this-quarter",
    "last-quarter",
    "this-year",
    "last-year",
    "last-30-days",
    "last-90-days",
)


PERIOD_FORMS = (
    "use 2026, FY2026, 2026-Q3, 2026-07, last-30-days, this-month, last-month, this-quarter, "
    "last-quarter, this-year, last-year, or 2026-01-01..2026-04-01 (from inclusive, to "
    "exclusive)"
)


class PeriodError(ValueError):
    """A period text that cannot be read, with what is accepted."""


@dataclass(frozen=True)
class Period:
    """[start, end) as naive UTC datetimes, with the text it was given as."""

    start: datetime
    end: datetime
    label: str
    kind: str = "range"  # year | quarter | month | range

    @property
    def days(self) -> float:
        return (self.end - self.start) / timedelta(days=1)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Calendar:
    fiscal_start_month: int = 1

    # -- fiscal arithmetic ------------------------------------------------------------------

    def fiscal_year_of(self, day: date) -> int:
        if self.fiscal_start_month == 1:
            return day.year
        return day.year + 1 if day.month >= self.fiscal_start_month else day.year

    def year_start(self, fiscal_year: int) -> datetime:
        year = fiscal_year if self.fiscal_start_month == 1 else fiscal_year - 1
        return datetime(year, self.fiscal_start_month, 1)

    def quarter_start(self, fiscal_year: int, quarter: int) -> datetime:
        return _add_months(self.year_start(fiscal_year), 3 * (quarter - 1))

    def quarter_of(self, day: date) -> int:
        return (day.month - self.fiscal_start_month) % 12 // 3 + 1

    # -- periods ----------------------------------------------------------------------------

    def year(self, fiscal_year: int) -> Period:
        start = self.year_start(fiscal_year)
        return Period(start, _add_months(start, 12), str(fiscal_year), "year")

    def quarter(self, fiscal_year: int, quarter: int) -> Period:
        start = self.quarter_start(fiscal_year, quarter)
        return Period(start, _add_months(start, 3), f"{fiscal_year}-Q{quarter}", "quarter")

    @staticmethod
    def month(year: int, month: int) -> Period:
        start = datetime(year, month, 1)
        return Period(start, _add_months(start, 1), f"{year}-{month:02d}", "month")

    def parse(self, text: str, as_of: datetime) -> Period:
        """Read `2026`, `FY2026`, `2026-Q3`, `2026-07`, `last-30-days`, `this-month`, ... or
        `2026-01-01..2026-04-01`; relative periods count from `as_of` (naive UTC)."""
        try:
            period = self._parse(text, as_of)
        except (ValueError, OverflowError) as exc:
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(
                f"the period {text!r} is outside the years {FIRST_YEAR}–{LAST_YEAR - 1}"
            ) from exc
        if not (period.start.year >= FIRST_YEAR and period.end.year <= LAST_YEAR):
            raise PeriodError(
                f"the period {text!r} is outside the years {FIRST_YEAR}–{LAST_YEAR - 1}"
            )
        return period

    def _parse(self, text: str, as_of: datetime) -> Period:
        value = text.strip()
        if m := re.fullmatch(r"(?:FY)?(\d{4})", value):
            return self.year(int(m[1]))
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            return self.quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", value):
            return self.month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"last-(\d{1,4})-days", value):
            return self._last_days(int(m[1]), as_of, value)
        if "..." not in value and (m := re.fullmatch(r"(.+)\.\.(.+)", value)):
            return self._range(m[1], m[2], value)
        relative = self._relative(value, as_of)
        if relative is not None:
            return relative
        raise PeriodError(f"cannot read the period {text!r}: {PERIOD_FORMS}")

    def previous(self, period: Period) -> Period:
        """The period before, of equal length: the previous month/quarter/year for those."""
        if period.kind == "year":
            return self.year(self.fiscal_year_of(period.start.date()) - 1)
        if period.kind == "quarter":
            start = _add_months(period.start, -3)
            return self.quarter(self.fiscal_year_of(start.date()), self.quarter_of(start.date()))
        if period.kind == "month":
            start = _add_months(period.start, -1)
            return self.month(start.year, start.month)
        length = period.end - period.start
        start = period.start - length
        return Period(start, period.start, f"{_day(start)}..{_day(period.start)}")

    def _last_days(self, n: int, as_of: datetime, label: str) -> Period:
        if n < 1:
            raise PeriodError("last-N-days needs N ≥ 1")
        end = datetime.combine(as_of.date(), datetime.min.time()) + timedelta(days=1)
        return Period(end - timedelta(days=n), end, label)

    @staticmethod
    def _range(first: str, second: str, label: str) -> Period:
        try:
            start, end = _moment(first), _moment(second)
        except ValueError as exc:
            raise PeriodError(f"cannot read the period {label!r} ({exc}): {PERIOD_FORMS}") from exc
        if end <= start:
            raise PeriodError(f"the period {label!r} ends before it starts (to is exclusive)")
        return Period(start, end, label)

    def _relative(self, value: str, as_of: datetime) -> Period | None:
        day = as_of.date()
        fy, quarter = self.fiscal_year_of(day), self.quarter_of(day)
        match value:
            case "this-month":
                return self.month(day.year, day.month)
            case "last-month":
                start = _add_months(datetime(day.year, day.month, 1), -1)
                return self.month(start.year, start.month)
            case "this-quarter":
                return self.quarter(fy, quarter)
            case "last-quarter":
                return self.previous(self.quarter(fy, quarter))
            case "this-year":
                return self.year(fy)
            case "last-year":
                return self.year(fy - 1)
        return None

    # -- grains -----------------------------------------------------------------------------

    def label(self, grain: str, bucket_start: date) -> str:
        """The label of the bucket that starts at `bucket_start` (as the SQL truncation gives)."""
        match grain:
            case "day":
                return bucket_start.isoformat()
            case "week":
                iso = bucket_start.isocalendar()
                return f"{iso.year}-W{iso.week:02d}"
            case "month":
                return f"{bucket_start.year}-{bucket_start.month:02d}"
            case "quarter":
                return f"{self.fiscal_year_of(bucket_start)}-Q{self.quarter_of(bucket_start)}"
            case "fiscal_year":
                return f"FY{self.fiscal_year_of(bucket_start)}"
        raise ValueError(f"unknown grain {grain!r}")

    def bucket_period(self, grain: str, label: str) -> Period:
        """The bucket a label names (`2026-03-05`, `2026-W10`, `2026-03`, `2026-Q1`, `FY2026`)."""
        try:
            match grain:
                case "day":
                    start = datetime.fromisoformat(label)
                case "week":
                    year, week = label.split("-W")
                    start = datetime.fromisocalendar(int(year), int(week), 1)
                case "month" | "quarter" | "fiscal_year":
                    kind = {"month": "month", "quarter": "quarter", "fiscal_year": "year"}[grain]
                    period = self.parse(label.removeprefix("FY"), datetime(2000, 1, 1))
                    if period.kind != kind or (grain == "fiscal_year") != label.startswith("FY"):
                        raise ValueError(label)
                    return period
                case _:
                    raise ValueError(grain)
        except (ValueError, PeriodError) as exc:
            raise PeriodError(f"{label!r} is not a {grain} label") from exc
        return Period(start, self.bucket_end(grain, start), label)

    def bucket_start(self, grain: str, moment: datetime) -> datetime:
        """Python twin of the SQL truncation (used for budget spreading and snapshots)."""
        day = datetime(moment.year, moment.month, moment.day)
        match grain:
            case "day":
                return day
            case "week":
                return day - timedelta(days=day.weekday())
            case "month":
                return day.replace(day=1)
            case "quarter":
                fy, q = self.fiscal_year_of(day.date()), self.quarter_of(day.date())
                return self.quarter_start(fy, q)
            case "fiscal_year":
                return self.year_start(self.fiscal_year_of(day.date()))
        raise ValueError(f"unknown grain {grain!r}")

    def bucket_end(self, grain: str, start: datetime) -> datetime:
        months = {"month": 1, "quarter": 3, "fiscal_year": 12}.get(grain)
        if months is not None:
            return _add_months(start, months)
        return start + timedelta(days=1 if grain == "day" else 7)

    def buckets(
        self, grain: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The grain's buckets that overlap [start, end), each clipped to it."""
        out, first = [], self.bucket_start(grain, start)
        while first < end:
            last = self.bucket_end(grain, first)
            out.append((max(first, start), min(last, end)))
            first = last
        return out


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _day(moment: datetime) -> str:
    return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat()


def naive_utc(moment: datetime) -> datetime:
    """Aware → naive UTC (the store's timestamps); naive values are taken as UTC already."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
