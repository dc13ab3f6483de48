from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.abandon_public_outcome import AbandonPublicOutcome






T = TypeVar("T", bound="AbandonPublic")



@_attrs_define
class AbandonPublic:
    """ 
        Attributes:
            purchase_id (int):
            outcome (AbandonPublicOutcome):
     """

    purchase_id: int
    outcome: AbandonPublicOutcome
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        purchase_id = self.purchase_id

        outcome = self.outcome.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "purchase_id": purchase_id,
            "outcome": outcome,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purchase_id = d.pop("purchase_id")

        outcome = AbandonPublicOutcome(d.pop("outcome"))




        abandon_public = cls(
            purchase_id=purchase_id,
            outcome=outcome,
        )


        abandon_public.additional_properties = d
        return abandon_public

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
