from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="BudgetLevelPublic")



@_attrs_define
class BudgetLevelPublic:
    """ 
        Attributes:
            level (int):
            selected (bool):
            volume (str):
            customers (int):
            promotion_customers (int):
            consistent_customers (int):
            retention_customers (int):
            share (str): Its share of the amount by volume (level 0: the level-0 amount).
            promotion_amount (str):
            retention_amount (str):
            allocated (str):
            unspent (str): Not selected, or an empty promotion or retention group: the whole share.
     """

    level: int
    selected: bool
    volume: str
    customers: int
    promotion_customers: int
    consistent_customers: int
    retention_customers: int
    share: str
    promotion_amount: str
    retention_amount: str
    allocated: str
    unspent: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        level = self.level

        selected = self.selected

        volume = self.volume

        customers = self.customers

        promotion_customers = self.promotion_customers

        consistent_customers = self.consistent_customers

        retention_customers = self.retention_customers

        share = self.share

        promotion_amount = self.promotion_amount

        retention_amount = self.retention_amount

        allocated = self.allocated

        unspent = self.unspent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "level": level,
            "selected": selected,
            "volume": volume,
            "customers": customers,
            "promotion_customers": promotion_customers,
            "consistent_customers": consistent_customers,
            "retention_customers": retention_customers,
            "share": share,
            "promotion_amount": promotion_amount,
            "retention_amount": retention_amount,
            "allocated": allocated,
            "unspent": unspent,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = d.pop("level")

        selected = d.pop("selected")

        volume = d.pop("volume")

        customers = d.pop("customers")

        promotion_customers = d.pop("promotion_customers")

        consistent_customers = d.pop("consistent_customers")

        retention_customers = d.pop("retention_customers")

        share = d.pop("share")

        promotion_amount = d.pop("promotion_amount")

        retention_amount = d.pop("retention_amount")

        allocated = d.pop("allocated")

        unspent = d.pop("unspent")

        budget_level_public = cls(
            level=level,
            selected=selected,
            volume=volume,
            customers=customers,
            promotion_customers=promotion_customers,
            consistent_customers=consistent_customers,
            retention_customers=retention_customers,
            share=share,
            promotion_amount=promotion_amount,
            retention_amount=retention_amount,
            allocated=allocated,
            unspent=unspent,
        )


        budget_level_public.additional_properties = d
        return budget_level_public

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
