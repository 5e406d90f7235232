"""Writing validated data: upserts by key, lookups for validation, the import history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pyarrow as pa

from leadboard.model.entities import Entity
from leadboard.store.connection import Store

_STAGE = "lb_stage"
_KEYS = "lb_keys"


class StagedRows(Protocol):
    """Rows already in the store's DuckDB instance: `relation` selects `columns`."""

    @property
    def relation(self) -> str: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def num_rows(self) -> int: ...


def upsert(store: Store, entity: Entity, data: pa.Table | StagedRows) -> int:
    """Insert new rows and replace existing ones with the same key; call inside a transaction."""
    if data.num_rows == 0:
        return 0
    if isinstance(data, pa.Table):
        cols = list(data.column_names)
        store.stage(_STAGE, data, like=entity.name)
        source = _STAGE
    else:
        cols, source = list(data.columns), data.relation
    key = entity.table_key
    col_list = ", ".join(cols)
    insert = f"INSERT INTO {entity.name} ({col_list}) SELECT {col_list} FROM {source}"
    if store.dialect != "duckdb" or store.fetchall(f"SELECT 1 FROM {entity.name} LIMIT 1"):
        # Keys are unique within an import (validated), so only stored rows can conflict; into
        # an empty table a plain insert skips the conflict check (about a third of the time).
        # DuckDB only: there one connection writes, one transaction at a time, while on
        # PostgreSQL another import may be inserting the same keys right now.
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in key)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        insert += f" ON CONFLICT ({', '.join(key)}) {action}"
    store.execute(insert)
    if source == _STAGE:
        store.unstage(_STAGE)
    return int(data.num_rows)


def lookup(store: Store, keys: pa.Table, select_sql: str) -> pa.Table:
    """Run `select_sql`, which may read the temp table `lb_keys` holding `keys`."""
    store.create_temp_from_arrow(_KEYS, keys)
    try:
        return store.fetch_arrow(select_sql)
    finally:
        store.drop_temp(_KEYS)


def data_version(store: Store) -> int:
    value = store.scalar("SELECT value FROM leadboard_meta WHERE key = 'data_version'")
    return int(value or 0)


def bump_data_version(store: Store) -> int:
    version = data_version(store) + 1
    store.execute("UPDATE leadboard_meta SET value = ? WHERE key = 'data_version'", [str(version)])
    return version


@dataclass(frozen=True)
class ImportRun:
    """One import as the history keeps it."""

    started_at: datetime
    finished_at: datetime
    user_name: str
    sources: list[str]
    profile: str | None
    mode: str
    status: str
    rows_read: int
    rows_written: int
    rows_rejected: int
    error_count: int
    warning_count: int
    detail: dict[str, Any]


def record_run(store: Store, run: ImportRun) -> int:
    run_id = int(store.scalar("SELECT coalesce(max(run_id), 0) + 1 FROM import_runs"))
    store.execute(
        "INSERT INTO import_runs (run_id, started_at, finished_at, user_name, sources, profile, "
        "mode, status, rows_read, rows_written, rows_rejected, error_count, warning_count, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            _naive_utc(run.started_at),
            _naive_utc(run.finished_at),
            run.user_name,
            json.dumps(run.sources),
            run.profile,
            run.mode,
            run.status,
            run.rows_read,
            run.rows_written,
            run.rows_rejected,
            run.error_count,
            run.warning_count,
            json.dumps(run.detail),
        ],
    )
    return run_id


def import_history(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = store.fetch_arrow(
        "SELECT * FROM import_runs ORDER BY run_id DESC LIMIT ?", [limit]
    ).to_pylist()
    for row in rows:
        row["sources"] = json.loads(row["sources"])
        row["detail"] = json.loads(row["detail"] or "{}")
    return rows


def _naive_utc(ts: datetime) -> datetime:
    if ts.tzinfo is None:
        return ts
    return ts.astimezone(UTC).replace(tzinfo=None)
