"""/data: import history and data-quality problems (with the records affected)."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from leadboard.metrics.quality import quality_report
from leadboard.sources.importer import ImportOptions, import_files
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


def upload_texts(lang: str) -> tuple[str, str]:
    title = {"en": "Import files", "de": "Dateien importieren"}[lang]
    hint = {
        "en": "Drop canonical CSV files or an XLSX workbook here, or click to choose. Everything "
        "is validated first; with any error nothing is written and every problem is listed.",
        "de": "Kanonische CSV-Dateien oder eine XLSX-Arbeitsmappe hier ablegen oder klicken. "
        "Alles wird zuerst geprüft; bei einem Fehler wird nichts geschrieben und jedes Problem "
        "aufgelistet.",
    }[lang]
    return title, hint


def upload_card(lang: str) -> html.Section:
    """Kept outside the page's content, so a live re-render never wipes an import's result."""
    title, hint = upload_texts(lang)
    return html.Section(
        className="card wide",
        children=[
            html.H2(title, id="upload-title"),
            dcc.Upload(
                id="upload",
                multiple=True,
                className="upload",
                children=html.Div(hint, id="upload-hint"),
            ),
            html.Div(id="upload-result"),
        ],
    )


def upload(ctx: PageContext, names: list[str], contents: list[str]) -> list[Any]:
    """Import uploaded files through the same validation and write path as the CLI."""
    with tempfile.TemporaryDirectory(prefix="leadboard-upload-") as tmp:
        paths = []
        for name, content in zip(names, contents, strict=True):
            path = Path(tmp) / Path(name).name
            path.write_bytes(base64.b64decode(content.split(",", 1)[1]))
            paths.append(path)
        report = import_files(ctx.engine.store, paths, ImportOptions(user="dashboard"))
    written = sum(c.written for c in report.counts.values())
    if report.status == "committed":
        ctx.engine.prepare_soon()
        text = {
            "en": f"Imported: {written:,} rows written (data version {report.data_version}).",
            "de": f"Importiert: {written:,} Zeilen geschrieben (Datenstand {report.data_version}).",
        }[ctx.lang]
        return [html.Div(text, className="ok", id="upload-status")]
    text = {
        "en": f"Nothing was imported: {len(report.errors)} error(s).",
        "de": f"Nichts wurde importiert: {len(report.errors)} Fehler.",
    }[ctx.lang]
    rows = [
        {
            "file": i.file,
            "row": i.row,
            "column": i.column,
            "problem": i.message,
            "level": str(i.level),
        }
        for i in report.issues
    ]
    return [html.Div(text, className="error", id="upload-status"), _grid("upload-issues", rows)]
