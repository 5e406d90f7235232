"""Reports: every number in the XLSX and PPTX equals the KPI engine's for the same request, the
charts are native chart objects with the expected series, and scheduled reports arrive by mail."""

from __future__ import annotations

import email
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from pptx import Presentation
from typer.testing import CliRunner

from leadboard.api.app import create_app
from leadboard.cli import app as cli
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import Scope, parse_request
from leadboard.metrics.units import fmt
from leadboard.reports import render_report
from leadboard.reports.content import ReportRequest, build_report
from leadboard.reports.schedule import run_due
from leadboard.reports.texts import DIMENSION_NAMES
from leadboard.reports.views import FUNNEL, TILES, VIEWS
from leadboard.settings import ReportSubscription, Settings
from leadboard.sources.demo_import import load_demo
from leadboard.store import Store
from tests.serving import free_port

AS_OF = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NAIVE = AS_OF.replace(tzinfo=None)
PERIOD = "2026-Q3"
FILTERS = ("country=DE", "country=AT")


@pytest.fixture
def demo(store: Store) -> KpiEngine:
    assert load_demo(store, 3000, 7, as_of=AS_OF).status == "committed"
    return KpiEngine(store, clock=lambda: AS_OF)


def _query(engine: KpiEngine, metrics: list[str], by: list[str], compare: bool = False) -> Any:
    request = parse_request(Scope.everything(), metrics, by, list(FILTERS), PERIOD, NAIVE, compare)
    return engine.query(request)


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(a == pytest.approx(b, rel=1e-9, abs=1e-9))


def test_every_number_of_the_xlsx_is_the_engines(demo: KpiEngine) -> None:
    req = ReportRequest(PERIOD, FILTERS, "de", NAIVE)
    wb = openpyxl.load_workbook(io.BytesIO(render_report(demo, Scope.everything(), "xlsx", req)))
    report = build_report(demo, Scope.everything(), req)
    cover = wb["Deckblatt"]
    assert cover["B3"].value.startswith("2026-Q3")
    assert cover["B4"].value == "country=DE, country=AT"

    cockpit = wb["Cockpit-KPIs"]
    tiles = _query(demo, list(TILES), [], compare=True).rows[0]
    for r, metric in enumerate(TILES, start=2):
        assert _close(cockpit.cell(r, 2).value, tiles[metric]), metric
        assert _close(cockpit.cell(r, 3).value, tiles[f"{metric}_previous"]), metric
        assert _close(cockpit.cell(r, 4).value, tiles[f"{metric}_delta"]), metric
        assert isinstance(cockpit.cell(r, 2).value, int | float)  # numbers, not text
    assert len(cockpit._charts) == 1

    checked = 0
    for view in VIEWS:
        ws = wb[view.sheet["de"]]
        assert len(ws._charts) == 1, view.key
        chart = ws._charts[0]
        table = _query(demo, list(view.metrics), list(view.by))
        if not view.by:
            row = table.rows[0]
            for r, metric in enumerate(view.metrics, start=2):
                assert _close(ws.cell(r, 2).value, row[metric])
                checked += 1
            continue
        assert len(chart.series) == len(view.series or view.metrics[:1]), view.key
        header = [c.value for c in ws[1]]
        assert header[: len(view.by)] == [DIMENSION_NAMES[d]["de"] for d in view.by]
        expected = {
            tuple(str(r[d]) if r[d] is not None else "(–)" for d in view.by): r for r in table.rows
        }
        assert ws.max_row - 1 == len(expected), view.key
        for values in ws.iter_rows(min_row=2, values_only=True):
            row = expected[tuple(values[: len(view.by)])]
            for i, metric in enumerate(view.metrics):
                assert _close(values[len(view.by) + i], row[metric]), (view.key, metric)
                checked += 1
    assert checked > 200
    # the records behind the main numbers: every lead of the request
    leads = wb["Datensätze leads"]
    assert leads.max_row - 1 == tiles["leads"]
    definitions = wb["KPI-Definitionen"]
    assert definitions.max_row - 1 == len(report.definitions) == 30


def test_campaigns_carry_their_own_targets(demo: KpiEngine) -> None:
    # no country filter: a campaign's targets name no country, a filtered view hides them
    req = ReportRequest(PERIOD, (), "de", NAIVE)
    wb = openpyxl.load_workbook(io.BytesIO(render_report(demo, Scope.everything(), "xlsx", req)))
    ws = wb["Kampagnen vs Ziele"]
    header = [c.value for c in ws[1]]
    table = demo.query(
        parse_request(Scope.everything(), list(VIEWS[2].metrics), ["campaign"], [], PERIOD, NAIVE)
    )
    targets = {
        (t.scope["campaign"], t.metric): t for t in table.targets if set(t.scope) == {"campaign"}
    }
    assert targets, "the demo campaigns have targets"
    column = header.index("Leads: Ziel")
    assert header[column + 1] == "Leads: Zielerreichung"
    seen = 0
    for values in ws.iter_rows(min_row=2, values_only=True):
        t = targets.get((values[0], "leads"))
        assert _close(values[column], None if t is None else t.target)
        assert _close(values[column + 1], None if t is None else t.achievement)
        seen += t is not None
    assert seen == sum(1 for c, m in targets if m == "leads")
    rules = [r for rng in ws.conditional_formatting for r in rng.rules]
    assert len(rules) >= 3  # green, amber, red on each achievement column


