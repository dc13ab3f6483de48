from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.staff_role import StaffRole
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="StaffInvite")



@_attrs_define
class StaffInvite:
    """ 
        Attributes:
            email (str):
            roles (list[StaffRole]):
            display_name (None | str | Unset):
     """

    email: str
    roles: list[StaffRole]
    display_name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.value
            roles.append(roles_item)



        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "roles": roles,
        })
        if display_name is not UNSET:
            field_dict["display_name"] = display_name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        roles = []
        _roles = d.pop("roles")
        for roles_item_data in (_roles):
            roles_item = StaffRole(roles_item_data)



            roles.append(roles_item)


        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))


        staff_invite = cls(
            email=email,
            roles=roles,
            display_name=display_name,
        )

        return staff_invite

