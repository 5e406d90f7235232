"""Scheduled delivery: each report subscription is e-mailed with its file attached when due.

A subscription is due when a time of its cron schedule has passed since it was last sent. The
first time Leadboard sees a subscription it only notes the moment, so a new subscription does
not fire for schedule times before it existed. Sent times are kept in the store.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

from croniter import croniter

from leadboard.metrics.calendar import naive_utc
from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import Scope
from leadboard.reports import FORMATS, file_name, render_report
from leadboard.reports.content import ReportRequest
from leadboard.settings import ReportSubscription, Settings

log = logging.getLogger(__name__)
CHECK_SECONDS = 60
_KEY = "report_sent:"


class ScheduleError(ValueError):
    """A subscription that cannot be sent: names it."""


@dataclass(frozen=True)
class Delivery:
    name: str
    to: list[str]
    file: str
    size: int
    seconds: float


def _last(engine: KpiEngine, name: str) -> datetime | None:
    value = engine.store.scalar("SELECT value FROM leadboard_meta WHERE key = ?", [_KEY + name])
    return None if value is None else datetime.fromisoformat(str(value))


def _mark(engine: KpiEngine, name: str, at: datetime) -> None:
    engine.store.execute(
        "INSERT INTO leadboard_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [_KEY + name, at.isoformat()],
    )


def is_due(sub: ReportSubscription, last: datetime, now: datetime) -> bool:
    """Whether a time of the schedule lies in (last, now]."""
    if not croniter.is_valid(sub.schedule):
        raise ScheduleError(f"{sub.name}: {sub.schedule!r} is not a cron schedule")
    return bool(croniter(sub.schedule, last).get_next(datetime) <= now)


def send(engine: KpiEngine, settings: Settings, sub: ReportSubscription, now: datetime) -> Delivery:
    """Render the subscription's report and e-mail it with the file attached."""
    if not settings.smtp_host:
        raise ScheduleError(f"{sub.name}: LEADBOARD_SMTP_HOST is not set")
    started = datetime.now(UTC)
    req = ReportRequest(sub.period, tuple(sub.filters), sub.lang, None, None)
    body = render_report(engine, Scope.everything(), sub.format, req)
    name = file_name(sub.format, req)
    message = EmailMessage()
    message["Subject"] = f"Leadboard report: {sub.name} ({sub.period})"
    message["From"] = settings.smtp_sender
    message["To"] = ", ".join(sub.to)
    message.set_content(
        f"The Leadboard report '{sub.name}' for {sub.period}"
        + (f" ({', '.join(sub.filters)})" if sub.filters else "")
        + f" is attached: {name}.\n"
    )
    maintype, subtype = FORMATS[sub.format].split("/")
    message.add_attachment(body, maintype=maintype, subtype=subtype, filename=name)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        smtp.send_message(message)
    _mark(engine, sub.name, now)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return Delivery(sub.name, list(sub.to), name, len(body), seconds)


def run_due(
    engine: KpiEngine, settings: Settings, now: datetime | None = None, force: bool = False
) -> list[Delivery]:
    """Send every subscription that is due (all of them with `force`)."""
    moment = naive_utc(now or datetime.now(UTC)).replace(microsecond=0)
    sent = []
    for sub in settings.report_subscriptions:
        last = _last(engine, sub.name)
        if last is None and not force:
            _mark(engine, sub.name, moment)  # first seen: due from the next schedule time
            continue
        if force or (last is not None and is_due(sub, last, moment)):
            sent.append(send(engine, settings, sub, moment))
    return sent


def start_scheduler(engine: KpiEngine, settings: Settings) -> threading.Event | None:
    """Inside `serve`: check the subscriptions every minute; returns the stop event."""
    if not settings.report_subscriptions:
        return None
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(CHECK_SECONDS):
            try:
                for d in run_due(engine, settings):
                    log.info("report %s sent to %s (%s)", d.name, ", ".join(d.to), d.file)
            except Exception:  # a failed delivery is logged; the next minute tries again
                log.exception("scheduled reports failed")

    threading.Thread(target=loop, name="leadboard-reports", daemon=True).start()
    return stop
