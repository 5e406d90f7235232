"""The XLSX report: a cover, one sheet per view with a formatted table and a native Excel chart,
the alerts, the records behind the main numbers and the KPI definitions.

Numbers are stored as numbers with a number format per unit; target achievement is coloured by
Excel's own conditional formatting, so the workbook stays live when someone edits it.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from leadboard.reports.content import Report, Section, filters_text
from leadboard.reports.texts import SEVERITY, TEXT, dimension_label, rule_name

BRAND = "1F4E79"
HEADER_FILL = PatternFill("solid", fgColor=BRAND)
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=16, color=BRAND)
FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "amber": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
}
STATES = {
    "green": {"en": "green", "de": "grün"},
    "amber": {"en": "amber", "de": "gelb"},
    "red": {"en": "red", "de": "rot"},
    "grey": {"en": "no target", "de": "kein Ziel"},
}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}
MAX_SHEET_NAME = 31


def number_format(unit: str, currency: str) -> str:
    symbol = _SYMBOLS.get(currency, currency)
    return {
        "count": "#,##0",
        "currency": f'#,##0 "{symbol}"',
        "percent": "0.0%",
        "hours": "0.0",
        "ratio": "0.00",
    }.get(unit, "General")


def write_xlsx(report: Report) -> bytes:
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = _t("cover", report)
    _printable(cover)
    sheets: list[str] = []
    sheets.append(_cockpit(wb, report))
    if report.global_target is not None:
        sheets.append(_global_target(wb, report))
    for section in report.sections:
        sheets.append(_section(wb, report, section))
    if report.request.page in (None, "cockpit", "alerts"):
        sheets.append(_alerts(wb, report))
    for page in report.records:
        sheets.append(_records(wb, report, page))
    sheets.append(_definitions(wb, report))
    _cover(cover, report, sheets)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _t(key: str, report: Report) -> str:
    return TEXT[key][report.lang]


def _sheet(wb: Workbook, title: str) -> Worksheet:
    name = title.replace("/", "-")[:MAX_SHEET_NAME]
    ws = wb.create_sheet(name)
    _printable(ws)
    return ws


def _printable(ws: Worksheet) -> None:
    """Printed or exported to PDF: landscape, as wide as one page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for i, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=i, value=name)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = f"B{row + 1}"  # a string: creating the cell would shift appended rows


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _cover(ws: Worksheet, report: Report, sheets: list[str]) -> None:
    ws["A1"] = _t("report_title", report)
    ws["A1"].font = TITLE_FONT
    rows = [
        (
            _t("period", report),
            f"{report.period['label']} ({report.period['start']} – {report.period['end']})",
        ),
        (_t("filters", report), filters_text(report.request)),
        (_t("as_of", report), report.as_of),
        (_t("data_version", report), report.data_version),
        (_t("currency", report), report.currency),
        (_t("generated", report), report.generated_at.isoformat()),
    ]
    for i, (k, v) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=k).font = Font(bold=True)
        ws.cell(row=i, column=2, value=v)
    start = len(rows) + 4
    ws.cell(row=start, column=1, value=_t("contents", report)).font = Font(bold=True)
    for i, name in enumerate(sheets, start=start + 1):
        cell = ws.cell(row=i, column=1, value=name)
        cell.hyperlink = f"#'{name}'!A1"
        cell.font = Font(color="2E86C1", underline="single")
    row = start + len(sheets) + 2
    for page in report.records:
        if page.total > len(page.rows):
            text = _t("records_cut", report).format(
                shown=len(page.rows), total=page.total, what=page.entity
            )
            ws.cell(row=row, column=1, value=text)
            ws.cell(row=row + 1, column=1, value=_records_link(report, page.metric))
            row += 2
    _widths(ws, [28, 60])


def _achievement_colours(ws: Worksheet, cells: str) -> None:
    """Green from 100 %, amber from 80 %, red below: Excel's own conditional formatting."""
    for rule in (
        CellIsRule(operator="greaterThanOrEqual", formula=["1"], fill=FILLS["green"]),
        CellIsRule(operator="between", formula=["0.8", "0.99999"], fill=FILLS["amber"]),
        CellIsRule(operator="lessThan", formula=["0.8"], fill=FILLS["red"]),
    ):
        ws.conditional_formatting.add(cells, rule)


def _records_link(report: Report, metric: str) -> str:
    """Where the full list is: the records API as CSV, for the same request."""
    params = [("metric", metric), ("period", report.request.period), ("as_of", report.as_of)]
    params += [("filter", f) for f in report.request.filters]
    params += [("limit", "100000"), ("format", "csv")]
    return "GET /api/v1/records?" + urlencode(params)


