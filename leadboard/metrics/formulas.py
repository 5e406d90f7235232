"""How a KPI's value follows from base measures: the registry's formulas, applied."""

from __future__ import annotations

from typing import Any

from leadboard.metrics.registry import Kpi, Registry


def base_metrics(kpis: Registry, names: tuple[str, ...]) -> list[str]:
    """The base KPIs the named ones are computed from."""
    out: list[str] = []
    for name in names:
        kpi = kpis[name]
        parts = [kpi.numerator or "", *kpi.denominator] if kpi.derived else [name]
        out += [p for p in parts if p not in out]
    return out


_ZERO_WHEN_EMPTY = ("count", "currency")


def derive(kpi: Kpi, cell: dict[str, Any], unavailable: frozenset[str]) -> Any:
    """One metric's value in a cell: a base measure, or numerator / sum(denominator)."""
    if not kpi.derived:
        if kpi.name in unavailable:
            return None
        value = cell.get(kpi.name)
        if value is None:
            return (0 if kpi.unit == "count" else 0.0) if kpi.unit in _ZERO_WHEN_EMPTY else None
        return float(value) if kpi.unit == "currency" else value
    parts = [kpi.numerator or "", *kpi.denominator]
    if any(p in unavailable for p in parts):
        return None
    numerator = float(cell.get(kpi.numerator or "") or 0)
    denominator = sum(float(cell.get(p) or 0) for p in kpi.denominator)
    return None if denominator == 0 else numerator / denominator
