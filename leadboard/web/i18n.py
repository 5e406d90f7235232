"""The dashboard's words in English and German, and numbers and dates formatted per locale."""

from __future__ import annotations

from leadboard.metrics.units import fmt, number
from leadboard.reports.texts import DIMENSION_NAMES

__all__ = ["LANGUAGES", "TEXTS", "fmt", "number", "t"]

LANGUAGES = ("en", "de")

TEXTS: dict[str, dict[str, str]] = {
    "cockpit": {"en": "Cockpit", "de": "Cockpit"},
    "campaigns": {"en": "Campaigns", "de": "Kampagnen"},
    "budget": {"en": "Budget", "de": "Budget"},
    "leads": {"en": "Leads", "de": "Leads"},
    "handover": {"en": "Handover", "de": "Übergabe"},
    "topics": {"en": "Topics", "de": "Themen"},
    "regions": {"en": "Regions", "de": "Regionen"},
    "opportunities": {"en": "Opportunities", "de": "Opportunities"},
    "alerts": {"en": "Alerts", "de": "Warnungen"},
    "data": {"en": "Data", "de": "Daten"},
    "period": {"en": "Period", "de": "Zeitraum"},
    "download": {"en": "Download", "de": "Herunterladen:"},
    "page_failed": {
        "en": "This page could not be computed",
        "de": "Diese Seite konnte nicht berechnet werden",
    },
    "updated": {"en": "updated", "de": "aktualisiert"},
    "target": {"en": "target", "de": "Ziel"},
    "pace": {"en": "pace", "de": "Tempo"},
    "vs_previous": {"en": "vs previous period", "de": "ggü. Vorperiode"},
    "no_target": {"en": "no target", "de": "kein Ziel"},
    "no_data": {
        "en": "No data yet. Import your files with `leadboard import` or on the Data page, "
        "or start the demo company with `leadboard demo`.",
        "de": "Noch keine Daten. Importieren Sie Ihre Dateien mit `leadboard import` oder auf der "
        "Seite Daten, oder starten Sie die Demo-Firma mit `leadboard demo`.",
    },
    "lead_volume": {"en": "Lead volume from campaigns", "de": "Leadvolumen aus Kampagnen"},
    "global_target": {
        "en": "Global target achievement: opportunity volume",
        "de": "Globale Zielerreichung Opportunity-Volumen",
    },
    "funnel": {"en": "Lead and opportunity funnel", "de": "Lead- und Opportunity-Funnel"},
    "won": {"en": "Won", "de": "Gewonnen"},
    "follow_up": {
        "en": "V5 Follow-up of finished campaigns",
        "de": "V5 Kampagnennachbereitung (abgeschlossene Kampagnen)",
    },
    "no_finished": {
        "en": "No campaign with targets ended in this period.",
        "de": "In diesem Zeitraum endete keine Kampagne mit Zielen.",
    },
    "finished_campaigns": {"en": "finished campaigns", "de": "abgeschlossene Kampagnen"},
    "still_unprocessed": {
        "en": "of their leads still pending with sales or never handed over",
        "de": "ihrer Leads noch beim Vertrieb offen oder nie übergeben",
    },
    "best": {"en": "Best", "de": "Beste"},
    "worst": {"en": "Worst", "de": "Schwächste"},
    "campaign_performance": {
        "en": "Campaign performance vs targets",
        "de": "Kampagnen-Performance gegenüber Zielen",
    },
    "delay_over_time": {
        "en": "Acceptance delay over time (median, p90)",
        "de": "Übernahmeverzögerung im Zeitverlauf (Median, p90)",
    },
    "delay_distribution": {
        "en": "Acceptance delay: distribution",
        "de": "Übernahmeverzögerung: Verteilung",
    },
    "responses": {"en": "responses", "de": "Reaktionen"},
    "hours": {"en": "hours", "de": "Stunden"},
    "latest": {"en": "the latest", "de": "die neuesten"},
    "handover_tracking": {"en": "Lead handover tracking", "de": "Tracking der Leadübergabe"},
    "forwarding_by_team": {
        "en": "Lead forwarding to sales, by team",
        "de": "Leadweitergabe an den Vertrieb nach Teams",
    },
    "acceptance_delay": {
        "en": "Acceptance delay by team",
        "de": "Übernahmeverzögerung nach Teams",
    },
    "by_country": {"en": "Every KPI by country", "de": "Alle KPIs nach Ländern"},
    "by_team": {"en": "… and by team", "de": "… und nach Teams"},
    "by_topic": {"en": "Every KPI by topic", "de": "Alle KPIs nach Themen"},
    "ratio_by_channel": {
        "en": "Leads per opportunity by channel and month",
        "de": "Leads pro Opportunity nach Kanal und Monat",
    },
    "all": {"en": "all", "de": "alle"},
    "records": {"en": "records", "de": "Datensätze"},
    "rejection_reasons": {
        "en": "Why sales rejects leads (Pareto)",
        "de": "Warum der Vertrieb Leads ablehnt (Pareto)",
    },
    "pipeline_by_stage": {
        "en": "Opportunity volume by stage (count on the bars)",
        "de": "Opportunity-Volumen nach Phase (Anzahl an den Balken)",
    },
    "respond": {
        "en": "Pending leads: accept or reject (oldest first)",
        "de": "Offene Leads: annehmen oder ablehnen (älteste zuerst)",
    },
    "pending_more": {
        "en": "pending in all; the 1,000 oldest are listed",
        "de": "offen insgesamt; die 1.000 ältesten sind aufgeführt",
    },
    "your_name": {"en": "Your name", "de": "Ihr Name"},
    "accept": {"en": "Accept", "de": "Annehmen"},
    "reject": {"en": "Reject", "de": "Ablehnen"},
    "note": {"en": "Note (optional)", "de": "Notiz (optional)"},
    "pick_lead": {"en": "Pick a lead in the list first.", "de": "Bitte zuerst einen Lead wählen."},
    "responded": {"en": "Saved", "de": "Gespeichert"},
    "within": {"en": "within SLA", "de": "im SLA"},
    "due_soon": {"en": "due soon", "de": "bald fällig"},
    "overdue": {"en": "overdue", "de": "überfällig"},
    "sla_state": {"en": "SLA", "de": "SLA"},
    "due_at": {"en": "Due", "de": "Fällig am"},
    "age_days": {"en": "Age (days)", "de": "Alter (Tage)"},
    "left_behind": {
        "en": "No lead left behind: unprocessed leads",
        "de": "Kein Lead bleibt liegen: unbearbeitete Leads",
    },
    "stalled": {
        "en": "No lead left behind: accepted, but no opportunity",
        "de": "Kein Lead bleibt liegen: angenommen, aber keine Opportunity",
    },
    "stalled_hint": {
        "en": "leads accepted by sales longer ago than the set days with no opportunity yet",
        "de": "vom Vertrieb angenommene Leads ohne Opportunity, länger als die eingestellte Frist",
    },
    "response_at": {"en": "Answered", "de": "Beantwortet am"},
    "days_since": {"en": "Days since", "de": "Tage seitdem"},
    "left_behind_hint": {
        "en": "leads never handed over nor disqualified, older than the set age: work or "
        "disqualify them",
        "de": "Leads, die nie übergeben oder disqualifiziert wurden und älter als die "
        "eingestellte Frist sind: bearbeiten oder disqualifizieren",
    },
    "overdue_list": {
        "en": "Overdue leads, oldest first (no lead left behind)",
        "de": "Überfällige Leads, älteste zuerst (kein Lead bleibt liegen)",
    },
    "lead_id": {"en": "Lead", "de": "Lead"},
    "created_at": {"en": "Created", "de": "Erstellt am"},
    "source": {"en": "Source", "de": "Quelle"},
    "campaign_id": {"en": "Campaign", "de": "Kampagne"},
    "handover_at": {"en": "Handed over", "de": "Übergeben am"},
    "age_h": {"en": "Waiting (hours)", "de": "Wartezeit (Stunden)"},
    "download_csv": {"en": "Download CSV", "de": "CSV herunterladen"},
    "this-month": {"en": "This month", "de": "Dieser Monat"},
    "last-month": {"en": "Last month", "de": "Letzter Monat"},
    "this-quarter": {"en": "This quarter", "de": "Dieses Quartal"},
    "last-quarter": {"en": "Last quarter", "de": "Letztes Quartal"},
    "this-year": {"en": "This fiscal year", "de": "Dieses Geschäftsjahr"},
    "last-year": {"en": "Last fiscal year", "de": "Letztes Geschäftsjahr"},
    "last-30-days": {"en": "Last 30 days", "de": "Letzte 30 Tage"},
    "last-90-days": {"en": "Last 90 days", "de": "Letzte 90 Tage"},
    "language": {"en": "Deutsch", "de": "English"},
    "not_yet": {
        "en": "This view arrives with a later release.",
        "de": "Diese Ansicht kommt mit einer späteren Version.",
    },
}


def t(key: str, lang: str) -> str:
    entry = TEXTS.get(key) or DIMENSION_NAMES.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["en"])
