from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="StockLevel")



@_attrs_define
class StockLevel:
    """ 
        Attributes:
            product_id (int):
            track_stock (bool):
            stock_quantity (int):
            ledger_sum (int): Sum of the product's ledger; always equals stock_quantity.
     """

    product_id: int
    track_stock: bool
    stock_quantity: int
    ledger_sum: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        product_id = self.product_id

        track_stock = self.track_stock

        stock_quantity = self.stock_quantity

        ledger_sum = self.ledger_sum


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "product_id": product_id,
            "track_stock": track_stock,
            "stock_quantity": stock_quantity,
            "ledger_sum": ledger_sum,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_id = d.pop("product_id")

        track_stock = d.pop("track_stock")

        stock_quantity = d.pop("stock_quantity")

        ledger_sum = d.pop("ledger_sum")

        stock_level = cls(
            product_id=product_id,
            track_stock=track_stock,
            stock_quantity=stock_quantity,
            ledger_sum=ledger_sum,
        )


        stock_level.additional_properties = d
        return stock_level

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
