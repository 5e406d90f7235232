"""/data: import history and data-quality problems (with the records affected)."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag

from leadboard.metrics.quality import quality_report
from leadboard.store.ingest import import_history
from leadboard.web.components import PageContext, card


def render(ctx: PageContext) -> list[Any]:
    history = import_history(ctx.engine.store, 50)
    runs = [
        {
            "run": r["run_id"],
            "finished": str(r["finished_at"])[:19],
            "user": r["user_name"],
            "status": r["status"],
            "read": r["rows_read"],
            "written": r["rows_written"],
            "rejected": r["rows_rejected"],
            "sources": ", ".join(r["sources"]),
        }
        for r in history
    ]
    issues = (
        [
            {
                "level": i.level,
                "problem": i.message,
                "count": i.count,
                "examples": ", ".join(i.records[:10]),
            }
            for i in quality_report(ctx.engine, ctx.scope)
        ]
        if ctx.scope.allowed is None
        else []
    )
    title = {"en": ("Import history", "Data quality"), "de": ("Importverlauf", "Datenqualität")}
    history_title, quality_title = title[ctx.lang]
    return [
        card(history_title, _grid("imports-grid", runs), wide=True),
        card(quality_title, _grid("quality-grid", issues), wide=True),
    ]


def _grid(grid_id: str, rows: list[dict[str, Any]]) -> dag.AgGrid:
    columns = [{"field": k} for k in (rows[0] if rows else {"-": None})]
    return dag.AgGrid(
        id=grid_id,
        rowData=rows,
        columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True},
        columnSize="responsiveSizeToFit",
        style={"height": "320px"},
        className="ag-theme-quartz",
    )
