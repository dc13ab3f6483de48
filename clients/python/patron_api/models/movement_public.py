from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.movement_kind import MovementKind
from typing import cast
import datetime






T = TypeVar("T", bound="MovementPublic")



@_attrs_define
class MovementPublic:
    """ 
        Attributes:
            id (int):
            product_id (int):
            kind (MovementKind):
            quantity (int):
            reason (None | str):
            purchase_id (int | None):
            created_at (datetime.datetime):
     """

    id: int
    product_id: int
    kind: MovementKind
    quantity: int
    reason: None | str
    purchase_id: int | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        product_id = self.product_id

        kind = self.kind.value

        quantity = self.quantity

        reason: None | str
        reason = self.reason

        purchase_id: int | None
        purchase_id = self.purchase_id

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "product_id": product_id,
            "kind": kind,
            "quantity": quantity,
            "reason": reason,
            "purchase_id": purchase_id,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        product_id = d.pop("product_id")

        kind = MovementKind(d.pop("kind"))




        quantity = d.pop("quantity")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        def _parse_purchase_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        purchase_id = _parse_purchase_id(d.pop("purchase_id"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        movement_public = cls(
            id=id,
            product_id=product_id,
            kind=kind,
            quantity=quantity,
            reason=reason,
            purchase_id=purchase_id,
            created_at=created_at,
        )


        movement_public.additional_properties = d
        return movement_public

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
