"""The demo company generator: schema, determinism, shape and internal consistency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pyarrow as pa
import pytest

from leadboard.sources.demo import generate_company

AS_OF = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)
N_LEADS = 5_000
TS = pa.timestamp("us", tz="UTC")
S, D, F, N = pa.string(), pa.date32(), pa.float64(), pa.int64()

SCHEMAS: dict[str, list[tuple[str, pa.DataType]]] = {
    "campaigns": [
        ("campaign_id", S), ("name", S), ("channel", S), ("topic", S), ("unit", S),
        ("country", S), ("team", S), ("start_date", D), ("end_date", D),
        ("budget_planned", F), ("currency", S), ("target_leads", N),
        ("target_opportunities", N), ("target_opportunity_volume", F),
    ],
    "campaign_costs": [
        ("campaign_id", S), ("date", D), ("amount", F), ("currency", S), ("category", S),
    ],
    "accounts": [
        ("account_id", S), ("name", S), ("industry", S), ("country", S), ("unit", S),
        ("segment", S),
    ],
    "leads": [
        ("lead_id", S), ("created_at", TS), ("campaign_id", S), ("account_id", S),
        ("source", S), ("topic", S), ("unit", S), ("country", S), ("team", S), ("owner", S),
    ],
    "lead_events": [
        ("lead_id", S), ("event", S), ("occurred_at", TS), ("team", S), ("actor", S),
        ("reason", S),
    ],
    "opportunities": [
        ("opportunity_id", S), ("created_at", TS), ("lead_id", S), ("account_id", S),
        ("topic", S), ("unit", S), ("country", S), ("team", S), ("owner", S), ("stage", S),
        ("amount", F), ("currency", S), ("status", S), ("closed_at", TS),
        ("lost_reason", S), ("probability", F),
    ],
    "targets": [
        ("period", S), ("metric", S), ("value", F), ("unit", S), ("country", S), ("team", S),
        ("topic", S), ("campaign_id", S),
    ],
    "fx_rates": [("currency", S), ("month", S), ("eur_per_unit", F)],
    "regions": [("country", S), ("region", S)],
}  # fmt: skip


@pytest.fixture(scope="module")
def company() -> dict[str, pa.Table]:
    return generate_company(N_LEADS, seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def frames(company: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    return {name: table.to_pandas() for name, table in company.items()}


def _first_times(events: pd.DataFrame, kinds: tuple[str, ...]) -> pd.Series:
    return events[events["event"].isin(kinds)].groupby("lead_id")["occurred_at"].min()


def test_tables_have_exactly_the_canonical_columns_and_types(
    company: dict[str, pa.Table],
) -> None:
    assert list(company) == list(SCHEMAS)
    for name, columns in SCHEMAS.items():
        assert company[name].schema == pa.schema(columns), name


def test_same_seed_and_as_of_give_identical_tables(company: dict[str, pa.Table]) -> None:
    again = generate_company(N_LEADS, seed=7, as_of=AS_OF)
    for name, table in company.items():
        assert table.equals(again[name]), name


def test_another_seed_gives_other_data(company: dict[str, pa.Table]) -> None:
    other = generate_company(N_LEADS, seed=8, as_of=AS_OF)
    assert not other["leads"].equals(company["leads"])
    assert not other["campaigns"].equals(company["campaigns"])


def test_company_shape(frames: dict[str, pd.DataFrame]) -> None:
    leads, campaigns = frames["leads"], frames["campaigns"]
    assert len(leads) == N_LEADS
    assert len(campaigns) == 150
    assert leads["unit"].nunique() == 5
    assert sorted(frames["regions"]["country"]) == sorted(
        ["DE", "AT", "CH", "FR", "GB", "US", "CA", "SG"]
    )
    assert sorted(frames["regions"]["region"].unique()) == ["AMER", "APAC", "EMEA"]
    assert set(leads["country"]) == set(frames["regions"]["country"])
    assert leads["team"].nunique() == 12
    assert campaigns["channel"].nunique() == 8
    assert 8 <= leads["topic"].nunique() <= 12
    assert campaigns["currency"].nunique() == 6
    assert 0.8 <= leads["campaign_id"].notna().mean() <= 0.9
    assert leads.loc[leads["campaign_id"].isna(), "source"].notna().all()
    assert leads.loc[leads["campaign_id"].notna(), "source"].isna().all()
    assert 400 <= len(frames["accounts"]) <= 600
    assert 400 <= len(frames["opportunities"]) <= 1_000


def test_ids_are_unique(frames: dict[str, pd.DataFrame]) -> None:
    for table, key in [
        ("campaigns", "campaign_id"),
        ("accounts", "account_id"),
        ("leads", "lead_id"),
        ("opportunities", "opportunity_id"),
    ]:
        assert frames[table][key].is_unique, table
    assert frames["leads"]["lead_id"].iloc[0] == "L0000001"
    events = frames["lead_events"]
    assert not events.duplicated(["lead_id", "event", "occurred_at"]).any()
    assert not frames["fx_rates"].duplicated(["currency", "month"]).any()
    scope = ["period", "metric", "unit", "country", "team", "topic", "campaign_id"]
    assert not frames["targets"].duplicated(scope).any()


def test_nothing_lies_after_as_of(frames: dict[str, pd.DataFrame]) -> None:
    as_of = pd.Timestamp(AS_OF)
    assert frames["leads"]["created_at"].max() <= as_of
    assert frames["lead_events"]["occurred_at"].max() <= as_of
    assert frames["opportunities"]["created_at"].max() <= as_of
    assert frames["opportunities"]["closed_at"].max() <= as_of
    assert frames["campaign_costs"]["date"].max() <= AS_OF.date()
    start = pd.Timestamp(datetime(2024, 1, 1, tzinfo=UTC))
    assert frames["leads"]["created_at"].min() >= start
    assert frames["opportunities"]["created_at"].min() >= start
    assert frames["campaigns"]["start_date"].min() >= date(2024, 1, 1)


def test_covers_at_least_two_fiscal_years(frames: dict[str, pd.DataFrame]) -> None:
    years = set(frames["leads"]["created_at"].dt.year)
    assert years == {2024, 2025, 2026}
    targets = frames["targets"]
    periods = set(targets["period"])
    assert {"2024", "2025", "2026", "2024-Q1", "2025-Q4", "2026-Q3"} <= periods
    scope = targets[["unit", "country", "team", "topic", "campaign_id"]]
    global_targets = targets[scope.isna().all(axis=1)]
    assert set(global_targets["metric"]) == {
        "leads",
        "opportunities",
        "opportunity_volume",
        "marketing_opportunity_volume",
    }
    assert len(global_targets) == 3 * 5 * 4
    per_unit = targets[targets["unit"].notna()]
    assert set(per_unit["metric"]) == {"leads", "opportunity_volume"}
    assert len(per_unit) == 3 * 5 * 2
    assert (targets["value"] > 0).all()


def test_every_response_follows_its_handover(frames: dict[str, pd.DataFrame]) -> None:
    events = frames["lead_events"].sort_values(["lead_id", "occurred_at"], kind="stable")
    handover_at = events["occurred_at"].where(events["event"] == "handed_over")
    events = events.assign(handover_at=handover_at.groupby(events["lead_id"]).ffill())
    responses = events[events["event"].isin(["accepted", "rejected"])]
    assert len(responses) > 0.6 * N_LEADS
    assert responses["handover_at"].notna().all()
    assert (responses["occurred_at"] > responses["handover_at"]).all()
    assert (responses["team"].notna()).all()
    rejected = events[events["event"] == "rejected"]
    assert rejected["reason"].notna().all()
    assert events.loc[events["event"] == "accepted", "reason"].isna().all()


def test_events_belong_to_their_lead(frames: dict[str, pd.DataFrame]) -> None:
    leads = frames["leads"].set_index("lead_id")
    events = frames["lead_events"].merge(
        leads[["created_at", "team"]],
        how="left",
        left_on="lead_id",
        right_index=True,
        suffixes=("", "_l"),
    )
    assert (events["occurred_at"] >= events["created_at"]).all()
    sales = events[events["event"].isin(["handed_over", "accepted", "rejected"])]
    assert (sales["team"] == sales["team_l"]).all()
    assert events["actor"].notna().all()
    assert set(events["event"]) == {
        "qualified",
        "handed_over",
        "accepted",
        "rejected",
        "recycled",
        "disqualified",
    }
    second = events[events["event"] == "handed_over"].groupby("lead_id").size()
    assert (second == 2).any()


def test_acceptance_is_about_seventy_percent_and_differs(frames: dict[str, pd.DataFrame]) -> None:
    events = frames["lead_events"]
    first = events[events["event"].isin(["accepted", "rejected"])].drop_duplicates("lead_id")
    assert 0.62 <= (first["event"] == "accepted").mean() <= 0.78
    first = first.join(frames["leads"].set_index("lead_id")["campaign_id"], on="lead_id")
    first = first.join(frames["campaigns"].set_index("campaign_id")["channel"], on="campaign_id")
    by_channel = (first["event"] == "accepted").groupby(first["channel"]).mean()
    assert by_channel.max() - by_channel.min() > 0.15


def test_pending_handovers_include_overdue_ones(frames: dict[str, pd.DataFrame]) -> None:
    events = frames["lead_events"]
    handed = _first_times(events, ("handed_over",))
    responded = _first_times(events, ("accepted", "rejected"))
    pending = handed[~handed.index.isin(responded.index)]
    overdue = pending[pending < pd.Timestamp(AS_OF - timedelta(hours=48))]
    assert len(overdue) >= 1
    assert len(pending) < 0.05 * len(handed)
    unprocessed = ~frames["leads"]["lead_id"].isin(handed.index)
    assert unprocessed.sum() > 0


def test_campaign_leads_follow_their_campaign(frames: dict[str, pd.DataFrame]) -> None:
    campaigns = frames["campaigns"].set_index("campaign_id")
    leads = frames["leads"].dropna(subset=["campaign_id"])
    leads = leads.merge(
        campaigns, how="left", left_on="campaign_id", right_index=True, suffixes=("", "_c")
    )
    day = leads["created_at"].dt.date
    assert ((day >= leads["start_date"]) & (day <= leads["end_date"])).all()
    assert (leads["country"] == leads["country_c"]).all()
    assert (leads["topic"] == leads["topic_c"]).all()
    assert (leads["unit"] == leads["unit_c"]).all()
    assert (frames["leads"]["team"].str[:2] == frames["leads"]["country"]).all()
    future = campaigns[campaigns["start_date"] > AS_OF.date()].index
    assert not leads["campaign_id"].isin(future).any()
    assert not frames["campaign_costs"]["campaign_id"].isin(future).any()


def test_foreign_keys_resolve(frames: dict[str, pd.DataFrame]) -> None:
    leads, opps = frames["leads"], frames["opportunities"]
    lead_ids = set(leads["lead_id"])
    account_ids = set(frames["accounts"]["account_id"])
    campaign_ids = set(frames["campaigns"]["campaign_id"])
    assert set(frames["lead_events"]["lead_id"]) <= lead_ids
    assert set(leads["campaign_id"].dropna()) <= campaign_ids
    assert set(leads["account_id"].dropna()) <= account_ids
    assert set(opps["lead_id"].dropna()) <= lead_ids
    assert set(opps["account_id"].dropna()) <= account_ids
    assert set(frames["campaign_costs"]["campaign_id"]) <= campaign_ids
    assert set(leads["country"]) <= set(frames["regions"]["country"])


def test_opportunities_are_consistent(frames: dict[str, pd.DataFrame]) -> None:
    opps = frames["opportunities"]
    closed = opps["status"].isin(["won", "lost"])
    assert set(opps["status"]) == {"open", "won", "lost"}
    assert (opps["closed_at"].notna() == closed).all()
    assert (opps.loc[closed, "closed_at"] > opps.loc[closed, "created_at"]).all()
    assert (opps["lost_reason"].notna() == (opps["status"] == "lost")).all()
    assert (opps.loc[opps["status"] == "won", "stage"] == "Closed Won").all()
    assert (opps.loc[opps["status"] == "lost", "stage"] == "Closed Lost").all()
    assert opps["probability"].between(0, 1).all()
    assert opps["amount"].between(5_000, 500_000).all()
    assert opps["currency"].nunique() >= 4
    assert 0.15 <= opps["lead_id"].isna().mean() <= 0.25


def test_lead_opportunities_follow_acceptance(frames: dict[str, pd.DataFrame]) -> None:
    opps = frames["opportunities"].dropna(subset=["lead_id"])
    accepted_at = _first_times(frames["lead_events"], ("accepted",))
    assert opps["lead_id"].isin(accepted_at.index).all()
    assert (opps["created_at"] > opps["lead_id"].map(accepted_at)).all()
    leads = frames["leads"].set_index("lead_id")
    joined = opps.merge(leads, how="left", left_on="lead_id", right_index=True, suffixes=("", "_l"))
    for column in ["account_id", "topic", "unit", "country", "team"]:
        assert (joined[column] == joined[f"{column}_l"]).all(), column


def test_costs_stay_in_the_run_with_over_and_underspend(
    frames: dict[str, pd.DataFrame],
) -> None:
    campaigns = frames["campaigns"].set_index("campaign_id")
    costs = frames["campaign_costs"].merge(
        campaigns, how="left", left_on="campaign_id", right_index=True, suffixes=("", "_c")
    )
    assert ((costs["date"] >= costs["start_date"]) & (costs["date"] <= costs["end_date"])).all()
    assert (costs["currency"] == costs["currency_c"]).all()
    assert set(costs["category"]) <= {"media", "agency", "event", "content"}
    assert (costs["amount"] > 0).all()
    finished = campaigns[campaigns["end_date"] < AS_OF.date()]
    spent = frames["campaign_costs"].groupby("campaign_id")["amount"].sum()
    utilization = spent.reindex(finished.index) / finished["budget_planned"]
    assert (utilization > 1.0).sum() >= 2
    assert (utilization < 0.5).sum() >= 2


def test_fx_covers_every_currency_and_month_needed(frames: dict[str, pd.DataFrame]) -> None:
    fx = frames["fx_rates"]
    available = set(zip(fx["currency"], fx["month"], strict=True))
    opps, costs = frames["opportunities"], frames["campaign_costs"]
    needed = set(zip(opps["currency"], opps["created_at"].dt.strftime("%Y-%m"), strict=True))
    needed |= set(
        zip(costs["currency"], pd.to_datetime(costs["date"]).dt.strftime("%Y-%m"), strict=True)
    )
    closed = opps.dropna(subset=["closed_at"])
    needed |= set(zip(closed["currency"], closed["closed_at"].dt.strftime("%Y-%m"), strict=True))
    campaigns = frames["campaigns"]
    for currency, start, end in zip(
        campaigns["currency"], campaigns["start_date"], campaigns["end_date"], strict=True
    ):  # planned budgets are spread over every month of the run
        for month in pd.period_range(start, end, freq="M"):
            needed.add((currency, str(month)))
    assert needed <= available
    assert fx["month"].min() == "2024-01"
    # as_of is in 2026-10; twelve months of planning rates follow
    assert fx["month"].max() == "2027-10"
    assert (fx.loc[fx["currency"] == "EUR", "eur_per_unit"] == 1.0).all()
    usd = fx.loc[fx["currency"] == "USD", "eur_per_unit"]
    assert usd.between(0.8, 1.05).all()
    assert usd.nunique() > 1


def test_as_of_defaults_to_now_and_must_be_aware() -> None:
    tables = generate_company(200)
    now = datetime.now(UTC)
    assert tables["leads"].num_rows == 200
    assert tables["lead_events"].column("occurred_at").to_pandas().max() <= pd.Timestamp(now)
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_company(10, as_of=datetime(2026, 1, 1))
