"""The `leadboard` command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from leadboard.settings import Settings, get_settings
from leadboard.sources.importer import ImportOptions, ImportReport, import_files
from leadboard.sources.profiles import ProfileError, builtin_profiles
from leadboard.store import Store, StoreError, StoreUrl, open_store
from leadboard.store.advert import read_advert

app = typer.Typer(
    help="Leadboard: the lead dashboard that B2B marketing and sales steer by together.",
    no_args_is_help=True,
    add_completion=False,
)
# Piped output gets a wide page instead of rich's 80-column default.
console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
out = Console(width=None if sys.stdout.isatty() else 160)

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="The store: a .duckdb file or a postgresql:// URL "
        "(default: LEADBOARD_DATABASE_URL, else ./leadboard.duckdb).",
    ),
]


def _settings(store: str | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"database_url": store}) if store else settings


def _open(settings: Settings) -> Store:
    try:
        return open_store(settings.database_url)
    except StoreError as exc:
        console.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc


class _Bar:
    """The importer's progress shown as a rich progress bar."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def start(self, description: str, total: int | None = None, unit: str = "bytes") -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total or 1)
        self._task = self._progress.add_task(description, total=total, unit=unit)

    def advance(self, amount: int) -> None:
        self._progress.advance(self._task, amount)


class _Amount(ProgressColumn):
    """Bytes while files are read, rows while they are written; nothing while unknown."""

    def render(self, task: Task) -> Text:
        if task.total is None:
            return Text("")
        if task.fields.get("unit") == "rows":
            return Text(f"{int(task.completed):,}/{int(task.total):,} rows", style="green")
        return Text(str(DownloadColumn().render(task)), style="green")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        _Amount(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@app.command("import")
def import_cmd(
    paths: Annotated[
        list[Path], typer.Argument(help="CSV/XLSX files, or a profile's files/folder.")
    ],
    profile: Annotated[
        str | None,
        typer.Option(
            help=f"Mapping profile for a non-canonical source ({', '.join(builtin_profiles())}, "
            "or a .toml file)."
        ),
    ] = None,
    store: StoreOpt = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(help="Write the valid rows; write rejected rows with reasons to --rejects."),
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Where --skip-invalid writes rejected rows (CSV).")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Also write the full report as JSON.")] = None,
) -> None:
    """Validate files and import them into the store; strict by default (an error: nothing written).

    Canonical files are recognised by name (leads.csv, ...) or header; an XLSX workbook may hold one
    sheet per entity. Importing the same records again updates them (upsert by id).
    """
    settings = _settings(store)
    if skip_invalid and rejects is None:
        rejects = Path(f"leadboard-rejects-{datetime.now(UTC):%Y%m%dT%H%M%S}.csv")
    url = StoreUrl(settings.database_url)
    advert = read_advert(url) if url.dialect == "duckdb" else None
    if advert is not None:
        console.print(
            f"The store {url.display} is held by the running Leadboard server "
            f"(pid {advert.pid}); importing through it at {advert.url}."
        )
        from leadboard.client import import_via_server

        body = import_via_server(advert.url, paths, profile, skip_invalid)
        if rejects and body.get("rejects_csv"):
            rejects.write_text(body["rejects_csv"], encoding="utf-8")
            body["rejects_file"] = str(rejects)
        body.pop("rejects_csv", None)
        _finish(body, report)
        return
    options = ImportOptions(
        skip_invalid=skip_invalid,
        rejects_path=rejects,
        profile=profile,
        user=settings.import_user,
        hold_commit_signal=settings.test_hold_commit,
    )
    with _open(settings) as st, _progress() as progress:
        try:
            result: ImportReport = import_files(st, paths, options, _Bar(progress))
        except ProfileError as exc:
            console.print(f"[red]Error:[/red] {exc}")
            raise typer.Exit(2) from exc
    _finish(result.as_dict(), report)


def _finish(body: dict[str, Any], report: Path | None) -> None:
    if report is not None:
        report.write_text(json.dumps(body, indent=2, default=str), encoding="utf-8")
    _print_report(body)
    if body["status"] != "committed":
        raise typer.Exit(1)


