"""A report's three replies: JSON for programs, CSV for download (streamed, formula cells made inert), and a
chart-ready series (labels and values). Each says what the figures are as of: the newest event they include."""

import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response, StreamingResponse

from services.analytics.reporting.filters import ReportFilters
from services.kit.csv_export import csv_lines

AS_OF_HEADER = "X-Patron-As-Of"


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    CHART = "chart"


FormatQuery = Annotated[Format, Query(description="`json`, `csv` (a streamed download) or `chart` (labels, series).")]

Row = Sequence[Any]
RowStream = Callable[[], AsyncIterator[Row]]


@dataclass
class Report:
    """A report's rows (one page of a list), the column that labels a chart and the columns it plots.

    A list passes ``stream``: every row, which its CSV streams whatever its size.
    """

    name: str
    columns: Sequence[str]
    rows: Sequence[Row]
    label: str
    series: Sequence[str]
    next_cursor: str | None = None
    stream: RowStream | None = None
    about: dict[str, Any] = field(default_factory=dict)  # the report's own parameters, echoed
    links: dict[str, str] | None = None  # related routes of other services, echoed in JSON and chart replies
    method: str | None = None  # how the figures are made, where a report must say (JSON and chart replies)


async def as_of(session: AsyncSession) -> datetime | None:
    """The time of the newest event the star schema holds (none before the first)."""
    newest: datetime | None = (
        await session.execute(text("SELECT max(events_until) FROM analytics.feed_state"))
    ).scalar_one()
    return newest


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, default=_plain, separators=(",", ":")).encode()


async def reply(session: AsyncSession, report: Report, filters: ReportFilters, fmt: Format) -> Response:
    at = await as_of(session)
    headers = {AS_OF_HEADER: _plain(at) or ""}
    if fmt is Format.CSV:

        async def every_row() -> AsyncIterator[Row]:
            if report.stream is None:
                for row in report.rows:
                    yield row
            else:
                async for row in report.stream():
                    yield row

        return StreamingResponse(
            csv_lines(report.columns, every_row()),
            media_type="text/csv; charset=utf-8",
            headers={**headers, "content-disposition": f'attachment; filename="{report.name}.csv"'},
        )
    head: dict[str, Any] = {"report": report.name, "as_of": _plain(at), "filters": {**filters.given(), **report.about}}
    if report.links:
        head["links"] = dict(report.links)
    if report.method:
        head["method"] = report.method
    if fmt is Format.CHART:
        at_label = report.columns.index(report.label)
        plotted = [(name, report.columns.index(name)) for name in report.series]
        body = {
            **head,
            "labels": [_plain(row[at_label]) for row in report.rows],
            "series": [{"name": name, "values": [_plain(row[i]) for row in report.rows]} for name, i in plotted],
        }
    else:
        body = {
            **head,
            "rows": [dict(zip(report.columns, map(_plain, row), strict=True)) for row in report.rows],
            "next_cursor": report.next_cursor,
        }
    return Response(_json(body), media_type="application/json", headers=headers)


REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report: JSON `{report, as_of, filters, rows, next_cursor}` (and `links` to related "
        "routes where a report has them, and `method` where a report states how it is made); with `format=chart` "
        "`{report, as_of, filters, labels, series}`; with "
        "`format=csv` a streamed download.",
        "content": {"application/json": {}, "text/csv": {}},
        "headers": {
            AS_OF_HEADER: {
                "description": "The time of the newest event the figures include.",
                "schema": {"type": "string"},
            }
        },
    }
}
