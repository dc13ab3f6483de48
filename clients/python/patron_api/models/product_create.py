from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ProductCreate")



@_attrs_define
class ProductCreate:
    """ 
        Attributes:
            sku (str):
            name (str):
            unit_cost (float | str):
            unit_price (float | str):
            external_ref (None | str | Unset):
            brand (None | str | Unset):
            own_brand (bool | Unset):  Default: False.
            colour (None | str | Unset):
            category (None | str | Unset):
            subcategory (None | str | Unset):
            track_stock (bool | Unset):  Default: True.
     """

    sku: str
    name: str
    unit_cost: float | str
    unit_price: float | str
    external_ref: None | str | Unset = UNSET
    brand: None | str | Unset = UNSET
    own_brand: bool | Unset = False
    colour: None | str | Unset = UNSET
    category: None | str | Unset = UNSET
    subcategory: None | str | Unset = UNSET
    track_stock: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        sku = self.sku

        name = self.name

        unit_cost: float | str
        unit_cost = self.unit_cost

        unit_price: float | str
        unit_price = self.unit_price

        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

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

        track_stock = self.track_stock


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "sku": sku,
            "name": name,
            "unit_cost": unit_cost,
            "unit_price": unit_price,
        })
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref
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
        if track_stock is not UNSET:
            field_dict["track_stock"] = track_stock

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sku = d.pop("sku")

        name = d.pop("name")

        def _parse_unit_cost(data: object) -> float | str:
            return cast(float | str, data)

        unit_cost = _parse_unit_cost(d.pop("unit_cost"))


        def _parse_unit_price(data: object) -> float | str:
            return cast(float | str, data)

        unit_price = _parse_unit_price(d.pop("unit_price"))


        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))


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


        track_stock = d.pop("track_stock", UNSET)

        product_create = cls(
            sku=sku,
            name=name,
            unit_cost=unit_cost,
            unit_price=unit_price,
            external_ref=external_ref,
            brand=brand,
            own_brand=own_brand,
            colour=colour,
            category=category,
            subcategory=subcategory,
            track_stock=track_stock,
        )

        return product_create

