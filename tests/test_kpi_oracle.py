"""The KPI engine against an independent oracle (tests/oracle.py), on DuckDB and PostgreSQL.

One generated data set (tests/oracle_data.py) is imported once per store; every request below
asks for every visible KPI, and each (request, metric) is compared cell by cell with the oracle.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.registry import registry
from leadboard.metrics.request import Scope, parse_request
from leadboard.metrics.table import KpiTable
from leadboard.settings import Settings
from leadboard.sources.importer import ImportOptions, import_files
from leadboard.store import open_store
from tests.canonical import write_dataset
from tests.conftest import _pg_schema_url
from tests.oracle import ALL_DIMS, DERIVED, GRAINS, VISIBLE, Oracle, moment
from tests.oracle_data import generate

REL = 1e-9
REGIONS_CSV = Path(__file__).resolve().parents[1] / "leadboard" / "model" / "regions.csv"
CLOCK = datetime(2026, 10, 1, tzinfo=UTC)

# id -> by, filters, period, as_of
REQUESTS: dict[str, dict[str, Any]] = {
    "year-after": {"by": [], "filters": [], "period": "2026", "as_of": "2027-01-15T00:00:00Z"},
    "year-inside": {"by": [], "filters": [], "period": "2026", "as_of": "2026-08-20T12:00:00Z"},
    "q3-by-country": {
        "by": ["country"],
        "filters": [],
        "period": "2026-Q3",
        "as_of": "2026-10-01T00:00:00Z",
    },
    "q3-by-channel-inside": {
        "by": ["channel"],
        "filters": [],
        "period": "2026-Q3",
        "as_of": "2026-08-20T12:00:00Z",
    },
    "year-by-team-month": {
        "by": ["team", "month"],
        "filters": [],
        "period": "2026",
        "as_of": "2027-01-15T00:00:00Z",
    },
    "q3-by-campaign-webinar": {
        "by": ["campaign"],
        "filters": ["channel=Webinar"],
        "period": "2026-Q3",
        "as_of": "2026-10-01T00:00:00Z",
    },
    "q3-week-inside": {
        "by": ["week"],
        "filters": [],
        "period": "2026-Q3",
        "as_of": "2026-08-20T12:00:00Z",
    },
    "year-quarter": {
        "by": ["quarter"],
        "filters": [],
        "period": "2026",
        "as_of": "2026-10-01T00:00:00Z",
    },
    "july-by-region-de-at": {
        "by": ["region"],
        "filters": ["country=DE", "country=AT"],
        "period": "2026-07",
        "as_of": "2026-10-01T00:00:00Z",
    },
    "july-by-region": {
        "by": ["region"],
        "filters": [],
        "period": "2026-07",
        "as_of": "2026-08-01T00:00:00Z",
    },
    "range-by-month": {
        "by": ["month"],
        "filters": [],
        "period": "2026-05-15..2026-08-10",
        "as_of": "2026-09-01T00:00:00Z",
    },
    "range-by-unit-teams": {
        "by": ["unit"],
        "filters": ["team=DE-North", "team=AT-Vienna"],
        "period": "2026-06-01T12:00:00Z..2026-09-30",
        "as_of": "2026-09-15T06:30:00Z",
    },
    "year-by-industry": {
        "by": ["industry"],
        "filters": [],
        "period": "2026",
        "as_of": "2027-01-15T00:00:00Z",
    },
    "july-day-inside": {
        "by": ["day"],
        "filters": [],
        "period": "2026-07",
        "as_of": "2026-07-15T12:00:00Z",
    },
    "range-fiscal-year": {
        "by": ["fiscal_year"],
        "filters": [],
        "period": "2026-05-15..2027-01-10",
        "as_of": "2027-02-01T00:00:00Z",
    },
    "q3-by-topic-month-campaigns": {
        "by": ["topic", "month"],
        "filters": ["campaign=C06", "campaign=C08", "campaign=C13"],
        "period": "2026-Q3",
        "as_of": "2026-09-10T00:00:00Z",
    },
    "year-by-segment-owner-emea": {
        "by": ["segment", "owner"],
        "filters": ["region=EMEA"],
        "period": "2026",
        "as_of": "2026-12-01T00:00:00Z",
    },
}


def _as_of(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, Any]]]:
    return generate()


@pytest.fixture(scope="module")
def oracle(data: dict[str, list[dict[str, Any]]]) -> Oracle:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        shipped = {row["country"]: row["region"] for row in csv.DictReader(f)}
    return Oracle(data, shipped, sla_hours=48.0, fiscal_start_month=1)


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def engine(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    data: dict[str, list[dict[str, Any]]],
) -> Iterator[KpiEngine]:
    """One store per kind with the data set imported once, and one engine on it."""
    folder = tmp_path_factory.mktemp(f"oracle-{request.param}")
    if request.param == "duckdb":
        url = str(folder / "store.duckdb")
    else:
        url = _pg_schema_url(request.getfixturevalue("pg_database"))
    store = open_store(url)
    report = import_files(store, write_dataset(folder, data), ImportOptions())
    assert report.status == "committed", [str(i) for i in report.issues][:20]
    settings = Settings(reporting_currency="EUR", fiscal_year_start_month=1, sla_hours=48.0)
    yield KpiEngine(store, clock=lambda: CLOCK, settings=settings)
    _RESULTS.clear()  # the next store's engine may reuse this one's id()
    store.close()


_RESULTS: dict[tuple[int, str], tuple[KpiTable, list[dict[str, Any]]] | Exception] = {}


def results(engine: KpiEngine, oracle: Oracle, rid: str) -> tuple[KpiTable, list[dict[str, Any]]]:
    """The engine's table and the oracle's rows for a request (each computed once per store)."""
    key = (id(engine), rid)
    if key not in _RESULTS:
        spec = REQUESTS[rid]
        req = parse_request(
            Scope.everything(),
            list(VISIBLE),
            by=spec["by"],
            filters=spec["filters"],
            period=spec["period"],
            as_of=spec["as_of"],
            compare=False,
        )
        filters: dict[str, list[str]] = {}
        for item in spec["filters"]:
            dim, _, value = item.partition("=")
            filters.setdefault(dim, []).append(value)
        expected = oracle.query(VISIBLE, spec["by"], filters, spec["period"], _as_of(spec["as_of"]))
        try:
            _RESULTS[key] = (engine.query(req), expected)
        except Exception as exc:  # a failing query fails each of its tests, run once
            _RESULTS[key] = exc
    found = _RESULTS[key]
    if isinstance(found, Exception):
        raise found
    return found


def _key(row: dict[str, Any], by: list[str]) -> tuple[Any, ...]:
    return tuple(row.get(b) for b in by)


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(("" if v is None else "~" + str(v)) for v in key)


def _same(actual: Any, expected: Any) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return bool(actual == pytest.approx(expected, rel=REL, abs=1e-9 if expected == 0 else 0))


def test_the_oracle_covers_every_visible_kpi() -> None:
    assert set(VISIBLE) == {k.name for k in registry().visible()}


def test_requests_use_known_dimensions_and_grains() -> None:
    for spec in REQUESTS.values():
        assert all(b in ALL_DIMS or b in GRAINS for b in spec["by"])


@pytest.mark.parametrize("rid", REQUESTS)
def test_rows_are_the_oracles(engine: KpiEngine, oracle: Oracle, rid: str) -> None:
    table, expected = results(engine, oracle, rid)
    by = REQUESTS[rid]["by"]
    got = sorted((_key(r, by) for r in table.rows), key=_sort_key)
    want = sorted((_key(r, by) for r in expected), key=_sort_key)
    assert len(got) == len(set(got)), "the engine gives a group twice"
    assert got == want
    for row in table.rows:
        assert set(row) == {*by, *VISIBLE}


@pytest.mark.parametrize("metric", VISIBLE)
@pytest.mark.parametrize("rid", REQUESTS)
def test_metric_matches_the_oracle(
    engine: KpiEngine, oracle: Oracle, rid: str, metric: str
) -> None:
    table, expected = results(engine, oracle, rid)
    by = REQUESTS[rid]["by"]
    got = {_key(r, by): r.get(metric) for r in table.rows}
    wrong = []
    for row in sorted(expected, key=lambda r: _sort_key(_key(r, by))):
        key = _key(row, by)
        if key not in got:
            continue  # the row set is test_rows_are_the_oracles' business
        if not _same(got[key], row[metric]):
            wrong.append(
                f"{dict(zip(by, key, strict=True))}: engine {got[key]!r}, oracle {row[metric]!r}"
            )
    assert not wrong, f"{metric} in {rid} ({len(wrong)} cells):\n" + "\n".join(wrong[:25])


def test_a_zero_denominator_gives_none(engine: KpiEngine, oracle: Oracle) -> None:
    """Region `Other` (campaign C13 in QQ) has costs but no leads nor opportunities in July."""
    table, expected = results(engine, oracle, "july-by-region")
    want = next(r for r in expected if r["region"] == "Other")
    assert want["leads"] == 0 and want["cost"] > 0
    for metric in ("cost_per_lead", "cost_per_opportunity", "lead_to_opportunity_ratio"):
        assert want[metric] is None
        assert table.value(metric, region="Other") is None
    assert table.value("acceptance_rate", region="Other") is None
    assert table.value("leads", region="Other") == 0


def test_amounts_without_a_rate_are_left_out_and_noted(engine: KpiEngine, oracle: Oracle) -> None:
    """GBP has no rate for 2026-08: those records count, their amounts do not (nor at 1.0)."""
    table, _ = results(engine, oracle, "year-after")
    assert "missing_fx_rate" in {n.code for n in table.notes}
    data = generate()
    data["fx_rates"].append({"currency": "GBP", "month": "2026-08", "eur_per_unit": "1"})
    metrics = ["opportunity_volume", "won_volume", "cost"]
    as_one = Oracle(data, {}).query(metrics, period="2026", as_of=_as_of("2027-01-15T00:00:00Z"))
    for metric in metrics:
        assert table.rows[0][metric] < as_one[0][metric] - 900


def test_the_data_set_exercises_every_kpi(oracle: Oracle) -> None:
    """Each KPI is non-zero somewhere, and each ratio is missing somewhere (zero denominator)."""
    cells: dict[str, list[Any]] = {m: [] for m in VISIBLE}
    for spec in REQUESTS.values():
        filters: dict[str, list[str]] = {}
        for item in spec["filters"]:
            dim, _, value = item.partition("=")
            filters.setdefault(dim, []).append(value)
        for row in oracle.query(
            VISIBLE, spec["by"], filters, spec["period"], _as_of(spec["as_of"])
        ):
            for metric in VISIBLE:
                cells[metric].append(row[metric])
    for metric, values in cells.items():
        assert any(v not in (None, 0) for v in values), metric
    for metric in DERIVED:
        assert None in cells[metric], metric


def test_records_after_as_of_do_not_count(
    engine: KpiEngine, oracle: Oracle, data: dict[str, list[dict[str, Any]]]
) -> None:
    """as_of is the clock: 2026 seen on 2026-08-20 12:00 holds only what happened by then."""
    inside, _ = results(engine, oracle, "year-inside")
    after, _ = results(engine, oracle, "year-after")
    as_of = datetime(2026, 8, 20, 12)
    created = [moment(r["created_at"]) for r in data["leads"]]
    by_then = sum(1 for c in created if datetime(2026, 1, 1) <= c <= as_of)
    in_year = sum(1 for c in created if datetime(2026, 1, 1) <= c < datetime(2027, 1, 1))
    assert inside.rows[0]["leads"] == by_then < in_year == after.rows[0]["leads"]
    costs = [r for r in data["campaign_costs"] if r["date"] > "2026-08-20"]
    assert costs and inside.rows[0]["cost"] < after.rows[0]["cost"]


# compare: (period, the period before, by); buckets pair by position
COMPARED = {
    "july-vs-june-by-campaign": ("2026-07", "2026-06", ["campaign"]),
    "q3-vs-q2-by-account": ("2026-Q3", "2026-Q2", ["account"]),
    "march-vs-february-by-day": ("2026-03", "2026-02", ["day"]),
}
EMPTY = {"leads": 0, "handed_over": 0, "opportunity_volume": 0.0, "acceptance_rate": None}


@pytest.mark.parametrize("case", COMPARED)
def test_compare_gives_the_previous_periods_values(
    engine: KpiEngine, oracle: Oracle, case: str
) -> None:
    """Every group of either period has a row; its previous values are the oracle's for the
    period before; a day with no counterpart (March 29-31 against February) has none."""
    period, before, by = COMPARED[case]
    as_of = "2027-01-15T00:00:00Z"
    metrics = list(EMPTY)
    table = engine.query(
        parse_request(Scope.everything(), metrics, by, [], period, as_of, compare=True)
    )
    got = {_key(r, by): r for r in table.rows}
    assert len(got) == len(table.rows)
    now = {_key(r, by): r for r in oracle.query(metrics, by, {}, period, _as_of(as_of))}
    prev = oracle.query(metrics, by, {}, before, _as_of(as_of))
    if by == ["day"]:
        previous_days = sorted(prev, key=lambda r: r["day"])
        assert len(previous_days) == 28 and len(got) == 31
        for i, key in enumerate(sorted(now)):
            for m in metrics:
                want = previous_days[i][m] if i < 28 else None
                assert _same(got[key][f"{m}_previous"], want), (key, m)
                assert _same(got[key][m], now[key][m]), (key, m)
        assert got[("2026-03-31",)]["leads_delta"] is None
        return
    earlier = {_key(r, by): r for r in prev}
    only_before = [k for k, r in earlier.items() if r["leads"] and not now.get(k, EMPTY)["leads"]]
    assert only_before, "the data set has groups with leads only in the period before"
    for key, row in earlier.items():
        if any(row[m] for m in metrics):
            assert key in got, f"{key} has values in the period before but no row"
    for key, row in got.items():
        for m in metrics:
            assert _same(row[m], now.get(key, EMPTY)[m]), (key, m)
            assert _same(row[f"{m}_previous"], earlier.get(key, EMPTY)[m]), (key, m)
    total = sum(r["leads"] for r in prev)
    assert sum(r["leads_previous"] for r in table.rows) == total


# a fiscal year starting in October: FY2026 = 2025-10-01 .. 2026-10-01
FISCAL = {
    "fy2026-by-quarter": (["quarter"], "2026", "2027-01-15T00:00:00Z"),
    "fy2026-q1-by-month-inside": (["month"], "2026-Q1", "2025-11-20T08:00:00Z"),
    "span-by-fiscal-year-and-unit": (["fiscal_year", "unit"], "2025-06-01..2027-01-01", None),
}


@pytest.mark.parametrize("case", FISCAL)
def test_a_fiscal_year_from_october_matches_the_oracle(
    engine: KpiEngine, data: dict[str, list[dict[str, Any]]], case: str
) -> None:
    by, period, as_of = FISCAL[case]
    as_of = as_of or "2027-01-15T00:00:00Z"
    settings = Settings(reporting_currency="EUR", fiscal_year_start_month=10, sla_hours=48.0)
    fiscal = KpiEngine(engine.store, clock=lambda: CLOCK, settings=settings)
    with REGIONS_CSV.open(encoding="utf-8") as f:
        shipped = {row["country"]: row["region"] for row in csv.DictReader(f)}
    oracle = Oracle(data, shipped, sla_hours=48.0, fiscal_start_month=10)
    table = fiscal.query(parse_request(Scope.everything(), list(VISIBLE), by, [], period, as_of))
    expected = oracle.query(VISIBLE, by, {}, period, _as_of(as_of))
    got = {_key(r, by): r for r in table.rows}
    assert sorted(got, key=_sort_key) == sorted((_key(r, by) for r in expected), key=_sort_key)
    wrong = [
        f"{key} {m}: engine {got[key][m]!r}, oracle {row[m]!r}"
        for row in expected
        for key in [_key(row, by)]
        for m in VISIBLE
        if not _same(got[key][m], row[m])
    ]
    assert not wrong, "\n".join(wrong[:25])
    labels = [r[by[0]] for r in table.rows]
    if case == "fy2026-by-quarter":
        assert labels == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        assert table.period["start"] == "2025-10-01T00:00:00"
    if case == "span-by-fiscal-year-and-unit":
        assert {"FY2026", "FY2027"} <= set(labels) <= {"FY2025", "FY2026", "FY2027"}
