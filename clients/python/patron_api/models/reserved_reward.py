from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ReservedReward")



@_attrs_define
class ReservedReward:
    """ 
        Attributes:
            reward_id (int):
            product_id (int):
            percent (int):
            expires_at (datetime.datetime):
     """

    reward_id: int
    product_id: int
    percent: int
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reward_id = self.reward_id

        product_id = self.product_id

        percent = self.percent

        expires_at = self.expires_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reward_id": reward_id,
            "product_id": product_id,
            "percent": percent,
            "expires_at": expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reward_id = d.pop("reward_id")

        product_id = d.pop("product_id")

        percent = d.pop("percent")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        reserved_reward = cls(
            reward_id=reward_id,
            product_id=product_id,
            percent=percent,
            expires_at=expires_at,
        )


        reserved_reward.additional_properties = d
        return reserved_reward

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
