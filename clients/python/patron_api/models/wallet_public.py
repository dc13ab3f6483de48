from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="WalletPublic")



@_attrs_define
class WalletPublic:
    """ A wallet as its customer sees it now: points past their expiry are gone already.

        Attributes:
            customer_id (int):
            balance (int): The points the customer can spend.
            value (str): What they are worth when spent, rounded down to the cent.
            currency (str):
            points_per_currency_unit (int):
            next_expiry (datetime.datetime | None): When the next points expire; none when the wallet is empty.
            expiring_points (int): How many points expire then.
     """

    customer_id: int
    balance: int
    value: str
    currency: str
    points_per_currency_unit: int
    next_expiry: datetime.datetime | None
    expiring_points: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        balance = self.balance

        value = self.value

        currency = self.currency

        points_per_currency_unit = self.points_per_currency_unit

        next_expiry: None | str
        if isinstance(self.next_expiry, datetime.datetime):
            next_expiry = self.next_expiry.isoformat()
        else:
            next_expiry = self.next_expiry

        expiring_points = self.expiring_points


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "customer_id": customer_id,
            "balance": balance,
            "value": value,
            "currency": currency,
            "points_per_currency_unit": points_per_currency_unit,
            "next_expiry": next_expiry,
            "expiring_points": expiring_points,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        balance = d.pop("balance")

        value = d.pop("value")

        currency = d.pop("currency")

        points_per_currency_unit = d.pop("points_per_currency_unit")

        def _parse_next_expiry(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_expiry_type_0 = datetime.datetime.fromisoformat(data)



                return next_expiry_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_expiry = _parse_next_expiry(d.pop("next_expiry"))


        expiring_points = d.pop("expiring_points")

        wallet_public = cls(
            customer_id=customer_id,
            balance=balance,
            value=value,
            currency=currency,
            points_per_currency_unit=points_per_currency_unit,
            next_expiry=next_expiry,
            expiring_points=expiring_points,
        )


        wallet_public.additional_properties = d
        return wallet_public

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
