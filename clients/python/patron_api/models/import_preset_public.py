from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.import_preset_public_files import ImportPresetPublicFiles





T = TypeVar("T", bound="ImportPresetPublic")



@_attrs_define
class ImportPresetPublic:
    """ 
        Attributes:
            name (str):
            description (str):
            files (ImportPresetPublicFiles): Per file role, its columns (required ones end with *).
     """

    name: str
    description: str
    files: ImportPresetPublicFiles
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.import_preset_public_files import ImportPresetPublicFiles # noqa: PLC0415
        name = self.name

        description = self.description

        files = self.files.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "description": description,
            "files": files,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_preset_public_files import ImportPresetPublicFiles # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        files = ImportPresetPublicFiles.from_dict(d.pop("files"))




        import_preset_public = cls(
            name=name,
            description=description,
            files=files,
        )


        import_preset_public.additional_properties = d
        return import_preset_public

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
