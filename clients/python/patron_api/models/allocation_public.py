from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.reward_earned import RewardEarned





T = TypeVar("T", bound="AllocationPublic")



@_attrs_define
class AllocationPublic:
    """ 
        Attributes:
            purchase_id (int):
            reward (None | RewardEarned): The bill's reward (made now or before), or none.
     """

    purchase_id: int
    reward: None | RewardEarned
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.reward_earned import RewardEarned # noqa: PLC0415
        purchase_id = self.purchase_id

        reward: dict[str, Any] | None
        if isinstance(self.reward, RewardEarned):
            reward = self.reward.to_dict()
        else:
            reward = self.reward


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "purchase_id": purchase_id,
            "reward": reward,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reward_earned import RewardEarned # noqa: PLC0415
        d = dict(src_dict)
        purchase_id = d.pop("purchase_id")

        def _parse_reward(data: object) -> None | RewardEarned:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reward_type_0 = RewardEarned.from_dict(data)



                return reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RewardEarned, data)

        reward = _parse_reward(d.pop("reward"))


        allocation_public = cls(
            purchase_id=purchase_id,
            reward=reward,
        )


        allocation_public.additional_properties = d
        return allocation_public

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
