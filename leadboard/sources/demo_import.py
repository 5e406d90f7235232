"""Loading the demo company through the same import path as any file."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from leadboard.model.entities import BY_NAME
from leadboard.sources.files import FILE, ROW, RawFrame, constant_text, row_numbers
from leadboard.sources.importer import ImportOptions, ImportReport, Progress, import_frames
from leadboard.store import Store


def demo_frames(n_leads: int, seed: int, as_of: datetime | None = None) -> list[RawFrame]:
    """The generated company as raw frames, one per entity, numbered like file rows."""
    from leadboard.sources.demo import generate_company

    frames = []
    for name, table in generate_company(n_leads, seed, as_of).items():
        source = f"demo:{name}"
        for column in BY_NAME[name].column_names:  # what the demo does not fill stays empty
            if column not in table.column_names:
                table = table.append_column(column, pa.nulls(table.num_rows, pa.string()))
        table = table.append_column(FILE, constant_text(source, table.num_rows))
        table = table.append_column(ROW, row_numbers(table.num_rows))
        frames.append(RawFrame(BY_NAME[name], source, table))
    return frames


def load_demo(
    store: Store,
    n_leads: int,
    seed: int,
    progress: Progress | None = None,
    as_of: datetime | None = None,
) -> ImportReport:
    if progress:
        progress.start(f"Generating a demo company with {n_leads:,} leads")
    frames = demo_frames(n_leads, seed, as_of)
    options = ImportOptions(profile=None, user="demo")
    return import_frames(
        store, frames, [], [f"demo (seed {seed}, {n_leads:,} leads)"], options, progress
    )
