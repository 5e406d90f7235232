"""Time to a fully rendered page in headless Chromium, and to the numbers after a filter click.

    python bench/page_bench.py --store leadboard.duckdb [--runs 3]

Starts `leadboard serve` on the store, opens every page (cold: first visit; warm: again) and
prints the time until its content and charts are drawn; then times a filter interaction on the
cockpit (click country, pick one, wait for the tiles to change).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time

import httpx
from playwright.sync_api import Page, sync_playwright

from leadboard.web.app import PAGES as DASHBOARD_PAGES

PAGES = list(DASHBOARD_PAGES)
READY = "#page .card, #page .tile, #page .empty"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rendered(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(READY, timeout=120_000)
    # every chart of the page has drawn its plot area
    page.wait_for_function(
        "() => [...document.querySelectorAll('#page .dash-graph')]"
        ".every(g => g.querySelector('.main-svg'))",
        timeout=120_000,
    )
    return time.perf_counter() - start


def filter_click(page: Page, url: str) -> float:
    page.goto(url + "/cockpit")
    page.wait_for_selector(".tile[data-metric='leads']")
    before = page.get_attribute(".tile[data-metric='leads']", "data-value")
    start = time.perf_counter()
    page.click("#f-country")
    page.keyboard.type("DE")
    # pick the option itself: Enter could take the first option before the list is filtered
    page.get_by_role("option", name="DE", exact=True).click()
    page.wait_for_function(
        "v => document.querySelector(\".tile[data-metric='leads']\").dataset.value !== v",
        arg=before,
        timeout=60_000,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "leadboard.cli", "serve", "--store", args.store, "--port", str(port)]
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/api/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            for path in PAGES:
                cold = rendered(page, url + path)
                warm = [rendered(page, url + path) for _ in range(args.runs)]
                print(
                    f"{path:15s} first {cold:5.2f} s   again median "
                    f"{statistics.median(warm):5.2f} s"
                )
            clicks = [filter_click(page, url) for _ in range(args.runs)]
            print(f"filter click → new numbers: median {statistics.median(clicks):5.2f} s")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
