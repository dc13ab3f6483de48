from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="LeftOut")



@_attrs_define
class LeftOut:
    """ 
        Attributes:
            no_purchase (int): Customers (not deleted) without a purchase on or before the reference date.
            guest_bills (int): Bills without a customer on or before the reference date.
            guest_lines (int): Their purchase lines.
            guest_revenue (str): Their spend in the base currency.
     """

    no_purchase: int
    guest_bills: int
    guest_lines: int
    guest_revenue: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        no_purchase = self.no_purchase

        guest_bills = self.guest_bills

        guest_lines = self.guest_lines

        guest_revenue = self.guest_revenue


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "no_purchase": no_purchase,
            "guest_bills": guest_bills,
            "guest_lines": guest_lines,
            "guest_revenue": guest_revenue,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        no_purchase = d.pop("no_purchase")

        guest_bills = d.pop("guest_bills")

        guest_lines = d.pop("guest_lines")

        guest_revenue = d.pop("guest_revenue")

        left_out = cls(
            no_purchase=no_purchase,
            guest_bills=guest_bills,
            guest_lines=guest_lines,
            guest_revenue=guest_revenue,
        )


        left_out.additional_properties = d
        return left_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
