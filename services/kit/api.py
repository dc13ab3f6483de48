"""Small typed pieces shared by every service's routes."""

import re
from typing import Annotated

from fastapi import Path
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
