"""The dashboard's state lives in the URL: period, filters and language in the query string."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

from leadboard.metrics.calendar import PRESETS

FILTER_DIMENSIONS = ("country", "region", "unit", "team", "topic", "channel", "campaign")
PERIOD_PRESETS = PRESETS
DEFAULT_PERIOD = "this-year"


@dataclass(frozen=True)
class ViewState:
    period: str = DEFAULT_PERIOD
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lang: str | None = None

    def filter_args(self) -> list[str]:
        """`dimension=value` items, as the KPI request takes them."""
        return [f"{d}={v}" for d, values in self.filters.items() for v in values]

    def query(self) -> str:
        items: list[tuple[str, str]] = []
        if self.period != DEFAULT_PERIOD:
            items.append(("period", self.period))
        for dim in FILTER_DIMENSIONS:
            items += [(dim, v) for v in self.filters.get(dim, ())]
        if self.lang:
            items.append(("lang", self.lang))
        return "?" + urlencode(items) if items else ""


def parse_state(search: str | None) -> ViewState:
    values = parse_qs((search or "").lstrip("?"))
    filters = {d: tuple(values[d]) for d in FILTER_DIMENSIONS if values.get(d)}
    lang = (values.get("lang") or [""])[0]
    period = (values.get("period") or [DEFAULT_PERIOD])[0]
    return ViewState(period, filters, lang if lang in ("en", "de") else None)


def date_range_period(start: str, end: str) -> str:
    """The calendar's days, first and last included, as a half-open period: a..(last + 1)."""
    first = date.fromisoformat(start[:10])
    last = date.fromisoformat(end[:10])
    return f"{first}..{last + timedelta(days=1)}"


def picker_dates(period: str) -> tuple[str | None, str | None]:
    """The calendar's first and last day for an explicit period a..b (b excluded); else empty."""
    first, sep, after = period.partition("..")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(after)
    except ValueError:
        return None, None
    if not sep or end <= start:
        return None, None
    return start.isoformat(), (end - timedelta(days=1)).isoformat()
