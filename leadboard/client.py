"""Talking to a running Leadboard server, for CLI commands whose embedded store the server holds."""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(10.0, read=3600.0)


def get_json(base_url: str, path: str, params: Sequence[tuple[str, str]] = ()) -> Any:
    response = httpx.get(base_url + path, params=list(params), timeout=TIMEOUT)
    if response.status_code == 422:
        detail = response.json().get("detail", [])
        raise ServerRefused("; ".join(f"{d['loc'][-1]}: {d['msg']}" for d in detail))
    response.raise_for_status()
    return response.json()


def get_bytes(base_url: str, path: str, params: Sequence[tuple[str, str]] = ()) -> bytes:
    response = httpx.get(base_url + path, params=list(params), timeout=TIMEOUT)
    if response.status_code == 422:
        detail = response.json().get("detail", [])
        raise ServerRefused("; ".join(f"{d['loc'][-1]}: {d['msg']}" for d in detail))
    response.raise_for_status()
    return response.content


class ServerRefused(RuntimeError):
    """The server answered 422: a bad parameter, explained."""


def import_via_server(
    base_url: str, paths: list[Path], profile: str | None, skip_invalid: bool
) -> dict[str, Any]:
    """Upload the files to the server's import endpoint; returns its report."""
    files = [
        p
        for path in paths
        for p in ([path] if path.is_file() else sorted(path.rglob("*")))
        if p.is_file()
    ]
    missing = [p for p in paths if not p.exists()]
    if missing:
        files += missing  # the server reports them as not found, like a local import
    handles = [(p, p.open("rb")) for p in files if p.exists()]
    try:
        upload = [("files", (p.name, fh)) for p, fh in handles]
        data = {"skip_invalid": str(skip_invalid).lower(), "user": _user()}
        if profile:
            data["profile"] = profile
        response = httpx.post(
            f"{base_url}/api/v1/imports", files=upload, data=data, timeout=TIMEOUT
        )
    finally:
        for _, fh in handles:
            fh.close()
    if response.status_code not in (200, 422) or "status" not in response.json():
        raise RuntimeError(f"the server refused the import: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
