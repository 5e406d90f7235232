"""Reports: the XLSX workbook and the PPTX deck, written from the KPI engine's results."""

from __future__ import annotations

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import RequestError, Scope
from leadboard.reports.content import ReportRequest, build_report

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def render_report(engine: KpiEngine, scope: Scope, fmt: str, req: ReportRequest) -> bytes:
    """The report file's bytes, in `xlsx` or `pptx`."""
    if fmt not in FORMATS:
        raise RequestError("format", f"unknown format {fmt!r}; allowed: xlsx, pptx")
    report = build_report(engine, scope, req)
    if fmt == "xlsx":
        from leadboard.reports.xlsx import write_xlsx

        return write_xlsx(report)
    from leadboard.reports.pptx import write_pptx

    return write_pptx(report)


def file_name(fmt: str, req: ReportRequest) -> str:
    page = f"-{req.page}" if req.page else ""
    period = "".join(c if c.isalnum() or c in "-." else "_" for c in req.period)
    return f"leadboard{page}-{period}.{fmt}"
