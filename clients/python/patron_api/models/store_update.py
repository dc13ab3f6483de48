from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.record_status import RecordStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="StoreUpdate")



@_attrs_define
class StoreUpdate:
    """ 
        Attributes:
            external_ref (None | str | Unset):
            name (str | Unset):
            country (None | str | Unset):
            state (None | str | Unset):
            square_metres (int | None | Unset):
            opened_on (datetime.date | None | Unset):
            status (RecordStatus | Unset):
     """

    external_ref: None | str | Unset = UNSET
    name: str | Unset = UNSET
    country: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    square_metres: int | None | Unset = UNSET
    opened_on: datetime.date | None | Unset = UNSET
    status: RecordStatus | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        name = self.name

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        square_metres: int | None | Unset
        if isinstance(self.square_metres, Unset):
            square_metres = UNSET
        else:
            square_metres = self.square_metres

        opened_on: None | str | Unset
        if isinstance(self.opened_on, Unset):
            opened_on = UNSET
        elif isinstance(self.opened_on, datetime.date):
            opened_on = self.opened_on.isoformat()
        else:
            opened_on = self.opened_on

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref
        if name is not UNSET:
            field_dict["name"] = name
        if country is not UNSET:
            field_dict["country"] = country
        if state is not UNSET:
            field_dict["state"] = state
        if square_metres is not UNSET:
            field_dict["square_metres"] = square_metres
        if opened_on is not UNSET:
            field_dict["opened_on"] = opened_on
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))


        name = d.pop("name", UNSET)

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))


        def _parse_state(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))


        def _parse_square_metres(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        square_metres = _parse_square_metres(d.pop("square_metres", UNSET))


        def _parse_opened_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                opened_on_type_0 = datetime.date.fromisoformat(data)



                return opened_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        opened_on = _parse_opened_on(d.pop("opened_on", UNSET))


        _status = d.pop("status", UNSET)
        status: RecordStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = RecordStatus(_status)




        store_update = cls(
            external_ref=external_ref,
            name=name,
            country=country,
            state=state,
            square_metres=square_metres,
            opened_on=opened_on,
            status=status,
        )

        return store_update

