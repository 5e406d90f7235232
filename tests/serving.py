"""Starting a real `leadboard serve` process for tests, on a free port, ready when it answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    store: Path, log: IO[bytes] | None = None, **popen: Any
) -> tuple[subprocess.Popen[bytes], str]:
    """`leadboard serve --store STORE` on a free port; returns the process and its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leadboard.cli",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        **popen,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/api/v1/health", process)
    return process, url


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"{url} never answered")
