"""KPI engine speed on a demo company: the cockpit's query set, cold and warm, and vs hand SQL.

    python bench/kpi_bench.py --store big.duckdb [--leads 1000000]      # DuckDB
    python bench/kpi_bench.py --store postgresql://postgres@127.0.0.1:5432/bench --leads 1000000

With --leads, the demo company is generated into the store first when it is empty. Prints:
the one-off preparation after an import (materialized handover state), the cockpit set on a cold
result cache (first in a fresh process, i.e. with SQL compilation, and again once compiled), on a
warm cache, and, on DuckDB, three queries against hand-written SQL of the same result.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import KpiRequest, Scope, parse_request
from leadboard.sources.demo_import import load_demo
from leadboard.store import Store, open_store

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)
COCKPIT = [
    "leads",
    "opportunities",
    "opportunity_volume",
    "marketing_opportunity_volume",
    "lead_conversion_rate",
    "acceptance_delay_median_h",
    "cost",
    "budget_planned",
]


def cockpit_requests() -> list[KpiRequest]:
    """The cockpit: its KPIs (with their targets) by month and by one dimension."""
    scope = Scope.everything()
    return [
        parse_request(scope, COCKPIT, ["month"], [], "2026", AS_OF),
        parse_request(scope, COCKPIT, ["unit"], [], "2026", AS_OF),
    ]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_set(engine: KpiEngine) -> float:
    return sum(timed(lambda r=r: engine.query(r))[0] for r in cockpit_requests())


def bench_cockpit(store: Store) -> None:
    engine = KpiEngine(store, lambda: AS_OF)
    seconds, _ = timed(engine.prepare)
    print(f"prepare (once per import): {seconds * 1000:8.0f} ms")
    first = run_set(engine)
    print(f"cockpit set, first run (compiles SQL): {first * 1000:8.0f} ms")
    colds = []
    for _ in range(5):
        engine._cache.clear()  # a new data version empties the result caches the same way
        engine._computed.clear()
        colds.append(run_set(engine))
    print(
        f"cockpit set, cold result cache: median {statistics.median(colds) * 1000:8.0f} ms "
        f"(min {min(colds) * 1000:.0f}, max {max(colds) * 1000:.0f})"
    )
    warm = [run_set(engine) for _ in range(20)]
    print(f"cockpit set, warm cache:        median {statistics.median(warm) * 1000:8.2f} ms")


HAND_SQL = {
    "leads by month": (
        parse_request(Scope.everything(), ["leads"], ["month"], [], "2026", AS_OF),
        """SELECT strftime(month, '%Y-%m'), leads FROM (
             SELECT date_trunc('month', created_at) AS month, count(*) AS leads
             FROM leads WHERE created_at >= '2026-01-01' AND created_at < '2027-01-01'
               AND created_at <= '2026-10-01'
             GROUP BY 1) ORDER BY 1""",
    ),
    "opportunity volume (EUR) by unit": (
        parse_request(Scope.everything(), ["opportunity_volume"], ["unit"], [], "2026", AS_OF),
        """SELECT o.unit, sum(CAST(o.amount AS DOUBLE) * CASE WHEN coalesce(o.currency, 'EUR')
                  = 'EUR' THEN 1 ELSE f.eur_per_unit END) AS opportunity_volume,
                  count(*) FILTER (WHERE coalesce(o.currency, 'EUR') <> 'EUR'
                                   AND f.eur_per_unit IS NULL) AS missing_rates
           FROM opportunities o LEFT JOIN fx_rates f
             ON f.currency = coalesce(o.currency, 'EUR')
            AND f.month = CAST(date_trunc('month', o.created_at) AS DATE)
           WHERE o.created_at >= '2026-01-01' AND o.created_at < '2027-01-01'
             AND o.created_at <= '2026-10-01'
           GROUP BY 1 ORDER BY 1 NULLS LAST""",
    ),
    "acceptance delay median by team": (
        parse_request(
            Scope.everything(), ["acceptance_delay_median_h"], ["team"], [], "2026", AS_OF
        ),
        # from the raw events: each lead's first handover and its first response after it
        """WITH h AS (SELECT lead_id, min(occurred_at) AS handover_at FROM lead_events
                        WHERE event = 'handed_over' GROUP BY 1),
                r AS (SELECT e.lead_id, min(e.occurred_at) AS response_at
                        FROM lead_events e JOIN h USING (lead_id)
                        WHERE e.event IN ('accepted', 'rejected')
                          AND e.occurred_at >= h.handover_at GROUP BY 1)
           SELECT l.team, quantile_cont(epoch(r.response_at - h.handover_at) / 3600.0, 0.5)
           FROM leads l JOIN h USING (lead_id) JOIN r USING (lead_id)
           WHERE r.response_at >= '2026-01-01' AND r.response_at < '2027-01-01'
             AND r.response_at <= '2026-10-01'
           GROUP BY 1 ORDER BY 1 NULLS LAST""",
    ),
}


def bench_vs_hand_sql(store: Store) -> None:
    engine = KpiEngine(store, lambda: AS_OF)
    engine.prepare()
    con = store.duckdb_connection
    for name, (request, sql) in HAND_SQL.items():
        as_of, period = engine.resolve(request)
        engine.compute(request, period, as_of)  # compiled once, like a running server
        hand = [timed(lambda sql=sql: con.sql(sql).fetchall())[0] for _ in range(15)]
        ours = [
            timed(lambda r=request, p=period, a=as_of: cold_compute(engine, r, p, a))[0]
            for _ in range(15)
        ]
        rows = con.sql(sql).fetchall()
        cells = engine.compute(request, period, as_of).cells
        metric = request.metrics[0]
        values = {k[0]: v[metric] for k, v in cells.items()}
        for row in rows:
            key = row[0]
            if request.grain:  # month label vs bucket date
                key = next(k for k in values if k is not None and k.strftime("%Y-%m") == row[0])
            assert abs(float(values[key]) - float(row[1])) < 1e-6 * max(1.0, abs(row[1])), name
        ratio = statistics.median(ours) / statistics.median(hand)
        print(
            f"{name:36s} engine {statistics.median(ours) * 1000:7.1f} ms   hand SQL "
            f"{statistics.median(hand) * 1000:7.1f} ms   ratio {ratio:4.2f}"
        )


def cold_compute(engine: KpiEngine, request: KpiRequest, period: Any, as_of: datetime) -> Any:
    engine._computed.clear()
    return engine.compute(request, period, as_of, engine._prepared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--leads", type=int, default=0)
    args = parser.parse_args()
    with open_store(args.store) as store:
        if args.leads and not store.scalar("SELECT count(*) FROM leads"):
            seconds, report = timed(lambda: load_demo(store, args.leads, 42))
            print(f"generated and imported the demo company: {report.status}, {seconds:.1f} s")
        print(
            f"store: {store.dialect}, {store.scalar('SELECT count(*) FROM leads'):,} leads, "
            f"{store.scalar('SELECT count(*) FROM lead_events'):,} events"
        )
        bench_cockpit(store)
        if store.dialect == "duckdb":
            bench_vs_hand_sql(store)


if __name__ == "__main__":
    main()
