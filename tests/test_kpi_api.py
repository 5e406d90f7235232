"""The KPI engine behind the API and the CLI: whole bodies, identical answers, clear 422s."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from leadboard.api.app import create_app
from leadboard.cli import app as cli
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import Scope, parse_request
from leadboard.settings import Settings
from leadboard.sources.importer import ImportOptions, import_files
from leadboard.store import Store
from tests.canonical import dataset, write_csv, write_dataset

Q1 = {
    "metric": "leads,campaign_leads,accepted,rejected,acceptance_rate,"
    "acceptance_delay_median_h,opportunities,opportunity_volume,won_volume,cost,budget_planned",
    "by": "country",
    "period": "2026-Q1",
    "as_of": "2026-04-01T00:00:00Z",
}
USD_FEB = 0.92


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    assert import_files(store, write_dataset(tmp_path, dataset()), ImportOptions()).status == (
        "committed"
    )
    return store


def _client(store: Store) -> TestClient:
    return TestClient(create_app(store, Settings(database_url=store.url.raw)))


def test_kpi_by_country_whole_body(loaded: Store) -> None:
    body = _client(loaded).get("/api/v1/kpi", params=Q1).json()
    metrics = Q1["metric"].split(",")
    assert body["request"] == {
        "metrics": metrics,
        "by": ["country"],
        "filters": {},
        "period": "2026-Q1",
        "as_of": "2026-04-01T00:00:00Z",
        "compare": False,
    }
    assert body["columns"][:3] == [
        {"name": "country", "label": "Country", "unit": "dimension"},
        {"name": "leads", "label": "Leads", "unit": "count"},
        {"name": "campaign_leads", "label": "Campaign leads", "unit": "count"},
    ]
    assert [c["name"] for c in body["columns"]] == ["country", *metrics]
    assert body["rows"] == [
        {
            "country": "DE",
            "leads": 2,
            "campaign_leads": 1,
            "accepted": 1,
            "rejected": 0,
            "acceptance_rate": 1.0,
            "acceptance_delay_median_h": 21.0,  # handed over 01-05 12:00, accepted 01-06 09:00
            "opportunities": 1,
            "opportunity_volume": 120000.0,
            "won_volume": 120000.0,
            "cost": 1200.0,
            "budget_planned": 10000.0,
        },
        {
            "country": "US",
            "leads": 1,
            "campaign_leads": 1,
            "accepted": 0,
            "rejected": 1,
            "acceptance_rate": 0.0,
            "acceptance_delay_median_h": 48.0,
            "opportunities": 1,
            "opportunity_volume": 50000 * USD_FEB,
            "won_volume": 0.0,
            "cost": 5000 * USD_FEB,
            "budget_planned": 20000.5 * USD_FEB,
        },
    ]
    assert (body["as_of"], body["data_version"], body["currency"]) == (
        "2026-04-01T00:00:00Z",
        1,
        "EUR",
    )
    assert body["period"] == {
        "label": "2026-Q1",
        "start": "2026-01-01T00:00:00",
        "end": "2026-04-01T00:00:00",
    }
    assert body["notes"] == []


def test_targets_with_achievement_and_pace(loaded: Store) -> None:
    params = {
        "metric": "leads,opportunity_volume",
        "period": "2026-Q1",
        "as_of": "2026-04-01T00:00:00Z",
    }
    body = _client(loaded).get("/api/v1/kpi", params=params).json()
    elapsed = 90 / 365
    assert body["targets"] == [
        {
            "metric": "leads",
            "period": "2026",
            "scope": {},
            "target": 1000.0,
            "actual": 3,
            "achievement": 3 / 1000,
            "actual_to_date": 3,
            "expected_to_date": 1000 * elapsed,
            "pace": 3 / (1000 * elapsed),
            "elapsed": elapsed,
        },
        {
            "metric": "opportunity_volume",
            "period": "2026-Q1",
            "scope": {"unit": "Cloud"},
            "target": 250000.0,
            "actual": 120000.0,
            "achievement": 0.48,
            "actual_to_date": 120000.0,
            "expected_to_date": 250000.0,
            "pace": 0.48,
            "elapsed": 1.0,
        },
    ]
    # A filter the global target does not carry hides it; the unit target stays.
    filtered = _client(loaded).get("/api/v1/kpi", params={**params, "filter": "unit=Cloud"})
    assert [t["period"] for t in filtered.json()["targets"]] == ["2026-Q1"]
    # Only targets of the requested metrics are evaluated.
    only_leads = _client(loaded).get("/api/v1/kpi", params={**params, "metric": "leads"})
    assert [t["metric"] for t in only_leads.json()["targets"]] == ["leads"]
    # a campaign's own targets come with requests about campaigns
    by_campaign = _client(loaded).get("/api/v1/kpi", params={**params, "by": "campaign"})
    assert [t for t in by_campaign.json()["targets"] if "campaign" in t["scope"]] == [
        {  # campaign C1's own target for its run (2026-01-01 to 2026-03-31)
            "metric": "leads",
            "period": "2026-01-01..2026-04-01",
            "scope": {"campaign": "C1"},
            "target": 100.0,
            "actual": 1,
            "achievement": 0.01,
            "actual_to_date": 1,
            "expected_to_date": 100.0,
            "pace": 0.01,
            "elapsed": 1.0,
        },
        {
            "metric": "opportunity_volume",
            "period": "2026-01-01..2026-04-01",
            "scope": {"campaign": "C1"},
            "target": 500000.0,
            "actual": 120000.0,
            "achievement": 0.24,
            "actual_to_date": 120000.0,
            "expected_to_date": 500000.0,
            "pace": 0.24,
            "elapsed": 1.0,
        },
    ]


def test_cli_and_api_return_the_same_json(loaded: Store) -> None:
    api = _client(loaded).get("/api/v1/kpi", params={**Q1, "compare": "true"}).json()
    args = ["kpi", "--metric", Q1["metric"], "--by", "country", "--period", "2026-Q1"]
    args += ["--as-of", Q1["as_of"], "--compare", "--format", "json", "--store", loaded.url.raw]
    loaded.close()  # the CLI opens the store itself, as a user's shell would
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == api


def test_compare_adds_previous_period_and_delta(loaded: Store) -> None:
    params = {
        "metric": "leads,cost",
        "period": "2026-02",
        "as_of": "2026-04-01T00:00:00Z",
        "compare": "true",
    }
    body = _client(loaded).get("/api/v1/kpi", params=params).json()
    assert body["rows"] == [
        {
            "leads": 2,
            "cost": 5000 * USD_FEB,
            "leads_previous": 1,
            "leads_delta": 1,
            "cost_previous": 1200.0,
            "cost_delta": 5000 * USD_FEB - 1200.0,
        }
    ]


def test_grain_labels_and_empty_buckets(loaded: Store) -> None:
    params = {
        "metric": "leads,opportunities",
        "by": "month",
        "period": "2026-Q1",
        "as_of": "2026-04-01T00:00:00Z",
    }
    rows = _client(loaded).get("/api/v1/kpi", params=params).json()["rows"]
    assert rows == [
        {"month": "2026-01", "leads": 1, "opportunities": 1},
        {"month": "2026-02", "leads": 2, "opportunities": 1},
        {"month": "2026-03", "leads": 0, "opportunities": 0},
    ]
    weeks = (
        _client(loaded)
        .get("/api/v1/kpi", params={**params, "metric": "leads", "by": "week", "period": "2026-02"})
        .json()["rows"]
    )
    # 2026-02-01 is a Sunday: week 5 holds one day of February
    assert weeks[:2] == [{"week": "2026-W05", "leads": 0}, {"week": "2026-W06", "leads": 2}]


def test_missing_fx_rate_is_reported_never_1(loaded: Store, tmp_path: Path) -> None:
    data = dataset()
    data["opportunities"][1]["created_at"] = "2026-03-20T10:00:00Z"  # no USD rate for March
    import_files(
        loaded, [write_csv(tmp_path, "opportunities", data["opportunities"])], ImportOptions()
    )
    body = (
        _client(loaded)
        .get(
            "/api/v1/kpi",
            params={
                "metric": "opportunity_volume",
                "period": "2026-Q1",
                "as_of": "2026-04-01T00:00:00Z",
            },
        )
        .json()
    )
    assert body["rows"] == [{"opportunity_volume": 120000.0}]
    assert body["notes"] == [
        {
            "code": "missing_fx_rate",
            "message": "1 opportunities have no FX rate to EUR for their currency and month; "
            "their amounts are left out of opportunity_volume, marketing_opportunity_volume. "
            "Import the rates (fx_rates).",
            "count": 1,
            "metrics": ["opportunity_volume", "marketing_opportunity_volume"],
        }
    ]
    quality = _client(loaded).get("/api/v1/quality").json()
    assert quality[0] == {
        "code": "missing_fx_rate",
        "level": "error",
        "entity": "opportunities",
        "message": "1 opportunities have no FX rate for their currency and creation month: "
        "left out of opportunity volumes",
        "count": 1,
        "records": ["O2"],
    }


def test_bad_parameters_are_422_naming_the_parameter(loaded: Store) -> None:
    client = _client(loaded)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"metric": "leadz"}, "metric", "unknown metric 'leadz'; allowed: leads, "),
        ({"metric": "leads", "by": "planet"}, "by", "unknown dimension 'planet'; allowed: "),
        ({"metric": "leads", "by": "month,week"}, "by", "at most one time grain"),
        ({"metric": "leads", "period": "2026-Q5"}, "period", "cannot read the period '2026-Q5'"),
        ({"metric": "leads", "filter": "country"}, "filter", "'country' is not dimension=value"),
        ({"metric": "leads", "as_of": "yesterday"}, "as_of", "cannot read 'yesterday'"),
    ]
    for params, parameter, message in cases:
        response = client.get("/api/v1/kpi", params=params)
        assert response.status_code == 422, params
        (detail,) = response.json()["detail"]
        assert detail["loc"] == ["query", parameter]
        assert detail["msg"].startswith(message), detail["msg"]
    assert client.get("/api/v1/dimensions/planet/values").status_code == 422


def test_records_behind_a_number(loaded: Store) -> None:
    client = _client(loaded)
    params = {
        "metric": "leads",
        "by": "country",
        "period": "2026-Q1",
        "cell": "country=DE",
        "as_of": "2026-04-01T00:00:00Z",
        "sort": "created_at",
        "desc": "true",
    }
    body = client.get("/api/v1/records", params=params).json()
    assert (body["total"], [r["lead_id"] for r in body["rows"]]) == (2, ["L3", "L1"])
    assert body["columns"][:3] == ["lead_id", "created_at", "campaign_id"]
    rejected = client.get(
        "/api/v1/records",
        params={**params, "metric": "rejected", "cell": "country=US", "sort": None},
    ).json()
    assert [(r["lead_id"], r["response"], r["delay_h"]) for r in rejected["rows"]] == [
        ("L2", "rejected", 48.0)
    ]
    no_campaign = client.get(
        "/api/v1/records",
        params={"metric": "leads", "by": "campaign", "cell": "campaign=", "period": "2026"},
    ).json()
    assert [r["lead_id"] for r in no_campaign["rows"]] == ["L3"]
    csv_text = client.get("/api/v1/records", params={**params, "format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("lead_id,created_at,campaign_id")
    assert len(csv_text.splitlines()) == 3
    bad = client.get("/api/v1/records", params={**params, "sort": "colour"})
    assert bad.status_code == 422


def test_registry_dimensions_and_explain(loaded: Store) -> None:
    client = _client(loaded)
    metrics = client.get("/api/v1/metrics").json()
    assert metrics[0] == {
        "name": "leads",
        "label": {"en": "Leads", "de": "Leads"},
        "description": {
            "en": "Number of leads created in the period.",
            "de": "Anzahl der im Zeitraum erzeugten Leads.",
        },
        "formula": "count(leads)",
        "anchor": "lead.created_at",
        "unit": "count",
        "higher_is_better": True,
    }
    assert "converted_leads" not in {m["name"] for m in metrics}  # a hidden building block
    assert client.get("/api/v1/dimensions/country/values").json() == ["DE", "US"]
    assert client.get("/api/v1/dimensions/channel/values").json() == ["Event", "Webinar", "Website"]
    sql = client.get("/api/v1/kpi/explain", params={"metric": "leads", "filter": "country=DE"})
    assert "-- period " in sql.text and ", fact lead\n" in sql.text
    assert "IN ('DE')" in sql.text


def test_explain_shows_the_sql_that_runs(loaded: Store) -> None:
    """Each explained statement runs as it is and gives the engine's numbers."""
    engine = KpiEngine(loaded, lambda: datetime(2026, 4, 1, tzinfo=UTC))
    request = parse_request(
        Scope.everything(), ["opportunities", "leads"], ["country"], [], "2026-Q1", compare=True
    )
    parts = engine.explain(request).split("\n\n")
    heads = [p.splitlines()[0] for p in parts]
    assert heads[:4] == [
        "-- period 2026-Q1, fact lead",
        "-- period 2026-Q1, fact opportunity",
        "-- previous period 2025-Q4, fact lead",
        "-- previous period 2025-Q4, fact opportunity",
    ]
    assert "-- targets of leads over 2026-01-01..2027-01-01, fact lead" in heads
    table = engine.query(request)
    for head, part in zip(heads[:2], parts[:2], strict=True):
        metric = "leads" if head.endswith("lead") else "opportunities"
        sql = part.split("\n", 1)[1].rstrip(";")
        assert "fx_rates" not in sql  # counting opportunities needs no amounts: not asked
        got = {r["country"]: r[metric] for r in loaded.fetch_dicts(sql)}
        want = {r["country"]: r[metric] for r in table.rows if r[metric]}
        assert got == want and sum(want.values()) > 0