def _cockpit(wb: Workbook, report: Report) -> str:
    ws = _sheet(wb, _t("cockpit", report))
    names = [
        _t(k, report)
        for k in ("kpi", "value", "previous", "delta", "target", "achievement", "status")
    ]
    _header(ws, 1, names)
    for r, tile in enumerate(report.tiles, start=2):
        fmt = number_format(tile.unit, report.currency)
        target = tile.target
        ratio = None
        if target is not None:
            ratio = target.pace if target.elapsed < 1 else target.achievement
        values = [
            tile.label,
            tile.value,
            tile.previous,
            tile.delta,
            None if target is None else target.target,
            ratio,
            STATES[tile.state][report.lang],
        ]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if c in (2, 3, 4, 5):
                cell.number_format = fmt
            elif c == 6:
                cell.number_format = "0.0%"
    last = len(report.tiles) + 1
    for state, fill in FILLS.items():
        ws.conditional_formatting.add(
            f"F2:G{last}",
            FormulaRule(formula=[f'$G2="{STATES[state][report.lang]}"'], fill=fill),
        )
    chart = BarChart()
    chart.type = "bar"
    chart.title = _t("achievement", report)
    chart.y_axis.number_format = "0%"
    chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "I2")
    _widths(ws, [32, 16, 16, 16, 16, 14, 10])
    return str(ws.title)


def _global_target(wb: Workbook, report: Report) -> str:
    t = report.global_target
    assert t is not None
    ws = _sheet(wb, _t("global_target", report))
    _header(ws, 1, [_t("kpi", report), _t("value", report)])
    fmt = number_format("currency", report.currency)
    rows = [
        (f"{_t('target', report)} {t.period}", t.target, fmt),
        (_t("expected_to_date", report), t.expected_to_date, fmt),
        (_t("actual_to_date", report), t.actual_to_date, fmt),
        (_t("actual", report), t.actual, fmt),
        (_t("pace", report), t.pace, "0.0%"),
        (_t("achievement", report), t.achievement, "0.0%"),
    ]
    for r, (label, value, f) in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=2, value=value).number_format = f
    _achievement_colours(ws, "B6:B7")
    chart = BarChart()
    chart.title = report.tiles[2].label if len(report.tiles) > 2 else "opportunity_volume"
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=4))
    chart.y_axis.number_format = "#,##0"
    chart.legend = None
    ws.add_chart(chart, "D2")
    _widths(ws, [30, 20])
    return str(ws.title)


def _section(wb: Workbook, report: Report, section: Section) -> str:
    view = section.view
    ws = _sheet(wb, view.sheet[report.lang])
    table = section.table
    dims = [c for c in table.columns if c.unit == "dimension"]
    metrics = [c for c in table.columns if c.unit != "dimension"]
    if not dims:
        return _totals(ws, report, section)
    registry_labels = {c.name: c.label for c in metrics}
    names = [dimension_label(c.name, report.lang) for c in dims]
    names += [_metric_label(report, c.name, registry_labels[c.name]) for c in metrics]
    names += [label for _, label, _ in section.target_columns]
    _header(ws, 1, names)
    rows = list(table.rows)
    series = list(view.series or (metrics[0].name,))
    if view.top:
        rows.sort(key=lambda r: -(r.get(series[0]) or 0))
    units = [m.unit for m in metrics] + [u for _, _, u in section.target_columns]
    keys = [m.name for m in metrics] + [n for n, _, _ in section.target_columns]
    for r, row in enumerate(rows, start=2):
        for c, d in enumerate(dims, start=1):
            value = row.get(d.name)
            ws.cell(row=r, column=c, value="(–)" if value is None else str(value))
        for c, (key, unit) in enumerate(zip(keys, units, strict=True), start=len(dims) + 1):
            cell = ws.cell(row=r, column=c, value=row.get(key))
            cell.number_format = number_format(unit, report.currency)
    last = len(rows) + 1
    for i, (name, _, _) in enumerate(section.target_columns):
        if name.endswith("_achievement"):
            col = get_column_letter(len(dims) + len(metrics) + i + 1)
            _achievement_colours(ws, f"{col}2:{col}{max(last, 2)}")
    if rows:
        _chart(ws, report, section, dims, keys, series, min(last, (view.top or len(rows)) + 1))
    _widths(ws, [22] * len(dims) + [16] * (len(keys)))
    return str(ws.title)


