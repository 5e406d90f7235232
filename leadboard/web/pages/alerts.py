"""/alerts: every alert with its evidence and recommended action; the cockpit shows the top ones.

Alerts are taken at the current time, so the period filter does not apply; the other filters
narrow the scope the rules are evaluated in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import html

from leadboard.alerts.rules import SEVERITIES
from leadboard.alerts.service import alerts
from leadboard.metrics.request import Scope
from leadboard.reports.texts import RULE_NAMES
from leadboard.reports.texts import SEVERITY as SEVERITY_NAMES
from leadboard.web.components import PageContext, card
from leadboard.web.i18n import fmt, t

SEVERITY_COLOURS = {"high": "#c0392b", "medium": "#d68910", "low": "#2e86c1", "info": "#1e8449"}
TEXT = {
    "none": {
        "en": "No alerts: every KPI is on plan, no lead is overdue or left behind.",
        "de": "Keine Warnungen: alle KPIs im Plan, kein Lead überfällig oder liegengeblieben.",
    },
    "now": {
        "en": "Alerts are taken now; the period filter does not apply, the other filters do.",
        "de": "Warnungen gelten für jetzt; der Zeitraum-Filter gilt nicht, die anderen Filter "
        "schon.",
    },
    "actual": {"en": "actual", "de": "Ist"},
    "reference": {"en": "reference", "de": "Referenz"},
    "gap": {"en": "gap", "de": "Abweichung"},
    "since": {"en": "since", "de": "seit"},
    "records": {"en": "records (CSV)", "de": "Datensätze (CSV)"},
    "leads_listed": {"en": "leads, oldest first", "de": "Leads, älteste zuerst"},
    "top": {"en": "Top alerts", "de": "Wichtigste Warnungen"},
    "all": {"en": "all alerts", "de": "alle Warnungen"},
    "global": {"en": "global", "de": "global"},
}


def _t(key: str, lang: str) -> str:
    return TEXT[key][lang]


def current(ctx: PageContext) -> list[dict[str, Any]]:
    """The open alerts in the page's scope: the user's scope narrowed by the filters."""
    scope = ctx.scope
    if ctx.state.filters:
        allowed = dict(scope.allowed or {})
        for dim, values in ctx.state.filters.items():
            allowed[dim] = frozenset(values) & allowed[dim] if dim in allowed else frozenset(values)
        scope = Scope(allowed)
    return alerts(ctx.engine, scope)


def render(ctx: PageContext) -> list[Any]:
    found = current(ctx)
    lang = ctx.lang
    counts = {s: sum(1 for a in found if a["severity"] == s) for s in SEVERITIES}
    summary = html.Div(
        className="alert-summary",
        children=[
            html.Span(
                f"{counts[s]} {SEVERITY_NAMES[s][lang]}",
                className="badge",
                style={"background": SEVERITY_COLOURS[s]},
                **{"data-severity": s},  # type: ignore[arg-type]
            )
            for s in SEVERITIES
        ]
        + [html.Span(_t("now", lang), className="muted")],
    )
    if not found:
        return [summary, html.Div(_t("none", lang), className="empty", id="no-alerts")]
    return [summary, html.Div(className="alerts", children=[alert_card(ctx, a) for a in found])]


def top(ctx: PageContext, n: int = 5) -> Any:
    """The cockpit's card: the n most severe open alerts, with a link to all of them."""
    found = current(ctx)
    lang = ctx.lang
    items: list[Any] = [
        html.Li(
            className="top-alert",
            children=[
                html.Span(
                    SEVERITY_NAMES[a["severity"]][lang],
                    className="badge",
                    style={"background": SEVERITY_COLOURS[a["severity"]]},
                ),
                html.Span(a["recommendation"][lang]),
            ],
        )
        for a in found[:n]
    ]
    body: Any = (
        html.Ul(items, className="top-alerts")
        if items
        else html.Div(_t("none", lang), className="empty")
    )
    link = html.A(
        f"{_t('all', lang)} ({len(found)}) →", href="/alerts" + ctx.state.query(), className="more"
    )
    return card(_t("top", lang), body, link, wide=True)


def alert_card(ctx: PageContext, a: dict[str, Any]) -> Any:
    lang = ctx.lang
    kpi = ctx.engine.registry[a["kpi"]]
    currency = ctx.engine.currency
    unit = kpi.unit

    def value(v: Any) -> str:
        return fmt(v, unit, lang, currency)

    where = ", ".join(
        f"{t(d, lang)}: {v if v is not None else '–'}" for d, v in sorted(a["scope"].items())
    )
    evidence = [
        html.Span(f"{kpi.label[lang]}: {_t('actual', lang)} {value(a['actual'])}"),
        html.Span(
            f"{_t('reference', lang)} {value(a['reference'])} ({a['reference_label'][lang]})"
        ),
    ]
    if a["gap"] is not None:
        evidence.append(html.Span(f"{_t('gap', lang)} {value(a['gap'])}"))
    records = a["records"]
    links: list[Any] = [
        html.A(
            _t("records", lang),
            href="/api/v1/records?"
            + urlencode({**records["request"], "format": "csv", "limit": 100_000}, doseq=True),
            className="button-link",
        )
    ]
    if records.get("ids"):
        shown = records["ids"][:20]
        more = records["total"] - len(shown)
        links.append(
            html.Span(
                f"{records['total']} {_t('leads_listed', lang)}: {', '.join(shown)}"
                + (f" … (+{more})" if more > 0 else ""),
                className="ids",
            )
        )
    return html.Article(
        className="alert",
        **{"data-rule": a["rule"], "data-key": a["key"]},
        style={"borderLeftColor": SEVERITY_COLOURS[a["severity"]]},
        children=[
            html.Div(
                className="alert-head",
                children=[
                    html.Span(
                        SEVERITY_NAMES[a["severity"]][lang],
                        className="badge",
                        style={"background": SEVERITY_COLOURS[a["severity"]]},
                    ),
                    html.Strong(RULE_NAMES.get(a["rule"], {}).get(lang, a["rule"])),
                    html.Span(where or _t("global", lang), className="scope"),
                    html.Span(
                        f"{_t('since', lang)} {(a['first_seen'] or '')[:16].replace('T', ' ')}",
                        className="muted",
                    ),
                ],
            ),
            html.P(a["recommendation"][lang], className="recommendation"),
            html.Div(evidence, className="evidence"),
            html.Div(links, className="alert-links"),
        ],
    )
