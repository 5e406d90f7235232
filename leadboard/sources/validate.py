"""Validating raw import rows into typed rows, reporting every problem with file, row and column.

The checks run as set-based SQL in an in-memory DuckDB database, so millions of rows validate in
seconds; only references and handover times are asked of the store. On a DuckDB store that
database is attached to the store's own instance, so the typed rows are written from there
without a round trip through Python; on PostgreSQL it is private and they are copied in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from leadboard.model.currencies import ISO_4217
from leadboard.model.entities import BY_NAME, ENTITIES, TARGET_METRICS, Column, Entity, Kind
from leadboard.model.issues import Issue, Level
from leadboard.sources.files import FILE, ROW, RawFrame, unreadable
from leadboard.store import Store
from leadboard.store.ingest import lookup

MAX_ISSUES = 100_000
RESPONSES = ("accepted", "rejected")

_EXPECTED = {
    Kind.DATE: "a date like 2026-03-01",
    Kind.TIMESTAMP: "a timestamp like 2026-03-01T09:30:00Z",
    Kind.MONEY: "a plain decimal amount like 1234.50",
    Kind.NUMBER: "a plain decimal number like 0.25",
    Kind.INTEGER: "a whole number",
    Kind.MONTH: "a month like 2026-07",
    Kind.PERIOD: "a period like 2026, 2026-Q3 or 2026-07",
}


@dataclass(frozen=True)
class Staged:
    """Typed rows held in the store's own DuckDB instance: `relation` selects `columns`."""

    relation: str
    columns: tuple[str, ...]
    num_rows: int


@dataclass
class Validated:
    """Typed rows per entity ready for the store, and everything found on the way."""

    tables: dict[str, pa.Table | Staged] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    error_rows: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    truncated: int = 0

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.level is Level.ERROR) + self.truncated

    def add(self, entity: str, rows: list[tuple[str, int, str, str]], level: Level) -> None:
        for file, row, column, message in rows:
            if level is Level.ERROR:
                self.error_rows.setdefault(entity, set()).add((file, row))
            if len(self.issues) < MAX_ISSUES:
                self.issues.append(Issue(file, row, column, message, level))
            elif level is Level.ERROR:
                self.truncated += 1


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _in_list(values: tuple[str, ...] | frozenset[str]) -> str:
    return ", ".join(_q(v) for v in sorted(values))


def _raw(col: Column) -> str:
    """The column holding a value as imported (trimmed): `x__raw` where parsing may fail."""
    return f'"{col.name}__raw"' if col.kind in _EXPECTED else f'"{col.name}"'


