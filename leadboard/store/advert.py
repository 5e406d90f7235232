"""A running server advertises its address next to the embedded store file.

DuckDB lets one process write a file; while `leadboard serve` holds it, other CLI commands find the
advert and go through the server's API instead of failing on the lock.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from leadboard.store.connection import StoreUrl


@dataclass(frozen=True)
class ServerAdvert:
    url: str
    pid: int


def advert_path(store: StoreUrl) -> Path:
    path = store.path
    return path.with_name(path.name + ".server.json")


def write_advert(store: StoreUrl, url: str) -> Path:
    path = advert_path(store)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    return path


def remove_advert(store: StoreUrl) -> None:
    path = advert_path(store)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if data.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def read_advert(store: StoreUrl) -> ServerAdvert | None:
    """The advert of a live server for this store, or None (stale adverts are ignored)."""
    if store.dialect != "duckdb":
        return None
    try:
        data = json.loads(advert_path(store).read_text(encoding="utf-8"))
        advert = ServerAdvert(url=str(data["url"]), pid=int(data["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return advert if _alive(advert.pid) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
