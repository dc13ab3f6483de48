from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="TargetPublic")



@_attrs_define
class TargetPublic:
    """ 
        Attributes:
            id (int):
            run_id (int):
            customer_id (int):
            month (datetime.date):
            level (int | None): Last month's level.
            base_volume (str): Last month's volume.
            target (str): The month's volume of live purchases to reach.
            gift_percent (int | None):
            gift_product_id (int | None):
            points (int):
            achieved_at (datetime.datetime | None):
            achieved_volume (None | str): The month-to-date volume that reached the target.
            reward_id (int | None): The gift credited on reaching it.
     """

    id: int
    run_id: int
    customer_id: int
    month: datetime.date
    level: int | None
    base_volume: str
    target: str
    gift_percent: int | None
    gift_product_id: int | None
    points: int
    achieved_at: datetime.datetime | None
    achieved_volume: None | str
    reward_id: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        run_id = self.run_id

        customer_id = self.customer_id

        month = self.month.isoformat()

        level: int | None
        level = self.level

        base_volume = self.base_volume

        target = self.target

        gift_percent: int | None
        gift_percent = self.gift_percent

        gift_product_id: int | None
        gift_product_id = self.gift_product_id

        points = self.points

        achieved_at: None | str
        if isinstance(self.achieved_at, datetime.datetime):
            achieved_at = self.achieved_at.isoformat()
        else:
            achieved_at = self.achieved_at

        achieved_volume: None | str
        achieved_volume = self.achieved_volume

        reward_id: int | None
        reward_id = self.reward_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "run_id": run_id,
            "customer_id": customer_id,
            "month": month,
            "level": level,
            "base_volume": base_volume,
            "target": target,
            "gift_percent": gift_percent,
            "gift_product_id": gift_product_id,
            "points": points,
            "achieved_at": achieved_at,
            "achieved_volume": achieved_volume,
            "reward_id": reward_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        run_id = d.pop("run_id")

        customer_id = d.pop("customer_id")

        month = datetime.date.fromisoformat(d.pop("month"))




        def _parse_level(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        level = _parse_level(d.pop("level"))


        base_volume = d.pop("base_volume")

        target = d.pop("target")

        def _parse_gift_percent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        gift_percent = _parse_gift_percent(d.pop("gift_percent"))


        def _parse_gift_product_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        gift_product_id = _parse_gift_product_id(d.pop("gift_product_id"))


        points = d.pop("points")

        def _parse_achieved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                achieved_at_type_0 = datetime.datetime.fromisoformat(data)



                return achieved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        achieved_at = _parse_achieved_at(d.pop("achieved_at"))


        def _parse_achieved_volume(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        achieved_volume = _parse_achieved_volume(d.pop("achieved_volume"))


        def _parse_reward_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        reward_id = _parse_reward_id(d.pop("reward_id"))


        target_public = cls(
            id=id,
            run_id=run_id,
            customer_id=customer_id,
            month=month,
            level=level,
            base_volume=base_volume,
            target=target,
            gift_percent=gift_percent,
            gift_product_id=gift_product_id,
            points=points,
            achieved_at=achieved_at,
            achieved_volume=achieved_volume,
            reward_id=reward_id,
        )


        target_public.additional_properties = d
        return target_public

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