def _clean(name: str, arrow_type: pa.DataType) -> str:
    """Text is trimmed and an empty cell is missing; typed input (the demo) is taken as it is."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return f"nullif(trim(\"{name}\"), '')"
    return f'"{name}"'


def _parse(col: Column) -> str:
    c = f'"{col.name}__raw"'
    text = f"CAST({c} AS VARCHAR)"
    match col.kind:
        case Kind.DATE:
            return f"coalesce(TRY_CAST({c} AS DATE), CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE))"
        case Kind.TIMESTAMP:
            return f"CAST(TRY_CAST({c} AS TIMESTAMPTZ) AS TIMESTAMP)"
        case Kind.MONEY:
            return f"TRY_CAST({c} AS DECIMAL(18,4))"
        case Kind.NUMBER:
            return f"TRY_CAST({c} AS DOUBLE)"
        case Kind.INTEGER:
            return f"TRY_CAST({c} AS BIGINT)"
        case Kind.MONTH:
            return (
                f"CASE WHEN regexp_full_match({text}, '\\d{{4}}-(0[1-9]|1[0-2])') "
                f"THEN CAST({text} || '-01' AS DATE) END"
            )
        case Kind.PERIOD:
            return (
                f"CASE WHEN regexp_full_match({text}, '\\d{{4}}(-Q[1-4]|-(0[1-9]|1[0-2]))?') "
                f"THEN {text} END"
            )
        case Kind.CURRENCY:
            return f"upper({text})"
        case _:
            return text


class Validator:
    """Validates one import's frames against the entity specs and the store's current content."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.attached: str | None = None
        self.home = ""
        if store.dialect == "duckdb":
            # a connection of its own on the store's instance, working in an attached in-memory
            # database that the store's connection can read (and write the typed rows from)
            self.db = store.duckdb_connection.cursor()
            self.home = str(self.db.sql("SELECT current_database()").fetchall()[0][0])
            self.attached = f"lb_validate_{uuid.uuid4().hex[:12]}"
            self.db.execute(f"ATTACH ':memory:' AS {self.attached}")
            self.db.execute(f"USE {self.attached}")
        else:
            self.db = duckdb.connect(":memory:")
        self.catalog = str(self.db.sql("SELECT current_database()").fetchall()[0][0])
        self.db.execute("SET TimeZone = 'UTC'")
        self.db.execute("SET enable_progress_bar = false")

    def close(self) -> None:
        if self.attached is not None:
            self.db.execute(f"USE {_ident(self.home)}")
            self.db.execute(f"DETACH {self.attached}")
        self.db.close()

    def validate(self, frames: list[RawFrame]) -> Validated:
        out = Validated()
        present = [e for e in ENTITIES if any(f.entity is e for f in frames)]
        present = [e for e in present if self._stage(e, [f for f in frames if f.entity is e], out)]
        for entity in present:
            self._check_values(entity, out)
            self._check_rules(entity, out)
            if entity.sum_duplicates_on is None:
                self._check_duplicates(entity, out)
        for entity in present:
            self._check_references(entity, present, out)
        if any(e.name == "lead_events" for e in present):
            self._check_handover_order(out)
        for entity in present:
            out.tables[entity.name] = self._typed(entity)
        out.issues.sort(key=lambda i: (i.file, i.row or 0, i.column or ""))
        return out

    # -- staging -----------------------------------------------------------------------------

    def _stage(self, entity: Entity, frames: list[RawFrame], out: Validated) -> bool:
        """`t_<entity>`: every frame's rows with their values parsed beside the raw text.

        One table per frame (a large CSV file read by DuckDB itself, numbering rows by their
        position), united by a view; False when no frame could be read.
        """
        parsed = ", ".join(
            f'{_parse(c)} AS "{c.name}"' + (f", {_raw(c)}" if c.kind in _EXPECTED else "")
            for c in entity.columns
        )
        parts = []
        for i, frame in enumerate(frames):
            name = f"{self.catalog}.p_{entity.name}_{i}"
            if frame.csv is not None and self._read_native(entity, frame, name, parsed):
                parts.append(
                    f"SELECT {_q(frame.source)} AS {FILE}, rowid + 2 AS {ROW}, * FROM {name}"
                )
                continue
            try:
                raw = frame.table
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                out.issues.append(unreadable(frame.source, exc))
                frame.rows_read = 0  # nothing of it could be read
                continue
            self.db.register("raw_frame", raw)
            cleaned = ", ".join(
                f'{_clean(c.name, raw.schema.field(c.name).type)} AS "{c.name}__raw"'
                for c in entity.columns
            )
            self.db.execute(
                f"CREATE OR REPLACE TABLE {name} AS "
                f"WITH src AS (SELECT {FILE}, {ROW}, {cleaned} FROM raw_frame) "
                f"SELECT {FILE}, {ROW}, {parsed} FROM src"
            )
            self.db.unregister("raw_frame")
            parts.append(f"SELECT * FROM {name}")
        if not parts:
            return False
        self.db.execute(
            f"CREATE OR REPLACE VIEW {self.catalog}.t_{entity.name} AS " + " UNION ALL ".join(parts)
        )
        return True

    def _read_native(self, entity: Entity, frame: RawFrame, name: str, parsed: str) -> bool:
        """Read a CSV file with DuckDB's reader; False (to read it with Arrow) if it refuses."""
        assert frame.csv is not None
        header = frame.csv.header
        position: dict[str, int] = {}
        for i, column in enumerate(header):
            position.setdefault(column, i)
        cleaned = ", ".join(
            (f"nullif(trim(c{position[c.name]}), '')" if c.name in position else "NULL::VARCHAR")
            + f' AS "{c.name}__raw"'
            for c in entity.columns
        )
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
        source = (
            f"read_csv({_q(str(frame.csv.path))}, header = true, auto_detect = false, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', "
            "strict_mode = true, null_padding = false, encoding = 'utf-8')"
        )
        try:
            # one statement, in file order: the table's rowid is the record's position
            self.db.execute(
                f"CREATE OR REPLACE TABLE {name} AS "
                f"WITH src AS (SELECT {cleaned} FROM {source}) SELECT {parsed} FROM src"
            )
        except duckdb.Error:
            return False
        frame.rows_read = int(self.db.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0])
        return True

    def _rows(
        self, entity: Entity, column: str, message_sql: str, where: str
    ) -> list[tuple[str, int, str, str]]:
        sql = (
            f"SELECT {FILE}, {ROW}, {_q(column)}, {message_sql} FROM t_{entity.name} "
            f"WHERE {where} ORDER BY {FILE}, {ROW} LIMIT {MAX_ISSUES + 1}"
        )
        return [(str(f), int(r), str(c), str(m)) for f, r, c, m in self.db.execute(sql).fetchall()]

    # -- checks on single values -------------------------------------------------------------

    def _check_values(self, entity: Entity, out: Validated) -> None:
        e = entity.name
        for col in entity.columns:
            c, raw = f'"{col.name}"', _raw(col)
            shown = f"CAST({raw} AS VARCHAR)"
            if col.required:
                out.add(
                    e,
                    self._rows(
                        entity,
                        col.name,
                        f"'missing required value for {col.name}'",
                        f"{raw} IS NULL",
                    ),
                    Level.ERROR,
                )
            if col.kind in _EXPECTED:
                msg = f"'cannot read ''' || {shown} || ''' as {_EXPECTED[col.kind]}'"
                out.add(
                    e,
                    self._rows(entity, col.name, msg, f"{raw} IS NOT NULL AND {c} IS NULL"),
                    Level.ERROR,
                )
            if col.kind is Kind.MONEY:
                out.add(
                    e,
                    self._rows(
                        entity,
                        col.name,
                        f"'negative amount ' || {shown} || ' (amounts must be ≥ 0)'",
                        f"{c} < 0",
                    ),
                    Level.ERROR,
                )
            if col.kind is Kind.CURRENCY:
                msg = f"'unknown currency ''' || {c} || ''' (expected an ISO 4217 code like EUR)'"
                out.add(
                    e,
                    self._rows(
                        entity,
                        col.name,
                        msg,
                        f"{c} IS NOT NULL AND {c} NOT IN ({_in_list(ISO_4217)})",
                    ),
                    Level.ERROR,
                )
            if col.choices:
                msg = f"'unknown {col.name} ''' || {c} || ''' (allowed: {', '.join(col.choices)})'"
                out.add(
                    e,
                    self._rows(
                        entity,
                        col.name,
                        msg,
                        f"{c} IS NOT NULL AND {c} NOT IN ({_in_list(col.choices)})",
                    ),
                    Level.ERROR,
                )

    def _check_rules(self, entity: Entity, out: Validated) -> None:
        for column, message, where, level in _RULES.get(entity.name, ()):
            out.add(entity.name, self._rows(entity, column, message, where), level)

    def _check_duplicates(self, entity: Entity, out: Validated) -> None:
        key = ", ".join(f'"{k}"' for k in entity.key)
        # A cheap hash aggregate tells whether the costlier window query is needed at all.
        if not self.db.execute(
            f"SELECT 1 FROM t_{entity.name} GROUP BY {key} HAVING count(*) > 1 LIMIT 1"
        ).fetchall():
            return
        label = " + ".join(entity.key)
        shown = " || '/' || ".join(f"coalesce(CAST(\"{k}\" AS VARCHAR), '')" for k in entity.key)
        sql = f"""
            SELECT {FILE}, {ROW}, {_q(entity.key[0])},
                   'duplicate {label} ''' || {shown} || ''' (first in ' || first_file ||
                   ' row ' || first_row || ')'
            FROM (SELECT *, row_number() OVER w AS n, first({FILE}) OVER w AS first_file,
                         first({ROW}) OVER w AS first_row
                  FROM t_{entity.name}
                  WINDOW w AS (PARTITION BY {key} ORDER BY {FILE}, {ROW}))
            WHERE n > 1 ORDER BY {FILE}, {ROW} LIMIT {MAX_ISSUES + 1}"""
        rows = [(str(f), int(r), str(c), str(m)) for f, r, c, m in self.db.execute(sql).fetchall()]
        out.add(entity.name, rows, Level.ERROR)

    # -- checks across entities and against the store -----------------------------------------

    def _check_references(self, entity: Entity, present: list[Entity], out: Validated) -> None:
        for col in entity.columns:
            if col.references is None:
                continue
            target = BY_NAME[col.references]
            key = target.key[0]
            in_import = (
                f'SELECT "{key}" FROM t_{target.name} WHERE "{key}" IS NOT NULL'
                if target in present
                else f'SELECT NULL::VARCHAR AS "{key}" WHERE false'
            )
            unresolved = self.db.sql(
                f'SELECT DISTINCT "{col.name}" AS id FROM t_{entity.name} '
                f'WHERE "{col.name}" IS NOT NULL AND "{col.name}" NOT IN ({in_import})'
            ).to_arrow_table()
            if unresolved.num_rows == 0:
                continue
            known = lookup(
                self.store,
                unresolved,
                f"SELECT k.id FROM lb_keys k JOIN {target.name} t ON t.{key} = k.id",
            )
            self.db.register("known_ids", known)
            msg = (
                f"'{col.name} ''' || \"{col.name}\" || ''' refers to a {target.name[:-1]} "
                f"that is neither in this import nor in the store'"
            )
            where = (
                f'"{col.name}" IS NOT NULL AND "{col.name}" NOT IN ({in_import}) '
                f'AND "{col.name}" NOT IN (SELECT CAST(id AS VARCHAR) FROM known_ids)'
            )
            out.add(entity.name, self._rows(entity, col.name, msg, where), Level.ERROR)
            self.db.unregister("known_ids")

    def _check_handover_order(self, out: Validated) -> None:
        """A response (accepted/rejected) needs an earlier handover, in this import or the store."""
        responses = f"event IN ({_in_list(RESPONSES)})"
        self.db.execute("""
            CREATE OR REPLACE TABLE first_handover AS
            SELECT lead_id, min(occurred_at) AS at FROM t_lead_events
            WHERE event = 'handed_over' AND occurred_at IS NOT NULL GROUP BY lead_id""")
        doubtful = self.db.sql(f"""
            SELECT DISTINCT e.lead_id AS id FROM t_lead_events e
            LEFT JOIN first_handover h USING (lead_id)
            WHERE {responses} AND e.occurred_at IS NOT NULL
              AND (h.at IS NULL OR h.at > e.occurred_at)""").to_arrow_table()
        if doubtful.num_rows == 0:
            return
        stored = lookup(
            self.store,
            doubtful,
            "SELECT e.lead_id, min(e.occurred_at) AS at FROM lead_events e "
            "JOIN lb_keys k ON k.id = e.lead_id WHERE e.event = 'handed_over' "
            "GROUP BY e.lead_id",
        )
        self.db.register("stored_handover", stored)
        rows = self.db.execute(f"""
            SELECT e.{FILE}, e.{ROW}, 'occurred_at',
                   CASE WHEN least(h.at, s.at) IS NULL
                        THEN 'lead ''' || e.lead_id || ''' was ' || e.event ||
                             ' but never handed over (no handed_over event)'
                        ELSE e.event || ' at ' || strftime(e.occurred_at, '%Y-%m-%dT%H:%M:%SZ') ||
                             ' comes before the lead''s first handover at ' ||
                             strftime(least(h.at, s.at), '%Y-%m-%dT%H:%M:%SZ') END
            FROM t_lead_events e
            LEFT JOIN first_handover h USING (lead_id)
            LEFT JOIN stored_handover s USING (lead_id)
            WHERE {responses} AND e.occurred_at IS NOT NULL
              AND (least(h.at, s.at) IS NULL OR least(h.at, s.at) > e.occurred_at)
            ORDER BY e.{FILE}, e.{ROW} LIMIT {MAX_ISSUES + 1}""").fetchall()
        self.db.unregister("stored_handover")
        out.add(
            "lead_events", [(str(f), int(r), str(c), str(m)) for f, r, c, m in rows], Level.ERROR
        )

    # -- output ------------------------------------------------------------------------------

    def _typed(self, entity: Entity) -> pa.Table | Staged:
        cols = [f'"{c}"' for c in entity.column_names]
        if entity.synthetic_key:
            parts = ", ".join(f"coalesce(CAST(\"{k}\" AS VARCHAR), '')" for k in entity.key)
            cols.insert(0, f"concat_ws('|', {parts}) AS row_key")
        select = ", ".join(cols)
        if entity.sum_duplicates_on:
            agg = entity.sum_duplicates_on
            others = [c for c in cols if c != f'"{agg}"']
            group = ", ".join(str(i + 1) for i in range(len(others)))
            return (
                self.db.sql(
                    f'SELECT {", ".join(others)}, sum("{agg}") AS "{agg}", min({FILE}) AS {FILE}, '
                    f"min({ROW}) AS {ROW} FROM t_{entity.name} GROUP BY {group}"
                )
                .to_arrow_table()
                .select(
                    [
                        *(["row_key"] if entity.synthetic_key else []),
                        *entity.column_names,
                        FILE,
                        ROW,
                    ]
                )
            )
        sql = f"SELECT {select}, {FILE}, {ROW} FROM t_{entity.name}"
        if self.attached is None:
            return self.db.sql(sql).to_arrow_table()
        rows = self.db.sql(f"SELECT count(*) FROM t_{entity.name}").fetchall()[0][0]
        names = (("row_key",) if entity.synthetic_key else ()) + entity.column_names
        relation = f"(SELECT {select} FROM {self.attached}.t_{entity.name}) AS typed"
        return Staged(relation, names, int(rows))


