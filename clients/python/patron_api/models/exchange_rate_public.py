from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ExchangeRatePublic")



@_attrs_define
class ExchangeRatePublic:
    """ 
        Attributes:
            currency (str):
            date (datetime.date):
            rate (str):
            base_currency (str):
     """

    currency: str
    date: datetime.date
    rate: str
    base_currency: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        date = self.date.isoformat()

        rate = self.rate

        base_currency = self.base_currency


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "date": date,
            "rate": rate,
            "base_currency": base_currency,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        date = datetime.date.fromisoformat(d.pop("date"))




        rate = d.pop("rate")

        base_currency = d.pop("base_currency")

        exchange_rate_public = cls(
            currency=currency,
            date=date,
            rate=rate,
            base_currency=base_currency,
        )


        exchange_rate_public.additional_properties = d
        return exchange_rate_public

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