def _print_report(body: dict[str, Any]) -> None:
    table = Table(title=None, show_edge=False)
    for col in ("entity", "read", "written", "rejected"):
        table.add_column(col, justify="left" if col == "entity" else "right")
    for name, c in body["counts"].items():
        table.add_row(name, f"{c['read']:,}", f"{c['written']:,}", f"{c['rejected']:,}")
    out.print(table)
    issues = body["issues"]
    for issue in issues[:200]:
        where = issue["file"] + (f", row {issue['row']}" if issue["row"] is not None else "")
        where += f", column {issue['column']}" if issue["column"] else ""
        colour = "red" if issue["level"] == "error" else "yellow"
        out.print(
            f"[{colour}]{issue['level']}[/{colour}]: {where}: {issue['message']}",
            markup=True,
            highlight=False,
        )
    if len(issues) > 200:
        out.print(f"… and {len(issues) - 200:,} more issues (use --report FILE for all of them)")
    if body["status"] == "committed":
        msg = (
            f"Imported in {body['seconds']:.1f} s (run {body['run_id']}, data version "
            f"{body['data_version']})."
        )
        if body.get("rejects_file"):
            msg += f" Rejected rows with reasons: {body['rejects_file']}"
        out.print(f"[green]{msg}[/green]")
    else:
        out.print(
            f"[red]Nothing was imported: {body['error_count']:,} error(s). Fix them, or use "
            "--skip-invalid to import the valid rows.[/red]"
        )


@app.command()
def status(store: StoreOpt = None) -> None:
    """Show the store: schema and data version, rows per table."""
    settings = _settings(store)
    url = StoreUrl(settings.database_url)
    advert = read_advert(url)
    if advert is not None:
        from leadboard.client import get_json

        console.print(f"[dim]via the running server at {advert.url}[/dim]")
        body = get_json(advert.url, "/api/v1/status")
    else:
        from leadboard.store.status import store_status

        with _open(settings) as st:
            body = store_status(st)
    out.print_json(json.dumps(body))


@app.command()
def history(store: StoreOpt = None, limit: int = 20) -> None:
    """Show the import history (who, when, what, how many, rejected), newest first."""
    settings = _settings(store)
    advert = read_advert(StoreUrl(settings.database_url))
    if advert is not None:
        from leadboard.client import get_json

        console.print(f"[dim]via the running server at {advert.url}[/dim]")
        rows = get_json(advert.url, f"/api/v1/imports?limit={limit}")
    else:
        from leadboard.store.ingest import import_history

        with _open(settings) as st:
            rows = import_history(st, limit)
    table = Table(show_edge=False)
    for col in (
        "run",
        "finished",
        "user",
        "status",
        "mode",
        "profile",
        "read",
        "written",
        "rejected",
        "errors",
        "sources",
    ):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["run_id"]),
            str(r["finished_at"])[:19],
            r["user_name"] or "",
            r["status"],
            r["mode"],
            r["profile"] or "",
            f"{r['rows_read']:,}",
            f"{r['rows_written']:,}",
            f"{r['rows_rejected']:,}",
            str(r["error_count"]),
            ", ".join(r["sources"]),
        )
    out.print(table)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8050).")] = None,
) -> None:
    """Serve the JSON API (and dashboard) on the store; other CLI commands then go through it."""
    settings = _settings(store)
    from leadboard.server import run_server

    _run(lambda: run_server(settings, host or settings.host, port or settings.port))


