from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="AchievementPublic")



@_attrs_define
class AchievementPublic:
    """ 
        Attributes:
            target_id (int):
            run_id (int):
            customer_id (int):
            month (datetime.date):
            target (str):
            volume (str): The month-to-date volume of live purchases that reached the target.
            achieved_at (datetime.datetime):
            reward_id (int | None): The gift reward credited; none when the run gives no gift.
            points (int): Wallet points credited.
            wallet_entry_id (int | None):
     """

    target_id: int
    run_id: int
    customer_id: int
    month: datetime.date
    target: str
    volume: str
    achieved_at: datetime.datetime
    reward_id: int | None
    points: int
    wallet_entry_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        target_id = self.target_id

        run_id = self.run_id

        customer_id = self.customer_id

        month = self.month.isoformat()

        target = self.target

        volume = self.volume

        achieved_at = self.achieved_at.isoformat()

        reward_id: int | None
        reward_id = self.reward_id

        points = self.points

        wallet_entry_id: int | None
        wallet_entry_id = self.wallet_entry_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "target_id": target_id,
            "run_id": run_id,
            "customer_id": customer_id,
            "month": month,
            "target": target,
            "volume": volume,
            "achieved_at": achieved_at,
            "reward_id": reward_id,
            "points": points,
            "wallet_entry_id": wallet_entry_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        target_id = d.pop("target_id")

        run_id = d.pop("run_id")

        customer_id = d.pop("customer_id")

        month = datetime.date.fromisoformat(d.pop("month"))




        target = d.pop("target")

        volume = d.pop("volume")

        achieved_at = datetime.datetime.fromisoformat(d.pop("achieved_at"))




        def _parse_reward_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        reward_id = _parse_reward_id(d.pop("reward_id"))


        points = d.pop("points")

        def _parse_wallet_entry_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        wallet_entry_id = _parse_wallet_entry_id(d.pop("wallet_entry_id"))


        achievement_public = cls(
            target_id=target_id,
            run_id=run_id,
            customer_id=customer_id,
            month=month,
            target=target,
            volume=volume,
            achieved_at=achieved_at,
            reward_id=reward_id,
            points=points,
            wallet_entry_id=wallet_entry_id,
        )


        achievement_public.additional_properties = d
        return achievement_public

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
