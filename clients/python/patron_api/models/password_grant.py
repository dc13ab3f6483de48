from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="PasswordGrant")



@_attrs_define
class PasswordGrant:
    """ The OAuth 2 resource owner password grant (RFC 6749 §4.3), as /docs' Authorize button sends it.

        Attributes:
            grant_type (Literal['password']):
            username (str): The staff user's email.
            password (str):
            scope (str | Unset): Ignored: a token carries the user's roles. Default: ''.
     """

    grant_type: Literal['password']
    username: str
    password: str
    scope: str | Unset = ''
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type

        username = self.username

        password = self.password

        scope = self.scope


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "grant_type": grant_type,
            "username": username,
            "password": password,
        })
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grant_type = cast(Literal['password'] , d.pop("grant_type"))
        if grant_type != 'password':
            raise ValueError(f"grant_type must match const 'password', got '{grant_type}'")

        username = d.pop("username")

        password = d.pop("password")

        scope = d.pop("scope", UNSET)

        password_grant = cls(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
        )


        password_grant.additional_properties = d
        return password_grant

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
