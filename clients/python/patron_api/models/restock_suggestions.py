from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.restock_suggestion import RestockSuggestion





T = TypeVar("T", bound="RestockSuggestions")



@_attrs_define
class RestockSuggestions:
    """ 
        Attributes:
            cover_days (int):
            target_days (int):
            items (list[RestockSuggestion]):
     """

    cover_days: int
    target_days: int
    items: list[RestockSuggestion]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.restock_suggestion import RestockSuggestion # noqa: PLC0415
        cover_days = self.cover_days

        target_days = self.target_days

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cover_days": cover_days,
            "target_days": target_days,
            "items": items,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.restock_suggestion import RestockSuggestion # noqa: PLC0415
        d = dict(src_dict)
        cover_days = d.pop("cover_days")

        target_days = d.pop("target_days")

        items = []
        _items = d.pop("items")
        for items_item_data in (_items):
            items_item = RestockSuggestion.from_dict(items_item_data)



            items.append(items_item)


        restock_suggestions = cls(
            cover_days=cover_days,
            target_days=target_days,
            items=items,
        )


        restock_suggestions.additional_properties = d
        return restock_suggestions

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
