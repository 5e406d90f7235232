"""The dashboard: Dash pages on the FastAPI app that serves the API, one engine behind both.

The whole view state (page, period, filters, language) is in the URL, so a link reproduces a
view and back/forward work. A timer asks the store for its data version every few seconds and
re-renders when an import changed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from fastapi import FastAPI

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import RequestError, Scope
from leadboard.metrics.values import dimension_values
from leadboard.reports.content import PAGES as REPORT_PAGES
from leadboard.sources.responses import Response, ResponseError, reasons_of, record_response
from leadboard.store.ingest import data_version
from leadboard.web.components import PageContext
from leadboard.web.drill import breadcrumbs, drilldown, panel
from leadboard.web.i18n import t
from leadboard.web.pages import alerts, cockpit, data, tables
from leadboard.web.state import (
    FILTER_DIMENSIONS,
    PERIOD_PRESETS,
    ViewState,
    date_range_period,
    parse_state,
    picker_dates,
)

Page = Callable[[PageContext], list[Any]]
PAGES: dict[str, Page] = {
    "/cockpit": cockpit.render,
    "/campaigns": tables.campaigns,
    "/budget": tables.budget,
    "/leads": tables.leads,
    "/handover": tables.handover,
    "/topics": tables.topics,
    "/regions": tables.regions,
    "/opportunities": tables.opportunities,
    "/alerts": alerts.render,
    "/data": data.render,
}
LIVE_SECONDS = 3
log = logging.getLogger(__name__)


def mount_dashboard(app: FastAPI, engine: KpiEngine) -> dash.Dash:
    """Serve the dashboard pages from `app` (the API's FastAPI app)."""
    dash_app = dash.Dash(
        __name__,
        server=app,  # type: ignore[arg-type]  # Dash ≥ 4.2 serves from FastAPI
        title="Leadboard",
        update_title=None,  # type: ignore[arg-type]  # None: no "Updating…" title
        suppress_callback_exceptions=True,
        assets_folder=str(__import__("pathlib").Path(__file__).with_name("assets")),
    )
    dash_app.layout = lambda: _layout(data_version(engine.store))
    _callbacks(dash_app, engine)
    # Dash sets itself up (scans assets/: the stylesheet, grid formatters) on its first request
    # to "/" only; pages served by the catch-all route would come without them.
    dash_app._setup_server()  # type: ignore[no-untyped-call]
    return dash_app


def _layout(version: int) -> html.Div:
    """The page shell; it knows the data version it is rendered with, so the live timer only
    re-renders when an import changed the data afterwards."""
    return html.Div(
        className="shell",
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="browser-lang"),
            dcc.Store(id="data-version", data=version),
            dcc.Interval(id="live", interval=LIVE_SECONDS * 1000),
            html.Header(
                className="top",
                children=[
                    html.A("Leadboard", href="/cockpit", className="brand"),
                    html.Nav(id="nav", className="nav"),
                    html.Span(id="updated", className="updated"),
                    html.Button(id="lang-switch", className="lang", n_clicks=0),
                ],
            ),
            html.Div(
                className="filters",
                children=[
                    dcc.Dropdown(
                        id="f-period", clearable=False, searchable=True, className="period"
                    ),
                    dcc.DatePickerRange(
                        id="f-dates",
                        display_format="YYYY-MM-DD",
                        first_day_of_week=1,
                        clearable=True,
                        className="dates",
                    ),
                    dcc.Input(
                        id="f-custom",
                        type="text",
                        debounce=True,
                        placeholder="2026-01-01..2026-04-01",
                        className="custom-period",
                    ),
                    *[
                        dcc.Dropdown(id=f"f-{dim}", multi=True, className="filter")
                        for dim in FILTER_DIMENSIONS
                    ],
                ],
            ),
            html.Div(
                className="crumbs-bar",
                children=[
                    html.Div(id="crumbs", className="crumbs"),
                    html.Div(id="downloads", className="downloads"),
                ],
            ),
            dcc.Loading(html.Main(id="page", className="page"), type="dot", delay_show=300),
            html.Div(
                id="upload-area",
                className="page",
                style={"display": "none"},
                children=data.upload_card("en"),
            ),
            html.Div(id="respond-status", className="toast", role="status"),
            html.Div(id="drill", className="page drill-area"),
            dcc.Store(id="title-sink"),
        ],
    )


