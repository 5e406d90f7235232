"""/cockpit: KPI tiles with targets and Δ, the global target with pace (V2), lead volume over
time (V1) and the funnel (V4)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import html

from leadboard.metrics.targets import target_for
from leadboard.reports.views import FUNNEL, TILES
from leadboard.web.components import (
    PageContext,
    card,
    empty_state,
    figure_layout,
    graph,
    tile,
)
from leadboard.web.i18n import fmt, t
from leadboard.web.pages import alerts


def render(ctx: PageContext) -> list[Any]:
    tiles = ctx.query(TILES, compare=True)
    if not tiles.rows or (tiles.rows[0]["leads"] == 0 and tiles.rows[0]["opportunities"] == 0):
        return [
            html.Div(className="tiles", children=[tile(ctx, tiles, m) for m in TILES]),
            empty_state(ctx.lang),
        ]
    return [
        html.Div(className="tiles", children=[tile(ctx, tiles, m) for m in TILES]),
        html.Div(
            className="grid-2",
            children=[
                card(t("global_target", ctx.lang), _target_gauge(ctx, tiles)),
                card(t("funnel", ctx.lang), _funnel(ctx)),
            ],
        ),
        alerts.top(ctx),
        card(t("lead_volume", ctx.lang), _lead_volume(ctx), wide=True),
    ]


def _target_gauge(ctx: PageContext, tiles: Any) -> Any:
    target = target_for(tiles, "opportunity_volume")
    if target is None:
        return html.Div(t("no_target", ctx.lang), className="empty")
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number+delta",
            value=target.actual_to_date or 0,
            number={"valueformat": ",.0f", "suffix": f" {tiles.currency}"},
            delta={"reference": target.expected_to_date or 0, "valueformat": ",.0f"},
            gauge={
                "axis": {"range": [0, max(target.target, target.actual_to_date or 0) * 1.05]},
                "bar": {"color": "#1f4e79"},
                "threshold": {
                    "line": {"color": "#c0392b", "width": 3},
                    "value": target.expected_to_date or 0,
                },
                "steps": [{"range": [0, target.target], "color": "#eaf2f8"}],
            },
        )
    )
    fig.update_layout(separators=",." if ctx.lang == "de" else ".,")  # decimal, thousands
    caption = (
        f"{t('target', ctx.lang)} {target.period}: "
        f"{fmt(target.target, 'currency', ctx.lang, tiles.currency)} · "
        f"{t('pace', ctx.lang)} {fmt(target.pace, 'percent', ctx.lang)}"
    )
    return html.Div(
        [
            graph(figure_layout(fig, 260), "v2-gauge"),
            html.P(caption, className="caption", id="v2-caption"),
        ]
    )


def _funnel(ctx: PageContext) -> Any:
    table = ctx.query(FUNNEL)
    row = table.rows[0]
    fig = go.Figure(
        go.Funnel(
            y=[ctx.label(m) for m in FUNNEL],
            x=[row[m] for m in FUNNEL],
            textinfo="value+percent initial",
            marker={"color": "#2e86c1"},
        )
    )
    return graph(figure_layout(fig, 300), "v4-funnel")


def _lead_volume(ctx: PageContext) -> Any:
    table = ctx.query(["campaign_leads", "leads"], ["month"])
    months = [r["month"] for r in table.rows]
    fig = go.Figure(
        [
            go.Bar(
                x=months,
                y=[r["campaign_leads"] for r in table.rows],
                name=ctx.label("campaign_leads"),
            ),
            go.Scatter(
                x=months,
                y=[r["leads"] for r in table.rows],
                name=ctx.label("leads"),
                mode="lines+markers",
            ),
        ]
    )
    return graph(figure_layout(fig), "v1-leads")
