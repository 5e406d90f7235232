"""Alerts: planted problems raise exactly their alerts with the right figures, a clean company none.

The company is small and hand-made: June 2026, evaluated at 2026-06-16 12:00 UTC (15.5 of the
month's 30 days elapsed). Every alert is checked against figures worked out by hand below.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from leadboard.alerts.service import alerts, digest_text, notify, refresh
from leadboard.api.app import create_app
from leadboard.cli import app as cli
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import Scope
from leadboard.settings import Settings
from leadboard.sources.importer import ImportOptions, import_files
from leadboard.store import Store
from tests.canonical import write_dataset
from tests.serving import free_port

AS_OF = datetime(2026, 6, 16, 12, 0, tzinfo=UTC)
ELAPSED = 15.5 / 30  # share of June 2026 gone at AS_OF
Rows = list[dict[str, Any]]


def _campaign(cid: str, channel: str, budget: str = "") -> dict[str, Any]:
    return {
        "campaign_id": cid,
        "name": cid,
        "channel": channel,
        "unit": "U1",
        "start_date": "2026-05-01",
        "end_date": "2026-07-31",
        "budget_planned": budget,
    }


def _lead(
    lid: str, created: str, campaign: str = "", unit: str = "U1", **kw: str
) -> dict[str, Any]:
    return {
        "lead_id": lid,
        "created_at": created,
        "campaign_id": campaign,
        "source": "" if campaign else "Website",
        "unit": unit,
        "country": "DE",
        "team": kw.get("team", "T-OK"),
    }


def _worked(lid: str, day: str, accepted: bool = True, reason: str = "") -> Rows:
    """Handed over at 10:00 and answered at 12:00 the same day."""
    return [
        {"lead_id": lid, "event": "handed_over", "occurred_at": f"{day}T10:00:00Z"},
        {
            "lead_id": lid,
            "event": "accepted" if accepted else "rejected",
            "occurred_at": f"{day}T12:00:00Z",
            "team": "T-OK",
            "reason": reason,
        },
    ]


def company(planted: bool) -> dict[str, Rows]:
    """The company with its six planted problems, or the same company without them."""
    leads: Rows = []
    events: Rows = []
    # C-GOOD: 10 leads, worked the same day; their 10 opportunities are June's only ones
    for i in range(10):
        leads.append(_lead(f"G{i}", "2026-06-10T08:00:00Z", "C-GOOD"))
        events += _worked(f"G{i}", "2026-06-10")
    # C-POOR: 25 responses; planted: 10 accepted (40 %), 15 rejected. Clean: 22 accepted.
    accepted = 10 if planted else 22
    for i in range(25):
        leads.append(_lead(f"P{i}", "2026-06-01T08:00:00Z", "C-POOR"))
        ok = i >= 25 - accepted
        reason = "" if ok else ("No budget" if i < 10 else "Wrong contact")
        events += _worked(f"P{i}", "2026-06-01", accepted=ok, reason=reason)
    # Team T-LATE: 3 leads handed over five days ago, never answered (planted); one fresh.
    for i in range(3):
        leads.append(_lead(f"L{i}", "2026-06-11T08:00:00Z", "C-GOOD", team="T-LATE"))
        events.append(
            {"lead_id": f"L{i}", "event": "handed_over", "occurred_at": f"2026-06-11T09:{i}0:00Z"}
        )
        if not planted:
            events.append(
                {"lead_id": f"L{i}", "event": "accepted", "occurred_at": "2026-06-11T15:00:00Z"}
            )
    leads.append(_lead("L9", "2026-06-16T00:00:00Z", "C-GOOD", team="T-LATE"))
    events.append({"lead_id": "L9", "event": "handed_over", "occurred_at": "2026-06-16T01:00:00Z"})
    # C-IDLE: 6 leads 27 days old, never handed over (planted) or handed over (clean)
    for i in range(6):
        leads.append(_lead(f"I{i}", "2026-05-20T08:00:00Z", "C-IDLE"))
        if not planted:
            events += _worked(f"I{i}", "2026-05-21")
    # Unit U2: 20 leads without a campaign this month, all worked
    for i in range(20):
        leads.append(_lead(f"U{i}", "2026-06-05T08:00:00Z", unit="U2"))
        events += _worked(f"U{i}", "2026-06-05")
    return {
        "campaigns": [
            _campaign("C-GOOD", "Webinar"),
            _campaign("C-POOR", "Event"),
            _campaign("C-OVER", "Paid", budget="1000"),
            _campaign("C-IDLE", "Email"),
        ],
        "campaign_costs": [
            {"campaign_id": "C-OVER", "date": "2026-06-01", "amount": "1500" if planted else "500"}
        ],
        "leads": leads,
        "lead_events": events,
        "opportunities": [
            {
                "opportunity_id": f"O{i}",
                "created_at": "2026-06-12T10:00:00Z",
                "lead_id": f"G{i}",
                "amount": "1000",
                "status": "open",
            }
            for i in range(10)
        ],
        "targets": [
            # 10 opportunities so far against 40 × 15.5/30 due: pace 0.48 (clean: target 20)
            {"period": "2026-06", "metric": "opportunities", "value": "40" if planted else "20"},
            # unit U2: 20 leads against 10 × 15.5/30 due: pace 3.9 (clean: target 35, pace 1.1)
            {
                "period": "2026-06",
                "metric": "leads",
                "value": "10" if planted else "35",
                "unit": "U2",
            },
        ],
    }


def _load(store: Store, folder: Path, planted: bool) -> KpiEngine:
    folder.mkdir(exist_ok=True)
    report = import_files(store, write_dataset(folder, company(planted)), ImportOptions())
    assert report.status == "committed", report.errors[:5]
    return KpiEngine(store, clock=lambda: AS_OF)


def test_planted_problems_raise_exactly_their_alerts(store: Store, tmp_path: Path) -> None:
    engine = _load(store, tmp_path, planted=True)
    found = {
        (a["rule"], json.dumps(a["scope"], sort_keys=True)): a
        for a in alerts(engine, Scope.everything())
    }
    assert sorted(found) == [
        ("handover_overdue", '{"team": "T-LATE"}'),
        ("lead_quality", '{"campaign": "C-POOR"}'),
        ("overspend", '{"campaign": "C-OVER"}'),
        ("target_pace", '{"unit": "U2"}'),
        ("target_pace", "{}"),
        ("unprocessed_leads", '{"campaign": "C-IDLE"}'),
    ]
    overdue = found[("handover_overdue", '{"team": "T-LATE"}')]
    assert (overdue["severity"], overdue["kpi"], overdue["actual"]) == (
        "medium",
        "overdue_handover",
        3,
    )
    assert overdue["records"]["ids"] == ["L0", "L1", "L2"]  # oldest handover first
    assert "escalate" in overdue["recommendation"]["en"]
    assert "eskalieren" in overdue["recommendation"]["de"]

    quality = found[("lead_quality", '{"campaign": "C-POOR"}')]
    assert quality["actual"] == pytest.approx(0.4)
    assert quality["reference"] == 0.6 and quality["gap"] == pytest.approx(-0.2)
    assert quality["detail"] == {
        "responses": 25,
        "top_reasons": {"No budget": 10, "Wrong contact": 5},
    }
    assert "No budget (10)" in quality["recommendation"]["en"]

    spend = found[("overspend", '{"campaign": "C-OVER"}')]
    assert (spend["severity"], spend["actual"], spend["gap"]) == ("high", 1.5, 0.5)
    assert spend["detail"] == {"cost": 1500.0, "budget": 1000.0}

    under = found[("target_pace", "{}")]
    assert under["kpi"] == "opportunities" and under["severity"] == "high"
    assert under["detail"]["direction"] == "under"
    assert under["detail"]["pace"] == pytest.approx(10 / (40 * ELAPSED))
    assert under["actual"] == 10 and under["reference"] == pytest.approx(40 * ELAPSED)

    over = found[("target_pace", '{"unit": "U2"}')]
    assert (over["kpi"], over["severity"], over["detail"]["direction"]) == ("leads", "info", "over")
    assert over["detail"]["pace"] == pytest.approx(20 / (10 * ELAPSED))
    assert "raise the target" in over["recommendation"]["en"]

    idle = found[("unprocessed_leads", '{"campaign": "C-IDLE"}')]
    assert idle["actual"] == 6 and idle["records"]["ids"] == [f"I{i}" for i in range(6)]
    assert idle["records"]["total"] == 6


def test_a_clean_company_has_no_alerts(store: Store, tmp_path: Path) -> None:
    engine = _load(store, tmp_path, planted=False)
    assert alerts(engine, Scope.everything()) == []


def test_an_alerts_records_request_lists_its_records(store: Store, tmp_path: Path) -> None:
    engine = _load(store, tmp_path, planted=True)
    client = TestClient(create_app(store, Settings()))
    client.app.state.engine = engine  # type: ignore[attr-defined]
    body = client.get("/api/v1/alerts").json()
    overdue = next(a for a in body if a["rule"] == "handover_overdue")
    page = client.get("/api/v1/records", params=overdue["records"]["request"]).json()
    assert [r["lead_id"] for r in page["rows"]] == ["L0", "L1", "L2"]
    quality = next(a for a in body if a["rule"] == "lead_quality")
    page = client.get("/api/v1/records", params=quality["records"]["request"]).json()
    assert page["total"] == 15  # the rejected leads of C-POOR
    assert client.get("/api/v1/alerts", params={"status": "maybe"}).status_code == 422


def test_alerts_respect_the_scope(store: Store, tmp_path: Path) -> None:
    engine = _load(store, tmp_path, planted=True)
    seen = alerts(engine, Scope.of(team=["T-OK"]))
    # T-LATE's overdue leads, the spend (costs have no team) and targets wider than the scope
    # are out of sight; C-POOR's and C-IDLE's leads belong to T-OK
    assert sorted((a["rule"], a["scope"]["campaign"]) for a in seen) == [
        ("lead_quality", "C-POOR"),
        ("unprocessed_leads", "C-IDLE"),
    ]


def test_alerts_are_resolved_not_deleted(store: Store, tmp_path: Path) -> None:
    engine = _load(store, tmp_path / "a", planted=True)
    first = refresh(engine, AS_OF)
    assert len(first.new) == 6 and first.resolved == 0
    again = refresh(engine, AS_OF.replace(hour=13))
    assert again.new == [] and again.open == 6

    # sales answers T-LATE's leads: that alert resolves, the others stay with their first_seen
    fix = tmp_path / "fix"
    fix.mkdir()
    answers = [
        {"lead_id": f"L{i}", "event": "accepted", "occurred_at": "2026-06-16T12:30:00Z"}
        for i in range(3)
    ]
    assert (
        import_files(store, write_dataset(fix, {"lead_events": answers}), ImportOptions()).status
        == "committed"
    )
    later = datetime(2026, 6, 16, 14, 0, tzinfo=UTC)
    engine = KpiEngine(store, clock=lambda: later)
    result = refresh(engine, later)
    assert result.new == [] and result.resolved == 1
    everything = {
        a["rule"] + str(a["scope"]): a for a in alerts(engine, Scope.everything(), status="all")
    }
    gone = everything["handover_overdue{'team': 'T-LATE'}"]
    assert (gone["status"], gone["resolved_at"]) == ("resolved", "2026-06-16T14:00:00Z")
    kept = everything["overspend{'campaign': 'C-OVER'}"]
    assert (kept["status"], kept["first_seen"], kept["last_seen"]) == (
        "open",
        "2026-06-16T12:00:00Z",
        "2026-06-16T14:00:00Z",
    )
    assert len(alerts(engine, Scope.everything())) == 5  # open ones only


def test_cli_alerts_as_json(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(store, tmp_path, planted=True)
    url = store.url.raw
    result = CliRunner().invoke(
        cli, ["alerts", "--store", url, "--as-of", "2026-06-16T12:00:00Z", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert sorted(a["rule"] for a in body) == [
        "handover_overdue",
        "lead_quality",
        "overspend",
        "target_pace",
        "target_pace",
        "unprocessed_leads",
    ]
    assert {
        "rule",
        "severity",
        "scope",
        "kpi",
        "actual",
        "reference",
        "gap",
        "records",
        "recommendation",
        "first_seen",
        "last_seen",
        "status",
    } <= set(body[0])
    bad = CliRunner().invoke(cli, ["alerts", "--store", url, "--as-of", "soon"])
    assert bad.exit_code != 0 and "--as-of: cannot read 'soon'" in bad.output


# -- notifications ------------------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[Any]]]:
    received: list[Any] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()
    server.server_close()


def test_new_alerts_are_sent_by_email_and_webhook(
    store: Store, tmp_path: Path, smtp: tuple[int, _Inbox], receiver: tuple[str, list[Any]]
) -> None:
    engine = _load(store, tmp_path, planted=True)
    new = refresh(engine, AS_OF).new
    settings = Settings(
        smtp_host="127.0.0.1",
        smtp_port=smtp[0],
        alert_email_to="vp@example.com, lead@example.com",
        alert_webhook_url=receiver[0],
    )
    assert notify(settings, new) == ["email", "webhook"]
    (mail,) = smtp[1].messages
    assert sorted(mail.rcpt_tos) == ["lead@example.com", "vp@example.com"]
    text = mail.content.decode()
    assert "6 new alert(s) in Leadboard" in text and "6 neue Warnung(en)" in text
    assert "Team T-LATE has 3 lead(s) waiting for a response past their SLA 48 h" in text
    (posted,) = receiver[1]
    assert sorted(a["rule"] for a in posted["new_alerts"]) == sorted(a["rule"] for a in new)
    assert digest_text(new).count("[") == 6


def test_a_dead_notification_channel_does_not_stop_the_other(
    store: Store, tmp_path: Path, receiver: tuple[str, list[Any]]
) -> None:
    engine = _load(store, tmp_path, planted=True)
    new = refresh(engine, AS_OF).new
    settings = Settings(
        smtp_host="127.0.0.1",
        smtp_port=free_port(),  # nobody listens
        alert_email_to="vp@example.com",
        alert_webhook_url=receiver[0],
    )
    assert notify(settings, new) == ["webhook"]
    assert len(receiver[1]) == 1


def test_only_the_chosen_rules_are_sent(
    store: Store, tmp_path: Path, receiver: tuple[str, list[Any]]
) -> None:
    engine = _load(store, tmp_path, planted=True)
    new = refresh(engine, AS_OF).new
    settings = Settings(alert_webhook_url=receiver[0], alert_notify_rules="overspend, lead_quality")
    assert notify(settings, new) == ["webhook"]
    (posted,) = receiver[1]
    assert sorted(a["rule"] for a in posted["new_alerts"]) == ["lead_quality", "overspend"]
    assert (
        notify(Settings(alert_webhook_url=receiver[0], alert_notify_rules="best_practice"), new)
        == []
    )
    assert len(receiver[1]) == 1
