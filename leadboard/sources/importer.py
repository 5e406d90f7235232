"""The import path of every source: read, validate everything, then write in one transaction."""

from __future__ import annotations

import csv
import getpass
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from leadboard.model.entities import ENTITIES
from leadboard.model.issues import Issue, Level
from leadboard.sources.files import FILE, ROW, RawFrame, read_paths
from leadboard.sources.validate import Validated, Validator
from leadboard.store import Store
from leadboard.store.ingest import ImportRun, bump_data_version, record_run, upsert

MAX_PASSES = 6  # skip-invalid re-validates until rejecting rows makes no further row invalid


class Progress(Protocol):
    def start(self, description: str, total: int | None = None, unit: str = "bytes") -> None: ...
    def advance(self, amount: int) -> None: ...


class _Quiet:
    def start(self, description: str, total: int | None = None, unit: str = "bytes") -> None:
        pass

    def advance(self, amount: int) -> None:
        pass


@dataclass(frozen=True)
class ImportOptions:
    skip_invalid: bool = False
    rejects_path: Path | None = None
    profile: str | None = None
    user: str = ""
    hold_commit_signal: str = ""  # testing hook: write this file, then wait before COMMIT


@dataclass
class EntityCount:
    read: int = 0
    written: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    """What an import did: the outcome, counts per entity and every issue found."""

    status: str  # committed | failed
    sources: list[str]
    issues: list[Issue]
    counts: dict[str, EntityCount] = field(default_factory=dict)
    run_id: int | None = None
    data_version: int | None = None
    rejects_file: str | None = None
    seconds: float = 0.0
    more_errors: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level is Level.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level is Level.WARNING]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "run_id": self.run_id,
            "data_version": self.data_version,
            "sources": self.sources,
            "counts": {k: vars(v) for k, v in self.counts.items()},
            "error_count": len(self.errors) + self.more_errors,
            "warning_count": len(self.warnings),
            "rejects_file": self.rejects_file,
            "seconds": round(self.seconds, 3),
            "issues": [i.as_dict() for i in self.issues],
        }


def import_files(
    store: Store, paths: list[Path], options: ImportOptions, progress: Progress | None = None
) -> ImportReport:
    """Import canonical CSV/XLSX files (or, with `options.profile`, a profile's source files)."""
    progress = progress or _Quiet()
    if options.profile:
        from leadboard.sources.profiles import load_profile

        profile = load_profile(options.profile)
        progress.start(f"Mapping with profile {profile.name}")
        frames, issues = profile.apply(paths)
    else:
        total = sum(p.stat().st_size for p in paths if p.exists() and p.is_file())
        progress.start("Reading files", total)
        # skip-invalid re-reads the frames that lose rows with Arrow: read them so from the start
        read = read_paths(paths, progress.advance, native=not options.skip_invalid)
        frames, issues = read.frames, read.issues
    return import_frames(store, frames, issues, [p.name for p in paths], options, progress)


