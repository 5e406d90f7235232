"""Pages that are KPI tables and charts by a dimension: campaigns, topics, regions, handover,
budget, leads, opportunities. Each page lists its views; every number comes from the engine."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_ag_grid as dag
import plotly.graph_objects as go
from dash import dcc, html

from leadboard.metrics.records import records
from leadboard.metrics.sla import sla_state
from leadboard.reports.views import (
    ACCEPTANCE_KPIS,
    CAMPAIGN_KPIS,
    FOLLOW_UP_KPIS,
    HANDOVER_KPIS,
    REGION_KPIS,
    TOPIC_KPIS,
)
from leadboard.sources.responses import reasons_of
from leadboard.web.components import PageContext, card, figure_layout, graph, grid
from leadboard.web.i18n import t


def campaigns(ctx: PageContext) -> list[Any]:
    table = ctx.query(CAMPAIGN_KPIS, ["campaign"])
    rows = [r for r in table.rows if r["campaign"] is not None]
    fig = go.Figure(
        go.Scatter(
            x=[r["cost"] for r in rows],
            y=[r["opportunity_volume"] for r in rows],
            text=[r["campaign"] for r in rows],
            mode="markers",
            marker={"size": 10, "color": "#2e86c1", "opacity": 0.7},
        )
    )
    fig.update_xaxes(title=ctx.label("cost"))
    fig.update_yaxes(title=ctx.label("opportunity_volume"))
    return [
        card(
            t("campaign_performance", ctx.lang),
            grid(ctx, table, "v7-grid", targets=True),
            wide=True,
        ),
        card(t("follow_up", ctx.lang), _follow_up(ctx), wide=True),
        card(
            f"{ctx.label('cost')} / {ctx.label('opportunity_volume')}",
            graph(figure_layout(fig), "cost-benefit"),
            wide=True,
        ),
    ]


def _follow_up(ctx: PageContext) -> Any:
    """V5: campaigns whose run ended (by their own targets' period) with results against those
    targets, the leads still pending or never handed over, and the best and worst of them."""
    table = ctx.query(FOLLOW_UP_KPIS, ["campaign"])
    finished = {
        t.scope["campaign"]
        for t in table.targets
        if set(t.scope) == {"campaign"} and t.elapsed >= 1
    }
    rows = tuple(r for r in table.rows if r["campaign"] in finished)
    if not rows:
        return html.Div(t("no_finished", ctx.lang), className="empty")
    ranked = sorted(
        (r for r in rows if r["pipeline_per_cost"] is not None),
        key=lambda r: -r["pipeline_per_cost"],
    )
    label = ctx.label("pipeline_per_cost")

    def names(part: list[dict[str, Any]]) -> str:
        def value(r: dict[str, Any]) -> str:
            return ctx.fmt("pipeline_per_cost", r["pipeline_per_cost"], table.currency)

        return ", ".join(f"{r['campaign']} ({value(r)})" for r in part)

    lessons = [
        html.Li(f"{t('best', ctx.lang)} ({label}): {names(ranked[:3])}", id="v5-best"),
        html.Li(f"{t('worst', ctx.lang)} ({label}): {names(ranked[-3:][::-1])}", id="v5-worst"),
    ]
    left = sum((r["pending_handover"] or 0) + (r["unprocessed_leads"] or 0) for r in rows)
    return html.Div(
        [
            html.P(
                f"{len(rows)} {t('finished_campaigns', ctx.lang)}; {left:,} "
                f"{t('still_unprocessed', ctx.lang)}",
                className="caption",
                id="v5-summary",
            ),
            html.Ul(lessons, className="lessons") if ranked else html.Div(),
            grid(ctx, replace(table, rows=rows), "v5-grid", height=320, targets=True),
        ]
    )


def handover(ctx: PageContext) -> list[Any]:
    by_team = ctx.query(HANDOVER_KPIS, ["team"])
    teams = [r for r in by_team.rows if r["team"] is not None]
    fig = go.Figure(
        [
            go.Bar(
                x=[r["team"] for r in teams],
                y=[r["acceptance_delay_median_h"] for r in teams],
                name=ctx.label("acceptance_delay_median_h"),
            ),
            go.Bar(
                x=[r["team"] for r in teams],
                y=[r["acceptance_delay_p90_h"] for r in teams],
                name=ctx.label("acceptance_delay_p90_h"),
            ),
        ]
    )
    trend = ctx.query(
        ["handed_over", "accepted", "rejected", "pending_handover", "recycled_leads"], ["month"]
    )
    months = [r["month"] for r in trend.rows]
    lines = go.Figure(
        [
            go.Scatter(
                x=months, y=[r[m] for r in trend.rows], name=ctx.label(m), mode="lines+markers"
            )
            for m in ("handed_over", "accepted", "rejected", "pending_handover", "recycled_leads")
        ]
    )
    return [
        card(t("handover_tracking", ctx.lang), graph(figure_layout(lines), "v8-trend"), wide=True),
        card(t("forwarding_by_team", ctx.lang), grid(ctx, by_team, "v10-grid"), wide=True),
        card(t("acceptance_delay", ctx.lang), graph(figure_layout(fig), "v11-delay"), wide=True),
        html.Div(
            className="grid-2",
            children=[
                card(t("delay_over_time", ctx.lang), _delay_trend(ctx)),
                card(t("delay_distribution", ctx.lang), _delay_histogram(ctx)),
            ],
        ),
        card(t("rejection_reasons", ctx.lang), _rejection_pareto(ctx), wide=True),
        *[
            card(
                f"{ctx.label('acceptance_rate')} · {t(dim, ctx.lang)}",
                grid(ctx, ctx.query(ACCEPTANCE_KPIS, [dim]), f"v8-acceptance-{dim}", height=300),
                wide=True,
            )
            for dim in ("campaign", "channel", "topic")
        ],
        card(t("respond", ctx.lang), _respond(ctx), wide=True),
        card(t("overdue_list", ctx.lang), _overdue(ctx), wide=True),
        card(t("left_behind", ctx.lang), _left_behind(ctx), wide=True),
        card(t("stalled", ctx.lang), _stalled(ctx), wide=True),
    ]


def _delay_trend(ctx: PageContext) -> Any:
    table = ctx.query(["acceptance_delay_median_h", "acceptance_delay_p90_h"], ["month"])
    months = [r["month"] for r in table.rows]
    fig = go.Figure(
        [
            go.Scatter(
                x=months, y=[r[m] for r in table.rows], name=ctx.label(m), mode="lines+markers"
            )
            for m in ("acceptance_delay_median_h", "acceptance_delay_p90_h")
        ]
    )
    return graph(figure_layout(fig, 300), "v11-delay-trend")


DISTRIBUTION_LIMIT = 50_000


def _delay_histogram(ctx: PageContext) -> Any:
    """How long sales took, response by response: the records behind the acceptance rate."""
    page = records(
        ctx.engine,
        ctx.request(["acceptance_rate"]),
        "acceptance_rate",
        {},
        limit=DISTRIBUTION_LIMIT,
        sort="response_at",
        descending=True,
    )
    delays = [float(r["delay_h"]) for r in page.rows if r["delay_h"] is not None]
    fig = go.Figure(go.Histogram(x=delays, nbinsx=40, name=t("responses", ctx.lang)))
    fig.update_layout(xaxis_title=t("hours", ctx.lang), bargap=0.05)
    if len(delays) > 20:  # a long tail would squeeze the bulk into one bar: show up to p99
        fig.update_xaxes(range=[0, sorted(delays)[int(len(delays) * 0.99)]])
    shown = f"{len(delays):,} {t('responses', ctx.lang)}"
    if page.total > DISTRIBUTION_LIMIT:
        shown = f"{len(delays):,} / {page.total:,} {t('responses', ctx.lang)}"
        shown += f" ({t('latest', ctx.lang)})"
    return html.Div(
        [
            graph(figure_layout(fig, 300), "v11-delay-histogram"),
            html.P(shown, className="caption"),
        ]
    )


def _rejection_pareto(ctx: PageContext) -> Any:
    """Sales' feedback: rejections by reason, largest first, with the cumulative share."""
    table = ctx.query(["rejected"], ["reason"])
    rows = sorted(
        (r for r in table.rows if r["reason"] is not None and r["rejected"]),
        key=lambda r: -r["rejected"],
    )
    total = sum(r["rejected"] for r in rows) or 1
    shares, running = [], 0
    for r in rows:
        running += r["rejected"]
        shares.append(running / total)
    reasons = [r["reason"] for r in rows]
    fig = go.Figure(
        [
            go.Bar(x=reasons, y=[r["rejected"] for r in rows], name=ctx.label("rejected")),
            go.Scatter(x=reasons, y=shares, yaxis="y2", mode="lines+markers", name="Σ %"),
        ]
    )
    fig.update_layout(
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1.05],
            "showgrid": False,
        }
    )
    return graph(figure_layout(fig), "v8-reasons")


