from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="CustomerInvitationPublic")



@_attrs_define
class CustomerInvitationPublic:
    """ 
        Attributes:
            customer_id (int):
            username (str): What the customer will sign in with (their username).
            invitation_url (str): One use; shown only in this reply, so pass it on now.
            expires_at (datetime.datetime):
     """

    customer_id: int
    username: str
    invitation_url: str
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        username = self.username

        invitation_url = self.invitation_url

        expires_at = self.expires_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customer_id": customer_id,
            "username": username,
            "invitation_url": invitation_url,
            "expires_at": expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        username = d.pop("username")

        invitation_url = d.pop("invitation_url")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        customer_invitation_public = cls(
            customer_id=customer_id,
            username=username,
            invitation_url=invitation_url,
            expires_at=expires_at,
        )


        customer_invitation_public.additional_properties = d
        return customer_invitation_public

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
