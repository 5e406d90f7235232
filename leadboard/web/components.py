"""Building blocks of every page: KPI tiles, tables, charts and cards, all fed by the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dash_ag_grid as dag
import plotly.graph_objects as go
from dash import dcc, html

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import KpiRequest, Scope, parse_request
from leadboard.metrics.table import KpiTable, TargetResult
from leadboard.metrics.targets import light_state, target_for
from leadboard.web.i18n import fmt, t
from leadboard.web.state import ViewState

COLOURS = ["#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#eb984e", "#a569bd", "#5d6d7e", "#45b39d"]
GREEN, AMBER, RED, GREY = "#1e8449", "#d68910", "#c0392b", "#7f8c8d"


@dataclass(frozen=True)
class PageContext:
    """What a page needs: the engine, the view state from the URL, the language, the scope."""

    engine: KpiEngine
    state: ViewState
    lang: str
    scope: Scope

    def request(
        self,
        metrics: list[str],
        by: list[str] | None = None,
        compare: bool = False,
        extra_filters: list[str] | None = None,
    ) -> KpiRequest:
        return parse_request(
            self.scope,
            metrics,
            by or [],
            [*self.state.filter_args(), *(extra_filters or [])],
            self.state.period,
            None,
            compare,
        )

    def query(
        self, metrics: list[str], by: list[str] | None = None, compare: bool = False
    ) -> KpiTable:
        return self.engine.query(self.request(metrics, by, compare))

    def label(self, metric: str) -> str:
        return self.engine.registry[metric].label[self.lang]

    def describe(self, metric: str) -> str:
        kpi = self.engine.registry[metric]
        return f"{kpi.description[self.lang]} ({kpi.formula})"

    def fmt(self, metric: str, value: Any, currency: str) -> str:
        return fmt(value, self.engine.registry[metric].unit, self.lang, currency)


def traffic_light(target: TargetResult | None, higher_is_better: bool | None = True) -> str:
    """The colour of `light_state`: green on plan, amber within 20 % of it, red further off."""
    return {"green": GREEN, "amber": AMBER, "red": RED}.get(
        light_state(target, higher_is_better), GREY
    )


def tile(ctx: PageContext, table: KpiTable, metric: str) -> html.Div:
    row = table.rows[0] if table.rows else {}
    value, delta = row.get(metric), row.get(f"{metric}_delta")
    kpi = ctx.engine.registry[metric]
    target = target_for(table, metric)
    delta_text, delta_colour = "", GREY
    if delta is not None and delta != 0:
        good = (delta > 0) == bool(kpi.higher_is_better)
        delta_colour = GREEN if good else RED
        sign = "+" if delta > 0 else "−"
        delta_text = f"{sign}{fmt(abs(delta), kpi.unit, ctx.lang, table.currency)}"
    if target is not None:
        ratio = target.pace if target.elapsed < 1 else target.achievement
        what = t("pace", ctx.lang) if target.elapsed < 1 else t("target", ctx.lang)
        target_text = f"{what} {fmt(ratio, 'percent', ctx.lang)} · {t('target', ctx.lang)} " + (
            fmt(target.target, kpi.unit, ctx.lang, table.currency)
        )
    else:
        target_text = t("no_target", ctx.lang)
    return html.Div(
        id={"type": "tile", "metric": metric},
        n_clicks=0,
        className="tile",
        title=ctx.describe(metric),
        **{"data-metric": metric, "data-value": "" if value is None else str(value)},  # type: ignore[arg-type]
        children=[
            html.Div(
                className="tile-head",
                children=[
                    html.Span(
                        className="light",
                        style={"background": traffic_light(target, kpi.higher_is_better)},
                    ),
                    html.Span(ctx.label(metric), className="tile-label"),
                ],
            ),
            html.Div(fmt(value, kpi.unit, ctx.lang, table.currency), className="tile-value"),
            html.Div(
                className="tile-foot",
                children=[
                    html.Span(delta_text, style={"color": delta_colour}, className="tile-delta"),
                    html.Span(f" {t('vs_previous', ctx.lang)}" if delta_text else ""),
                ],
            ),
            html.Div(target_text, className="tile-target"),
        ],
    )


def card(title: str, *children: Any, wide: bool = False) -> html.Section:
    return html.Section(
        className="card wide" if wide else "card", children=[html.H2(title), *children]
    )


def _formatter(unit: str, lang: str, currency: str) -> dict[str, str]:
    """assets/dashAgGridFunctions.js formats numbers per unit and language in the browser."""
    return {"function": f"kpi(params.value, '{unit}', '{lang}', '{currency}')"}


def grid(
    ctx: PageContext,
    table: KpiTable,
    grid_id: str,
    height: int = 420,
    targets: bool = False,
) -> html.Div:
    """The KPI table as a sortable grid; numbers stay numbers, formatted per language.

    Clicking a dimension value drills down (it becomes a filter); clicking a number opens the
    records behind it. With `targets`, each metric that has targets for the rows' dimension
    value (a campaign's own targets, say) gets a target and an achievement column.
    """
    columns: list[dict[str, Any]] = []
    first_metric = True
    for col in table.columns:
        if col.unit == "dimension":
            columns.append(
                {
                    "field": col.name,
                    "headerName": t(col.name, ctx.lang),
                    "pinned": "left",
                    "filter": True,
                }
            )
        else:
            columns.append(
                {
                    "field": col.name,
                    "headerName": ctx.label(col.name)
                    if col.name in ctx.engine.registry
                    else col.label,
                    "headerTooltip": ctx.describe(col.name)
                    if col.name in ctx.engine.registry
                    else col.label,
                    "type": "rightAligned",
                    "valueFormatter": _formatter(col.unit, ctx.lang, table.currency),
                    **({"sort": "desc"} if first_metric else {}),  # biggest first
                }
            )
            first_metric = False
    rows = [
        {k: ("(–)" if v is None and k in table.request["by"] else v) for k, v in r.items()}
        for r in table.rows
    ]
    if targets and len(table.request["by"]) == 1:
        columns += _target_columns(ctx, table, rows)
    grid_key = {"type": "kpi-grid", "name": grid_id, "by": ",".join(table.request["by"])}
    return html.Div(
        id=grid_id,
        children=dag.AgGrid(
            id=grid_key,
            columnDefs=columns,
            rowData=rows,
            defaultColDef={"sortable": True, "resizable": True, "minWidth": 110},
            columnSize="responsiveSizeToFit",
            dashGridOptions={"animateRows": False, "tooltipShowDelay": 300},
            style={"height": f"{height}px"},
            className="ag-theme-quartz",
        ),
    )


def _target_columns(
    ctx: PageContext, table: KpiTable, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Target and achievement per row, from the targets scoped to the grouped dimension."""
    dim = table.request["by"][0]
    by_value = {(x.metric, x.scope[dim]): x for x in table.targets if list(x.scope) == [dim]}
    metrics = sorted({m for m, _ in by_value}, key=table.request["metrics"].index)
    columns: list[dict[str, Any]] = []
    for metric in metrics:
        unit = ctx.engine.registry[metric].unit
        better = "false" if ctx.engine.registry[metric].higher_is_better is False else "true"
        for row in rows:
            hit = by_value.get((metric, row[dim]))
            row[f"{metric}__target"] = hit.target if hit else None
            row[f"{metric}__achievement"] = hit.achievement if hit else None
        name = ctx.label(metric)
        columns += [
            {
                "field": f"{metric}__target",
                "headerName": f"{name} · {t('target', ctx.lang)}",
                "type": "rightAligned",
                "valueFormatter": _formatter(unit, ctx.lang, table.currency),
            },
            {
                "field": f"{metric}__achievement",
                "headerName": f"{name} · %",
                "type": "rightAligned",
                "valueFormatter": _formatter("percent", ctx.lang, table.currency),
                "cellStyle": {
                    "function": f"achievementStyle(params.value, {better})",
                },
            },
        ]
    return columns


def figure_layout(fig: go.Figure, height: int = 320) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 40, "r": 16, "t": 16, "b": 40},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 12},
        legend={"orientation": "h", "y": -0.2},
        colorway=COLOURS,
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e5e8ec")
    return fig


def graph(fig: go.Figure, graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=fig, config={"displaylogo": False, "responsive": True})


def empty_state(lang: str) -> html.Div:
    return html.Div(t("no_data", lang), className="empty")


def as_of_text(table: KpiTable) -> str:
    return datetime.fromisoformat(table.as_of.rstrip("Z")).strftime("%Y-%m-%d %H:%M")
