"""The response SLA: hours per team and country, counted on the calendar or in business hours.

A handed-over lead is due `hours` after its first handover. The hours come from the lead's team
(`sla_team_hours`), else its country (`sla_country_hours`), else `sla_hours`. With the calendar
clock every hour counts; with the business clock only working time counts: the working days and
hours in the country's local time, less its public holidays (from the `holidays` package, plus
`sla_holidays`). `due_at` (when the lead becomes overdue) and the acceptance delay in these hours
are computed once per data version, for every handed-over lead (see `KpiEngine.prepare`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from leadboard.settings import Settings
from leadboard.store import Store
from leadboard.store.ingest import bump_data_version

DUE_SOON_SHARE = 0.75  # of the SLA gone: the response is due soon
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
US_PER_SECOND = 1_000_000
# Business hours are local: the first time zone of each country; `sla_timezones` adds or
# overrides (e.g. {"US": "America/Chicago"}). A country not listed counts in UTC.
TIMEZONES = {
    "AT": "Europe/Vienna",
    "AU": "Australia/Sydney",
    "BE": "Europe/Brussels",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CH": "Europe/Zurich",
    "CN": "Asia/Shanghai",
    "CZ": "Europe/Prague",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "IN": "Asia/Kolkata",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "LU": "Europe/Luxembourg",
    "MX": "America/Mexico_City",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore",
    "US": "America/New_York",
    "ZA": "Africa/Johannesburg",
}


class SlaConfigError(ValueError):
    """A malformed SLA setting: names the setting."""


@dataclass(frozen=True)
class SlaPolicy:
    hours: float = 48.0
    team_hours: dict[str, float] = field(default_factory=dict)
    country_hours: dict[str, float] = field(default_factory=dict)
    clock: str = "calendar"  # calendar | business
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    workdays: frozenset[int] = frozenset(range(5))  # Monday = 0
    public_holidays: bool = True
    extra_holidays: dict[str, tuple[date, ...]] = field(default_factory=dict)
    timezones: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def from_settings(s: Settings) -> SlaPolicy:
        start, _, end = s.business_hours.partition("-")
        try:
            day_start, day_end = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        except ValueError as exc:
            raise SlaConfigError(
                f"LEADBOARD_BUSINESS_HOURS: {s.business_hours!r} is not like 09:00-17:00"
            ) from exc
        if day_end <= day_start:
            raise SlaConfigError("LEADBOARD_BUSINESS_HOURS: the day must end after it starts")
        days = [d.strip().lower()[:3] for d in s.business_days.split(",") if d.strip()]
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown or not days:
            raise SlaConfigError(
                f"LEADBOARD_BUSINESS_DAYS: use {', '.join(WEEKDAYS)}; got {s.business_days!r}"
            )
        extra = {}
        for country, dates in s.sla_holidays.items():
            try:
                extra[country.upper()] = tuple(date.fromisoformat(d) for d in dates)
            except ValueError as exc:
                raise SlaConfigError(f"LEADBOARD_SLA_HOLIDAYS: {exc}") from exc
        return SlaPolicy(
            hours=s.sla_hours,
            team_hours=dict(s.sla_team_hours),
            country_hours={k.upper(): v for k, v in s.sla_country_hours.items()},
            clock=s.sla_clock,
            day_start=day_start,
            day_end=day_end,
            workdays=frozenset(WEEKDAYS.index(d) for d in days),
            public_holidays=s.sla_public_holidays,
            extra_holidays=extra,
            timezones={k.upper(): v for k, v in s.sla_timezones.items()},
        )

    @property
    def simple(self) -> bool:
        """Calendar hours: the database computes due dates and delays itself."""
        return self.clock == "calendar"

    def hours_for(self, team: str | None, country: str | None) -> float:
        if team is not None and team in self.team_hours:
            return self.team_hours[team]
        if country is not None and country in self.country_hours:
            return self.country_hours[country]
        return self.hours

    def describe(self, team: str | None = None) -> dict[str, str]:
        """The SLA in words (alerts' reference)."""
        if team is not None and team in self.team_hours:
            hours = f"{self.team_hours[team]:g} h"
        elif self.country_hours:
            hours = f"{self.hours:g} h, per country: " + ", ".join(
                f"{c} {h:g} h" for c, h in sorted(self.country_hours.items())
            )
        else:
            hours = f"{self.hours:g} h"
        if self.clock == "business":
            return {"en": f"SLA {hours} (business hours)", "de": f"SLA {hours} (Arbeitszeit)"}
        return {"en": f"SLA {hours}", "de": f"SLA {hours}"}

    def timezone(self, country: str | None) -> str:
        code = (country or "").upper()
        return self.timezones.get(code) or TIMEZONES.get(code) or "UTC"

    # -- business hours ------------------------------------------------------------------------

    def holidays(self, country: str | None, years: Iterable[int]) -> set[date]:
        code = (country or "").upper()
        found = set(self.extra_holidays.get(code, ()))
        if self.public_holidays and code:
            found |= set(_public_holidays(code, tuple(sorted(set(years)))))
        return found

    def due_and_delay(self, state: pa.Table) -> pa.Table:
        """For each lead (lead_id, team, country, handover_at, response_at): `due_at` (naive
        UTC) and `delay_h`, the hours from handover to response on this policy's clock."""
        n = state.num_rows
        hours = np.array(
            [
                self.hours_for(t, c)
                for t, c in zip(
                    state.column("team").to_pylist(),
                    state.column("country").to_pylist(),
                    strict=True,
                )
            ],
            dtype=np.float64,
        )
        handover = _micros(state.column("handover_at"))
        response = _micros(state.column("response_at"))
        answered = response >= 0
        due = np.zeros(n, dtype=np.int64)
        delay = np.full(n, np.nan)
        if self.clock == "calendar":
            due = handover + (hours * 3600 * US_PER_SECOND).astype(np.int64)
            delay[answered] = (response[answered] - handover[answered]) / (3600 * US_PER_SECOND)
        else:
            countries = np.array(
                [c or "" for c in state.column("country").to_pylist()], dtype=object
            )
            for country in sorted(set(countries.tolist())):
                rows = np.flatnonzero(countries == country)
                clock = _BusinessClock(
                    self, country or None, handover[rows], response[rows], float(hours[rows].max())
                )
                due[rows] = clock.deadline(handover[rows], hours[rows])
                got = rows[answered[rows]]
                if got.size:
                    delay[got] = clock.between(handover[got], response[got]) / 3600.0
        return pa.table(
            {
                "lead_id": state.column("lead_id"),
                "due_at": pa.array(due, pa.timestamp("us")),
                "delay_h": pa.array(delay, pa.float64(), mask=~answered),
            }
        )


def sla_state(age_h: float, total_h: float) -> str:
    """`overdue` past the due date (as `overdue_handover` counts), `due_soon` in the last
    quarter of the time allowed, else `within`; both in hours since the handover."""
    if age_h > total_h:
        return "overdue"
    if age_h > DUE_SOON_SHARE * total_h:
        return "due_soon"
    return "within"


@lru_cache(maxsize=256)
def _public_holidays(code: str, years: tuple[int, ...]) -> tuple[date, ...]:
    import holidays

    try:
        return tuple(holidays.country_holidays(code, years=years))
    except NotImplementedError:  # a country the package does not know: no public holidays
        return ()


def _micros(column: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.int64]:
    """Naive timestamps as microseconds since 1970; missing as -1."""
    values = pc.cast(column, pa.timestamp("us")).cast(pa.int64())
    return np.asarray(values.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


class _BusinessClock:
    """Working seconds counted on a table of local days: B(t) = working seconds before t."""

    def __init__(
        self,
        policy: SlaPolicy,
        country: str | None,
        handover_us: npt.NDArray[np.int64],
        response_us: npt.NDArray[np.int64],
        max_hours: float,
    ) -> None:
        self.tz = policy.timezone(country)
        day_us = 86_400 * US_PER_SECOND
        first = date(1970, 1, 1) + timedelta(days=int(handover_us.min() // day_us) - 2)
        last = int(max(handover_us.max(), response_us.max()) // day_us) + 2
        # enough days after the last handover for the longest SLA: weeks have holidays
        day_h = (policy.day_end.hour * 60 + policy.day_end.minute) / 60 - (
            policy.day_start.hour * 60 + policy.day_start.minute
        ) / 60
        weeks = max_hours / (len(policy.workdays) * day_h) + 2
        last = max(last, int(handover_us.max() // day_us) + int(7 * weeks) + 30)
        days = [first + timedelta(days=i) for i in range(last - (first - date(1970, 1, 1)).days)]
        off = policy.holidays(country, {d.year for d in days})
        self.first_day = (first - date(1970, 1, 1)).days
        start_s = policy.day_start.hour * 3600 + policy.day_start.minute * 60
        end_s = policy.day_end.hour * 3600 + policy.day_end.minute * 60
        working = np.array([d.weekday() in policy.workdays and d not in off for d in days])
        self.start = start_s * US_PER_SECOND
        self.length = np.where(working, (end_s - start_s) * US_PER_SECOND, 0).astype(np.int64)
        self.before = np.concatenate([[0], np.cumsum(self.length)[:-1]]).astype(np.int64)
        self.until = self.before + self.length

    def _to_local(self, utc_us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        aware = pa.array(utc_us, pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us", tz=self.tz))
        return np.asarray(pc.local_timestamp(aware).cast(pa.int64()).to_numpy(), dtype=np.int64)

    def _to_utc(self, local_us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        naive = pa.array(local_us, pa.timestamp("us"))
        aware = pc.assume_timezone(naive, self.tz, ambiguous="earliest", nonexistent="latest")
        return np.asarray(aware.cast(pa.int64()).to_numpy(), dtype=np.int64)

    def _worked(self, local_us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        day = local_us // (86_400 * US_PER_SECOND) - self.first_day
        into = local_us % (86_400 * US_PER_SECOND) - self.start
        return self.before[day] + np.clip(into, 0, self.length[day])

    def between(
        self, start_utc: npt.NDArray[np.int64], end_utc: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Working seconds from start to end."""
        worked = self._worked(self._to_local(end_utc)) - self._worked(self._to_local(start_utc))
        return np.asarray(worked / US_PER_SECOND, dtype=np.float64)

    def deadline(
        self, start_utc: npt.NDArray[np.int64], hours: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int64]:
        """The UTC moment when `hours` of working time have passed since start."""
        target = self._worked(self._to_local(start_utc)) + (hours * 3600 * US_PER_SECOND).astype(
            np.int64
        )
        day = np.searchsorted(self.until, target, side="left")
        local = (
            (day + self.first_day) * 86_400 * US_PER_SECOND
            + self.start
            + (target - self.before[day])
        )
        return self._to_utc(local)


# -- the SLA as the admin sets it on the data page ------------------------------------------------

ADMIN_FIELDS = (
    "sla_hours",
    "sla_clock",
    "sla_team_hours",
    "sla_country_hours",
    "business_hours",
    "business_days",
)
_META_KEY = "sla_settings"


def stored_sla(store: Store) -> dict[str, Any]:
    """The SLA settings saved in the store (they win over the environment's)."""
    value = store.scalar("SELECT value FROM leadboard_meta WHERE key = ?", [_META_KEY])
    return dict(json.loads(str(value))) if value else {}


def effective_settings(settings: Settings, store: Store) -> Settings:
    """The settings with the SLA saved in the store applied."""
    saved = stored_sla(store)
    if not saved:
        return settings
    return Settings.model_validate({**settings.model_dump(), **saved})


def save_sla(store: Store, settings: Settings, changes: dict[str, Any]) -> Settings:
    """Validate and store SLA settings; the KPIs follow at once (the data version moves on)."""
    unknown = set(changes) - set(ADMIN_FIELDS)
    if unknown:
        raise SlaConfigError(f"not an SLA setting: {', '.join(sorted(unknown))}")
    saved = {**stored_sla(store), **changes}
    try:
        merged = Settings.model_validate({**settings.model_dump(), **saved})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise SlaConfigError(problems) from exc
    SlaPolicy.from_settings(merged)  # business hours and days readable
    with store.transaction():
        store.execute(
            "INSERT INTO leadboard_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [_META_KEY, json.dumps(saved)],
        )
        bump_data_version(store)
    return merged