def _totals(ws: Worksheet, report: Report, section: Section) -> str:
    """A view without grouping (the funnel): one row per KPI, charted as bars."""
    _header(ws, 1, [TEXT["kpi"][report.lang], TEXT["value"][report.lang]])
    row = section.table.rows[0] if section.table.rows else {}
    columns = [c for c in section.table.columns if c.unit != "dimension"]
    for r, col in enumerate(columns, start=2):
        ws.cell(row=r, column=1, value=_metric_label(report, col.name, col.label))
        cell = ws.cell(row=r, column=2, value=row.get(col.name))
        cell.number_format = number_format(col.unit, report.currency)
    last = len(columns) + 1
    chart = BarChart()
    chart.type = "bar" if section.view.chart == "bar" else "col"
    chart.title = section.view.title[report.lang]
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.legend = None
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, "D2")
    _widths(ws, [32, 16])
    return str(ws.title)


def _metric_label(report: Report, name: str, fallback: str) -> str:
    kpi = next((k for k in report.definitions if k.name == name), None)
    return kpi.label[report.lang] if kpi is not None else fallback


def _chart(
    ws: Worksheet,
    report: Report,
    section: Section,
    dims: list[Any],
    keys: list[str],
    series: list[str],
    last: int,
) -> None:
    view = section.view
    chart: BarChart | LineChart
    if view.chart == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if view.chart == "bar" else "col"
        chart.grouping = "clustered"
    chart.title = view.title[report.lang]
    for name in series:
        col = len(dims) + keys.index(name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=1, max_col=max(len(dims), 1), min_row=2, max_row=last)
    )
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"{get_column_letter(len(dims) + len(keys) + 2)}2")


def _alerts(wb: Workbook, report: Report) -> str:
    ws = _sheet(wb, _t("alerts", report))
    lang = report.lang
    names = [
        _t(k, report)
        for k in (
            "severity",
            "rule",
            "scope",
            "kpi",
            "actual",
            "reference",
            "gap",
            "recommendation",
            "since",
        )
    ]
    _header(ws, 1, names)
    for r, a in enumerate(report.alerts, start=2):
        scope = ", ".join(
            f"{dimension_label(d, lang)}: {v or '–'}" for d, v in sorted(a["scope"].items())
        )
        kpi = next((k for k in report.definitions if k.name == a["kpi"]), None)
        fmt = number_format(kpi.unit if kpi else "ratio", report.currency)
        values = [
            SEVERITY[a["severity"]][lang],
            rule_name(a["rule"], lang),
            scope or "global",
            kpi.label[lang] if kpi else a["kpi"],
            a["actual"],
            a["reference"],
            a["gap"],
            a["recommendation"][lang],
            (a["first_seen"] or "")[:16].replace("T", " "),
        ]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if c in (5, 6, 7):
                cell.number_format = fmt
            if c == 8:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    # counts by severity, charted
    base = len(report.alerts) + 3
    ws.cell(row=base, column=1, value=_t("severity", report)).font = Font(bold=True)
    ws.cell(row=base, column=2, value=_t("count", report)).font = Font(bold=True)
    for i, sev in enumerate(("high", "medium", "low", "info"), start=1):
        ws.cell(row=base + i, column=1, value=SEVERITY[sev][lang])
        ws.cell(row=base + i, column=2, value=sum(1 for a in report.alerts if a["severity"] == sev))
    chart = BarChart()
    chart.title = _t("alerts", report)
    chart.add_data(Reference(ws, min_col=2, min_row=base, max_row=base + 4), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=base + 1, max_row=base + 4))
    chart.legend = None
    ws.add_chart(chart, "K2")
    _widths(ws, [10, 20, 26, 24, 12, 12, 12, 80, 17])
    return str(ws.title)


def _records(wb: Workbook, report: Report, page: Any) -> str:
    ws = _sheet(wb, f"{_t('records', report)} {page.entity}")
    columns = list(page.columns)
    _header(ws, 1, columns)
    for row in page.rows:
        ws.append([_plain(row[name]) for name in columns])
    _widths(ws, [14] * len(columns))
    return str(ws.title)


def _plain(value: Any) -> Any:
    """A value openpyxl writes natively (decimals become floats)."""
    if value is None or isinstance(value, bool | int | float | str) or hasattr(value, "isoformat"):
        return value
    return float(value)


def _definitions(wb: Workbook, report: Report) -> str:
    ws = _sheet(wb, _t("definitions", report))
    lang = report.lang
    _header(
        ws, 1, [_t(k, report) for k in ("kpi", "name", "definition", "formula", "anchor", "unit")]
    )
    for r, kpi in enumerate(report.definitions, start=2):
        for c, v in enumerate(
            [kpi.label[lang], kpi.name, kpi.description[lang], kpi.formula, kpi.anchor, kpi.unit],
            start=1,
        ):
            cell = ws.cell(row=r, column=c, value=v)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [28, 26, 70, 40, 28, 10])
    return str(ws.title)
