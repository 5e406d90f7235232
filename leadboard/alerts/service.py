"""Alerts over time: evaluated when the data changes, kept with first seen, last seen, resolved.

The live alerts (the clock's now, everything in scope) are stored in the `alerts` table: a new
one gets `first_seen`, one that fires again gets a new `last_seen`, and one that no longer fires
is marked `resolved`, never deleted. They are evaluated again when the data version changes or
after `REFRESH_AFTER`, since pace moves with the clock. A narrower scope or another as-of is
evaluated on the spot, with the stored history of the same alerts.
"""

from __future__ import annotations

import json
import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx

from leadboard.alerts.rules import SEVERITIES, Alert, evaluate
from leadboard.metrics.calendar import naive_utc
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import RequestError, Scope
from leadboard.settings import Settings
from leadboard.store.ingest import data_version

log = logging.getLogger(__name__)
REFRESH_AFTER = timedelta(minutes=10)
FORMAT = "1"  # of the stored alert bodies: stored ones of another format are evaluated again
STATUSES = ("open", "resolved", "all")
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Refresh:
    evaluated_at: datetime
    new: list[dict[str, Any]]
    resolved: int
    open: int


def _meta(engine: KpiEngine, key: str) -> str | None:
    value = engine.store.scalar("SELECT value FROM leadboard_meta WHERE key = ?", [key])
    return None if value is None else str(value)


def _set_meta(engine: KpiEngine, key: str, value: str) -> None:
    engine.store.execute(
        "INSERT INTO leadboard_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [key, value],
    )


def refresh(engine: KpiEngine, now: datetime | None = None) -> Refresh:
    """Evaluate the live alerts and store them; returns the new ones (for the digest)."""
    now = naive_utc(now or engine.clock()).replace(microsecond=0)
    with _LOCK:
        version = engine.prepare()
        firing = {a.key: a for a in evaluate(engine, Scope.everything(), now)}
        store = engine.store
        new: list[dict[str, Any]] = []
        with store.transaction():
            known = {
                str(k): str(s) for k, s in store.fetchall("SELECT alert_key, status FROM alerts")
            }
            for key, alert in firing.items():
                body = json.dumps(alert.public(), default=str)
                if key not in known:
                    store.execute(
                        "INSERT INTO alerts (alert_key, rule, severity, kpi, body, first_seen, "
                        "last_seen, resolved_at, status) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'open')",
                        [key, alert.rule, alert.severity, alert.kpi, body, now, now],
                    )
                else:
                    store.execute(
                        "UPDATE alerts SET severity = ?, body = ?, last_seen = ?, "
                        "resolved_at = NULL, status = 'open' WHERE alert_key = ?",
                        [alert.severity, body, now, key],
                    )
                if known.get(key) != "open":  # new, or back after being resolved
                    new.append({**alert.public(), "first_seen": now.isoformat() + "Z"})
            gone = [k for k, s in known.items() if s == "open" and k not in firing]
            for key in gone:
                store.execute(
                    "UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE alert_key = ?",
                    [now, key],
                )
            _set_meta(engine, "alerts_version", str(version))
            _set_meta(engine, "alerts_evaluated_at", now.isoformat())
            _set_meta(engine, "alerts_format", FORMAT)
    return Refresh(now, new, len(gone), len(firing))


def is_stale(engine: KpiEngine) -> bool:
    version, at = _meta(engine, "alerts_version"), _meta(engine, "alerts_evaluated_at")
    if version is None or at is None or int(version) != data_version(engine.store):
        return True
    if _meta(engine, "alerts_format") != FORMAT:
        return True
    return naive_utc(engine.clock()) - datetime.fromisoformat(at) > REFRESH_AFTER


def refresh_if_stale(engine: KpiEngine, settings: Settings | None = None) -> Refresh | None:
    """Evaluate again when the data or the clock moved on; send the digest of new alerts."""
    if not is_stale(engine):
        return None
    result = refresh(engine)
    if result.new:
        notify(settings or engine.settings, result.new)
    return result


