"""The JSON API in-process: whole bodies asserted."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from leadboard import __version__
from leadboard.api.app import create_app
from leadboard.settings import Settings
from leadboard.store import Store
from tests.canonical import dataset, write_csv, write_dataset


def _client(store: Store) -> TestClient:
    return TestClient(create_app(store, Settings(database_url=store.url.raw)))


def test_health_and_status(store: Store) -> None:
    client = _client(store)
    assert client.get("/api/v1/health").json() == {"status": "ok", "version": __version__}
    body = client.get("/api/v1/status").json()
    assert body == {
        "store": store.url.display,
        "dialect": store.dialect,
        "schema_version": 4,
        "data_version": 0,
        "rows": {
            "regions": 138,
            "campaigns": 0,
            "campaign_costs": 0,
            "accounts": 0,
            "leads": 0,
            "lead_events": 0,
            "opportunities": 0,
            "targets": 0,
            "fx_rates": 0,
        },
    }


def test_upload_imports_and_is_recorded(store: Store, tmp_path: Path) -> None:
    client = _client(store)
    paths = write_dataset(tmp_path, dataset())
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = client.post("/api/v1/imports", files=files, data={"user": "anna"})
    assert response.status_code == 200
    body = response.json()
    body.pop("seconds")
    assert body == {
        "status": "committed",
        "run_id": 1,
        "data_version": 1,
        "sources": [p.name for p in paths],
        "counts": {
            n: {"read": r, "written": r, "rejected": 0}
            for n, r in (
                ("campaigns", 2),
                ("campaign_costs", 2),
                ("accounts", 1),
                ("leads", 3),
                ("lead_events", 5),
                ("opportunities", 2),
                ("targets", 2),
                ("fx_rates", 2),
            )
        },
        "error_count": 0,
        "warning_count": 0,
        "rejects_file": None,
        "rejects_csv": None,
        "issues": [],
    }
    history = client.get("/api/v1/imports").json()
    assert [(h["run_id"], h["user_name"], h["status"], h["rows_written"]) for h in history] == [
        (1, "anna", "committed", 19)
    ]


def test_a_bad_upload_is_refused_with_every_issue(store: Store, tmp_path: Path) -> None:
    rows = dataset()["accounts"] + [{"account_id": "A2", "name": ""}]
    path = write_csv(tmp_path, "accounts", rows)
    response = _client(store).post(
        "/api/v1/imports", files=[("files", (path.name, path.read_bytes()))]
    )
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "failed"
    assert body["issues"] == [
        {
            "file": "accounts.csv",
            "row": 3,
            "column": "name",
            "message": "missing required value for name",
            "level": "error",
            "code": "",
        }
    ]
    assert store.scalar("SELECT count(*) FROM accounts") == 0


def test_an_unknown_profile_is_a_422(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "accounts", dataset()["accounts"])
    response = _client(store).post(
        "/api/v1/imports",
        data={"profile": "salesforce"},
        files=[("files", (path.name, path.read_bytes()))],
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "unknown profile 'salesforce': built-in ones are maven, "
        "olist, or give the path of a .toml file"
    }
