"""Report speed on the demo company, and a look at the files as people will see them.

    python bench/report_bench.py [--store PATH] [--leads 60000] [--render DIR]

Times the XLSX and the PPTX for every campaign over two years (the largest filter), in both
languages. With --render, converts them with LibreOffice (headless) to PDF and with pdftoppm to
PNG pages in DIR, to look at (Debian packages libreoffice-calc, libreoffice-impress,
poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from leadboard.metrics.engine import KpiEngine
from leadboard.metrics.request import Scope
from leadboard.reports import render_report
from leadboard.reports.content import ReportRequest
from leadboard.sources.demo_import import load_demo
from leadboard.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", help="a store with data (default: a new demo company)")
    parser.add_argument("--leads", type=int, default=60_000)
    parser.add_argument("--render", type=Path, help="write PDF and PNG pages here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or str(Path(tmp) / "demo.duckdb")
        with open_store(path) as store:
            if not args.store:
                load_demo(store, args.leads, 42)
            engine = KpiEngine(store)
            year = datetime.now(UTC).year
            period = f"{year - 1}-01-01..{year + 1}-01-01"
            print(f"store: {path}; period {period}, all campaigns")
            files = []
            for fmt in ("xlsx", "pptx"):
                for lang in ("en", "de"):
                    engine = KpiEngine(store)  # cold: nothing cached
                    started = time.perf_counter()
                    body = render_report(
                        engine, Scope.everything(), fmt, ReportRequest(period, (), lang)
                    )
                    seconds = time.perf_counter() - started
                    print(f"{fmt} {lang}: {seconds:5.2f} s, {len(body) / 1e6:5.2f} MB")
                    out = Path(tmp) / f"leadboard-{lang}.{fmt}"
                    out.write_bytes(body)
                    files.append(out)
            if args.render:
                render(files, args.render)


def render(files: list[Path], folder: Path) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None or shutil.which("pdftoppm") is None:
        raise SystemExit(
            "needs libreoffice and pdftoppm (apt-get install libreoffice-calc "
            "libreoffice-impress poppler-utils)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(file)],
            check=True,
            capture_output=True,
            timeout=600,
        )
        pdf = folder / f"{file.stem}.pdf"
        target = folder / f"{file.stem}-{file.suffix[1:]}"
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(target)], check=True)
        pdf.rename(folder / f"{file.stem}-{file.suffix[1:]}.pdf")
        print(f"rendered {file.name} to {target}-*.png")


if __name__ == "__main__":
    main()
