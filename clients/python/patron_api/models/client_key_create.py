from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.scheme import Scheme
from ..types import UNSET, Unset






T = TypeVar("T", bound="ClientKeyCreate")



@_attrs_define
class ClientKeyCreate:
    """ 
        Attributes:
            client (str): Whose key it is: a mobile app build, a partner (at most two active).
            scheme (Scheme | Unset):
     """

    client: str
    scheme: Scheme | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        client = self.client

        scheme: str | Unset = UNSET
        if not isinstance(self.scheme, Unset):
            scheme = self.scheme.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "client": client,
        })
        if scheme is not UNSET:
            field_dict["scheme"] = scheme

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client = d.pop("client")

        _scheme = d.pop("scheme", UNSET)
        scheme: Scheme | Unset
        if isinstance(_scheme,  Unset):
            scheme = UNSET
        else:
            scheme = Scheme(_scheme)




        client_key_create = cls(
            client=client,
            scheme=scheme,
        )


        client_key_create.additional_properties = d
        return client_key_create

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
