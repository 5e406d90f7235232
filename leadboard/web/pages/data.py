"""/data: import history and data-quality problems (with the records affected)."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from leadboard.metrics.quality import quality_report
from leadboard.metrics.sla import SlaConfigError, effective_settings, save_sla
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
    cards = [
        card(history_title, _grid("imports-grid", runs), wide=True),
        card(quality_title, _grid("quality-grid", issues), wide=True),
    ]
    if ctx.scope.allowed is None:  # administrators set the response SLA
        cards.append(card(SLA_TEXT["title"][ctx.lang], sla_form(ctx), wide=True))
    return cards


SLA_TEXT = {
    "title": {"en": "Response SLA (administration)", "de": "Reaktionsfrist (Administration)"},
    "hours": {"en": "Default hours", "de": "Standard-Stunden"},
    "clock": {"en": "Counted in", "de": "Gezählt in"},
    "calendar": {"en": "calendar hours", "de": "Kalenderstunden"},
    "business": {"en": "business hours", "de": "Arbeitsstunden"},
    "teams": {
        "en": "Hours per team (TEAM=hours, one per line)",
        "de": "Stunden je Team (TEAM=Stunden, je Zeile)",
    },
    "countries": {
        "en": "Hours per country (DE=hours, one per line)",
        "de": "Stunden je Land (DE=Stunden, je Zeile)",
    },
    "business_hours": {"en": "Working hours", "de": "Arbeitszeit"},
    "business_days": {"en": "Working days", "de": "Arbeitstage"},
    "save": {"en": "Save SLA", "de": "SLA speichern"},
    "saved": {
        "en": "Saved: the KPIs and alerts follow the new SLA.",
        "de": "Gespeichert: KPIs und Warnungen folgen der neuen Frist.",
    },
}


def _lines(values: dict[str, float]) -> str:
    return "\n".join(f"{k}={v:g}" for k, v in sorted(values.items()))


def sla_form(ctx: PageContext) -> Any:
    s = effective_settings(ctx.engine.settings, ctx.engine.store)
    lang = ctx.lang

    def field(key: str, control: Any) -> Any:
        return html.Label([html.Span(SLA_TEXT[key][lang]), control], className="sla-field")

    return html.Div(
        className="sla-form",
        children=[
            field("hours", dcc.Input(id="sla-hours", type="number", min=0.1, value=s.sla_hours)),
            field(
                "clock",
                dcc.Dropdown(
                    id="sla-clock",
                    options=[
                        {"label": SLA_TEXT[c][lang], "value": c} for c in ("calendar", "business")
                    ],
                    value=s.sla_clock,
                    clearable=False,
                ),
            ),
            field("business_hours", dcc.Input(id="sla-business-hours", value=s.business_hours)),
            field("business_days", dcc.Input(id="sla-business-days", value=s.business_days)),
            field("teams", dcc.Textarea(id="sla-teams", value=_lines(s.sla_team_hours))),
            field("countries", dcc.Textarea(id="sla-countries", value=_lines(s.sla_country_hours))),
            html.Button(SLA_TEXT["save"][lang], id="sla-save", className="button"),
            html.Div(id="sla-status"),
        ],
    )


def save_sla_form(ctx: PageContext, values: dict[str, Any]) -> Any:
    """Check and store the SLA from the form; say what is wrong, field by field."""
    try:
        changes = {
            "sla_hours": values["hours"],
            "sla_clock": values["clock"],
            "business_hours": values["business_hours"] or "",
            "business_days": values["business_days"] or "",
            "sla_team_hours": _pairs(values["teams"] or "", "teams", ctx.lang),
            "sla_country_hours": _pairs(values["countries"] or "", "countries", ctx.lang),
        }
        save_sla(ctx.engine.store, ctx.engine.settings, changes)
    except SlaConfigError as exc:
        return html.Div(str(exc), className="error")
    ctx.engine.prepare_soon()
    return html.Div(SLA_TEXT["saved"][ctx.lang], className="ok", id="sla-saved")


def _pairs(text: str, key: str, lang: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, hours = line.partition("=")
        try:
            out[name.strip()] = float(hours)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise SlaConfigError(f"{SLA_TEXT[key][lang]}: cannot read {line.strip()!r}")
    return out


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
