from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="RewardEarned")



@_attrs_define
class RewardEarned:
    """ A reward as the purchase that earned it shows it.

        Attributes:
            token (str):
            product_id (int):
            sku (None | str):
            category (int):
            percent (int):
            expires_at (datetime.datetime):
     """

    token: str
    product_id: int
    sku: None | str
    category: int
    percent: int
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        token = self.token

        product_id = self.product_id

        sku: None | str
        sku = self.sku

        category = self.category

        percent = self.percent

        expires_at = self.expires_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "token": token,
            "product_id": product_id,
            "sku": sku,
            "category": category,
            "percent": percent,
            "expires_at": expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        product_id = d.pop("product_id")

        def _parse_sku(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sku = _parse_sku(d.pop("sku"))


        category = d.pop("category")

        percent = d.pop("percent")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        reward_earned = cls(
            token=token,
            product_id=product_id,
            sku=sku,
            category=category,
            percent=percent,
            expires_at=expires_at,
        )


        reward_earned.additional_properties = d
        return reward_earned

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
