"""What a KPI query asks for, and the scope it runs in; built from CLI or HTTP parameters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadboard.metrics.calendar import GRAINS, naive_utc
from leadboard.metrics.facts import DIMENSIONS
from leadboard.metrics.registry import registry


class RequestError(ValueError):
    """A bad request parameter: names the parameter and what is allowed."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Scope:
    """The records a user may see: allowed values per dimension; `None` = everything (admins).

    Every query carries one; the engine applies it to every metric, record and target.
    """

    allowed: Mapping[str, frozenset[str]] | None

    @staticmethod
    def everything() -> Scope:
        return Scope(None)

    @staticmethod
    def of(**allowed: Iterable[str]) -> Scope:
        unknown = set(allowed) - set(DIMENSIONS)
        if unknown:
            raise RequestError("scope", f"unknown dimension(s) {', '.join(sorted(unknown))}")
        return Scope({d: frozenset(v) for d, v in allowed.items()})

    def key(self) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
        if self.allowed is None:
            return None
        return tuple(sorted((d, tuple(sorted(v))) for d, v in self.allowed.items()))

    def public(self) -> dict[str, list[str]] | str:
        if self.allowed is None:
            return "everything"
        return {d: sorted(v) for d, v in sorted(self.allowed.items())}


@dataclass(frozen=True)
class KpiRequest:
    scope: Scope
    metrics: tuple[str, ...]
    by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    period: str = "this-year"
    as_of: datetime | None = None
    compare: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(b for b in self.by if b in DIMENSIONS)

    @property
    def grain(self) -> str | None:
        return next((b for b in self.by if b in GRAINS), None)

    def filter_map(self) -> dict[str, frozenset[str]]:
        return {d: frozenset(v) for d, v in self.filters}

    def allowed(self) -> dict[str, frozenset[str]]:
        """Request filters intersected with the scope, per dimension."""
        allowed = self.filter_map()
        for dim, values in (self.scope.allowed or {}).items():
            allowed[dim] = allowed[dim] & values if dim in allowed else values
        return allowed

    def public(self) -> dict[str, Any]:
        return {
            "metrics": list(self.metrics),
            "by": list(self.by),
            "filters": {d: list(v) for d, v in self.filters},
            "period": self.period,
            "as_of": None if self.as_of is None else _iso(self.as_of),
            "compare": self.compare,
        }


def _iso(moment: datetime) -> str:
    return naive_utc(moment).isoformat() + "Z"


def _split(values: Iterable[str] | str | None) -> list[str]:
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def parse_request(
    scope: Scope,
    metrics: Iterable[str] | str | None,
    by: Iterable[str] | str | None = None,
    filters: Iterable[str] | None = None,
    period: str | None = None,
    as_of: str | datetime | None = None,
    compare: bool = False,
) -> KpiRequest:
    """Build a request from user text (`--metric a,b`, `--filter country=DE`, ...), checked."""
    names = _split(metrics)
    kpis = registry()
    known = [k.name for k in kpis.visible()]
    if not names:
        raise RequestError("metric", f"give at least one metric; allowed: {', '.join(known)}")
    for name in names:
        if name not in kpis or kpis[name].hidden:
            raise RequestError("metric", f"unknown metric {name!r}; allowed: {', '.join(known)}")
    groups = _split(by)
    allowed_by = [*DIMENSIONS, *GRAINS]
    for name in groups:
        if name not in allowed_by:
            raise RequestError(
                "by", f"unknown dimension {name!r}; allowed: {', '.join(allowed_by)}"
            )
    if sum(g in GRAINS for g in groups) > 1:
        raise RequestError("by", f"at most one time grain ({', '.join(GRAINS)})")
    if len(set(groups)) != len(groups):
        raise RequestError("by", "a dimension is given twice")
    return KpiRequest(
        scope=scope,
        metrics=tuple(dict.fromkeys(names)),
        by=tuple(groups),
        filters=_filters(filters or []),
        period=(period or "this-year").strip(),
        as_of=_as_of(as_of),
        compare=compare,
    )


def _filters(items: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    values: dict[str, list[str]] = {}
    for item in items:
        dim, sep, value = item.partition("=")
        dim, value = dim.strip(), value.strip()
        if not sep or not value:
            raise RequestError("filter", f"{item!r} is not dimension=value (e.g. country=DE)")
        if dim not in DIMENSIONS:
            raise RequestError(
                "filter", f"unknown dimension {dim!r}; allowed: {', '.join(DIMENSIONS)}"
            )
        if value not in values.setdefault(dim, []):
            values[dim].append(value)
    return tuple((d, tuple(v)) for d, v in values.items())


def _as_of(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        moment = naive_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        if not 1900 <= moment.year < 2200:
            raise ValueError(value)
    except (ValueError, OverflowError) as exc:
        raise RequestError(
            "as_of", f"cannot read {value!r} as a timestamp (e.g. 2026-10-01T00:00:00Z)"
        ) from exc
    return moment
