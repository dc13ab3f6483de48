from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="EarningCreate")



@_attrs_define
class EarningCreate:
    """ Points a customer earned (a completed target, say), credited once per source.

        Attributes:
            customer_id (int):
            points (int):
            reason (str):
            source (str): What earned the points (`target:12:customer:7`): a source earns once, asking again returns it.
     """

    customer_id: int
    points: int
    reason: str
    source: str





    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        points = self.points

        reason = self.reason

        source = self.source


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "customer_id": customer_id,
            "points": points,
            "reason": reason,
            "source": source,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        points = d.pop("points")

        reason = d.pop("reason")

        source = d.pop("source")

        earning_create = cls(
            customer_id=customer_id,
            points=points,
            reason=reason,
            source=source,
        )

        return earning_create

