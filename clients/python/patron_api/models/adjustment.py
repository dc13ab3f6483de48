from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Adjustment")



@_attrs_define
class Adjustment:
    """ A correction after a count, a breakage, a theft: signed, and always with its reason.

        Attributes:
            quantity (int): Signed change; not zero.
            reason (str):
     """

    quantity: int
    reason: str





    def to_dict(self) -> dict[str, Any]:
        quantity = self.quantity

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "quantity": quantity,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quantity = d.pop("quantity")

        reason = d.pop("reason")

        adjustment = cls(
            quantity=quantity,
            reason=reason,
        )

        return adjustment