def _overdue(ctx: PageContext) -> Any:
    """V11: the overdue leads, oldest first (the records behind overdue_handover)."""
    page = records(
        ctx.engine,
        ctx.request(["overdue_handover"]),
        "overdue_handover",
        {},
        limit=200,
        sort="age_h",
        descending=True,
    )
    columns = ["lead_id", "team", "country", "campaign_id", "handover_at", "age_h"]
    rows = _record_rows(page, columns, rounded=("age_h",))
    return _records_grid(ctx, "v11-overdue", rows, columns, height=320)


def _record_rows(
    page: Any, columns: list[str], rounded: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The records' columns as grid rows: times as text, the `rounded` columns to 0.1."""
    rows = [
        {c: (r[c].isoformat(sep=" ") if hasattr(r[c], "isoformat") else r[c]) for c in columns}
        for r in page.rows
    ]
    for row in rows:
        for c in rounded:
            row[c] = round(float(row[c]), 1)
    return rows


def _records_grid(
    ctx: PageContext,
    grid_id: str,
    rows: list[dict[str, Any]],
    columns: list[str],
    height: int = 300,
    **options: Any,
) -> dag.AgGrid:
    """A sortable, filterable grid of records, headers in the page's language."""
    return dag.AgGrid(
        id=grid_id,
        rowData=rows,
        columnDefs=[{"field": c, "headerName": t(c, ctx.lang)} for c in columns],
        defaultColDef={"sortable": True, "resizable": True, "filter": True},
        columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"},
        className="ag-theme-quartz",
        **options,
    )


def _counted_list(
    ctx: PageContext,
    name: str,
    total: int,
    hint: str,
    rows: list[dict[str, Any]],
    columns: list[str],
) -> Any:
    """A list of records under a line that says how many there are in all."""
    return html.Div(
        [
            html.P(f"{total:,} {t(hint, ctx.lang)}", className="caption", id=f"{name}-total"),
            _records_grid(ctx, f"{name}-grid", rows, columns),
        ]
    )


def _respond(ctx: PageContext) -> Any:
    """Sales' worklist: every pending lead with its age and SLA state, oldest first; pick one,
    then accept it or reject it with a reason and a note."""
    page = records(
        ctx.engine,
        ctx.request(["pending_handover"]),
        "pending_handover",
        {},
        limit=1000,
        sort="age_h",
        descending=True,
    )
    columns = ["lead_id", "team", "country", "campaign_id", "handover_at", "age_h", "due_at"]
    rows = _record_rows(page, columns)
    for row, record in zip(rows, page.rows, strict=True):
        allowed_h = (record["due_at"] - record["handover_at"]).total_seconds() / 3600
        row["sla_state"] = t(sla_state(float(row["age_h"]), allowed_h), ctx.lang)
        row["age_h"] = round(float(row["age_h"]), 1)
    reasons = reasons_of(ctx.engine.settings.rejection_reasons)
    more = (
        [html.P(f"{page.total:,} {t('pending_more', ctx.lang)}", className="caption")]
        if page.total > len(rows)
        else []
    )
    return html.Div(
        [
            _records_grid(
                ctx,
                "pending-grid",
                rows,
                [*columns, "sla_state"],
                dashGridOptions={
                    "rowSelection": {
                        "mode": "singleRow",
                        "checkboxes": False,
                        "enableClickSelection": True,
                    }
                },
                getRowId="params.data.lead_id",
            ),
            *more,
            html.Div(
                className="respond-form",
                children=[
                    dcc.Input(
                        id="respond-actor",
                        placeholder=t("your_name", ctx.lang),
                        persistence=True,
                        persistence_type="local",
                        style={"width": "200px"},
                    ),
                    html.Button(t("accept", ctx.lang), id="respond-accept", className="button"),
                    dcc.Dropdown(
                        id="respond-reason",
                        options=[{"label": r, "value": r} for r in reasons],
                        placeholder=t("reason", ctx.lang),
                        className="reason",
                    ),
                    dcc.Input(
                        id="respond-note",
                        placeholder=t("note", ctx.lang),
                        style={"width": "320px"},
                    ),
                    html.Button(
                        t("reject", ctx.lang), id="respond-reject", className="button reject"
                    ),
                ],
            ),
        ]
    )


def _left_behind(ctx: PageContext) -> Any:
    """No lead left behind: leads older than the unprocessed age, never handed over nor
    disqualified (the records behind `unprocessed_leads`), oldest first."""
    page = records(
        ctx.engine,
        ctx.request(["unprocessed_leads"]),
        "unprocessed_leads",
        {},
        limit=1000,
        sort="created_at",
    )
    columns = ["lead_id", "created_at", "campaign_id", "source", "team", "country", "age_days"]
    rows = _record_rows(page, columns, rounded=("age_days",))
    return _counted_list(ctx, "left-behind", page.total, "left_behind_hint", rows, columns)


def _stalled(ctx: PageContext) -> Any:
    """No lead left behind, after sales: accepted leads with no opportunity after the set days
    (the records behind `stalled_leads`), longest waiting first."""
    page = records(
        ctx.engine,
        ctx.request(["stalled_leads"]),
        "stalled_leads",
        {},
        limit=1000,
        sort="response_at",
    )
    columns = ["lead_id", "team", "owner", "campaign_id", "response_at", "days_since"]
    rows = _record_rows(page, columns, rounded=("days_since",))
    return _counted_list(ctx, "stalled", page.total, "stalled_hint", rows, columns)


def regions(ctx: PageContext) -> list[Any]:
    return [
        card(
            t("by_country", ctx.lang),
            grid(ctx, ctx.query(REGION_KPIS, ["country"]), "v13-countries"),
            wide=True,
        ),
        card(
            t("by_team", ctx.lang),
            grid(ctx, ctx.query(REGION_KPIS, ["country", "team"]), "v13-teams"),
            wide=True,
        ),
    ]


def topics(ctx: PageContext) -> list[Any]:
    ratio = ctx.query(["lead_to_opportunity_ratio"], ["channel", "month"])
    channels = sorted({r["channel"] for r in ratio.rows if r["channel"] is not None})
    fig = go.Figure(
        [
            go.Scatter(
                x=[r["month"] for r in ratio.rows if r["channel"] == c],
                y=[r["lead_to_opportunity_ratio"] for r in ratio.rows if r["channel"] == c],
                name=c,
                mode="lines+markers",
            )
            for c in channels
        ]
    )
    return [
        card(
            t("by_topic", ctx.lang),
            grid(ctx, ctx.query(TOPIC_KPIS, ["topic"]), "v9-grid"),
            wide=True,
        ),
        card(t("ratio_by_channel", ctx.lang), graph(figure_layout(fig), "v12-ratio"), wide=True),
    ]


def budget(ctx: PageContext) -> list[Any]:
    monthly = ctx.query(["budget_planned", "cost", "budget_utilization"], ["month"])
    months = [r["month"] for r in monthly.rows]
    fig = go.Figure(
        [
            go.Bar(
                x=months,
                y=[r["budget_planned"] for r in monthly.rows],
                name=ctx.label("budget_planned"),
                marker={"color": "#aed6f1"},
            ),
            go.Bar(
                x=months,
                y=[r["cost"] for r in monthly.rows],
                name=ctx.label("cost"),
                marker={"color": "#1f4e79"},
            ),
        ]
    )
    fig.update_layout(barmode="group")
    metrics = ["budget_planned", "cost", "budget_utilization"]
    return [
        card(ctx.label("budget_utilization"), graph(figure_layout(fig), "v6-months"), wide=True),
        html.Div(
            className="grid-2",
            children=[
                card(t("unit", ctx.lang), grid(ctx, ctx.query(metrics, ["unit"]), "v6-units", 300)),
                card(
                    t("campaign", ctx.lang),
                    grid(ctx, ctx.query(metrics, ["campaign"]), "v6-campaigns", 300),
                ),
            ],
        ),
    ]


def leads(ctx: PageContext) -> list[Any]:
    metrics = ["leads", "handed_over", "accepted", "opportunities", "lead_conversion_rate"]
    return [
        card(
            t("unit", ctx.lang),
            grid(ctx, ctx.query(metrics, ["unit", "topic"]), "v3-units"),
            wide=True,
        ),
        card(
            t("account", ctx.lang),
            grid(ctx, ctx.query(metrics, ["account"]), "v3-accounts"),
            wide=True,
        ),
    ]


def opportunities(ctx: PageContext) -> list[Any]:
    metrics = [
        "opportunities",
        "marketing_opportunities",
        "opportunity_volume",
        "marketing_contribution",
        "won_opportunities",
        "lost_opportunities",
        "won_volume",
        "win_rate",
    ]
    by_stage = ctx.query(["opportunities", "opportunity_volume"], ["stage"])
    stages = [r for r in by_stage.rows if r["stage"] is not None]
    fig = go.Figure(
        go.Bar(
            x=[r["stage"] for r in stages],
            y=[r["opportunity_volume"] for r in stages],
            text=[r["opportunities"] for r in stages],
            textposition="outside",
            marker={"color": "#2e86c1"},
        )
    )
    return [
        card(t("pipeline_by_stage", ctx.lang), graph(figure_layout(fig), "opps-stages"), wide=True),
        card(
            t("opportunities", ctx.lang),
            grid(ctx, ctx.query(metrics, ["unit"]), "opps-units"),
            wide=True,
        ),
    ]
