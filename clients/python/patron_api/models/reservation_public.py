from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.reserved_reward import ReservedReward





T = TypeVar("T", bound="ReservationPublic")



@_attrs_define
class ReservationPublic:
    """ 
        Attributes:
            purchase_id (int):
            status (str): reserved, confirmed, released or cancelled.
            reward (None | ReservedReward):
            points (int):
            points_value (str): What the points are worth off the bill, in the base currency.
     """

    purchase_id: int
    status: str
    reward: None | ReservedReward
    points: int
    points_value: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.reserved_reward import ReservedReward # noqa: PLC0415
        purchase_id = self.purchase_id

        status = self.status

        reward: dict[str, Any] | None
        if isinstance(self.reward, ReservedReward):
            reward = self.reward.to_dict()
        else:
            reward = self.reward

        points = self.points

        points_value = self.points_value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "purchase_id": purchase_id,
            "status": status,
            "reward": reward,
            "points": points,
            "points_value": points_value,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reserved_reward import ReservedReward # noqa: PLC0415
        d = dict(src_dict)
        purchase_id = d.pop("purchase_id")

        status = d.pop("status")

        def _parse_reward(data: object) -> None | ReservedReward:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reward_type_0 = ReservedReward.from_dict(data)



                return reward_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReservedReward, data)

        reward = _parse_reward(d.pop("reward"))


        points = d.pop("points")

        points_value = d.pop("points_value")

        reservation_public = cls(
            purchase_id=purchase_id,
            status=status,
            reward=reward,
            points=points,
            points_value=points_value,
        )


        reservation_public.additional_properties = d
        return reservation_public

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
