from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ImportFile")



@_attrs_define
class ImportFile:
    """ 
        Attributes:
            name (str):
            role (str):
            size (int):
            encoding (str):
            bom (bool):
            delimiter (str):
            header (list[str]):
     """

    name: str
    role: str
    size: int
    encoding: str
    bom: bool
    delimiter: str
    header: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        role = self.role

        size = self.size

        encoding = self.encoding

        bom = self.bom

        delimiter = self.delimiter

        header = self.header




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "role": role,
            "size": size,
            "encoding": encoding,
            "bom": bom,
            "delimiter": delimiter,
            "header": header,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        role = d.pop("role")

        size = d.pop("size")

        encoding = d.pop("encoding")

        bom = d.pop("bom")

        delimiter = d.pop("delimiter")

        header = cast(list[str], d.pop("header"))


        import_file = cls(
            name=name,
            role=role,
            size=size,
            encoding=encoding,
            bom=bom,
            delimiter=delimiter,
            header=header,
        )


        import_file.additional_properties = d
        return import_file

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
