from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.purchase_line_create import PurchaseLineCreate





T = TypeVar("T", bound="PurchaseCreate")



@_attrs_define
class PurchaseCreate:
    """ A bill. The channel comes from the caller, the prices from the catalogue.

        Attributes:
            lines (list[PurchaseLineCreate]):
            customer_id (int | None | Unset): None for a guest sale.
            store_id (int | Unset): 0 is the online shop. Default: 0.
            currency (None | str | Unset): Defaults to the base currency.
            purchased_at (datetime.datetime | None | Unset): Defaults to now; never in the future.
            number (None | str | Unset):
            reward_token (None | str | Unset): A reward to redeem: its percent comes off the rewarded product's line.
            points (int | None | Unset): Wallet points to spend as a discount on the bill, at the program's value (100
                points = 1.00).
     """

    lines: list[PurchaseLineCreate]
    customer_id: int | None | Unset = UNSET
    store_id: int | Unset = 0
    currency: None | str | Unset = UNSET
    purchased_at: datetime.datetime | None | Unset = UNSET
    number: None | str | Unset = UNSET
    reward_token: None | str | Unset = UNSET
    points: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.purchase_line_create import PurchaseLineCreate # noqa: PLC0415
        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        customer_id: int | None | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        store_id = self.store_id

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        purchased_at: None | str | Unset
        if isinstance(self.purchased_at, Unset):
            purchased_at = UNSET
        elif isinstance(self.purchased_at, datetime.datetime):
            purchased_at = self.purchased_at.isoformat()
        else:
            purchased_at = self.purchased_at

        number: None | str | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        reward_token: None | str | Unset
        if isinstance(self.reward_token, Unset):
            reward_token = UNSET
        else:
            reward_token = self.reward_token

        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "lines": lines,
        })
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if store_id is not UNSET:
            field_dict["store_id"] = store_id
        if currency is not UNSET:
            field_dict["currency"] = currency
        if purchased_at is not UNSET:
            field_dict["purchased_at"] = purchased_at
        if number is not UNSET:
            field_dict["number"] = number
        if reward_token is not UNSET:
            field_dict["reward_token"] = reward_token
        if points is not UNSET:
            field_dict["points"] = points

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.purchase_line_create import PurchaseLineCreate # noqa: PLC0415
        d = dict(src_dict)
        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = PurchaseLineCreate.from_dict(lines_item_data)



            lines.append(lines_item)


        def _parse_customer_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))


        store_id = d.pop("store_id", UNSET)

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_purchased_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purchased_at_type_0 = datetime.datetime.fromisoformat(data)



                return purchased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        purchased_at = _parse_purchased_at(d.pop("purchased_at", UNSET))


        def _parse_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        number = _parse_number(d.pop("number", UNSET))


        def _parse_reward_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reward_token = _parse_reward_token(d.pop("reward_token", UNSET))


        def _parse_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))


        purchase_create = cls(
            lines=lines,
            customer_id=customer_id,
            store_id=store_id,
            currency=currency,
            purchased_at=purchased_at,
            number=number,
            reward_token=reward_token,
            points=points,
        )

        return purchase_create

