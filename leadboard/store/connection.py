"""The store owns its connections: an embedded DuckDB file or a PostgreSQL server, one interface."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

Dialect = Literal["duckdb", "postgres"]


class StoreError(RuntimeError):
    """A store problem explained in plain words (never a raw driver error)."""


class StoreLockedError(StoreError):
    """The embedded store file is held by another process."""


@dataclass(frozen=True)
class StoreUrl:
    """Where the store lives: a DuckDB file path or a PostgreSQL URL."""

    raw: str

    @property
    def dialect(self) -> Dialect:
        return "postgres" if self.raw.startswith(("postgresql://", "postgres://")) else "duckdb"

    @property
    def path(self) -> Path:
        if self.dialect != "duckdb":
            raise StoreError(f"{self.display} is not a file store")
        return Path(self.raw.removeprefix("duckdb://")).expanduser()

    @property
    def display(self) -> str:
        if self.dialect == "duckdb":
            return str(self.raw)
        # never print a password
        return (
            psycopg.conninfo.make_conninfo(self.raw, password=None) if "@" in self.raw else self.raw
        )


class Store:
    """One open store. SQL passed in uses `?` placeholders on both dialects."""

    def __init__(self, url: StoreUrl, *, read_only: bool = False) -> None:
        self.url = url
        self.dialect: Dialect = url.dialect
        self._lock = threading.RLock()
        self._duck: duckdb.DuckDBPyConnection | None = None
        self._pg: psycopg.Connection[Any] | None = None
        if self.dialect == "duckdb":
            self._duck = _open_duckdb(url.path, read_only)
        else:
            self._pg = _open_postgres(url.raw)

    # -- plain SQL ---------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._lock:
            if self._duck is not None:
                self._duck.execute(sql, list(params))
            else:
                assert self._pg is not None
                self._pg.execute(_pg_sql(sql, params), list(params) or None)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._duck is not None:
                return self._duck.execute(sql, list(params)).fetchall()
            assert self._pg is not None
            return list(self._pg.execute(_pg_sql(sql, params), list(params) or None).fetchall())

    def fetch_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        with self._lock:
            if self._duck is not None:
                return self._duck.sql(sql, params=list(params) or None).to_arrow_table()
            assert self._pg is not None
            cur = self._pg.execute(_pg_sql(sql, params), list(params) or None)
            names = [d.name for d in cur.description or []]
            rows = cur.fetchall()
            return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    def fetch_dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts by column name: the cheapest way to read a small result."""
        with self._lock:
            if self._duck is not None:
                cur = self._duck.execute(sql, list(params))
            else:
                assert self._pg is not None
                cur = self._pg.execute(_pg_sql(sql, params), list(params) or None)  # type: ignore[assignment]
            names = [d[0] for d in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.fetchall(sql, params)
        return rows[0][0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: an exception (or a killed process) leaves the store as it was."""
        with self._lock:
            if self._duck is not None:
                self._duck.execute("BEGIN TRANSACTION")
                try:
                    yield
                except BaseException:
                    self._duck.execute("ROLLBACK")
                    raise
                self._duck.execute("COMMIT")
            else:
                assert self._pg is not None
                with self._pg.transaction():
                    yield

    # -- bulk data ---------------------------------------------------------------------------

    def create_temp_from_arrow(self, name: str, data: pa.Table, like: str | None = None) -> None:
        """Make `data` available as temp table `name` (DuckDB: zero-copy scan; PostgreSQL: COPY)."""
        with self._lock:
            if self._duck is not None:
                self._duck.register(f"{name}_arrow", data)
                self._duck.execute(
                    f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow"
                )
                self._duck.unregister(f"{name}_arrow")
                return
            assert self._pg is not None
            self._pg.execute(f"DROP TABLE IF EXISTS {name}")
            if like is not None:
                cols = ", ".join(f'"{c}"' for c in data.column_names)
                self._pg.execute(
                    f"CREATE TEMP TABLE {name} AS SELECT {cols} FROM {like} WITH NO DATA"
                )
            else:
                defs = ", ".join(f'"{f.name}" {_pg_type(f.type)}' for f in data.schema)
                self._pg.execute(f"CREATE TEMP TABLE {name} ({defs})")
            _copy_into_postgres(self._pg, name, data)

    def stage(self, name: str, data: pa.Table, like: str) -> None:
        """Make `data` readable as `name`: DuckDB scans the Arrow table in place, PG copies it."""
        if self._duck is not None:
            with self._lock:
                self._duck.register(name, data)
        else:
            self.create_temp_from_arrow(name, data, like=like)

    def unstage(self, name: str) -> None:
        if self._duck is not None:
            with self._lock:
                self._duck.unregister(name)
        else:
            self.drop_temp(name)

    def drop_temp(self, name: str) -> None:
        self.execute(f"DROP TABLE IF EXISTS {name}")

    def close(self) -> None:
        with self._lock:
            if self._duck is not None:
                self._duck.close()
                self._duck = None
            if self._pg is not None:
                self._pg.close()
                self._pg = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def duckdb_connection(self) -> duckdb.DuckDBPyConnection:
        if self._duck is None:
            raise StoreError("not a DuckDB store")
        return self._duck


def _open_duckdb(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if path.parent and not path.parent.exists():
        raise StoreError(f"folder {path.parent} does not exist (store file {path})")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(
                f"the store {path} is in use by another process (DuckDB allows one writer). "
                "Stop it, or run the command while `leadboard serve` is running so it goes "
                "through the server."
            ) from exc
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    return con


def _open_postgres(url: str) -> psycopg.Connection[Any]:
    try:
        con = psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as exc:
        raise StoreError(f"cannot connect to PostgreSQL: {str(exc).strip()}") from exc
    con.execute("SET TIME ZONE 'UTC'")
    return con


def _pg_sql(sql: str, params: Sequence[Any]) -> str:
    """`?` placeholders → psycopg's `%s`; without parameters psycopg takes the text as it is."""
    return sql.replace("%", "%%").replace("?", "%s") if params else sql


def _pg_type(t: pa.DataType) -> str:
    if pa.types.is_timestamp(t):
        return "TIMESTAMP"
    if pa.types.is_date(t):
        return "DATE"
    if pa.types.is_integer(t):
        return "BIGINT"
    if pa.types.is_floating(t):
        return "DOUBLE PRECISION"
    if pa.types.is_decimal(t):
        return "NUMERIC"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    return "TEXT"


_COPY_CHUNK_ROWS = 200_000


def _copy_into_postgres(con: psycopg.Connection[Any], table: str, data: pa.Table) -> None:
    """Stream `data` into `table` with COPY ... CSV, in chunks (no row-by-row inserts)."""
    cols = ", ".join(f'"{c}"' for c in data.column_names)
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with con.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as copy:
        for start in range(0, data.num_rows, _COPY_CHUNK_ROWS):
            buf = io.BytesIO()
            pacsv.write_csv(data.slice(start, _COPY_CHUNK_ROWS), buf, options)
            copy.write(buf.getvalue())