def test_scope_applies_to_every_number(loaded: Store) -> None:
    clock = lambda: datetime(2026, 4, 1, tzinfo=UTC)  # noqa: E731
    engine = KpiEngine(loaded, clock)
    request = parse_request(
        Scope.of(country=["DE"]),
        ["leads", "opportunity_volume", "cost"],
        ["country"],
        [],
        "2026-Q1",
    )
    table = engine.query(request)
    assert table.rows == (
        {"country": "DE", "leads": 2, "opportunity_volume": 120000.0, "cost": 1200.0},
    )
    # asking for another country inside a DE scope gives nothing, not the other country
    other = parse_request(Scope.of(country=["DE"]), ["leads"], [], ["country=US"], "2026-Q1")
    assert engine.query(other).rows == ({"leads": 0},)
    # the global target is wider than the scope: not shown
    assert engine.query(request).targets == ()


def test_results_are_cached_until_the_data_changes(loaded: Store, tmp_path: Path) -> None:
    engine = KpiEngine(loaded, lambda: datetime(2026, 4, 1, tzinfo=UTC))
    request = parse_request(Scope.everything(), ["leads"], [], [], "2026")
    first = engine.query(request)
    assert engine.query(request) is first
    data = dataset()
    data["leads"].append({"lead_id": "L4", "created_at": "2026-03-01T00:00:00Z"})
    import_files(loaded, [write_csv(tmp_path, "leads", data["leads"])], ImportOptions())
    second = engine.query(request)
    assert (first.rows[0]["leads"], second.rows[0]["leads"]) == (3, 4)
    assert second.data_version == first.data_version + 1


