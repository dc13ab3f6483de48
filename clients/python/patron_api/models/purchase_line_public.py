from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PurchaseLinePublic")



@_attrs_define
class PurchaseLinePublic:
    """ 
        Attributes:
            id (int):
            line_no (int):
            product_id (int):
            sku (str):
            name (str):
            brand (None | str):
            category (None | str):
            quantity (int):
            returned_quantity (int):
            base_unit_price (str):
            local_unit_price (str):
            base_gross (str):
            base_discount (str):
            base_total (str):
            local_gross (str):
            local_discount (str):
            local_total (str):
            base_net (str): Base total less what was returned or cancelled.
            local_net (str): Local total less what was returned or cancelled.
     """

    id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    brand: None | str
    category: None | str
    quantity: int
    returned_quantity: int
    base_unit_price: str
    local_unit_price: str
    base_gross: str
    base_discount: str
    base_total: str
    local_gross: str
    local_discount: str
    local_total: str
    base_net: str
    local_net: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        line_no = self.line_no

        product_id = self.product_id

        sku = self.sku

        name = self.name

        brand: None | str
        brand = self.brand

        category: None | str
        category = self.category

        quantity = self.quantity

        returned_quantity = self.returned_quantity

        base_unit_price = self.base_unit_price

        local_unit_price = self.local_unit_price

        base_gross = self.base_gross

        base_discount = self.base_discount

        base_total = self.base_total

        local_gross = self.local_gross

        local_discount = self.local_discount

        local_total = self.local_total

        base_net = self.base_net

        local_net = self.local_net


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "line_no": line_no,
            "product_id": product_id,
            "sku": sku,
            "name": name,
            "brand": brand,
            "category": category,
            "quantity": quantity,
            "returned_quantity": returned_quantity,
            "base_unit_price": base_unit_price,
            "local_unit_price": local_unit_price,
            "base_gross": base_gross,
            "base_discount": base_discount,
            "base_total": base_total,
            "local_gross": local_gross,
            "local_discount": local_discount,
            "local_total": local_total,
            "base_net": base_net,
            "local_net": local_net,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        line_no = d.pop("line_no")

        product_id = d.pop("product_id")

        sku = d.pop("sku")

        name = d.pop("name")

        def _parse_brand(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        brand = _parse_brand(d.pop("brand"))


        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        quantity = d.pop("quantity")

        returned_quantity = d.pop("returned_quantity")

        base_unit_price = d.pop("base_unit_price")

        local_unit_price = d.pop("local_unit_price")

        base_gross = d.pop("base_gross")

        base_discount = d.pop("base_discount")

        base_total = d.pop("base_total")

        local_gross = d.pop("local_gross")

        local_discount = d.pop("local_discount")

        local_total = d.pop("local_total")

        base_net = d.pop("base_net")

        local_net = d.pop("local_net")

        purchase_line_public = cls(
            id=id,
            line_no=line_no,
            product_id=product_id,
            sku=sku,
            name=name,
            brand=brand,
            category=category,
            quantity=quantity,
            returned_quantity=returned_quantity,
            base_unit_price=base_unit_price,
            local_unit_price=local_unit_price,
            base_gross=base_gross,
            base_discount=base_discount,
            base_total=base_total,
            local_gross=local_gross,
            local_discount=local_discount,
            local_total=local_total,
            base_net=base_net,
            local_net=local_net,
        )


        purchase_line_public.additional_properties = d
        return purchase_line_public

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
