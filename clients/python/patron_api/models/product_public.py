from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.record_status import RecordStatus
from typing import cast
import datetime






T = TypeVar("T", bound="ProductPublic")



@_attrs_define
class ProductPublic:
    """ 
        Attributes:
            id (int):
            external_ref (None | str):
            sku (str):
            name (str):
            brand (None | str):
            own_brand (bool):
            colour (None | str):
            category (None | str):
            subcategory (None | str):
            currency (str):
            unit_cost (str):
            unit_price (str):
            track_stock (bool):
            stock_quantity (int):
            status (RecordStatus):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: int
    external_ref: None | str
    sku: str
    name: str
    brand: None | str
    own_brand: bool
    colour: None | str
    category: None | str
    subcategory: None | str
    currency: str
    unit_cost: str
    unit_price: str
    track_stock: bool
    stock_quantity: int
    status: RecordStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        external_ref: None | str
        external_ref = self.external_ref

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

        unit_cost = self.unit_cost

        unit_price = self.unit_price

        track_stock = self.track_stock

        stock_quantity = self.stock_quantity

        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "external_ref": external_ref,
            "sku": sku,
            "name": name,
            "brand": brand,
            "own_brand": own_brand,
            "colour": colour,
            "category": category,
            "subcategory": subcategory,
            "currency": currency,
            "unit_cost": unit_cost,
            "unit_price": unit_price,
            "track_stock": track_stock,
            "stock_quantity": stock_quantity,
            "status": status,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_external_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_ref = _parse_external_ref(d.pop("external_ref"))


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

        unit_cost = d.pop("unit_cost")

        unit_price = d.pop("unit_price")

        track_stock = d.pop("track_stock")

        stock_quantity = d.pop("stock_quantity")

        status = RecordStatus(d.pop("status"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        product_public = cls(
            id=id,
            external_ref=external_ref,
            sku=sku,
            name=name,
            brand=brand,
            own_brand=own_brand,
            colour=colour,
            category=category,
            subcategory=subcategory,
            currency=currency,
            unit_cost=unit_cost,
            unit_price=unit_price,
            track_stock=track_stock,
            stock_quantity=stock_quantity,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
        )


        product_public.additional_properties = d
        return product_public

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
