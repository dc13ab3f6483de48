"""Small typed pieces shared by every service's routes."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import BeforeValidator, Field
from starlette.convertors import Convertor, register_url_convertor

MAX_ID = 2**63 - 1

IdPath = Annotated[int, Path(ge=0, le=MAX_ID, description="Numeric id.")]


class _SegmentExcept(Convertor[str]):
    """A path segment other than the given fixed names, each left to the route it names."""

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def segment_except(*names: str) -> str:
    """The name of a path convertor matching any segment but ``names``: ``/{product_id:<it>}`` leaves
    ``/restock-suggestions`` to its own route, so another method on it is a 405, not a bad product id.
    The id itself is still validated (and refused as a 422) by its ``IdPath`` type."""
    convertor = "except_" + "_".join(re.sub(r"\W", "_", name) for name in names)
    regex = "(?!(?:" + "|".join(re.escape(name) for name in names) + ")(?:/|$))[^/]+"
    register_url_convertor(convertor, type(convertor, (_SegmentExcept,), {"regex": regex})())
    return convertor


def _iso_day(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_day)]
"""A day as the contract says (``format: date``): ``YYYY-MM-DD``, not a number of seconds or days."""


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def not_null(**kwargs: Any) -> Any:
    """A field of a partial update (PATCH) that may be left out but not set to null: its schema admits
    no null, and shows no default (leaving it out leaves the value as it is); a null is a 422 naming it."""
    return Field(default=None, json_schema_extra=_without_default, **kwargs)


def _iso_instant(value: object) -> object:
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a time is written in ISO 8601, YYYY-MM-DDTHH:MM:SS with its offset")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_instant)]
"""A time as the contract says (``format: date-time``), not a number of seconds."""
