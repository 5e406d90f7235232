"""Reading import files (canonical CSV, XLSX workbooks) into raw text tables, one per entity."""

from __future__ import annotations

import mmap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from leadboard.model.entities import BY_NAME, ENTITIES, Entity
from leadboard.model.issues import Issue, Level

ROW = "_row"  # spreadsheet row number of a record (header = row 1)
FILE = "_file"

Progress = Callable[[int], None]  # called with the number of bytes just read


def constant_text(value: str, n: int) -> pa.Array:
    """`n` times the same text, without building a Python list of `n` strings."""
    return pa.repeat(pa.scalar(value, pa.string()), n)


def row_numbers(n: int, first: int = 2) -> pa.Array:
    """first, first + 1, ... as int64, built from NumPy's buffer without Arrow's pandas shim."""
    values = np.arange(first, first + n, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(values)])


NATIVE_MIN_BYTES = 4 << 20  # CSV files from this size are read by DuckDB's own reader


@dataclass(frozen=True)
class CsvFile:
    """A canonical CSV file whose rows the validator reads with DuckDB's reader (fast path)."""

    path: Path
    header: tuple[str, ...]


class RawFrame:
    """One entity's rows from one source, all values as text, with `_file` and `_row` columns.

    A large CSV file is not read here: `csv` names it and the validator reads it straight into
    DuckDB; `table` reads it with Arrow only when asked (rejects of --skip-invalid, or when
    DuckDB's stricter reader refused the file).
    """

    def __init__(
        self, entity: Entity, source: str, table: pa.Table | None = None, csv: CsvFile | None = None
    ) -> None:
        if table is None and csv is None:
            raise ValueError("a frame needs a table or a CSV file")
        self.entity = entity
        self.source = source
        self.csv = csv
        self._table = table
        self.rows_read: int | None = None if table is None else table.num_rows

    @property
    def table(self) -> pa.Table:
        if self._table is None:
            assert self.csv is not None
            self._table = _csv_frame_table(self.entity, self.source, self.csv)
            self.rows_read = self._table.num_rows
        return self._table

    @property
    def num_rows(self) -> int:
        return self.rows_read if self.rows_read is not None else self.table.num_rows


@dataclass
class ReadResult:
    frames: list[RawFrame]
    issues: list[Issue]


def read_paths(
    paths: list[Path], progress: Progress | None = None, native: bool = True
) -> ReadResult:
    """Read canonical CSV files and XLSX workbooks; a file that can't be read becomes an issue.

    With `native`, large CSV files are left for the validator to read with DuckDB (fast path).
    """
    result = ReadResult([], [])
    for path in paths:
        if not path.exists():
            result.issues.append(Issue(str(path), None, None, "file not found"))
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            _read_workbook(path, result)
        elif path.suffix.lower() in (".csv", ".txt"):
            _read_csv(path, result, progress, native)
        else:
            result.issues.append(
                Issue(path.name, None, None, "not a CSV or XLSX file (expected .csv or .xlsx)")
            )
    return result


def detect_entity(name: str, header: list[str]) -> Entity | None:
    """The entity a file or sheet holds: by its name (`leads.csv`), else by its header."""
    stem = name.strip().lower().replace(" ", "_").replace("-", "_")
    if stem in BY_NAME:
        return BY_NAME[stem]
    cols = set(header)
    fits = [e for e in ENTITIES if set(e.required_names) <= cols]
    fits.sort(key=lambda e: len(cols & set(e.column_names)), reverse=True)
    return fits[0] if fits else None


def header_issues(entity: Entity, source: str, header: list[str]) -> list[Issue]:
    issues = [
        Issue(source, 1, col, f"required column '{col}' is missing from the header")
        for col in entity.required_names
        if col not in header
    ]
    issues += [
        Issue(
            source,
            1,
            col,
            f"column '{col}' is not part of {entity.name}; it is ignored",
            Level.WARNING,
        )
        for col in header
        if col and col not in entity.column_names
    ]
    dupes = {c for c in header if header.count(c) > 1}
    issues += [Issue(source, 1, c, f"column '{c}' appears twice in the header") for c in dupes]
    return issues


def frame_from_columns(
    entity: Entity, source: str, columns: dict[str, pa.ChunkedArray], rows: list[int] | None = None
) -> RawFrame:
    """Keep the entity's columns (missing ones as nulls) and number the rows (default 2, 3, ...)."""
    n = len(next(iter(columns.values()))) if columns else 0
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {}
    for col in entity.column_names:
        arrays[col] = columns[col] if col in columns else pa.nulls(n, pa.string())
    arrays[FILE] = constant_text(source, n)
    arrays[ROW] = pa.array(rows, pa.int64()) if rows is not None else row_numbers(n)
    return RawFrame(entity, source, pa.table(arrays))


class _CountingFile:
    def __init__(self, path: Path, progress: Progress | None) -> None:
        self._f = path.open("rb")
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        if self._progress:
            self._progress(len(data))
        return data

    def close(self) -> None:
        self._f.close()

    @property
    def closed(self) -> bool:
        return self._f.closed