def test_a_view_of_now_is_reused_for_a_minute(loaded: Store, tmp_path: Path) -> None:
    """Without as_of the clock moves on every second; the result still serves for a minute."""
    now = [datetime(2026, 4, 1, 9, 0, 0, tzinfo=UTC)]
    engine = KpiEngine(loaded, lambda: now[0])
    request = parse_request(Scope.everything(), ["leads", "pending_handover"], [], [], "2026")
    first = engine.query(request)
    now[0] += timedelta(seconds=59)
    assert engine.query(request) is first
    now[0] += timedelta(seconds=2)
    later = engine.query(request)
    assert later is not first and later.as_of == "2026-04-01T09:01:01Z"
    assert engine.query(request) is later
    data = dataset()
    data["leads"].append({"lead_id": "L4", "created_at": "2026-03-01T00:00:00Z"})
    import_files(loaded, [write_csv(tmp_path, "leads", data["leads"])], ImportOptions())
    assert engine.query(request).rows[0]["leads"] == later.rows[0]["leads"] + 1


def test_check_lists_quality_problems_with_records(loaded: Store, tmp_path: Path) -> None:
    data = dataset()
    data["leads"].append({"lead_id": "L9", "created_at": "2026-03-01T00:00:00Z", "country": "XK"})
    data["campaigns"][1]["budget_planned"] = ""
    paths = [write_csv(tmp_path, n, data[n]) for n in ("leads", "campaigns")]
    assert import_files(loaded, paths, ImportOptions()).status == "committed"
    body = _client(loaded).get("/api/v1/quality").json()
    assert [(i["code"], i["level"], i["count"], i["records"]) for i in body] == [
        ("lead_without_team", "warning", 1, ["L9"]),
        ("country_without_region", "warning", 1, ["XK"]),
        ("campaign_without_budget", "warning", 1, ["C2"]),
    ]
    loaded.close()
    result = CliRunner().invoke(cli, ["check", "--store", loaded.url.raw])
    assert result.exit_code == 0, result.output  # warnings only: no KPI is wrong
    assert "warning lead_without_team: 1 leads have no sales team" in result.output


