from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="CustomerLevelPublic")



@_attrs_define
class CustomerLevelPublic:
    """ A customer's level in a run, with the month's figures it was computed from.

        Attributes:
            customer_id (int):
            level (int | None):
            volume (str):
            orders (int):
            brands (int):
            own_brand_volume (str):
            self_orders (int):
            assisted_orders (int):
            city (None | str):
            home_store_id (int | None):
     """

    customer_id: int
    level: int | None
    volume: str
    orders: int
    brands: int
    own_brand_volume: str
    self_orders: int
    assisted_orders: int
    city: None | str
    home_store_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        level: int | None
        level = self.level

        volume = self.volume

        orders = self.orders

        brands = self.brands

        own_brand_volume = self.own_brand_volume

        self_orders = self.self_orders

        assisted_orders = self.assisted_orders

        city: None | str
        city = self.city

        home_store_id: int | None
        home_store_id = self.home_store_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customer_id": customer_id,
            "level": level,
            "volume": volume,
            "orders": orders,
            "brands": brands,
            "own_brand_volume": own_brand_volume,
            "self_orders": self_orders,
            "assisted_orders": assisted_orders,
            "city": city,
            "home_store_id": home_store_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        def _parse_level(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        level = _parse_level(d.pop("level"))


        volume = d.pop("volume")

        orders = d.pop("orders")

        brands = d.pop("brands")

        own_brand_volume = d.pop("own_brand_volume")

        self_orders = d.pop("self_orders")

        assisted_orders = d.pop("assisted_orders")

        def _parse_city(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        city = _parse_city(d.pop("city"))


        def _parse_home_store_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        home_store_id = _parse_home_store_id(d.pop("home_store_id"))


        customer_level_public = cls(
            customer_id=customer_id,
            level=level,
            volume=volume,
            orders=orders,
            brands=brands,
            own_brand_volume=own_brand_volume,
            self_orders=self_orders,
            assisted_orders=assisted_orders,
            city=city,
            home_store_id=home_store_id,
        )


        customer_level_public.additional_properties = d
        return customer_level_public

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
