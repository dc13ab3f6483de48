from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.purchase_source import PurchaseSource
from ..models.purchase_status import PurchaseStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.purchase_line_public import PurchaseLinePublic





T = TypeVar("T", bound="PurchasePublic")



@_attrs_define
class PurchasePublic:
    """ 
        Attributes:
            id (int):
            number (None | str):
            customer_id (int | None):
            store_id (int):
            channel (str):
            source (PurchaseSource):
            status (PurchaseStatus):
            base_currency (str):
            currency (str):
            rate (str):
            purchased_at (datetime.datetime):
            reward_token (None | str):
            base_gross (str):
            base_discount (str):
            base_total (str):
            local_gross (str):
            local_discount (str):
            local_total (str):
            base_returned (str):
            local_returned (str):
            base_net (str):
            local_net (str):
            cancelled_at (datetime.datetime | None):
            cancel_reason (None | str):
            reward_discount (str): What the redeemed reward took off, in the bill's currency.
            points_spent (int): Wallet points spent on the bill.
            points_value (str): What the points spent were worth, in the base currency.
            points_discount (str): What the points took off, in the bill's currency.
            lines (list[PurchaseLinePublic]):
            rate_date (datetime.date | None | Unset):
            reward_product_id (int | None | Unset): The product the redeemed reward discounted.
            reward_percent (int | None | Unset): The redeemed reward's percent off.
     """

    id: int
    number: None | str
    customer_id: int | None
    store_id: int
    channel: str
    source: PurchaseSource
    status: PurchaseStatus
    base_currency: str
    currency: str
    rate: str
    purchased_at: datetime.datetime
    reward_token: None | str
    base_gross: str
    base_discount: str
    base_total: str
    local_gross: str
    local_discount: str
    local_total: str
    base_returned: str
    local_returned: str
    base_net: str
    local_net: str
    cancelled_at: datetime.datetime | None
    cancel_reason: None | str
    reward_discount: str
    points_spent: int
    points_value: str
    points_discount: str
    lines: list[PurchaseLinePublic]
    rate_date: datetime.date | None | Unset = UNSET
    reward_product_id: int | None | Unset = UNSET
    reward_percent: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.purchase_line_public import PurchaseLinePublic # noqa: PLC0415
        id = self.id

        number: None | str
        number = self.number

        customer_id: int | None
        customer_id = self.customer_id

        store_id = self.store_id

        channel = self.channel

        source = self.source.value

        status = self.status.value

        base_currency = self.base_currency

        currency = self.currency

        rate = self.rate

        purchased_at = self.purchased_at.isoformat()

        reward_token: None | str
        reward_token = self.reward_token

        base_gross = self.base_gross

        base_discount = self.base_discount

        base_total = self.base_total

        local_gross = self.local_gross

        local_discount = self.local_discount

        local_total = self.local_total

        base_returned = self.base_returned

        local_returned = self.local_returned

        base_net = self.base_net

        local_net = self.local_net

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        cancel_reason: None | str
        cancel_reason = self.cancel_reason

        reward_discount = self.reward_discount

        points_spent = self.points_spent

        points_value = self.points_value

        points_discount = self.points_discount

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        rate_date: None | str | Unset
        if isinstance(self.rate_date, Unset):
            rate_date = UNSET
        elif isinstance(self.rate_date, datetime.date):
            rate_date = self.rate_date.isoformat()
        else:
            rate_date = self.rate_date

        reward_product_id: int | None | Unset
        if isinstance(self.reward_product_id, Unset):
            reward_product_id = UNSET
        else:
            reward_product_id = self.reward_product_id

        reward_percent: int | None | Unset
        if isinstance(self.reward_percent, Unset):
            reward_percent = UNSET
        else:
            reward_percent = self.reward_percent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "number": number,
            "customer_id": customer_id,
            "store_id": store_id,
            "channel": channel,
            "source": source,
            "status": status,
            "base_currency": base_currency,
            "currency": currency,
            "rate": rate,
            "purchased_at": purchased_at,
            "reward_token": reward_token,
            "base_gross": base_gross,
            "base_discount": base_discount,
            "base_total": base_total,
            "local_gross": local_gross,
            "local_discount": local_discount,
            "local_total": local_total,
            "base_returned": base_returned,
            "local_returned": local_returned,
            "base_net": base_net,
            "local_net": local_net,
            "cancelled_at": cancelled_at,
            "cancel_reason": cancel_reason,
            "reward_discount": reward_discount,
            "points_spent": points_spent,
            "points_value": points_value,
            "points_discount": points_discount,
            "lines": lines,
        })
        if rate_date is not UNSET:
            field_dict["rate_date"] = rate_date
        if reward_product_id is not UNSET:
            field_dict["reward_product_id"] = reward_product_id
        if reward_percent is not UNSET:
            field_dict["reward_percent"] = reward_percent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.purchase_line_public import PurchaseLinePublic # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        number = _parse_number(d.pop("number"))


        def _parse_customer_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))


        store_id = d.pop("store_id")

        channel = d.pop("channel")

        source = PurchaseSource(d.pop("source"))




        status = PurchaseStatus(d.pop("status"))




        base_currency = d.pop("base_currency")

        currency = d.pop("currency")

        rate = d.pop("rate")

        purchased_at = datetime.datetime.fromisoformat(d.pop("purchased_at"))




        def _parse_reward_token(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reward_token = _parse_reward_token(d.pop("reward_token"))


        base_gross = d.pop("base_gross")

        base_discount = d.pop("base_discount")

        base_total = d.pop("base_total")

        local_gross = d.pop("local_gross")

        local_discount = d.pop("local_discount")

        local_total = d.pop("local_total")

        base_returned = d.pop("base_returned")

        local_returned = d.pop("local_returned")

        base_net = d.pop("base_net")

        local_net = d.pop("local_net")

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at"))


        def _parse_cancel_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancel_reason"))


        reward_discount = d.pop("reward_discount")

        points_spent = d.pop("points_spent")

        points_value = d.pop("points_value")

        points_discount = d.pop("points_discount")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = PurchaseLinePublic.from_dict(lines_item_data)



            lines.append(lines_item)


        def _parse_rate_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rate_date_type_0 = datetime.date.fromisoformat(data)



                return rate_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        rate_date = _parse_rate_date(d.pop("rate_date", UNSET))


        def _parse_reward_product_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reward_product_id = _parse_reward_product_id(d.pop("reward_product_id", UNSET))


        def _parse_reward_percent(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reward_percent = _parse_reward_percent(d.pop("reward_percent", UNSET))


        purchase_public = cls(
            id=id,
            number=number,
            customer_id=customer_id,
            store_id=store_id,
            channel=channel,
            source=source,
            status=status,
            base_currency=base_currency,
            currency=currency,
            rate=rate,
            purchased_at=purchased_at,
            reward_token=reward_token,
            base_gross=base_gross,
            base_discount=base_discount,
            base_total=base_total,
            local_gross=local_gross,
            local_discount=local_discount,
            local_total=local_total,
            base_returned=base_returned,
            local_returned=local_returned,
            base_net=base_net,
            local_net=local_net,
            cancelled_at=cancelled_at,
            cancel_reason=cancel_reason,
            reward_discount=reward_discount,
            points_spent=points_spent,
            points_value=points_value,
            points_discount=points_discount,
            lines=lines,
            rate_date=rate_date,
            reward_product_id=reward_product_id,
            reward_percent=reward_percent,
        )


        purchase_public.additional_properties = d
        return purchase_public

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
