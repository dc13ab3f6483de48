from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.exchange_rate_in import ExchangeRateIn





T = TypeVar("T", bound="ExchangeRatesUpsert")



@_attrs_define
class ExchangeRatesUpsert:
    """ 
        Attributes:
            rates (list[ExchangeRateIn]):
     """

    rates: list[ExchangeRateIn]





    def to_dict(self) -> dict[str, Any]:
        from ..models.exchange_rate_in import ExchangeRateIn # noqa: PLC0415
        rates = []
        for rates_item_data in self.rates:
            rates_item = rates_item_data.to_dict()
            rates.append(rates_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "rates": rates,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exchange_rate_in import ExchangeRateIn # noqa: PLC0415
        d = dict(src_dict)
        rates = []
        _rates = d.pop("rates")
        for rates_item_data in (_rates):
            rates_item = ExchangeRateIn.from_dict(rates_item_data)



            rates.append(rates_item)


        exchange_rates_upsert = cls(
            rates=rates,
        )

        return exchange_rates_upsert

