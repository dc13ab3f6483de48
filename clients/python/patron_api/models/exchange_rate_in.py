from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ExchangeRateIn")



@_attrs_define
class ExchangeRateIn:
    """ 
        Attributes:
            date (datetime.date):
            currency (str): An ISO 4217 currency code (upper-cased on the way in).
            rate (float | str): Units of `currency` per one unit of the base currency.
     """

    date: datetime.date
    currency: str
    rate: float | str





    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        currency = self.currency

        rate: float | str
        rate = self.rate


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "date": date,
            "currency": currency,
            "rate": rate,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))




        currency = d.pop("currency")

        def _parse_rate(data: object) -> float | str:
            return cast(float | str, data)

        rate = _parse_rate(d.pop("rate"))


        exchange_rate_in = cls(
            date=date,
            currency=currency,
            rate=rate,
        )

        return exchange_rate_in

