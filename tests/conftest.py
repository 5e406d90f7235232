"""Shared fixtures: every store test runs on a DuckDB file and on the PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from leadboard.store import Store, open_store

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("LEADBOARD_TEST_POSTGRES_URL", DEFAULT_PG)
REQUIRE_PG = os.environ.get("LEADBOARD_REQUIRE_POSTGRES") == "1"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _pg_available() -> str | None:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]


_PG_PROBLEM = _pg_available()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database for this test run on the PostgreSQL server."""
    if _PG_PROBLEM is not None:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (LEADBOARD_REQUIRE_POSTGRES=1): {_PG_PROBLEM}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {_PG_PROBLEM}")
    name = f"leadboard_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    base = PG_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _pg_schema_url(database_url: str) -> str:
    """A new schema in the run's database: each test starts from an empty store."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    return f"{database_url}?options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store of each kind."""
    if request.param == "duckdb":
        return str(tmp_path / "store.duckdb")
    return _pg_schema_url(request.getfixturevalue("pg_database"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    st = open_store(store_url)
    yield st
    st.close()


def shared_data(name: str) -> Path:
    """A dataset folder of ../shared/data, or skip the test with the reason."""
    folder = SHARED_DATA / name
    if not folder.is_dir():
        pytest.skip(f"shared test data {folder} is absent (it lives beside the repo, not in it)")
    return folder