def test_check_finds_events_and_opportunities_dated_before_their_lead(
    loaded: Store, tmp_path: Path
) -> None:
    data = dataset()
    data["leads"].append(
        {"lead_id": "L9", "created_at": "2026-03-01T00:00:00Z", "team": "DE-North", "country": "DE"}
    )
    data["lead_events"].append(
        {"lead_id": "L9", "event": "handed_over", "occurred_at": "2026-02-27T10:00:00Z"}
    )
    opp = {**data["opportunities"][0], "opportunity_id": "O9", "lead_id": "L9"}
    data["opportunities"].append({**opp, "created_at": "2026-02-28T10:00:00Z"})
    paths = [write_csv(tmp_path, n, data[n]) for n in ("leads", "lead_events", "opportunities")]
    assert import_files(loaded, paths, ImportOptions()).status == "committed"
    body = _client(loaded).get("/api/v1/quality").json()
    found = {i["code"]: (i["level"], i["count"], i["records"]) for i in body}
    assert found["event_before_lead_created"] == ("warning", 1, ["L9"])
    assert found["opportunity_before_lead_created"] == ("warning", 1, ["O9"])


def test_a_running_campaign_target_paces_by_day(loaded: Store) -> None:
    engine = KpiEngine(loaded, lambda: datetime(2026, 2, 15, 12, tzinfo=UTC))
    request = parse_request(Scope.everything(), ["leads"], ["campaign"], [], "2026-Q1")
    (target,) = [t for t in engine.query(request).targets if t.scope == {"campaign": "C1"}]
    elapsed = (45 + 0.5) / 90  # 2026-01-01 .. 2026-02-15T12:00 of a 90-day run
    assert (target.actual_to_date, target.elapsed) == (1, pytest.approx(elapsed))
    assert target.pace == pytest.approx(1 / (100 * elapsed))


