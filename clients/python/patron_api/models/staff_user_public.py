from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.staff_role import StaffRole
from ..models.staff_user_public_status import StaffUserPublicStatus
from typing import cast
import datetime






T = TypeVar("T", bound="StaffUserPublic")



@_attrs_define
class StaffUserPublic:
    """ A staff user; never their password or its hash.

        Attributes:
            id (int):
            email (str):
            display_name (str):
            roles (list[StaffRole]):
            status (StaffUserPublicStatus): `invited` until the invitation is accepted, `inactive` once deactivated, else
                `active`.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: int
    email: str
    display_name: str
    roles: list[StaffRole]
    status: StaffUserPublicStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        display_name = self.display_name

        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.value
            roles.append(roles_item)



        status = self.status.value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "email": email,
            "display_name": display_name,
            "roles": roles,
            "status": status,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        display_name = d.pop("display_name")

        roles = []
        _roles = d.pop("roles")
        for roles_item_data in (_roles):
            roles_item = StaffRole(roles_item_data)



            roles.append(roles_item)


        status = StaffUserPublicStatus(d.pop("status"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        staff_user_public = cls(
            id=id,
            email=email,
            display_name=display_name,
            roles=roles,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
        )


        staff_user_public.additional_properties = d
        return staff_user_public

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
