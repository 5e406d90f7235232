"""The command line, run as a user runs it (CliRunner, and real processes for serve)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
from typer.testing import CliRunner

from leadboard.cli import app
from leadboard.store import open_store
from tests.canonical import dataset, write_csv, write_dataset
from tests.serving import start_server

runner = CliRunner()


def test_import_strict_failure_exits_1_and_writes_the_report(tmp_path: Path) -> None:
    data = dataset()
    data["accounts"][0]["name"] = ""
    paths = write_dataset(tmp_path, {"accounts": data["accounts"]})
    store = tmp_path / "s.duckdb"
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["import", *map(str, paths), "--store", str(store), "--report", str(report)]
    )
    assert result.exit_code == 1
    assert "accounts.csv, row 2, column name: missing required value for name" in result.output
    assert "Nothing was imported: 1 error(s)" in result.output
    body = json.loads(report.read_text())
    assert (body["status"], body["error_count"], body["counts"]) == (
        "failed",
        1,
        {"accounts": {"read": 1, "written": 0, "rejected": 0}},
    )


def test_import_and_status_on_a_duckdb_file(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    paths = write_dataset(tmp_path, dataset())
    result = runner.invoke(app, ["import", *map(str, paths), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "Imported in" in result.output
    status = runner.invoke(app, ["status", "--store", str(store)])
    assert json.loads(status.output)["rows"]["leads"] == 3


def test_skip_invalid_writes_a_rejects_file(tmp_path: Path) -> None:
    data = dataset()
    data["accounts"].append({"account_id": "A2"})
    path = write_csv(tmp_path, "accounts", data["accounts"])
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(
        app,
        [
            "import",
            str(path),
            "--store",
            str(tmp_path / "s.duckdb"),
            "--skip-invalid",
            "--rejects",
            str(rejects),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        rejects.read_text()
        .splitlines()[1]
        .startswith("accounts,accounts.csv,3,name: missing required value for name,")
    )


def test_bad_store_urls_are_explained(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--store", str(tmp_path / "no" / "s.duckdb")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    result = runner.invoke(app, ["status", "--store", "postgresql://nobody@127.0.0.1:1/x"])
    assert result.exit_code == 2
    assert "cannot connect to PostgreSQL" in result.output


def test_commands_go_through_a_running_server_on_the_embedded_store(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    log = (tmp_path / "serve.log").open("wb")
    server, url = start_server(store, log, env=dict(os.environ))
    try:
        advert = json.loads((tmp_path / "s.duckdb.server.json").read_text())
        assert advert == {"url": url, "pid": server.pid}
        paths = write_dataset(tmp_path, dataset())
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "leadboard.cli",
                "import",
                *map(str, paths),
                "--store",
                str(store),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "held by the running Leadboard server" in result.stderr
        assert "Imported in" in result.stdout
        rows = httpx.get(f"{url}/api/v1/status").json()["rows"]
        assert rows["leads"] == 3
        history = subprocess.run(
            [sys.executable, "-m", "leadboard.cli", "history", "--store", str(store)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert history.returncode == 0 and "committed" in history.stdout
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    assert not (tmp_path / "s.duckdb.server.json").exists()
    with open_store(str(store)) as st:  # the server released the file
        assert st.scalar("SELECT count(*) FROM leads") == 3
