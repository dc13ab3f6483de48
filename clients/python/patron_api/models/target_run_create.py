from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.target_mode import TargetMode
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="TargetRunCreate")



@_attrs_define
class TargetRunCreate:
    """ A target run for a month, from last month's levels and volumes.

        Attributes:
            mode (TargetMode):
            month (datetime.date): The first day of the month the targets are for.
            levels (list[int] | None | Unset): Last month's levels chosen (0 to 5); none: every customer.
            lower (float | str | Unset): Last month's volume at least this. Default: '0.00'.
            upper (float | None | str | Unset): Last month's volume below this; none: no upper limit.
            percent (float | None | str | Unset): With `percent`: 0 sets no target.
            value (float | None | str | Unset): With `value`: 0 sets no target.
            gift_percent (int | None | Unset): The gift's percent off (with its product).
            gift_product_id (int | None | Unset): The gift's product (with its percent).
            points (int | Unset): Wallet points credited on reaching the target. Default: 0.
     """

    mode: TargetMode
    month: datetime.date
    levels: list[int] | None | Unset = UNSET
    lower: float | str | Unset = '0.00'
    upper: float | None | str | Unset = UNSET
    percent: float | None | str | Unset = UNSET
    value: float | None | str | Unset = UNSET
    gift_percent: int | None | Unset = UNSET
    gift_product_id: int | None | Unset = UNSET
    points: int | Unset = 0





    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        month = self.month.isoformat()

        levels: list[int] | None | Unset
        if isinstance(self.levels, Unset):
            levels = UNSET
        elif isinstance(self.levels, list):
            levels = self.levels


        else:
            levels = self.levels

        lower: float | str | Unset
        if isinstance(self.lower, Unset):
            lower = UNSET
        else:
            lower = self.lower

        upper: float | None | str | Unset
        if isinstance(self.upper, Unset):
            upper = UNSET
        else:
            upper = self.upper

        percent: float | None | str | Unset
        if isinstance(self.percent, Unset):
            percent = UNSET
        else:
            percent = self.percent

        value: float | None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        gift_percent: int | None | Unset
        if isinstance(self.gift_percent, Unset):
            gift_percent = UNSET
        else:
            gift_percent = self.gift_percent

        gift_product_id: int | None | Unset
        if isinstance(self.gift_product_id, Unset):
            gift_product_id = UNSET
        else:
            gift_product_id = self.gift_product_id

        points = self.points


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "mode": mode,
            "month": month,
        })
        if levels is not UNSET:
            field_dict["levels"] = levels
        if lower is not UNSET:
            field_dict["lower"] = lower
        if upper is not UNSET:
            field_dict["upper"] = upper
        if percent is not UNSET:
            field_dict["percent"] = percent
        if value is not UNSET:
            field_dict["value"] = value
        if gift_percent is not UNSET:
            field_dict["gift_percent"] = gift_percent
        if gift_product_id is not UNSET:
            field_dict["gift_product_id"] = gift_product_id
        if points is not UNSET:
            field_dict["points"] = points

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = TargetMode(d.pop("mode"))




        month = datetime.date.fromisoformat(d.pop("month"))




        def _parse_levels(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                levels_type_0 = cast(list[int], data)

                return levels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        levels = _parse_levels(d.pop("levels", UNSET))


        def _parse_lower(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        lower = _parse_lower(d.pop("lower", UNSET))


        def _parse_upper(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        upper = _parse_upper(d.pop("upper", UNSET))


        def _parse_percent(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        percent = _parse_percent(d.pop("percent", UNSET))


        def _parse_value(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))


        def _parse_gift_percent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        gift_percent = _parse_gift_percent(d.pop("gift_percent", UNSET))


        def _parse_gift_product_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        gift_product_id = _parse_gift_product_id(d.pop("gift_product_id", UNSET))


        points = d.pop("points", UNSET)

        target_run_create = cls(
            mode=mode,
            month=month,
            levels=levels,
            lower=lower,
            upper=upper,
            percent=percent,
            value=value,
            gift_percent=gift_percent,
            gift_product_id=gift_product_id,
            points=points,
        )

        return target_run_create

