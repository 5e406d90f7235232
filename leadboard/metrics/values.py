"""The values a dimension takes in the store (for filter pickers), within a scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ibis

from leadboard.metrics.facts import FACTS, bind, selection
from leadboard.metrics.request import Scope

if TYPE_CHECKING:
    from leadboard.metrics.engine import KpiEngine


def dimension_values(engine: KpiEngine, scope: Scope, dim: str) -> list[str]:
    """Sorted distinct values of `dim` over leads, opportunities and campaigns in scope."""
    s = engine.all_time_slice(by=(dim,), allowed=dict(scope.allowed or {}))
    parts = [
        selection(FACTS[name], s).select(dim).distinct()
        for name in ("lead", "opportunity", "budget")
        if s.dimensions <= set(FACTS[name].dimensions)
    ]
    union = ibis.union(*parts, distinct=True) if len(parts) > 1 else parts[0]
    query = union.filter(union[dim].notnull()).order_by(dim)
    engine.prepare()
    sql, params = bind(ibis.to_sql(query, dialect=engine.store.dialect), s)
    return [str(r[0]) for r in engine.store.fetchall(sql, params)]
