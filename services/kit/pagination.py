"""Cursor pagination: ``limit`` and an opaque ``cursor`` in, ``items`` and ``next_cursor`` out.

A cursor is the sort key of the last row returned (keyset pagination), so pages stay stable while
rows are added and cost the same at any depth. It names its sort, so a cursor made for one order
cannot be replayed against another.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, TypeDecorator, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.errors import BadCursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Room for the longest key a page can end on: a 200-character name of 4-byte characters, base64-encoded.
MAX_CURSOR_LENGTH = 2048

CURSOR_DESCRIPTION = (
    "Opaque: the `next_cursor` of the previous page, exactly as this server issued it; any other value is "
    "a 400 (`bad-cursor`)."
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            max_length=MAX_CURSOR_LENGTH,
            description=CURSOR_DESCRIPTION,
        ),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "n" in value:
            return Decimal(value["n"])
        raise ValueError("unknown cursor value")
    if value is None or isinstance(value, (str, int)):
        return value
    raise ValueError("unknown cursor value")


def encode_cursor(sort: str, values: Sequence[Any]) -> str:
    raw = json.dumps({"s": sort, "k": [_encode_value(v) for v in values]}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, width: int) -> list[Any]:
    """Return the key values of a cursor made for ``sort``; a bad cursor is a 400 naming it."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(data, dict) or data.get("s") != sort:
            raise ValueError("cursor belongs to another sort order")
        values = [_decode_value(v) for v in data["k"]]
        if len(values) != width:
            raise ValueError("wrong cursor width")
        return values
    except (ValueError, KeyError, TypeError, ArithmeticError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor() from exc


def _fits(value: Any, column: ColumnElement[Any]) -> bool:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # e.g. SQLModel's AutoString, whose own python_type is object
        column_type = column_type.impl_instance
    try:
        expected = column_type.python_type
    except NotImplementedError:
        return value is not None
    if value is None or isinstance(value, bool) or not isinstance(value, expected):
        return False
    if expected is date and isinstance(value, datetime):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


class SortKey:
    """A named keyset order: columns whose values, together, are unique (the last one the id)."""

    def __init__(self, name: str, *columns: ColumnElement[Any], descending: bool = False) -> None:
        self.name = name
        self.columns = columns
        self.descending = descending

    def order_by(self) -> list[ColumnElement[Any]]:
        return [column.desc() if self.descending else column.asc() for column in self.columns]

    def check(self, values: Sequence[Any]) -> None:
        """Refuse a cursor whose values do not fit the sort's columns (a crafted cursor), as a 400."""
        for value, column in zip(values, self.columns, strict=True):
            if not _fits(value, column):
                raise BadCursor()

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        key = tuple_(*self.columns)
        bound = tuple_(*values)
        return key < bound if self.descending else key > bound


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    *,
    sort: SortKey,
    params: PageParams,
) -> tuple[list[Any], str | None]:
    """Run ``statement`` (selecting one entity) one page at a time in the order of ``sort``.

    The sort columns must also be selected by the statement's entity, so each row yields its key.
    """
    if params.cursor:
        values = decode_cursor(params.cursor, sort.name, len(sort.columns))
        sort.check(values)
        statement = statement.where(sort.after(values))
    statement = statement.order_by(*sort.order_by()).limit(params.limit + 1)
    rows = list((await session.execute(statement.add_columns(*sort.columns))).all())
    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        next_cursor = encode_cursor(sort.name, list(rows[-1][1:]))
    return [row[0] for row in rows], next_cursor
