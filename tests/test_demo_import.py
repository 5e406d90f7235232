"""The demo company goes through the real import path into both stores; `demo` works end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.sources.demo import generate_company
from leadboard.sources.demo_import import load_demo
from leadboard.store import Store
from tests.test_import_behaviour import TABLES, snapshot

AS_OF = datetime(2026, 10, 1, tzinfo=UTC)


def test_the_demo_company_loads_without_a_single_reject(store: Store) -> None:
    generated = generate_company(4_000, 11, AS_OF)
    report = load_demo(store, 4_000, 11, as_of=AS_OF)
    assert report.status == "committed", report.issues[:3]
    assert report.issues == []
    expected = {name: table.num_rows for name, table in generated.items()}
    # entries of the same campaign, date and category are summed into one
    costs = generated["campaign_costs"]
    expected["campaign_costs"] = (
        costs.group_by(["campaign_id", "date", "category"]).aggregate([]).num_rows
    )
    expected["regions"] = 138  # the shipped country table; the demo's eight agree with it
    assert {name: store.scalar(f"SELECT count(*) FROM {name}") for name in expected} == expected
    assert store.scalar("SELECT count(DISTINCT team) FROM leads") == 12
    assert store.scalar("SELECT count(DISTINCT channel) FROM campaigns") == 8


def test_loading_the_same_demo_twice_changes_nothing(store: Store) -> None:
    load_demo(store, 2_000, 5, as_of=AS_OF)
    before = snapshot(store)
    assert load_demo(store, 2_000, 5, as_of=AS_OF).status == "committed"
    assert snapshot(store) == before
    assert set(before) == set(TABLES)


def test_demo_command_without_serving(tmp_path: Path) -> None:
    store = tmp_path / "demo.duckdb"
    result = CliRunner().invoke(
        app, ["demo", "--leads", "3000", "--seed", "3", "--no-serve", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "Imported in" in result.output
    status = CliRunner().invoke(app, ["status", "--store", str(store)])
    rows = json.loads(status.output)["rows"]
    assert rows["leads"] == 3000
    assert rows["campaigns"] == 150
