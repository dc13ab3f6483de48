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
  from ..models.budget_level_public import BudgetLevelPublic





T = TypeVar("T", bound="BudgetRunPublic")



@_attrs_define
class BudgetRunPublic:
    """ One allocation, as stored: its input, the level run it read, and what it allocated and left unspent.

        Attributes:
            id (int):
            month (datetime.date):
            band (int):
            amount (str):
            level0_amount (str):
            levels (list[int]):
            city (None | str):
            store_id (int | None):
            level_run_id (int):
            computed_at (datetime.datetime):
            created_by (str):
            allocated (str): Of the amount: allocated + unspent = amount.
            unspent (str):
            level0_allocated (str): Of the level-0 amount: allocated + unspent = level-0 amount.
            level0_unspent (str):
            per_level (list[BudgetLevelPublic] | Unset): Levels 0 to 5.
            shown_customers (int | None | Unset): The customers the run returns (its city and store).
            shown_amount (None | str | Unset): What those customers receive.
     """

    id: int
    month: datetime.date
    band: int
    amount: str
    level0_amount: str
    levels: list[int]
    city: None | str
    store_id: int | None
    level_run_id: int
    computed_at: datetime.datetime
    created_by: str
    allocated: str
    unspent: str
    level0_allocated: str
    level0_unspent: str
    per_level: list[BudgetLevelPublic] | Unset = UNSET
    shown_customers: int | None | Unset = UNSET
    shown_amount: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.budget_level_public import BudgetLevelPublic # noqa: PLC0415
        id = self.id

        month = self.month.isoformat()

        band = self.band

        amount = self.amount

        level0_amount = self.level0_amount

        levels = self.levels



        city: None | str
        city = self.city

        store_id: int | None
        store_id = self.store_id

        level_run_id = self.level_run_id

        computed_at = self.computed_at.isoformat()

        created_by = self.created_by

        allocated = self.allocated

        unspent = self.unspent

        level0_allocated = self.level0_allocated

        level0_unspent = self.level0_unspent

        per_level: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.per_level, Unset):
            per_level = []
            for per_level_item_data in self.per_level:
                per_level_item = per_level_item_data.to_dict()
                per_level.append(per_level_item)



        shown_customers: int | None | Unset
        if isinstance(self.shown_customers, Unset):
            shown_customers = UNSET
        else:
            shown_customers = self.shown_customers

        shown_amount: None | str | Unset
        if isinstance(self.shown_amount, Unset):
            shown_amount = UNSET
        else:
            shown_amount = self.shown_amount


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "month": month,
            "band": band,
            "amount": amount,
            "level0_amount": level0_amount,
            "levels": levels,
            "city": city,
            "store_id": store_id,
            "level_run_id": level_run_id,
            "computed_at": computed_at,
            "created_by": created_by,
            "allocated": allocated,
            "unspent": unspent,
            "level0_allocated": level0_allocated,
            "level0_unspent": level0_unspent,
        })
        if per_level is not UNSET:
            field_dict["per_level"] = per_level
        if shown_customers is not UNSET:
            field_dict["shown_customers"] = shown_customers
        if shown_amount is not UNSET:
            field_dict["shown_amount"] = shown_amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_level_public import BudgetLevelPublic # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        month = datetime.date.fromisoformat(d.pop("month"))




        band = d.pop("band")

        amount = d.pop("amount")

        level0_amount = d.pop("level0_amount")

        levels = cast(list[int], d.pop("levels"))


        def _parse_city(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        city = _parse_city(d.pop("city"))


        def _parse_store_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        store_id = _parse_store_id(d.pop("store_id"))


        level_run_id = d.pop("level_run_id")

        computed_at = datetime.datetime.fromisoformat(d.pop("computed_at"))




        created_by = d.pop("created_by")

        allocated = d.pop("allocated")

        unspent = d.pop("unspent")

        level0_allocated = d.pop("level0_allocated")

        level0_unspent = d.pop("level0_unspent")

        _per_level = d.pop("per_level", UNSET)
        per_level: list[BudgetLevelPublic] | Unset = UNSET
        if _per_level is not UNSET:
            per_level = []
            for per_level_item_data in _per_level:
                per_level_item = BudgetLevelPublic.from_dict(per_level_item_data)



                per_level.append(per_level_item)


        def _parse_shown_customers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        shown_customers = _parse_shown_customers(d.pop("shown_customers", UNSET))


        def _parse_shown_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shown_amount = _parse_shown_amount(d.pop("shown_amount", UNSET))


        budget_run_public = cls(
            id=id,
            month=month,
            band=band,
            amount=amount,
            level0_amount=level0_amount,
            levels=levels,
            city=city,
            store_id=store_id,
            level_run_id=level_run_id,
            computed_at=computed_at,
            created_by=created_by,
            allocated=allocated,
            unspent=unspent,
            level0_allocated=level0_allocated,
            level0_unspent=level0_unspent,
            per_level=per_level,
            shown_customers=shown_customers,
            shown_amount=shown_amount,
        )


        budget_run_public.additional_properties = d
        return budget_run_public

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
