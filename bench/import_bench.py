"""Import throughput: canonical leads.csv into a fresh DuckDB file and a fresh PostgreSQL database.

    python bench/import_bench.py [--rows 2000000] [--repeat 3] [--postgres postgresql://...]

Prints rows/s for the whole import (read, validate, write in one transaction) into a new store of
each kind, each run on its own fresh store; the median and the range of --repeat runs. The files
are written and flushed to disk (sync) before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import duckdb
import psycopg

from leadboard.sources.importer import ImportOptions, import_files
from leadboard.store import open_store


def write_files(folder: Path, rows: int) -> list[Path]:
    """A campaigns.csv with 150 campaigns and a leads.csv with `rows` leads referencing them."""
    con = duckdb.connect()
    campaigns, leads = folder / "campaigns.csv", folder / "leads.csv"
    con.execute(f"""COPY (SELECT 'C' || i AS campaign_id, 'Campaign ' || i AS name,
                        'Webinar' AS channel, DATE '2025-01-01' AS start_date,
                        DATE '2026-12-31' AS end_date FROM range(150) t(i))
                  TO '{campaigns}' (HEADER)""")
    con.execute(f"""COPY (SELECT 'L' || lpad(CAST(i AS VARCHAR), 9, '0') AS lead_id,
                        strftime(TIMESTAMP '2025-01-01' + INTERVAL (i % 31536000) SECOND,
                                 '%Y-%m-%dT%H:%M:%SZ') AS created_at,
                        CASE WHEN i % 7 = 0 THEN NULL ELSE 'C' || (i % 150) END AS campaign_id,
                        NULL AS account_id, CASE WHEN i % 7 = 0 THEN 'Website' END AS source,
                        'Topic ' || (i % 10) AS topic, 'Unit ' || (i % 5) AS unit,
                        ['DE','AT','CH','FR','GB','US','CA','SG'][1 + i % 8] AS country,
                        'Team ' || (i % 12) AS team, 'rep' || (i % 300) AS owner
                      FROM range({rows}) t(i)) TO '{leads}' (HEADER)""")
    con.close()
    return [campaigns, leads]


def measure(url: str, paths: list[Path], rows: int) -> float:
    with open_store(url) as store:
        start = time.perf_counter()
        report = import_files(store, paths, ImportOptions())
        seconds = time.perf_counter() - start
        assert report.status == "committed", report.errors[:3]
        assert store.scalar("SELECT count(*) FROM leads") == rows
    return seconds


def report(name: str, rows: int, seconds: list[float]) -> None:
    median = statistics.median(seconds)
    print(
        f"{name:11s} {median:6.2f} s  {rows / median:12,.0f} lead rows/s (median of "
        f"{len(seconds)}; {rows / max(seconds):,.0f} to {rows / min(seconds):,.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_files(folder, args.rows)
        os.sync()
        size = paths[1].stat().st_size / 1e6
        print(f"leads.csv: {args.rows:,} rows, {size:,.0f} MB")
        runs = []
        for i in range(args.repeat):
            runs.append(measure(str(folder / f"bench{i}.duckdb"), paths, args.rows))
            for leftover in folder.glob(f"bench{i}.duckdb*"):
                leftover.unlink()
            os.sync()
        report("DuckDB:", args.rows, runs)
        if not args.skip_postgres:
            runs = []
            for _ in range(args.repeat):
                name = f"leadboard_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(args.postgres, autocommit=True) as con:
                    con.execute(f"CREATE DATABASE {name}")
                try:
                    url = args.postgres.rsplit("/", 1)[0] + "/" + name
                    runs.append(measure(url, paths, args.rows))
                finally:
                    with psycopg.connect(args.postgres, autocommit=True) as con:
                        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            report("PostgreSQL:", args.rows, runs)


if __name__ == "__main__":
    main()
