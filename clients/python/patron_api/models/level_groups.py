from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="LevelGroups")



@_attrs_define
class LevelGroups:
    """ One level's groups: the quantiles (linear interpolation, as PostgreSQL's ``percentile_cont``) and sizes.

        Attributes:
            level (int):
            customers (int):
            volume (str):
            retention_to (float): The b/10 quantile: volumes at or below it are in retention.
            promotion_from (float): The (10 − b)/10 quantile: volumes at or above it (not in retention).
            promotion (int):
            consistent (int):
            retention (int):
            promotion_volume (str):
            retention_volume (str):
     """

    level: int
    customers: int
    volume: str
    retention_to: float
    promotion_from: float
    promotion: int
    consistent: int
    retention: int
    promotion_volume: str
    retention_volume: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        level = self.level

        customers = self.customers

        volume = self.volume

        retention_to = self.retention_to

        promotion_from = self.promotion_from

        promotion = self.promotion

        consistent = self.consistent

        retention = self.retention

        promotion_volume = self.promotion_volume

        retention_volume = self.retention_volume


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "level": level,
            "customers": customers,
            "volume": volume,
            "retention_to": retention_to,
            "promotion_from": promotion_from,
            "promotion": promotion,
            "consistent": consistent,
            "retention": retention,
            "promotion_volume": promotion_volume,
            "retention_volume": retention_volume,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = d.pop("level")

        customers = d.pop("customers")

        volume = d.pop("volume")

        retention_to = d.pop("retention_to")

        promotion_from = d.pop("promotion_from")

        promotion = d.pop("promotion")

        consistent = d.pop("consistent")

        retention = d.pop("retention")

        promotion_volume = d.pop("promotion_volume")

        retention_volume = d.pop("retention_volume")

        level_groups = cls(
            level=level,
            customers=customers,
            volume=volume,
            retention_to=retention_to,
            promotion_from=promotion_from,
            promotion=promotion,
            consistent=consistent,
            retention=retention,
            promotion_volume=promotion_volume,
            retention_volume=retention_volume,
        )


        level_groups.additional_properties = d
        return level_groups

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