def history(engine: KpiEngine) -> dict[str, dict[str, Any]]:
    """Stored alerts by key: body, first/last seen, resolved_at, status."""
    rows = engine.store.fetch_dicts(
        "SELECT alert_key, body, first_seen, last_seen, resolved_at, status FROM alerts"
    )
    return {str(r["alert_key"]): r for r in rows}


def _stamp(value: Any) -> str | None:
    return None if value is None else value.isoformat() + "Z"


def _with_history(body: dict[str, Any], row: dict[str, Any] | None) -> dict[str, Any]:
    return {
        **body,
        "first_seen": _stamp(row["first_seen"]) if row else None,
        "last_seen": _stamp(row["last_seen"]) if row else None,
        "resolved_at": _stamp(row["resolved_at"]) if row else None,
        "status": row["status"] if row else "open",
    }


def alerts(
    engine: KpiEngine,
    scope: Scope,
    as_of: datetime | None = None,
    status: str = "open",
) -> list[dict[str, Any]]:
    """The alerts as the API, CLI and pages show them, most severe first."""
    if status not in STATUSES:
        raise RequestError("status", f"unknown status {status!r}; allowed: {', '.join(STATUSES)}")
    if as_of is None and scope.allowed is None:
        refresh_if_stale(engine)
        rows = history(engine).values()
        out = [
            _with_history(json.loads(r["body"]), r)
            for r in rows
            if status == "all" or r["status"] == status
        ]
        return _ordered(out)
    if status == "resolved":
        raise RequestError(
            "status", "resolved alerts are kept for the live view of everything only"
        )
    moment = naive_utc(as_of or engine.clock()).replace(microsecond=0)
    known = history(engine)
    found: list[Alert] = evaluate(engine, scope, moment)
    return _ordered([_with_history(a.public(), known.get(a.key)) for a in found])


def _ordered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        items,
        key=lambda a: (a["status"] != "open", SEVERITIES.index(a["severity"]), a["rule"], a["key"]),
    )


# -- notifications -----------------------------------------------------------------------------


def digest_text(new: list[dict[str, Any]], lang: str = "en") -> str:
    head = (
        f"{len(new)} new alert(s) in Leadboard:"
        if lang == "en"
        else f"{len(new)} neue Warnung(en) in Leadboard:"
    )
    lines = [head, ""]
    for a in new:
        where = ", ".join(f"{d}={v}" for d, v in sorted(a["scope"].items())) or "global"
        lines.append(f"[{a['severity']}] {a['rule']} · {a['kpi']} · {where}")
        lines.append(f"    {a['recommendation'][lang]}")
    return "\n".join(lines) + "\n"


def notify(settings: Settings, new: list[dict[str, Any]]) -> list[str]:
    """Send the digest of new alerts by e-mail and/or webhook; returns what was sent.

    A failing channel is logged and does not stop the other one nor the evaluation.
    """
    rules = {r.strip() for r in settings.alert_notify_rules.split(",") if r.strip()}
    if rules:
        new = [a for a in new if a["rule"] in rules]
    sent: list[str] = []
    if not new:
        return sent
    recipients = [r.strip() for r in settings.alert_email_to.split(",") if r.strip()]
    if settings.smtp_host and recipients:
        message = EmailMessage()
        message["Subject"] = f"Leadboard: {len(new)} new alert(s)"
        message["From"] = settings.smtp_sender
        message["To"] = ", ".join(recipients)
        message.set_content(digest_text(new, "en") + "\n" + digest_text(new, "de"))
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
                smtp.send_message(message)
            sent.append("email")
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("alert e-mail not sent: %s", exc)
    if settings.alert_webhook_url:
        try:
            response = httpx.post(settings.alert_webhook_url, json={"new_alerts": new}, timeout=10)
            response.raise_for_status()
            sent.append("webhook")
        except httpx.HTTPError as exc:
            log.warning("alert webhook not sent: %s", exc)
    return sent
