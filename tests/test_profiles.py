"""Import profiles on the real public data sets, checked against their published figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from leadboard.sources.importer import ImportOptions, import_files
from leadboard.sources.profiles import ProfileError, load_profile, parse_profile
from leadboard.store import Store
from tests.conftest import shared_data

# Olist SOURCE.md: leads / won by origin (blank origin counted as unknown)
OLIST_BY_ORIGIN = {
    "organic_search": (2296, 271),
    "paid_search": (1586, 195),
    "social": (1350, 75),
    "unknown": (1159, 193),
    "direct_traffic": (499, 56),
    "email": (493, 15),
    "referral": (284, 24),
    "other": (150, 4),
    "display": (118, 6),
    "other_publicities": (65, 3),
}


def test_olist_matches_the_published_figures(store: Store) -> None:
    report = import_files(
        store, [shared_data("olist_marketing_funnel")], ImportOptions(profile="olist")
    )
    assert report.status == "committed", [str(i) for i in report.errors[:5]]
    assert store.scalar("SELECT count(*) FROM leads") == 8000
    assert store.fetchall("SELECT status, count(*) FROM opportunities GROUP BY status") == [
        ("won", 842)
    ]
    by_origin = store.fetchall(
        "SELECT c.channel, count(DISTINCT l.lead_id), count(DISTINCT o.opportunity_id) "
        "FROM leads l JOIN campaigns c USING (campaign_id) "
        "LEFT JOIN opportunities o ON o.lead_id = l.lead_id GROUP BY c.channel"
    )
    assert {ch: (n, won) for ch, n, won in by_origin} == OLIST_BY_ORIGIN
    converted = store.scalar("SELECT count(DISTINCT lead_id) FROM opportunities")
    assert round(100 * converted / 8000, 3) == 10.525
    assert store.fetchall(
        "SELECT CAST(min(created_at) AS DATE), CAST(max(created_at) AS DATE) FROM leads"
    )[0] == (date(2017, 6, 14), date(2018, 5, 31))
    assert store.scalar("SELECT count(*) FROM accounts") == 842


def test_maven_matches_the_published_figures(store: Store) -> None:
    report = import_files(
        store, [shared_data("maven_crm_sales_opportunities")], ImportOptions(profile="maven")
    )
    assert report.status == "committed", [str(i) for i in report.errors[:5]]
    assert store.scalar("SELECT count(*) FROM opportunities") == 8800
    figures = dict(
        (status, (int(n), float(amount)))
        for status, n, amount in store.fetchall(
            "SELECT status, count(*), sum(amount) FROM opportunities GROUP BY status"
        )
    )
    assert figures == {
        "won": (4238, 10_005_534.0),
        "lost": (2473, 0.0),
        "open": (2089, 4_966_215.0),
    }
    assert store.scalar("SELECT count(*) FROM opportunities WHERE account_id IS NULL") == 1425
    assert store.fetchall(
        "SELECT owner, sum(amount) FROM opportunities WHERE status = 'won' "
        "GROUP BY owner ORDER BY 2 DESC LIMIT 2"
    ) == [("Darcel Schlecht", 1_153_214), ("Vicki Laflamme", 478_396)]
    assert store.scalar("SELECT count(*) FROM accounts") == 85
    assert store.scalar("SELECT count(*) FROM accounts WHERE industry = 'technolgy'") == 0
    assert store.scalar("SELECT count(DISTINCT team) FROM opportunities") == 6


def test_a_profile_missing_its_files_says_which(store: Store, tmp_path: Path) -> None:
    (tmp_path / "sales_pipeline.csv").write_text("opportunity_id\n", encoding="utf-8")
    report = import_files(store, [tmp_path], ImportOptions(profile="maven"))
    assert report.status == "failed"
    assert sorted(i.message for i in report.errors) == [
        f"profile maven needs the file {name}; it was not found among the given paths"
        for name in ("accounts.csv", "products.csv", "sales_teams.csv")
    ]


def test_a_custom_profile_file_maps_renames_values_and_constants(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "crm.csv").write_text(
        "Id,Created,Origin,Land\n1,2026-01-02,web,Deutschland\n2,2026-01-03,fair,Österreich\n",
        encoding="utf-8",
    )
    profile = tmp_path / "mycrm.toml"
    profile.write_text(
        """
name = "mycrm"
[sources.crm]
file = "crm.csv"
[[entities]]
entity = "leads"
from = "crm"
[entities.columns]
lead_id = { template = "CRM-{Id}" }
created_at = "Created"
source = { column = "Origin", map = { web = "Website", fair = "Event" } }
country = { column = "Land", map = { Deutschland = "DE", "Österreich" = "AT" } }
team = { value = "DACH" }
""",
        encoding="utf-8",
    )
    report = import_files(store, [tmp_path / "crm.csv"], ImportOptions(profile=str(profile)))
    assert report.status == "committed"
    assert store.fetchall("SELECT lead_id, source, country, team FROM leads ORDER BY 1") == [
        ("CRM-1", "Website", "DE", "DACH"),
        ("CRM-2", "Event", "AT", "DACH"),
    ]


def test_broken_profiles_are_explained() -> None:
    with pytest.raises(ProfileError, match="unknown entity 'lead'"):
        parse_profile('[sources.a]\nfile="a.csv"\n[[entities]]\nentity="lead"\nfrom="a"', "x")
    with pytest.raises(ProfileError, match="leads has no column"):
        parse_profile(
            '[sources.a]\nfile="a.csv"\n[[entities]]\nentity="leads"\nfrom="a"\n'
            '[entities.columns]\nleadid="x"',
            "x",
        )
    with pytest.raises(ProfileError, match="uses source 'b', not declared"):
        parse_profile('[sources.a]\nfile="a.csv"\n[[entities]]\nentity="leads"\nfrom="b"', "x")
    with pytest.raises(ProfileError, match="unknown profile 'salesforce'"):
        load_profile("salesforce")