def _read_csv(path: Path, result: ReadResult, progress: Progress | None, native: bool) -> None:
    header = csv_header(path)
    if header is None:
        result.issues.append(Issue(path.name, None, None, "empty file: no header row"))
        return
    entity = detect_entity(path.stem, header)
    if entity is None:
        result.issues.append(
            Issue(
                path.name,
                1,
                None,
                "cannot tell which entity this file holds: name it like "
                "leads.csv or give the canonical header",
            )
        )
        return
    problems = header_issues(entity, path.name, header)
    result.issues += problems
    if any(p.level is Level.ERROR for p in problems):
        return
    size = path.stat().st_size
    if native and size >= NATIVE_MIN_BYTES and reads_alike(path):
        result.frames.append(RawFrame(entity, path.name, csv=CsvFile(path, tuple(header))))
        if progress:
            progress(size)
        return
    try:
        table = csv_text_table(path, header, progress)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        result.issues.append(unreadable(path.name, exc))
        return
    columns = {c: table.column(i) for i, c in enumerate(header) if c in entity.column_names}
    result.frames.append(frame_from_columns(entity, path.name, columns))


def reads_alike(path: Path) -> bool:
    """Whether DuckDB's reader gives the same rows as Arrow's for this file.

    DuckDB would expand a glob pattern in the name, and it drops blanks between a delimiter
    and a quote (`a, "b" ,c`) where Arrow keeps them and reads the quotes as text.
    """
    if any(c in str(path) for c in "*?[{"):
        return False
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return all(view.find(pattern) < 0 for pattern in (b' "', b'" ', b'\t"', b'"\t'))


def unreadable(source: str, exc: Exception) -> Issue:
    return Issue(source, None, None, f"cannot read the file as UTF-8 CSV: {exc}")


def _csv_frame_table(entity: Entity, source: str, csv_file: CsvFile) -> pa.Table:
    """The frame's rows read with Arrow (raises ArrowInvalid/UnicodeDecodeError if unreadable)."""
    header = list(csv_file.header)
    table = csv_text_table(csv_file.path, header, None)
    columns = {c: table.column(i) for i, c in enumerate(header) if c in entity.column_names}
    return frame_from_columns(entity, source, columns).table


def csv_header(path: Path) -> list[str] | None:
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        import csv

        try:
            first = next(csv.reader(f))
        except StopIteration:
            return None
    return [h.strip() for h in first]


def csv_text_table(path: Path, header: list[str], progress: Progress | None) -> pa.Table:
    names = [f"c{i}" for i in range(len(header))]
    read = pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=16 << 20)
    convert = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    # The parallel parser splits blocks at line ends, so it is only safe without line breaks
    # inside quoted values.
    parse = pacsv.ParseOptions(newlines_in_values=has_quoted_line_breaks(path))
    source = _CountingFile(path, progress)
    try:
        return pacsv.read_csv(
            source, read_options=read, parse_options=parse, convert_options=convert
        )
    finally:
        source.close()


def has_quoted_line_breaks(path: Path) -> bool:
    """Whether a line break falls inside a quoted value: an odd number of quotes precedes it.

    Escaped quotes ("") come in pairs and keep the parity, so counting every quote is exact.
    """
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
        if view.find(b'"') < 0:  # the common machine export: nothing quoted at all
            return False
        data = np.frombuffer(view, dtype=np.uint8)
        quotes = np.flatnonzero(data == ord('"'))
        breaks = np.flatnonzero((data == ord("\n")) | (data == ord("\r")))
        del data  # the buffer must be released before the map closes
    before = np.searchsorted(quotes, breaks)
    return bool(np.any(before % 2 == 1))


def _read_workbook(path: Path, result: ReadResult) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        result.issues.append(Issue(path.name, None, None, f"cannot open the workbook: {exc}"))
        return
    try:
        for sheet in book.worksheets:
            _read_sheet(path.name, sheet, result)
    finally:
        book.close()


def _read_sheet(book_name: str, sheet: object, result: ReadResult) -> None:
    rows = iter(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    title = str(sheet.title)  # type: ignore[attr-defined]
    source = f"{book_name}#{title}"
    first = next(rows, None)
    if first is None:
        return
    header = [str(h).strip() if h is not None else "" for h in first]
    entity = detect_entity(title, header)
    if entity is None:
        result.issues.append(
            Issue(
                source,
                None,
                None,
                "sheet ignored: its name and header match no entity",
                Level.WARNING,
            )
        )
        return
    problems = header_issues(entity, source, header)
    result.issues += problems
    if any(p.level is Level.ERROR for p in problems):
        return
    data: dict[str, list[str | None]] = {c: [] for c in header if c in entity.column_names}
    numbers: list[int] = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue  # empty rows are skipped but keep their number, as Excel shows them
        numbers.append(number)
        for i, col in enumerate(header):
            if col in data:
                data[col].append(_cell_text(values[i] if i < len(values) else None))
    arrays = {c: pa.chunked_array([pa.array(v, pa.string())]) for c, v in data.items()}
    result.frames.append(frame_from_columns(entity, source, arrays, numbers))


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
