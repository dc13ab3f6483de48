from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.target_mode import TargetMode
from typing import cast
import datetime






T = TypeVar("T", bound="TargetRunPublic")



@_attrs_define
class TargetRunPublic:
    """ 
        Attributes:
            id (int):
            month (datetime.date):
            origin (str): `api` or `schedule`.
            level_run_id (int): The level run of last month the run read.
            levels (list[int] | None):
            lower (str):
            upper (None | str):
            mode (TargetMode):
            percent (None | str):
            value (None | str):
            gift_percent (int | None):
            gift_product_id (int | None):
            points (int):
            targets (int): Targets set.
            achieved (int): Targets achieved so far.
            created_by (str):
            created_at (datetime.datetime):
     """

    id: int
    month: datetime.date
    origin: str
    level_run_id: int
    levels: list[int] | None
    lower: str
    upper: None | str
    mode: TargetMode
    percent: None | str
    value: None | str
    gift_percent: int | None
    gift_product_id: int | None
    points: int
    targets: int
    achieved: int
    created_by: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        month = self.month.isoformat()

        origin = self.origin

        level_run_id = self.level_run_id

        levels: list[int] | None
        if isinstance(self.levels, list):
            levels = self.levels


        else:
            levels = self.levels

        lower = self.lower

        upper: None | str
        upper = self.upper

        mode = self.mode.value

        percent: None | str
        percent = self.percent

        value: None | str
        value = self.value

        gift_percent: int | None
        gift_percent = self.gift_percent

        gift_product_id: int | None
        gift_product_id = self.gift_product_id

        points = self.points

        targets = self.targets

        achieved = self.achieved

        created_by = self.created_by

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "month": month,
            "origin": origin,
            "level_run_id": level_run_id,
            "levels": levels,
            "lower": lower,
            "upper": upper,
            "mode": mode,
            "percent": percent,
            "value": value,
            "gift_percent": gift_percent,
            "gift_product_id": gift_product_id,
            "points": points,
            "targets": targets,
            "achieved": achieved,
            "created_by": created_by,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        month = datetime.date.fromisoformat(d.pop("month"))




        origin = d.pop("origin")

        level_run_id = d.pop("level_run_id")

        def _parse_levels(data: object) -> list[int] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                levels_type_0 = cast(list[int], data)

                return levels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None, data)

        levels = _parse_levels(d.pop("levels"))


        lower = d.pop("lower")

        def _parse_upper(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        upper = _parse_upper(d.pop("upper"))


        mode = TargetMode(d.pop("mode"))




        def _parse_percent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        percent = _parse_percent(d.pop("percent"))


        def _parse_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value = _parse_value(d.pop("value"))


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

        targets = d.pop("targets")

        achieved = d.pop("achieved")

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        target_run_public = cls(
            id=id,
            month=month,
            origin=origin,
            level_run_id=level_run_id,
            levels=levels,
            lower=lower,
            upper=upper,
            mode=mode,
            percent=percent,
            value=value,
            gift_percent=gift_percent,
            gift_product_id=gift_product_id,
            points=points,
            targets=targets,
            achieved=achieved,
            created_by=created_by,
            created_at=created_at,
        )


        target_run_public.additional_properties = d
        return target_run_public

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
