"""Store schema: tables generated from the entity specs, a version, and in-place upgrades.

Each migration is applied once, in order, inside one transaction, and bumps `schema_version`.
A later change to an entity spec must come with a new migration (`ADD COLUMN IF NOT EXISTS`, ...):
migration 1 builds tables from the current specs, so later steps must be idempotent on them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from leadboard.model.entities import ENTITIES, REGIONS, Entity, Kind
from leadboard.store.connection import Dialect, Store, StoreError

_TYPES: dict[Kind, tuple[str, str]] = {  # (duckdb, postgres)
    Kind.TEXT: ("VARCHAR", "TEXT"),
    Kind.DATE: ("DATE", "DATE"),
    Kind.TIMESTAMP: ("TIMESTAMP", "TIMESTAMP"),
    Kind.MONEY: ("DECIMAL(18,4)", "NUMERIC(18,4)"),
    Kind.NUMBER: ("DOUBLE", "DOUBLE PRECISION"),
    Kind.INTEGER: ("BIGINT", "BIGINT"),
    Kind.MONTH: ("DATE", "DATE"),
    Kind.PERIOD: ("VARCHAR", "TEXT"),
    Kind.CURRENCY: ("VARCHAR", "TEXT"),
}


def sql_type(kind: Kind, dialect: Dialect) -> str:
    duck, pg = _TYPES[kind]
    return duck if dialect == "duckdb" else pg


def entity_ddl(entity: Entity, dialect: Dialect) -> list[str]:
    """CREATE TABLE (with key, NOT NULL and CHECK constraints) and its indexes."""
    defs: list[str] = []
    if entity.synthetic_key:
        defs.append(f"row_key {sql_type(Kind.TEXT, dialect)} NOT NULL")
    for col in entity.columns:
        line = f"{col.name} {sql_type(col.kind, dialect)}"
        if col.required:
            line += " NOT NULL"
        if col.kind is Kind.MONEY:
            line += f" CHECK ({col.name} >= 0)"
        if col.choices:
            allowed = ", ".join(f"'{c}'" for c in col.choices)
            line += f" CHECK ({col.name} IN ({allowed}))"
        defs.append(line)
    defs.append(f"PRIMARY KEY ({', '.join(entity.table_key)})")
    stmts = [f"CREATE TABLE IF NOT EXISTS {entity.name} (\n  " + ",\n  ".join(defs) + "\n)"]
    # DuckDB scans columns with zone maps; extra ART indexes would only slow bulk loads.
    for cols in entity.indexes if dialect == "postgres" else ():
        name = f"ix_{entity.name}_{'_'.join(cols)}"
        stmts.append(f"CREATE INDEX IF NOT EXISTS {name} ON {entity.name} ({', '.join(cols)})")
    return stmts


def _v1(dialect: Dialect) -> list[str]:
    stmts = [
        "CREATE TABLE IF NOT EXISTS leadboard_meta "
        "(key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    ]
    for entity in ENTITIES:
        stmts += entity_ddl(entity, dialect)
    return stmts


def _v2(dialect: Dialect) -> list[str]:
    ts = sql_type(Kind.TIMESTAMP, dialect)
    text = sql_type(Kind.TEXT, dialect)
    return [
        f"""CREATE TABLE IF NOT EXISTS import_runs (
  run_id BIGINT PRIMARY KEY,
  started_at {ts} NOT NULL,
  finished_at {ts},
  user_name {text},
  sources {text} NOT NULL,
  profile {text},
  mode {text} NOT NULL,
  status {text} NOT NULL CHECK (status IN ('committed', 'failed')),
  rows_read BIGINT NOT NULL,
  rows_written BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  warning_count BIGINT NOT NULL,
  detail {text}
)""",
        "INSERT INTO leadboard_meta (key, value) VALUES ('data_version', '0') "
        "ON CONFLICT DO NOTHING",
    ]


def _v3(dialect: Dialect) -> list[str]:
    ts = sql_type(Kind.TIMESTAMP, dialect)
    text = sql_type(Kind.TEXT, dialect)
    return [
        f"""CREATE TABLE IF NOT EXISTS alerts (
  alert_key {text} PRIMARY KEY,
  rule {text} NOT NULL,
  severity {text} NOT NULL,
  kpi {text} NOT NULL,
  body {text} NOT NULL,
  first_seen {ts} NOT NULL,
  last_seen {ts} NOT NULL,
  resolved_at {ts},
  status {text} NOT NULL CHECK (status IN ('open', 'resolved'))
)"""
    ]


def _v4(dialect: Dialect) -> list[str]:
    return [f"ALTER TABLE lead_events ADD COLUMN IF NOT EXISTS note {sql_type(Kind.TEXT, dialect)}"]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: Callable[[Dialect], list[str]]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "canonical entity tables and metadata", _v1),
    Migration(2, "import history and data version", _v2),
    Migration(3, "alert history: first seen, last seen, resolved", _v3),
    Migration(4, "lead_events.note: free text with sales' feedback", _v4),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def current_version(store: Store) -> int:
    exists = store.scalar(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'leadboard_meta' AND table_schema = current_schema()"
    )
    if not exists:
        return 0
    value = store.scalar("SELECT value FROM leadboard_meta WHERE key = 'schema_version'")
    return int(value) if value is not None else 0


def migrate(store: Store, target: int = SCHEMA_VERSION) -> int:
    """Bring the store up to `target`, one transaction per step; returns the version reached."""
    version = current_version(store)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {version}, newer than this Leadboard "
            f"({SCHEMA_VERSION}); upgrade Leadboard"
        )
    for step in MIGRATIONS:
        if version < step.version <= target:
            with store.transaction():
                for stmt in step.statements(store.dialect):
                    store.execute(stmt)
                if step.version == 1:
                    _seed_regions(store)
                store.execute(
                    "INSERT INTO leadboard_meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [str(step.version)],
                )
            version = step.version
    return version


def default_regions() -> list[tuple[str, str]]:
    """The country → region table the product ships (ISO 3166 alpha-2 → EMEA/AMER/APAC)."""
    text = resources.files("leadboard.model").joinpath("regions.csv").read_text("utf-8")
    return [(r["country"], r["region"]) for r in csv.DictReader(text.splitlines())]


def _seed_regions(store: Store) -> None:
    for country, region in default_regions():
        store.execute(
            f"INSERT INTO {REGIONS.name} (country, region) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [country, region],
        )