@app.command()
def demo(
    leads: Annotated[int, typer.Option(help="Number of leads to generate.")] = 60_000,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same company.")] = 42,
    store: StoreOpt = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Load the data, then stop.")] = False,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Generate a realistic demo company into the store, then serve it on http://127.0.0.1:8050."""
    settings = _settings(store)
    from leadboard.sources.demo_import import load_demo

    with _open(settings) as st, _progress() as progress:
        report = load_demo(st, leads, seed, _Bar(progress))
    _print_report(report.as_dict())
    if report.status != "committed":
        raise typer.Exit(1)
    if not no_serve:
        from leadboard.server import run_server

        _run(lambda: run_server(settings, host or settings.host, port or settings.port))


@app.command()
def kpi(
    metric: Annotated[
        list[str], typer.Option(help="Metrics, comma separated or repeated (see `metrics`).")
    ],
    by: Annotated[
        list[str] | None,
        typer.Option(help="Group by dimensions and at most one grain (day … fiscal_year)."),
    ] = None,
    period: Annotated[
        str, typer.Option(help="2026, 2026-Q3, 2026-07, last-30-days, or from..to (to exclusive).")
    ] = "this-year",
    filter: Annotated[
        list[str] | None,
        typer.Option("--filter", help="dimension=value; repeat for several values (OR)."),
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="The clock, ISO 8601 (default: now).")] = None,
    compare: Annotated[bool, typer.Option(help="Add the previous period and Δ.")] = False,
    format: Annotated[str, typer.Option(help="json, csv or table.")] = "table",
    store: StoreOpt = None,
) -> None:
    """Compute KPIs: the same engine and the same JSON as GET /api/v1/kpi."""
    if format not in ("json", "csv", "table"):
        _fail("--format: use json, csv or table")
    params: list[tuple[str, str]] = [("metric", m) for m in metric]
    params += [("by", b) for b in by or []] + [("filter", f) for f in filter or []]
    params += [("period", period), ("compare", str(compare).lower())]
    if as_of:
        params.append(("as_of", as_of))
    body = _engine_call("/api/v1/kpi", params, store, lambda e: e.query(_request(params)).to_json())
    if format == "json":
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    elif format == "csv":
        from leadboard.metrics.table import table_csv

        sys.stdout.write(table_csv(body))
    else:
        _print_kpi_table(body)


def _engine_call(path: str, params: list[tuple[str, str]], store: str | None, local: Any) -> Any:
    """Run a KPI request locally, or through the server that holds the embedded store."""
    settings = _settings(store)
    advert = read_advert(StoreUrl(settings.database_url))
    if advert is not None:
        from leadboard.client import ServerRefused, get_json

        console.print(f"[dim]via the running server at {advert.url}[/dim]")
        try:
            return get_json(advert.url, path, params)
        except ServerRefused as exc:
            _fail(str(exc))
    from leadboard.metrics.engine import KpiEngine
    from leadboard.metrics.request import RequestError

    with _open(settings) as st:
        try:
            return local(KpiEngine(st, settings=settings))
        except RequestError as exc:
            _fail(f"--{exc.parameter.replace('_', '-')}: {exc.message}")


def _request(params: list[tuple[str, str]]) -> Any:
    """The KPI request the command line asks for; it runs as the store's administrator."""
    from leadboard.metrics.request import Scope, parse_request

    values: dict[str, list[str]] = {}
    for key, value in params:
        values.setdefault(key, []).append(value)
    return parse_request(
        Scope.everything(),
        values.get("metric"),
        values.get("by"),
        values.get("filter"),
        values.get("period", [""])[0] or None,
        values.get("as_of", [""])[0] or None,
        values.get("compare", ["false"])[0] == "true",
    )


def _fail(message: str) -> NoReturn:
    console.print(f"[red]Error:[/red] {message}")
    raise typer.Exit(2)


def _print_kpi_table(body: dict[str, Any]) -> None:
    table = Table(show_edge=False, title=f"{body['period']['label']} · as of {body['as_of']}")
    for col in body["columns"]:
        table.add_column(col["label"], justify="left" if col["unit"] == "dimension" else "right")
    for row in body["rows"]:
        table.add_row(
            *[_cell(row.get(c["name"]), c["unit"], body["currency"]) for c in body["columns"]]
        )
    out.print(table)
    for target in body["targets"]:
        scope = ", ".join(f"{k}={v}" for k, v in target["scope"].items()) or "global"
        out.print(
            f"target {target['metric']} {target['period']} ({scope}): "
            f"{_cell(target['actual'], 'ratio', '')} of {_cell(target['target'], 'ratio', '')}, "
            f"achievement {_cell(target['achievement'], 'percent', '')}, "
            f"pace {_cell(target['pace'], 'ratio', '')}"
        )
    for note in body["notes"]:
        console.print(f"[yellow]Note:[/yellow] {note['message']}")


def _cell(value: Any, unit: str, currency: str) -> str:
    if value is None:
        return "–"
    if unit == "dimension":
        return str(value)
    if unit == "count":
        return f"{value:,}"
    if unit == "percent":
        return f"{value:.1%}"
    if unit == "currency":
        return f"{value:,.2f} {currency}"
    return f"{value:,.2f}"


