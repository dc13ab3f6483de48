from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.level_thresholds import LevelThresholds





T = TypeVar("T", bound="ProgramSettings")



@_attrs_define
class ProgramSettings:
    """ One version of the program. A bill's total (after discounts) above the n-th reward threshold earns
    category n, worth the n-th percent off; the levels are those of SPEC §3.2 unless changed.

        Attributes:
            reward_thresholds (list[float | str] | Unset): Bill totals (base currency, after discounts) a bill must exceed
                for categories 1, 2, ...
            reward_percents (list[int] | Unset): Percent off the rewarded product for categories 1, 2, ... (one per
                threshold).
            reward_expiry_days (int | Unset): Days a reward token stays usable. Default: 90.
            points_per_currency_unit (int | Unset): Wallet points worth 1.00 in the base currency when spent. Default: 100.
            points_expiry_months (int | Unset): Months after which earned points expire. Default: 12.
            levels (list[LevelThresholds] | Unset): The thresholds of levels 1 to 5, in order.
     """

    reward_thresholds: list[float | str] | Unset = UNSET
    reward_percents: list[int] | Unset = UNSET
    reward_expiry_days: int | Unset = 90
    points_per_currency_unit: int | Unset = 100
    points_expiry_months: int | Unset = 12
    levels: list[LevelThresholds] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.level_thresholds import LevelThresholds # noqa: PLC0415
        reward_thresholds: list[float | str] | Unset = UNSET
        if not isinstance(self.reward_thresholds, Unset):
            reward_thresholds = []
            for reward_thresholds_item_data in self.reward_thresholds:
                reward_thresholds_item: float | str
                reward_thresholds_item = reward_thresholds_item_data
                reward_thresholds.append(reward_thresholds_item)



        reward_percents: list[int] | Unset = UNSET
        if not isinstance(self.reward_percents, Unset):
            reward_percents = self.reward_percents



        reward_expiry_days = self.reward_expiry_days

        points_per_currency_unit = self.points_per_currency_unit

        points_expiry_months = self.points_expiry_months

        levels: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.levels, Unset):
            levels = []
            for levels_item_data in self.levels:
                levels_item = levels_item_data.to_dict()
                levels.append(levels_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if reward_thresholds is not UNSET:
            field_dict["reward_thresholds"] = reward_thresholds
        if reward_percents is not UNSET:
            field_dict["reward_percents"] = reward_percents
        if reward_expiry_days is not UNSET:
            field_dict["reward_expiry_days"] = reward_expiry_days
        if points_per_currency_unit is not UNSET:
            field_dict["points_per_currency_unit"] = points_per_currency_unit
        if points_expiry_months is not UNSET:
            field_dict["points_expiry_months"] = points_expiry_months
        if levels is not UNSET:
            field_dict["levels"] = levels

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.level_thresholds import LevelThresholds # noqa: PLC0415
        d = dict(src_dict)
        _reward_thresholds = d.pop("reward_thresholds", UNSET)
        reward_thresholds: list[float | str] | Unset = UNSET
        if _reward_thresholds is not UNSET:
            reward_thresholds = []
            for reward_thresholds_item_data in _reward_thresholds:
                def _parse_reward_thresholds_item(data: object) -> float | str:
                    return cast(float | str, data)

                reward_thresholds_item = _parse_reward_thresholds_item(reward_thresholds_item_data)

                reward_thresholds.append(reward_thresholds_item)


        reward_percents = cast(list[int], d.pop("reward_percents", UNSET))


        reward_expiry_days = d.pop("reward_expiry_days", UNSET)

        points_per_currency_unit = d.pop("points_per_currency_unit", UNSET)

        points_expiry_months = d.pop("points_expiry_months", UNSET)

        _levels = d.pop("levels", UNSET)
        levels: list[LevelThresholds] | Unset = UNSET
        if _levels is not UNSET:
            levels = []
            for levels_item_data in _levels:
                levels_item = LevelThresholds.from_dict(levels_item_data)



                levels.append(levels_item)


        program_settings = cls(
            reward_thresholds=reward_thresholds,
            reward_percents=reward_percents,
            reward_expiry_days=reward_expiry_days,
            points_per_currency_unit=points_per_currency_unit,
            points_expiry_months=points_expiry_months,
            levels=levels,
        )

        return program_settings

