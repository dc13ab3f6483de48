from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PurchaseLineCreate")



@_attrs_define
class PurchaseLineCreate:
    """ 
        Attributes:
            product_id (int):
            quantity (int):
            discount (float | str | Unset): Amount off this line, in the bill's currency; at most the line's price. Default:
                '0.00'.
     """

    product_id: int
    quantity: int
    discount: float | str | Unset = '0.00'





    def to_dict(self) -> dict[str, Any]:
        product_id = self.product_id

        quantity = self.quantity

        discount: float | str | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        else:
            discount = self.discount


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "product_id": product_id,
            "quantity": quantity,
        })
        if discount is not UNSET:
            field_dict["discount"] = discount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        product_id = d.pop("product_id")

        quantity = d.pop("quantity")

        def _parse_discount(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        discount = _parse_discount(d.pop("discount", UNSET))


        purchase_line_create = cls(
            product_id=product_id,
            quantity=quantity,
            discount=discount,
        )

        return purchase_line_create

