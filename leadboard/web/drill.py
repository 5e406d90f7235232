"""Drilldown and drill-through: a clicked dimension value becomes a filter, a clicked number
opens the records behind it (a grid, with the full list as CSV from the API)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash_ag_grid as dag
from dash import html

from leadboard.metrics.records import records
from leadboard.metrics.request import RequestError
from leadboard.web.components import PageContext
from leadboard.web.i18n import fmt, t
from leadboard.web.state import FILTER_DIMENSIONS, ViewState

SHOWN = 500


def drilldown(state: ViewState, dim: str, value: Any) -> ViewState | None:
    """The view filtered to the clicked value; None when the value cannot be a filter."""
    if dim not in FILTER_DIMENSIONS or value in (None, "(–)"):
        return None
    filters = dict(state.filters)
    filters[dim] = (str(value),)
    return ViewState(state.period, filters, state.lang)


def panel(ctx: PageContext, metric: str, by: list[str], cell: dict[str, Any]) -> html.Section:
    """The records behind `metric` in `cell` (dimension values of the clicked row)."""
    request = ctx.request([metric], by)
    clean = {k: (None if v == "(–)" else v) for k, v in cell.items()}
    try:
        page = records(ctx.engine, request, metric, clean, limit=SHOWN)
    except RequestError as exc:
        return html.Section(
            className="card drill",
            children=[html.Div(f"{exc.parameter}: {exc.message}", className="error")],
        )
    params: list[tuple[str, str]] = [
        ("metric", metric),
        ("period", ctx.state.period),
        ("format", "csv"),
        ("limit", "100000"),
    ]
    params += [("by", b) for b in by] + [("filter", f) for f in ctx.state.filter_args()]
    params += [("cell", f"{k}={'' if v is None else v}") for k, v in clean.items()]
    where = ", ".join(f"{t(k, ctx.lang)} {'–' if v is None else v}" for k, v in clean.items())
    title = f"{ctx.label(metric)}{' · ' + where if where else ''}"
    count = fmt(page.total, "count", ctx.lang)
    return html.Section(
        className="card drill",
        id="drill-panel",
        children=[
            html.Div(
                className="drill-head",
                children=[
                    html.H2(title),
                    html.Span(
                        f"{count} {t('records', ctx.lang)}",
                        id="drill-total",
                        **{"data-total": str(page.total)},  # type: ignore[arg-type]
                    ),
                    html.A(
                        t("download_csv", ctx.lang),
                        href="/api/v1/records?" + urlencode(params),
                        className="button",
                        id="drill-csv",
                    ),
                ],
            ),
            dag.AgGrid(
                id="drill-grid",
                rowData=[{k: _plain(v) for k, v in r.items()} for r in page.rows],
                columnDefs=[{"field": c} for c in page.columns],
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
                dashGridOptions={"pagination": True, "paginationPageSize": 20},
                style={"height": "460px"},
                className="ag-theme-quartz",
            ),
        ],
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return float(value)


def breadcrumbs(state: ViewState, pathname: str, lang: str) -> list[Any]:
    """The active filters, each a link that removes it: the way back up a drilldown."""
    crumbs: list[Any] = []
    for dim, values in state.filters.items():
        rest = {d: v for d, v in state.filters.items() if d != dim}
        href = pathname + ViewState(state.period, rest, state.lang).query()
        crumbs.append(
            html.A(f"{t(dim, lang)}: {', '.join(values)} ×", href=href, className="crumb")
        )
    return crumbs
