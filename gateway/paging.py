"""Keyset pages by id for the gateway's own lists (staff, partner keys, client keys)."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from services.kit.errors import BadCursor
from services.kit.pagination import PageParams, decode_cursor, encode_cursor

T = TypeVar("T")
_SORT = "id"


def after_id(page: PageParams) -> int | None:
    """The id the page starts after; a cursor that is not one of these pages' is a 400 naming it."""
    if not page.cursor:
        return None
    (after,) = decode_cursor(page.cursor, _SORT, 1)
    if not isinstance(after, int) or isinstance(after, bool):
        raise BadCursor()
    return after


def id_page(rows: Sequence[T], page: PageParams, id_of: Callable[[T], int]) -> tuple[list[T], str | None]:
    """The page's items from ``rows`` (read with ``limit + 1``) and the cursor of the next page, if any."""
    items = list(rows[: page.limit])
    return items, encode_cursor(_SORT, [id_of(items[-1])]) if len(rows) > page.limit else None
