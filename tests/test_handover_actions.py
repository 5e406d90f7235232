"""Sales accepts or rejects a lead in Leadboard: one validated lead_events row, KPIs follow."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi.testclient import TestClient

from leadboard.alerts.service import alerts
from leadboard.api.app import create_app
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import KpiRequest, Scope
from leadboard.settings import Settings
from leadboard.store import Store
from tests.test_alerts import AS_OF, _load

NOW = AS_OF.replace(tzinfo=None)


def _overdue(engine: KpiEngine) -> int:
    table = engine.query(
        KpiRequest(Scope.everything(), ("overdue_handover",), period="2026-06", as_of=NOW)
    )
    return int(table.rows[0]["overdue_handover"])


def test_accept_and_reject_through_the_api(store: Store, tmp_path: Path) -> None:
    engine = _load(store, tmp_path, planted=True)
    client = TestClient(create_app(store, Settings()))
    assert _overdue(engine) == 3
    ok = client.post(
        "/api/v1/leads/L0/events",
        json={"event": "accepted", "actor": "Ann Sales", "occurred_at": "2026-06-16T11:05:00Z"},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "committed"
    no = client.post(
        "/api/v1/leads/L1/events",
        json={
            "event": "rejected",
            "actor": "Ann Sales",
            "reason": "No budget",
            "note": "Budget frozen until Q1",
            "occurred_at": "2026-06-16T11:06:00Z",
        },
    )
    assert no.status_code == 200, no.text
    rows = store.fetch_dicts(
        "SELECT lead_id, event, actor, team, reason, note FROM lead_events "
        "WHERE lead_id IN ('L0', 'L1') AND event IN ('accepted', 'rejected') ORDER BY lead_id"
    )
    assert rows == [
        {
            "lead_id": "L0",
            "event": "accepted",
            "actor": "Ann Sales",
            "team": "T-LATE",
            "reason": None,
            "note": None,
        },
        {
            "lead_id": "L1",
            "event": "rejected",
            "actor": "Ann Sales",
            "team": "T-LATE",
            "reason": "No budget",
            "note": "Budget frozen until Q1",
        },
    ]
    assert _overdue(engine) == 1
    late = [a for a in alerts(engine, Scope.everything(), AS_OF) if a["rule"] == "handover_overdue"]
    assert [(a["actual"], a["records"]["ids"]) for a in late] == [(1, ["L2"])]
    history = client.get("/api/v1/imports").json()
    assert history[0]["user_name"] == "Ann Sales" and history[0]["sources"] == [
        "handover:Ann Sales"
    ]


def test_bad_responses_are_refused_with_the_reason(store: Store, tmp_path: Path) -> None:
    _load(store, tmp_path, planted=True)
    client = TestClient(create_app(store, Settings()))

    def post(lead: str, **body: str) -> tuple[int, str]:
        response = client.post(f"/api/v1/leads/{lead}/events", json={"actor": "Bob", **body})
        return response.status_code, str(response.json()["detail"])

    code, text = post("L0", event="rejected")
    assert code == 422 and "a rejection needs one of: No budget, Wrong contact" in text
    code, text = post("L0", event="rejected", reason="Don't like it")
    assert code == 422 and "reason" in text
    code, text = post("NOPE", event="accepted")
    assert code == 422 and "no lead 'NOPE'" in text
    code, text = post("I0", event="accepted")
    assert code == 422 and "never handed over" in text
    code, text = post("G0", event="accepted")
    assert code == 422 and "already answered at 2026-06-10 12:00" in text
    code, text = post("L0", event="qualified")
    assert code == 422 and "event" in text
    code, _ = post("L0", event="accepted", occurred_at="2026-06-01T00:00:00Z")
    assert code == 422
    assert client.get("/api/v1/rejection-reasons").json()[:2] == ["No budget", "Wrong contact"]
    assert store.scalar("SELECT count(*) FROM lead_events WHERE actor = 'Bob'") == 0


def test_accepted_leads_without_an_opportunity_stall_after_30_days(
    store: Store, tmp_path: Path
) -> None:
    engine = _load(store, tmp_path, planted=True)

    def stalled(as_of: str) -> dict[str | None, int]:
        moment = datetime.fromisoformat(as_of)
        table = engine.query(
            KpiRequest(
                Scope.everything(), ("stalled_leads",), ("campaign",), (), as_of[:7], as_of=moment
            )
        )
        return {r["campaign"]: r["stalled_leads"] for r in table.rows if r["stalled_leads"]}

    # C-POOR's 10 accepted leads (1 June) and unit U2's 20 (5 June) have no opportunity;
    # C-GOOD's leads have theirs. On 16 June nobody has waited 30 days yet.
    assert stalled("2026-06-16T12:00:00") == {}
    assert stalled("2026-07-02T11:00:00") == {"C-POOR": 10}  # 31 days after 1 June 12:00
    assert stalled("2026-07-15T00:00:00") == {"C-POOR": 10, None: 20}
