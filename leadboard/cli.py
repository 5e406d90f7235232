"""The `leadboard` command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

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

    def start(self, description: str, total: int | None = None) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total or 1)
        self._task = self._progress.add_task(description, total=total)

    def advance(self, amount: int) -> None:
        self._progress.advance(self._task, amount)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
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
    from leadboard.api.server import run_server

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
        from leadboard.api.server import run_server

        _run(lambda: run_server(settings, host or settings.host, port or settings.port))


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
