"""The dashboard in a real browser (headless Debian Chromium driven by Playwright).

A demo company is served by a real `leadboard serve` process; the pages must load cleanly, show
the API's numbers, follow the filters in the URL, switch language, and update live after an
import. Screenshots of every page are written to artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from leadboard.web.app import PAGES as DASHBOARD_PAGES
from leadboard.web.pages.cockpit import TILES as COCKPIT_TILES
from tests.serving import start_server

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
PAGES = list(DASHBOARD_PAGES)
TILES = COCKPIT_TILES
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    if os.environ.get("LEADBOARD_REQUIRE_BROWSER") == "1":
        raise RuntimeError("LEADBOARD_REQUIRE_BROWSER=1 but no chromium binary is installed")
    pytest.skip(
        "Debian chromium is not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )


@dataclass
class Server:
    url: str
    store: Path
    process: subprocess.Popen[bytes]

    def api(self, path: str, params: list[tuple[str, str]]) -> Any:
        return httpx.get(self.url + path, params=params, timeout=60).json()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadboard.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = tmp_path_factory.mktemp("web") / "demo.duckdb"
    made = _cli("demo", "--leads", "6000", "--seed", "5", "--no-serve", "--store", str(store))
    assert made.returncode == 0, made.stderr
    process, url = start_server(store)
    yield Server(url, store, process)
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class Watched:
    page: Any
    problems: list[str]


def _open(browser: Any, url: str, locale: str = "en-GB") -> Watched:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale=locale)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    # leaving a page aborts what it still loads: that is not a failed request
    page.on(
        "requestfailed",
        lambda r: (
            problems.append(f"{r.failure} {r.url}")
            if "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    page.goto(url)
    page.wait_for_selector(
        "#page .card, #page .tile, #page .empty, #page .error, #page .alert-summary", timeout=60_000
    )
    return Watched(page, problems)


def _tile_values(page: Any) -> dict[str, str]:
    page.wait_for_selector(".tile[data-metric]", timeout=60_000)
    return {m: page.get_attribute(f".tile[data-metric='{m}']", "data-value") for m in TILES}


def _api_tiles(server: Server, filters: list[str]) -> dict[str, Any]:
    params = [("metric", ",".join(TILES)), ("compare", "true")]
    params += [("filter", f) for f in filters]
    return server.api("/api/v1/kpi", params)["rows"][0]  # type: ignore[no-any-return]


def _same(shown: dict[str, str], api: dict[str, Any]) -> None:
    for metric in TILES:
        value = api[metric]
        if value is None:
            assert shown[metric] == "", metric
        else:
            assert float(shown[metric]) == pytest.approx(value, rel=1e-9), metric


def test_every_page_loads_cleanly_and_is_saved_as_a_screenshot(
    server: Server, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in PAGES:
        watched = _open(browser, server.url + path)
        watched.page.wait_for_timeout(800)  # charts finish drawing
        name = path.strip("/")
        assert watched.page.title() == f"Leadboard · {name[0].upper()}{name[1:]}"
        # the house stylesheet is applied (dark blue header), not the browser's defaults
        header = watched.page.eval_on_selector(".top", "e => getComputedStyle(e).backgroundColor")
        assert header == "rgb(31, 78, 121)", path
        assert watched.page.locator(".nav a.active").get_attribute("href").startswith(path)
        watched.page.screenshot(path=str(SHOTS / f"{path.strip('/')}.png"), full_page=True)
        assert watched.problems == [], path
        watched.page.close()
    assert httpx.get(server.url + "/", follow_redirects=False).headers["location"] == "/cockpit"


def test_cockpit_shows_the_apis_numbers(server: Server, browser: Any) -> None:
    watched = _open(browser, server.url + "/cockpit")
    _same(_tile_values(watched.page), _api_tiles(server, []))
    watched.page.close()


def test_a_filter_changes_the_url_and_the_numbers_and_back_works(
    server: Server, browser: Any
) -> None:
    watched = _open(browser, server.url + "/cockpit")
    page = watched.page
    before = _tile_values(page)
    page.click("#f-country")
    page.keyboard.type("DE")
    # pick the option itself: Enter could take the first option before the list is filtered
    page.get_by_role("option", name="DE", exact=True).click()
    page.wait_for_url("**country=DE**", timeout=20_000)
    page.wait_for_function(
        "v => document.querySelector(\".tile[data-metric='leads']\").dataset.value !== v",
        arg=before["leads"],
        timeout=20_000,
    )
    _same(_tile_values(page), _api_tiles(server, ["country=DE"]))
    page.go_back()
    page.wait_for_function(
        "v => document.querySelector(\".tile[data-metric='leads']\").dataset.value === v",
        arg=before["leads"],
        timeout=20_000,
    )
    assert "country=DE" not in page.url
    # the link reproduces the view
    linked = _open(browser, server.url + "/regions?country=DE")
    linked.page.wait_for_selector("#v13-countries .ag-center-cols-container .ag-row")
    assert linked.page.locator("#v13-countries .ag-center-cols-container .ag-row").count() == 1
    assert watched.problems == [] and linked.problems == []


def test_the_language_switch_changes_labels_and_number_formats(
    server: Server, browser: Any
) -> None:
    watched = _open(browser, server.url + "/cockpit")
    page = watched.page
    api = _api_tiles(server, [])
    leads = api["leads"]
    english = page.inner_text(".tile[data-metric='leads'] .tile-value")
    assert english == f"{leads:,}"
    page.click(".lang")
    page.wait_for_url("**lang=de**", timeout=20_000)
    page.wait_for_selector("text=Kampagnen", timeout=20_000)
    german = page.inner_text(".tile[data-metric='leads'] .tile-value")
    assert german == f"{leads:,}".replace(",", ".")
    label = page.inner_text(".tile[data-metric='acceptance_rate'] .tile-label")
    assert label == "Annahmequote"
    volume = page.inner_text(".tile[data-metric='opportunity_volume'] .tile-value")
    assert volume.endswith(" €") and "," not in volume.split()[0][-4:]
    assert watched.problems == []


def test_the_cockpit_updates_within_five_seconds_of_an_import(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    watched = _open(browser, server.url + "/cockpit")
    page = watched.page
    before = int(_tile_values(page)["leads"])
    path = tmp_path / "leads.csv"
    now = datetime.now(UTC).replace(microsecond=0)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["lead_id", "created_at", "country", "team"])
        for i in range(3):
            writer.writerow([f"LIVE{i}", now.isoformat(), "DE", "DE-North"])
    done = _cli("import", str(path), "--store", str(server.store))
    assert done.returncode == 0, done.stderr
    assert "server" in done.stderr + done.stdout  # it went through the running server
    started = time.monotonic()
    page.wait_for_function(
        "v => document.querySelector(\".tile[data-metric='leads']\").dataset.value === v",
        arg=str(before + 3),
        timeout=8_000,
    )
    assert time.monotonic() - started < 6
    assert page.inner_text("#updated").startswith("updated ")
    assert json.loads(json.dumps(watched.problems)) == []


def test_a_number_opens_its_records_and_a_value_drills_down(server: Server, browser: Any) -> None:
    watched = _open(browser, server.url + "/cockpit")
    page = watched.page
    shown = _tile_values(page)["leads"]
    page.click(".tile[data-metric='leads']")
    page.wait_for_selector("#drill-total", timeout=20_000)
    assert page.get_attribute("#drill-total", "data-total") == shown
    csv_url = server.url + page.get_attribute("#drill-csv", "href")
    lines = httpx.get(csv_url, timeout=60).text.splitlines()
    assert lines[0].startswith("lead_id,created_at") and len(lines) == int(shown) + 1
    # drilldown: a country in the country table becomes a filter; its teams' numbers open
    page.goto(server.url + "/regions")
    page.wait_for_selector("#v13-countries .ag-row")
    country = page.inner_text(
        "#v13-countries .ag-pinned-left-cols-container .ag-row[row-index='0'] .ag-cell"
    )
    page.click("#v13-countries .ag-pinned-left-cols-container .ag-row[row-index='0'] .ag-cell")
    page.wait_for_url(f"**country={country}**", timeout=20_000)
    page.wait_for_selector(f"#crumbs >> text=Country: {country}", timeout=20_000)
    row = "#v13-teams .ag-center-cols-container .ag-row[row-index='0']"
    page.wait_for_function(
        "c => [...document.querySelectorAll('#v13-teams .ag-pinned-left-cols-container "
        ".ag-row .ag-cell:first-child')].every(e => e.innerText === c)",
        arg=country,
        timeout=20_000,
    )
    page.wait_for_function(
        "r => (document.querySelector(r + \" .ag-cell[col-id='leads']\") || {}).innerText",
        arg=row,
        timeout=20_000,
    )
    leads = page.inner_text(f"{row} .ag-cell[col-id='leads']").replace(",", "")
    page.click(f"{row} .ag-cell[col-id='leads']")
    page.wait_for_selector("#drill-total", timeout=20_000)
    assert page.get_attribute("#drill-total", "data-total") == leads
    assert watched.problems == []


def test_the_data_page_imports_uploads_and_lists_every_problem(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "leads.csv"
    bad.write_text(
        "lead_id,created_at,country\nUP1,not a date,DE\n,2026-01-01,DE\n", encoding="utf-8"
    )
    watched = _open(browser, server.url + "/data")
    page = watched.page
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_selector("#upload-status", timeout=30_000)
    assert page.inner_text("#upload-status") == "Nothing was imported: 2 error(s)."
    problems = page.inner_text("#upload-issues")
    assert "cannot read 'not a date' as a timestamp" in problems
    assert "missing required value for lead_id" in problems
    good = tmp_path / "ok" / "leads.csv"
    good.parent.mkdir()
    good.write_text("lead_id,created_at,country\nUP1,2026-01-01T10:00:00Z,DE\n", encoding="utf-8")
    page.set_input_files("#upload input[type=file]", str(good))
    page.wait_for_selector("text=Imported: 1 rows written", timeout=30_000)
    assert watched.problems == []


def test_a_custom_period_and_a_bad_one(server: Server, browser: Any) -> None:
    watched = _open(browser, server.url + "/cockpit")
    page = watched.page
    page.fill("#f-custom", "2026-01-01..2026-02-01")
    page.press("#f-custom", "Enter")
    page.wait_for_url("**period=2026-01-01..2026-02-01**", timeout=20_000)
    api = server.api("/api/v1/kpi", [("metric", "leads"), ("period", "2026-01-01..2026-02-01")])
    page.wait_for_function(
        "v => document.querySelector(\".tile[data-metric='leads']\").dataset.value === v",
        arg=str(api["rows"][0]["leads"]),
        timeout=20_000,
    )
    bad = _open(browser, server.url + "/cockpit?period=2026-13")
    bad.page.wait_for_selector("#page .error", timeout=20_000)
    assert "cannot read the period '2026-13'" in bad.page.inner_text("#page .error")
    assert watched.problems == [] and bad.problems == []


def test_the_alerts_page_and_the_cockpit_show_the_apis_alerts(server: Server, browser: Any) -> None:
    expected = server.api("/api/v1/alerts", [])
    assert expected, "the demo company has alerts (overdue handovers at least)"
    watched = _open(browser, server.url + "/alerts")
    page = watched.page
    page.wait_for_selector("article.alert", timeout=60_000)
    assert page.locator("article.alert").count() == len(expected)
    first = page.locator("article.alert").first
    assert first.get_attribute("data-key") == expected[0]["key"]
    assert expected[0]["recommendation"]["en"] in first.inner_text()
    high = sum(1 for a in expected if a["severity"] == "high")
    assert page.inner_text(".badge[data-severity='high']") == f"{high} high"
    # a team filter narrows the alerts to that team's scope
    team = next(a["scope"]["team"] for a in expected if a["rule"] == "handover_overdue")
    scoped = server.api("/api/v1/alerts", [])  # unchanged by the page's visit
    assert scoped == expected
    narrowed = _open(browser, server.url + f"/alerts?team={team}")
    narrowed.page.wait_for_selector("article.alert", timeout=60_000)
    rules = narrowed.page.eval_on_selector_all(
        "article.alert", "els => els.map(e => e.dataset.rule)"
    )
    assert "handover_overdue" in rules and "overspend" not in rules
    cockpit = _open(browser, server.url + "/cockpit?lang=de")
    cockpit.page.wait_for_selector(".top-alert", timeout=60_000)
    assert cockpit.page.locator(".top-alert").count() == min(5, len(expected))
    assert expected[0]["recommendation"]["de"] in cockpit.page.inner_text(".top-alerts")
    assert watched.problems == [] and narrowed.problems == [] and cockpit.problems == []


def _kpis(server: Server, *metrics: str) -> dict[str, Any]:
    return dict(server.api("/api/v1/kpi", [("metric", ",".join(metrics))])["rows"][0])


def _overdue_alerts(server: Server) -> dict[str | None, float]:
    found = server.api("/api/v1/alerts", [])
    return {a["scope"]["team"]: a["actual"] for a in found if a["rule"] == "handover_overdue"}


def test_sales_accepts_and_rejects_leads_on_the_handover_page(server: Server, browser: Any) -> None:
    before = _kpis(server, "accepted", "rejected", "pending_handover", "overdue_handover")
    alerts_before = _overdue_alerts(server)
    watched = _open(browser, server.url + "/handover")
    page = watched.page
    page.wait_for_selector("#pending-grid .ag-row", timeout=60_000)
    page.fill("#respond-actor", "Ann Sales")

    def pick_oldest() -> tuple[str, str, str]:
        row = "#pending-grid .ag-center-cols-container .ag-row[row-index='0']"
        page.wait_for_function(
            "sel => (document.querySelector(sel)?.innerText || '').length > 0",
            arg=f"{row} [col-id='lead_id']",
            timeout=30_000,
        )
        lead = page.inner_text(f"{row} [col-id='lead_id']")
        team = page.inner_text(f"{row} [col-id='team']")
        state = page.inner_text(f"{row} [col-id='sla_state']")
        page.click(f"{row} [col-id='lead_id']")
        return lead, team, state

    lead, team, state = pick_oldest()
    assert state == "overdue"  # the oldest pending lead of the demo waits longer than 48 h
    page.click("#respond-accept")
    page.wait_for_selector("#responded", timeout=30_000)
    assert page.inner_text("#responded") == f"Saved: {lead} · Accepted"
    after = _kpis(server, "accepted", "rejected", "pending_handover", "overdue_handover")
    assert after["accepted"] == before["accepted"] + 1
    assert after["pending_handover"] == before["pending_handover"] - 1
    assert after["overdue_handover"] == before["overdue_handover"] - 1
    alerts_after = _overdue_alerts(server)
    assert alerts_after.get(team, 0) == alerts_before[team] - 1
    # the page itself shows the lead gone from the pending list within 5 seconds
    page.wait_for_function(
        "lead => ![...document.querySelectorAll('#pending-grid [col-id=lead_id]')]"
        ".some(e => e.innerText === lead)",
        arg=lead,
        timeout=15_000,
    )

    rejected_lead, _, _ = pick_oldest()
    assert rejected_lead != lead
    page.click("#respond-reject")  # no reason yet: refused, nothing written
    page.wait_for_selector("#respond-status .error", timeout=30_000)
    assert "a rejection needs one of" in page.inner_text("#respond-status")
    page.click("#respond-reason")
    page.get_by_role("option", name="Wrong contact", exact=True).click()
    page.keyboard.press("Escape")
    page.fill("#respond-note", "Left the company")
    page.click("#respond-reject")
    page.wait_for_selector("#responded", timeout=30_000)
    final = _kpis(server, "accepted", "rejected", "pending_handover")
    assert final["rejected"] == before["rejected"] + 1
    assert final["pending_handover"] == before["pending_handover"] - 2
    reasons = server.api("/api/v1/kpi", [("metric", "rejected"), ("by", "reason")])["rows"]
    assert any(r["reason"] == "Wrong contact" for r in reasons)
    records = server.api(
        "/api/v1/records",
        [
            ("metric", "rejected"),
            ("by", "reason"),
            ("cell", "reason=Wrong contact"),
            ("limit", "10000"),
        ],
    )
    assert rejected_lead in {r["lead_id"] for r in records["rows"]}
    assert watched.problems == []


def test_the_campaign_follow_up_lists_the_finished_campaigns(server: Server, browser: Any) -> None:
    body = server.api("/api/v1/kpi", [("metric", "leads"), ("by", "campaign")])
    finished = {
        t["scope"]["campaign"]
        for t in body["targets"]
        if set(t["scope"]) == {"campaign"} and t["elapsed"] >= 1
    }
    watched = _open(browser, server.url + "/campaigns")
    page = watched.page
    page.wait_for_selector("#v5-summary", timeout=60_000)
    assert page.inner_text("#v5-summary").startswith(f"{len(finished)} finished campaigns")
    assert page.locator("#v5-best").count() == 1 and page.locator("#v5-worst").count() == 1
    assert watched.problems == []


def test_the_calendar_sets_a_period_of_whole_days(server: Server, browser: Any) -> None:
    watched = _open(browser, server.url + "/cockpit?period=2026-02-01..2026-03-01")
    page = watched.page
    page.wait_for_selector(".tile[data-metric]", timeout=60_000)
    # the calendar shows the period's first and last day (the period's end is excluded)
    assert page.input_value("#f-dates") == "2026-02-01"
    assert page.input_value("#f-dates-end-date") == "2026-02-28"
    page.fill("#f-dates-end-date", "2026-02-14")
    page.press("#f-dates-end-date", "Enter")
    page.wait_for_url("**period=2026-02-01..2026-02-15**", timeout=20_000)
    api = server.api("/api/v1/kpi", [("metric", "leads"), ("period", "2026-02-01..2026-02-15")])
    page.wait_for_function(
        "v => document.querySelector(\".tile[data-metric='leads']\").dataset.value === v",
        arg=str(api["rows"][0]["leads"]),
        timeout=20_000,
    )
    assert watched.problems == []
