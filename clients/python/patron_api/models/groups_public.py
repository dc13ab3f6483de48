from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.level_groups import LevelGroups





T = TypeVar("T", bound="GroupsPublic")



@_attrs_define
class GroupsPublic:
    """ 
        Attributes:
            run_id (int):
            month (datetime.date):
            band (int):
            levels (list[LevelGroups]):
     """

    run_id: int
    month: datetime.date
    band: int
    levels: list[LevelGroups]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.level_groups import LevelGroups # noqa: PLC0415
        run_id = self.run_id

        month = self.month.isoformat()

        band = self.band

        levels = []
        for levels_item_data in self.levels:
            levels_item = levels_item_data.to_dict()
            levels.append(levels_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "run_id": run_id,
            "month": month,
            "band": band,
            "levels": levels,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.level_groups import LevelGroups # noqa: PLC0415
        d = dict(src_dict)
        run_id = d.pop("run_id")

        month = datetime.date.fromisoformat(d.pop("month"))




        band = d.pop("band")

        levels = []
        _levels = d.pop("levels")
        for levels_item_data in (_levels):
            levels_item = LevelGroups.from_dict(levels_item_data)



            levels.append(levels_item)


        groups_public = cls(
            run_id=run_id,
            month=month,
            band=band,
            levels=levels,
        )


        groups_public.additional_properties = d
        return groups_public

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