@app.command()
def check(
    store: StoreOpt = None,
    format: Annotated[str, typer.Option(help="json or table.")] = "table",
) -> None:
    """Check data quality: missing FX rates, leads without team, orphans, events out of order…"""
    from leadboard.metrics.quality import quality_report
    from leadboard.metrics.request import Scope

    issues = _engine_call(
        "/api/v1/quality",
        [],
        store,
        lambda e: [i.public() for i in quality_report(e, Scope.everything())],
    )
    if format == "json":
        sys.stdout.write(json.dumps(issues, indent=2) + "\n")
    elif not issues:
        out.print("No data-quality problems found.")
    for issue in issues if format != "json" else []:
        colour = "red" if issue["level"] == "error" else "yellow"
        out.print(f"[{colour}]{issue['level']}[/{colour}] {issue['code']}: {issue['message']}")
        out.print(f"  e.g. {', '.join(issue['records'][:10])}")
    if any(i["level"] == "error" for i in issues):
        raise typer.Exit(1)


@app.command()
def alerts(
    store: StoreOpt = None,
    as_of: Annotated[
        str | None, typer.Option(help="Evaluate at this moment, ISO 8601 (default: now).")
    ] = None,
    status: Annotated[str, typer.Option(help="open, resolved or all.")] = "open",
    format: Annotated[str, typer.Option(help="json or table.")] = "table",
    lang: Annotated[str, typer.Option(help="Language of the recommendations: en or de.")] = "en",
) -> None:
    """Alerts: KPIs off target, overdue handovers, poor lead quality, overspend… and what to do."""
    from datetime import datetime

    from leadboard.alerts.service import alerts as current_alerts
    from leadboard.metrics.request import RequestError, Scope

    if format not in ("json", "table"):
        _fail(f"--format: unknown format {format!r}; allowed: json, table")
    if lang not in ("en", "de"):
        _fail(f"--lang: unknown language {lang!r}; allowed: en, de")
    params = [("status", status)] + ([("as_of", as_of)] if as_of else [])

    def local(engine: Any) -> Any:
        moment = None
        if as_of:
            try:
                moment = datetime.fromisoformat(as_of.replace("Z", "+00:00"))
            except ValueError as exc:
                raise RequestError("as_of", f"cannot read {as_of!r} as an ISO 8601 moment") from exc
        return current_alerts(engine, Scope.everything(), moment, status)

    found = _engine_call("/api/v1/alerts", params, store, local)
    if format == "json":
        sys.stdout.write(json.dumps(found, indent=2, default=str) + "\n")
        return
    if not found:
        out.print("No alerts.")
        return
    table = Table(show_edge=False, title=f"{len(found)} alert(s)")
    for col in ("severity", "rule", "scope", "kpi", "actual", "reference", "since", "action"):
        table.add_column(col, overflow="fold")
    for a in found:
        scope = ", ".join(f"{d}={v or '–'}" for d, v in sorted(a["scope"].items())) or "global"
        table.add_row(
            a["severity"] if a["status"] == "open" else "resolved",
            a["rule"],
            scope,
            a["kpi"],
            _number(a["actual"]),
            f"{_number(a['reference'])} ({a['reference_label'][lang]})",
            (a["first_seen"] or "")[:16],
            a["recommendation"][lang],
        )
    out.print(table)


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and abs(value) < 10:
        return f"{value:.2f}"
    return f"{value:,.0f}"


