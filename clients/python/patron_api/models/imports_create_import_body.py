from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.imports_create_import_body_date_order import ImportsCreateImportBodyDateOrder
from ..models.imports_create_import_body_preset import ImportsCreateImportBodyPreset
from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO
from typing import cast






T = TypeVar("T", bound="ImportsCreateImportBody")



@_attrs_define
class ImportsCreateImportBody:
    """ 
        Attributes:
            preset (ImportsCreateImportBodyPreset):
            file (list[File]): One or more CSV files (UTF-8 with or without BOM, or Windows-1252).
            currency (str | Unset): Currency of amounts (minimal layout).
            date_order (ImportsCreateImportBodyDateOrder | Unset):
            mapping (str | Unset): JSON object renaming file columns to preset columns: {"Client": "client_id"}
     """

    preset: ImportsCreateImportBodyPreset
    file: list[File]
    currency: str | Unset = UNSET
    date_order: ImportsCreateImportBodyDateOrder | Unset = UNSET
    mapping: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        preset = self.preset.value

        file = []
        for file_item_data in self.file:
            file_item = file_item_data.to_tuple()

            file.append(file_item)



        currency = self.currency

        date_order: str | Unset = UNSET
        if not isinstance(self.date_order, Unset):
            date_order = self.date_order.value


        mapping = self.mapping


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "preset": preset,
            "file": file,
        })
        if currency is not UNSET:
            field_dict["currency"] = currency
        if date_order is not UNSET:
            field_dict["date_order"] = date_order
        if mapping is not UNSET:
            field_dict["mapping"] = mapping

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("preset",  (None, str(self.preset.value).encode(), "text/plain")))



        for file_item_element in self.file:
            files.append(("file", file_item_element.to_tuple()))




        if not isinstance(self.currency, Unset):
            files.append(("currency", (None, str(self.currency).encode(), "text/plain")))



        if not isinstance(self.date_order, Unset):
            files.append(("date_order",  (None, str(self.date_order.value).encode(), "text/plain")))



        if not isinstance(self.mapping, Unset):
            files.append(("mapping", (None, str(self.mapping).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        preset = ImportsCreateImportBodyPreset(d.pop("preset"))




        file = []
        _file = d.pop("file")
        for file_item_data in (_file):
            file_item = File(
                 payload = BytesIO(file_item_data)
            )



            file.append(file_item)


        currency = d.pop("currency", UNSET)

        _date_order = d.pop("date_order", UNSET)
        date_order: ImportsCreateImportBodyDateOrder | Unset
        if isinstance(_date_order,  Unset):
            date_order = UNSET
        else:
            date_order = ImportsCreateImportBodyDateOrder(_date_order)




        mapping = d.pop("mapping", UNSET)

        imports_create_import_body = cls(
            preset=preset,
            file=file,
            currency=currency,
            date_order=date_order,
            mapping=mapping,
        )


        imports_create_import_body.additional_properties = d
        return imports_create_import_body

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
