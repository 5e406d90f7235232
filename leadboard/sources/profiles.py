"""Import profiles: declarative mappings from a non-canonical source onto the canonical entities.

A profile is a TOML file (see `docs/import-profiles.md`): named source files, then blocks that each
produce rows of one entity from one source, with joins, value maps, constants, templates, grouping
and filters. It compiles to SQL run in a private DuckDB, and its output goes through the same
validation and write path as a canonical import.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from leadboard.model.entities import BY_NAME, Entity
from leadboard.model.issues import Issue
from leadboard.sources.files import FILE, ROW, RawFrame, csv_header, csv_text_table

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


class ProfileError(ValueError):
    """A profile that cannot be used, explained."""


@dataclass(frozen=True)
class Block:
    entity: Entity
    source: str
    columns: dict[str, Any]
    joins: tuple[dict[str, str], ...]
    where: str | None
    group_by: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    sources: dict[str, str]  # alias → file name
    blocks: tuple[Block, ...]

    def apply(self, paths: list[Path]) -> tuple[list[RawFrame], list[Issue]]:
        """Map the source files found in `paths` (files or folders) onto canonical raw frames."""
        files, issues = self._locate(paths)
        if issues:
            return [], issues
        db = duckdb.connect(":memory:")
        try:
            for alias, path in files.items():
                db.register(alias, _load(path))
            return [self._run(db, block, i) for i, block in enumerate(self.blocks, 1)], []
        finally:
            db.close()

    def _locate(self, paths: list[Path]) -> tuple[dict[str, Path], list[Issue]]:
        found: dict[str, Path] = {}
        candidates = [p for path in paths for p in ([path] if path.is_file() else path.rglob("*"))]
        for alias, name in self.sources.items():
            match = next((p for p in candidates if p.name == name), None)
            if match is not None:
                found[alias] = match
        missing = [n for a, n in self.sources.items() if a not in found]
        return found, [
            Issue(
                name,
                None,
                None,
                f"profile {self.name} needs the file {name}; it was not found "
                "among the given paths",
            )
            for name in missing
        ]

    def _run(self, db: duckdb.DuckDBPyConnection, block: Block, number: int) -> RawFrame:
        exprs = {c: _expr(spec) for c, spec in block.columns.items()}
        select = [
            f'CAST({exprs[c]} AS VARCHAR) AS "{c}"'
            if c in exprs
            else f'CAST(NULL AS VARCHAR) AS "{c}"'
            for c in block.entity.column_names
        ]
        primary = block.source
        row = f"min({primary}.{ROW})" if block.group_by else f"{primary}.{ROW}"
        sql = f"SELECT {', '.join(select)}, {row} AS {ROW} FROM {primary}"
        for join in block.joins:
            how = join.get("how", "left").upper()
            sql += f" {how} JOIN {join['source']} ON {join['on']}"
        if block.where:
            sql += f" WHERE {block.where}"
        if block.group_by:
            sql += " GROUP BY " + ", ".join(exprs[c] for c in block.group_by)
        sql += f" ORDER BY {ROW}"
        table = db.sql(sql).to_arrow_table()
        label = (
            f"{self.sources[primary]} (profile {self.name}, block {number}: {block.entity.name})"
        )
        table = table.append_column(FILE, pa.array([label] * table.num_rows, pa.string()))
        return RawFrame(block.entity, label, table)


def _load(path: Path) -> pa.Table:
    header = csv_header(path) or []
    table = csv_text_table(path, header, None).rename_columns(header)
    rows = pa.array(range(2, 2 + table.num_rows), pa.int64())
    return table.append_column(ROW, rows)


def _lit(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _col(name: str) -> str:
    if not _IDENT.match(name):
        raise ProfileError(f"'{name}' is not a column name (use `expr` for expressions)")
    return ".".join(f'"{part}"' for part in name.split("."))


def _expr(spec: Any) -> str:
    """Compile one column mapping to a SQL expression."""
    if isinstance(spec, str):
        return f"nullif(trim({_col(spec)}), '')"
    if not isinstance(spec, dict):
        raise ProfileError(f"a column mapping must be a column name or a table, got {spec!r}")
    if "expr" in spec:
        base = f"({spec['expr']})"
    elif "value" in spec:
        base = _lit(spec["value"])
    elif "template" in spec:
        base = _template(str(spec["template"]))
    elif "column" in spec:
        base = f"nullif(trim({_col(spec['column'])}), '')"
    else:
        raise ProfileError(f"column mapping {spec!r} needs one of column, value, template, expr")
    if "map" in spec:
        cases = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in spec["map"].items())
        base = f"(CASE {base} {cases} ELSE {base} END)"
    if "default" in spec:
        base = f"coalesce({base}, {_lit(spec['default'])})"
    if "aggregate" in spec:
        if spec["aggregate"] not in ("min", "max", "sum", "count", "any_value"):
            raise ProfileError(f"unknown aggregate {spec['aggregate']!r}")
        base = f"{spec['aggregate']}({base})"
    return base


def _template(text: str) -> str:
    parts = re.split(r"\{([^}]+)\}", text)
    sql = [
        _lit(p) if i % 2 == 0 else f"coalesce(CAST({_col(p)} AS VARCHAR), '')"
        for i, p in enumerate(parts)
        if p or i % 2
    ]
    return "(" + " || ".join(sql) + ")"


def _block(raw: dict[str, Any], sources: dict[str, str]) -> Block:
    entity = BY_NAME.get(str(raw.get("entity")))
    if entity is None:
        raise ProfileError(f"unknown entity {raw.get('entity')!r} (allowed: {', '.join(BY_NAME)})")
    source = str(raw.get("from"))
    joins = tuple(raw.get("join", ()))
    for name in [source, *(j.get("source") for j in joins)]:
        if name not in sources:
            raise ProfileError(f"block for {entity.name} uses source {name!r}, not declared")
    columns = dict(raw.get("columns", {}))
    unknown = set(columns) - set(entity.column_names)
    if unknown:
        raise ProfileError(f"{entity.name} has no column(s) {', '.join(sorted(unknown))}")
    return Block(entity, source, columns, joins, raw.get("where"), tuple(raw.get("group_by", ())))


def parse_profile(text: str, name: str) -> Profile:
    """Parse and check a profile's TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {name}: not valid TOML: {exc}") from exc
    sources = {alias: str(spec["file"]) for alias, spec in data.get("sources", {}).items()}
    blocks = tuple(_block(b, sources) for b in data.get("entities", []))
    if not blocks:
        raise ProfileError(f"profile {name} maps no entities")
    return Profile(str(data.get("name", name)), str(data.get("title", name)), sources, blocks)


def builtin_profiles() -> list[str]:
    folder = resources.files("leadboard.sources").joinpath("profiles")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name (`olist`, `maven`) or a profile file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        return parse_profile(path.read_text("utf-8"), path.stem)
    if name_or_path not in builtin_profiles():
        raise ProfileError(
            f"unknown profile {name_or_path!r}: built-in ones are "
            f"{', '.join(builtin_profiles())}, or give the path of a .toml file"
        )
    text = resources.files("leadboard.sources").joinpath(f"profiles/{name_or_path}.toml")
    return parse_profile(text.read_text("utf-8"), name_or_path)
