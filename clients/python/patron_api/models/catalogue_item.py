from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="CatalogueItem")



@_attrs_define
class CatalogueItem:
    """ A product as a customer sees it: what the shop sells and its price, nothing of its costs or stock.

        Attributes:
            id (int):
            sku (str):
            name (str):
            brand (None | str):
            own_brand (bool):
            colour (None | str):
            category (None | str):
            subcategory (None | str):
            currency (str):
            unit_price (str):
            available (bool): Whether it can be bought now (in stock, or not stock-tracked).
     """

    id: int
    sku: str
    name: str
    brand: None | str
    own_brand: bool
    colour: None | str
    category: None | str
    subcategory: None | str
    currency: str
    unit_price: str
    available: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sku = self.sku

        name = self.name

        brand: None | str
        brand = self.brand

        own_brand = self.own_brand

        colour: None | str
        colour = self.colour

        category: None | str
        category = self.category

        subcategory: None | str
        subcategory = self.subcategory

        currency = self.currency

        unit_price = self.unit_price

        available = self.available


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "sku": sku,
            "name": name,
            "brand": brand,
            "own_brand": own_brand,
            "colour": colour,
            "category": category,
            "subcategory": subcategory,
            "currency": currency,
            "unit_price": unit_price,
            "available": available,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        sku = d.pop("sku")

        name = d.pop("name")

        def _parse_brand(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        brand = _parse_brand(d.pop("brand"))


        own_brand = d.pop("own_brand")

        def _parse_colour(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        colour = _parse_colour(d.pop("colour"))


        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        def _parse_subcategory(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subcategory = _parse_subcategory(d.pop("subcategory"))


        currency = d.pop("currency")

        unit_price = d.pop("unit_price")

        available = d.pop("available")

        catalogue_item = cls(
            id=id,
            sku=sku,
            name=name,
            brand=brand,
            own_brand=own_brand,
            colour=colour,
            category=category,
            subcategory=subcategory,
            currency=currency,
            unit_price=unit_price,
            available=available,
        )


        catalogue_item.additional_properties = d
        return catalogue_item

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
