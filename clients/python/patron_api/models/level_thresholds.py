from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="LevelThresholds")



@_attrs_define
class LevelThresholds:
    """ What a month's figures must reach for a level: each "at least", the self-order share "more than".

        Attributes:
            level (int):
            volume (float | str):
            orders (int | Unset):  Default: 0.
            brands (int | Unset):  Default: 0.
            own_brand_volume (float | str | Unset):  Default: '0.00'.
            self_order_share_above (float | None | str | Unset): Percent of self orders among self and assisted orders that
                must be exceeded; none: any.
     """

    level: int
    volume: float | str
    orders: int | Unset = 0
    brands: int | Unset = 0
    own_brand_volume: float | str | Unset = '0.00'
    self_order_share_above: float | None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        level = self.level

        volume: float | str
        volume = self.volume

        orders = self.orders

        brands = self.brands

        own_brand_volume: float | str | Unset
        if isinstance(self.own_brand_volume, Unset):
            own_brand_volume = UNSET
        else:
            own_brand_volume = self.own_brand_volume

        self_order_share_above: float | None | str | Unset
        if isinstance(self.self_order_share_above, Unset):
            self_order_share_above = UNSET
        else:
            self_order_share_above = self.self_order_share_above


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "level": level,
            "volume": volume,
        })
        if orders is not UNSET:
            field_dict["orders"] = orders
        if brands is not UNSET:
            field_dict["brands"] = brands
        if own_brand_volume is not UNSET:
            field_dict["own_brand_volume"] = own_brand_volume
        if self_order_share_above is not UNSET:
            field_dict["self_order_share_above"] = self_order_share_above

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = d.pop("level")

        def _parse_volume(data: object) -> float | str:
            return cast(float | str, data)

        volume = _parse_volume(d.pop("volume"))


        orders = d.pop("orders", UNSET)

        brands = d.pop("brands", UNSET)

        def _parse_own_brand_volume(data: object) -> float | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(float | str | Unset, data)

        own_brand_volume = _parse_own_brand_volume(d.pop("own_brand_volume", UNSET))


        def _parse_self_order_share_above(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        self_order_share_above = _parse_self_order_share_above(d.pop("self_order_share_above", UNSET))


        level_thresholds = cls(
            level=level,
            volume=volume,
            orders=orders,
            brands=brands,
            own_brand_volume=own_brand_volume,
            self_order_share_above=self_order_share_above,
        )

        return level_thresholds

