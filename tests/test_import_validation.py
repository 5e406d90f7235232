"""Every validation rule, on real broken CSV files: the exact issue, and nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from leadboard.sources import files
from leadboard.sources.importer import ImportOptions, import_files
from leadboard.store import Store
from tests.canonical import dataset, write_csv, write_dataset

ALL_TABLES = (
    "campaigns",
    "campaign_costs",
    "accounts",
    "leads",
    "lead_events",
    "opportunities",
    "targets",
    "fx_rates",
)


@pytest.fixture(autouse=True, params=["arrow", "duckdb-reader"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with CSV files read by Arrow (small files) and by DuckDB's own reader
    (the fast path for large files), which must give the same rows and the same issues."""
    if request.param == "duckdb-reader":
        monkeypatch.setattr(files, "NATIVE_MIN_BYTES", 0)
    return str(request.param)


def _counts(store: Store) -> dict[str, int]:
    return {t: int(store.scalar(f"SELECT count(*) FROM {t}")) for t in ALL_TABLES}


def test_the_valid_dataset_imports_completely(store: Store, tmp_path: Path) -> None:
    report = import_files(store, write_dataset(tmp_path, dataset()), ImportOptions())
    assert report.status == "committed", [str(i) for i in report.issues]
    assert report.issues == []
    assert _counts(store) == {
        "campaigns": 2,
        "campaign_costs": 2,
        "accounts": 1,
        "leads": 3,
        "lead_events": 5,
        "opportunities": 2,
        "targets": 2,
        "fx_rates": 2,
    }
    assert (
        store.fetchall("SELECT lead_id, created_at FROM leads WHERE lead_id = 'L2'")[0][
            1
        ].isoformat()
        == "2026-02-03T07:15:00"
    )  # +01:00 stored as UTC