@app.command()
def report(
    format: Annotated[str, typer.Option("--format", help="xlsx or pptx.")],
    out_file: Annotated[Path, typer.Option("--out", help="The file to write.")],
    period: Annotated[
        str, typer.Option(help="Period, e.g. 2026-Q3 or last-90-days.")
    ] = "this-year",
    filter: Annotated[
        list[str] | None, typer.Option(help="dimension=value, repeated (several values: OR).")
    ] = None,
    lang: Annotated[str, typer.Option(help="en or de.")] = "en",
    as_of: Annotated[str | None, typer.Option(help="The clock, ISO 8601 (default: now).")] = None,
    page: Annotated[str | None, typer.Option(help="Only what one dashboard page shows.")] = None,
    store: StoreOpt = None,
) -> None:
    """Write the XLSX report or the PPTX management deck, with the dashboard's numbers."""
    import time

    from leadboard.metrics.request import Scope
    from leadboard.reports import render_report
    from leadboard.reports.content import ReportRequest

    params = [("period", period), ("lang", lang)] + [("filter", f) for f in filter or []]
    params += [("as_of", as_of)] if as_of else []
    params += [("page", page)] if page else []
    started = time.perf_counter()
    settings = _settings(store)
    advert = read_advert(StoreUrl(settings.database_url))
    if advert is not None:
        from leadboard.client import ServerRefused, get_bytes

        console.print(f"[dim]via the running server at {advert.url}[/dim]")
        try:
            body = get_bytes(advert.url, f"/api/v1/reports/{format}", params)
        except ServerRefused as exc:
            _fail(str(exc))
    else:
        from datetime import datetime

        from leadboard.metrics.engine import KpiEngine
        from leadboard.metrics.request import RequestError

        with _open(settings) as st:
            try:
                moment = datetime.fromisoformat(as_of.replace("Z", "+00:00")) if as_of else None
            except ValueError:
                _fail(f"--as-of: cannot read {as_of!r} as an ISO 8601 moment")
            req = ReportRequest(period, tuple(filter or ()), lang, moment, page)
            try:
                body = render_report(
                    KpiEngine(st, settings=settings), Scope.everything(), format, req
                )
            except RequestError as exc:
                _fail(f"--{exc.parameter.replace('_', '-')}: {exc.message}")
    out_file.write_bytes(body)
    seconds = time.perf_counter() - started
    console.print(f"Wrote {out_file} ({len(body) / 1e3:,.0f} kB) in {seconds:.1f} s.")


schedule_app = typer.Typer(help="Scheduled delivery of reports by e-mail.", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")


@schedule_app.command("run")
def schedule_run(
    now: Annotated[bool, typer.Option("--now", help="Send every subscription now.")] = False,
    store: StoreOpt = None,
) -> None:
    """Send the report subscriptions that are due (LEADBOARD_REPORT_SUBSCRIPTIONS)."""
    settings = _settings(store)
    if not settings.report_subscriptions:
        out.print("No report subscriptions (LEADBOARD_REPORT_SUBSCRIPTIONS) are set.")
        return
    if read_advert(StoreUrl(settings.database_url)) is not None:
        _fail("`leadboard serve` runs on this store and sends the scheduled reports itself")
    from leadboard.metrics.engine import KpiEngine
    from leadboard.reports.schedule import ScheduleError, run_due

    with _open(settings) as st:
        try:
            sent = run_due(KpiEngine(st, settings=settings), settings, force=now)
        except (ScheduleError, OSError) as exc:
            _fail(str(exc))
    for d in sent:
        out.print(
            f"Sent {d.file} ({d.size / 1e3:,.0f} kB) to {', '.join(d.to)} in {d.seconds:.1f} s."
        )
    if not sent:
        out.print("No report was due.")


@app.command()
def metrics(lang: Annotated[str, typer.Option(help="en or de.")] = "en") -> None:
    """List the KPIs with their definitions (the registry)."""
    from leadboard.metrics.registry import registry

    for kpi in registry().visible():
        out.print(f"[bold]{kpi.name}[/bold] ({kpi.unit}): {kpi.label.get(lang, kpi.label['en'])}")
        out.print(f"  {kpi.description.get(lang, kpi.description['en'])}  [{kpi.formula}]")


@app.command()
def glossary(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write it.")] = Path(
        "docs/glossary.md"
    ),
) -> None:
    """Write the glossary (docs/glossary.md) from the KPI registry."""
    from leadboard.metrics.glossary import glossary_markdown

    out_file.write_text(glossary_markdown(), encoding="utf-8")
    out.print(f"Wrote {out_file}")


@app.command()
def profiles() -> None:
    """List the built-in import profiles."""
    from leadboard.sources.profiles import load_profile

    for name in builtin_profiles():
        prof = load_profile(name)
        out.print(f"{name}: {prof.title} (files: {', '.join(prof.sources.values())})")


def _run(fn: Any) -> None:
    try:
        fn()
    except StoreError as exc:
        console.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc


def main() -> None:
    app()


if __name__ == "__main__":
    main()
