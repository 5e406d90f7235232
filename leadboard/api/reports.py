"""Reports for download: the XLSX workbook and the PPTX deck of any period and filters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from leadboard.api.kpi import EngineDep, FilterQ, ScopeDep
from leadboard.metrics.calendar import naive_utc
from leadboard.metrics.request import RequestError
from leadboard.reports import FORMATS, file_name, render_report
from leadboard.reports.content import PAGES, ReportRequest

router = APIRouter(tags=["reports"])


@router.get("/reports/{fmt}", response_class=Response)
def get_report(
    fmt: str,
    engine: EngineDep,
    scope: ScopeDep,
    period: str = "this-year",
    filters: FilterQ = None,
    lang: Annotated[str, Query(pattern="^(en|de)$")] = "en",
    as_of: str | None = None,
    page: Annotated[
        str | None, Query(description=f"Only what one page shows: {', '.join(PAGES)}.")
    ] = None,
) -> Response:
    """The report as a file: `xlsx` (tables, native charts, records, definitions) or `pptx`
    (the management deck), with exactly the numbers of /api/v1/kpi for the same request."""
    moment = None
    if as_of:
        try:
            moment = naive_utc(datetime.fromisoformat(as_of.replace("Z", "+00:00")))
        except ValueError as exc:
            raise RequestError("as_of", f"cannot read {as_of!r} as an ISO 8601 moment") from exc
    req = ReportRequest(period, tuple(filters or ()), lang, moment, page or None)
    body = render_report(engine, scope, fmt, req)
    return Response(
        body,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{file_name(fmt, req)}"'},
    )
