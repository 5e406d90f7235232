"""Alert rules: where a KPI is off target, off its SLA or off its peers, and what to do about it.

Each rule of PRODUCT.md ("Alerts and recommendations") asks the KPI engine for its numbers, in the
caller's scope, so an alert shows exactly what the dashboard shows. Thresholds are settings.
Campaign rules look at campaigns that are running or ended within the look-back window
(`alert_lookback_days`), so a campaign that ended two years ago does not alert forever.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.records import records
from leadboard.metrics.request import KpiRequest, Scope
from leadboard.metrics.table import TargetResult
from leadboard.settings import Settings

SEVERITIES = ("high", "medium", "low", "info")
ALL_TIME = "1900-01-01..2199-12-31"
MAX_IDS = 100  # record ids listed in an alert; the drill-through request gives them all


@dataclass(frozen=True)
class Alert:
    """One alert: what is off, by how much, the records behind it, and what to do."""

    rule: str
    severity: str
    scope: dict[str, str | None]
    kpi: str
    actual: float | None
    reference: float | None
    reference_label: dict[str, str]  # en, de
    gap: float | None
    records: dict[str, Any]
    recommendation: dict[str, str]
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable identity across evaluations: the same problem keeps its first_seen."""
        return f"{self.rule}|{self.kpi}|{json.dumps(self.scope, sort_keys=True)}"

    def public(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity,
            "scope": self.scope,
            "kpi": self.kpi,
            "actual": self.actual,
            "reference": self.reference,
            "reference_label": self.reference_label,
            "gap": self.gap,
            "records": self.records,
            "recommendation": self.recommendation,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Context:
    engine: KpiEngine
    scope: Scope
    as_of: datetime  # naive UTC
    settings: Settings

    def query(
        self,
        metrics: tuple[str, ...],
        by: tuple[str, ...] = (),
        period: str = ALL_TIME,
        filters: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> Any:
        return self.engine.query(
            KpiRequest(self.scope, metrics, by, filters, period, as_of=self.as_of)
        )

    @property
    def today(self) -> date:
        return self.as_of.date()

    def now_period(self) -> str:
        """A one-day period holding as_of: snapshot KPIs (pending, overdue) are taken at as_of."""
        return f"{self.today}..{self.today + timedelta(days=1)}"

    def lookback_period(self) -> str:
        start = self.today - timedelta(days=self.settings.alert_lookback_days)
        return f"{start}..{self.today + timedelta(days=1)}"

    def drill(
        self,
        metric: str,
        period: str,
        scope: dict[str, str | None],
        sort: str | None = None,
        ids: list[str] | None = None,
    ) -> dict[str, Any]:
        """The drill-through request for the records behind an alert: the parameters of
        GET /api/v1/records (a cell value left empty means "none"); with `ids`, the first
        MAX_IDS of them and how many there are."""
        params: dict[str, Any] = {
            "metric": metric,
            "period": period,
            "as_of": self.as_of.isoformat() + "Z",
        }
        if scope:
            params["by"] = ",".join(sorted(scope))
            params["cell"] = [f"{d}={v or ''}" for d, v in sorted(scope.items())]
        if sort:
            params["sort"] = sort
        if ids is None:
            return {"request": params}
        return {"request": params, "ids": ids[:MAX_IDS], "total": len(ids)}

    def lead_ids(
        self, metric: str, period: str, group: Callable[[dict[str, Any]], Any], sort: str
    ) -> dict[Any, list[str]]:
        """Ids of the leads behind `metric`, sorted (oldest first), per group: one query."""
        request = KpiRequest(self.scope, (metric,), (), (), period, as_of=self.as_of)
        page = records(self.engine, request, metric, {}, limit=1_000_000, sort=sort)
        out: dict[Any, list[str]] = {}
        for row in page.rows:
            out.setdefault(group(row), []).append(str(row["lead_id"]))
        return out


def _campaign_runs(ctx: Context) -> dict[str, tuple[date, date]]:
    """Each campaign's run (first and last day): metadata, not a KPI."""
    rows = ctx.engine.store.fetchall("SELECT campaign_id, start_date, end_date FROM campaigns")
    return {str(c): (s, e) for c, s, e in rows}


def _relevant(ctx: Context, run: tuple[date, date] | None) -> bool:
    """Running, or ended within the look-back window."""
    if run is None:
        return False
    start, end = run
    horizon = ctx.today - timedelta(days=ctx.settings.alert_lookback_days)
    return start <= ctx.today and end >= horizon


def _finished(ctx: Context, run: tuple[date, date] | None) -> bool:
    return run is not None and run[1] < ctx.today


def _gap(actual: float | None, reference: float | None) -> float | None:
    return None if actual is None or reference is None else actual - reference


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


def _de(value: float, digits: int = 1) -> str:
    """A number as German writes it: 1.234,5."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _name(scope: dict[str, str | None]) -> str:
    if not scope:
        return "global"
    return ", ".join(f"{d} {v if v is not None else '(none)'}" for d, v in sorted(scope.items()))


# -- the rules ---------------------------------------------------------------------------------


def target_pace(ctx: Context) -> list[Alert]:
    """A running target's pace < 0.8 (under) or > 1.2 (over)."""
    metrics = tuple(
        str(m)
        for (m,) in ctx.engine.store.fetchall("SELECT DISTINCT metric FROM targets ORDER BY 1")
        if str(m) in ctx.engine.registry.kpis
    )
    if not metrics:
        return []
    s = ctx.settings
    out = []
    for t in ctx.query(metrics, period=ctx.now_period()).targets:
        if t.pace is None or not (s.alert_min_elapsed <= t.elapsed < 1.0):
            continue
        if t.pace < s.alert_pace_under:
            out.append(_pace_alert(ctx, t, under=True))
        elif t.pace > s.alert_pace_over:
            out.append(_pace_alert(ctx, t, under=False))
    return out


def _pace_alert(ctx: Context, t: TargetResult, under: bool) -> Alert:
    scope: dict[str, str | None] = dict(t.scope)
    where = _name(scope)
    label = ctx.engine.registry[t.metric].label
    if under:
        rec = {
            "en": f"{label['en']} ({where}) is at {_pct(t.pace or 0)} of the pace needed for the "
            f"{t.period} target: add or reinforce campaigns on this scope.",
            "de": f"{label['de']} ({where}) liegt bei {_pct(t.pace or 0)} des nötigen Tempos für "
            f"das Ziel {t.period}: Kampagnen für diesen Bereich ergänzen oder verstärken.",
        }
    else:
        rec = {
            "en": f"{label['en']} ({where}) runs at {_pct(t.pace or 0)} of the pace of the "
            f"{t.period} target: raise the target or shift budget to where it is needed.",
            "de": f"{label['de']} ({where}) läuft mit {_pct(t.pace or 0)} des Tempos für das "
            f"Ziel {t.period}: Ziel anheben oder Budget dorthin verschieben, wo es fehlt.",
        }
    severity = "info" if not under else ("high" if (t.pace or 0) < 0.5 else "medium")
    return Alert(
        rule="target_pace",
        severity=severity,
        scope=scope,
        kpi=t.metric,
        actual=t.actual_to_date,
        reference=t.expected_to_date,
        reference_label={
            "en": f"share of the {t.period} target ({t.target:g}) due by now",
            "de": f"bis jetzt fälliger Anteil des Ziels {t.period} ({t.target:g})",
        },
        gap=_gap(t.actual_to_date, t.expected_to_date),
        records=ctx.drill(t.metric, t.period, scope),
        recommendation=rec,
        detail={
            "direction": "under" if under else "over",
            "pace": t.pace,
            "target": t.target,
            "period": t.period,
            "elapsed": t.elapsed,
        },
    )


def campaign_target(ctx: Context) -> list[Alert]:
    """A finished campaign reached < 80 % of one of its own targets."""
    runs = _campaign_runs(ctx)
    done = {c for c, run in runs.items() if _finished(ctx, run) and _relevant(ctx, run)}
    if not done:
        return []
    start = min(runs[c][0] for c in done)
    end = max(runs[c][1] for c in done) + timedelta(days=1)
    metrics = ("leads", "opportunities", "opportunity_volume")
    table = ctx.query(metrics, ("campaign",), f"{start}..{end}")
    out = []
    for t in table.targets:
        campaign = t.scope.get("campaign")
        if set(t.scope) != {"campaign"} or campaign not in done or t.achievement is None:
            continue
        if t.achievement >= ctx.settings.alert_campaign_target:
            continue
        label = ctx.engine.registry[t.metric].label
        scope: dict[str, str | None] = {"campaign": campaign}
        out.append(
            Alert(
                rule="campaign_target",
                severity="medium",
                scope=scope,
                kpi=t.metric,
                actual=t.actual,
                reference=t.target,
                reference_label={
                    "en": f"campaign target ({t.period})",
                    "de": f"Kampagnenziel ({t.period})",
                },
                gap=_gap(t.actual, t.target),
                records=ctx.drill(t.metric, t.period, scope),
                recommendation={
                    "en": f"Campaign {campaign} ended at {_pct(t.achievement)} of its "
                    f"{label['en'].lower()} target: review its targeting and the follow-up of "
                    "its leads, and feed the lesson into the next plan.",
                    "de": f"Kampagne {campaign} endete bei {_pct(t.achievement)} ihres Ziels "
                    f"({label['de']}): Zielgruppe und Nachverfolgung der Leads prüfen und die "
                    "Erkenntnis in die nächste Planung übernehmen.",
                },
                detail={"achievement": t.achievement, "period": t.period},
            )
        )
    return out


def handover_overdue(ctx: Context) -> list[Alert]:
    """A team has overdue pending leads."""
    period = ctx.now_period()
    table = ctx.query(("overdue_handover", "pending_handover"), ("team",), period)
    policy = ctx.engine.sla
    by_team = ctx.lead_ids("overdue_handover", period, lambda r: r["team"], "handover_at")
    out = []
    for row in table.rows:
        overdue = row.get("overdue_handover") or 0
        if overdue <= 0:
            continue
        team = row.get("team")
        scope: dict[str, str | None] = {"team": team}
        ids = by_team.get(team, [])
        who = team or "(no team)"
        sla = policy.describe(team)
        out.append(
            Alert(
                rule="handover_overdue",
                severity="high" if overdue >= ctx.settings.alert_overdue_high else "medium",
                scope=scope,
                kpi="overdue_handover",
                actual=float(overdue),
                reference=0.0,
                reference_label={
                    "en": f"{sla['en']}: no lead waits longer",
                    "de": f"{sla['de']}: kein Lead wartet länger",
                },
                gap=float(overdue),
                records=ctx.drill("overdue_handover", period, scope, "handover_at", ids),
                recommendation={
                    "en": f"Team {who} has {overdue} lead(s) waiting for a response past their "
                    f"{sla['en']}: escalate to the team lead and work the list, oldest first.",
                    "de": f"Team {who} hat {overdue} Lead(s), die über die Frist ({sla['de']}) "
                    "hinaus auf eine Reaktion warten: an die Teamleitung eskalieren und die "
                    "Liste abarbeiten, die ältesten zuerst.",
                },
                detail={
                    "pending": row.get("pending_handover"),
                    "sla_hours": policy.hours_for(team, None),
                    "sla_clock": policy.clock,
                },
            )
        )
    return out


def lead_quality(ctx: Context) -> list[Alert]:
    """A campaign's acceptance rate < 60 % with ≥ 20 responses (within the look-back window)."""
    period = ctx.lookback_period()
    s = ctx.settings
    table = ctx.query(("acceptance_rate", "accepted", "rejected"), ("campaign",), period)
    out = []
    for row in table.rows:
        campaign, rate = row.get("campaign"), row.get("acceptance_rate")
        responses = (row.get("accepted") or 0) + (row.get("rejected") or 0)
        if campaign is None or rate is None or responses < s.alert_min_responses:
            continue
        if rate >= s.alert_acceptance_rate:
            continue
        reasons = ctx.query(
            ("rejected",), ("reason",), period, (("campaign", (str(campaign),)),)
        ).rows
        top = sorted(
            (
                (r.get("reason") or "(no reason)", r["rejected"])
                for r in reasons
                if r.get("rejected")
            ),
            key=lambda x: (-x[1], x[0]),
        )[:3]
        listed = ", ".join(f"{name} ({n})" for name, n in top)
        scope: dict[str, str | None] = {"campaign": str(campaign)}
        out.append(
            Alert(
                rule="lead_quality",
                severity="high" if rate < 0.4 else "medium",
                scope=scope,
                kpi="acceptance_rate",
                actual=rate,
                reference=s.alert_acceptance_rate,
                reference_label={
                    "en": f"threshold, last {s.alert_lookback_days} days",
                    "de": f"Schwelle, letzte {s.alert_lookback_days} Tage",
                },
                gap=rate - s.alert_acceptance_rate,
                records=ctx.drill("rejected", period, scope),
                recommendation={
                    "en": f"Sales accepted only {_pct(rate)} of {responses} leads from campaign "
                    f"{campaign}: review the qualification criteria with sales. "
                    f"Top rejection reasons: {listed or 'none given'}.",
                    "de": f"Der Vertrieb hat nur {_pct(rate)} von {responses} Leads der Kampagne "
                    f"{campaign} angenommen: Qualifizierungskriterien mit dem Vertrieb prüfen. "
                    f"Häufigste Ablehnungsgründe: {listed or 'keine angegeben'}.",
                },
                detail={"responses": responses, "top_reasons": dict(top)},
            )
        )
    return out


def spend(ctx: Context) -> list[Alert]:
    """Overspend: budget_utilization > 100 %; underspend: < 50 % after 75 % of the run."""
    runs = _campaign_runs(ctx)
    s = ctx.settings
    table = ctx.query(("cost", "budget_planned", "budget_utilization"), ("campaign",))
    out = []
    for row in table.rows:
        campaign, used = row.get("campaign"), row.get("budget_utilization")
        run = runs.get(str(campaign))
        if used is None or run is None or not _relevant(ctx, run):
            continue
        days = (run[1] - run[0]).days + 1
        elapsed = min(max(((ctx.today - run[0]).days) / days, 0.0), 1.0)
        scope: dict[str, str | None] = {"campaign": str(campaign)}
        common = {
            "kpi": "budget_utilization",
            "scope": scope,
            "actual": used,
            "records": ctx.drill("cost", ALL_TIME, scope),
        }
        if used > s.alert_overspend:
            out.append(
                Alert(
                    rule="overspend",
                    severity="high",
                    reference=s.alert_overspend,
                    reference_label={"en": "planned budget", "de": "geplantes Budget"},
                    gap=used - s.alert_overspend,
                    recommendation={
                        "en": f"Campaign {campaign} has spent {_pct(used)} of its budget: "
                        "stop further spend or re-plan the budget.",
                        "de": f"Kampagne {campaign} hat {_pct(used)} ihres Budgets ausgegeben: "
                        "weitere Ausgaben stoppen oder das Budget neu planen.",
                    },
                    detail={"cost": row.get("cost"), "budget": row.get("budget_planned")},
                    **common,
                )
            )
        elif s.alert_underspend_elapsed <= elapsed < 1.0 and used < s.alert_underspend:
            out.append(
                Alert(
                    rule="underspend",
                    severity="low",
                    reference=s.alert_underspend,
                    reference_label={
                        "en": f"after {_pct(s.alert_underspend_elapsed)} of the run",
                        "de": f"nach {_pct(s.alert_underspend_elapsed)} der Laufzeit",
                    },
                    gap=used - s.alert_underspend,
                    recommendation={
                        "en": f"Campaign {campaign} has used only {_pct(used)} of its budget "
                        f"after {_pct(elapsed)} of its run: release the budget or re-plan.",
                        "de": f"Kampagne {campaign} hat nach {_pct(elapsed)} der Laufzeit erst "
                        f"{_pct(used)} ihres Budgets genutzt: Budget freigeben oder neu planen.",
                    },
                    detail={
                        "cost": row.get("cost"),
                        "budget": row.get("budget_planned"),
                        "elapsed": elapsed,
                    },
                    **common,
                )
            )
    return out


def cost_efficiency(ctx: Context) -> list[Alert]:
    """cost_per_lead > 2 × the median of campaigns of the same channel (≥ 5 campaigns)."""
    runs = _campaign_runs(ctx)
    s = ctx.settings
    table = ctx.query(("cost_per_lead",), ("campaign", "channel"))
    by_channel: dict[str | None, list[tuple[str, float]]] = {}
    for row in table.rows:
        if row.get("cost_per_lead") is not None and row.get("campaign") is not None:
            by_channel.setdefault(row.get("channel"), []).append(
                (str(row["campaign"]), float(row["cost_per_lead"]))
            )
    out = []
    for channel, peers in sorted(by_channel.items(), key=lambda x: str(x[0])):
        if len(peers) < s.alert_min_peers:
            continue
        median = statistics.median(v for _, v in peers)
        for campaign, cpl in peers:
            if cpl <= s.alert_cost_factor * median or not _relevant(ctx, runs.get(campaign)):
                continue
            scope: dict[str, str | None] = {"campaign": campaign}
            out.append(
                Alert(
                    rule="cost_efficiency",
                    severity="medium",
                    scope=scope,
                    kpi="cost_per_lead",
                    actual=cpl,
                    reference=median,
                    reference_label={
                        "en": f"median of {len(peers)} {channel} campaigns",
                        "de": f"Median von {len(peers)} {channel}-Kampagnen",
                    },
                    gap=cpl - median,
                    records=ctx.drill("cost", ALL_TIME, scope),
                    recommendation={
                        "en": f"A lead from campaign {campaign} costs {cpl / median:.1f}× the "
                        f"median of {channel} campaigns: shift budget to the channel's better "
                        "campaigns.",
                        "de": f"Ein Lead der Kampagne {campaign} kostet das {_de(cpl / median)}-"
                        f"fache des Medians der {channel}-Kampagnen: Budget zu den besseren "
                        "Kampagnen des Kanals verschieben.",
                    },
                    detail={"channel": channel, "peers": len(peers)},
                )
            )
    return out


def best_practice(ctx: Context) -> list[Alert]:
    """pipeline_per_cost in the top decile of finished campaigns."""
    runs = _campaign_runs(ctx)
    table = ctx.query(("pipeline_per_cost",), ("campaign",))
    done = [
        (str(r["campaign"]), float(r["pipeline_per_cost"]))
        for r in table.rows
        if r.get("campaign") is not None
        and r.get("pipeline_per_cost") is not None
        and _finished(ctx, runs.get(str(r["campaign"])))
    ]
    if len(done) < 10:
        return []
    values = sorted(v for _, v in done)
    threshold = statistics.quantiles(values, n=10, method="inclusive")[-1]
    out = []
    for campaign, ppc in done:
        if ppc < threshold or ppc <= 0 or not _relevant(ctx, runs.get(campaign)):
            continue
        scope: dict[str, str | None] = {"campaign": campaign}
        out.append(
            Alert(
                rule="best_practice",
                severity="info",
                scope=scope,
                kpi="pipeline_per_cost",
                actual=ppc,
                reference=threshold,
                reference_label={
                    "en": f"top decile of {len(done)} finished campaigns",
                    "de": f"bestes Zehntel von {len(done)} abgeschlossenen Kampagnen",
                },
                gap=ppc - threshold,
                records=ctx.drill("marketing_opportunity_volume", ALL_TIME, scope),
                recommendation={
                    "en": f"Campaign {campaign} created {ppc:,.1f} of pipeline per unit of cost, "
                    "in the top tenth of finished campaigns: replicate it (same topic, channel "
                    "and format).",
                    "de": f"Kampagne {campaign} erzeugte {_de(ppc)} Pipeline je Kosteneinheit, "
                    "im besten Zehntel der abgeschlossenen Kampagnen: wiederholen (gleiches "
                    "Thema, gleicher Kanal, gleiches Format).",
                },
                detail={"finished_campaigns": len(done)},
            )
        )
    return out


def unprocessed(ctx: Context) -> list[Alert]:
    """Leads older than 14 days never handed over nor disqualified, per campaign (or channel)."""
    period = ctx.now_period()
    runs = _campaign_runs(ctx)
    table = ctx.query(("unprocessed_leads",), ("campaign", "channel"), period)
    days = ctx.settings.unprocessed_days
    counts: dict[tuple[str, str | None], int] = {}
    for row in table.rows:
        n = row.get("unprocessed_leads") or 0
        if n <= 0:
            continue
        # leads without a campaign are grouped by their channel (their source)
        key = ("campaign", row["campaign"]) if row.get("campaign") else ("channel", row["channel"])
        counts[key] = counts.get(key, 0) + int(n)
    # a lead without a campaign has its source as channel
    ids = ctx.lead_ids(
        "unprocessed_leads",
        period,
        lambda r: ("campaign", r["campaign_id"]) if r["campaign_id"] else ("channel", r["source"]),
        "created_at",
    )
    out = []
    for (dim, value), n in sorted(counts.items(), key=lambda x: (x[0][0], str(x[0][1]))):
        if n < ctx.settings.alert_unprocessed_min:
            continue
        if dim == "campaign" and not _relevant(ctx, runs.get(str(value))):
            continue  # older campaigns' leads stay on the handover page's list
        scope: dict[str, str | None] = {dim: value}
        if dim == "channel":
            scope["campaign"] = None
        listed = ids.get((dim, value), [])
        where = f"campaign {value}" if dim == "campaign" else f"channel {value or '(none)'}"
        wo = f"Kampagne {value}" if dim == "campaign" else f"Kanal {value or '(ohne)'}"
        out.append(
            Alert(
                rule="unprocessed_leads",
                severity="high" if n >= ctx.settings.alert_unprocessed_high else "medium",
                scope=scope,
                kpi="unprocessed_leads",
                actual=float(n),
                reference=0.0,
                reference_label={
                    "en": f"no lead older than {days:g} days left unprocessed",
                    "de": f"kein Lead älter als {days:g} Tage unbearbeitet",
                },
                gap=float(n),
                records=ctx.drill("unprocessed_leads", period, scope, "created_at", listed),
                recommendation={
                    "en": f"{n} lead(s) from {where} are older than {days:g} days and were "
                    "never handed over nor disqualified: work or disqualify them, potential is "
                    "being left behind.",
                    "de": f"{n} Lead(s) aus {wo} "
                    f"sind älter als {days:g} Tage und wurden weder übergeben noch "
                    "disqualifiziert: bearbeiten oder disqualifizieren, hier bleibt Potenzial "
                    "liegen.",
                },
            )
        )
    return out


RULES: dict[str, Callable[[Context], list[Alert]]] = {
    "target_pace": target_pace,
    "campaign_target": campaign_target,
    "handover_overdue": handover_overdue,
    "lead_quality": lead_quality,
    "spend": spend,
    "cost_efficiency": cost_efficiency,
    "best_practice": best_practice,
    "unprocessed_leads": unprocessed,
}


def evaluate(
    engine: KpiEngine, scope: Scope, as_of: datetime, settings: Settings | None = None
) -> list[Alert]:
    """Every alert that fires at `as_of` (naive UTC) within `scope`, most severe first."""
    ctx = Context(engine, scope, as_of, settings or engine.settings)
    alerts = [a for rule in RULES.values() for a in rule(ctx)]
    return sorted(alerts, key=lambda a: (SEVERITIES.index(a.severity), a.rule, a.key))
