from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.wallet_entry_kind import WalletEntryKind
from typing import cast
import datetime






T = TypeVar("T", bound="WalletEntryPublic")



@_attrs_define
class WalletEntryPublic:
    """ 
        Attributes:
            id (int):
            customer_id (int):
            kind (WalletEntryKind):
            points (int): Positive: points credited (a lot that expires); negative: points taken.
            reason (str):
            source (str):
            purchase_id (int | None):
            lot_id (int | None): An expiry: the lot it expires; a refund: the lot it gives back to.
            expires_at (datetime.datetime | None): When the points of a positive entry expire.
            created_at (datetime.datetime):
     """

    id: int
    customer_id: int
    kind: WalletEntryKind
    points: int
    reason: str
    source: str
    purchase_id: int | None
    lot_id: int | None
    expires_at: datetime.datetime | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        customer_id = self.customer_id

        kind = self.kind.value

        points = self.points

        reason = self.reason

        source = self.source

        purchase_id: int | None
        purchase_id = self.purchase_id

        lot_id: int | None
        lot_id = self.lot_id

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "customer_id": customer_id,
            "kind": kind,
            "points": points,
            "reason": reason,
            "source": source,
            "purchase_id": purchase_id,
            "lot_id": lot_id,
            "expires_at": expires_at,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        customer_id = d.pop("customer_id")

        kind = WalletEntryKind(d.pop("kind"))




        points = d.pop("points")

        reason = d.pop("reason")

        source = d.pop("source")

        def _parse_purchase_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        purchase_id = _parse_purchase_id(d.pop("purchase_id"))


        def _parse_lot_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        lot_id = _parse_lot_id(d.pop("lot_id"))


        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        wallet_entry_public = cls(
            id=id,
            customer_id=customer_id,
            kind=kind,
            points=points,
            reason=reason,
            source=source,
            purchase_id=purchase_id,
            lot_id=lot_id,
            expires_at=expires_at,
            created_at=created_at,
        )


        wallet_entry_public.additional_properties = d
        return wallet_entry_public

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
