from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BudgetRunCreate")



@_attrs_define
class BudgetRunCreate:
    """ A month's marketing budget to allocate.

        Attributes:
            month (str): The month, `YYYY-MM`: its latest level run is used (computed now if none).
            band (int): The band b: promotion from the (10 − b)/10 quantile.
            amount (float | str): Shared by levels 1 to 5 in proportion to their volume.
            level0_amount (float | str): Shared equally by the level-0 customers.
            levels (list[int] | Unset): The levels paid (0 to 5); the others' shares are reported unspent. Default: all.
            city (None | str | Unset): Return only this city's customers.
            store_id (int | None | Unset): Return only this home store's customers.
            level_run_id (int | None | Unset): A level run of the month; none: its latest.
     """

    month: str
    band: int
    amount: float | str
    level0_amount: float | str
    levels: list[int] | Unset = UNSET
    city: None | str | Unset = UNSET
    store_id: int | None | Unset = UNSET
    level_run_id: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        month = self.month

        band = self.band

        amount: float | str
        amount = self.amount

        level0_amount: float | str
        level0_amount = self.level0_amount

        levels: list[int] | Unset = UNSET
        if not isinstance(self.levels, Unset):
            levels = self.levels



        city: None | str | Unset
        if isinstance(self.city, Unset):
            city = UNSET
        else:
            city = self.city

        store_id: int | None | Unset
        if isinstance(self.store_id, Unset):
            store_id = UNSET
        else:
            store_id = self.store_id

        level_run_id: int | None | Unset
        if isinstance(self.level_run_id, Unset):
            level_run_id = UNSET
        else:
            level_run_id = self.level_run_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "month": month,
            "band": band,
            "amount": amount,
            "level0_amount": level0_amount,
        })
        if levels is not UNSET:
            field_dict["levels"] = levels
        if city is not UNSET:
            field_dict["city"] = city
        if store_id is not UNSET:
            field_dict["store_id"] = store_id
        if level_run_id is not UNSET:
            field_dict["level_run_id"] = level_run_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        month = d.pop("month")

        band = d.pop("band")

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))


        def _parse_level0_amount(data: object) -> float | str:
            return cast(float | str, data)

        level0_amount = _parse_level0_amount(d.pop("level0_amount"))


        levels = cast(list[int], d.pop("levels", UNSET))


        def _parse_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        city = _parse_city(d.pop("city", UNSET))


        def _parse_store_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        store_id = _parse_store_id(d.pop("store_id", UNSET))


        def _parse_level_run_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        level_run_id = _parse_level_run_id(d.pop("level_run_id", UNSET))


        budget_run_create = cls(
            month=month,
            band=band,
            amount=amount,
            level0_amount=level0_amount,
            levels=levels,
            city=city,
            store_id=store_id,
            level_run_id=level_run_id,
        )

        return budget_run_create

