from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.staff_role import StaffRole
from typing import cast






T = TypeVar("T", bound="RolesChange")



@_attrs_define
class RolesChange:
    """ 
        Attributes:
            roles (list[StaffRole]):
     """

    roles: list[StaffRole]





    def to_dict(self) -> dict[str, Any]:
        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.value
            roles.append(roles_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "roles": roles,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        roles = []
        _roles = d.pop("roles")
        for roles_item_data in (_roles):
            roles_item = StaffRole(roles_item_data)



            roles.append(roles_item)


        roles_change = cls(
            roles=roles,
        )

        return roles_change

