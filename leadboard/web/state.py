"""The dashboard's state lives in the URL: period, filters and language in the query string."""

from __future__ import annotations

from dataclasses import dataclass, field
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