# (entity, row index, changes, file, spreadsheet row, column, message)
CASES: list[tuple[str, int, dict[str, Any], str, int, str, str]] = [
    ("leads", 2, {"lead_id": ""}, "leads.csv", 4, "lead_id", "missing required value for lead_id"),
    (
        "leads",
        1,
        {"created_at": "03/02/2026"},
        "leads.csv",
        3,
        "created_at",
        "cannot read '03/02/2026' as a timestamp like 2026-03-01T09:30:00Z",
    ),
    (
        "campaigns",
        0,
        {"start_date": "2026-02-30"},
        "campaigns.csv",
        2,
        "start_date",
        "cannot read '2026-02-30' as a date like 2026-03-01",
    ),
    (
        "campaigns",
        0,
        {"end_date": "2025-12-01"},
        "campaigns.csv",
        2,
        "end_date",
        "end_date 2025-12-01 is before start_date 2026-01-01",
    ),
    (
        "campaigns",
        1,
        {"budget_planned": "20.000,50"},
        "campaigns.csv",
        3,
        "budget_planned",
        "cannot read '20.000,50' as a plain decimal amount like 1234.50",
    ),
    (
        "campaigns",
        0,
        {"target_leads": "many"},
        "campaigns.csv",
        2,
        "target_leads",
        "cannot read 'many' as a whole number",
    ),
    (
        "campaign_costs",
        1,
        {"amount": "-5"},
        "campaign_costs.csv",
        3,
        "amount",
        "negative amount -5 (amounts must be ≥ 0)",
    ),
    (
        "campaign_costs",
        0,
        {"currency": "EURO"},
        "campaign_costs.csv",
        2,
        "currency",
        "unknown currency 'EURO' (expected an ISO 4217 code like EUR)",
    ),
    (
        "campaign_costs",
        0,
        {"campaign_id": "C404"},
        "campaign_costs.csv",
        2,
        "campaign_id",
        "campaign_id 'C404' refers to a campaign that is neither in this import nor in the store",
    ),
    (
        "leads",
        2,
        {"account_id": "A404"},
        "leads.csv",
        4,
        "account_id",
        "account_id 'A404' refers to a account that is neither in this import nor in the store",
    ),
    (
        "lead_events",
        0,
        {"event": "called"},
        "lead_events.csv",
        2,
        "event",
        "unknown event 'called' (allowed: qualified, handed_over, accepted, rejected, recycled, "
        "disqualified)",
    ),
    (
        "lead_events",
        0,
        {"lead_id": "L404"},
        "lead_events.csv",
        2,
        "lead_id",
        "lead_id 'L404' refers to a lead that is neither in this import nor in the store",
    ),
    (
        "lead_events",
        2,
        {"occurred_at": "2026-01-05T11:59:00Z"},
        "lead_events.csv",
        4,
        "occurred_at",
        "accepted at 2026-01-05T11:59:00Z comes before the lead's first handover at "
        "2026-01-05T12:00:00Z",
    ),
    (
        "lead_events",
        3,
        {"event": "qualified"},
        "lead_events.csv",
        6,
        "occurred_at",
        "lead 'L2' was rejected but never handed over (no handed_over event)",
    ),
    (
        "opportunities",
        0,
        {"closed_at": ""},
        "opportunities.csv",
        2,
        "closed_at",
        "closed_at is required when status is won",
    ),
    (
        "opportunities",
        0,
        {"closed_at": "2026-01-01T00:00:00Z"},
        "opportunities.csv",
        2,
        "closed_at",
        "closed_at 2026-01-01 00:00:00 is before created_at 2026-01-20 10:00:00",
    ),
    (
        "opportunities",
        1,
        {"status": "pending"},
        "opportunities.csv",
        3,
        "status",
        "unknown status 'pending' (allowed: open, won, lost)",
    ),
    (
        "opportunities",
        1,
        {"amount": ""},
        "opportunities.csv",
        3,
        "amount",
        "missing required value for amount",
    ),
    (
        "opportunities",
        1,
        {"probability": "1.5"},
        "opportunities.csv",
        3,
        "probability",
        "probability 1.5 is outside 0..1",
    ),
    (
        "opportunities",
        1,
        {"lead_id": "L404"},
        "opportunities.csv",
        3,
        "lead_id",
        "lead_id 'L404' refers to a lead that is neither in this import nor in the store",
    ),
    (
        "targets",
        0,
        {"period": "2026-13"},
        "targets.csv",
        2,
        "period",
        "cannot read '2026-13' as a period like 2026, 2026-Q3 or 2026-07",
    ),
    (
        "targets",
        0,
        {"metric": "happiness"},
        "targets.csv",
        2,
        "metric",
        "unknown metric 'happiness'",
    ),
    (
        "fx_rates",
        1,
        {"month": "2026-2"},
        "fx_rates.csv",
        3,
        "month",
        "cannot read '2026-2' as a month like 2026-07",
    ),
    (
        "fx_rates",
        1,
        {"eur_per_unit": "0"},
        "fx_rates.csv",
        3,
        "eur_per_unit",
        "eur_per_unit must be greater than 0, got 0",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[5]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule_reports_file_row_column_and_writes_nothing(
    store: Store, tmp_path: Path, case: tuple[str, int, dict[str, Any], str, int, str, str]
) -> None:
    entity, index, changes, file, row, column, message = case
    data = dataset()
    data[entity][index].update(changes)
    report = import_files(store, write_dataset(tmp_path, data), ImportOptions())
    assert report.status == "failed"
    errors = [(i.file, i.row, i.column, i.message) for i in report.errors]
    assert len(errors) == 1, errors
    assert errors[0][:3] == (file, row, column)
    assert errors[0][3].startswith(message), errors[0][3]
    assert sum(_counts(store).values()) == 0


def test_duplicate_ids_inside_one_import_name_the_first_row(store: Store, tmp_path: Path) -> None:
    data = dataset()
    data["leads"].append(dict(data["leads"][0]))
    report = import_files(store, write_dataset(tmp_path, data), ImportOptions())
    assert [(i.file, i.row, i.column, i.message) for i in report.errors] == [
        ("leads.csv", 5, "lead_id", "duplicate lead_id 'L1' (first in leads.csv row 2)")
    ]


def test_references_resolve_against_the_store(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    data = dataset()
    assert import_files(store, write_dataset(first, data), ImportOptions()).status == "committed"
    # a later import of events only: the lead and its handover are already in the store
    later = tmp_path / "later"
    later.mkdir()
    events = [
        {"lead_id": "L1", "event": "recycled", "occurred_at": "2026-02-01T00:00:00Z"},
        {"lead_id": "L1", "event": "rejected", "occurred_at": "2026-02-02T00:00:00Z"},
        {"lead_id": "L3", "event": "accepted", "occurred_at": "2026-02-05T00:00:00Z"},
    ]
    report = import_files(store, [write_csv(later, "lead_events", events)], ImportOptions())
    assert [(i.row, i.message) for i in report.errors] == [
        (4, "lead 'L3' was accepted but never handed over (no handed_over event)")
    ]


def test_header_problems_are_reported_per_file(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, "leads", [{"lead_id": "L1", "note": "x"}], header=["lead_id", "note"]
    )
    report = import_files(store, [path], ImportOptions())
    assert [(i.level.value, i.row, i.column, i.message) for i in report.issues] == [
        ("error", 1, "created_at", "required column 'created_at' is missing from the header"),
        ("warning", 1, "note", "column 'note' is not part of leads; it is ignored"),
    ]
    assert report.status == "failed"


def test_unknown_files_and_missing_files_are_errors(store: Store, tmp_path: Path) -> None:
    odd = write_csv(tmp_path, "stuff", [{"a": "1"}], header=["a"])
    report = import_files(store, [odd, tmp_path / "nothere.csv"], ImportOptions())
    assert sorted((i.file, i.message) for i in report.errors) == [
        (str(tmp_path / "nothere.csv"), "file not found"),
        (
            "stuff.csv",
            "cannot tell which entity this file holds: name it like leads.csv or give "
            "the canonical header",
        ),
    ]


def test_non_utf8_file_is_refused_with_a_message(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes("account_id,name\nA1,Müller AG\n".encode("latin-1"))
    report = import_files(store, [path], ImportOptions())
    assert report.status == "failed"
    assert report.errors[0].file == "accounts.csv"
    assert "cannot read the file as UTF-8 CSV" in report.errors[0].message


def test_a_file_is_recognised_by_its_header(store: Store, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "export_2026.csv",
        dataset()["fx_rates"],
        header=["currency", "month", "eur_per_unit"],
    )
    report = import_files(store, [path], ImportOptions())
    assert report.status == "committed"
    assert store.fetchall(
        "SELECT currency, CAST(month AS VARCHAR), eur_per_unit FROM fx_rates ORDER BY currency"
    ) == [("EUR", "2026-01-01", 1.0), ("USD", "2026-02-01", 0.92)]