def test_periods_out_of_range_and_too_many_buckets_are_422(loaded: Store) -> None:
    client = _client(loaded)
    cases = [
        ({"metric": "leads", "period": "9999"}, "period", "the period '9999' is outside"),
        ({"metric": "leads", "period": "0001", "compare": "true"}, "period", "the period '0001'"),
        ({"metric": "leads", "as_of": "0001-01-01T00:00:00+14:00"}, "as_of", "cannot read"),
        (
            {"metric": "pending_handover", "by": "day", "period": "2020-01-01..2030-01-01"},
            "by",
            "3653 day buckets in 2020-01-01..2030-01-01: at most 400",
        ),
    ]
    for params, parameter, message in cases:
        response = client.get("/api/v1/kpi", params=params)
        assert response.status_code == 422, params
        (detail,) = response.json()["detail"]
        assert (detail["loc"][-1], detail["msg"][: len(message)]) == (parameter, message)


def test_every_422_names_the_parameter_and_what_is_allowed(loaded: Store) -> None:
    """FastAPI's own checks (missing, mistyped) and the engine's say the same kind of thing."""
    client = _client(loaded)
    cases = [
        ("/api/v1/kpi", {}, ["query", "metric"], "metric: Field required; allowed: one or "),
        ("/api/v1/kpi", {"metric": "leads", "compare": "maybe"}, ["query", "compare"], None),
        ("/api/v1/kpi", {"metric": "leads", "format": "xml"}, ["query", "format"], None),
        ("/api/v1/records", {"metric": "leads", "limit": "0"}, ["query", "limit"], None),
        ("/api/v1/dimensions/planet/values", {}, ["path", "dim"], "unknown dimension 'planet'"),
        (
            "/api/v1/kpi",
            {"metric": "leads", "period": "2000..2026"},
            ["query", "period"],
            "cannot read the period '2000..2026' (",
        ),
        (
            "/api/v1/records",
            {"metric": "leads", "cell": "country=DE"},
            ["query", "cell"],
            "country is not grouped by in the request; allowed: none: add by=",
        ),
    ]
    allowed = {
        "compare": "compare: Input should be a valid boolean",
        "format": "format: String should match pattern",
        "limit": "limit: Input should be greater than or equal to 1",
    }
    for path, params, loc, start in cases:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        (detail,) = response.json()["detail"]
        assert detail["loc"] == loc
        assert detail["msg"].startswith(start or allowed[loc[-1]]), detail["msg"]
    forms = "use 2026, FY2026, 2026-Q3, 2026-07, last-30-days"
    for path, params, loc, _ in cases:
        msg = client.get(path, params=params).json()["detail"][0]["msg"]
        tail = {
            "metric": "allowed: one or more of leads, campaign_leads,",
            "compare": "; allowed: true or false",
            "format": "; allowed: json or csv",
            "limit": "; allowed: a whole number from 1 to 100000",
            "dim": "allowed: campaign, channel,",
            "period": forms,
            "cell": "allowed: none",
        }[loc[-1]]
        assert tail in msg, msg