def test_every_number_of_the_deck_is_the_engines(demo: KpiEngine) -> None:
    req = ReportRequest(PERIOD, FILTERS, "en", NAIVE)
    deck = Presentation(io.BytesIO(render_report(demo, Scope.everything(), "pptx", req)))
    assert deck.slide_width * 9 == deck.slide_height * 16  # 16:9
    slides = list(deck.slides)
    assert len(slides) == 8
    charts = {i: [s.chart for s in slide.shapes if s.has_chart] for i, slide in enumerate(slides)}

    # cockpit table: value and target per KPI, formatted as the dashboard formats them
    tiles = _query(demo, list(TILES), [], compare=True)
    table = next(s.table for s in slides[1].shapes if s.has_table)
    for r, metric in enumerate(TILES, start=1):
        unit = demo.registry[metric].unit
        assert table.cell(r, 2).text == fmt(tiles.rows[0][metric], unit, "en", "EUR")

    funnel = _query(demo, FUNNEL, []).rows[0]
    (chart,) = charts[3]
    assert list(chart.plots[0].series[0].values) == [funnel[m] for m in reversed(FUNNEL)]

    budget = _query(demo, ["budget_planned", "cost"], ["month"]).rows
    (chart,) = charts[5]
    planned, cost = chart.plots[0].series
    assert list(chart.plots[0].categories) == [r["month"] for r in budget]
    assert list(planned.values) == pytest.approx([r["budget_planned"] for r in budget])
    assert list(cost.values) == pytest.approx([r["cost"] for r in budget])

    teams = [r for r in _query(demo, ["acceptance_delay_median_h"], ["team"]).rows if r["team"]]
    (chart,) = charts[6]
    assert list(chart.plots[0].categories) == [r["team"] for r in teams]
    assert list(chart.plots[0].series[0].values) == pytest.approx(
        [r["acceptance_delay_median_h"] or 0 for r in teams]
    )
    assert all(len(c) >= 1 for i, c in charts.items() if i in (3, 5, 6))


def test_reports_through_the_api_and_the_cli(demo: KpiEngine, tmp_path: Path) -> None:
    client = TestClient(create_app(demo.store, Settings()))
    client.app.state.engine = demo  # type: ignore[attr-defined]
    params = {"period": PERIOD, "filter": list(FILTERS), "lang": "en", "as_of": AS_OF.isoformat()}
    xlsx = client.get("/api/v1/reports/xlsx", params=params)
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="leadboard-2026-Q3.xlsx"' in xlsx.headers["content-disposition"]
    one_page = client.get("/api/v1/reports/xlsx", params={**params, "page": "handover"})
    names = openpyxl.load_workbook(io.BytesIO(one_page.content)).sheetnames
    # only the handover page's views (the global target is wider than the country filter)
    assert names == [
        "Cover",
        "Cockpit KPIs",
        "Handover by team",
        "Rejection reasons",
        "KPI definitions",
    ]
    assert client.get("/api/v1/reports/docx").status_code == 422
    assert client.get("/api/v1/reports/xlsx", params={"page": "nowhere"}).status_code == 422
    out = tmp_path / "deck.pptx"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--format",
            "pptx",
            "--period",
            PERIOD,
            "--filter",
            "country=DE",
            "--lang",
            "de",
            "--as-of",
            AS_OF.isoformat(),
            "--out",
            str(out),
            "--store",
            demo.store.url.raw,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and len(Presentation(str(out)).slides) == 8


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def test_scheduled_reports_arrive_with_the_file_attached(demo: KpiEngine) -> None:
    inbox, port = _Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            report_subscriptions=[
                ReportSubscription(
                    name="vp-weekly",
                    to=["vp@example.com"],
                    format="xlsx",
                    period=PERIOD,
                    filters=list(FILTERS),
                    schedule="0 7 * * 1",  # Mondays 07:00 UTC
                )
            ],
        )
        friday = datetime(2026, 11, 20, 12, 0)
        assert run_due(demo, settings, friday) == []  # first seen: nothing sent
        assert run_due(demo, settings, datetime(2026, 11, 22, 23, 0)) == []  # Sunday
        (sent,) = run_due(demo, settings, datetime(2026, 11, 23, 7, 1))  # Monday
        assert sent.to == ["vp@example.com"] and sent.file == "leadboard-2026-Q3.xlsx"
        assert run_due(demo, settings, datetime(2026, 11, 23, 9, 0)) == []  # sent already
        (mail,) = inbox.messages
        message = email.message_from_bytes(mail.content)
        (attachment,) = [p for p in message.walk() if p.get_filename()]
        wb = openpyxl.load_workbook(io.BytesIO(attachment.get_payload(decode=True)))
        leads = _query(demo, ["leads"], []).rows[0]["leads"]
        assert wb["Cockpit KPIs"]["B2"].value == leads
        assert len(run_due(demo, settings, datetime(2026, 11, 23, 9, 0), force=True)) == 1
    finally:
        controller.stop()
