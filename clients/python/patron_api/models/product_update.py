from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ProductUpdate")



@_attrs_define
class ProductUpdate:
    """ 
        Attributes:
            external_ref (None | str | Unset):
            sku (str | Unset):
            name (str | Unset):
            brand (None | str | Unset):
            own_brand (bool | Unset):
            colour (None | str | Unset):
            category (None | str | Unset):
            subcategory (None | str | Unset):
            unit_cost (float | str | Unset):
            unit_price (float | str | Unset):
            track_stock (bool | Unset):
     """

    external_ref: None | str | Unset = UNSET
    sku: str | Unset = UNSET
    name: str | Unset = UNSET
    brand: None | str | Unset = UNSET
    own_brand: bool | Unset = UNSET
    colour: None | str | Unset = UNSET
    category: None | str | Unset = UNSET
    subcategory: None | str | Unset = UNSET
    unit_cost: float | str | Unset = UNSET
    unit_price: float | str | Unset = UNSET
    track_stock: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        sku = self.sku

        name = self.name

        brand: None | str | Unset
        if isinstance(self.brand, Unset):
            brand = UNSET
        else:
            brand = self.brand

        own_brand = self.own_brand

        colour: None | str | Unset
        if isinstance(self.colour, Unset):
            colour = UNSET
        else:
            colour = self.colour

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        subcategory: None | str | Unset
        if isinstance(self.subcategory, Unset):
            subcategory = UNSET
        else:
            subcategory = self.subcategory

        unit_cost: float | str | Unset
        if isinstance(self.unit_cost, Unset):
            unit_cost = UNSET
        else:
            unit_cost = self.unit_cost

        unit_price: float | str | Unset
        if isinstance(self.unit_price, Unset):
            unit_price = UNSET
        else:
            unit_price = self.unit_price

        track_stock = self.track_stock


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref
        if sku is not UNSET:
            field_dict["sku"] = sku
        if name is not UNSET:
            field_dict["name"] = name
        if brand is not UNSET:
            field_dict["brand"] = brand
        if own_brand is not UNSET:
            field_dict["own_brand"] = own_brand
        if colour is not UNSET:
            field_dict["colour"] = colour
        if category is not UNSET:
            field_dict["category"] = category
        if subcategory is not UNSET:
            field_dict["subcategory"] = subcategory
        if unit_cost is not UNSET:
            field_dict["unit_cost"] = unit_cost
        if unit_price is not UNSET:
            field_dict["unit_price"] = unit_price
        if track_stock is not UNSET:
            field_dict["track_stock"] = track_stock

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))


        sku = d.pop("sku", UNSET)

        name = d.pop("name", UNSET)

        def _parse_brand(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        brand = _parse_brand(d.pop("brand", UNSET))


        own_brand = d.pop("own_brand", UNSET)

        def _parse_colour(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        colour = _parse_colour(d.pop("colour", UNSET))


        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        def _parse_subcategory(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subcategory = _parse_subcategory(d.pop("subcategory", UNSET))


        def _parse_unit_cost(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        unit_cost = _parse_unit_cost(d.pop("unit_cost", UNSET))


        def _parse_unit_price(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        unit_price = _parse_unit_price(d.pop("unit_price", UNSET))


        track_stock = d.pop("track_stock", UNSET)

        product_update = cls(
            external_ref=external_ref,
            sku=sku,
            name=name,
            brand=brand,
            own_brand=own_brand,
            colour=colour,
            category=category,
            subcategory=subcategory,
            unit_cost=unit_cost,
            unit_price=unit_price,
            track_stock=track_stock,
        )

        return product_update

