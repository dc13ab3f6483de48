"""CSV exports streamed row by row, with every text cell a spreadsheet would run as a formula made inert."""

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from starlette.responses import StreamingResponse

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
ROWS_PER_CHUNK = 1000


def csv_cell(value: Any) -> str:
    """One cell as text: numbers and dates as they are, none as empty, a text that starts a formula quoted with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, date, datetime)):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


async def csv_lines(header: Sequence[str], rows: AsyncIterable[Sequence[Any]]) -> AsyncIterator[str]:
    """The header and the rows as CSV text, a chunk of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    async for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: AsyncIterable[Sequence[Any]]) -> StreamingResponse:
    """A ``text/csv`` download named ``filename``, streamed as the rows come."""
    return StreamingResponse(
        csv_lines(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