# (column, message SQL, condition, level) per entity: rules that look at several columns of a row.
_RULES: dict[str, tuple[tuple[str, str, str, Level], ...]] = {
    "campaigns": (
        (
            "end_date",
            "'end_date ' || end_date || ' is before start_date ' || start_date",
            "end_date < start_date",
            Level.ERROR,
        ),
    ),
    "opportunities": (
        (
            "closed_at",
            "'closed_at is required when status is ' || status",
            "status IN ('won', 'lost') AND closed_at__raw IS NULL",
            Level.ERROR,
        ),
        (
            "closed_at",
            "'closed_at ' || closed_at || ' is before created_at ' || created_at",
            "closed_at < created_at",
            Level.ERROR,
        ),
        (
            "closed_at",
            "'closed_at is set on an open opportunity; it is kept but means nothing'",
            "status = 'open' AND closed_at IS NOT NULL",
            Level.WARNING,
        ),
        (
            "probability",
            "'probability ' || CAST(probability__raw AS VARCHAR) || ' is outside 0..1'",
            "probability < 0 OR probability > 1",
            Level.ERROR,
        ),
    ),
    "targets": (
        (
            "metric",
            "'unknown metric ''' || metric || ''' (allowed: " + ", ".join(TARGET_METRICS) + ")'",
            f"metric NOT IN ({_in_list(TARGET_METRICS)})",
            Level.ERROR,
        ),
        ("value", "'negative target ' || CAST(value__raw AS VARCHAR)", "value < 0", Level.ERROR),
    ),
    "fx_rates": (
        (
            "eur_per_unit",
            "'eur_per_unit must be greater than 0, got ' || CAST(eur_per_unit__raw AS VARCHAR)",
            "eur_per_unit <= 0",
            Level.ERROR,
        ),
        (
            "eur_per_unit",
            "'EUR must have eur_per_unit 1, got ' || CAST(eur_per_unit__raw AS VARCHAR)",
            "currency = 'EUR' AND eur_per_unit <> 1",
            Level.ERROR,
        ),
    ),
}