_OPTIONS: dict[tuple[int, Any], list[list[str]]] = {}


def _filter_options(engine: KpiEngine, scope: Scope) -> list[list[str]]:
    """The values of each filter, read once per data version and scope."""
    key = (engine.prepare(), scope.key())
    options = _OPTIONS.get(key)
    if options is None:
        options = [dimension_values(engine, scope, d) for d in FILTER_DIMENSIONS]
        _OPTIONS.clear()  # requests in other threads keep the lists they already hold
        _OPTIONS[key] = options
    return options


def _callbacks(app: dash.Dash, engine: KpiEngine) -> None:
    scope = Scope.everything()  # users and roles come later; the engine enforces the scope

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "function(_) { return (navigator.language || 'en').slice(0, 2) === 'de' ? 'de' : 'en'; }",
        Output("browser-lang", "data"),
        Input("url", "pathname"),
    )

    @app.callback(
        Output("upload-result", "children"),
        Input("upload", "contents"),
        State("upload", "filename"),
        State("url", "search"),
        State("browser-lang", "data"),
        prevent_initial_call=True,
    )
    def uploaded(
        contents: list[str] | None, names: list[str] | None, search: str | None, browser: str | None
    ) -> Any:
        if not contents or not names:
            return dash.no_update
        state = parse_state(search)
        return data.upload(
            PageContext(engine, state, state.lang or browser or "en", scope), names, contents
        )

    @app.callback(
        Output("downloads", "children"),
        Input("url", "pathname"),
        Input("url", "search"),
        State("browser-lang", "data"),
    )
    def downloads(pathname: str | None, search: str | None, browser: str | None) -> Any:
        """Export what the page shows, with its filters: XLSX and PPTX from /api/v1/reports."""
        state = parse_state(search)
        lang = state.lang or browser or "en"
        page = (pathname or "/cockpit").strip("/") or "cockpit"
        params: list[tuple[str, str]] = [("period", state.period), ("lang", lang)]
        params += [("filter", item) for item in state.filter_args()]
        if page in REPORT_PAGES:
            params.append(("page", page))
        query = urlencode(params)
        return [
            html.A(
                f"{t('download', lang)} {fmt.upper()}",
                href=f"/api/v1/reports/{fmt}?{query}",
                className="download",
                id=f"download-{fmt}",
            )
            for fmt in ("xlsx", "pptx")
        ]

    @app.callback(
        Output("sla-status", "children"),
        Input("sla-save", "n_clicks"),
        State("sla-hours", "value"),
        State("sla-clock", "value"),
        State("sla-business-hours", "value"),
        State("sla-business-days", "value"),
        State("sla-teams", "value"),
        State("sla-countries", "value"),
        State("url", "search"),
        State("browser-lang", "data"),
        prevent_initial_call=True,
    )
    def save_sla(clicks: Any, *args: Any) -> Any:
        if not clicks or scope.allowed is not None:
            return dash.no_update
        hours, clock, business_hours, business_days, teams, countries, search, browser = args
        state = parse_state(search)
        page_ctx = PageContext(engine, state, state.lang or browser or "en", scope)
        values = {
            "hours": hours,
            "clock": clock,
            "business_hours": business_hours,
            "business_days": business_days,
            "teams": teams,
            "countries": countries,
        }
        return data.save_sla_form(page_ctx, values)

    @app.callback(
        Output("respond-status", "children"),
        Input("respond-accept", "n_clicks"),
        Input("respond-reject", "n_clicks"),
        State("pending-grid", "selectedRows"),
        State("respond-actor", "value"),
        State("respond-reason", "value"),
        State("respond-note", "value"),
        State("url", "search"),
        State("browser-lang", "data"),
        prevent_initial_call=True,
    )
    def respond(*args: Any) -> Any:
        accept, reject, selected, actor, reason, note, search, browser = args
        if not (accept or reject) or ctx.triggered_id not in ("respond-accept", "respond-reject"):
            return dash.no_update
        lang = parse_state(search).lang or browser or "en"
        if not selected:
            return html.Div(t("pick_lead", lang), className="error")
        lead = str(selected[0]["lead_id"])
        event = "accepted" if ctx.triggered_id == "respond-accept" else "rejected"
        response = Response(lead, event, actor or "", reason if event == "rejected" else None, note)
        try:
            report = record_response(
                engine.store, response, reasons_of(engine.settings.rejection_reasons)
            )
        except ResponseError as exc:
            return html.Div(f"{t(exc.field, lang)}: {exc.message}", className="error")
        if report.status != "committed":
            return html.Div("; ".join(str(i) for i in report.errors), className="error")
        engine.prepare_soon()
        said = engine.registry[event].label[lang]
        return html.Div(f"{t('responded', lang)}: {lead} · {said}", className="ok", id="responded")

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "function(path) { const page = (path || '/cockpit').replace('/', '') || 'cockpit'; "
        "document.title = 'Leadboard · ' + page.charAt(0).toUpperCase() + page.slice(1); "
        "return page; }",
        Output("title-sink", "data"),
        Input("url", "pathname"),
    )

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "function(children) { if (children) { setTimeout(() => { const e = "
        "document.getElementById('drill-panel'); if (e) { e.scrollIntoView({behavior: "
        "'smooth'}); } }, 50); } return window.dash_clientside.no_update; }",
        Output("drill", "className"),
        Input("drill", "children"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("url", "search"),
        [Input(f"f-{d}", "value") for d in ("period", *FILTER_DIMENSIONS)],
        Input("f-custom", "value"),
        Input("f-dates", "end_date"),
        State("f-dates", "start_date"),
        Input("lang-switch", "n_clicks"),
        State("url", "search"),
        State("browser-lang", "data"),
        prevent_initial_call=True,
    )
    def filters_to_url(*args: Any) -> Any:
        period, *values = args[: 1 + len(FILTER_DIMENSIONS)]
        custom, end, start, search, browser = args[-6], args[-5], args[-4], args[-2], args[-1]
        if "f-dates.end_date" in ctx.triggered_prop_ids and start and end:
            period = date_range_period(start, end)
        # Typing fast, the custom period can arrive together with the filters set from the URL.
        if "f-custom.value" in ctx.triggered_prop_ids and custom and custom.strip():
            period = custom.strip()  # any period the engine reads: 2026-02, a..b, last-7-days
        current = parse_state(search)
        lang = current.lang or browser or "en"
        if "lang-switch.n_clicks" in ctx.triggered_prop_ids:
            lang = "de" if lang == "en" else "en"
        filters = {d: tuple(v) for d, v in zip(FILTER_DIMENSIONS, values, strict=True) if v}
        new = ViewState(
            period or current.period,
            filters,
            lang if lang != (browser or "en") or current.lang else None,
        )
        query = new.query()
        # The filters were just set from the URL: writing the same URL back would render again.
        return dash.no_update if query == (search or "") else query

    @app.callback(
        Output("f-period", "options"),
        Output("f-period", "value"),
        [Output(f"f-{d}", "options") for d in FILTER_DIMENSIONS],
        [Output(f"f-{d}", "value") for d in FILTER_DIMENSIONS],
        [Output(f"f-{d}", "placeholder") for d in FILTER_DIMENSIONS],
        Output("f-dates", "start_date"),
        Output("f-dates", "end_date"),
        Input("url", "search"),
        Input("data-version", "data"),
        Input("browser-lang", "data"),
    )
    def url_to_filters(search: str | None, _: Any, browser: str | None) -> list[Any]:
        state = parse_state(search)
        lang = state.lang or browser or "en"
        periods = (
            [*PERIOD_PRESETS, state.period]
            if state.period not in PERIOD_PRESETS
            else list(PERIOD_PRESETS)
        )
        options = _filter_options(engine, scope)
        return [
            [{"label": t(p, lang), "value": p} for p in periods],
            state.period,
            *options,
            *[list(state.filters.get(d, ())) for d in FILTER_DIMENSIONS],
            *[t(d, lang) for d in FILTER_DIMENSIONS],
            *picker_dates(state.period),
        ]

    @app.callback(
        Output("page", "children"),
        Output("nav", "children"),
        Output("lang-switch", "children"),
        Output("crumbs", "children"),
        Output("drill", "children"),
        Output("upload-area", "style"),
        Output("upload-title", "children"),
        Output("upload-hint", "children"),
        Input("url", "pathname"),
        Input("url", "search"),
        Input("data-version", "data"),
        Input("browser-lang", "data"),
    )
    def render(
        pathname: str | None, search: str | None, _: Any, browser: str | None
    ) -> tuple[Any, Any, str, Any, Any, dict[str, str], str, str]:
        state = parse_state(search)
        lang = state.lang or browser or "en"
        path = pathname if pathname in PAGES else "/cockpit"
        nav = [
            html.A(
                t(p.strip("/"), lang),
                href=p + (search or ""),
                className="active" if p == path else "",
            )
            for p in PAGES
        ]
        try:
            content = PAGES[path](PageContext(engine, state, lang, scope))
        except RequestError as exc:
            content = [html.Div(f"{exc.parameter}: {exc.message}", className="error")]
        except Exception as exc:  # a page must say what went wrong, never hang
            log.exception("rendering %s failed", path)
            content = [html.Div(f"{t('page_failed', lang)}: {exc}", className="error")]
        upload_style = {"display": "flex" if path == "/data" else "none"}
        title, hint = data.upload_texts(lang)
        return (
            content,
            nav,
            t("language", lang),
            breadcrumbs(state, path, lang),
            None,
            upload_style,
            title,
            hint,
        )

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Output("drill", "children", allow_duplicate=True),
        Input({"type": "kpi-grid", "name": ALL, "by": ALL}, "cellClicked"),
        Input({"type": "tile", "metric": ALL}, "n_clicks"),
        State({"type": "kpi-grid", "name": ALL, "by": ALL}, "virtualRowData"),
        State("url", "search"),
        State("browser-lang", "data"),
        prevent_initial_call=True,
    )
    def drill(
        clicks: list[Any],
        tiles: list[Any],
        rows: list[Any],
        search: str | None,
        browser: str | None,
    ) -> tuple[Any, Any]:
        trigger = ctx.triggered_id
        state = parse_state(search)
        page_ctx = PageContext(engine, state, state.lang or browser or "en", scope)
        if not isinstance(trigger, dict):
            return dash.no_update, dash.no_update
        if trigger["type"] == "tile":
            if not ctx.triggered[0]["value"]:
                return dash.no_update, dash.no_update
            return dash.no_update, panel(page_ctx, trigger["metric"], [], {})
        index = [i["id"] for i in ctx.inputs_list[0]].index(trigger)
        click, data = clicks[index], rows[index] or []
        if not click or click.get("rowIndex") is None or click["rowIndex"] >= len(data):
            return dash.no_update, dash.no_update
        by = [b for b in trigger["by"].split(",") if b]
        row = data[click["rowIndex"]]
        column = click["colId"]
        if column in by:
            deeper = drilldown(state, column, click["value"])
            return (deeper.query() if deeper else dash.no_update), dash.no_update
        if column not in engine.registry:
            return dash.no_update, dash.no_update
        cell = {d: row.get(d) for d in by}
        return dash.no_update, panel(page_ctx, column, by, cell)

    @app.callback(
        Output("data-version", "data"),
        Output("updated", "children"),
        Input("live", "n_intervals"),
        State("data-version", "data"),
        State("url", "search"),
        State("browser-lang", "data"),
    )
    def live(_: Any, known: int | None, search: str | None, browser: str | None) -> Any:
        version = data_version(engine.store)
        lang = parse_state(search).lang or browser or "en"
        stamp = f"{t('updated', lang)} {datetime.now(UTC):%H:%M:%S} UTC"
        if known == version:
            return dash.no_update, dash.no_update
        return version, stamp
