from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CustomerRegistration")



@_attrs_define
class CustomerRegistration:
    """ 
        Attributes:
            name (str):
            email (str):
            username (str): What the customer signs in with; lower-cased.
            password (str):
     """

    name: str
    email: str
    username: str
    password: str





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        email = self.email

        username = self.username

        password = self.password


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "email": email,
            "username": username,
            "password": password,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        email = d.pop("email")

        username = d.pop("username")

        password = d.pop("password")

        customer_registration = cls(
            name=name,
            email=email,
            username=username,
            password=password,
        )

        return customer_registration

