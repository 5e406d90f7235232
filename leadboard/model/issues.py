"""One issue type for every validation: import rows, KPI definitions, data quality."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    """A problem found in data: where (file, row, column) and what, in plain words.

    `row` is the 1-based data row as a spreadsheet shows it (the header is row 1, so the first
    record is row 2); it is None for file-level problems.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    level: Level = Level.ERROR
    code: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["level"] = self.level.value
        return data

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{self.level.value}: {where}: {self.message}"
