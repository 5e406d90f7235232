"""The words of the reports (and the names of dimensions, alert rules and severities, which the
dashboard shares), in English and German."""

from __future__ import annotations

DIMENSION_NAMES = {
    "campaign": {"en": "Campaign", "de": "Kampagne"},
    "channel": {"en": "Channel", "de": "Kanal"},
    "topic": {"en": "Topic", "de": "Thema"},
    "unit": {"en": "Unit", "de": "Unit"},
    "country": {"en": "Country", "de": "Land"},
    "region": {"en": "Region", "de": "Region"},
    "team": {"en": "Team", "de": "Team"},
    "owner": {"en": "Owner", "de": "Verantwortlich"},
    "account": {"en": "Account", "de": "Account"},
    "industry": {"en": "Industry", "de": "Branche"},
    "segment": {"en": "Segment", "de": "Segment"},
    "month": {"en": "Month", "de": "Monat"},
    "day": {"en": "Day", "de": "Tag"},
    "week": {"en": "Week", "de": "Woche"},
    "quarter": {"en": "Quarter", "de": "Quartal"},
    "fiscal_year": {"en": "Fiscal year", "de": "Geschäftsjahr"},
    "stage": {"en": "Stage", "de": "Phase"},
    "reason": {"en": "Reason", "de": "Grund"},
}
RULE_NAMES = {
    "target_pace": {"en": "Target pace", "de": "Ziel-Tempo"},
    "campaign_target": {"en": "Campaign target", "de": "Kampagnenziel"},
    "handover_overdue": {"en": "Handover overdue", "de": "Übergabe überfällig"},
    "lead_quality": {"en": "Lead quality", "de": "Leadqualität"},
    "overspend": {"en": "Overspend", "de": "Budgetüberschreitung"},
    "underspend": {"en": "Underspend", "de": "Budget nicht genutzt"},
    "cost_efficiency": {"en": "Cost efficiency", "de": "Kosteneffizienz"},
    "best_practice": {"en": "Best practice", "de": "Best Practice"},
    "unprocessed_leads": {"en": "Unprocessed leads", "de": "Unbearbeitete Leads"},
}
SEVERITY = {
    "high": {"en": "high", "de": "hoch"},
    "medium": {"en": "medium", "de": "mittel"},
    "low": {"en": "low", "de": "niedrig"},
    "info": {"en": "info", "de": "Info"},
}
TEXT = {
    "report_title": {
        "en": "Leadboard: marketing and sales report",
        "de": "Leadboard: Marketing- und Vertriebsbericht",
    },
    "cover": {"en": "Cover", "de": "Deckblatt"},
    "period": {"en": "Period", "de": "Zeitraum"},
    "filters": {"en": "Filters", "de": "Filter"},
    "as_of": {"en": "As of", "de": "Stichtag"},
    "data_version": {"en": "Data version", "de": "Datenstand"},
    "currency": {"en": "Currency", "de": "Währung"},
    "generated": {"en": "Generated", "de": "Erstellt"},
    "contents": {"en": "Contents", "de": "Inhalt"},
    "records_cut": {
        "en": "{what}: the newest {shown:,} of {total:,} records are listed; all of them:",
        "de": "{what}: die neuesten {shown:,} von {total:,} Datensätzen sind aufgeführt; alle:",
    },
    "cockpit": {"en": "Cockpit KPIs", "de": "Cockpit-KPIs"},
    "kpi": {"en": "KPI", "de": "KPI"},
    "name": {"en": "Name", "de": "Name"},
    "value": {"en": "Value", "de": "Wert"},
    "previous": {"en": "Previous period", "de": "Vorperiode"},
    "delta": {"en": "Δ", "de": "Δ"},
    "target": {"en": "Target", "de": "Ziel"},
    "achievement": {"en": "Achievement / pace", "de": "Zielerreichung / Tempo"},
    "status": {"en": "Status", "de": "Status"},
    "global_target": {"en": "V2 Global target", "de": "V2 Globales Ziel"},
    "expected_to_date": {"en": "Due by now", "de": "Bis jetzt fällig"},
    "actual_to_date": {"en": "Actual to date", "de": "Ist bis jetzt"},
    "actual": {"en": "Actual (period)", "de": "Ist (Zeitraum)"},
    "pace": {"en": "Pace", "de": "Tempo"},
    "alerts": {"en": "Alerts", "de": "Warnungen"},
    "severity": {"en": "Severity", "de": "Schwere"},
    "rule": {"en": "Rule", "de": "Regel"},
    "scope": {"en": "Scope", "de": "Bereich"},
    "reference": {"en": "Reference", "de": "Referenz"},
    "gap": {"en": "Gap", "de": "Abweichung"},
    "recommendation": {"en": "Recommended action", "de": "Empfohlene Maßnahme"},
    "since": {"en": "Since", "de": "Seit"},
    "count": {"en": "Count", "de": "Anzahl"},
    "records": {"en": "Records", "de": "Datensätze"},
    "definitions": {"en": "KPI definitions", "de": "KPI-Definitionen"},
    "definition": {"en": "Definition", "de": "Definition"},
    "formula": {"en": "Formula", "de": "Formel"},
    "anchor": {"en": "Anchor", "de": "Bezug"},
    "unit": {"en": "Unit", "de": "Einheit"},
    "top": {"en": "top 5", "de": "Top 5"},
    "bottom": {"en": "bottom 5", "de": "Schlusslicht 5"},
    "campaigns_vs_targets": {
        "en": "Campaign performance vs targets (leads)",
        "de": "Kampagnen gegenüber Zielen (Leads)",
    },
    "budget_usage": {"en": "Budget usage by month", "de": "Budgeteinsatz nach Monat"},
    "handover": {
        "en": "Handover and acceptance delay by team",
        "de": "Übergabe und Übernahmeverzögerung nach Team",
    },
    "no_alerts": {
        "en": "No alerts: every KPI is on plan.",
        "de": "Keine Warnungen: alle KPIs im Plan.",
    },
    "no_target": {
        "en": "No global target set for this period.",
        "de": "Kein globales Ziel für diesen Zeitraum.",
    },
    "more_alerts": {
        "en": "and {n} more in the XLSX report and on /alerts",
        "de": "und {n} weitere im XLSX-Bericht und unter /alerts",
    },
}


def dimension_label(name: str, lang: str) -> str:
    entry = DIMENSION_NAMES.get(name)
    return entry[lang] if entry else name


def rule_name(rule: str, lang: str) -> str:
    entry = RULE_NAMES.get(rule)
    return entry[lang] if entry else rule
