from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.purchase_source import PurchaseSource
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="AllocationRequest")



@_attrs_define
class AllocationRequest:
    """ A recorded bill, offered for a reward by the service that recorded it.

        Attributes:
            purchase_id (int):
            source (PurchaseSource):
            base_total (float | str): The bill's total after discounts, in the base currency.
            recorded_at (datetime.datetime): When the bill was recorded: the program version in force then.
            customer_id (int | None | Unset): None for a guest sale.
     """

    purchase_id: int
    source: PurchaseSource
    base_total: float | str
    recorded_at: datetime.datetime
    customer_id: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        purchase_id = self.purchase_id

        source = self.source.value

        base_total: float | str
        base_total = self.base_total

        recorded_at = self.recorded_at.isoformat()

        customer_id: int | None | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "purchase_id": purchase_id,
            "source": source,
            "base_total": base_total,
            "recorded_at": recorded_at,
        })
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purchase_id = d.pop("purchase_id")

        source = PurchaseSource(d.pop("source"))




        def _parse_base_total(data: object) -> float | str:
            return cast(float | str, data)

        base_total = _parse_base_total(d.pop("base_total"))


        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))




        def _parse_customer_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))


        allocation_request = cls(
            purchase_id=purchase_id,
            source=source,
            base_total=base_total,
            recorded_at=recorded_at,
            customer_id=customer_id,
        )

        return allocation_request

