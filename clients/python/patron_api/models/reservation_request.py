from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ReservationRequest")



@_attrs_define
class ReservationRequest:
    """ A bill about to be recorded, asking to use a reward's token, wallet points, or both.

        Attributes:
            purchase_id (int): Drawn before the bill's transaction: the saga's key.
            customer_id (int):
            product_ids (list[int]): The products on the bill: a reward applies only to one of them.
            reward_token (None | str | Unset):
            points (int | None | Unset):
     """

    purchase_id: int
    customer_id: int
    product_ids: list[int]
    reward_token: None | str | Unset = UNSET
    points: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        purchase_id = self.purchase_id

        customer_id = self.customer_id

        product_ids = self.product_ids



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
            "purchase_id": purchase_id,
            "customer_id": customer_id,
            "product_ids": product_ids,
        })
        if reward_token is not UNSET:
            field_dict["reward_token"] = reward_token
        if points is not UNSET:
            field_dict["points"] = points

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purchase_id = d.pop("purchase_id")

        customer_id = d.pop("customer_id")

        product_ids = cast(list[int], d.pop("product_ids"))


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


        reservation_request = cls(
            purchase_id=purchase_id,
            customer_id=customer_id,
            product_ids=product_ids,
            reward_token=reward_token,
            points=points,
        )

        return reservation_request

