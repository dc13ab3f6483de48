from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CustomerInvite")



@_attrs_define
class CustomerInvite:
    """ 
        Attributes:
            customer_id (int): An existing customer, who has a username.
     """

    customer_id: int





    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "customer_id": customer_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        customer_invite = cls(
            customer_id=customer_id,
        )

        return customer_invite

