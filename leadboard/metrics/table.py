"""`KpiTable`: the one immutable result of a KPI query, and its JSON and CSV forms."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    label: str
    unit: str  # dimension | count | currency | percent | hours | ratio

    def public(self) -> dict[str, str]:
        return {"name": self.name, "label": self.label, "unit": self.unit}


@dataclass(frozen=True)
class TargetResult:
    """A target row that matches the request, with its actual, achievement and pace."""

    metric: str
    period: str
    scope: dict[str, str]
    target: float
    actual: float | None
    achievement: float | None
    actual_to_date: float | None
    expected_to_date: float | None
    pace: float | None
    elapsed: float  # share of the target period elapsed at min(end, as_of)

    def public(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class QualityNote:
    """A data-quality problem met while computing (e.g. amounts without an FX rate)."""

    code: str
    message: str
    count: int
    metrics: tuple[str, ...]

    def public(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "count": self.count,
            "metrics": list(self.metrics),
        }


@dataclass(frozen=True)
class KpiTable:
    request: dict[str, Any]
    columns: tuple[ColumnInfo, ...]
    rows: tuple[dict[str, Any], ...]
    as_of: str
    data_version: int
    period: dict[str, str]
    currency: str
    targets: tuple[TargetResult, ...] = ()
    notes: tuple[QualityNote, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "columns": [c.public() for c in self.columns],
            "rows": [{k: _clean(v) for k, v in row.items()} for row in self.rows],
            "as_of": self.as_of,
            "data_version": self.data_version,
            "period": self.period,
            "currency": self.currency,
            "targets": [t.public() for t in self.targets],
            "notes": [n.public() for n in self.notes],
        }

    def to_csv(self) -> str:
        return table_csv(self.to_json())

    def value(self, metric: str, **dims: str | None) -> Any:
        """The value of `metric` in the row with these dimension values (tests, renderers)."""
        for row in self.rows:
            if all(row.get(d) == v for d, v in dims.items()):
                return row.get(metric)
        raise KeyError(f"no row with {dims}")


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities are missing values."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def table_csv(body: dict[str, Any]) -> str:
    """A KPI result (its JSON form) as CSV: one header row of column names, then the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [c["name"] for c in body["columns"]]
    writer.writerow(names)
    for row in body["rows"]:
        writer.writerow(["" if row.get(n) is None else row[n] for n in names])
    return out.getvalue()
