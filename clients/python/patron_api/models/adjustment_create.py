from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AdjustmentCreate")



@_attrs_define
class AdjustmentCreate:
    """ A staff correction of a wallet: points added (a lot that expires) or taken (oldest first).

        Attributes:
            points (int): Points to add (positive) or take (negative); never zero.
            reason (str): Why: kept in the wallet's history.
     """

    points: int
    reason: str





    def to_dict(self) -> dict[str, Any]:
        points = self.points

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "points": points,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        points = d.pop("points")

        reason = d.pop("reason")

        adjustment_create = cls(
            points=points,
            reason=reason,
        )

        return adjustment_create

