from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RestockSuggestion")



@_attrs_define
class RestockSuggestion:
    """ 
        Attributes:
            product_id (int):
            sku (str):
            name (str):
            stock_quantity (int):
            sold_last_30_days (int):
            daily_sales (str):
            days_of_cover (str):
            suggested_quantity (int): Units that bring cover up to the target days.
     """

    product_id: int
    sku: str
    name: str
    stock_quantity: int
    sold_last_30_days: int
    daily_sales: str
    days_of_cover: str
    suggested_quantity: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        product_id = self.product_id

        sku = self.sku

        name = self.name

        stock_quantity = self.stock_quantity

        sold_last_30_days = self.sold_last_30_days

        daily_sales = self.daily_sales

        days_of_cover = self.days_of_cover

        suggested_quantity = self.suggested_quantity


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "product_id": product_id,
            "sku": sku,
            "name": name,
            "stock_quantity": stock_quantity,
            "sold_last_30_days": sold_last_30_days,
            "daily_sales": daily_sales,
            "days_of_cover": days_of_cover,
            "suggested_quantity": suggested_quantity,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_id = d.pop("product_id")

        sku = d.pop("sku")

        name = d.pop("name")

        stock_quantity = d.pop("stock_quantity")

        sold_last_30_days = d.pop("sold_last_30_days")

        daily_sales = d.pop("daily_sales")

        days_of_cover = d.pop("days_of_cover")

        suggested_quantity = d.pop("suggested_quantity")

        restock_suggestion = cls(
            product_id=product_id,
            sku=sku,
            name=name,
            stock_quantity=stock_quantity,
            sold_last_30_days=sold_last_30_days,
            daily_sales=daily_sales,
            days_of_cover=days_of_cover,
            suggested_quantity=suggested_quantity,
        )


        restock_suggestion.additional_properties = d
        return restock_suggestion

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
