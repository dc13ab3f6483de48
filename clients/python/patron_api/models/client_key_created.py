from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.scheme import Scheme
from typing import cast
import datetime






T = TypeVar("T", bound="ClientKeyCreated")



@_attrs_define
class ClientKeyCreated:
    """ 
        Attributes:
            id (int):
            kid (str): The key id the client names in every envelope (public).
            client (str):
            scheme (Scheme):
            status (str): `active`, or `retired` (refused at once).
            created_by (int | None):
            created_at (datetime.datetime):
            retired_at (datetime.datetime | None):
            secret (str): Shown this once: the AES-256 key in base64url (gcm) or the passphrase (legacy); stored wrapped.
     """

    id: int
    kid: str
    client: str
    scheme: Scheme
    status: str
    created_by: int | None
    created_at: datetime.datetime
    retired_at: datetime.datetime | None
    secret: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kid = self.kid

        client = self.client

        scheme = self.scheme.value

        status = self.status

        created_by: int | None
        created_by = self.created_by

        created_at = self.created_at.isoformat()

        retired_at: None | str
        if isinstance(self.retired_at, datetime.datetime):
            retired_at = self.retired_at.isoformat()
        else:
            retired_at = self.retired_at

        secret = self.secret


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kid": kid,
            "client": client,
            "scheme": scheme,
            "status": status,
            "created_by": created_by,
            "created_at": created_at,
            "retired_at": retired_at,
            "secret": secret,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kid = d.pop("kid")

        client = d.pop("client")

        scheme = Scheme(d.pop("scheme"))




        status = d.pop("status")

        def _parse_created_by(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        created_by = _parse_created_by(d.pop("created_by"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_retired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                retired_at_type_0 = datetime.datetime.fromisoformat(data)



                return retired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        retired_at = _parse_retired_at(d.pop("retired_at"))


        secret = d.pop("secret")

        client_key_created = cls(
            id=id,
            kid=kid,
            client=client,
            scheme=scheme,
            status=status,
            created_by=created_by,
            created_at=created_at,
            retired_at=retired_at,
            secret=secret,
        )


        client_key_created.additional_properties = d
        return client_key_created

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
