"""The values a dimension takes in the store (for filter pickers), within a scope."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import ibis

from leadboard.metrics.facts import FACTS, Slice, bind, selection
from leadboard.metrics.request import Scope

if TYPE_CHECKING:
    from leadboard.metrics.engine import KpiEngine

_ALL_TIME = (datetime(1900, 1, 1), datetime(2200, 1, 1))


def dimension_values(engine: KpiEngine, scope: Scope, dim: str) -> list[str]:
    """Sorted distinct values of `dim` over leads, opportunities and campaigns in scope."""
    allowed = dict(scope.allowed or {})
    s = Slice(
        *_ALL_TIME,
        (dim,),
        None,
        allowed,
        _ALL_TIME[1],
        engine.currency,
        engine.settings.sla_hours,
        engine.calendar,
    )
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
