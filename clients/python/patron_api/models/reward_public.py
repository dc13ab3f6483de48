from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.reward_status import RewardStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="RewardPublic")



@_attrs_define
class RewardPublic:
    """ 
        Attributes:
            id (int):
            token (str):
            customer_id (int):
            product_id (int):
            purchase_id (int | None): The bill that earned it; none for a target's gift.
            category (int):
            percent (int):
            program_version (int):
            status (RewardStatus):
            allocated_at (datetime.datetime):
            expires_at (datetime.datetime):
            redeemed_at (datetime.datetime | None):
            voided_at (datetime.datetime | None):
            expired_at (datetime.datetime | None):
            target_id (int | None | Unset): The target whose achievement gave it, for a gift.
     """

    id: int
    token: str
    customer_id: int
    product_id: int
    purchase_id: int | None
    category: int
    percent: int
    program_version: int
    status: RewardStatus
    allocated_at: datetime.datetime
    expires_at: datetime.datetime
    redeemed_at: datetime.datetime | None
    voided_at: datetime.datetime | None
    expired_at: datetime.datetime | None
    target_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        token = self.token

        customer_id = self.customer_id

        product_id = self.product_id

        purchase_id: int | None
        purchase_id = self.purchase_id

        category = self.category

        percent = self.percent

        program_version = self.program_version

        status = self.status.value

        allocated_at = self.allocated_at.isoformat()

        expires_at = self.expires_at.isoformat()

        redeemed_at: None | str
        if isinstance(self.redeemed_at, datetime.datetime):
            redeemed_at = self.redeemed_at.isoformat()
        else:
            redeemed_at = self.redeemed_at

        voided_at: None | str
        if isinstance(self.voided_at, datetime.datetime):
            voided_at = self.voided_at.isoformat()
        else:
            voided_at = self.voided_at

        expired_at: None | str
        if isinstance(self.expired_at, datetime.datetime):
            expired_at = self.expired_at.isoformat()
        else:
            expired_at = self.expired_at

        target_id: int | None | Unset
        if isinstance(self.target_id, Unset):
            target_id = UNSET
        else:
            target_id = self.target_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "token": token,
            "customer_id": customer_id,
            "product_id": product_id,
            "purchase_id": purchase_id,
            "category": category,
            "percent": percent,
            "program_version": program_version,
            "status": status,
            "allocated_at": allocated_at,
            "expires_at": expires_at,
            "redeemed_at": redeemed_at,
            "voided_at": voided_at,
            "expired_at": expired_at,
        })
        if target_id is not UNSET:
            field_dict["target_id"] = target_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        token = d.pop("token")

        customer_id = d.pop("customer_id")

        product_id = d.pop("product_id")

        def _parse_purchase_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        purchase_id = _parse_purchase_id(d.pop("purchase_id"))


        category = d.pop("category")

        percent = d.pop("percent")

        program_version = d.pop("program_version")

        status = RewardStatus(d.pop("status"))




        allocated_at = datetime.datetime.fromisoformat(d.pop("allocated_at"))




        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        def _parse_redeemed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                redeemed_at_type_0 = datetime.datetime.fromisoformat(data)



                return redeemed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        redeemed_at = _parse_redeemed_at(d.pop("redeemed_at"))


        def _parse_voided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_at_type_0 = datetime.datetime.fromisoformat(data)



                return voided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        voided_at = _parse_voided_at(d.pop("voided_at"))


        def _parse_expired_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expired_at_type_0 = datetime.datetime.fromisoformat(data)



                return expired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expired_at = _parse_expired_at(d.pop("expired_at"))


        def _parse_target_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        target_id = _parse_target_id(d.pop("target_id", UNSET))


        reward_public = cls(
            id=id,
            token=token,
            customer_id=customer_id,
            product_id=product_id,
            purchase_id=purchase_id,
            category=category,
            percent=percent,
            program_version=program_version,
            status=status,
            allocated_at=allocated_at,
            expires_at=expires_at,
            redeemed_at=redeemed_at,
            voided_at=voided_at,
            expired_at=expired_at,
            target_id=target_id,
        )


        reward_public.additional_properties = d
        return reward_public

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
