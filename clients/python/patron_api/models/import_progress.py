from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ImportProgress")



@_attrs_define
class ImportProgress:
    """ 
        Attributes:
            rows_done (int): Rows read and settled (loaded, skipped or rejected) so far.
            rows_total (int | None): Rows in the uploaded files; known once the profiling pass is done.
            percent (float | None):
     """

    rows_done: int
    rows_total: int | None
    percent: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        rows_done = self.rows_done

        rows_total: int | None
        rows_total = self.rows_total

        percent: float | None
        percent = self.percent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "rows_done": rows_done,
            "rows_total": rows_total,
            "percent": percent,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rows_done = d.pop("rows_done")

        def _parse_rows_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rows_total = _parse_rows_total(d.pop("rows_total"))


        def _parse_percent(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        percent = _parse_percent(d.pop("percent"))


        import_progress = cls(
            rows_done=rows_done,
            rows_total=rows_total,
            percent=percent,
        )


        import_progress.additional_properties = d
        return import_progress

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
