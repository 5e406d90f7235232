"""Imports over HTTP: the same validation and write path as `leadboard import`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse

from leadboard.api.deps import SettingsDep, StoreDep
from leadboard.sources.importer import ImportOptions, import_files
from leadboard.sources.profiles import ProfileError
from leadboard.store.ingest import import_history

router = APIRouter(tags=["imports"])


@router.post("/imports")
def create_import(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    files: Annotated[
        list[UploadFile], File(description="canonical CSV/XLSX files or a profile's sources")
    ],
    profile: Annotated[str | None, Form()] = None,
    skip_invalid: Annotated[bool, Form()] = False,
    user: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """Validate and import uploaded files. 200 when written, 422 with every issue when refused."""
    with tempfile.TemporaryDirectory(prefix="leadboard-upload-") as tmp:
        paths = _save(files, Path(tmp))
        rejects = Path(tmp) / "rejects.csv"
        options = ImportOptions(
            skip_invalid=skip_invalid,
            rejects_path=rejects,
            profile=profile or None,
            user=user or settings.import_user or "api",
            hold_commit_signal=settings.test_hold_commit,
        )
        try:
            report = import_files(store, paths, options)
        except ProfileError as exc:
            raise HTTPException(422, detail=str(exc)) from exc
        if report.status == "committed":
            request.app.state.engine.prepare_soon()
        body: dict[str, Any] = report.as_dict()
        body["rejects_file"] = None
        body["rejects_csv"] = rejects.read_text("utf-8") if rejects.exists() else None
    return JSONResponse(body, status_code=200 if report.status == "committed" else 422)


@router.get("/imports")
def list_imports(store: StoreDep, limit: int = 100) -> list[dict[str, Any]]:
    """The import history, newest first."""
    return import_history(store, limit)


def _save(files: list[UploadFile], folder: Path) -> list[Path]:
    paths = []
    for upload in files:
        name = Path(upload.filename or "upload.csv").name
        path = folder / name
        with path.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                out.write(chunk)
        paths.append(path)
    return paths
