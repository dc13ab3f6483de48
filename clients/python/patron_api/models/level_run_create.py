from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="LevelRunCreate")



@_attrs_define
class LevelRunCreate:
    """ 
        Attributes:
            month (str): The month to compute, `YYYY-MM`.
     """

    month: str





    def to_dict(self) -> dict[str, Any]:
        month = self.month


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "month": month,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        month = d.pop("month")

        level_run_create = cls(
            month=month,
        )

        return level_run_create