def import_frames(
    store: Store,
    frames: list[RawFrame],
    read_issues: list[Issue],
    sources: list[str],
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate `frames` and write them in one transaction (strict), or only the valid rows."""
    progress = progress or _Quiet()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    progress.start("Validating")
    validator = Validator(store)  # holds the typed rows until they are written
    try:
        validated, rejected = _validate(validator, frames, options.skip_invalid)
        issues = read_issues + validated.issues
        report = ImportReport("failed", sources, issues, more_errors=validated.truncated)
        report.counts = _counts(frames, validated, rejected)
        fatal = any(i.level is Level.ERROR for i in issues) and not options.skip_invalid
        if not fatal and frames:
            total = sum(t.num_rows for t in validated.tables.values())
            progress.start("Writing to the store", total, unit="rows")
            report.run_id, report.data_version = _apply(
                store, validated, options, progress, report, started
            )
            report.status = "committed"
    finally:
        validator.close()
    if options.skip_invalid and rejected and options.rejects_path:
        _write_rejects(options.rejects_path, frames, rejected, issues)
        report.rejects_file = str(options.rejects_path)
    report.seconds = time.perf_counter() - clock
    if report.status == "failed":
        report.run_id = _record(store, report, options, started, "failed")
    return report


def _validate(
    validator: Validator, frames: list[RawFrame], skip_invalid: bool
) -> tuple[Validated, dict[str, set[tuple[str, int]]]]:
    result = validator.validate(frames)
    rejected: dict[str, set[tuple[str, int]]] = {}
    passes = 1
    while skip_invalid and result.error_rows and passes < MAX_PASSES:
        for entity, rows in result.error_rows.items():
            rejected.setdefault(entity, set()).update(rows)
        kept = [_without(f, rejected.get(f.entity.name, set())) for f in frames]
        issues = result.issues
        result = validator.validate([f for f in kept if f.num_rows])
        result.issues = issues + result.issues
        passes += 1
    return result, rejected


def _without(frame: RawFrame, rows: set[tuple[str, int]]) -> RawFrame:
    numbers = [r for f, r in rows if f == frame.source]
    if not numbers:
        return frame
    mask = pc.invert(pc.is_in(frame.table.column(ROW), pa.array(numbers, pa.int64())))
    return RawFrame(frame.entity, frame.source, frame.table.filter(mask))


def _counts(
    frames: list[RawFrame], validated: Validated, rejected: dict[str, set[tuple[str, int]]]
) -> dict[str, EntityCount]:
    counts: dict[str, EntityCount] = {}
    for entity in ENTITIES:
        read = sum(f.num_rows for f in frames if f.entity is entity)
        if read:
            n_rejected = len(rejected.get(entity.name, set()))
            counts[entity.name] = EntityCount(read=read, rejected=n_rejected)
    return counts


def _apply(
    store: Store,
    validated: Validated,
    options: ImportOptions,
    progress: Progress,
    report: ImportReport,
    started: datetime,
) -> tuple[int, int]:
    with store.transaction():
        for entity in ENTITIES:
            table = validated.tables.get(entity.name)
            if table is None:
                continue
            if isinstance(table, pa.Table):
                table = table.drop_columns([FILE, ROW])
            written = upsert(store, entity, table)
            report.counts.setdefault(entity.name, EntityCount()).written = written
            progress.advance(written)
        version = bump_data_version(store)
        report.status = "committed"
        run_id = _record(store, report, options, started, "committed")
        if options.hold_commit_signal:
            Path(options.hold_commit_signal).write_text("holding", encoding="utf-8")
            time.sleep(600)
    return run_id, version


def _record(
    store: Store, report: ImportReport, options: ImportOptions, started: datetime, status: str
) -> int:
    counts = report.counts.values()
    run = ImportRun(
        started_at=started,
        finished_at=datetime.now(UTC),
        user_name=options.user or _os_user(),
        sources=report.sources,
        profile=options.profile,
        mode="skip-invalid" if options.skip_invalid else "strict",
        status=status,
        rows_read=sum(c.read for c in counts),
        rows_written=sum(c.written for c in counts),
        rows_rejected=sum(c.rejected for c in counts),
        error_count=len(report.errors) + report.more_errors,
        warning_count=len(report.warnings),
        detail={
            "counts": {k: vars(v) for k, v in report.counts.items()},
            "first_errors": [str(i) for i in report.errors[:20]],
        },
    )
    return record_run(store, run)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _write_rejects(
    path: Path,
    frames: list[RawFrame],
    rejected: dict[str, set[tuple[str, int]]],
    issues: list[Issue],
) -> None:
    """Every rejected row with its original values and the reasons, so nothing is lost."""
    reasons: dict[tuple[str, int], list[str]] = {}
    for issue in issues:
        if issue.level is Level.ERROR and issue.row is not None:
            reasons.setdefault((issue.file, issue.row), []).append(
                f"{issue.column}: {issue.message}" if issue.column else issue.message
            )
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["entity", "file", "row", "reasons", "record"])
        for frame in frames:
            rows = rejected.get(frame.entity.name, set())
            numbers = [r for fl, r in rows if fl == frame.source]
            if not numbers:
                continue
            mask = pc.is_in(frame.table.column(ROW), pa.array(numbers, pa.int64()))
            for rec in frame.table.filter(mask).to_pylist():
                key = (rec.pop(FILE), rec.pop(ROW))
                out.writerow(
                    [
                        frame.entity.name,
                        key[0],
                        key[1],
                        "; ".join(reasons.get(key, [])),
                        json.dumps(rec, default=str, ensure_ascii=False),
                    ]
                )
