"""How imports behave: upserts, idempotence, skip-invalid, workbooks, history, atomicity."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadboard.sources import files
from leadboard.sources.importer import ImportOptions, import_files
from leadboard.store import Store, open_store
from leadboard.store.ingest import import_history
from tests.canonical import dataset, write_csv, write_dataset

TABLES = (
    "regions",
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


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every entity table, in a stable order."""
    return {t: sorted(store.fetchall(f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def test_importing_the_same_files_twice_leaves_the_store_identical(
    store: Store, tmp_path: Path
) -> None:
    paths = write_dataset(tmp_path, dataset())
    assert import_files(store, paths, ImportOptions()).status == "committed"
    before = snapshot(store)
    again = import_files(store, paths, ImportOptions())
    assert again.status == "committed"
    assert snapshot(store) == before
    assert again.counts["leads"].written == 3
    assert int(store.scalar("SELECT value FROM leadboard_meta WHERE key = 'data_version'")) == 2


def test_a_newer_export_updates_the_records(store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    data = dataset()
    import_files(store, write_dataset(first, data), ImportOptions())
    data["opportunities"][1].update(
        status="won", stage="Closed Won", closed_at="2026-03-10T00:00:00Z", amount="55000"
    )
    data["leads"][2]["owner"] = "rep.clara"
    paths = [
        write_csv(second, "opportunities", data["opportunities"]),
        write_csv(second, "leads", data["leads"]),
    ]
    assert import_files(store, paths, ImportOptions()).status == "committed"
    assert store.fetchall(
        "SELECT status, amount, stage FROM opportunities WHERE opportunity_id = 'O2'"
    ) == [("won", 55000, "Closed Won")]
    assert store.fetchall("SELECT owner FROM leads WHERE lead_id = 'L3'") == [("rep.clara",)]
    assert store.scalar("SELECT count(*) FROM opportunities") == 2


def test_skip_invalid_writes_the_valid_rows_and_the_rejects_with_reasons(
    store: Store, tmp_path: Path
) -> None:
    data = dataset()
    data["leads"][0]["created_at"] = "soon"  # L1 invalid: its events and opportunity follow it
    rejects = tmp_path / "rejects.csv"
    report = import_files(
        store, write_dataset(tmp_path, data), ImportOptions(skip_invalid=True, rejects_path=rejects)
    )
    assert report.status == "committed"
    assert store.fetchall("SELECT lead_id FROM leads ORDER BY lead_id") == [("L2",), ("L3",)]
    assert store.scalar("SELECT count(*) FROM lead_events") == 2
    assert store.fetchall("SELECT opportunity_id FROM opportunities") == [("O2",)]
    with rejects.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["entity"], r["row"]) for r in rows] == [
        ("leads", "2"),
        ("lead_events", "2"),
        ("lead_events", "3"),
        ("lead_events", "4"),
        ("opportunities", "2"),
    ]
    assert rows[0]["reasons"] == (
        "created_at: cannot read 'soon' as a timestamp like 2026-03-01T09:30:00Z"
    )
    assert json.loads(rows[0]["record"])["lead_id"] == "L1"
    assert "lead_id 'L1' refers to a lead" in rows[4]["reasons"]
    assert {k: (v.read, v.written, v.rejected) for k, v in report.counts.items()}["leads"] == (
        3,
        2,
        1,
    )


def test_costs_with_the_same_campaign_date_category_are_summed(
    store: Store, tmp_path: Path
) -> None:
    data = dataset()
    data["campaign_costs"].append(dict(data["campaign_costs"][0], amount="300.50"))
    import_files(store, write_dataset(tmp_path, data), ImportOptions())
    assert store.fetchall("SELECT campaign_id, amount FROM campaign_costs ORDER BY 1") == [
        ("C1", 1500.5),
        ("C2", 5000),
    ]


def test_an_xlsx_workbook_with_one_sheet_per_entity(store: Store, tmp_path: Path) -> None:
    data = dataset()
    book = Workbook()
    book.remove(book.active)
    for name in ("campaigns", "accounts", "leads"):
        sheet = book.create_sheet(name)
        cols = sorted(set().union(*data[name]))
        sheet.append(cols)
        for row in data[name]:
            sheet.append([_excel_value(c, row.get(c)) for c in cols])
    book["leads"].append([])  # an empty row is skipped
    book["leads"].append(["A1", "Acme"])  # and the next one keeps its Excel row number (6)
    path = tmp_path / "export.xlsx"
    book.save(path)
    report = import_files(store, [path], ImportOptions())
    assert [(i.file, i.row) for i in report.errors][:1] == [("export.xlsx#leads", 6)]
    book["leads"].delete_rows(6)
    book.save(path)
    report = import_files(store, [path], ImportOptions())
    assert report.status == "committed", [str(i) for i in report.issues]
    assert store.scalar("SELECT count(*) FROM leads") == 3
    assert store.fetchall(
        "SELECT CAST(start_date AS VARCHAR), budget_planned, target_leads "
        "FROM campaigns ORDER BY campaign_id"
    ) == [("2026-01-01", 10000, 100), ("2026-02-01", 20000.5, None)]


def _excel_value(column: str, value: str | None) -> object:
    """Cells as Excel types them: dates as dates, amounts as numbers."""
    if value is None:
        return None
    if column.endswith("_date"):
        return date.fromisoformat(value)
    if column in (
        "budget_planned",
        "target_leads",
        "target_opportunities",
        "target_opportunity_volume",
    ):
        return float(value)
    return value


def test_xlsx_errors_name_the_sheet_and_row(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "accounts"
    sheet.append(["account_id", "name"])
    sheet.append(["A1", "Acme"])
    sheet.append(["A2", None])
    path = tmp_path / "accounts.xlsx"
    book.save(path)
    report = import_files(store, [path], ImportOptions())
    assert [(i.file, i.row, i.column, i.message) for i in report.errors] == [
        ("accounts.xlsx#accounts", 3, "name", "missing required value for name")
    ]


def test_the_history_keeps_every_import(store: Store, tmp_path: Path) -> None:
    data = dataset()
    import_files(store, write_dataset(tmp_path, data), ImportOptions(user="anna"))
    data["leads"][0]["created_at"] = "x"
    bad = tmp_path / "bad"
    bad.mkdir()
    import_files(store, [write_csv(bad, "leads", data["leads"])], ImportOptions(user="bernd"))
    runs = import_history(store)
    assert [
        (
            r["run_id"],
            r["user_name"],
            r["status"],
            r["mode"],
            r["rows_read"],
            r["rows_written"],
            r["error_count"],
        )
        for r in runs
    ] == [(2, "bernd", "failed", "strict", 3, 0, 1), (1, "anna", "committed", "strict", 19, 19, 0)]
    assert runs[0]["sources"] == ["leads.csv"]
    assert runs[0]["detail"]["first_errors"] == [
        "error: leads.csv, row 2, column created_at: cannot read 'x' as a timestamp like "
        "2026-03-01T09:30:00Z"
    ]


def test_killing_the_import_before_commit_changes_nothing(store_url: str, tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    with open_store(store_url) as st:
        import_files(st, write_dataset(first, dataset()), ImportOptions())
        before = snapshot(st)
    data = dataset()
    data["leads"].append({"lead_id": "L9", "created_at": "2026-03-01T00:00:00Z"})
    data["opportunities"][1]["amount"] = "1"
    second = tmp_path / "second"
    second.mkdir()
    paths = write_dataset(second, data)
    signal_file = tmp_path / "holding"
    env = dict(os.environ, LEADBOARD_TEST_HOLD_COMMIT=str(signal_file))
    log = tmp_path / "import.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "leadboard.cli",
                "import",
                *map(str, paths),
                "--store",
                store_url,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while not signal_file.exists():
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the import never reached its commit"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    with open_store(store_url) as st:
        assert snapshot(st) == before
        assert st.scalar("SELECT count(*) FROM leads WHERE lead_id = 'L9'") == 0


def test_line_breaks_inside_quoted_values_survive_a_large_file(
    store: Store, tmp_path: Path
) -> None:
    """The parallel CSV parser splits at line ends; quoted line breaks need the careful one."""
    data = dataset()
    others = write_dataset(tmp_path, {k: v for k, v in data.items() if k != "lead_events"})
    events = [{"lead_id": "L2", "event": "handed_over", "occurred_at": "2026-02-03T10:00:00Z"}]
    # ~40 MB of rows, so the file spans several 16 MB parser blocks.
    padding = "x" * 200
    start = datetime(2026, 2, 5, 10, tzinfo=UTC)
    for i in range(200_000):
        events.append(
            {
                "lead_id": "L2",
                "event": "rejected",
                "occurred_at": (start + timedelta(seconds=i)).isoformat(),
                "reason": f"No budget\n{padding} {i}",
            }
        )
    path = write_csv(tmp_path, "lead_events", events)
    report = import_files(store, [*others, path], ImportOptions())
    assert report.status == "committed", report.issues[:3]
    rows = store.fetchall(
        "SELECT reason FROM lead_events WHERE event = 'rejected' ORDER BY occurred_at LIMIT 1"
    )
    assert rows[0][0].startswith("No budget\n")
    assert store.scalar("SELECT count(*) FROM lead_events") == len(events)


def test_both_csv_readers_give_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    """Quoted commas, doubled quotes, a line break inside quotes, CRLF line ends, a BOM,
    non-ASCII text, padding and empty quoted values: read alike by Arrow and by DuckDB."""
    text = (
        "\ufefflead_id,created_at,campaign_id,account_id,source,topic,unit,country,team,owner\r\n"
        'L1,2026-01-05T10:00:00Z,,," Messe, Halle 3 ","Cloud ""Plus""",Cloud,DE,DE-North,Jörg\r\n'
        'L2,2026-01-06T10:00:00+01:00,,,"Web\r\nform",Security,  Security ,AT,AT-Vienna,""\r\n'
        "L3,2026-01-07,,,,,,US,US-East,Zoë Ñ\r\n"
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "leads.csv").write_bytes(text.encode("utf-8"))
    tables = {}
    for name, threshold in (("arrow", 1 << 40), ("duckdb", 0)):
        monkeypatch.setattr(files, "NATIVE_MIN_BYTES", threshold)
        with open_store(str(tmp_path / f"{name}.duckdb")) as store:
            report = import_files(store, [folder / "leads.csv"], ImportOptions())
            assert report.status == "committed", [str(i) for i in report.issues]
            tables[name] = store.fetchall("SELECT * FROM leads ORDER BY lead_id")
    assert tables["arrow"] == tables["duckdb"]
    rows = {r[0]: r for r in tables["duckdb"]}
    assert rows["L1"][4:6] == ("Messe, Halle 3", 'Cloud "Plus"')
    assert rows["L2"][1] == datetime(2026, 1, 6, 9, 0)
    assert rows["L2"][4] == "Web\r\nform" and rows["L2"][6] == "Security"
    assert rows["L2"][9] is None and rows["L3"][9] == "Zoë Ñ"


def test_a_store_file_name_with_spaces_and_dashes_imports(tmp_path: Path) -> None:
    """The validation database is attached beside the store and detached again by name."""
    with open_store(str(tmp_path / "my store-2026.duckdb")) as store:
        for _ in range(2):
            report = import_files(store, write_dataset(tmp_path, dataset()), ImportOptions())
            assert report.status == "committed", [str(i) for i in report.issues]
        assert store.scalar("SELECT count(*) FROM leads") == 3
        databases = {r[0] for r in store.fetchall("SELECT database_name FROM duckdb_databases()")}
        assert not any(d.startswith("lb_validate_") for d in databases)


def test_blanks_around_quotes_read_the_same_with_either_reader(
    store: Store, tmp_path: Path, reader: str
) -> None:
    """DuckDB drops blanks between a delimiter and a quote, Arrow keeps them: such files go
    to Arrow whatever their size, so a file's values never depend on which reader ran."""
    path = tmp_path / "accounts.csv"
    path.write_text('account_id,name,industry\na1, "Acme" ,x\na2,Beta,y\n', encoding="utf-8")
    report = import_files(store, [path], ImportOptions())
    assert report.status == "committed", [str(i) for i in report.issues]
    names = store.fetchall("SELECT account_id, name FROM accounts ORDER BY 1")
    assert names == [("a1", '"Acme"'), ("a2", "Beta")]


def test_skip_invalid_survives_a_file_only_duckdb_could_read(
    store: Store, tmp_path: Path, reader: str
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text('account_id,name,industry\na1, "Ac,me" ,x\na2,,y\n', encoding="utf-8")
    for options in (ImportOptions(), ImportOptions(skip_invalid=True)):
        report = import_files(store, [path], options)
        assert report.status == "failed"
        assert [i.message[:34] for i in report.errors] == ["cannot read the file as UTF-8 CSV:"]
        assert "Expected 3 columns, got 4" in report.errors[0].message
    assert store.scalar("SELECT count(*) FROM accounts") == 0


def test_a_file_name_that_looks_like_a_pattern_reads_only_that_file(
    store: Store, tmp_path: Path, reader: str
) -> None:
    (tmp_path / "accounts1.csv").write_text(
        "account_id,name,industry\nother1,Other,x\nother2,Other,y\n", encoding="utf-8"
    )
    path = tmp_path / "accounts[12].csv"
    path.write_text("account_id,name,industry\nreal1,Real,x\n", encoding="utf-8")
    report = import_files(store, [path], ImportOptions())
    assert report.status == "committed"
    assert store.fetchall("SELECT account_id FROM accounts") == [("real1",)]


def test_a_file_with_only_its_header_imports_nothing(
    store: Store, tmp_path: Path, reader: str
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("account_id,name,industry\n", encoding="utf-8")
    report = import_files(store, [path], ImportOptions())
    assert (report.status, report.errors) == ("committed", [])
    assert store.scalar("SELECT count(*) FROM accounts") == 0
