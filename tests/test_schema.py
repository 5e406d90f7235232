"""The store's schema: created on first use, versioned, upgraded in place without losing data."""

from __future__ import annotations

import pytest

from leadboard.store import Store, StoreError, StoreUrl, open_store
from leadboard.store.schema import SCHEMA_VERSION, current_version, migrate


def _columns(store: Store, table: str) -> list[tuple[str, str]]:
    return store.fetchall(
        "SELECT column_name, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    )


def test_a_new_store_has_the_current_schema(store: Store) -> None:
    assert SCHEMA_VERSION == 4
    assert current_version(store) == 4
    assert [c for c, _ in _columns(store, "leads")] == [
        "lead_id",
        "created_at",
        "campaign_id",
        "account_id",
        "source",
        "topic",
        "unit",
        "country",
        "team",
        "owner",
    ]
    assert dict(_columns(store, "opportunities"))["amount"] == "NO"
    assert store.fetchall(
        "SELECT region FROM regions WHERE country IN ('DE', 'US', 'SG') ORDER BY country"
    ) == [("EMEA",), ("APAC",), ("AMER",)]


def test_constraints_protect_the_data(store: Store) -> None:
    store.execute("INSERT INTO leads (lead_id, created_at) VALUES ('L1', '2026-01-01')")
    for bad in (
        "INSERT INTO leads (lead_id, created_at) VALUES ('L1', '2026-01-02')",
        "INSERT INTO leads (lead_id) VALUES ('L2')",
        "INSERT INTO lead_events (lead_id, event, occurred_at) "
        "VALUES ('L1', 'called', '2026-01-01')",
        "INSERT INTO opportunities (opportunity_id, created_at, amount, status) "
        "VALUES ('O1', '2026-01-01', -1, 'open')",
    ):
        with pytest.raises(Exception):  # noqa: B017 - each driver raises its own type
            store.execute(bad)
    assert store.scalar("SELECT count(*) FROM leads") == 1


def test_a_version_1_store_is_upgraded_in_place(store_url: str) -> None:
    store = open_store(store_url, upgrade=False)
    assert migrate(store, target=1) == 1
    store.execute(
        "INSERT INTO leads (lead_id, created_at, country) "
        "VALUES ('L1', '2026-01-01 10:00:00', 'DE')"
    )
    assert (
        store.scalar(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name = 'import_runs' AND table_schema = current_schema()"
        )
        == 0
    )
    store.close()

    upgraded = open_store(store_url)
    assert current_version(upgraded) == 4
    assert upgraded.scalar("SELECT count(*) FROM alerts") == 0
    assert upgraded.fetchall("SELECT lead_id, country FROM leads") == [("L1", "DE")]
    assert upgraded.scalar("SELECT count(*) FROM import_runs") == 0
    assert upgraded.scalar("SELECT value FROM leadboard_meta WHERE key = 'data_version'") == "0"
    upgraded.close()


def test_a_store_from_a_newer_leadboard_is_refused(store: Store) -> None:
    store.execute("UPDATE leadboard_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99, newer than this Leadboard"):
        migrate(store)


def test_a_locked_duckdb_store_says_so(tmp_path: object) -> None:
    import subprocess
    import sys
    import time
    from pathlib import Path

    path = Path(str(tmp_path)) / "busy.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
            "print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="is in use by another process"):
            open_store(str(path))
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout:
            holder.stdout.close()
    time.sleep(0.1)
    assert StoreUrl(str(path)).dialect == "duckdb"