def test_the_records_of_a_ratio_follow_its_definition(loaded: Store) -> None:
    client = _client(loaded)
    base = {"period": "2026-Q1", "as_of": "2026-04-01T00:00:00Z"}
    pipeline = client.get("/api/v1/records", params={**base, "metric": "pipeline_per_cost"})
    # the numerator's population: opportunities of campaign leads (O2 has no lead)
    assert [r["opportunity_id"] for r in pipeline.json()["rows"]] == ["O1"]
    accepted = client.get("/api/v1/records", params={**base, "metric": "acceptance_rate"})
    # the denominator's population: every response
    assert [r["lead_id"] for r in accepted.json()["rows"]] == ["L1", "L2"]
    bad_cell = client.get(
        "/api/v1/records", params={**base, "metric": "leads", "by": "month", "cell": "month=2026"}
    )
    assert bad_cell.status_code == 422


def test_responses_by_reason_and_opportunities_by_stage(loaded: Store) -> None:
    client = _client(loaded)
    base = {"period": "2026-Q1", "as_of": "2026-04-01T00:00:00Z"}
    reasons = client.get(
        "/api/v1/kpi", params={**base, "metric": "rejected,accepted", "by": "reason"}
    ).json()["rows"]
    assert reasons == [
        {"reason": "No budget", "rejected": 1, "accepted": 0},
        {"reason": None, "rejected": 0, "accepted": 1},  # acceptances carry no reason
    ]
    stages = client.get(
        "/api/v1/kpi", params={**base, "metric": "opportunities,leads", "by": "stage"}
    ).json()["rows"]
    # leads have no stage: missing, not 0
    assert stages == [
        {"stage": "Closed Won", "opportunities": 1, "leads": None},
        {"stage": "Proposal", "opportunities": 1, "leads": None},
    ]


def test_a_metric_without_the_dimension_says_why(loaded: Store) -> None:
    engine = KpiEngine(loaded, lambda: datetime(2026, 4, 1, tzinfo=UTC))
    request = parse_request(
        Scope.everything(), ["cost", "cost_per_lead", "leads"], ["team"], [], "2026"
    )
    table = engine.query(request)
    assert {r["cost"] for r in table.rows} == {None} and sum(r["leads"] for r in table.rows) == 3
    assert [(n.code, n.metrics) for n in table.notes] == [
        ("not_available", ("cost", "cost_per_lead"))
    ]
    assert "cannot be grouped or filtered by team: cost entries" in table.notes[0].message
    by_country = parse_request(Scope.everything(), ["cost"], ["country"], [], "2026")
    assert engine.query(by_country).notes == ()


def test_a_campaign_volume_target_without_a_rate_is_noted(loaded: Store, tmp_path: Path) -> None:
    data = dataset()
    campaign = {**data["campaigns"][0], "campaign_id": "C3", "currency": "CHF"}
    data["campaigns"].append(campaign)
    assert (
        import_files(
            loaded, [write_csv(tmp_path, "campaigns", data["campaigns"])], ImportOptions()
        ).status
        == "committed"
    )
    engine = KpiEngine(loaded, lambda: datetime(2026, 4, 1, tzinfo=UTC))
    request = parse_request(
        Scope.everything(), ["opportunity_volume", "leads"], ["campaign"], [], "2026-Q1"
    )
    table = engine.query(request)
    shown = {(t.metric, t.scope["campaign"]) for t in table.targets if "campaign" in t.scope}
    assert ("opportunity_volume", "C1") in shown and ("leads", "C3") in shown
    assert ("opportunity_volume", "C3") not in shown
    (note,) = [n for n in table.notes if n.code == "missing_fx_rate_target"]
    assert (note.count, note.metrics) == (1, ("opportunity_volume",))
    assert "to EUR for their currency and start month (C3)" in note.message
